// TOML spec parsing. The format (docs/study.md):
//   name = "..."                      optional, defaults to the file's stem
//   [measure]  timeout, min_runs, min_time, args
//   [defaults] any group key but name, inherited by every group
//   [[group]]  name, models | patterns + depth/width/res, batch, backends,
//              threads, isa, precision, cache_sim, env
#include "study/spec.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/backend.h"  // kMaxThreads only: the study layer links no backend
#include "common/error.h"
#include "common/precision.h"
#include "common/parse_number.h"
#include "models/catalog.h"
#include "study/presets.h"
#include "study/toml.h"

namespace fb::study {
namespace {

const std::vector<std::string> kGroupKeys = {"name",    "models",  "patterns", "depth", "width",     "res",
                                             "batch",   "backends", "threads", "isa",   "cache_sim", "env",
                                             "experiment", "kind", "profile", "check", "precision"};
const std::vector<std::string> kMeasureKeys = {"timeout", "min_runs", "min_time", "args"};
const std::vector<std::string> kTopKeys = {"name", "measure", "defaults", "group"};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool token_ok(const std::string& s, const std::string& extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string::npos;
  });
}

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node& at, const std::string& msg) const {
    throw UsageError(file_ + ":" + std::to_string(at.source().begin.line) + ": " + msg);
  }

  void check_keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where) const {
    for (const auto& [k, v] : t)
      if (std::find(allowed.begin(), allowed.end(), std::string(k.str())) == allowed.end())
        fail(v, "unknown key '" + std::string(k.str()) + "' in " + where + "; expected one of: " + join(allowed));
  }

  // A scalar or a list of scalars of type T, as a list.
  template <typename T>
  std::vector<T> list(const toml::node& n, const std::string& key, const char* type_name) const {
    std::vector<T> out;
    auto take = [&](const toml::node& x) {
      if (auto v = x.value_exact<T>()) {
        out.push_back(*v);
      } else {
        fail(x, "'" + key + "' must be " + type_name + " or a list of them");
      }
    };
    if (const auto* arr = n.as_array()) {
      if (arr->empty()) fail(n, "'" + key + "' is an empty list; give at least one value or leave the key out");
      for (const auto& x : *arr) take(x);
    } else {
      take(n);
    }
    return out;
  }

  std::vector<int64_t> ints(const toml::node& n, const std::string& key, int64_t min, int64_t max) const {
    auto v = list<int64_t>(n, key, "an integer");
    for (int64_t x : v)
      if (x < min || x > max)
        fail(n, "'" + key + "' = " + std::to_string(x) + " is out of range (" + std::to_string(min) + ".." +
                    std::to_string(max) + ")");
    return v;
  }

  // A pattern knob's values, in the range the pattern models accept.
  std::vector<int64_t> knob_values(const toml::node& n, const std::string& key) const {
    for (const auto& k : find_model("pattern:standard").knobs)
      if (k.name == key) return ints(n, key, k.min_value, k.max_value);
    fail(n, "'" + key + "' is not a pattern knob");
  }

  std::vector<std::string> tokens(const toml::node& n, const std::string& key, const std::string& extra,
                                  const std::string& expected) const {
    auto v = list<std::string>(n, key, "a string");
    for (const auto& s : v)
      if (!token_ok(s, extra)) fail(n, "'" + key + "' value '" + s + "' is not valid; expected " + expected);
    return v;
  }

  double duration(const toml::node& n, const std::string& key, double min_s, double max_s) const {
    try {
      if (auto v = n.value<double>()) return check_duration(*v, key, min_s, max_s);
      if (auto s = n.value_exact<std::string>()) return fb::parse_duration(*s, key, min_s, max_s);
    } catch (const UsageError& e) {
      fail(n, e.what());
    }
    fail(n, "'" + key + "' must be seconds or a duration string such as \"90s\" or \"30m\"");
  }

  void group_keys(const toml::table& t, SweepGroup& g) const {
    for (const auto& [key_view, node] : t) {
      const std::string key(key_view.str());
      if (key == "name") {
        auto s = node.value_exact<std::string>();
        if (!s) fail(node, "'name' must be a string");
        g.name = *s;
      } else if (key == "experiment") {
        auto s = node.value_exact<std::string>();
        if (!s || s->empty()) fail(node, "'experiment' must be a non-empty string, e.g. experiment = \"depth\"");
        g.experiment = *s;
      } else if (key == "kind") {
        auto s = node.value_exact<std::string>();
        const auto& kinds = experiment_kinds();
        if (!s || std::find(kinds.begin(), kinds.end(), *s) == kinds.end())
          fail(node, "'kind' must be one of: " + join(kinds));
        g.kind = *s;
      } else if (key == "models") {
        g.models = list<std::string>(node, key, "a model descriptor string");
        for (const auto& m : g.models) check_model(node, m);
      } else if (key == "patterns") {
        g.patterns = list<std::string>(node, key, "a pattern name");
        for (auto& p : g.patterns) {
          if (p.rfind("pattern:", 0) == 0) p = p.substr(8);
          if (std::find(study_patterns().begin(), study_patterns().end(), p) == study_patterns().end())
            fail(node, "unknown pattern '" + p + "'; expected one of: " + join(study_patterns()));
        }
      } else if (key == "depth") {
        g.depths = knob_values(node, key);
      } else if (key == "width") {
        g.widths = knob_values(node, key);
      } else if (key == "res") {
        g.resolutions = knob_values(node, key);
      } else if (key == "batch") {
        g.batches = ints(node, key, 1, kMaxBatch);
      } else if (key == "threads") {
        g.threads = ints(node, key, 0, kMaxThreads);
      } else if (key == "backends") {
        g.backends = tokens(node, key, "_-:", "a backend name such as \"torch\" or \"onednn:nofuse\"");
        for (const auto& b : g.backends)
          if (std::count(b.begin(), b.end(), ':') > 1 || b.front() == ':' || b.back() == ':')
            fail(node, "backend '" + b + "' is not of the form NAME or NAME:VARIANT");
      } else if (key == "isa") {
        g.isas = tokens(node, key, "_", "an ISA name such as \"avx2\" or \"avx512_core\"");
      } else if (key == "precision") {
        g.precisions = tokens(node, key, "", "a precision: \"fp32\", \"bf16\" or \"int8\"");
        for (const auto& p : g.precisions) {
          try {
            parse_precision(p);
          } catch (const UsageError& e) {
            fail(node, e.what());
          }
        }
      } else if (key == "profile") {
        auto b = node.value_exact<bool>();
        if (!b) fail(node, "'profile' must be true or false");
        g.profile = *b;
      } else if (key == "check") {
        auto b = node.value_exact<bool>();
        if (!b) fail(node, "'check' must be true or false (true: compare each output with the reference backend's)");
        g.check = *b;
      } else if (key == "cache_sim") {
        if (auto b = node.value_exact<bool>()) {
          g.cache_sims = *b ? std::vector<std::string>{"host"} : std::vector<std::string>{};
        } else {
          g.cache_sims = tokens(node, key, "_,.-", "true, false, \"host\", \"i5-7600k\" or \"SIZE,ASSOC,LINE\"");
        }
      } else if (key == "env") {
        const auto* env = node.as_table();
        if (!env) fail(node, "'env' must be a table, e.g. env = { OMP_WAIT_POLICY = \"passive\" }");
        g.env.clear();
        for (const auto& [name, value] : *env) {
          std::string n(name.str());
          if (!token_ok(n, "_") || std::isdigit(static_cast<unsigned char>(n[0])))
            fail(value, "environment variable name '" + n + "' is not valid; expected letters, digits and _");
          std::string v;
          if (auto s = value.value_exact<std::string>()) v = *s;
          else if (auto i = value.value_exact<int64_t>()) v = std::to_string(*i);
          else fail(value, "env." + n + " must be a string or an integer");
          if (v.empty() || std::any_of(v.begin(), v.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
            fail(value, "env." + n + " = '" + v + "': values must be non-empty and without spaces (they go into the descriptor)");
          g.env.emplace_back(n, v);
        }
      }
    }
  }

  // Debian's toml++ 3.3 has undefined behaviour on some text that is not
  // TOML anyway: code points U+00A1..U+0499 where it looks for whitespace
  // (__builtin_unreachable), and a table header whose name does not start
  // with a key character or a quote (a false assumption). Such text never
  // reaches it; every value a spec holds is ASCII.
  void refuse_unsupported_text(const std::string& text) const {
    int line = 1;
    for (char c : text) {
      const auto b = static_cast<unsigned char>(c);
      if (c == '\n') ++line;
      if (b >= 0x80)
        throw UsageError(file_ + ":" + std::to_string(line) +
                         ": non-ASCII character; a spec is ASCII text, comments included (see docs/study.md)");
      if ((b < 0x20 && c != '\n' && c != '\r' && c != '\t') || b == 0x7f)
        throw UsageError(file_ + ":" + std::to_string(line) + ": control character (byte " + std::to_string(b) +
                         "); a spec is plain text (see docs/study.md)");
    }
    std::istringstream lines(text);
    line = 0;
    for (std::string l; std::getline(lines, l);) {
      ++line;
      size_t i = l.find_first_not_of(" \t");
      if (i == std::string::npos || l[i] != '[') continue;
      i = l.find_first_not_of(" \t[", i);
      const char c = i == std::string::npos ? '\n' : l[i];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string("_-\"']").find(c) != std::string::npos))
        throw UsageError(file_ + ":" + std::to_string(line) + ": '" + l.substr(0, i == std::string::npos ? l.size() : i + 1) +
                         "': a table header starts with a name, e.g. [measure] or [[group]]");
    }
  }

  void check_model(const toml::node& at, const std::string& text) const {
    try {
      resolve_model(Descriptor::parse(text));
    } catch (const UsageError& e) {
      fail(at, e.what());
    }
  }

  SweepSpec parse(const std::string& text) {
    refuse_unsupported_text(text);
    toml::table root;
    try {
      root = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      throw UsageError(file_ + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()) +
                       "; expected TOML (see docs/study.md for the spec format)");
    } catch (const TomlCheckFailed&) {
      throw UsageError(file_ + ": not valid TOML (the parser stopped on a malformed value, array or table header); "
                       "check brackets, braces and commas (see docs/study.md for the spec format)");
    }
    check_keys(root, kTopKeys, "the spec");
    SweepSpec spec;
    spec.source = file_;
    spec.name = std::filesystem::path(file_).stem().string();
    if (const auto* n = root.get("name")) {
      auto s = n->value_exact<std::string>();
      if (!s || s->empty()) fail(*n, "'name' must be a non-empty string");
      spec.name = *s;
    }
    if (const auto* m = root.get("measure")) {
      const auto* t = m->as_table();
      if (!t) fail(*m, "'measure' must be a table: [measure]");
      check_keys(*t, kMeasureKeys, "[measure]");
      if (const auto* n = t->get("timeout")) spec.measure.timeout_s = duration(*n, "timeout", 1, 7 * 86400);
      if (const auto* n = t->get("min_time")) spec.measure.min_time_s = duration(*n, "min_time", 0, 86400);
      if (const auto* n = t->get("min_runs"))
        spec.measure.min_runs = static_cast<int>(ints(*n, "min_runs", 1, 1'000'000).at(0));
      if (const auto* n = t->get("args")) spec.measure.args = list<std::string>(*n, "args", "a string");
    }
    SweepGroup defaults;
    if (const auto* d = root.get("defaults")) {
      const auto* t = d->as_table();
      if (!t) fail(*d, "'defaults' must be a table: [defaults]");
      auto keys = kGroupKeys;
      keys.erase(keys.begin());  // a default name makes no sense
      check_keys(*t, keys, "[defaults]");
      group_keys(*t, defaults);
    }
    const auto* groups = root.get("group");
    if (!groups) throw UsageError(file_ + ": no [[group]] tables; a spec needs at least one (see docs/study.md)");
    const auto* arr = groups->as_array();
    if (!arr || !arr->is_array_of_tables()) fail(*groups, "'group' must be an array of tables: [[group]]");
    for (const auto& node : *arr) {
      const auto& t = *node.as_table();
      check_keys(t, kGroupKeys, "[[group]]");
      SweepGroup g = defaults;
      g.name = "group" + std::to_string(spec.groups.size() + 1);
      group_keys(t, g);
      if (g.models.empty() && g.patterns.empty())
        fail(node, "group '" + g.name + "' has neither 'models' nor 'patterns'; give at least one");
      if (g.patterns.empty() && !(g.depths.empty() && g.widths.empty() && g.resolutions.empty()))
        fail(node, "group '" + g.name + "' sets depth/width/res without 'patterns'; they apply to the pattern grid");
      if (g.backends.empty())
        fail(node, "group '" + g.name + "' has no 'backends' (here or in [defaults]); e.g. backends = [\"torch\", \"onednn\"]");
      spec.groups.push_back(std::move(g));
    }
    try {
      spec_experiments(spec);
    } catch (const UsageError& e) {
      throw UsageError(file_ + ": " + e.what());
    }
    return spec;
  }

 private:
  std::string file_;
};

}  // namespace

