#pragma once
// What the report reads: every stored measurement, its descriptor taken apart
// into the fields analysis groups by, and the figures its record carries,
// one Dataset per machine (latencies of two machines are never compared),
// each row knowing the experiments it belongs to. The report reads the store
// (through fb::study::Store) only; it never measures.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/memory_roofs.h"
#include "measure/record.h"
#include "models/descriptor.h"
#include "report/ll_geometry.h"

namespace fb::report {

// A unit of a sweep (schema version 3): the rows one figure set draws.
struct StoredExperiment {
  std::string sweep, name;  // "quick", "depth"
  std::string kind;         // depth, width, cache, zoo, ablation, isa, precision, profile, peers, other
  bool unassigned = false;  // rows that no experiment claims (stores before version 3)
  std::string label() const;  // "quick/depth" or "unassigned"
};

struct Measurement {
  int64_t row_id = 0;       // the store's row id
  std::string machine_id;
  std::vector<size_t> experiments;  // indices into Dataset::experiments
  std::string descriptor;
  Descriptor fields;
  std::string model;    // "pattern:standard", "resnet50"
  std::string pattern;  // "standard" for pattern models, empty for the zoo
  std::string backend;  // "onednn:nofuse"
  std::string isa;      // empty: not capped
  std::string precision = "fp32";  // as written in the descriptor (precision=), fp32 when absent
  // The paper measured FP32: its claims, the all-pairs findings, the series
  // and the roofline (whose roof is the fp32 sgemm's) read these rows only.
  bool fp32() const { return precision == "fp32"; }
  int64_t batch = 1, threads = 1;
  std::optional<int64_t> depth, width, res;

  double per_image_ms = 0, per_image_ci_low = 0, per_image_ci_high = 0;
  int64_t samples = 0;
  double flops = 0;  // per batch run
  std::optional<double> ll_misses_sim;  // callgrind LL misses per inference
  std::optional<double> llc_misses_hw;  // hardware counter, per inference
  std::optional<LlGeometry> ll_geometry;  // the simulated last level, when the record states it
  std::optional<double> achieved_gflops, intensity, peak_gflops, bandwidth_gbs;
  std::optional<double> working_set_bytes;  // weights + peak activations per batch run
  std::vector<MemoryRoof> roofs;            // the probed memory levels, fastest first; empty if never probed
  int64_t winograd_convs = 0;               // convolutions the backend ran as Winograd
  // The backend's facts (library versions, ISA, threads), as recorded.
  std::vector<std::pair<std::string, std::string>> backend_facts;
  double foreign_cpu_pct = 0;
  std::optional<ProfileSection> profile;  // with profile=1: one batch run's time by op kind and node
  std::optional<CheckSection> check;      // with check=1: the output's error against the reference backend
  std::optional<AccuracySection> accuracy;  // at bf16 or int8: the logits against the same backend's fp32 ones
  std::optional<double> outside_engine_ms;  // an out-of-process engine: copies across the boundary, per batch run

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

// A configuration stored as failed: what the backend said (a peer engine
// that cannot run a model says so in its own words).
struct FailedRow {
  int64_t id = 0;
  std::string descriptor, error;
  std::vector<size_t> experiments;  // indices into Dataset::experiments; empty when none of this machine's
};

struct Dataset {
  std::string machine_id;
  std::string machine;  // the machines table's facts in words: CPU, cores, memory, kernel, host
  std::vector<StoredExperiment> experiments;  // those with an ok row on this machine, in store order
  std::vector<Measurement> ok;
  int64_t failed = 0, skipped = 0;
  std::vector<FailedRow> failed_rows;  // the failed ones, with their errors
  std::vector<UnreadableRow> unreadable;
  nlohmann::json environment;  // of the first ok record: machine, versions
  std::map<std::string, nlohmann::json> backend_environment;  // first ok record per backend

  // The ok rows of experiments[e] only (failed, skipped and unreadable rows
  // and the environment are kept): what one experiment's figures draw.
  Dataset only(size_t e) const;
  size_t unassigned_rows() const;  // ok rows of no experiment
};

// Parses one record (the JSON `formbench measure` prints). Throws UsageError
// saying what is wrong when the descriptor or a number the report uses is
// malformed or out of range (see docs/report.md, "Hostile stores").
Measurement measurement_from_record(const std::string& descriptor, const nlohmann::json& record);

// Reads a results store through fb::study::Store, read-only: one Dataset per
// machine that has a row, in the machines table's order. Throws UsageError
// when the file is missing or is not a formbench store; a row that cannot be
// used goes to its machine's `unreadable` and the rest are read.
std::vector<Dataset> load_machines(const std::string& db_path);

// The Dataset of a store that holds one machine's rows (an empty one for an
// empty store). UsageError naming the machines when it holds several: their
// latencies must not be compared; report them one by one (load_machines).
Dataset load_dataset(const std::string& db_path);

}  // namespace fb::report
