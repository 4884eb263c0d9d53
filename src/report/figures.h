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
  std::string experiment;  // the label of the experiment whose rows it draws; empty: every row of the machine
  std::string title;
  std::string caption;  // what it shows, what it rests on
  bool drawn = false;
  std::string missing;  // why not drawn
  size_t n = 0;         // measurements plotted
};

// One machine's figures: for each of its experiments, the figures of its kind
// (depth: Fig. 1, width: Fig. 2, cache: Fig. 3/4, zoo: Fig. 5, ablation:
// Fig. 7, isa: Fig. 8, profile: Fig. 9, peers: Fig. 10, precision: Fig. 11;
// other and unassigned: whichever its rows allow), each
// drawn from that experiment's rows only, one figure per set of fixed knobs;
// and the roofline (Fig. 6) of every row of the machine.
std::vector<Figure> draw_figures(const Dataset& d, const Analysis& a, const BackendRoles& roles,
                                 const std::filesystem::path& figures_dir);

// A store string as part of a file name: letters, digits, '-' and '_' only.
std::string file_slug(const std::string& text);

// The colour of a backend (or other series) in every figure.
std::string color_of(const std::string& series);

// Runs gnuplot on `body` twice (SVG, then PNG) so both files exist.
// Throws fb::Error naming the script when gnuplot fails.
void render_gnuplot(const std::filesystem::path& dir, const std::string& name, const std::string& data,
                    const std::string& body, int width, int height);

}  // namespace fb::report
