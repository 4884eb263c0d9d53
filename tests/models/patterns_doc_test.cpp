// docs/patterns.md against the code: the test reads the doc's tables and
// formulas themselves (not a copy), evaluates every closed form and compares
// it with the cost model (what `formbench describe` prints), and checks each
// pattern's weight layers per block. Editing either side alone fails here.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "graph/cost.h"
#include "models/catalog.h"

namespace fb {
namespace {

using Vars = std::map<std::string, long double>;

// The doc's formula syntax: sums of products of integers and variables,
// juxtaposed or joined by `·`, with `²` and `/`; variables are one letter or
// the names P_block / M_block.
class Formula {
 public:
  Formula(std::string text, const Vars& vars) : text_(std::move(text)), vars_(vars) {}

  long double eval() {
    long double v = sum();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected '" + text_.substr(pos_) + "'");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("formula '" + text_ + "': " + why);
  }
  void skip_space() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool eat(const std::string& token) {
    skip_space();
    if (text_.compare(pos_, token.size(), token) != 0) return false;
    pos_ += token.size();
    return true;
  }
  long double sum() {
    long double v = product();
    while (eat("+")) v += product();
    return v;
  }
  long double product() {
    long double v = factor();
    for (;;) {
      if (eat("/")) {
        v /= factor();
      } else if (eat("·") || eat("*")) {
        v *= factor();
      } else {
        skip_space();
        if (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '('))
          v *= factor();
        else
          return v;
      }
    }
  }
  long double factor() {
    skip_space();
    long double v;
    if (eat("(")) {
      v = sum();
      if (!eat(")")) fail("missing ')'");
    } else if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      size_t end = pos_;
      while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) ++end;
      v = std::stold(text_.substr(pos_, end - pos_));
      pos_ = end;
    } else {
      std::string name;
      for (const char* multi : {"P_block", "M_block"})
        if (text_.compare(pos_, std::string(multi).size(), multi) == 0) name = multi;
      if (name.empty() && pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])))
        name = text_.substr(pos_, 1);
      if (name.empty()) fail("expected a number or variable at '" + text_.substr(pos_) + "'");
      pos_ += name.size();
      auto it = vars_.find(name);
      if (it == vars_.end()) fail("unknown variable '" + name + "'");
      v = it->second;
    }
    if (eat("²")) v *= v;
    return v;
  }

  std::string text_;
  const Vars& vars_;
  size_t pos_ = 0;
};

long double eval(const std::string& text, const Vars& vars) { return Formula(text, vars).eval(); }

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" `"));
  s.erase(s.find_last_not_of(" `") + 1);
  return s;
}

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::stringstream in(row.substr(1));
  for (std::string cell; std::getline(in, cell, '|');) out.push_back(trim(cell));
  return out;
}

struct BlockForm {
  std::string define_var, define_expr;  // "(b = w/r)" in the pattern cell
  std::string params, macs;
};

struct Doc {
  std::map<std::string, int> layers_per_block;  // from the first table
  std::map<std::string, BlockForm> blocks;      // from the closed-form table
  std::string network_params, network_macs;     // "params = ..." and "MACs = ..."
};

bool is_pattern(const std::string& pattern) {
  for (const auto& d : model_catalog())
    if (d.name == "pattern:" + pattern) return true;
  return false;
}

Doc read_doc() {
  std::ifstream in(FB_SOURCE_DIR "/docs/patterns.md");
  if (!in) throw std::runtime_error("cannot read " FB_SOURCE_DIR "/docs/patterns.md");
  Doc doc;
  const std::regex pattern_cell(R"(^(\w+)(?: \((\w) = ([^)]*)\)| \(\w\))?$)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("params = ", 0) == 0) doc.network_params = line.substr(9);
    if (line.rfind("MACs", 0) == 0 && line.find('=') != std::string::npos)
      doc.network_macs = line.substr(line.find('=') + 1);
    if (line.empty() || line[0] != '|') continue;
    auto c = cells(line);
    std::smatch m;
    if (c.size() < 3 || !std::regex_match(c[0], m, pattern_cell) || !is_pattern(m[1])) continue;
    if (c.size() == 4) {  // | pattern | block | weight layers per block | knob |
      doc.layers_per_block[m[1]] = std::stoi(c[2]);
    } else {  // | pattern (def) | P_block | M_block |
      doc.blocks[m[1]] = {m[2], m[3], c[1], c[2]};
    }
  }
  return doc;
}

TEST(PatternsDoc, HasEveryPatternAndBothNetworkFormulas) {
  Doc doc = read_doc();
  EXPECT_EQ(doc.layers_per_block.size(), 6u);
  EXPECT_EQ(doc.blocks.size(), 6u);
  EXPECT_FALSE(doc.network_params.empty());
  EXPECT_FALSE(doc.network_macs.empty());
}

// Each row's knobs as the doc's one-letter variables.
Vars knob_vars(const ModelSpec& s) {
  Vars v;
  const std::map<std::string, std::string> letter = {{"width", "w"},     {"depth", "d"},     {"classes", "k"},
                                                     {"reduction", "r"}, {"expansion", "e"}, {"groups", "g"}};
  for (const auto& [name, value] : s.knobs)
    if (letter.count(name)) v[letter.at(name)] = static_cast<long double>(value);
  const long double side = std::floor((s.knob("res") - 1) / 2.0L) + 1;  // after the stride-2 stem
  v["S"] = side * side;
  return v;
}

TEST(PatternsDoc, EveryClosedFormMatchesTheCostModel) {
  Doc doc = read_doc();
  for (const auto& [pattern, form] : doc.blocks) {
    std::vector<std::string> extra = {""};
    if (pattern == "dw_bottleneck") extra = {"", " expansion=6", " expansion=3 reduction=2", " reduction=8"};
    if (pattern == "bottleneck") extra = {"", " reduction=2"};
    if (pattern == "grouped") extra = {"", " groups=4"};
    for (const auto& knobs : extra)
      for (int depth : {1, 10, 50})
        for (int width : {32, 64, 512})
          for (int res : {224, 33}) {
            const std::string text = "pattern:" + pattern + " depth=" + std::to_string(depth) +
                                     " width=" + std::to_string(width) + " res=" + std::to_string(res) + knobs;
            SCOPED_TRACE(text);
            ModelSpec spec = parse_model(text);
            GraphCost cost = cost_of(spec.build(1));
            Vars v = knob_vars(spec);
            if (!form.define_var.empty()) v[form.define_var] = eval(form.define_expr, v);
            v["P_block"] = eval(form.params, v);
            v["M_block"] = eval(form.macs, v);
            EXPECT_EQ(std::llround(eval(doc.network_params, v)), cost.total.params);
            EXPECT_EQ(std::llround(eval(doc.network_macs, v)), cost.total.macs);
          }
  }
}

TEST(PatternsDoc, WeightLayersPerBlockMatchTheGraph) {
  Doc doc = read_doc();
  for (const auto& [pattern, layers] : doc.layers_per_block) {
    for (const char* knobs : {"", " expansion=6"}) {
      if (*knobs && pattern != "dw_bottleneck") continue;
      Graph g = parse_model("pattern:" + pattern + " depth=7 width=32 res=16" + knobs).build(1);
      int convs = 0, linears = 0;
      for (const auto& n : g.nodes) {
        convs += n.op == OpKind::Conv;
        linears += n.op == OpKind::Linear;
      }
      EXPECT_EQ(convs, 1 + 7 * layers) << pattern << knobs;  // the stem, then the blocks
      EXPECT_EQ(linears, 1) << pattern;
    }
  }
}

}  // namespace
}  // namespace fb
