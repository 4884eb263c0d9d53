#pragma once
// Checks every command applies to the paths it is given, before it opens
// anything: an empty path (SQLite would open a private temporary database
// and delete it at exit) and an output that is one of the inputs.
#include <filesystem>
#include <string>
#include <vector>

namespace fb {

// UsageError if `path` is empty; `what` names it for the user ("--db", "-o").
void require_path(const std::string& path, const std::string& what);

// UsageError if writing `output` would overwrite one of `inputs`: the same
// file by device and inode after following symlinks, or (for an output that
// does not exist yet) the same resolved folder and name.
void refuse_output_over_input(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs);

}  // namespace fb
