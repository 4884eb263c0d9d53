// The opencv peer backend (OpenCV's DNN module on the ONNX export) against
// the reference: the six design patterns at batch 1 and 3, every op outside
// them, the average-pool padding OpenCV's importer decides by itself, the
// options it refuses, its environment facts and how its errors read.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "backends/backend.h"
#include "backends/compare.h"
#include "backends/op_cases.h"
#include "backends/opencv/opencv_executable.h"
#include "backends/opencv/opencv_message.h"
#include "backends/opencv/opencv_onnx_form.h"
#include "backends/opencv/opencv_plan.h"
#include "common/error.h"
#include "graph/builder.h"
#include "graph/weights.h"
#include "interop/onnx_constant.h"
#include "interop/onnx_export.h"
#include "interop/onnx_file.h"
#include "models/catalog.h"

namespace fb {
namespace {

using test::net;

// fp32 through a few layers against double accumulation, as in the torch
// tests; observed ~3e-7.
constexpr double kBound = 1e-4;
const char* const kPatterns[] = {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"};

void expect_matches_reference(const Graph& g, int threads, const std::string& what) {
  Weights w = make_weights(g, 7);
  Tensor x = make_input(g.input_shape(), 7);
  Tensor ref = run_once(choose_backend("reference", 1), g, w, x);
  Tensor got = run_once(choose_backend("opencv", threads), g, w, x);
  test::expect_close(got, ref, kBound, what + " on opencv threads=" + std::to_string(threads));
}

// --- the six patterns -------------------------------------------------------

struct PatternCase {
  std::string pattern;
  int batch;
};
void PrintTo(const PatternCase& c, std::ostream* os) { *os << c.pattern << " batch=" << c.batch; }

class OpenCvPattern : public ::testing::TestWithParam<PatternCase> {};

TEST_P(OpenCvPattern, MatchesReference) {
  const auto& c = GetParam();
  const std::string model = "pattern:" + c.pattern + " depth=3 width=16 res=32";
  expect_matches_reference(parse_model(model).build(c.batch), c.batch == 3 ? 2 : 1,
                           model + " batch=" + std::to_string(c.batch));
}

std::vector<PatternCase> pattern_cases() {
  std::vector<PatternCase> cases;
  for (const char* p : kPatterns)
    for (int batch : {1, 3}) cases.push_back({p, batch});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllPatterns, OpenCvPattern, ::testing::ValuesIn(pattern_cases()),
                         [](const auto& info) { return info.param.pattern + "_b" + std::to_string(info.param.batch); });

// --- ops the patterns do not use ---------------------------------------------

// Average pools that count their padding beside ones that do not: OpenCV's
// importer can be told only one way for the whole model (opencv_onnx_form.h).
Graph mixed_average_pools() {
  return test::net("mixed", [](GraphBuilder& b, ValueId x) {
    return b.concat({b.avg_pool(x, 3, 1, 1, true, "counting"), b.avg_pool(x, 3, 1, 1, false, "excluding")});
  });
}

// The shared op networks (op_cases.h), and the mixed pools above.
std::vector<test::OpCase> op_cases() {
  std::vector<test::OpCase> cases = test::op_cases();
  cases.push_back({"avgpool_mixed_include_and_exclude_pad", mixed_average_pools});
  return cases;
}

class OpenCvOp : public ::testing::TestWithParam<test::OpCase> {};

TEST_P(OpenCvOp, MatchesReference) { expect_matches_reference(GetParam().build(), 1, GetParam().name); }

INSTANTIATE_TEST_SUITE_P(Ops, OpenCvOp, ::testing::ValuesIn(op_cases()), [](const auto& info) { return info.param.name; });

// --- the export in OpenCV's form -----------------------------------------------

int count_ops(const onnx::ModelProto& m, const std::string& op) {
  int n = 0;
  for (const auto& node : m.graph().node()) n += node.op_type() == op;
  return n;
}

onnx::ModelProto opencv_form(const Graph& g) {
  onnx::ModelProto m = onnx_io::export_model(g, make_weights(g, 1));
  opencv_engine::adapt_for_opencv(m);
  onnx_io::check_model(m, "the model in OpenCV's form");  // still valid ONNX for every other reader
  return m;
}

TEST(OpenCvOnnxForm, CountingPoolsAloneTakeOpenCvsPyTorchPath) {
  const onnx::ModelProto m = opencv_form(net("ap", [](GraphBuilder& b, ValueId x) { return b.avg_pool(x, 3, 1, 1, true); }));
  EXPECT_EQ(m.producer_name(), "pytorch");
  EXPECT_EQ(count_ops(m, "Pad"), 0);
}

TEST(OpenCvOnnxForm, PoolsThatExcludePaddingAreLeftAsExported) {
  const Graph g = net("ap", [](GraphBuilder& b, ValueId x) { return b.avg_pool(x, 3, 2, 1, false); });
  const onnx::ModelProto m = opencv_form(g);
  EXPECT_EQ(m.SerializeAsString(), onnx_io::export_model(g, make_weights(g, 1)).SerializeAsString());
}

TEST(OpenCvOnnxForm, MixedPoolsGetTheirCountedPaddingAsAnExplicitPad) {
  const onnx::ModelProto m = opencv_form(mixed_average_pools());
  EXPECT_EQ(m.producer_name(), "formbench");
  ASSERT_EQ(count_ops(m, "Pad"), 1);
  for (const auto& node : m.graph().node()) {
    if (node.op_type() != "AveragePool" || node.name() != "counting") continue;
    EXPECT_EQ(node.input(0), "counting.counted_pad");
    for (const auto& a : node.attribute()) EXPECT_NE(a.name(), "pads") << "the counted padding is now the Pad's";
  }
}

// --- options, environment, errors -------------------------------------------------

TEST(OpenCv, RejectsVariantsAndIsaCaps) {
  const Graph g = parse_model("pattern:standard depth=1 width=8 res=8").build(1);
  const BackendChoice variant = choose_backend("opencv:fast", 1);
  EXPECT_THROW(variant.backend->check_options(variant.options), UsageError);
  EXPECT_THROW(variant.backend->compile(g, make_weights(g, 1), variant.options), UsageError);
  BackendChoice c = choose_backend("opencv", 1);
  c.options.isa = "avx2";
  for (int compile = 0; compile < 2; ++compile) {
    try {
      if (compile) c.backend->compile(g, make_weights(g, 1), c.options);
      else c.backend->check_options(c.options);
      ADD_FAILURE() << "opencv accepted isa=avx2, which it cannot apply";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot cap its instruction set (got isa=avx2)"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("CPU dispatch is fixed"), std::string::npos) << e.what();
    }
  }
}

TEST(OpenCv, EnvironmentNamesVersionThreadsAndDispatch) {
  BackendOptions opts;
  opts.threads = 2;
  const Facts env = choose_backend("opencv", 2).backend->environment(opts);
  std::map<std::string, std::string> facts(env.begin(), env.end());
  for (const auto& [key, value] : env) {
    EXPECT_EQ(key.rfind("opencv.", 0), 0u) << key;
    EXPECT_NE(value, "") << key;
  }
  EXPECT_EQ(facts["opencv.version"].rfind("4.", 0), 0u) << facts["opencv.version"];
  EXPECT_EQ(facts["opencv.threads"], "2");
  EXPECT_NE(facts["opencv.parallel"], "unknown");
  EXPECT_NE(facts["opencv.cpu_features"].find("SSE2"), std::string::npos) << facts["opencv.cpu_features"];
  EXPECT_TRUE(facts.count("opencv.avx2"));
  EXPECT_EQ(facts["opencv.dnn_backend"], "DNN_BACKEND_OPENCV");
  EXPECT_EQ(facts["opencv.dnn_target"], "DNN_TARGET_CPU");
}

// Clip with its bounds as input tensors (opset 11 onwards; formbench exports
// opset 10's attribute form for this reason): OpenCV 4.6's importer refuses it.
std::string clip_with_tensor_bounds() {
  onnx::ModelProto m;
  m.set_ir_version(6);
  m.add_opset_import()->set_version(11);
  auto* g = m.mutable_graph();
  g->set_name("clip11");
  auto value = [](onnx::ValueInfoProto* v, const std::string& name) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {1, 2, 3, 3}) t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  value(g->add_input(), "x");
  value(g->add_output(), "y");
  *g->add_initializer() = onnx_io::to_proto("lo", onnx_io::Constant{{}, false, {}, {0.0f}});
  *g->add_initializer() = onnx_io::to_proto("hi", onnx_io::Constant{{}, false, {}, {6.0f}});
  auto* n = g->add_node();
  n->set_name("clip");
  n->set_op_type("Clip");
  for (const char* in : {"x", "lo", "hi"}) n->add_input(in);
  n->add_output("y");
  onnx_io::check_model(m, "the Clip-11 model");
  return m.SerializeAsString();
}

TEST(OpenCv, ModelOpenCvCannotRunIsAnErrorWithOpenCvsOwnMessage) {
  try {
    opencv_engine::compile_onnx(clip_with_tensor_bounds(), Shape{1, 2, 3, 3}, Shape{1, 2, 3, 3}, 1);
    FAIL() << "OpenCV ran a Clip with tensor bounds; if a newer OpenCV does, drop this test's premise";
  } catch (const UsageError& e) {
    FAIL() << "a model OpenCV cannot run is not the user's mistake: " << e.what();
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("opencv: OpenCV 4.", 0), 0u) << what;
    EXPECT_NE(what.find("cannot run this model: "), std::string::npos) << what;
    EXPECT_NE(what.find("Clip"), std::string::npos) << "OpenCV's message names the node: " << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.find("in function '"), std::string::npos) << "OpenCV's source location is noise: " << what;
  }
}

