// `lathe eval OP --in NAME=FILE.npy ... --out DIR`: runs one op on .npy inputs (or tensors of a
// safetensors file: NAME=FILE.safetensors:KEY) and writes each output to DIR/<output>.npy; with
// --grad also DIR/grad_<input>.npy = d sum_k(y_k * seed_k) / d input for each differentiable
// float input (seeds default to ones). Nothing is written unless the whole evaluation succeeds.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/autograd.h"
#include "core/npy.h"
#include "ops/ops.h"
#include "tools/lathe/args.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

struct EvalOptions {
  std::string op;
  std::vector<std::string> inputs, attrs, seeds;
  std::string dtype, backend, out;
  bool grad = false;
};

// Creates dir (and parents) if needed and proves it is writable, before any work is done.
void prepare_out_dir(const std::string& dir) {
  std::string partial;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i < dir.size() && dir[i] != '/') continue;
    partial = dir.substr(0, i);
    if (partial.empty()) continue;
    if (mkdir(partial.c_str(), 0777) != 0 && errno != EEXIST)
      LATHE_FAIL("[eval] cannot create output directory '", dir, "': ", std::strerror(errno));
  }
  std::string probe = dir + "/.lathe-eval-probe";
  FILE* f = std::fopen(probe.c_str(), "wb");
  LATHE_CHECK(f != nullptr, "[eval] cannot write to output directory '", dir, "': ",
              std::strerror(errno));
  std::fclose(f);
  std::remove(probe.c_str());
}

void run(const EvalOptions& o) {
  const OpDef& def = op_registry().get(o.op);
  Device device = o.backend.empty() ? default_device() : Device::parse(o.backend);
  prepare_out_dir(o.out);

  auto inputs = load_inputs("eval", def, o.inputs, device);
  if (!o.dtype.empty()) {
    DType t = parse_dtype(o.dtype);
    LATHE_CHECK(is_floating(t), "[eval] --dtype must be a floating dtype, got ", o.dtype);
    for (auto& [name, list] : inputs)
      for (Tensor& x : list)
        if (is_floating(x.dtype())) x = x.to(t);
  }
  auto attrs = parse_attrs(def, o.attrs);

  // Differentiable float inputs become leaves when gradients are asked for.
  std::vector<std::pair<std::string, size_t>> slots;
  std::vector<Tensor> wrt;
  if (o.grad) {
    for (const InputDef& d : def.inputs()) {
      if (!d.differentiable || !inputs.count(d.name)) continue;
      for (size_t i = 0; i < inputs[d.name].size(); ++i) {
        Tensor& x = inputs[d.name][i];
        if (!is_floating(x.dtype())) continue;
        x = x.detach().requires_grad_();
        slots.push_back({d.name, i});
        wrt.push_back(x);
      }
    }
  }
  Outputs outputs = run_op(def, inputs, attrs);

  std::vector<std::pair<std::string, Tensor>> files;  // written only once everything succeeded
  for (size_t k = 0; k < outputs.size(); ++k)
    files.push_back({def.outputs()[k].name + ".npy", outputs[k].detach()});

  if (o.grad) {
    LATHE_CHECK(!wrt.empty(), "[eval] --grad: ", def.name(), " has no differentiable float input");
    std::map<std::string, Tensor> seeds;
    for (const std::string& arg : o.seeds) {
      auto [name, path] = split_pair("eval", arg);
      bool known = false;
      for (const OutputDef& out : def.outputs()) known = known || out.name == name;
      LATHE_CHECK(known, "[eval] --grad-seed names unknown output '", name, "' of ", def.name());
      seeds[name] = load_tensor("eval", path, device);
    }
    Tensor total;
    for (size_t k = 0; k < outputs.size(); ++k) {
      const std::string& name = def.outputs()[k].name;
      if (!is_floating(outputs[k].dtype()) || def.is_state(name)) {
        LATHE_CHECK(!seeds.count(name), "[eval] output '", name,
                    "' carries no gradient (not floating, or a state): no seed");
        continue;
      }
      Tensor seed = seeds.count(name) ? seeds[name] : ones_like(outputs[k].detach());
      LATHE_CHECK(seed.shape() == outputs[k].shape(), "[eval] seed for '", name, "' has shape ",
                  seed.shape(), ", the output has ", outputs[k].shape());
      Tensor term = sum(outputs[k] * seed.to(outputs[k].dtype()).to(outputs[k].device()));
      total = total.defined() ? total + term : term;
    }
    LATHE_CHECK(total.defined(), "[eval] --grad: ", def.name(), " has no floating output");
    std::vector<Tensor> g(wrt.size());
    if (total.requires_grad()) g = grad({total}, wrt, {}, {false, false, true});
    for (size_t j = 0; j < wrt.size(); ++j) {
      const auto& [name, i] = slots[j];
      std::string file = inputs[name].size() > 1 ? "grad_" + name + "_" + std::to_string(i) + ".npy"
                                                 : "grad_" + name + ".npy";
      files.push_back({file, g[j].defined() ? g[j] : zeros_like(wrt[j].detach())});
    }
  }

  // Write under temporary names, then rename: a failure leaves no partial result behind.
  std::vector<std::string> written;
  try {
    for (auto& [file, t] : files) {
      std::string tmp = o.out + "/." + file + ".tmp";
      save_npy(tmp, t.dtype() == DType::bf16 ? t.to(DType::f32) : t);
      written.push_back(tmp);
    }
  } catch (...) {
    for (const std::string& tmp : written) std::remove(tmp.c_str());
    throw;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::string path = o.out + "/" + files[i].first;
    LATHE_CHECK(std::rename(written[i].c_str(), path.c_str()) == 0, "[eval] cannot write '",
                path, "': ", std::strerror(errno));
    std::cout << path << "  " << files[i].second.shape() << " " << files[i].second.dtype() << "\n";
  }
}

}  // namespace

void add_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Run one op on .npy inputs; write outputs (and gradients)");
  cmd->footer(
      "Example (check log_softmax against PyTorch):\n"
      "  lathe eval log_softmax --in x=x.npy --attr axis=-1 --grad --out out/\n"
      "writes out/y.npy and out/grad_x.npy (the gradient of sum(y)).\n"
      "Outputs: DIR/<output>.npy; gradients: DIR/grad_<input>.npy (variadic inputs:\n"
      "DIR/grad_<input>_<i>.npy). State tensors are inputs and outputs like any other.");
  cmd->add_option("op", o->op, "Op name (see `lathe ops`)")->required();
  cmd->add_option("--in", o->inputs,
                  "NAME=FILE.npy or NAME=FILE.safetensors:KEY; repeat a NAME for variadic inputs")
      ->take_all();
  cmd->add_option("--attr", o->attrs, "K=V attribute (ints, floats, true/false, [1,2], text)")
      ->take_all();
  cmd->add_option("--dtype", o->dtype, "Cast floating inputs to f32 or f64 first");
  cmd->add_option("--backend", o->backend, "Device to run on (reference, cpu, cuda:0, ...)");
  cmd->add_flag("--grad", o->grad, "Also write d sum(output * seed) / d input");
  cmd->add_option("--grad-seed", o->seeds,
                  "OUTPUT=FILE.npy (or FILE.safetensors:KEY) seed (default: ones)")->take_all();
  cmd->add_option("--out", o->out, "Output directory (created if missing)")->required();
  cmd->callback([o] { run(*o); });
}

}  // namespace lathe::cli
