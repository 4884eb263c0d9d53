#include "backends/torch/torch_util.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/error.h"

namespace fb::torch_util {
namespace {

std::vector<int64_t> dims(const Shape& s) { return s.dims; }

// Shared objects with `needle` in their name that this process has mapped:
// the library really in use, after update-alternatives' symlinks.
std::string mapped_libraries(const std::string& needle) {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> found;
  for (std::string line; std::getline(maps, line);) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    auto base = path.substr(path.rfind('/') + 1);
    if (base.find(needle) != std::string::npos) found.insert(path);
  }
  std::string out;
  for (const auto& p : found) out += (out.empty() ? "" : ",") + p;
  return out.empty() ? "none" : out;
}

// The text after `label` in at::show_config()'s build summary, up to `end`
// ("BLAS_INFO=" -> "generic", "CPU capability usage: " -> "AVX2").
std::string build_setting(const std::string& label, char end = ',') {
  const std::string config = at::show_config();
  auto at = config.find(label);
  if (at == std::string::npos) return "unknown";
  at += label.size();
  return config.substr(at, config.find_first_of(std::string(1, end) + "\n", at) - at);
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

}  // namespace

at::Tensor to_aten(const Tensor& t) {
  return at::from_blob(const_cast<float*>(t.ptr()), dims(t.shape), at::kFloat).clone();
}

at::Tensor wrap_input(const float* data, const Shape& shape, at::ScalarType type) {
  const at::Tensor view = at::from_blob(const_cast<float*>(data), dims(shape), at::kFloat);
  return type == at::kFloat ? view : view.to(type);
}

at::ScalarType scalar_type(Precision p) { return p == Precision::bf16 ? at::kBFloat16 : at::kFloat; }

void copy_output(const at::Tensor& y, const Shape& shape, float* out) {
  if (y.sizes() != at::IntArrayRef(shape.dims))
  {
    std::ostringstream got;
    got << y.sizes();
    throw Error("LibTorch produced shape " + got.str() + ", expected " + shape.str());
  }
  at::Tensor c = y.to(at::kFloat).contiguous();
  std::memcpy(out, c.data_ptr<float>(), static_cast<size_t>(c.numel()) * sizeof(float));
}

void use_threads(int threads) {
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
}

Facts environment(const BackendOptions& opts) {
  use_threads(opts.threads);
  // A first gemm, so that a lazily loaded BLAS shows up in the maps.
  at::Tensor a = at::ones({64, 64});
  (void)at::mm(a, a).sum().item<float>();
  return {
      {"torch.version", TORCH_VERSION},
      {"torch.blas_loaded", mapped_libraries("blas")},
      {"torch.blas_build", build_setting(" BLAS_INFO=")},
      {"torch.mkldnn", at::hasMKLDNN() ? "yes" : "no"},
      {"torch.mkldnn_version", build_setting("MKL-DNN ", ' ')},
      {"torch.cpu_capability", build_setting("CPU capability usage: ")},
      {"torch.parallel", build_setting(" USE_OPENMP=") == "ON" ? "openmp" : "native"},
      {"torch.threads", std::to_string(at::get_num_threads())},
      {"torch.precision", precision_name(opts.precision)},
      {"torch.qengine", c10::toString(at::globalContext().qEngine())},
      {"torch.glibc_tunables", env_or("GLIBC_TUNABLES", "unset")},
      {"torch.ld_preload", env_or("LD_PRELOAD", "unset")},
  };
}

MemoryEstimate estimate_memory(const GraphCost& c) {
  return sum_memory({{"peak live activations", c.peak_activation_bytes, 2}, {"weights", c.total.weight_bytes, 2},
                     {"runtime", int64_t{512} << 20, 1}});
}

}  // namespace fb::torch_util
