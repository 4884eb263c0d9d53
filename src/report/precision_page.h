#pragma once
// The precision experiments on the report's page, in summary.md and as
// tables/precision.csv: per experiment a table of the patterns and one of
// the zoo, a row per configuration and batch, a cell per backend and
// precision (latency per image; at a reduced precision also its speed-up over
// the same backend's fp32 and its logits against fp32's, or why not), and the
// accelerated engine's speed-up over the native framework at fp32.
#include <ostream>
#include <string>
#include <vector>

#include "report/precision.h"

namespace fb::report {

std::vector<std::string> precision_csv_header();
std::vector<std::vector<std::string>> precision_csv_rows(const std::vector<PrecisionTable>& tables, const BackendRoles& roles);
void write_precision_markdown(std::ostream& out, const std::vector<PrecisionTable>& tables, const BackendRoles& roles);
void write_precision_html(std::ostream& out, const std::vector<PrecisionTable>& tables, const BackendRoles& roles);

}  // namespace fb::report
