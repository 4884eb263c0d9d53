#pragma once
// formbench's side of the ort runner (runner/ort_runner.js, whose header
// describes the protocol): starts it on a model file, reads its handshake,
// then one inference per request over its stdin and stdout.
#include <cstddef>
#include <string>
#include <vector>

#include "backends/ort/ort_install.h"
#include "backends/ort/ort_options.h"
#include "common/peer_process.h"
#include "graph/shape.h"

namespace fb {

// What the runner says once its session is loaded.
struct RunnerHandshake {
  std::string ort_version, node_version;
  std::string input_name, output_name;
  Shape input_dims, output_dims;
  std::string options;  // the session options it used, as JSON
};

// One kernel of one profiled run, as ONNX Runtime's profiler names and times it.
struct KernelTime {
  std::string node;     // the ONNX node's name (after ONNX Runtime's graph optimisation)
  std::string op_type;  // "FusedConv", "ReorderInput", ...
  double seconds = 0;
};

struct ProfiledRuns {
  std::vector<std::vector<KernelTime>> runs;  // each run's kernels in execution order
  std::vector<double> run_seconds;            // each run's model_run event
};

class RunnerClient {
 public:
  // Error "ort: ONNX Runtime cannot run this model: <ONNX Runtime's message>"
  // for a model the session refuses; an Error naming how the runner ended
  // (and its stderr) for a runner that dies, is not a runner, or says
  // nothing within the time limit.
  RunnerClient(const OrtInstall& install, const std::string& model_path, const OrtOptions& o, const Shape& input);

  const RunnerHandshake& handshake() const { return handshake_; }
  int pid() const { return static_cast<int>(peer_.pid()); }
  // One inference: the runner's seconds inside session.run. Error with ONNX
  // Runtime's message if the run fails.
  double run(const float* input, size_t input_floats, float* output, size_t output_floats);
  // `runs` inferences of `input` in a session of the runner's own with ONNX
  // Runtime's profiling on (after one to warm up), each run's kernel times
  // from the profile, and the last run's output. Error naming what was wrong
  // with a profile that does not parse.
  ProfiledRuns profile(const float* input, size_t input_floats, int runs, float* output, size_t output_floats);

 private:
  // Sends `word` and the input, reads the response header; for an error
  // response, reads its message and throws. Returns the payload length.
  uint64_t request(uint64_t word, const float* input, size_t input_floats, double* seconds);

  PeerProcess peer_;
  RunnerHandshake handshake_;
  double timeout_s_;
};

// How long the runner may take to load a model or to answer one request:
// FORMBENCH_ORT_TIMEOUT_S, else 600 s (well past any inference formbench
// measures, short of a hang that would stall a study overnight).
double ort_timeout_seconds();

}  // namespace fb
