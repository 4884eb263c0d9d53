#pragma once
// The results store's tuning table as the backends' TuningCache, for this
// machine. The CLI joins the two layers: the store includes no backend and a
// backend includes no store.
#include <memory>
#include <string>

#include "backends/tuning_cache.h"

namespace fb::cli {

// Opens (or creates) the store at `path`; UsageError or Error naming
// `--tune-cache` and the file when it cannot be opened. Once open, a failed
// read is a miss and a failed write is dropped, each said once on stderr: a
// cache never fails the measurement it serves.
std::shared_ptr<TuningCache> open_tuning_store(const std::string& path);

}  // namespace fb::cli
