#include "backends/ort/runner_client.h"

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/parse_number.h"
#include "common/utf8.h"

namespace fb {
namespace {

static_assert(std::endian::native == std::endian::little, "the runner's frames are little-endian");

constexpr size_t kHandshakeMaxBytes = 1 << 20;
constexpr size_t kErrorMaxBytes = 1 << 20;
constexpr size_t kResponseHeaderBytes = 20;  // u32 status, f64 seconds, u64 payload length
constexpr uint64_t kProfileFlag = uint64_t{1} << 63;  // a request word's profiling bit (ort_runner.js)
constexpr int kMaxProfiledRuns = 1000;
constexpr uint32_t kProfileMaxBytes = 256u << 20;

std::vector<std::string> runner_argv(const OrtInstall& install, const std::string& model, const OrtOptions& o,
                                     const Shape& input) {
  std::string dims;
  for (int64_t d : input.dims) dims += (dims.empty() ? "" : "x") + std::to_string(d);
  return {install.node, install.runner, model, std::to_string(o.intra_op_threads), o.graph_optimization, dims};
}

Shape dims_of(const nlohmann::json& j, const std::string& what) {
  std::vector<int64_t> d;
  if (j.is_array())
    for (const auto& x : j) {
      if (!x.is_number_integer()) throw Error("ort: the runner reports a symbolic " + what + " dimension " + x.dump());
      d.push_back(x.get<int64_t>());
    }
  return Shape(std::move(d));
}

RunnerHandshake parse_handshake(const std::string& line, PeerProcess& peer) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("ok")) {
    peer.kill_now();
    throw Error("ort: the runner's first line is not its handshake: " + text_tail(line, 400) +
                (peer.stderr_tail().empty() ? "" : "; its stderr ends: " + peer.stderr_tail()));
  }
  if (!j.value("ok", false))
    throw Error("ort: ONNX Runtime cannot run this model: " + valid_utf8(j.value("error", std::string("(no message)"))));
  RunnerHandshake h;
  h.ort_version = j.value("ort_version", "");
  h.node_version = j.value("node_version", "");
  h.input_name = j.value("input", "");
  h.output_name = j.value("output", "");
  h.input_dims = dims_of(j.value("input_dims", nlohmann::json()), "input");
  h.output_dims = dims_of(j.value("output_dims", nlohmann::json()), "output");
  h.options = j.value("options", nlohmann::json::object()).dump();
  return h;
}

}  // namespace

double ort_timeout_seconds() {
  const char* v = std::getenv("FORMBENCH_ORT_TIMEOUT_S");
  return v && *v ? parse_real(v, "FORMBENCH_ORT_TIMEOUT_S", 0.001, 1e7) : 600.0;
}

RunnerClient::RunnerClient(const OrtInstall& install, const std::string& model_path, const OrtOptions& o,
                           const Shape& input)
    : peer_(runner_argv(install, model_path, o, input), "the ort runner"), timeout_s_(ort_timeout_seconds()) {
  const std::string line = peer_.read_line(kHandshakeMaxBytes, timeout_s_);
  handshake_ = parse_handshake(line, peer_);
  if (handshake_.input_dims != input) {
    peer_.kill_now();
    throw Error("ort: the session's input is " + handshake_.input_dims.str() + ", the graph's " + input.str());
  }
}

uint64_t RunnerClient::request(uint64_t word, const float* input, size_t input_floats, double* seconds) {
  peer_.write_all(&word, sizeof word, timeout_s_);
  peer_.write_all(input, input_floats * sizeof(float), timeout_s_);
  unsigned char header[kResponseHeaderBytes];
  peer_.read_exact(header, sizeof header, timeout_s_);
  uint32_t status;
  uint64_t length;
  std::memcpy(&status, header, 4);
  std::memcpy(seconds, header + 4, 8);
  std::memcpy(&length, header + 12, 8);
  if (status != 0) {
    if (length > kErrorMaxBytes) {
      peer_.kill_now();
      throw Error("ort: the runner reports an error of " + std::to_string(length) + " bytes");
    }
    std::string message(length, '\0');
    peer_.read_exact(message.data(), message.size(), timeout_s_);
    throw Error("ort: ONNX Runtime failed to run the model: " + valid_utf8(message));
  }
  return length;
}

