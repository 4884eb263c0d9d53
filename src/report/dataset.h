#pragma once
// What the report reads: every stored measurement, its descriptor taken apart
// into the fields analysis groups by, and the figures its record carries.
// The report reads the store only; it never measures.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  double foreign_cpu_pct = 0;

  // The descriptor without the backend: two measurements with the same key
  // differ only in the backend that ran them.
  std::string key_without_backend() const;
  // The descriptor without one knob (for series over depth or width).
  std::string key_without(const std::vector<std::string>& knobs) const;
};

struct Dataset {
  std::vector<Measurement> ok;
  int64_t failed = 0, skipped = 0;
  nlohmann::json environment;  // of the first ok record: machine, versions
  std::map<std::string, nlohmann::json> backend_environment;  // first ok record per backend
};

// Parses one record (the JSON `formbench measure` prints).
Measurement measurement_from_record(const std::string& descriptor, const nlohmann::json& record);

// Reads measurements(descriptor, status, record_json) from a results store.
// Throws UsageError when the file is missing or is not a formbench store.
Dataset load_dataset(const std::string& db_path);

}  // namespace fb::report
