#pragma once
// A SweepSpec expanded into measurement descriptors, in a deterministic
// order (group, model, batch, backend, threads, isa, precision, cache_sim; env fields
// sorted by name), without repeats; and the split of that grid into shards.
#include <cstdint>
#include <string>
#include <vector>

#include "common/precision.h"
#include "models/catalog.h"
#include "study/spec.h"

namespace fb::study {

struct Config {
  std::string descriptor;  // the store key and the measure command's argument
  std::string group;       // first group that produced it
  std::vector<std::string> experiments;  // every experiment whose groups produced it, in spec order
  ModelSpec model;
  std::string backend;  // "onednn:nofuse"
  int64_t batch = 1;
  int64_t threads = 1;
  std::string isa, cache_sim;
  Precision precision = Precision::fp32;
};

// `cores` resolves threads = 0. UsageError, prefixed with the spec's source
// and the group, for models that do not exist or cannot be built.
std::vector<Config> expand(const SweepSpec& spec, int64_t cores);

// --shard i/N: configuration c belongs to shard hash(c.descriptor) mod N, so a
// descriptor stays in its shard however the grid around it changes.
struct Shard {
  int64_t index = 0, count = 1;
  static Shard parse(const std::string& text);  // "3/16"; UsageError otherwise
  bool contains(const std::string& descriptor) const;
  std::string str() const;
};
std::vector<Config> select_shard(const std::vector<Config>& grid, const Shard& shard);

uint64_t fnv1a(const std::string& s);

}  // namespace fb::study
