#pragma once
// The one way formbench writes JSON (records into the store, `measure`,
// `bench --json`, `export --json`). nlohmann's default dump throws on a string
// that is not valid UTF-8, which lost whole sweeps; this one never throws on
// content: invalid bytes are written as U+FFFD (see common/utf8.h for why).
#include <string>

#include <nlohmann/json.hpp>

namespace fb {

// `indent` as nlohmann's dump: -1 one line, n >= 0 pretty-printed with n spaces.
std::string dump_json(const nlohmann::json& j, int indent = -1);

}  // namespace fb
