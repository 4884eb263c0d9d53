#pragma once
// The peers experiment read side by side: every engine on every model of
// one batch, its latency, its speed-up over the native framework, the error
// its output had against the reference backend (check=1), or the engine's
// own words where it could not run the model; and formbench's engine against
// the fastest of the engines people already use.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/analysis.h"

namespace fb::report {

struct PeerCell {
  std::optional<Measurement> m;  // the ok row (a copy: tables outlive the Dataset they came from)
  std::string failed;            // the stored error when the configuration failed
};

struct PeerRow {
  std::string model;  // the configuration without backend and batch ("resnet50 res=224 ... threads=2 check=1")
  std::string name;   // the model's head ("resnet50", "pattern:grouped")
  int64_t batch = 1;
  std::map<std::string, PeerCell> engines;  // by backend
  // Fastest engine other than the native and the accelerated one (an ok row), if any.
  std::string best_peer;
  // Latency of the native engine / this engine's, where both ran.
  std::optional<double> speedup_over_native(const std::string& engine, const BackendRoles& roles) const;
  // Best peer's latency / the accelerated engine's: above 1, formbench's engine is faster.
  std::optional<double> accelerated_vs_best_peer(const BackendRoles& roles) const;
};

struct PeerTable {
  std::vector<std::string> engines;  // in order of first appearance, native first
  std::vector<PeerRow> rows;         // by batch, then model, in store order
};

// The rows of `d` (one experiment's) with a failed row's error kept.
PeerTable peer_table(const Dataset& d, const BackendRoles& roles);

struct PeerTableOf {
  std::string experiment;  // its label
  PeerTable table;
};
// Every peers experiment of a machine's Dataset, each from its own rows.
std::vector<PeerTableOf> peer_tables(const Dataset& d, const BackendRoles& roles);

// "formbench's engine is ahead of the best peer on 10 of 11 networks at batch 1 (geometric mean 1.08x) ..."
// One finding per batch; none when no row has both.
std::vector<Finding> peer_findings(const PeerTable& t, const BackendRoles& roles);

}  // namespace fb::report
