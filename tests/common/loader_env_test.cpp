// A shared spec may not load code into every measurement unless the user says so.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/loader_env.h"

namespace fb {
namespace {

TEST(LoaderEnv, LoaderVariablesAreRecognised) {
  for (const char* n : {"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "PATH", "OMP_TOOL_LIBRARIES",
                        "VALGRIND_LIB", "OPENSSL_CONF"})
    EXPECT_TRUE(changes_program_loading(n)) << n;
  for (const char* n : {"GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "ONEDNN_MAX_CPU_ISA",
                        "KMP_AFFINITY", "TMPDIR", "XLD_PRELOAD", "PATHX"})
    EXPECT_FALSE(changes_program_loading(n)) << n;
}

TEST(LoaderEnv, RefusedWithTheReasonUnlessAllowed) {
  const std::vector<std::pair<std::string, std::string>> env = {{"MALLOC_ARENA_MAX", "2"}, {"LD_PRELOAD", "/x.so"}};
  try {
    check_measurement_env(env, false, "spec.toml, group 'g',");
    FAIL() << "LD_PRELOAD was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "spec.toml, group 'g', sets LD_PRELOAD, which changes what code the measuring process loads or runs; "
              "formbench refuses it so that a shared spec cannot run a program of its choosing. If you trust it and "
              "mean it, pass --allow-loader-env (see docs/measurement.md)");
  }
  EXPECT_NO_THROW(check_measurement_env(env, true, "spec.toml"));
  EXPECT_NO_THROW(check_measurement_env({{"GLIBC_TUNABLES", "glibc.malloc.arena_max=2"}}, false, "--env"));
}

}  // namespace
}  // namespace fb
