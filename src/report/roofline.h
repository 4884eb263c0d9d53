#pragma once
// Fig. 6, the roofline: one roof per memory level that `formbench machine`
// probed (L1d, L2, L3, DRAM: min(peak, intensity x that level's read
// bandwidth)), each point drawn against the level its working set fits in
// (marker shape), and points whose backend ran Winograd convolutions ringed:
// they do fewer multiplications than the direct count on the x and y axes.
#include <filesystem>

#include "report/dataset.h"
#include "report/figures.h"

namespace fb::report {

Figure roofline_figure(const Dataset& d, const std::filesystem::path& figures_dir);

}  // namespace fb::report
