#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/number_options.h"
#include "common/error.h"
#include "graph/cost.h"

namespace fb::cli {
namespace {

nlohmann::json cost_json(const NodeCost& c) {
  return {{"macs", c.macs}, {"flops", c.flops()}, {"params", c.params}, {"learnable_params", c.learnable_params},
          {"weight_bytes", c.weight_bytes}, {"activation_bytes", c.activation_bytes}, {"min_bytes", c.min_bytes}};
}

std::string describe_op(const Node& n) {
  std::string op(op_name(n.op));
  if (n.op == OpKind::Conv) {
    const auto& a = n.as<ConvAttrs>();
    op += fmt::format(" {}x{}", a.kernel_h, a.kernel_w);
    if (a.stride_h > 1 || a.stride_w > 1) op += fmt::format(" s{}", a.stride_h);
    if (a.dilation_h > 1) op += fmt::format(" d{}", a.dilation_h);
    if (a.groups > 1) op += fmt::format(" g{}", a.groups);
  } else if (n.op == OpKind::Activation) {
    op += " " + std::string(act_name(n.as<ActivationAttrs>().kind));
  } else if (n.op == OpKind::MaxPool || n.op == OpKind::AvgPool) {
    const auto& a = n.as<PoolAttrs>();
    op += fmt::format(" {}x{} s{}", a.kernel_h, a.kernel_w, a.stride_h);
  }
  return op;
}

}  // namespace

void add_describe_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("describe", "Per-layer table of a model: op, output shape, MACs, params");
  auto args = std::make_shared<ModelArgs>();
  auto batch = std::make_shared<int64_t>(1);
  auto json = std::make_shared<bool>(false);
  args->add_to(*cmd);
  add_int_option(*cmd, "--batch", *batch, 1, kMaxBatch, "batch size");
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([args, batch, json] {
    ModelSpec spec = args->model();
    Graph g = spec.build(*batch);
    GraphCost c = cost_of(g);
    if (*json) {
      nlohmann::json layers = nlohmann::json::array();
      for (size_t i = 0; i < g.nodes.size(); ++i) {
        nlohmann::json row = cost_json(c.nodes[i]);
        row["name"] = g.nodes[i].name;
        row["op"] = describe_op(g.nodes[i]);
        row["shape"] = g.nodes[i].shape.dims;
        layers.push_back(row);
      }
      nlohmann::json total = cost_json(c.total);
      total["peak_activation_bytes"] = c.peak_activation_bytes;
      fmt::print("{}\n", nlohmann::json{{"model", spec.str()}, {"batch", *batch}, {"layers", layers},
                                        {"total", total}}.dump(2));
      return;
    }
    fmt::print("{}  batch={}\n\n", spec.str(), *batch);
    fmt::print("{:<34} {:<22} {:<18} {:>14} {:>10}\n", "layer", "op", "output", "MACs", "params");
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const Node& n = g.nodes[i];
      fmt::print("{:<34} {:<22} {:<18} {:>14} {:>10}\n", n.name, describe_op(n), n.shape.str(), c.nodes[i].macs,
                 c.nodes[i].params);
    }
    fmt::print("\ntotal: {} MACs ({:.4f} GFLOPs, FLOPs = 2 x MACs), {} params\n", c.total.macs,
               c.total.flops() / 1e9, c.total.params);
    fmt::print("       {} learnable params (without BN running mean/var: the published convention)\n",
               c.total.learnable_params);
    fmt::print("       weights {:.2f} MB, activations {:.2f} MB (peak live {:.2f} MB), "
               "min traffic {:.2f} MB, intensity {:.2f} FLOP/B\n",
               c.total.weight_bytes / 1e6, c.total.activation_bytes / 1e6, c.peak_activation_bytes / 1e6,
               c.total.min_bytes / 1e6, c.arithmetic_intensity());
  });
}

}  // namespace fb::cli
