#pragma once
// The peers experiments on the report's page, in summary.md and as
// tables/peers.csv: one table per experiment and batch, a row per model, a
// cell per engine (latency per image, speed-up over the native framework,
// the output's error against the reference backend, or why it did not run).
#include <ostream>
#include <string>
#include <vector>

#include "report/peers.h"

namespace fb::report {

std::vector<std::string> peers_csv_header();
std::vector<std::vector<std::string>> peers_csv_rows(const std::vector<PeerTableOf>& tables, const BackendRoles& roles);
void write_peers_markdown(std::ostream& out, const std::vector<PeerTableOf>& tables, const BackendRoles& roles);
void write_peers_html(std::ostream& out, const std::vector<PeerTableOf>& tables, const BackendRoles& roles);

}  // namespace fb::report
