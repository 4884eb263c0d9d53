#include "study/grid.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "measure/config.h"
#include "models/descriptor.h"

namespace fb::study {
namespace {

// The models of a group, canonical and in order: named models first, then
// the pattern grid pattern x depth x width x res.
std::vector<ModelSpec> group_models(const SweepGroup& g) {
  std::vector<ModelSpec> out;
  for (const auto& m : g.models) out.push_back(resolve_model(Descriptor::parse(m)));
  auto or_default = [](const std::vector<int64_t>& v) { return v.empty() ? std::vector<int64_t>{-1} : v; };
  for (const auto& p : g.patterns)
    for (int64_t d : or_default(g.depths))
      for (int64_t w : or_default(g.widths))
        for (int64_t r : or_default(g.resolutions)) {
          Descriptor desc{"pattern:" + p, {}};
          if (d > 0) desc.set("depth", std::to_string(d));
          if (w > 0) desc.set("width", std::to_string(w));
          if (r > 0) desc.set("res", std::to_string(r));
          out.push_back(resolve_model(desc));
        }
  return out;
}

}  // namespace

std::vector<Config> expand(const SweepSpec& spec, int64_t cores) {
  std::vector<Config> grid;
  std::map<std::string, size_t> seen;  // descriptor -> index in grid
  std::set<std::string> built;  // models already checked by building them
  for (const auto& g : spec.groups) {
    std::vector<ModelSpec> models;
    try {
      models = group_models(g);
      for (const auto& m : models)
        if (built.insert(m.str()).second) m.build(1);  // e.g. a width the groups do not divide
    } catch (const UsageError& e) {
      throw UsageError(spec.source + ": group '" + g.name + "': " + e.what());
    }
    const std::vector<std::string> no_choice{""}, fp32_only{"fp32"};
    auto env = g.env;  // by name, so the descriptor is canonical however the spec lists them
    std::sort(env.begin(), env.end());
    for (const auto& m : models)
      for (int64_t batch : g.batches)
        for (const auto& backend : g.backends)
          for (int64_t t : g.threads)
            for (const auto& isa : g.isas.empty() ? no_choice : g.isas)
              for (const auto& precision : g.precisions.empty() ? fp32_only : g.precisions)
              for (const auto& sim : g.cache_sims.empty() ? no_choice : g.cache_sims) {
                Config c{"", g.name, {experiment_name(g)}, m, backend, batch, t == 0 ? cores : t, isa, sim,
                         parse_precision(precision)};
                // The spec keeps batch and threads within int (spec.cpp).
                MeasureConfig mc;
                mc.model = m, mc.backend = backend, mc.batch = static_cast<int>(batch);
                mc.threads = static_cast<int>(c.threads), mc.isa = isa, mc.cache_sim = sim, mc.env = env;
                mc.precision = c.precision;
                mc.profile = g.profile, mc.check = g.check;
                c.descriptor = mc.str();
                // Measured once, and a member of every experiment that asks for it.
                if (auto [it, fresh] = seen.emplace(c.descriptor, grid.size()); !fresh) {
                  auto& e = grid[it->second].experiments;
                  if (std::find(e.begin(), e.end(), c.experiments[0]) == e.end()) e.push_back(c.experiments[0]);
                } else {
                  grid.push_back(std::move(c));
                }
              }
  }
  return grid;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Shard Shard::parse(const std::string& text) {
  auto slash = text.find('/');
  auto bad = [&] { return UsageError("--shard '" + text + "': expected i/N with 0 <= i < N, e.g. 3/16"); };
  if (slash == std::string::npos) throw bad();
  Shard s;
  try {
    s.index = parse_integer(text.substr(0, slash), "shard index");
    s.count = parse_integer(text.substr(slash + 1), "shard count");
  } catch (const UsageError&) {
    throw bad();
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count) throw bad();
  return s;
}

bool Shard::contains(const std::string& descriptor) const {
  return fnv1a(descriptor) % static_cast<uint64_t>(count) == static_cast<uint64_t>(index);
}

std::string Shard::str() const { return std::to_string(index) + "/" + std::to_string(count); }

std::vector<Config> select_shard(const std::vector<Config>& grid, const Shard& shard) {
  std::vector<Config> out;
  for (const auto& c : grid)
    if (shard.contains(c.descriptor)) out.push_back(c);
  return out;
}

}  // namespace fb::study
