#pragma once
// formbench's side of the ort runner (runner/ort_runner.js, whose header
// describes the protocol): starts it on a model file, reads its handshake,
// then one inference per request over its stdin and stdout.
#include <cstddef>
#include <string>

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

 private:
  PeerProcess peer_;
  RunnerHandshake handshake_;
  double timeout_s_;
};

// How long the runner may take to load a model or to answer one request:
// FORMBENCH_ORT_TIMEOUT_S, else 600 s (well past any inference formbench
// measures, short of a hang that would stall a study overnight).
double ort_timeout_seconds();

}  // namespace fb
