#include "measure/precision_accuracy.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "graph/weights.h"

namespace fb {
namespace {

// Indices of the k largest values, largest first.
std::vector<size_t> top_k(const std::vector<float>& v, size_t k) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  k = std::min(k, v.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](size_t a, size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
  idx.resize(k);
  return idx;
}

// fp32's top-1 minus top-2 logit over the logits' standard deviation: how far
// from a tie the decision is, in units that do not depend on the scale.
double margin(const std::vector<float>& logits) {
  if (logits.size() < 2) return 0;
  const auto top = top_k(logits, 2);
  double mean = 0, sq = 0;
  for (float x : logits) mean += x;
  mean /= static_cast<double>(logits.size());
  for (float x : logits) sq += (x - mean) * (x - mean);
  const double sd = std::sqrt(sq / static_cast<double>(logits.size()));
  return sd > 0 ? (logits[top[0]] - logits[top[1]]) / sd : 0;
}

std::vector<float> flat(const Tensor& t) { return std::vector<float>(t.ptr(), t.ptr() + t.shape.numel()); }

}  // namespace

AccuracySection compare_logits(const std::vector<std::vector<float>>& got, const std::vector<std::vector<float>>& fp32,
                               int confident_inputs) {
  if (got.size() != fp32.size() || got.empty()) throw Error("internal: accuracy needs one output per input, both sides");
  AccuracySection a;
  a.inputs = static_cast<int64_t>(got.size());
  double rel_sum = 0, count = 0;
  int top1 = 0, top5 = 0;
  std::vector<std::pair<double, bool>> by_margin;  // (fp32 margin, top-1 agrees)
  for (size_t i = 0; i < got.size(); ++i) {
    const auto& g = got[i];
    const auto& r = fp32[i];
    if (g.size() != r.size() || r.empty()) throw Error("internal: outputs of different sizes");
    double max_ref = 0;
    for (float x : r) max_ref = std::max(max_ref, static_cast<double>(std::fabs(x)));
    if (!(max_ref > 0) || !std::isfinite(max_ref)) throw UsageError("the fp32 output is all zero or not finite");
    for (size_t k = 0; k < g.size(); ++k) {
      const double rel = std::fabs(static_cast<double>(g[k]) - r[k]) / max_ref;
      if (!std::isfinite(rel)) throw UsageError("the reduced-precision output holds a NaN or an infinity");
      a.max_rel = std::max(a.max_rel, rel);
      rel_sum += rel;
      ++count;
    }
    const size_t want = top_k(r, 1)[0];
    const bool agrees = top_k(g, 1)[0] == want;
    const auto five = top_k(g, 5);
    top1 += agrees;
    top5 += std::find(five.begin(), five.end(), want) != five.end();
    by_margin.emplace_back(margin(r), agrees);
  }
  a.mean_rel = rel_sum / count;
  a.top1 = static_cast<double>(top1) / static_cast<double>(got.size());
  a.top5 = static_cast<double>(top5) / static_cast<double>(got.size());
  std::stable_sort(by_margin.begin(), by_margin.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  const size_t n = std::min(by_margin.size(), static_cast<size_t>(std::max(confident_inputs, 1)));
  int agree = 0;
  for (size_t i = 0; i < n; ++i) agree += by_margin[i].second;
  a.confident_inputs = static_cast<int64_t>(n);
  a.confident_top1 = static_cast<double>(agree) / static_cast<double>(n);
  a.confident_margin = by_margin[n - 1].first;
  return a;
}

AccuracySection accuracy_against_fp32(const MeasureConfig& c, const BackendChoice& choice, uint64_t seed) {
  AccuracySection a;
  a.against = "fp32 (the same backend)";
  a.inputs = kAccuracyInputs;
  try {
    const Graph g = c.model.build(1);
    const Weights w = c.model.weights(g, seed);
    BackendChoice fp32 = choice;
    fp32.options.precision = Precision::fp32;
    fp32.options.tuning_cache = nullptr;  // the comparison's compiles are not the measurement's
    BackendChoice reduced = choice;
    reduced.options.tuning_cache = nullptr;
    auto exe32 = fp32.backend->compile(g, w, fp32.options);
    auto exe = reduced.backend->compile(g, w, reduced.options);
    std::vector<std::vector<float>> got, ref;
    Tensor out32(g.output_shape()), out(g.output_shape());
    for (int i = 0; i < kAccuracyInputs; ++i) {
      const Tensor input = make_input(g.input_shape(), seed + kAccuracySeedOffset + static_cast<uint64_t>(i));
      exe32->run(input.ptr(), out32.ptr());
      exe->run(input.ptr(), out.ptr());
      ref.push_back(flat(out32));
      got.push_back(flat(out));
    }
    AccuracySection numbers = compare_logits(got, ref, kConfidentInputs);
    numbers.against = a.against;
    numbers.calibration_inputs = choice.options.precision == Precision::int8 ? choice.options.calibration_inputs : 0;
    return numbers;
  } catch (const std::exception& e) {  // UsageError or Error: the timing stands, the comparison says why it did not
    a.error = e.what();
  }
  return a;
}

}  // namespace fb
