#include "report/report.h"

#include "common/paths.h"
#include "report/claims.h"
#include "report/escape.h"
#include "report/figures.h"
#include "report/page.h"
#include "study/store.h"

namespace fb::report {

ReportSummary write_report(const std::string& db_path, const std::filesystem::path& out_dir, const BackendRoles& roles) {
  require_path(db_path, "the store");
  require_path(out_dir.string(), "the report folder (-o)");
  refuse_output_over_input(out_dir, {db_path});
  { study::Store check(db_path, study::StoreAccess::read_only); }  // refuses what is no store, reading only
  gnuplot_path(out_dir.string());  // refuses a folder gnuplot cannot be given, before anything is written
  Dataset data = load_dataset(db_path);
  Analysis analysis = analyse(data, roles);
  std::vector<ClaimRow> claims = evaluate_claims(data, roles);
  std::filesystem::create_directories(out_dir);
  std::vector<Figure> figures = draw_figures(data, analysis, roles, out_dir / "figures");
  ReportInputs in{db_path, &data, &analysis, &claims, &roles, &figures};
  write_tables(in, out_dir / "tables");
  write_summary_md(in, out_dir / "summary.md");
  write_index_html(in, out_dir);

  ReportSummary s;
  s.index = out_dir / "index.html";
  s.measurements = data.ok.size();
  s.unreadable_rows = data.unreadable.size();
  for (const auto& f : figures) (f.drawn ? s.figures_drawn : s.figures_missing)++;
  return s;
}

}  // namespace fb::report
