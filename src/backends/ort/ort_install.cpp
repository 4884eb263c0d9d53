#include "backends/ort/ort_install.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "common/process.h"

#ifndef FORMBENCH_ORT_RUNNER_PATH
#error "FORMBENCH_ORT_RUNNER_PATH (the source tree's ort_runner.js) is set by src/backends/ort/CMakeLists.txt"
#endif

namespace fb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSetupHint = "run scripts/setup.sh (it installs Node.js and onnxruntime-node)";

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

// `name` itself if it holds a '/', else the first executable `name` in PATH; "" if none.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : "";
  std::stringstream path(env_or("PATH", "/usr/local/bin:/usr/bin:/bin"));
  for (std::string dir; std::getline(path, dir, ':');)
    if (!dir.empty() && is_executable_file(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return "";
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string string_at(const nlohmann::json& j, const nlohmann::json::json_pointer& where) {
  return j.is_object() && j.contains(where) && j.at(where).is_string() ? j.at(where).get<std::string>() : "";
}

}  // namespace

OrtInstall locate_ort_install() {
  OrtInstall r;
  const std::string node_name = env_or("FORMBENCH_NODE", "node");
  r.node = find_program(node_name);
  if (r.node.empty())
    throw UsageError("ort: Node.js is missing (" +
                     (node_name == "node" ? std::string("no node in PATH") : "FORMBENCH_NODE=" + node_name + " is not an executable file") +
                     "); " + kSetupHint);
  r.runner = env_or("FORMBENCH_ORT_RUNNER", FORMBENCH_ORT_RUNNER_PATH);
  std::error_code ec;
  if (!fs::is_regular_file(r.runner, ec))
    throw UsageError("ort: the runner script " + r.runner + " is missing" +
                     (std::getenv("FORMBENCH_ORT_RUNNER") ? " (from FORMBENCH_ORT_RUNNER)" : "") +
                     "; it belongs to formbench's source tree (src/backends/ort/runner/)");
  const fs::path dir = fs::path(r.runner).parent_path();
  r.pinned_version = string_at(read_json(dir / "package.json"), "/dependencies/onnxruntime-node"_json_pointer);
  if (r.pinned_version.empty())
    throw UsageError("ort: " + (dir / "package.json").string() + " does not name the onnxruntime-node version to use");
  const fs::path installed = dir / "node_modules" / "onnxruntime-node" / "package.json";
  r.package_version = string_at(read_json(installed), "/version"_json_pointer);
  if (r.package_version.empty())
    throw UsageError("ort: ONNX Runtime (the npm package onnxruntime-node " + r.pinned_version + ") is not installed in " +
                     (dir / "node_modules").string() + "; " + kSetupHint);
  if (r.package_version != r.pinned_version)
    throw UsageError("ort: " + installed.string() + " is onnxruntime-node " + r.package_version + ", but formbench pins " +
                     r.pinned_version + "; " + kSetupHint);
  return r;
}

std::string node_version(const std::string& node) {
  static std::mutex mutex;
  static std::map<std::string, std::string> known;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = known.find(node);
  if (it != known.end()) return it->second;
  std::string v = "unknown";
  const ChildResult r = run_child({node, "--version"}, {}, 30);
  if (r.exited_cleanly() && !r.out.empty() && r.out.size() < 64) {
    v = r.out;
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  }
  return known[node] = v;
}

}  // namespace fb
