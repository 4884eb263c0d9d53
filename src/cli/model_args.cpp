#include "cli/model_args.h"

#include <set>

#include "common/error.h"

namespace fb::cli {

void ModelArgs::add_to(CLI::App& cmd) {
  cmd.add_option("model", tokens_,
                 "model name, optionally followed by knob=value fields (see `formbench list`)")
      ->required();
  std::set<std::string> seen;
  for (const auto& m : model_catalog())
    for (const auto& k : m.knobs)
      if (seen.insert(k.name).second)
        cmd.add_option("--" + k.name, flags_[k.name], "knob: " + k.help);
}

Descriptor ModelArgs::descriptor() const {
  std::string text;
  for (const auto& t : tokens_) text += t + " ";
  Descriptor d = Descriptor::parse(text);
  for (const auto& [key, value] : flags_) {
    if (value.empty()) continue;
    if (d.get(key)) throw UsageError(key + " is given both as " + key + "=" + *d.get(key) + " and as --" + key);
    d.set(key, value);
  }
  return d;
}

}  // namespace fb::cli
