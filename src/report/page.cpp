#include "report/page.h"

#include <fmt/core.h>

#include <algorithm>
#include <boost/archive/iterators/base64_from_binary.hpp>
#include <boost/archive/iterators/transform_width.hpp>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "report/escape.h"
#include "report/peers_page.h"
#include "report/precision_page.h"

namespace fb::report {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string base64(const std::string& bytes) {
  using namespace boost::archive::iterators;
  using It = base64_from_binary<transform_width<std::string::const_iterator, 6, 8>>;
  std::string out(It(bytes.begin()), It(bytes.end()));
  out.append((3 - bytes.size() % 3) % 3, '=');
  return out;
}

void write_csv(const std::filesystem::path& file, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows) {
  AtomicFile f(file);
  std::ostream& out = f.out();
  auto line = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) out << (i ? "," : "") << csv_field(r[i]);
    out << "\r\n";  // RFC 4180 line ends
  };
  line(header);
  for (const auto& r : rows) line(r);
  f.commit();
}

std::string num(double v) { return fmt::format("{:.6g}", v); }

// How to read the claims table; docs/report.md lists every claim and rule.
constexpr const char* kClaimsPreamble =
    "Each of the paper's quantitative statements, compared as a number: the paper's value, ours with its 95 % interval "
    "(a seeded bootstrap over configurations for aggregates, so the same store prints the same intervals; the latencies' "
    "own CIs for one configuration; Fisher z for correlations), and the rule that decides. 'Undecided' means the data "
    "cannot decide: too few points, or an interval that straddles the rule's line. Explanations, where ours differs, "
    "name only what this store shows about this machine.";
std::string opt(const std::optional<double>& v) { return v ? num(*v) : ""; }

// Machine facts shared by every record; what belongs to one backend or one
// configuration (its facts, its env) is shown per backend instead.
std::vector<std::pair<std::string, std::string>> environment_rows(const nlohmann::json& env) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (!env.is_object()) return rows;
  for (const auto& [k, v] : env.items()) {
    if (k == "backend" || k == "backend_facts" || k == "env") continue;
    rows.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  return rows;
}

// Each distinct set of backend facts once, under the backends that recorded
// it: every measurement carries its backend's facts, and variants (onednn,
// onednn:nofuse) or siblings (torch, torch-jit) record the same ones.
std::vector<std::pair<std::string, std::string>> backend_fact_rows(const Dataset& d) {
  using Facts = std::vector<std::pair<std::string, std::string>>;
  std::vector<std::pair<Facts, std::vector<std::string>>> sets;  // facts -> backends, in order of first use
  for (const auto& m : d.ok) {
    if (m.backend_facts.empty()) continue;
    auto it = std::find_if(sets.begin(), sets.end(), [&](const auto& s) { return s.first == m.backend_facts; });
    if (it == sets.end()) it = sets.insert(sets.end(), {m.backend_facts, {}});
    if (std::find(it->second.begin(), it->second.end(), m.backend) == it->second.end()) it->second.push_back(m.backend);
  }
  Facts rows;
  for (const auto& [facts, backends] : sets) {
    std::string names;
    for (const auto& b : backends) names += (names.empty() ? "" : ", ") + b;
    rows.emplace_back("backends", names);
    rows.insert(rows.end(), facts.begin(), facts.end());
  }
  return rows;
}

// Each experiment of the machine with the number of its ok rows.
std::vector<std::pair<const StoredExperiment*, size_t>> experiment_row_counts(const Dataset& d) {
  std::vector<std::pair<const StoredExperiment*, size_t>> out;
  for (size_t e = 0; e < d.experiments.size(); ++e) {
    size_t n = 0;
    for (const auto& m : d.ok) n += std::count(m.experiments.begin(), m.experiments.end(), e);
    out.emplace_back(&d.experiments[e], n);
  }
  return out;
}

std::string experiments_of(const Dataset& d, const Measurement& m) {
  std::string out;
  for (size_t e : m.experiments) out += (out.empty() ? "" : " ") + d.experiments[e].label();
  return out;
}

const char* kUnassignedNote =
    "Rows in 'unassigned' belong to no experiment: they were stored before formbench recorded experiments "
    "(schema version 3). Their figures are drawn as one group; running the sweep that made them again "
    "(nothing is re-measured) assigns them.";

}  // namespace

