#pragma once
// Where a tuning backend (onednn) keeps the timings it made, across compiles
// and processes, so a sweep times each distinct problem once per machine.
// Keys are the backend's own (they name the problem, the ISA, the threads
// and the library version); the keeper stores them as opaque text. The
// backend layer defines only this interface: the results store implements
// it (the CLI joins the two), and null means no cache.
#include <optional>
#include <string>

namespace fb {

class TuningCache {
 public:
  virtual ~TuningCache() = default;
  // The milliseconds saved under `key`, or nullopt (never seen, or a stored
  // value that is not a finite, non-negative time).
  virtual std::optional<double> find(const std::string& key) = 0;
  virtual void save(const std::string& key, double ms) = 0;
};

}  // namespace fb
