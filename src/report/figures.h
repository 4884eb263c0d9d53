#pragma once
// The report's figures, drawn by gnuplot into figures/NAME.svg and .png.
// A figure whose data is missing is not drawn; its entry says why.
#include <filesystem>
#include <string>
#include <vector>

#include "report/analysis.h"

namespace fb::report {

struct Figure {
  std::string name;     // file stem under figures/
  std::string title;
  std::string caption;  // what it shows, what it rests on
  bool drawn = false;
  std::string missing;  // why not drawn
  size_t n = 0;         // measurements plotted
};

std::vector<Figure> draw_figures(const Dataset& d, const Analysis& a, const BackendRoles& roles,
                                 const std::filesystem::path& figures_dir);

// The colour of a backend (or other series) in every figure.
std::string color_of(const std::string& series);

// Runs gnuplot on `body` twice (SVG, then PNG) so both files exist.
// Throws fb::Error naming the script when gnuplot fails.
void render_gnuplot(const std::filesystem::path& dir, const std::string& name, const std::string& data,
                    const std::string& body, int width, int height);

}  // namespace fb::report