TEST(OpenCvMessage, KeepsTheNodeAndReasonAndDropsTheLocation) {
  // What OpenCV 4.6.0 throws for a Clip with tensor bounds.
  const std::string what =
      "OpenCV(4.6.0) ./modules/dnn/src/onnx/onnx_importer.cpp:1040: error: (-2:Unspecified error) in function "
      "'handleNode'\n> Node [Clip@ai.onnx]:(onnx_node!clip) parse error: OpenCV(4.6.0) "
      "./modules/dnn/src/onnx/onnx_importer.cpp:1934: error: (-2:Unspecified error) in function 'void "
      "cv::dnn::dnn4_v20220524::ONNXImporter::parseClip(cv::dnn::dnn4_v20220524::LayerParams&, const "
      "opencv_onnx::NodeProto&)'\n> >  (expected: 'node_proto.input_size() == 1'), where\n> >     "
      "'node_proto.input_size()' is 3\n> > must be equal to\n> >     '1' is 1\n> \n";
  EXPECT_EQ(opencv_message::useful_line(what),
            "Node [Clip@ai.onnx]:(onnx_node!clip) parse error: (expected: 'node_proto.input_size() == 1'), where "
            "'node_proto.input_size()' is 3 must be equal to '1' is 1");
  EXPECT_EQ(opencv_message::useful_line("> \n"), "(OpenCV gave no message)");
  EXPECT_LE(opencv_message::useful_line(std::string(5000, 'x')).size(), 400u);
}

