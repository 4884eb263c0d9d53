// Export then import gives the same graph function: for every pattern and
// every zoo network at a small input, the imported graph has the same ops,
// attributes, wiring and shapes, and bit-identical weights. The file goes
// through the serialised bytes and the ONNX checker on the way.
#include <gtest/gtest.h>

#include "interop/onnx_export.h"
#include "interop/onnx_file.h"
#include "interop/onnx_import.h"
#include "models/catalog.h"

namespace fb {
namespace {

std::vector<std::string> every_model() {
  std::vector<std::string> names;
  for (const auto& m : model_catalog()) names.push_back(m.name);
  return names;
}

// The smallest input each network takes, one batch, few classes; patterns
// shallow and narrow. Parameters do not depend on res, so the zoo's big
// networks still carry their full weights through the file.
ModelSpec small(const std::string& name) {
  const ModelDef& def = find_model(name);
  Descriptor d{name, {{"classes", "10"}}};
  for (const auto& k : def.knobs) {
    if (k.name == "res") d.set("res", std::to_string(def.family == "zoo" ? k.min_value : 32));
    if (k.name == "depth") d.set("depth", "2");
    if (k.name == "width") d.set("width", "16");
  }
  return resolve_model(d);
}

class OnnxRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxRoundTrip, ExportThenImportGivesTheSameGraphAndWeights) {
  const ModelSpec spec = small(GetParam());
  const Graph g = spec.build(1);
  const Weights w = spec.weights(g, 5);
  std::string bytes;
  ASSERT_TRUE(onnx_io::export_model(g, w).SerializeToString(&bytes));
  const onnx::ModelProto m = onnx_io::parse_model(bytes, spec.str());
  bytes.clear();
  bytes.shrink_to_fit();
  onnx_io::check_model(m, spec.str());
  const onnx_io::ImportedModel im = onnx_io::import_model(m, spec.str());
  ASSERT_EQ(im.graph.nodes.size(), g.nodes.size()) << spec.str();
  EXPECT_EQ(im.graph.output, g.output);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node &a = g.nodes[i], &b = im.graph.nodes[i];
    ASSERT_EQ(a.op, b.op) << spec.str() << " node " << a.name;
    EXPECT_TRUE(a.attrs == b.attrs) << spec.str() << " node " << a.name;
    EXPECT_EQ(a.inputs, b.inputs) << spec.str() << " node " << a.name;
    EXPECT_EQ(a.shape, b.shape) << spec.str() << " node " << a.name;
    ASSERT_EQ(w.per_node[i].size(), im.weights.per_node[i].size()) << spec.str() << " node " << a.name;
    for (size_t t = 0; t < w.per_node[i].size(); ++t) {
      EXPECT_EQ(w.per_node[i][t].shape, im.weights.per_node[i][t].shape) << a.name;
      EXPECT_TRUE(w.per_node[i][t].data == im.weights.per_node[i][t].data) << spec.str() << " node " << a.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryModel, OnnxRoundTrip, ::testing::ValuesIn(every_model()),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return s;
                         });

}  // namespace
}  // namespace fb