const std::vector<std::string>& experiment_kinds() {
  static const std::vector<std::string> k = {"depth", "width", "cache", "zoo", "ablation", "isa", "precision", "profile", "peers", "other"};
  return k;
}

bool is_peer_backend(const std::string& backend) {
  const std::string name = backend.substr(0, backend.find(':'));
  return name == "ort" || name == "opencv";
}

std::string experiment_kind(const SweepGroup& g) {
  if (!g.kind.empty()) return g.kind;
  if (g.profile) return "profile";
  if (!g.cache_sims.empty()) return "cache";
  for (const auto& b : g.backends)
    if (is_peer_backend(b)) return "peers";
  for (const auto& b : g.backends)
    if (b.find(':') != std::string::npos) return "ablation";
  if (g.isas.size() > 1) return "isa";
  if (g.precisions.size() > 1) return "precision";
  if (!g.patterns.empty() && g.depths.size() > 1) return "depth";
  if (!g.patterns.empty() && g.widths.size() > 1) return "width";
  if (g.patterns.empty() && !g.models.empty()) return "zoo";
  return "other";
}

std::vector<std::pair<std::string, std::string>> spec_experiments(const SweepSpec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& g : spec.groups) {
    const std::string name = experiment_name(g), kind = experiment_kind(g);
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == name; });
    if (it == out.end()) out.emplace_back(name, kind);
    else if (it->second != kind)
      throw UsageError("experiment '" + name + "' is a '" + it->second + "' experiment in one group and a '" + kind +
                       "' one in group '" + g.name + "'; give its groups one kind (kind = \"" + it->second +
                       "\") or different experiment names");
  }
  return out;
}

SweepSpec parse_spec(const std::string& toml_text, const std::string& file_name) {
  return Parser(file_name).parse(toml_text);
}

SweepSpec load_spec(const std::string& name) {
  if (is_preset(name)) return preset(name);
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec))
    throw UsageError("spec '" + name + "' is a directory; give a spec file (.toml) or a preset: " + join(preset_names()));
  std::ifstream in(name);
  if (!in) {
    if (name.find('/') == std::string::npos && name.find(".toml") == std::string::npos)
      throw UsageError("unknown preset '" + name + "'; presets: " + join(preset_names()) +
                       "; or give the path of a .toml spec");
    throw UsageError("cannot read spec file '" + name + "'");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_spec(text.str(), name);
}

double parse_duration(const std::string& text, const std::string& what) { return fb::parse_duration(text, what); }

}  // namespace fb::study
