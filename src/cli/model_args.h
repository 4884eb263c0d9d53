#pragma once
// MODEL on the command line: either the whole descriptor
// ("pattern:bottleneck depth=30 width=128", quoted or not) or a name plus
// knob flags (pattern:bottleneck --depth 30 --width 128). Both become one
// Descriptor, parsed by the same parser.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "models/catalog.h"

namespace fb::cli {

class ModelArgs {
 public:
  // Adds the positional MODEL and a --KNOB flag for every knob in the catalog.
  void add_to(CLI::App& cmd);
  Descriptor descriptor() const;
  ModelSpec model() const { return resolve_model(descriptor()); }

 private:
  std::vector<std::string> tokens_;
  std::map<std::string, std::string> flags_;
};

}  // namespace fb::cli