// --- explain: the layers that run, fused ------------------------------------------

TEST(OpenCvPlan, ReadsFusedClustersAndSingleLayersFromTheDump) {
  const std::string dump =
      "digraph G {\n"
      "\t\"cluster_4\" [label=\"{onnx_node!stem.conv\\nConvolution\\nkernel_size (HxW): 3 x 3\\lgroup: 1\\l | "
      "onnx_node!stem.bn\\nBatchNorm\\n | onnx_node!stem.relu\\nReLU\\noutput: 1 x 16 x 8 x 8\\lOCV/CPU\\n }\" "
      "fillcolor=\"#ffffb3\" style=filled shape=record]\n"
      "\t\"onnx_node!gap\" [label=\"onnx_node!gap\\nPooling\\npool: AVE\\loutput: 1 x 16 x 1 x 1\\lOCV/CPU\\n\" "
      "fillcolor=\"#ffffb3\" style=filled shape=box]\n"
      "\t\"_input\" -> \"cluster_4\"\n}\n";
  EXPECT_EQ(opencv_plan::readable(dump),
            "  Convolution + BatchNorm + ReLU -> 1 x 16 x 8 x 8   (stem.conv, stem.bn, stem.relu)\n"
            "  Pooling -> 1 x 16 x 1 x 1   (gap)\n");
  EXPECT_EQ(opencv_plan::readable("digraph G {\n}\n"), "");
}

TEST(OpenCvPlan, ExplainShowsOpenCvsFusionOfARealNetwork) {
  const Graph g = parse_model("pattern:bottleneck depth=1 width=16 res=16").build(1);
  const BackendChoice c = choose_backend("opencv", 1);
  const std::string plan = c.backend->compile(g, make_weights(g, 1), c.options)->explain();
  EXPECT_NE(plan.find("Convolution + BatchNorm + ReLU"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Eltwise + ReLU"), std::string::npos) << "the residual add's ReLU is fused: " << plan;
}

}  // namespace
}  // namespace fb
