#pragma once
// Writers for the report's outputs: index.html (self-contained), summary.md
// and tables/*.csv, all from the same Dataset, Analysis, claims and figures.
#include <filesystem>
#include <string>
#include <vector>

#include "report/claims.h"
#include "report/figures.h"

namespace fb::report {

struct ReportInputs {
  std::string store_path;
  const Dataset* data;
  const Analysis* analysis;
  const std::vector<ClaimRow>* claims;
  const BackendRoles* roles;
  const std::vector<Figure>* figures;
};

void write_tables(const ReportInputs& in, const std::filesystem::path& tables_dir);
void write_summary_md(const ReportInputs& in, const std::filesystem::path& file);
void write_index_html(const ReportInputs& in, const std::filesystem::path& out_dir);

// A store of several machines: index.html and summary.md at the top list
// each machine with a link to its own report in `folder`.
struct MachineLink {
  std::string folder;
  const Dataset* data;
};
void write_machines_index(const std::string& store_path, const std::vector<MachineLink>& machines,
                          const std::filesystem::path& out_dir);

}  // namespace fb::report