double RunnerClient::run(const float* input, size_t input_floats, float* output, size_t output_floats) {
  double seconds = 0;
  const uint64_t length = request(input_floats * sizeof(float), input, input_floats, &seconds);
  if (length != output_floats * sizeof(float)) {
    peer_.kill_now();  // the stream is out of step: nothing after this can be trusted
    throw Error("ort: the runner returned " + std::to_string(length) + " bytes of output, the graph's output takes " +
                std::to_string(output_floats * sizeof(float)));
  }
  peer_.read_exact(output, length, timeout_s_);
  return seconds;
}

namespace {

// The runner's profile JSON: {"runs": [[[node, op, us], ...], ...], "run_us": [...]}.
ProfiledRuns parse_profile(const std::string& text, int expected_runs) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& why) { return Error("ort: the runner's profile " + why); };
  if (!j.is_object() || !j.contains("runs") || !j["runs"].is_array() || !j.contains("run_us") || !j["run_us"].is_array())
    throw bad("is not {\"runs\": [...], \"run_us\": [...]}");
  if (j["runs"].size() != static_cast<size_t>(expected_runs) || j["run_us"].size() != j["runs"].size())
    throw bad("holds " + std::to_string(j["runs"].size()) + " runs, " + std::to_string(expected_runs) + " were asked for");
  ProfiledRuns p;
  for (const auto& run : j["runs"]) {
    if (!run.is_array()) throw bad("has a run that is not a list of kernels");
    std::vector<KernelTime> kernels;
    for (const auto& k : run) {
      if (!k.is_array() || k.size() != 3 || !k[0].is_string() || !k[1].is_string() || !k[2].is_number() ||
          k[2].get<double>() < 0)
        throw bad("has a kernel that is not [name, op type, microseconds]: " + text_tail(k.dump(), 200));
      kernels.push_back({valid_utf8(k[0].get<std::string>()), valid_utf8(k[1].get<std::string>()), k[2].get<double>() * 1e-6});
    }
    if (kernels.empty()) throw bad("has a run with no kernels");
    p.runs.push_back(std::move(kernels));
  }
  for (const auto& us : j["run_us"]) {
    if (!us.is_number()) throw bad("has a run time that is not a number");
    p.run_seconds.push_back(us.get<double>() * 1e-6);
  }
  return p;
}

}  // namespace

ProfiledRuns RunnerClient::profile(const float* input, size_t input_floats, int runs, float* output,
                                   size_t output_floats) {
  if (runs < 1 || runs > kMaxProfiledRuns) throw Error("internal: a profile of " + std::to_string(runs) + " runs");
  double seconds = 0;
  const uint64_t length = request(kProfileFlag | static_cast<uint64_t>(runs), input, input_floats, &seconds);
  const uint64_t output_bytes = output_floats * sizeof(float);
  uint32_t json_bytes = 0;
  if (length < 4 + output_bytes) {
    peer_.kill_now();
    throw Error("ort: the runner's profile response of " + std::to_string(length) + " bytes cannot hold the output");
  }
  peer_.read_exact(&json_bytes, 4, timeout_s_);
  if (json_bytes != length - 4 - output_bytes || json_bytes > kProfileMaxBytes) {
    peer_.kill_now();
    throw Error("ort: the runner's profile response is out of step (" + std::to_string(json_bytes) + " bytes of JSON in " +
                std::to_string(length) + ")");
  }
  std::string json(json_bytes, '\0');
  peer_.read_exact(json.data(), json.size(), timeout_s_);
  peer_.read_exact(output, output_bytes, timeout_s_);
  return parse_profile(json, runs);
}

}  // namespace fb
