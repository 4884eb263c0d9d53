#pragma once
// Where the ort backend's pieces are on this machine: node, the runner
// script (ort_runner.js) and the onnxruntime-node package installed beside
// it by scripts/setup.sh. Nothing here starts ONNX Runtime.
#include <string>

namespace fb {

struct OrtInstall {
  std::string node;             // the node executable: FORMBENCH_NODE, else `node` in PATH
  std::string runner;           // ort_runner.js: FORMBENCH_ORT_RUNNER, else the source tree's
  std::string pinned_version;   // what the runner's package.json asks for
  std::string package_version;  // what its node_modules holds (equal to the pinned one)
};

// UsageError saying what is missing (node, the runner, the package, or a
// package of another version) and to run scripts/setup.sh.
OrtInstall locate_ort_install();

// `node --version` ("v20.20.2"), asked once per process; "unknown" if it
// does not answer.
std::string node_version(const std::string& node);

}  // namespace fb
