#pragma once
// What a sweep measures: groups of models (named models or pattern grids)
// crossed with run settings, plus the measurement policy the runner applies.
// Built-in presets (presets.h) and user TOML files (docs/study.md) both end
// up as a SweepSpec; grid.h expands one into measurement descriptors.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fb::study {

// One block of a sweep: every model crossed with every run setting.
struct SweepGroup {
  std::string name;                 // for logs and docs: "depth", "zoo", ...
  // The experiment the group's configurations belong to in the store (groups
  // may share one: the cache experiment's native and accelerated groups);
  // empty = the group's name. `kind` says what it varies, and so which figure
  // draws it: one of experiment_kinds(); empty = inferred (experiment_kind).
  std::string experiment, kind;
  std::vector<std::string> models;  // model descriptors: "resnet18", "pattern:grouped groups=4"
  // Pattern grid: pattern names (with or without "pattern:") x depth x width x res;
  // an empty knob list keeps the model's default.
  std::vector<std::string> patterns;
  std::vector<int64_t> depths, widths, resolutions;
  std::vector<int64_t> batches{1};
  std::vector<std::string> backends;  // "torch", "onednn:nofuse", ...
  std::vector<int64_t> threads{0};    // 0 = every core of the machine running the sweep
  std::vector<std::string> isas;      // empty = no cap (no isa field)
  std::vector<std::string> precisions;  // empty = fp32 (no precision field); "fp32", "bf16", "int8"
  std::vector<std::string> cache_sims;  // empty = off; "host", "i5-7600k", "SIZE,ASSOC,LINE"
  std::vector<std::pair<std::string, std::string>> env;  // env.NAME=value fields
  bool profile = false;  // profile=1: each configuration also stores its per-step profile
  bool check = false;    // check=1: each configuration also stores its output's error against reference
};

// How the runner treats each configuration. The measurer's own stopping rule
// decides how long a measurement takes; min_runs and min_time_s describe it
// for the time estimate only.
struct MeasurePolicy {
  double timeout_s = 1800;         // a measurement still running after this is killed and stored failed
  int min_runs = 10;               // timed runs the measurer makes at least (estimate only)
  double min_time_s = 1.0;         // timed seconds the measurer spends at least (estimate only)
  std::vector<std::string> args;   // passed to the measure command before the descriptor
};

struct SweepSpec {
  std::string name;    // stored in the sweeps table
  std::string source;  // "preset quick" or the TOML file's path
  std::vector<SweepGroup> groups;
  MeasurePolicy measure;
};

// depth, width, cache, zoo, ablation, isa, precision, profile, peers, other.
const std::vector<std::string>& experiment_kinds();
// The engines people already use, next to formbench's (ort, opencv, with or
// without a variant): a group that runs one is a peers experiment.
bool is_peer_backend(const std::string& backend);
inline std::string experiment_name(const SweepGroup& g) { return g.experiment.empty() ? g.name : g.experiment; }
// The group's kind, or inferred: profile -> profile; cache_sim set -> cache; a peer backend ->
// peers; a backend variant
// (onednn:nofuse) -> ablation; several isa values -> isa; several precisions -> precision; several depths ->
// depth; several widths -> width; named models only -> zoo; else other.
std::string experiment_kind(const SweepGroup& g);
// Each experiment of the spec with its kind, in order of first appearance.
// UsageError when two groups of one experiment give it different kinds.
std::vector<std::pair<std::string, std::string>> spec_experiments(const SweepSpec& spec);

// Parses a TOML spec. Errors are UsageErrors of the form
// "FILE:LINE: what is wrong; what is expected".
SweepSpec parse_spec(const std::string& toml_text, const std::string& file_name);

// A preset name ("quick", "paper", ...) or a path to a .toml file.
SweepSpec load_spec(const std::string& preset_or_path);

// "90", "90s", "30m", "2h", "1h30m" -> seconds. UsageError naming `what` otherwise.
double parse_duration(const std::string& text, const std::string& what);

}  // namespace fb::study