void write_tables(const ReportInputs& in, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : in.data->ok)
    rows.push_back({m.descriptor, m.model, m.backend, std::to_string(m.batch), std::to_string(m.threads), m.isa,
                    num(m.per_image_ms), num(m.per_image_ci_low), num(m.per_image_ci_high), std::to_string(m.samples),
                    num(m.flops), opt(m.ll_misses_sim), opt(m.llc_misses_hw), opt(m.achieved_gflops), num(m.foreign_cpu_pct),
                    m.machine_id, experiments_of(*in.data, m)});
  write_csv(dir / "measurements.csv",
            {"descriptor", "model", "backend", "batch", "threads", "isa", "ms_per_image", "ci95_low", "ci95_high", "runs",
             "flops_per_batch", "ll_misses_simulated", "llc_misses_hw", "achieved_gflops", "foreign_cpu_pct",
             "machine_id", "experiments"},
            rows);
  rows.clear();
  for (const auto& p : speedup_pairs(*in.data, *in.roles))
    rows.push_back({p.native->key_without_backend(), num(p.native->per_image_ms), num(p.accelerated->per_image_ms), num(p.speedup())});
  write_csv(dir / "speedups.csv", {"configuration", in.roles->native + "_ms", in.roles->accelerated + "_ms", "speedup"}, rows);
  rows.clear();
  for (const auto& w : in.analysis->width_exponents)
    rows.push_back({w.pattern, w.backend, std::to_string(w.batch), num(w.k), num(w.r2), std::to_string(w.n)});
  write_csv(dir / "width_exponents.csv", {"pattern", "backend", "batch", "k", "r2", "points"}, rows);
  rows.clear();
  for (const auto& c : *in.claims)
    rows.push_back({c.id, c.claim, c.paper, c.ours, c.rule, verdict_name(c.verdict), c.why, c.explanation});
  if (const auto peers = peer_tables(*in.data, *in.roles); !peers.empty())
    write_csv(dir / "peers.csv", peers_csv_header(), peers_csv_rows(peers, *in.roles));
  if (const auto precision = precision_tables(*in.data, *in.roles); !precision.empty())
    write_csv(dir / "precision.csv", precision_csv_header(), precision_csv_rows(precision, *in.roles));
  write_csv(dir / "claims.csv", {"id", "paper_claim", "paper_value", "ours_95ci", "rule", "verdict", "why", "explanation"}, rows);
}

void write_summary_md(const ReportInputs& in, const std::filesystem::path& file) {
  AtomicFile f(file);
  std::ostream& out = f.out();
  const auto md = [](const std::string& s) { return markdown_escape(s); };
  out << "# formbench report\n\nStore: " << md(in.store_path) << " — " << in.data->ok.size() << " measurements ok, "
      << in.data->failed << " failed, " << in.data->skipped << " skipped, " << in.data->unreadable.size()
      << " unreadable. Native: " << md(in.roles->native) << ", accelerated: " << md(in.roles->accelerated)
      << ". Speed-up = native latency / accelerated latency; "
      << "the study's percentages are read as ratios (380 % = 3.8x).\n\n## The paper vs this machine\n\n"
      << kClaimsPreamble << "\n\n"
      << "| paper's claim | paper | ours (95 % CI) | rule | verdict | why | explanation |\n|---|---|---|---|---|---|---|\n";
  for (const auto& c : *in.claims)
    out << "| " << md(c.claim) << " | " << md(c.paper) << " | " << md(c.ours) << " | " << md(c.rule) << " | "
        << md(verdict_name(c.verdict)) << " | " << md(c.why) << " | " << md(c.explanation) << " |\n";
  out << "\n## Findings\n\n";
  for (const auto& f : in.analysis->findings) out << "- **" << md(f.title) << "**: " << md(f.value) << " (n = " << f.n << ")\n";
  out << "\n## Experiments\n\nMachine " << md(in.data->machine_id) << ": " << md(in.data->machine)
      << ". Each figure draws the rows of one experiment of this machine only.\n\n| experiment | kind | rows ok |\n|---|---|---|\n";
  for (const auto& [e, n] : experiment_row_counts(*in.data))
    out << "| " << md(e->label()) << " | " << md(e->kind) << " | " << n << " |\n";
  if (in.data->unassigned_rows()) out << "\n" << md(kUnassignedNote) << "\n";
  out << "\n## Figures\n\n";
  for (const auto& f : *in.figures) {
    if (f.drawn) out << "- [" << md(f.title) << "](figures/" << f.name << ".svg): " << md(f.caption) << "\n";
    else out << "- " << md(f.title) << ": not drawn, " << md(f.missing) << "\n";
  }
  write_peers_markdown(out, peer_tables(*in.data, *in.roles), *in.roles);
  write_precision_markdown(out, precision_tables(*in.data, *in.roles), *in.roles);
  if (!in.data->unreadable.empty()) {
    out << "\n## Rows not used\n\n| row id | descriptor | why |\n|---|---|---|\n";
    for (const auto& r : in.data->unreadable) out << "| " << r.id << " | " << md(r.descriptor) << " | " << md(r.reason) << " |\n";
  }
  out << "\n## Machine\n\n";
  for (const auto& [k, v] : environment_rows(in.data->environment)) out << "- " << md(k) << ": " << md(v) << "\n";
  out << "\n## Backends\n\n";
  for (const auto& [k, v] : backend_fact_rows(*in.data)) out << "- " << md(k) << ": " << md(v) << "\n";
  f.commit();
}

