#pragma once
// What the report reads: every stored measurement, its descriptor taken apart
// into the fields analysis groups by, and the figures its record carries.
// The report reads the store only; it never measures.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/memory_roofs.h"
#include "models/descriptor.h"

namespace fb::report {

struct Measurement {
  std::string descriptor;
  Descriptor fields;
  std::string model;    // "pattern:standard", "resnet50"
  std::string pattern;  // "standard" for pattern models, empty for the zoo
  std::string backend;  // "onednn:nofuse"
  std::string isa;      // empty: not capped
  int64_t batch = 1, threads = 1;
  std::optional<int64_t> depth, width, res;

  double per_image_ms = 0, per_image_ci_low = 0, per_image_ci_high = 0;
  int64_t samples = 0;
  double flops = 0;  // per batch run
  std::optional<double> ll_misses_sim;  // callgrind LL misses per inference
  std::optional<double> llc_misses_hw;  // hardware counter, per inference
  std::optional<double> achieved_gflops, intensity, peak_gflops, bandwidth_gbs;
  std::optional<double> working_set_bytes;  // weights + peak activations per batch run
  std::vector<MemoryRoof> roofs;            // the probed memory levels, fastest first; empty if never probed
  int64_t winograd_convs = 0;               // convolutions the backend ran as Winograd
  // The backend's facts (library versions, ISA, threads), as recorded.
  std::vector<std::pair<std::string, std::string>> backend_facts;
  double foreign_cpu_pct = 0;

  // The descriptor without the backend: two measurements with the same key
  // differ only in the backend that ran them.
  std::string key_without_backend() const;
  // The descriptor without one knob (for series over depth or width).
  std::string key_without(const std::vector<std::string>& knobs) const;
};

// A row the report could not use: its id in the store, its descriptor as
// stored, and why. The page and summary list these; the rest is drawn.
struct UnreadableRow {
  int64_t id = 0;
  std::string descriptor;
  std::string reason;
};

struct Dataset {
  std::vector<Measurement> ok;
  int64_t failed = 0, skipped = 0;
  std::vector<UnreadableRow> unreadable;
  nlohmann::json environment;  // of the first ok record: machine, versions
  std::map<std::string, nlohmann::json> backend_environment;  // first ok record per backend
};

// Parses one record (the JSON `formbench measure` prints). Throws UsageError
// saying what is wrong when the descriptor or a number the report uses is
// malformed or out of range (see docs/report.md, "Hostile stores").
Measurement measurement_from_record(const std::string& descriptor, const nlohmann::json& record);

// Reads measurements(descriptor, status, record_json) from a results store.
// Throws UsageError when the file is missing or is not a formbench store; a
// row that cannot be used goes to `unreadable` and the rest are read.
Dataset load_dataset(const std::string& db_path);

}  // namespace fb::report
