#pragma once
// The measurement descriptor: a model descriptor plus the run fields, e.g.
//   "pattern:dw_bottleneck depth=20 width=32 res=224 classes=1000 reduction=4 expansion=1
//    backend=onednn batch=8 threads=2"
// Canonical order: the model's canonical form, then backend, batch, threads,
// then isa, precision, calibration, cache_sim, profile, check, input and env.* only when given
// (precision=fp32, profile=0 and check=0 are never written, so a descriptor without them keeps its store key). The same string is the CLI
// argument of `formbench measure`, the store key and the failure reproducer.
// This file owns it: MeasureConfig::str() is its one composer (measure,
// bench, the study's grid) and RunFields::split its one parser of the run
// fields (MeasureConfig::parse, the store's columns, the report).
#include <string>
#include <utility>
#include <vector>

#include "common/precision.h"
#include "models/catalog.h"

namespace fb {

// A descriptor's run fields taken apart from its model, as written, without
// building the model: the store and the report read rows of a model this
// build does not know (a store from a newer formbench) this way. Each reader
// checks the numbers under its own rule (measure: required and in range).
struct RunFields {
  Descriptor model;  // the model's name and knobs, in written order
  std::string backend, batch, threads, isa, precision, calibration, cache_sim, profile, check, input;  // as written; empty when absent
  std::vector<std::pair<std::string, std::string>> env;  // env.NAME=value as (NAME, value), in written order

  static RunFields split(const Descriptor& d);  // never throws
};

struct MeasureConfig {
  ModelSpec model;
  std::string backend;  // "name" or "name:variant"
  int batch = 1;
  int threads = 1;
  std::string isa;        // empty = the machine's best
  std::string cache_sim;  // empty = no simulation; "host", "i5-7600k" or "SIZE,ASSOC,LINE"
  std::vector<std::pair<std::string, std::string>> env;  // set in the measuring process, in written order
  bool profile = false;  // profile=1: also time each step (measure/step_profile.h) and store the profile
  std::string input;  // a float32 .npy file as the network input; empty = drawn from the seed
  // check=1: also compare the output with the reference backend's (record.h
  // CheckSection) and store the error with the row.
  bool check = false;
  Precision precision = Precision::fp32;  // the engine's arithmetic (common/precision.h); last, for aggregate inits
  // precision=int8 only: seeded images the activation scales are calibrated
  // on (calibration=N); 0 = the backend's default (BackendOptions).
  int calibration = 0;

  std::string str() const;  // the canonical descriptor: the one composer
  // UsageError for unknown models/knobs, missing backend/batch/threads, bad numbers.
  static MeasureConfig parse(const std::string& text);
};

}  // namespace fb
