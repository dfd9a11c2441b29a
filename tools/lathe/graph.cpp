// `lathe graph OP`: the autograd graph that one call of an op records, in Graphviz DOT (or SVG
// through Graphviz's `dot` when it is installed). With --backward, the graph that computing the
// gradient records instead: the backward rules are public differentiable ops, so the gradient
// has a graph of its own, and that graph is what double backward differentiates
// (docs/autograd-walkthrough.md follows both for one small computation).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/autograd.h"
#include "ops/ops.h"
#include "tools/lathe/args.h"
#include "tools/lathe/commands.h"
#include "tools/lathe/files.h"

extern char** environ;

namespace lathe::cli {

namespace {

struct GraphOptions {
  std::string op, dtype = "f32", out;
  std::vector<std::string> attrs, shapes, inputs;
  uint64_t seed = 0;
  bool backward = false;
};

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A file in the temporary directory, removed when the object goes.
struct TempFile {
  std::string path;
  explicit TempFile(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    path = std::string(dir && *dir ? dir : "/tmp") + "/lathe-graph-XXXXXX" + suffix;
    int fd = mkstemps(&path[0], static_cast<int>(std::string(suffix).size()));
    LATHE_CHECK(fd >= 0, "[graph] cannot create a temporary file in ", path);
    close(fd);
  }
  ~TempFile() { std::remove(path.c_str()); }
};

// Renders DOT as SVG with Graphviz's `dot`; returns false when `dot` is not installed.
bool render_svg(const std::string& dot_text, std::string& svg) {
  TempFile in(".dot"), out(".svg");
  std::ofstream(in.path) << dot_text;
  const char* argv[] = {"dot", "-Tsvg", in.path.c_str(), "-o", out.path.c_str(), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "dot", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    return false;
  int status = 0;
  waitpid(pid, &status, 0);
  LATHE_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "[graph] Graphviz's dot failed to render the graph");
  std::ostringstream text;
  text << std::ifstream(out.path).rdbuf();
  svg = text.str();
  return true;
}

void run(const GraphOptions& o) {
  const OpDef& def = op_registry().get(o.op);
  LATHE_CHECK(o.dtype == "f32" || o.dtype == "f64", "[graph] --dtype takes f32 or f64, got '",
              o.dtype, "'");
  LATHE_CHECK(o.out.empty() || ends_with(o.out, ".dot") || ends_with(o.out, ".svg"),
              "[graph] --out must end in .dot or .svg, got '", o.out, "'");
  if (!o.out.empty()) check_output_path("graph", "--out", o.out);
  DType dtype = parse_dtype(o.dtype);
  Device host = Device::reference();

  auto inputs = load_inputs("graph", def, o.inputs, host);
  for (auto& [name, list] : inputs)
    for (Tensor& t : list)
      if (is_floating(t.dtype())) t = t.to(dtype);
  Generator gen(o.seed);
  draw_missing_inputs("graph", def, parse_shapes("graph", def, o.shapes), dtype, host, gen,
                      inputs);
  // Differentiable float inputs become named leaves: the ellipses of the picture.
  std::vector<Tensor> leaves;
  for (const InputDef& d : def.inputs()) {
    if (!inputs.count(d.name)) continue;
    auto& list = inputs[d.name];
    for (size_t i = 0; i < list.size(); ++i) {
      std::string name = list.size() > 1 ? d.name + std::to_string(i) : d.name;
      list[i] = list[i].detach().set_name(name);
      if (d.differentiable && is_floating(list[i].dtype())) {
        list[i].requires_grad_();
        leaves.push_back(list[i]);
      }
    }
  }
  LATHE_CHECK(!leaves.empty(), "[graph] ", def.name(),
              " has no differentiable float input here: it records no graph");
  Outputs outputs = run_op(def, inputs, parse_attrs(def, o.attrs));
  std::vector<Tensor> shown;
  for (size_t k = 0; k < outputs.size(); ++k)
    if (outputs[k].requires_grad()) shown.push_back(outputs[k].set_name(def.outputs()[k].name));
  LATHE_CHECK(!shown.empty(), "[graph] no output of ", def.name(), " depends on its inputs");

  if (o.backward) {
    // d sum(outputs) / d leaves, recorded: the backward rules' own graph.
    Tensor total = sum(shown[0]);
    for (size_t k = 1; k < shown.size(); ++k) total = total + sum(shown[k]);
    std::vector<Tensor> grads = grad({total}, leaves, {}, {true, true, true});
    shown.clear();
    for (size_t j = 0; j < grads.size(); ++j)
      if (grads[j].defined() && grads[j].requires_grad())
        shown.push_back(grads[j].set_name("grad " + leaves[j].name()));
    LATHE_CHECK(!shown.empty(), "[graph] the gradient of ", def.name(),
                " records no graph (it is constant in the inputs)");
  }

  std::string text = to_dot(shown);
  if (o.out.empty()) {
    std::cout << text;
    return;
  }
  std::string path = o.out, svg;
  if (ends_with(path, ".svg")) {
    if (render_svg(text, svg)) {
      text = svg;
    } else {
      path = path.substr(0, path.size() - 4) + ".dot";
      std::cerr << "note: Graphviz's dot is not installed; writing DOT instead "
                << "(apt-get install graphviz for SVG)\n";
    }
  }
  write_file_atomic("graph", path, text);
  std::cout << path << "\n";
}

}  // namespace

void add_graph(CLI::App& app) {
  auto o = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand("graph", "Draw the autograd graph one call of an op records");
  cmd->footer(
      "Example: lathe graph layer_norm --shape x=2,3 --shape weight=3 --out ln.svg\n"
      "         lathe graph softplus --backward          # the gradient's own graph, as DOT\n"
      "Inputs are drawn as in `lathe gradcheck` (uniform in [-2, 2], shape [3, 4] unless --shape\n"
      "says otherwise; optional inputs only when given). Boxes are the recorded ops (with the\n"
      "number of tensors each saves for its backward), ellipses the leaves, double octagons the\n"
      "outputs. --out FILE.svg renders with Graphviz's dot when installed and writes FILE.dot\n"
      "otherwise; without --out the DOT goes to standard output.");
  cmd->add_option("op", o->op, "Op name (see `lathe ops`)")->required();
  cmd->add_option("--attr", o->attrs, "K=V attribute")->take_all();
  cmd->add_option("--shape", o->shapes, "NAME=3,4 shape of a random input")->take_all();
  cmd->add_option("--in", o->inputs, "NAME=FILE.npy input")->take_all();
  cmd->add_option("--dtype", o->dtype, "f32 | f64 (default f32)");
  cmd->add_option("--seed", o->seed, "Seed of the random inputs")
      ->check(CLI::NonNegativeNumber);  // not "-1" read as 2^64 - 1
  cmd->add_flag("--backward", o->backward,
                "Draw the graph of the gradient d sum(outputs)/d inputs (what double backward "
                "differentiates) instead of the forward graph");
  cmd->add_option("--out", o->out, "FILE.dot or FILE.svg (default: DOT on standard output)");
  cmd->callback([o] { run(*o); });
}

}  // namespace lathe::cli
