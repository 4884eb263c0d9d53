// Every zoo network on every built-in backend. The plain-loop reference is too
// slow at full size, so each backend is compared with it at the smallest input
// the architecture allows, and the fast backends with each other at the
// standard input size.
#include <gtest/gtest.h>

#include "backends/backend.h"
#include "models/catalog.h"
#include "tests/backends/compare.h"

namespace fb {
namespace {

// fp32 through up to ~150 layers with different summation orders: the
// backends agree to ~1e-5 relative; 1e-3 leaves room without hiding a wrong
// layer (one of those moves the output by far more).
constexpr double kRelBound = 1e-3;

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const auto& m : model_catalog())
    if (m.family == "zoo") names.push_back(m.name);
  return names;
}

std::vector<std::string> fast_backends() {
  std::vector<std::string> names;
  for (const auto& b : backend_registry())
    if (b->name() != "reference") names.push_back(b->name());
  return names;
}

int64_t min_res(const ModelDef& m) {
  for (const auto& k : m.knobs)
    if (k.name == "res") return k.min_value;
  return 224;
}

class ZooOnBackends : public ::testing::TestWithParam<std::string> {};

TEST_P(ZooOnBackends, AgreesWithReferenceAtSmallInput) {
  const ModelDef& def = find_model(GetParam());
  ModelSpec spec = resolve_model(Descriptor{def.name, {{"res", std::to_string(min_res(def))}}});
  Graph g = spec.build(1);
  Weights w = make_weights(g, 11);
  Tensor input = make_input(g.input_shape(), 12);
  Tensor ref = run_once(choose_backend("reference", 1), g, w, input);
  for (const auto& b : fast_backends())
    test::expect_close(run_once(choose_backend(b, 2), g, w, input), ref, kRelBound, spec.str() + " on " + b);
}

TEST_P(ZooOnBackends, BackendsAgreeAtFullSize) {
  const auto backends = fast_backends();
  if (backends.size() < 2) GTEST_SKIP() << "fewer than two fast backends built in";
  ModelSpec spec = resolve_model(Descriptor{GetParam(), {}});
  Graph g = spec.build(1);
  Weights w = make_weights(g, 21);
  Tensor input = make_input(g.input_shape(), 22);
  Tensor first = run_once(choose_backend(backends[0], 2), g, w, input);
  for (size_t i = 1; i < backends.size(); ++i)
    test::expect_close(run_once(choose_backend(backends[i], 2), g, w, input), first, kRelBound,
                       spec.str() + ": " + backends[i] + " vs " + backends[0]);
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooOnBackends, ::testing::ValuesIn(zoo_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fb
