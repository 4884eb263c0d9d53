#include "report/report.h"

#include <set>

#include "common/error.h"
#include "common/paths.h"
#include "report/claims.h"
#include "report/escape.h"
#include "report/figures.h"
#include "report/page.h"
#include "study/store.h"

namespace fb::report {
namespace {

// One machine's whole report (page, summary, tables, figures) under `dir`.
void write_machine_report(const std::string& db_path, const Dataset& data, const BackendRoles& roles,
                          const std::filesystem::path& dir, ReportSummary& s) {
  Analysis analysis = analyse(data, roles);
  std::vector<ClaimRow> claims = evaluate_claims(data, roles);
  std::filesystem::create_directories(dir);
  std::vector<Figure> figures = draw_figures(data, analysis, roles, dir / "figures");
  ReportInputs in{db_path, &data, &analysis, &claims, &roles, &figures};
  write_tables(in, dir / "tables");
  write_summary_md(in, dir / "summary.md");
  write_index_html(in, dir);
  s.measurements += data.ok.size();
  s.unreadable_rows += data.unreadable.size();
  for (const auto& f : figures) (f.drawn ? s.figures_drawn : s.figures_missing)++;
}

}  // namespace

ReportSummary write_report(const std::string& db_path, const std::filesystem::path& out_dir, const BackendRoles& roles) {
  require_path(db_path, "the store");
  require_path(out_dir.string(), "the report folder (-o)");
  refuse_output_over_input(out_dir, {db_path});
  { study::Store check(db_path, study::StoreAccess::read_only); }  // refuses what is no store, reading only
  gnuplot_path(out_dir.string());  // refuses a folder gnuplot cannot be given, before anything is written
  std::vector<Dataset> machines = load_machines(db_path);
  ReportSummary s;
  s.index = out_dir / "index.html";
  if (machines.size() <= 1) {
    // One machine (or an empty store): the report as it always was.
    write_machine_report(db_path, machines.empty() ? Dataset{} : machines.front(), roles, out_dir, s);
    s.machines = machines.size();
    return s;
  }
  // Several machines: one whole report per machine in its own folder, so no
  // figure, table or speed-up mixes their latencies; index.html links them.
  std::vector<MachineLink> links;
  std::set<std::string> used;
  for (const auto& data : machines) {
    std::string folder = "machine-" + file_slug(data.machine_id);
    for (int i = 2; !used.insert(folder).second; ++i) folder = "machine-" + file_slug(data.machine_id) + "_" + std::to_string(i);
    write_machine_report(db_path, data, roles, out_dir / folder, s);
    links.push_back({folder, &data});
  }
  write_machines_index(db_path, links, out_dir);
  s.machines = machines.size();
  return s;
}

}  // namespace fb::report
