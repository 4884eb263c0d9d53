#include "report/peers_page.h"

#include <fmt/core.h>

#include <set>

#include "report/escape.h"

namespace fb::report {
namespace {

constexpr const char* kHowToRead =
    "Latency per image (median, ms) and, in parentheses, the speed-up over the native framework on the same "
    "configuration. 'check' is the output's relative error against the reference backend on the same seeded weights "
    "and input (the model at a 32x32 input, or the smallest its architecture allows, batch 1; it agrees when at most the bound). The last column is "
    "the fastest peer's latency over formbench's engine's: above 1, formbench's engine is faster.";

std::string check_words(const Measurement& m) {
  if (!m.check) return "";
  if (!m.check->error.empty()) return "check failed: " + m.check->error;
  return fmt::format("check {:.1e}{}", m.check->relative, m.check->agrees ? "" : " DISAGREES");
}

// One engine's cell in words: "3.21 ms (4.1x), check 2.0e-06", or why there is none.
std::string cell_words(const PeerRow& r, const std::string& engine, const BackendRoles& roles) {
  auto it = r.engines.find(engine);
  if (it == r.engines.end()) return "not measured";
  if (!it->second.m) return "could not run: " + it->second.failed;
  const Measurement& m = *it->second.m;
  std::string s = fmt::format("{:.3g} ms", m.per_image_ms);
  if (engine != roles.native)
    if (auto x = r.speedup_over_native(engine, roles)) s += fmt::format(" ({:.2f}x)", *x);
  if (auto c = check_words(m); !c.empty()) s += ", " + c;
  return s;
}

std::string versus_words(const PeerRow& r, const BackendRoles& roles) {
  auto x = r.accelerated_vs_best_peer(roles);
  return x ? fmt::format("{:.2f}x ({})", *x, r.best_peer) : "";
}

std::set<int64_t> batches_of(const PeerTable& t) {
  std::set<int64_t> b;
  for (const auto& r : t.rows) b.insert(r.batch);
  return b;
}

}  // namespace

std::vector<std::string> peers_csv_header() {
  return {"experiment", "configuration", "batch", "engine", "ms_per_image", "ci95_low", "ci95_high", "speedup_over_native",
          "check_relative_error", "check_agrees", "check_at", "outside_engine_ms_per_batch", "could_not_run"};
}

std::vector<std::vector<std::string>> peers_csv_rows(const std::vector<PeerTableOf>& tables, const BackendRoles& roles) {
  std::vector<std::vector<std::string>> rows;
  auto num = [](double v) { return fmt::format("{:.6g}", v); };
  for (const auto& [label, t] : tables)
    for (const auto& r : t.rows)
      for (const auto& engine : t.engines) {
        auto it = r.engines.find(engine);
        if (it == r.engines.end()) continue;
        std::vector<std::string> row{label, r.model, std::to_string(r.batch), engine};
        if (const auto& m = it->second.m) {
          const auto x = r.speedup_over_native(engine, roles);
          row.insert(row.end(), {num(m->per_image_ms), num(m->per_image_ci_low), num(m->per_image_ci_high), x ? num(*x) : ""});
          if (m->check && m->check->error.empty())
            row.insert(row.end(), {num(m->check->relative), m->check->agrees ? "true" : "false", m->check->at});
          else row.insert(row.end(), {"", m->check ? "false" : "", m->check ? m->check->at : ""});
          row.push_back(m->outside_engine_ms ? num(*m->outside_engine_ms) : "");
          row.push_back(m->check && !m->check->error.empty() ? "check: " + m->check->error : "");
        } else {
          row.insert(row.end(), {"", "", "", "", "", "", "", "", it->second.failed});
        }
        rows.push_back(std::move(row));
      }
  return rows;
}

void write_peers_markdown(std::ostream& out, const std::vector<PeerTableOf>& tables, const BackendRoles& roles) {
  if (tables.empty()) return;
  out << "\n## Engines side by side\n\n" << markdown_escape(kHowToRead) << " All numbers: tables/peers.csv.\n";
  for (const auto& [label, t] : tables)
    for (int64_t batch : batches_of(t)) {
      out << "\n### " << markdown_escape(label) << ", batch " << batch << "\n\n| model |";
      for (const auto& e : t.engines) out << " " << markdown_escape(e) << " |";
      out << " " << markdown_escape(roles.accelerated) << " vs fastest peer |\n|---|";
      for (size_t i = 0; i <= t.engines.size(); ++i) out << "---|";
      out << "\n";
      for (const auto& r : t.rows) {
        if (r.batch != batch) continue;
        out << "| " << markdown_escape(r.name) << " |";
        for (const auto& e : t.engines) out << " " << markdown_escape(cell_words(r, e, roles)) << " |";
        out << " " << markdown_escape(versus_words(r, roles)) << " |\n";
      }
    }
}

void write_peers_html(std::ostream& out, const std::vector<PeerTableOf>& tables, const BackendRoles& roles) {
  if (tables.empty()) return;
  out << "<h2>Engines side by side</h2>\n<p>" << html_escape(kHowToRead)
      << " All numbers: <a href=\"tables/peers.csv\">tables/peers.csv</a>.</p>\n";
  for (const auto& [label, t] : tables)
    for (int64_t batch : batches_of(t)) {
      out << "<h3>" << html_escape(label) << ", batch " << batch << "</h3>\n<table><tr><th>model</th>";
      for (const auto& e : t.engines) out << "<th>" << html_escape(e) << "</th>";
      out << "<th>" << html_escape(roles.accelerated) << " vs fastest peer</th></tr>\n";
      for (const auto& r : t.rows) {
        if (r.batch != batch) continue;
        out << "<tr><td><code>" << html_escape(r.name) << "</code></td>";
        for (const auto& e : t.engines) out << "<td>" << html_escape(cell_words(r, e, roles)) << "</td>";
        out << "<td>" << html_escape(versus_words(r, roles)) << "</td></tr>\n";
      }
      out << "</table>\n";
    }
}

}  // namespace fb::report
