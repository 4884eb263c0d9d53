#pragma once
// `formbench report`: reads a results store and writes index.html,
// summary.md, figures/ and tables/ under the output folder; for a store with
// several machines, one such report per machine under machine-ID/ and an
// index.html that links them (latencies of two machines are never combined).
#include <filesystem>
#include <string>

#include "report/analysis.h"

namespace fb::report {

struct ReportSummary {
  std::filesystem::path index;
  size_t measurements = 0, figures_drawn = 0, figures_missing = 0;
  size_t unreadable_rows = 0;  // listed on the page and in summary.md
  size_t machines = 0;         // > 1: one sub-report per machine
};

ReportSummary write_report(const std::string& db_path, const std::filesystem::path& out_dir,
                           const BackendRoles& roles = {});

}  // namespace fb::report
