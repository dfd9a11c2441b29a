// `lathe eval OP --in NAME=FILE.npy ... --out DIR`: runs one op on .npy inputs (or tensors of a
// safetensors file: NAME=FILE.safetensors:KEY) and writes each output to DIR/<output>.npy; with
// --grad also DIR/grad_<input>.npy = d sum_k(y_k * seed_k) / d input for each differentiable
// float input (seeds default to ones). Nothing is written unless the whole evaluation succeeds.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/autograd.h"
#include "core/backend_registry.h"
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

// Proves, before any work is done and without creating anything, that `dir` can be made: a
// non-empty path whose nearest existing ancestor is a writable directory.
void check_out_dir(const std::string& dir) {
  LATHE_CHECK(!dir.empty(), "[eval] --out must be a directory path, got ''");
  std::string existing = dir;
  struct stat st;
  while (stat(existing.c_str(), &st) != 0) {
    size_t slash = existing.find_last_of('/');
    existing = slash == std::string::npos ? "." : slash == 0 ? "/" : existing.substr(0, slash);
  }
  LATHE_CHECK(S_ISDIR(st.st_mode), "[eval] cannot create output directory '", dir, "': '",
              existing, "' is not a directory");
  LATHE_CHECK(access(existing.c_str(), W_OK | X_OK) == 0, "[eval] cannot write to output "
              "directory '", dir, "': ", std::strerror(errno));
}

// Writes the files into a new directory beside `dir`, then renames it to `dir` (or, when `dir`
// already exists, renames each file into it): a failure leaves no `dir` and no partial file.
void publish(const std::string& dir, const std::vector<std::pair<std::string, Tensor>>& files) {
  std::string path = dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  size_t slash = path.find_last_of('/');
  std::string parent = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  for (size_t i = 1; i <= parent.size(); ++i)  // the parents, as `mkdir -p` would
    if ((i == parent.size() || parent[i] == '/') &&
        mkdir(parent.substr(0, i).c_str(), 0777) != 0 && errno != EEXIST)
      LATHE_FAIL("[eval] cannot create output directory '", dir, "': ", std::strerror(errno));
  std::string temp = parent + "/.lathe-eval-XXXXXX";
  LATHE_CHECK(mkdtemp(&temp[0]) != nullptr, "[eval] cannot create output directory '", dir,
              "': ", std::strerror(errno));
  mode_t mask = umask(0);  // mkdtemp makes it 0700; --out gets what mkdir would have given it
  umask(mask);
  chmod(temp.c_str(), 0777 & ~mask);
  auto clean = [&] {
    for (const auto& f : files) std::remove((temp + "/" + f.first).c_str());
    rmdir(temp.c_str());
  };
  try {
    for (const auto& [file, t] : files)
      save_npy(temp + "/" + file, t.dtype() == DType::bf16 ? t.to(DType::f32) : t);
  } catch (...) {
    clean();
    throw;
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
      clean();
      LATHE_FAIL("[eval] cannot write '", dir, "': ", std::strerror(errno));
    }
    return;
  }
  for (const auto& f : files) {
    std::string to = path + "/" + f.first;
    if (std::rename((temp + "/" + f.first).c_str(), to.c_str()) != 0) {
      clean();
      LATHE_FAIL("[eval] cannot write '", to, "': ", std::strerror(errno));
    }
  }
  rmdir(temp.c_str());
}

void run(const EvalOptions& o) {
  const OpDef& def = op_registry().get(o.op);
  Device device = o.backend.empty() ? default_device() : Device::parse(o.backend);
  check_device(device, "eval");
  check_out_dir(o.out);

  auto inputs = load_inputs("eval", def, o.inputs, device);
  if (!o.dtype.empty()) {
    LATHE_CHECK(o.dtype == "f32" || o.dtype == "f64", "[eval] --dtype takes f32 or f64, got '",
                o.dtype, "'");
    DType t = parse_dtype(o.dtype);
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

  publish(o.out, files);
  for (const auto& [file, t] : files)
    std::cout << o.out << "/" << file << "  " << t.shape() << " " << t.dtype() << "\n";
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
      "DIR/grad_<input>_<i>.npy). State tensors are inputs and outputs like any other.\n"
      "DIR is written whole or not at all: the files go to a new directory beside it first.");
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
