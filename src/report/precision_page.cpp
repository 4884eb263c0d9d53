#include "report/precision_page.h"

#include <fmt/core.h>

#include "report/escape.h"

namespace fb::report {
namespace {

std::string how_to_read(const BackendRoles& roles) {
  return fmt::format(
      "Latency per image (median, ms) of each backend at each precision it ran. At a reduced precision, in parentheses, "
      "its speed-up over the same backend's fp32 (same configuration, batch and threads), then how far its logits moved "
      "from that backend's fp32 logits on the same seeded weights and inputs (the model at batch 1): max rel = the largest "
      "|difference| / max|fp32 logit| over the inputs; top-1 and top-5 = the share of inputs whose fp32 top-1 class is "
      "this run's top 1 (among its top 5); confident top-1 = the top-1 agreement on the inputs whose fp32 top-1 margin is "
      "largest (random weights give nearly flat logits, on which top-1 flips on noise). The last column is {}'s speed-up "
      "over {}, both at fp32. The findings above give the mean speed-ups, whether the patterns' ranking changes and the "
      "worst accuracy.",
      roles.accelerated, roles.native);
}

std::string percent(double fraction) { return fmt::format("{:.3g} %", 100 * fraction); }

std::string accuracy_words(const Measurement& m) {
  if (!m.accuracy) return "accuracy not recorded";
  const AccuracySection& a = *m.accuracy;
  if (!a.error.empty()) return "accuracy not compared: " + a.error;
  std::string s = fmt::format("max rel {:.1e}, top-1 {}, top-5 {}", a.max_rel, percent(a.top1), percent(a.top5));
  if (a.confident_inputs > 0) s += fmt::format(", confident top-1 {} of {}", percent(a.confident_top1), a.confident_inputs);
  return s;
}

// One backend at one precision in words: "4 ms (1.60x over fp32); max rel 5.0e-02, ...", or why there is none.
std::string cell_words(const PrecisionRow& r, const BackendPrecision& column) {
  auto it = r.cells.find(column);
  if (it == r.cells.end()) return "not measured";
  if (!it->second.m) return "could not run: " + it->second.failed;
  const Measurement& m = *it->second.m;
  std::string s = fmt::format("{:.3g} ms", m.per_image_ms);
  if (column.second == "fp32") return s;
  const auto x = r.over_fp32(column.first, column.second);
  s += x ? fmt::format(" ({:.2f}x over fp32)", *x) : " (no fp32 row)";
  return s + "; " + accuracy_words(m);
}

std::string acceleration_words(const PrecisionRow& r, const BackendRoles& roles) {
  const auto x = r.fp32_acceleration(roles);
  return x ? fmt::format("{:.2f}x", *x) : "";
}

bool has_group(const PrecisionTable& t, bool zoo) {
  for (const auto& r : t.rows)
    if (r.pattern.empty() == zoo) return true;
  return false;
}

std::string column_name(const BackendPrecision& c) { return c.first + " " + c.second; }

}  // namespace

std::vector<std::string> precision_csv_header() {
  return {"experiment",          "configuration",     "name",
          "batch",               "threads",           "backend",
          "precision",           "ms_per_image",      "ci95_low",
          "ci95_high",           "speedup_over_fp32", "fp32_acceleration",
          "accuracy_max_rel",    "accuracy_mean_rel", "accuracy_top1",
          "accuracy_top5",       "accuracy_confident_inputs", "accuracy_confident_top1",
          "accuracy_confident_margin", "accuracy_calibration_inputs", "accuracy_error",
          "could_not_run"};
}

std::vector<std::vector<std::string>> precision_csv_rows(const std::vector<PrecisionTable>& tables, const BackendRoles& roles) {
  std::vector<std::vector<std::string>> rows;
  auto num = [](double v) { return fmt::format("{:.6g}", v); };
  auto opt = [&](const std::optional<double>& v) { return v ? num(*v) : ""; };
  for (const auto& t : tables)
    for (const auto& r : t.rows)
      for (const auto& column : t.columns) {
        auto it = r.cells.find(column);
        if (it == r.cells.end()) continue;
        std::vector<std::string> row{t.experiment, r.configuration, r.name, std::to_string(r.batch), std::to_string(r.threads),
                                     column.first, column.second};
        const auto& m = it->second.m;
        if (!m) {
          row.insert(row.end(), {"", "", "", "", opt(r.fp32_acceleration(roles)), "", "", "", "", "", "", "", "", "",
                                 it->second.failed});
          rows.push_back(std::move(row));
          continue;
        }
        const std::optional<double> over =
            column.second == "fp32" ? std::nullopt : r.over_fp32(column.first, column.second);
        row.insert(row.end(), {num(m->per_image_ms), num(m->per_image_ci_low), num(m->per_image_ci_high), opt(over),
                               opt(r.fp32_acceleration(roles))});
        if (m->accuracy && m->accuracy->error.empty()) {
          const AccuracySection& a = *m->accuracy;
          row.insert(row.end(), {num(a.max_rel), num(a.mean_rel), num(a.top1), num(a.top5), std::to_string(a.confident_inputs),
                                 num(a.confident_top1), num(a.confident_margin), std::to_string(a.calibration_inputs), ""});
        } else {
          row.insert(row.end(), {"", "", "", "", "", "", "", "", m->accuracy ? m->accuracy->error : ""});
        }
        row.push_back("");
        rows.push_back(std::move(row));
      }
  return rows;
}

void write_precision_markdown(std::ostream& out, const std::vector<PrecisionTable>& tables, const BackendRoles& roles) {
  if (tables.empty()) return;
  out << "\n## Reduced precision\n\n" << markdown_escape(how_to_read(roles)) << " All numbers: tables/precision.csv.\n";
  for (const auto& t : tables)
    for (bool zoo : {false, true}) {
      if (!has_group(t, zoo)) continue;
      out << "\n### " << markdown_escape(t.experiment) << ", " << (zoo ? "zoo" : "patterns") << "\n\n| model | batch |";
      for (const auto& c : t.columns) out << " " << markdown_escape(column_name(c)) << " |";
      out << " " << markdown_escape(fmt::format("{} over {} at fp32", roles.accelerated, roles.native)) << " |\n|---|---|";
      for (size_t i = 0; i <= t.columns.size(); ++i) out << "---|";
      out << "\n";
      for (const auto& r : t.rows) {
        if (r.pattern.empty() != zoo) continue;
        out << "| " << markdown_escape(r.name) << " | " << r.batch << " |";
        for (const auto& c : t.columns) out << " " << markdown_escape(cell_words(r, c)) << " |";
        out << " " << markdown_escape(acceleration_words(r, roles)) << " |\n";
      }
    }
}

void write_precision_html(std::ostream& out, const std::vector<PrecisionTable>& tables, const BackendRoles& roles) {
  if (tables.empty()) return;
  out << "<h2>Reduced precision</h2>\n<p>" << html_escape(how_to_read(roles))
      << " All numbers: <a href=\"tables/precision.csv\">tables/precision.csv</a>.</p>\n";
  for (const auto& t : tables)
    for (bool zoo : {false, true}) {
      if (!has_group(t, zoo)) continue;
      out << "<h3>" << html_escape(t.experiment) << ", " << (zoo ? "zoo" : "patterns")
          << "</h3>\n<table><tr><th>model</th><th>batch</th>";
      for (const auto& c : t.columns) out << "<th>" << html_escape(column_name(c)) << "</th>";
      out << "<th>" << html_escape(fmt::format("{} over {} at fp32", roles.accelerated, roles.native)) << "</th></tr>\n";
      for (const auto& r : t.rows) {
        if (r.pattern.empty() != zoo) continue;
        out << "<tr><td><code>" << html_escape(r.name) << "</code></td><td>" << r.batch << "</td>";
        for (const auto& c : t.columns) out << "<td>" << html_escape(cell_words(r, c)) << "</td>";
        out << "<td>" << html_escape(acceleration_words(r, roles)) << "</td></tr>\n";
      }
      out << "</table>\n";
    }
}

}  // namespace fb::report
