#pragma once
// Environment variables a measurement may set (env.* in a spec or descriptor,
// `bench --env`). A spec file is shared between people and machines, so it
// must not be able to make every measuring process run code of its choosing.
// Refused unless the user passes --allow-loader-env on the command line:
//   LD_*                  the dynamic loader: LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, ...
//   GCONV_PATH            glibc loads charset-conversion modules (shared objects) from it
//   LOCPATH, NLSPATH      locale data and message catalogues (printf formats) from a chosen path
//   PATH                  decides which program runs for every name a measurement starts
//   BASH_ENV, ENV         a file every shell the measurement starts runs first
//   OMP_TOOL_LIBRARIES    the OpenMP runtime loads these tool libraries
//   OPENSSL_CONF, OPENSSL_ENGINES, OPENSSL_MODULES   OpenSSL loads engines/providers
//   OCL_ICD_FILENAMES, OCL_ICD_VENDORS, OPENCL_VENDOR_PATH   the OpenCL loader's drivers
//   VALGRIND_LIB, VALGRIND_OPTS   the cache simulation's valgrind: its tool binaries and options
// Allowed: everything else, deliberately including GLIBC_TUNABLES (the
// allocator settings a study varies; it tunes, it loads nothing), MALLOC_*,
// OMP_* (but OMP_TOOL_LIBRARIES), KMP_*, ONEDNN_*/DNNL_*, MKL_*, TMPDIR.
#include <string>
#include <utility>
#include <vector>

namespace fb {

// True for a variable in the list above.
bool changes_program_loading(const std::string& name);

// UsageError naming the first such variable in `env` and `where` it came from
// ("spec.toml, group 'zoo'", "--env") unless `allowed`.
void check_measurement_env(const std::vector<std::pair<std::string, std::string>>& env, bool allowed,
                           const std::string& where);

}  // namespace fb
