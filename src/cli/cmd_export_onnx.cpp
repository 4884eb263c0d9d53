// `formbench export-onnx MODEL -o FILE.onnx`: any model formbench can build
// or import, with its weights, as an ONNX file other engines read
// (interop/onnx_export.h). Not `export`, which writes a results store.
#include <fmt/core.h>

#include <limits>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/number_options.h"
#include "common/paths.h"
#include "interop/onnx_export.h"
#include "interop/onnx_file.h"

namespace fb::cli {

void add_export_onnx_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("export-onnx", "Write a model with its weights as an ONNX file (checked by the ONNX checker)");
  struct Args {
    ModelArgs model;
    int batch = 1;
    uint64_t seed = 1;
    std::string output;
  };
  auto a = std::make_shared<Args>();
  a->model.add_to(*cmd);
  add_int_option(*cmd, "--batch", a->batch, 1, kMaxBatch, "the batch of the file's input");
  add_int_option(*cmd, "--seed", a->seed, 0, std::numeric_limits<int64_t>::max(),
                 "seed of the weights (as in run; an imported model keeps its own)");
  cmd->add_option("-o,--output", a->output, "ONNX file to write, whole or not at all")->required();
  cmd->callback([a] {
    require_path(a->output, "-o");
    const ModelSpec spec = a->model.model();
    const Graph g = spec.build(a->batch);
    const onnx::ModelProto m = onnx_io::export_model(g, spec.weights(g, a->seed));
    std::vector<std::string> inputs;
    if (!spec.def->file.empty()) inputs.push_back(spec.def->file);  // export-onnx onnx:m.onnx -o m.onnx
    onnx_io::write_model(m, a->output, inputs);
    fmt::print("wrote {}: {} batch={}, {} nodes, opset {}\n", a->output, spec.str(), a->batch, m.graph().node_size(),
               onnx_io::kExportOpset);
  });
}

}  // namespace fb::cli
