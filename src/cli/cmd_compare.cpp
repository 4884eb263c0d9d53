// `formbench compare a.npy b.npy`: how far output a is from output b (the
// reference), by the comparison run --check uses (graph/compare.h).
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/number_options.h"
#include "common/error.h"
#include "graph/compare.h"
#include "interop/npy.h"

namespace fb::cli {

void add_compare_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("compare", "Max absolute and relative error between two float32 .npy tensors");
  struct Args {
    std::string a, b;
    double bound = -1;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("a", args->a, ".npy file to check")->required();
  cmd->add_option("b", args->b, ".npy file it is compared with (the reference)")->required();
  add_real_option(*cmd, "--bound", args->bound, 0, kUnbounded,
                  "fail (exit 1) unless the relative error is within this")->default_str("none");
  cmd->callback([args] {
    const Tensor a = read_npy(args->a), b = read_npy(args->b);
    if (a.shape != b.shape)
      throw UsageError("'" + args->a + "' has shape " + a.shape.str() + " and '" + args->b + "' " + b.shape.str() +
                       "; they cannot be compared");
    const Agreement r = compare(a, b);
    fmt::print("shape:              {}\n", a.shape.str());
    fmt::print("max abs error:      {:.6g} (element {})\n", r.max_abs, r.worst);
    fmt::print("max |b|:            {:.6g}\n", r.max_ref);
    fmt::print("max relative error: {:.6g} (max abs error / max |b|)\n", r.relative);
    if (!r.finite) fmt::print("note:               NaN or infinity present, so agreement proves nothing\n");
    if (r.max_ref == 0) fmt::print("note:               the reference is all zeros, so agreement proves nothing\n");
    if (args->bound < 0) return;
    const bool pass = r.passes(args->bound);
    fmt::print("bound:              {:g}: {}\n", args->bound, pass ? "PASS" : "FAIL");
    if (pass) return;
    // A bound passes only when the comparison can prove something (Agreement::passes).
    if (!r.finite) throw Error("no agreement to check: NaN or infinity present");
    if (r.max_ref == 0) throw Error("no agreement to check: the reference is all zeros");
    throw Error("the tensors disagree beyond --bound " + fmt::format("{:g}", args->bound));
  });
}

}  // namespace fb::cli
