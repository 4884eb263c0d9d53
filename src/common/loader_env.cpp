#include "common/loader_env.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "common/error.h"

namespace fb {

bool changes_program_loading(const std::string& name) {
  static constexpr std::array<std::string_view, 15> kNames = {
      "GCONV_PATH",   "LOCPATH",         "NLSPATH",         "PATH",              "BASH_ENV",
      "ENV",          "OMP_TOOL_LIBRARIES", "OPENSSL_CONF", "OPENSSL_ENGINES",   "OPENSSL_MODULES",
      "OCL_ICD_FILENAMES", "OCL_ICD_VENDORS", "OPENCL_VENDOR_PATH", "VALGRIND_LIB", "VALGRIND_OPTS"};
  return name.rfind("LD_", 0) == 0 || std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

void check_measurement_env(const std::vector<std::pair<std::string, std::string>>& env, bool allowed,
                           const std::string& where) {
  if (allowed) return;
  for (const auto& [name, value] : env)
    if (changes_program_loading(name))
      throw UsageError(where + " sets " + name + ", which changes what code the measuring process loads or runs; "
                       "formbench refuses it so that a shared spec cannot run a program of its choosing. If you "
                       "trust it and mean it, pass --allow-loader-env (see docs/measurement.md)");
}

}  // namespace fb
