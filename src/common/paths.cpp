#include "common/paths.h"

#include <sys/stat.h>

#include "common/error.h"

namespace fb {

void require_path(const std::string& path, const std::string& what) {
  if (path.empty())
    throw UsageError(what + " is an empty path; give a real one (an empty name would mean a temporary file that "
                            "is thrown away at exit)");
}

namespace {

std::filesystem::path resolved(const std::filesystem::path& p) {
  std::error_code ec;
  auto r = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
  return ec ? std::filesystem::absolute(p).lexically_normal() : r;
}

}  // namespace

void refuse_output_over_input(const std::filesystem::path& output, const std::vector<std::filesystem::path>& inputs) {
  struct stat out_st {};
  const bool out_exists = ::stat(output.c_str(), &out_st) == 0;
  for (const auto& in : inputs) {
    struct stat in_st {};
    bool same = false;
    if (out_exists && ::stat(in.c_str(), &in_st) == 0) same = in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino;
    else if (!out_exists) same = resolved(output) == resolved(in);
    if (same)
      throw UsageError("the output " + output.string() + " is the input " + in.string() +
                       "; writing it would destroy what is read. Give another output file");
  }
}

}  // namespace fb
