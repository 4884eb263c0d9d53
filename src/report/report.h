#pragma once
// `formbench report`: reads a results store and writes index.html,
// summary.md, figures/ and tables/ under the output folder.
#include <filesystem>
#include <string>

#include "report/analysis.h"

namespace fb::report {

struct ReportSummary {
  std::filesystem::path index;
  size_t measurements = 0, figures_drawn = 0, figures_missing = 0;
  size_t unreadable_rows = 0;  // listed on the page and in summary.md
};

ReportSummary write_report(const std::string& db_path, const std::filesystem::path& out_dir,
                           const BackendRoles& roles = {});

}  // namespace fb::report
