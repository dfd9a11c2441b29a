// `lathe gradcheck OP`: float64 finite-difference check of an op's gradients, first and second
// order (ops/gradcheck.h), on random inputs or given .npy files. Prints the worst error per
// input; exits 1 when a check fails.
#include <iostream>

#include "core/npy.h"
#include "core/random.h"
#include "ops/gradcheck.h"
#include "tools/lathe/args.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

struct GradcheckCliOptions {
  std::string op;
  std::vector<std::string> attrs, shapes, inputs;
  uint64_t seed = 0;
  bool first_order_only = false, all_elements = false;
  GradcheckOptions check;
};

void run(GradcheckCliOptions o) {
  const OpDef& def = op_registry().get(o.op);
  if (!def.custom_backward_note().empty())
    std::cerr << "note: " << def.name() << "'s backward is not the true derivative by design ("
              << def.custom_backward_note() << "); finite differences check only the modes "
              << "where it is\n";
  Device host = Device::reference();
  auto inputs = load_inputs("gradcheck", def, o.inputs, host);
  for (auto& [name, list] : inputs)
    for (Tensor& t : list)
      if (is_floating(t.dtype())) t = t.to(DType::f64);
  // Inputs not given as files: random floats of the given shape (default [3, 4]); an optional
  // input (a weight, a bias) only when --shape asks for it.
  Generator gen(o.seed);
  draw_missing_inputs("gradcheck", def, parse_shapes("gradcheck", def, o.shapes), DType::f64,
                      host, gen, inputs);
  o.check.second_order = !o.first_order_only;
  if (o.all_elements) o.check.max_elements = 0;
  o.check.seed = o.seed;
  GradcheckReport report = gradcheck(def, inputs, parse_attrs(def, o.attrs), o.check);
  std::cout << def.name() << ":\n" << report.str() << (report.ok() ? "ok\n" : "FAILED\n");
  if (!report.ok()) throw std::runtime_error("gradcheck failed for " + def.name());
}

}  // namespace

void add_gradcheck(CLI::App& app) {
  auto o = std::make_shared<GradcheckCliOptions>();
  auto* cmd = app.add_subcommand("gradcheck",
                                 "Finite-difference check of an op's gradients (f64, 1st and 2nd order)");
  cmd->footer(
      "Example: lathe gradcheck softplus --attr beta=2 --shape x=5,3\n"
      "         lathe gradcheck gather --in index=idx.npy --attr axis=1\n"
      "Float inputs not given with --in are uniform in [-2, 2] with shape [3, 4] unless --shape\n"
      "says otherwise; optional inputs (weight, bias) are used when --shape or --in gives them;\n"
      "integer and bool inputs must come from files. Every differentiable input is checked;\n"
      "an input or output seed of more than 64 elements on a seeded random sample of 64\n"
      "(--max-elements, --all-elements). Exit code 1 on failure.");
  cmd->add_option("op", o->op, "Op name (see `lathe ops`)")->required();
  cmd->add_option("--attr", o->attrs, "K=V attribute")->take_all();
  cmd->add_option("--shape", o->shapes, "NAME=3,4 shape of a random input")->take_all();
  cmd->add_option("--in", o->inputs, "NAME=FILE.npy input (cast to f64 if floating)")->take_all();
  cmd->add_option("--seed", o->seed, "Seed for inputs, output seeds and directions")
      ->check(CLI::NonNegativeNumber);  // not "-1" read as 2^64 - 1
  cmd->add_option("--eps", o->check.eps, "Central-difference step")->check(CLI::PositiveNumber);
  cmd->add_option("--atol", o->check.atol, "Absolute tolerance");
  cmd->add_option("--rtol", o->check.rtol, "Relative tolerance");
  cmd->add_flag("--first-order-only", o->first_order_only, "Skip the second-order check");
  cmd->add_option("--max-elements", o->check.max_elements,
                  "Check a seeded random sample of this many elements of a larger input or "
                  "seed (default 64)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--all-elements", o->all_elements, "Check every element of every input");
  cmd->callback([o] { run(*o); });
}

}  // namespace lathe::cli
