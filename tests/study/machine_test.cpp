// The machine id must tell apart CPUs that a VM names alike: this project's
// sessions ran on an AVX2-only Zen 3 and an AVX-512 Zen 4 that both said
// "AMD EPYC", with the same cores and memory.
#include <gtest/gtest.h>

#include <string>

#include "study/machine.h"

namespace fb::study {
namespace {

std::string cpuinfo(const std::string& model, const std::string& flags) {
  return "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: " + model +
         "\nmodel name\t: AMD EPYC\nstepping\t: 1\nflags\t\t: fpu sse4_2 " + flags + "\n\nprocessor\t: 1\n";
}

TEST(MachineIdentity, NamesFamilyModelSteppingAndTheWidestIsa) {
  EXPECT_EQ(cpu_identity(cpuinfo("1", "avx2 fma")), "AMD EPYC (family 25 model 1 stepping 1, avx2)");
  EXPECT_EQ(cpu_identity(cpuinfo("17", "avx2 avx512f avx512_vnni avx512_bf16")),
            "AMD EPYC (family 25 model 17 stepping 1, avx512_bf16)");
  EXPECT_EQ(cpu_identity("model name\t: Some CPU\n"), "Some CPU");  // nothing else known: the name alone
  EXPECT_EQ(cpu_identity(""), "unknown");
}

TEST(MachineIdentity, TwoCpusNamedAlikeGetTwoIds) {
  MachineInfo zen3{"", cpu_identity(cpuinfo("1", "avx2")), "6.18.44", "host", 2, int64_t{24} << 30};
  MachineInfo zen4 = zen3;
  zen4.cpu_model = cpu_identity(cpuinfo("17", "avx2 avx512f avx512_bf16"));
  EXPECT_NE(machine_id_of(zen3), machine_id_of(zen4));
  MachineInfo again = zen3;
  again.hostname = "another node";  // identical nodes of a cluster share one id
  EXPECT_EQ(machine_id_of(zen3), machine_id_of(again));
}

}  // namespace
}  // namespace fb::study