// The page's head and stylesheet, shared by a machine's report and the index of machines.
void write_html_head(std::ostream& out) {
  out << "<!doctype html><html><head><meta charset=\"utf-8\"><title>formbench report</title><style>"
         "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
         "th{background:#f0f0f0}.reproduced{color:#070}.not-reproduced{color:#b00}.undecided{color:#a60}.not-measured{color:#888}"
         "figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:90%}"
         "</style></head><body>\n<h1>formbench report</h1>\n";
}

void write_index_html(const ReportInputs& in, const std::filesystem::path& out_dir) {
  AtomicFile f(out_dir / "index.html");
  std::ostream& out = f.out();
  write_html_head(out);
  out << "<p>Store <code>" << html_escape(in.store_path) << "</code>: " << in.data->ok.size() << " measurements ok, "
      << in.data->failed << " failed, " << in.data->skipped << " skipped. Native framework: <code>"
      << html_escape(in.roles->native) << "</code>; accelerated engine: <code>" << html_escape(in.roles->accelerated)
      << "</code>. " << (in.data->unreadable.empty() ? "" : fmt::format("{} rows could not be read (listed below). ", in.data->unreadable.size()))
      << "Speed-up = native latency / accelerated latency (per image, median); the study's percentages are read as "
         "ratios (380 % = 3.8x). FLOPs = 2 x MACs.</p>\n";
  out << "<h2>The paper vs this machine</h2>\n<p>" << html_escape(kClaimsPreamble)
      << "</p>\n<table><tr><th>paper's claim</th><th>paper</th><th>ours (95 % CI)</th><th>rule</th><th>verdict</th>"
         "<th>explanation</th></tr>\n";
  for (const auto& c : *in.claims) {
    std::string v = verdict_name(c.verdict), cls = v;
    std::replace(cls.begin(), cls.end(), ' ', '-');
    out << "<tr><td>" << html_escape(c.claim) << "</td><td>" << html_escape(c.paper) << "</td><td>" << html_escape(c.ours)
        << "</td><td>" << html_escape(c.rule) << "</td><td class=\"" << html_escape(cls) << "\"><b>" << html_escape(v)
        << "</b><br>" << html_escape(c.why) << "</td><td>" << html_escape(c.explanation) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Findings</h2>\n<table><tr><th>question</th><th>result</th><th>n</th></tr>\n";
  for (const auto& f : in.analysis->findings)
    out << "<tr><td>" << html_escape(f.title) << "</td><td>" << html_escape(f.value) << "</td><td>" << f.n << "</td></tr>\n";
  out << "</table>\n<h2>Experiments</h2>\n<p>Machine <code>" << html_escape(in.data->machine_id) << "</code>: "
      << html_escape(in.data->machine) << ". Each figure draws the rows of one experiment of this machine only.</p>\n"
      << "<table><tr><th>experiment</th><th>kind</th><th>rows ok</th></tr>\n";
  for (const auto& [e, n] : experiment_row_counts(*in.data))
    out << "<tr><td>" << html_escape(e->label()) << "</td><td>" << html_escape(e->kind) << "</td><td>" << n << "</td></tr>\n";
  out << "</table>\n";
  if (in.data->unassigned_rows()) out << "<p>" << html_escape(kUnassignedNote) << "</p>\n";
  out << "<h2>Figures</h2>\n";
  for (const auto& f : *in.figures) {
    if (!f.drawn) {
      out << "<p><b>" << html_escape(f.title) << "</b>: not drawn — " << html_escape(f.missing) << ".</p>\n";
      continue;
    }
    std::string png = read_file(out_dir / "figures" / (f.name + ".png"));
    out << "<figure id=\"" << html_escape(f.name) << "\"><img alt=\"" << html_escape(f.title)
        << "\" src=\"data:image/png;base64," << base64(png) << "\"><figcaption>" << html_escape(f.title) << ". "
        << html_escape(f.caption) << " (<a href=\"figures/" << html_escape(f.name) << ".svg\">SVG</a>)</figcaption></figure>\n";
  }
  write_peers_html(out, peer_tables(*in.data, *in.roles), *in.roles);
  write_precision_html(out, precision_tables(*in.data, *in.roles), *in.roles);
  out << "<h2>Speed-ups</h2>\n<table><tr><th>configuration</th><th>" << html_escape(in.roles->native) << " ms/img</th><th>"
      << html_escape(in.roles->accelerated) << " ms/img</th><th>speed-up</th></tr>\n";
  for (const auto& p : speedup_pairs(*in.data, *in.roles))
    out << "<tr><td><code>" << html_escape(p.native->key_without_backend()) << "</code></td><td>"
        << fmt::format("{:.3f}", p.native->per_image_ms) << "</td><td>" << fmt::format("{:.3f}", p.accelerated->per_image_ms)
        << "</td><td>" << fmt::format("{:.2f}x", p.speedup()) << "</td></tr>\n";
  out << "</table>\n<p>All rows: <a href=\"tables/measurements.csv\">tables/measurements.csv</a>.</p>\n";
  if (!in.data->unreadable.empty()) {
    out << "<h2>Rows not used</h2>\n<p>These rows of the store could not be read; everything above is drawn from the "
           "rest.</p>\n<table><tr><th>row id</th><th>descriptor</th><th>why</th></tr>\n";
    for (const auto& r : in.data->unreadable)
      out << "<tr><td>" << r.id << "</td><td><code>" << html_escape(r.descriptor) << "</code></td><td>" << html_escape(r.reason)
          << "</td></tr>\n";
    out << "</table>\n";
  }
  out << "<h2>Machine and environment</h2>\n<table>\n";
  for (const auto& [k, v] : environment_rows(in.data->environment))
    out << "<tr><td>" << html_escape(k) << "</td><td>" << html_escape(v) << "</td></tr>\n";
  out << "</table>\n<h2>Backends</h2>\n<table>\n";
  for (const auto& [k, v] : backend_fact_rows(*in.data))
    out << "<tr><td>" << html_escape(k) << "</td><td>" << html_escape(v) << "</td></tr>\n";
  out << "</table>\n</body></html>\n";
  f.commit();
}

void write_machines_index(const std::string& store_path, const std::vector<MachineLink>& machines,
                          const std::filesystem::path& out_dir) {
  const char* why = "The store holds measurements of several machines. Their latencies are never combined: each "
                    "machine has its own report (figures, speed-ups, claims, tables), linked below.";
  {
    AtomicFile f(out_dir / "index.html");
    std::ostream& out = f.out();
    write_html_head(out);
    out << "<p>Store <code>" << html_escape(store_path) << "</code>. " << why << "</p>\n"
        << "<table><tr><th>machine</th><th>facts</th><th>ok</th><th>failed</th><th>skipped</th><th>unreadable</th></tr>\n";
    for (const auto& m : machines)
      out << "<tr><td><a href=\"" << html_escape(m.folder) << "/index.html\"><code>" << html_escape(m.data->machine_id)
          << "</code></a></td><td>" << html_escape(m.data->machine) << "</td><td>" << m.data->ok.size() << "</td><td>"
          << m.data->failed << "</td><td>" << m.data->skipped << "</td><td>" << m.data->unreadable.size() << "</td></tr>\n";
    out << "</table>\n</body></html>\n";
    f.commit();
  }
  AtomicFile f(out_dir / "summary.md");
  std::ostream& out = f.out();
  out << "# formbench report\n\nStore: " << markdown_escape(store_path) << ". " << markdown_escape(why) << "\n\n";
  for (const auto& m : machines)
    out << "- [" << markdown_escape(m.data->machine_id) << "](" << m.folder << "/summary.md): "
        << markdown_escape(m.data->machine) << "; " << m.data->ok.size() << " ok\n";
  f.commit();
}

}  // namespace fb::report
