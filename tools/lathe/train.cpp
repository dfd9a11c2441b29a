// `lathe train`: the main job. Trains a teacher on Fashion-MNIST (an MLP, or with --teacher cnn
// the example CNN of models/examples/cnn.h), then distills it into a KAN student with
// alpha objective + (1 - alpha) CE, the objective by default Hinton KD (kd_kl_loss,
// T^2 KL(teacher_T || student_T)); --objective NAME picks any registered distillation op that
// takes (student, teacher[, labels]) (--objective-attr K=V sets its attributes), reading logits
// or, through feature taps (models/taps.h), intermediate features (--student-tap,
// --teacher-tap); an objective with a regressor (fitnet_hint_loss) trains an adapter with the
// student, saved in its checkpoint. --objective none trains the student on labels alone (the
// baseline of a distillation table). Evaluates both on the test set after every epoch.
// Writes runs/<name>/: metrics.jsonl (one JSON object per epoch), teacher.safetensors and
// student.safetensors (trainer checkpoints, resumable with --resume), curves.svg (loss and
// accuracy of both) and summary.json; prints a progress bar on a terminal and a summary table at
// the end. Ctrl-C stops after the current batch, saving a
// checkpoint to resume from.
// Runs are never lost: an existing run is replaced only with --overwrite, --resume needs the
// run, and nothing is written until the run has started (data loaded, models built, checkpoints
// restored); every file is then replaced atomically (tools/lathe/files.h). The student's loss
// is the distillation objective, so its plain test cross-entropy is reported beside it.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>

#include "lathe.h"
#include "models/examples/cnn.h"
#include "models/taps.h"
#include "models/trainer.h"
#include "tools/lathe/commands.h"
#include "tools/lathe/files.h"
#include "tools/lathe/plot.h"
#ifdef LATHE_WITH_DISTRIBUTED
#include "distributed/ddp.h"
#include "distributed/trainer.h"
#endif

namespace lathe::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kEpochs = 12;  // of each phase, unless --epochs or a phase's flag says

struct TrainConfig {
  std::string name = "fashion-kd";
  std::string runs_dir = "runs";
  std::string data_dir = data::kFashionMnistDir;
  std::string teacher = "mlp";  // or "cnn"
  int64_t teacher_epochs = kEpochs;
  int64_t student_epochs = kEpochs;
  int64_t batch_size = 128;
  double lr = 1e-3;
  double weight_decay = 1e-4;
  std::vector<int64_t> teacher_hidden = {512, 256};
  double dropout = 0.1;
  std::vector<int64_t> cnn_channels = {32, 64};  // the CNN teacher's two conv blocks
  int64_t cnn_hidden = 128;                      // and its head's hidden width
  std::vector<int64_t> student_hidden = {64};
  int64_t grid_size = 5;
  int64_t spline_order = 3;
  double temperature = 4.0;
  double alpha = 0.7;  // weight of the distillation term
  std::string objective = "kd_kl_loss";     // a distillation op, or "none"
  std::vector<std::string> objective_attr;  // K=V attributes of the objective
  std::string student_tap;                  // "": the objective's default; "logits"; a path
  std::string teacher_tap;
  uint64_t seed = 0;
  int64_t limit = 0;   // > 0: only the first `limit` training and test images
  int64_t threads = 0; // 0: all cores
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
};

// The settings a run's config.json holds; each is also a flag (`batch_size`: --batch-size).
#define LATHE_TRAIN_FIELDS(X)                                                                  \
  X(name) X(runs_dir) X(data_dir) X(teacher) X(teacher_epochs) X(student_epochs) X(batch_size) \
  X(lr) X(weight_decay) X(teacher_hidden) X(dropout) X(cnn_channels) X(cnn_hidden)              \
  X(student_hidden) X(grid_size) X(spline_order) X(temperature) X(alpha) X(seed) X(limit)       \
  X(threads) X(objective) X(objective_attr) X(student_tap) X(teacher_tap)

std::string flag_of(std::string field) {
  std::replace(field.begin(), field.end(), '_', '-');
  return "--" + field;
}

// One rule per setting, shared by the command line and --config: the error names the flag and
// what it accepts.
template <typename T>
void require(bool ok, const char* field, const char* accepted, const T& got) {
  if (ok) return;
  std::ostringstream o;
  o << got;
  throw Error("[train] " + flag_of(field) + " takes " + accepted + ", got " + o.str());
}

void check_epochs(const char* field, int64_t v) {
  require(v >= 0 && v <= 100000, field, "an integer in [0, 100000]", v);
}

void check_sizes(const char* field, const std::vector<int64_t>& sizes) {
  bool ok = !sizes.empty();
  std::string got;
  for (int64_t h : sizes) {
    ok = ok && h >= 1 && h <= 65536;
    got += (got.empty() ? "" : ",") + std::to_string(h);
  }
  require(ok, field, "one or more layer sizes in [1, 65536]", "'" + got + "'");
}

void check(const TrainConfig& c) {
  check_output_path("train", "--runs-dir", c.runs_dir);
  require(!c.name.empty() && c.name.find('/') == std::string::npos && c.name != "." &&
              c.name != "..",
          "name", "a folder name (no '/', not '.' or '..')", "'" + c.name + "'");
  require(!c.data_dir.empty(), "data_dir", "a directory", "''");
  require(c.teacher == "mlp" || c.teacher == "cnn", "teacher", "mlp or cnn",
          "'" + c.teacher + "'");
  check_epochs("teacher_epochs", c.teacher_epochs);
  check_epochs("student_epochs", c.student_epochs);
  require(c.batch_size >= 1 && c.batch_size <= 1000000, "batch_size",
          "an integer in [1, 1000000]", c.batch_size);
  require(c.lr > 0 && c.lr <= 10, "lr", "a number in (0, 10]", c.lr);
  require(c.weight_decay >= 0 && c.weight_decay <= 1, "weight_decay", "a number in [0, 1]",
          c.weight_decay);
  check_sizes("teacher_hidden", c.teacher_hidden);
  require(c.dropout >= 0 && c.dropout < 1, "dropout", "a number in [0, 1)", c.dropout);
  check_sizes("cnn_channels", c.cnn_channels);
  require(c.cnn_channels.size() == 2, "cnn_channels", "two channel counts",
          c.cnn_channels.size());
  require(c.cnn_hidden >= 1 && c.cnn_hidden <= 65536, "cnn_hidden", "an integer in [1, 65536]",
          c.cnn_hidden);
  check_sizes("student_hidden", c.student_hidden);
  require(c.grid_size >= 1 && c.grid_size <= 1000, "grid_size", "an integer in [1, 1000]",
          c.grid_size);
  require(c.spline_order >= 1 && c.spline_order <= 10, "spline_order",
          "an integer in [1, 10]", c.spline_order);
  require(c.temperature > 0 && c.temperature <= 1000, "temperature", "a number in (0, 1000]",
          c.temperature);
  require(c.alpha >= 0 && c.alpha <= 1, "alpha", "a number in [0, 1]", c.alpha);
  require(c.limit >= 0, "limit", "an integer >= 0 (0: every image)", c.limit);
  require(c.threads >= 0 && c.threads <= 1024, "threads", "an integer in [0, 1024] (0: all cores)",
          c.threads);
}

// The student's objective as --objective and --objective-attr give it: the op, its attributes,
// and where its inputs come from. Resolved (and so checked) before anything is loaded.
struct ObjectiveSpec {
  const OpDef* def = nullptr;                 // null: --objective none (cross-entropy alone)
  std::map<std::string, AttrValue> attrs;
  std::vector<std::string> label_inputs;      // integer inputs fed the batch's labels
  bool adapter = false;                       // a regressor (weight, bias) trained with the student
  bool features = false;                      // default taps: penultimate features, not logits
  std::string label;                          // the formula of the reports
};

// Objectives that compare embeddings or feature maps rather than class scores (RepDistiller's and
// mdistiller's feature distillers): their default taps are the models' penultimate features.
bool is_feature_objective(const std::string& op) {
  for (const char* f : {"fitnet_hint_loss", "attention_transfer_loss", "rkd_loss", "pkt_loss",
                        "similarity_preserving_loss"})
    if (op == f) return true;
  return false;
}

ObjectiveSpec resolve_objective(const TrainConfig& c) {
  ObjectiveSpec o;
  char mix[64];
  if (c.objective == "none") {
    LATHE_CHECK(c.objective_attr.empty(), "[train] --objective none takes no --objective-attr");
    o.label = "cross-entropy";
    return o;
  }
  const OpDef* def = op_registry().find(c.objective);
  LATHE_CHECK(def && def->family() == "distillation", "[train] --objective takes a registered "
              "distillation objective (see `lathe ops`) or none, got '", c.objective, "'",
              def ? " (a " + def->family() + " op)" : std::string());
  const auto& in = def->inputs();
  bool shape_ok = in.size() >= 2 && in[0].name == "student" && in[1].name == "teacher" &&
                  def->outputs().size() == 1 && def->states().empty();
  for (size_t k = 2; shape_ok && k < in.size(); ++k) {
    const InputDef& d = in[k];
    bool labels = d.kind == Kind::integer ||
                  (d.kind == Kind::any && (d.name == "target" || d.name == "labels"));
    if (labels && !d.variadic) {
      o.label_inputs.push_back(d.name);
    } else if ((d.name == "weight" || d.name == "bias") && d.optional) {
      o.adapter = true;
    } else {
      LATHE_CHECK(d.optional, "[train] --objective ", c.objective, " needs the input '", d.name,
                  "', which lathe train cannot supply (it gives student and teacher outputs, "
                  "the labels and an adapter's weight and bias)");
    }
  }
  LATHE_CHECK(shape_ok, "[train] --objective ", c.objective, " is not an objective of "
              "(student, teacher, ...) with one output, which lathe train needs");
  o.def = def;
  o.features = is_feature_objective(c.objective);
  std::string given;
  for (const std::string& arg : c.objective_attr) {
    size_t eq = arg.find('=');
    LATHE_CHECK(eq != std::string::npos && eq > 0, "[train] --objective-attr takes NAME=VALUE, "
                "got '", arg, "'");
    std::string name = arg.substr(0, eq), text = arg.substr(eq + 1);
    try {
      o.attrs[name] = parse_attr(*def, name, text);
    } catch (const Error& e) {
      std::string known;
      for (const AttrDef& a : def->attrs()) known += (known.empty() ? "" : ", ") + a.name;
      throw Error("[train] --objective-attr " + arg + ": " + e.what() + " (its attributes: " +
                  (known.empty() ? "none" : known) + ")");
    }
    given += (given.empty() ? "" : ", ") + arg;
  }
  // --temperature is the default temperature of every objective that has one.
  if (def->attr_index("temperature") >= 0 && !o.attrs.count("temperature")) {
    o.attrs["temperature"] = c.temperature;
    char t[32];
    std::snprintf(t, sizeof t, "temperature=%g", c.temperature);
    given += (given.empty() ? "" : ", ") + std::string(t);
  }
  std::snprintf(mix, sizeof mix, "%g ", c.alpha);
  if (c.objective == "kd_kl_loss" && c.objective_attr.empty()) {
    char kd[32];
    std::snprintf(kd, sizeof kd, "KD(T=%g)", c.temperature);  // the label of earlier runs
    o.label = mix + std::string(kd);
  } else {
    o.label = mix + c.objective + "(" + given + ")";
  }
  std::snprintf(mix, sizeof mix, " + %g cross-entropy", 1 - c.alpha);
  o.label += mix;
  return o;
}

json to_json(const TrainConfig& c) {
  json j;
#define X(f) j[#f] = c.f;
  LATHE_TRAIN_FIELDS(X)
#undef X
  return j;
}

// Reads the settings a JSON config sets. Keys are the long flags without the dashes (`-` or
// `_` inside); `epochs` sets both phases unless the file also sets a phase's own. An unknown key
// or a wrong type is an error; values are checked by check() like flags.
void apply_json(TrainConfig& c, const std::string& path) {
  std::ifstream f(path);
  LATHE_CHECK(f.good(), "[train] cannot read config ", path);
  json j;
  try {
    j = json::parse(f);
  } catch (const json::exception& e) {
    throw Error("[train] config " + path + " is not valid JSON: " + e.what());
  }
  LATHE_CHECK(j.is_object(), "[train] config ", path, " must be a JSON object");
  bool teacher_set = false, student_set = false;
  int64_t epochs = -1;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = it.key();
    std::replace(key.begin(), key.end(), '-', '_');
    bool known = false;
    try {
      if (key == "epochs") {
        it.value().get_to(epochs);
        check_epochs("epochs", epochs);
        known = true;
      }
#define X(f) \
  if (key == #f) it.value().get_to(c.f), known = true;
      LATHE_TRAIN_FIELDS(X)
#undef X
    } catch (const json::exception& e) {
      throw Error("[train] config " + path + ": '" + it.key() + "' has the wrong type: " +
                  e.what());
    }
    LATHE_CHECK(known, "[train] config ", path, ": unknown key '", it.key(), "'");
    teacher_set = teacher_set || key == "teacher_epochs";
    student_set = student_set || key == "student_epochs";
  }
  if (epochs >= 0 && !teacher_set) c.teacher_epochs = epochs;
  if (epochs >= 0 && !student_set) c.student_epochs = epochs;
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string duration(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  else
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

// The plain cross-entropy on the test set of a model whose training loss is something else
// (the student's distillation objective): the loss function adds to it whenever it runs without
// gradients, i.e. inside Trainer::evaluate, and each epoch's end takes the evaluation's mean.
class TestCrossEntropy : public train::Callback {
 public:
  void add(const Tensor& ce, int64_t n) {
    if (is_grad_enabled()) return;
    sum_ += ce.item() * static_cast<double>(n);
    n_ += n;
  }
  double take() {
    double mean = n_ ? sum_ / static_cast<double>(n_) : std::numeric_limits<double>::quiet_NaN();
    sum_ = 0, n_ = 0;
    return mean;
  }
  void on_epoch_end(train::Trainer&, const train::EpochRecord&) override { last_ = take(); }
  double last() const { return last_; }

 private:
  double sum_ = 0, last_ = 0;
  int64_t n_ = 0;
};

// What a phase's loss is, for the labels of every report.
struct Objective {
  std::string label;                        // "cross-entropy" or the distillation formula
  std::shared_ptr<TestCrossEntropy> plain;  // null when the objective is the cross-entropy
  double test_cross_entropy(const train::EpochRecord& r) const {
    return plain ? plain->last() : r.eval.loss();
  }
};

// A progress bar per epoch on a terminal (stderr), redrawn at most ten times a second, and one
// line per finished epoch (stdout) whether or not it is a terminal.
class Progress : public train::Callback {
 public:
  Progress(std::string phase, int64_t epochs, bool quiet, Objective objective)
      : phase_(std::move(phase)), epochs_(epochs), quiet_(quiet), tty_(isatty(2)),
        objective_(std::move(objective)) {}

  void on_epoch_begin(train::Trainer&, int64_t) override { last_draw_ = 0; }

  void on_batch_end(train::Trainer& t, int64_t batch, int64_t batches,
                    const train::Metrics& m) override {
    if (quiet_ || !tty_) return;
    double clock = now();
    if (batch + 1 < batches && clock - last_draw_ < 0.1) return;
    last_draw_ = clock;
    double frac = static_cast<double>(batch + 1) / batches;
    int filled = static_cast<int>(frac * 24);
    std::string bar(filled, '#');
    bar.resize(24, '.');
    double eta = m.seconds / frac * (1 - frac);
    std::fprintf(stderr, "\r%s %lld/%lld [%s] %3.0f%%  loss %.4f  acc %5.2f%%  %6.0f samples/s  "
                 "ETA %s   ", phase_.c_str(), static_cast<long long>(t.epoch() + 1),
                 static_cast<long long>(epochs_), bar.c_str(), 100 * frac, m.loss(),
                 100 * m.accuracy(), m.samples_per_second(), duration(eta).c_str());
    std::fflush(stderr);
  }

  void on_epoch_end(train::Trainer&, const train::EpochRecord& r) override {
    if (!quiet_ && tty_) std::fprintf(stderr, "\r%*s\r", 110, "");
    std::string test = objective_.plain ? "test objective" : "test CE";
    std::printf("%-8s epoch %3lld/%lld  loss %.4f  acc %6.2f%%  | %s %.4f", phase_.c_str(),
                static_cast<long long>(r.epoch + 1), static_cast<long long>(epochs_),
                r.train.loss(), 100 * r.train.accuracy(), test.c_str(), r.eval.loss());
    if (objective_.plain) std::printf(", CE %.4f", objective_.test_cross_entropy(r));
    std::printf("  acc %6.2f%%  | %5.1fs  %6.0f samples/s  lr %.2e\n", 100 * r.eval.accuracy(),
                r.train.seconds, r.train.samples_per_second(), r.lr);
    std::fflush(stdout);
  }

 private:
  std::string phase_;
  int64_t epochs_;
  bool quiet_, tty_;
  Objective objective_;
  double last_draw_ = 0;
};

// Keeps one JSON record per epoch and rewrites metrics.jsonl atomically with all of them (a few
// kilobytes), so the file is always whole.
class JsonlLog : public train::Callback {
 public:
  JsonlLog(std::string path, std::string phase, Objective objective, std::vector<json>* records)
      : path_(std::move(path)), phase_(std::move(phase)), objective_(std::move(objective)),
        records_(records) {}

  void on_epoch_end(train::Trainer& t, const train::EpochRecord& r) override {
    // An epoch re-run after a kill between this record and its checkpoint replaces its record.
    records_->erase(std::remove_if(records_->begin(), records_->end(),
                                   [&](const json& j) {
                                     return j.value("phase", "") == phase_ &&
                                            j.value("epoch", int64_t{0}) >= r.epoch + 1;
                                   }),
                    records_->end());
    records_->push_back({{"phase", phase_},
                         {"epoch", r.epoch + 1},
                         {"step", t.step()},
                         {"objective", objective_.label},
                         {"train_loss", r.train.loss()},
                         {"train_accuracy", r.train.accuracy()},
                         {"test_loss", r.eval.loss()},
                         {"test_cross_entropy", objective_.test_cross_entropy(r)},
                         {"test_accuracy", r.eval.accuracy()},
                         {"epoch_seconds", r.train.seconds},
                         {"samples_per_second", r.train.samples_per_second()},
                         {"lr", r.lr}});
    std::string text;
    for (const json& j : *records_) text += j.dump() + "\n";
    write_file_atomic("train", path_, text);
  }

 private:
  std::string path_, phase_;
  Objective objective_;
  std::vector<json>* records_;
};

void on_sigint(int) { train::Trainer::interrupt(); }

// Under `mpirun -np N` (distributed/README.md): N ranks train data-parallel, each on its shard
// of every epoch; --batch-size is the global batch (batch-size / N per rank), so the run
// takes the same steps as one process; rank 0 alone prints and writes the run's files.
int launched_ranks() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})  // OpenMPI; MPICH's hydra
    if (const char* v = std::getenv(var)) return std::max(1, std::atoi(v));
  return 1;
}

struct Ranks {
  int rank = 0, world = 1;
#ifdef LATHE_WITH_DISTRIBUTED
  std::shared_ptr<dist::ProcessGroup> group;
#endif
  bool writer() const { return rank == 0; }
};

#ifdef LATHE_WITH_DISTRIBUTED
// The epoch's record with the training sums of every rank (a collective, so every rank runs
// it), handed to the reporting callbacks, which only rank 0 has.
class RankZero : public train::Callback {
 public:
  RankZero(dist::ProcessGroup& group, std::vector<std::shared_ptr<train::Callback>> inner)
      : group_(group), inner_(std::move(inner)) {}
  void on_epoch_begin(train::Trainer& t, int64_t e) override {
    for (auto& cb : inner_) cb->on_epoch_begin(t, e);
  }
  void on_batch_end(train::Trainer& t, int64_t b, int64_t n, const train::Metrics& m) override {
    for (auto& cb : inner_) cb->on_batch_end(t, b, n, m);  // rank 0's shard so far
  }
  void on_epoch_end(train::Trainer& t, const train::EpochRecord& r) override {
    train::EpochRecord global = r;
    dist::allreduce_metrics(global.train, group_);
    for (auto& cb : inner_) cb->on_epoch_end(t, global);
  }

 private:
  dist::ProcessGroup& group_;
  std::vector<std::shared_ptr<train::Callback>> inner_;
};
#endif

int64_t count_parameters(const nn::Module& m) {
  int64_t n = 0;
  for (const Tensor& p : m.parameters()) n += p.numel();
  return n;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One training phase: AdamW with a one-epoch linear warmup and a cosine decay to 0, stepped per
// batch; checkpoints in run_dir/<phase>.safetensors.
struct Phase {
  std::string name;
  nn::Layer* model = nullptr;
  Objective objective;
  std::unique_ptr<optim::AdamW> opt;
  std::unique_ptr<optim::CosineWarmupLR> sched;
  std::unique_ptr<train::Trainer> trainer;
#ifdef LATHE_WITH_DISTRIBUTED
  std::unique_ptr<dist::DistributedDataParallel> ddp;  // under mpirun: gradients in hooks
#endif

  Phase(std::string phase, nn::Layer& m, train::Trainer::LossFn loss, Objective obj,
        int64_t epochs, const TrainConfig& c, int64_t steps, const std::string& run_dir,
        std::vector<json>* records, const Ranks& ranks)
      : name(std::move(phase)), model(&m), objective(std::move(obj)) {
    optim::AdamWOptions ao;
    ao.weight_decay = c.weight_decay;
    opt = std::make_unique<optim::AdamW>(m.parameters(), c.lr, ao);
    sched = std::make_unique<optim::CosineWarmupLR>(*opt, steps,
                                                    std::max<int64_t>(epochs * steps, steps + 1));
    trainer = std::make_unique<train::Trainer>(m, *opt, std::move(loss));
    trainer->set_scheduler(sched.get());
    trainer->options().epochs = epochs;
    trainer->options().checkpoint_path = run_dir + "/" + name + ".safetensors";
    if (objective.plain) trainer->add_callback(objective.plain);  // first: the others read it
    std::vector<std::shared_ptr<train::Callback>> reports;
    if (ranks.writer()) {
      reports.push_back(std::make_shared<Progress>(name, epochs, c.quiet, objective));
      reports.push_back(
          std::make_shared<JsonlLog>(run_dir + "/metrics.jsonl", name, objective, records));
    }
#ifdef LATHE_WITH_DISTRIBUTED
    if (ranks.world > 1) {
      // The module is the phase's, alive as long as the phase: a non-owning handle.
      std::shared_ptr<nn::Module> module(std::shared_ptr<nn::Module>(), &m);
      dist::DistributedDataParallelOptions o;
      o.reduce_in_hooks = true;  // the Trainer calls backward itself
      ddp = std::make_unique<dist::DistributedDataParallel>(module, ranks.group, o);
      trainer->add_callback(std::make_shared<RankZero>(*ranks.group, reports));
      return;
    }
#endif
    for (auto& cb : reports) trainer->add_callback(cb);
  }

  // Restores the checkpoint when there is one; a checkpoint that does not fit is an error that
  // changes nothing (Trainer::load_checkpoint is all-or-nothing).
  void resume(const TrainConfig& c) {
    const std::string& path = trainer->options().checkpoint_path;
    if (!fs::exists(path)) return;
    try {
      trainer->load_checkpoint(path);
    } catch (const Error& e) {
      throw Error("[train] cannot resume run '" + c.name + "' (nothing was changed): " +
                  e.what());
    }
    std::printf("%-8s resumes from %s at epoch %lld, batch %lld\n", name.c_str(), path.c_str(),
                static_cast<long long>(trainer->epoch() + 1),
                static_cast<long long>(trainer->batch()));
  }
};

struct PhaseResult {
  double test_accuracy = 0, test_objective = 0, test_cross_entropy = 0;
  double median_epoch_seconds = 0;
  int64_t parameters = 0;
  bool stopped = false;
};

PhaseResult run_phase(Phase& p, const data::DataLoader& train_loader,
                      const data::DataLoader& test_loader, const std::vector<json>& records,
                      const Ranks& ranks) {
#ifdef LATHE_WITH_DISTRIBUTED
  if (ranks.world > 1) {
    const data::TensorDataset& all = train_loader.dataset();
    dist::DistributedSampler sampler(all.size(), ranks.rank, ranks.world,
                                     {true, train_loader.options().seed, false});
    dist::fit(*p.trainer, *ranks.group, sampler, all,
              train_loader.options().batch_size / ranks.world, &test_loader);
  } else {
    p.trainer->fit(train_loader, &test_loader);
  }
#else
  (void)ranks;
  p.trainer->fit(train_loader, &test_loader);
#endif
  PhaseResult r;
  r.stopped = p.trainer->stopped();
  r.parameters = count_parameters(*p.model);
  if (r.stopped) return r;
  if (p.objective.plain) p.objective.plain->take();
  train::Metrics test = p.trainer->evaluate(test_loader);
  r.test_accuracy = test.accuracy();
  r.test_objective = test.loss();
  r.test_cross_entropy = p.objective.plain ? p.objective.plain->take() : test.loss();
  std::vector<double> seconds;
  for (const json& j : records)
    if (j["phase"] == p.name) seconds.push_back(j["epoch_seconds"].get<double>());
  r.median_epoch_seconds = median(seconds);
  return r;
}

// Earlier records of this run (when resuming), so the plot and summary cover the whole run.
std::vector<json> read_records(const std::string& path) {
  std::vector<json> out;
  std::ifstream f(path);
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    if (line.empty()) continue;
    try {
      out.push_back(json::parse(line));
    } catch (const json::exception& e) {
      throw Error("[train] " + path + " line " + std::to_string(n) + " is not JSON: " + e.what());
    }
  }
  return out;
}

void plot(const std::string& path, const std::vector<json>& records) {
  Panel loss{"Loss (log scale)", "epoch", "loss", true, {}};
  Panel acc{"Test and training accuracy", "epoch", "accuracy (%)", false, {}};
  const std::pair<const char*, const char*> phases[] = {{"teacher", "#1f77b4"},
                                                        {"student", "#d62728"}};
  for (auto [phase, color] : phases) {
    std::string who = phase;
    bool distilled = false;
    Series tl{who + " train", color, kSolid, {}}, vl{who + " test", color, kDashed, {}};
    Series ce{who + " test cross-entropy", "#ff7f0e", kDotted, {}};
    Series ta = tl, va = vl;
    for (const json& j : records) {
      if (j["phase"] != phase) continue;
      double e = j["epoch"].get<double>();
      distilled = j.value("objective", std::string("cross-entropy")) != "cross-entropy";
      tl.xy.push_back({e, j["train_loss"].get<double>()});
      vl.xy.push_back({e, j["test_loss"].get<double>()});
      ce.xy.push_back({e, j.value("test_cross_entropy", j["test_loss"].get<double>())});
      ta.xy.push_back({e, 100 * j["train_accuracy"].get<double>()});
      va.xy.push_back({e, 100 * j["test_accuracy"].get<double>()});
    }
    if (tl.xy.empty()) continue;
    std::string what = distilled ? " distillation objective" : " cross-entropy";
    tl.label += what;
    vl.label += what;
    loss.series.push_back(tl);
    loss.series.push_back(vl);
    if (distilled) loss.series.push_back(ce);
    acc.series.push_back(ta);
    acc.series.push_back(va);
  }
  write_svg(path, {loss, acc});
}

// The run's own files, the only ones --overwrite removes.
const char* const kRunFiles[] = {"config.json",   "metrics.jsonl",       "summary.json",
                                 "curves.svg",    "teacher.safetensors", "student.safetensors"};

int run_ranks(const TrainConfig& c, const Ranks& ranks) {
  check(c);
  LATHE_CHECK(c.batch_size % ranks.world == 0, "[train] --batch-size ", c.batch_size,
              " is the global batch: it must divide among the ", ranks.world, " ranks");
  ObjectiveSpec spec = resolve_objective(c);
  std::string run_dir = c.runs_dir + "/" + c.name;
  bool existed = fs::exists(run_dir);
  LATHE_CHECK(c.resume || c.overwrite || !existed, "[train] run '", c.name,
              "' already exists in the runs directory '", c.runs_dir,
              "': continue it with --resume, replace it with --overwrite, or choose another "
              "--name");
  LATHE_CHECK(!existed || fs::is_directory(run_dir), "[train] ", run_dir,
              " exists and is not a directory");
  // A run killed mid-write left full-size temporary files that nothing else would delete.
  if (existed) remove_stale_temp_files(run_dir);
  if (c.threads > 0) {
    set_num_threads(static_cast<int>(c.threads));
  } else if (ranks.world > 1) {  // the ranks on this host share its cores
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    int here = local ? std::max(1, std::atoi(local)) : ranks.world;
    set_num_threads(std::max(1, num_threads() / here));
  }
  manual_seed(c.seed);
  std::string metrics = run_dir + "/metrics.jsonl";
  std::vector<json> records = c.resume ? read_records(metrics) : std::vector<json>{};

  data::FashionMnistOptions fo;
  fo.flatten = true;
  fo.standardize = true;
  data::ImageSet train_set = data::load_fashion_mnist("train", c.data_dir, fo);
  data::ImageSet test_set = data::load_fashion_mnist("test", c.data_dir, fo);
  if (c.limit > 0) {
    auto first = [](const data::ImageSet& s, int64_t n) {
      n = std::min(n, s.images.size(0));
      return data::ImageSet{narrow(s.images, 0, 0, n).contiguous(),
                            narrow(s.labels, 0, 0, n).contiguous()};
    };
    train_set = first(train_set, c.limit);
    test_set = first(test_set, c.limit);
  }
  data::DataLoaderOptions lo;
  lo.batch_size = c.batch_size;
  lo.shuffle = true;
  lo.seed = c.seed;
  data::DataLoader train_loader(data::TensorDataset({train_set.images, train_set.labels}), lo);
  data::DataLoaderOptions eo;
  eo.batch_size = 1000;
  data::DataLoader test_loader(data::TensorDataset({test_set.images, test_set.labels}), eo);
  // Optimizer steps per epoch (the scheduler's unit): the same with one rank or N.
  int64_t steps = train_loader.num_batches();

  // Both models and both phases are built, and their checkpoints restored, before anything is
  // written: a run that cannot start leaves the run directory as it was.
  std::unique_ptr<nn::Layer> teacher_model;
  if (c.teacher == "cnn")
    teacher_model = std::make_unique<nn::CNN>(c.cnn_channels[0], c.cnn_channels[1], c.cnn_hidden,
                                              10, c.dropout);
  else
    teacher_model = std::make_unique<nn::MLP>(784, c.teacher_hidden, 10, "relu", c.dropout);
  nn::Layer& teacher = *teacher_model;
  auto student_net = std::make_shared<nn::KANNet>(784, c.student_hidden, 10, c.grid_size,
                                                  c.spline_order);
  auto ce = [](const Tensor& logits, const data::Batch& b) { return cross_entropy(logits, b[1]); };
  Phase teacher_phase("teacher", teacher, ce, {"cross-entropy", nullptr}, c.teacher_epochs, c,
                      steps, run_dir, &records, ranks);

  // The objective's inputs: logits, or features recorded by taps on the named modules.
  auto default_tap = [&](bool is_student) -> std::string {
    if (!spec.features) return "logits";
    if (is_student) return "layers." + std::to_string(c.student_hidden.size() - 1);
    if (c.teacher == "cnn") return "8";  // the ReLU after the head's hidden Linear
    return std::to_string(3 * c.teacher_hidden.size() - 1);  // the MLP's last hidden activation
  };
  std::string s_path = c.student_tap.empty() ? default_tap(true) : c.student_tap;
  std::string t_path = c.teacher_tap.empty() ? default_tap(false) : c.teacher_tap;
  auto make_taps = [](nn::Module& m, const std::string& path, const char* flag) {
    if (path == "logits") return std::shared_ptr<nn::FeatureTaps>();
    try {
      return std::make_shared<nn::FeatureTaps>(m, std::vector<std::string>{path});
    } catch (const Error& e) {
      throw Error(std::string("[train] ") + flag + ": " + e.what());
    }
  };
  std::shared_ptr<nn::FeatureTaps> s_taps, t_taps;
  if (spec.def) {
    s_taps = make_taps(*student_net, s_path, "--student-tap");
    t_taps = make_taps(teacher, t_path, "--teacher-tap");
  }
  auto feature = [](const std::shared_ptr<nn::FeatureTaps>& taps, const std::string& path,
                    const Tensor& logits) { return taps ? (*taps)[path] : logits; };
  // One probe batch through both models, in eval mode (no dropout draws, so the run's random
  // stream is as without it), gives a regressor its shapes and runs the objective once, so that
  // features it cannot take or attributes it refuses (T <= 0) stop the run before it starts.
  nn::Layer* student = student_net.get();
  std::shared_ptr<nn::WithAdapters> wrapped;
  std::shared_ptr<nn::Adapter> adapter;
  auto objective_inputs = [spec, s_taps, t_taps, s_path, t_path, feature](
                              const Tensor& s_logits, const Tensor& t_logits, const Tensor& labels,
                              const std::shared_ptr<nn::Adapter>& a) {
    std::map<std::string, std::vector<Tensor>> in = {
        {"student", {feature(s_taps, s_path, s_logits)}},
        {"teacher", {feature(t_taps, t_path, t_logits)}}};
    for (const std::string& name : spec.label_inputs) in[name] = {labels};
    if (a) {
      in["weight"] = {a->weight};
      in["bias"] = {a->bias};
    }
    return in;
  };
  if (spec.def) {
    NoGradGuard no_grad;
    int64_t n = std::min<int64_t>(8, train_set.images.size(0));
    Tensor probe = narrow(train_set.images, 0, 0, n), labels = narrow(train_set.labels, 0, 0, n);
    teacher.eval();
    Tensor t_logits = teacher(probe), s_logits = (*student_net)(probe);
    teacher.train();
    try {
      if (spec.adapter) {
        adapter = nn::make_adapter(c.objective, feature(s_taps, s_path, s_logits),
                                   feature(t_taps, t_path, t_logits));
      }
      Tensor probe_loss =
          run_op(*spec.def, objective_inputs(s_logits, t_logits, labels, adapter), spec.attrs)[0];
      LATHE_CHECK(probe_loss.numel() == 1, "[", c.objective, "] gives ", probe_loss.shape(),
                  ", not a scalar loss");
    } catch (const Error& e) {
      throw Error("[train] --objective " + c.objective + " cannot train the student on " +
                  "student tap '" + s_path + "' and teacher tap '" + t_path + "': " + e.what());
    }
    if (adapter) {
      wrapped = std::make_shared<nn::WithAdapters>(student_net);
      wrapped->add_adapter("regressor", adapter);
      student = wrapped.get();
    }
  }
  double alpha = c.alpha;
  auto plain = std::make_shared<TestCrossEntropy>();
  train::Trainer::LossFn student_loss = ce;
  if (spec.def) {
    student_loss = [&teacher, spec, alpha, plain, adapter, objective_inputs](
                       const Tensor& logits, const data::Batch& b) {
      Tensor teacher_logits;
      {
        NoGradGuard no_grad;
        teacher_logits = teacher(b[0]);  // through operator(), so its taps record
      }
      auto in = objective_inputs(logits, teacher_logits, b[1], adapter);
      Tensor objective = run_op(*spec.def, in, spec.attrs)[0].reshape({});
      Tensor labels_ce = cross_entropy(logits, b[1]);
      plain->add(labels_ce, b[0].size(0));
      return alpha * objective + (1 - alpha) * labels_ce;
    };
  }
  Objective student_objective{spec.label, spec.def ? plain : nullptr};
  Phase student_phase("student", *student, student_loss, student_objective, c.student_epochs, c,
                      steps, run_dir, &records, ranks);
  if (c.resume) {
    teacher_phase.resume(c);
    student_phase.resume(c);
  }
  if (ranks.rank > 0) {  // the same initial weights, but each rank its own dropout masks
    Generator& g = default_generator();
    g.set_state(g.seed() + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(ranks.rank), g.offset());
  }
#ifdef LATHE_WITH_DISTRIBUTED
  // Every rank has checked the run directory before rank 0 writes into it.
  if (ranks.world > 1) ranks.group->barrier();
#endif

  // Started: from here on the run's files are written, each one atomically.
  if (ranks.writer()) {
    if (existed && c.overwrite)
      for (const char* f : kRunFiles) fs::remove(run_dir + "/" + f);
    std::error_code ec;
    fs::create_directories(run_dir, ec);
    LATHE_CHECK(!ec && fs::is_directory(run_dir), "[train] cannot create ", run_dir, ": ",
                ec.message());
    write_file_atomic("train", run_dir + "/config.json", to_json(c).dump(2) + "\n");
  }
  std::printf("lathe train: Fashion-MNIST, %lld training and %lld test images, device %s, "
              "%d threads; run directory %s\n",
              static_cast<long long>(train_set.images.size(0)),
              static_cast<long long>(test_set.images.size(0)), default_device().str().c_str(),
              num_threads(), run_dir.c_str());
  if (ranks.world > 1)
    std::printf("data parallel: %d ranks (mpirun), global batch %lld = %d x %lld per rank, "
                "%d threads each\n", ranks.world, static_cast<long long>(c.batch_size),
                ranks.world, static_cast<long long>(c.batch_size / ranks.world), num_threads());

  std::signal(SIGINT, on_sigint);
  train::Trainer::clear_interrupt();
  double start = now();

  if (c.teacher == "cnn") {
    std::printf("teacher: CNN conv3x3 %lld, pool, conv3x3 %lld, pool, %lld-10, ",
                static_cast<long long>(c.cnn_channels[0]),
                static_cast<long long>(c.cnn_channels[1]), static_cast<long long>(c.cnn_hidden));
  } else {
    std::printf("teacher: MLP 784-");
    for (int64_t h : c.teacher_hidden) std::printf("%lld-", static_cast<long long>(h));
    std::printf("10, ");
  }
  std::printf("%lld parameters, %lld epochs\n",
              static_cast<long long>(count_parameters(teacher)),
              static_cast<long long>(c.teacher_epochs));
  PhaseResult t = run_phase(teacher_phase, train_loader, test_loader, records, ranks);
  auto stop_message = [&] {
    if (ranks.writer()) plot(run_dir + "/curves.svg", records);
    std::string where = c.runs_dir == "runs" ? "" : " --runs-dir " + c.runs_dir;
    std::printf("\nstopped: checkpoint saved; continue with `lathe train --resume --name %s%s`\n",
                c.name.c_str(), where.c_str());
    return 130;
  };
  if (t.stopped) return stop_message();

  teacher.eval();
  std::printf("student: KAN 784-");
  for (int64_t h : c.student_hidden) std::printf("%lld-", static_cast<long long>(h));
  std::printf("10 (grid %lld, order %lld), %lld parameters%s, %lld epochs, objective %s\n",
              static_cast<long long>(c.grid_size), static_cast<long long>(c.spline_order),
              static_cast<long long>(count_parameters(*student)),
              adapter ? " (with the objective's adapter)" : "",
              static_cast<long long>(c.student_epochs), spec.label.c_str());
  PhaseResult s = run_phase(student_phase, train_loader, test_loader, records, ranks);
  if (s.stopped) return stop_message();
  double total = now() - start;

  if (ranks.writer()) plot(run_dir + "/curves.svg", records);
  size_t peak = memory_stats(default_device()).peak_bytes;
  auto phase_json = [](const PhaseResult& r, const std::string& objective) {
    return json{{"objective", objective},
                {"test_objective", r.test_objective},
                {"test_cross_entropy", r.test_cross_entropy},
                {"test_accuracy", r.test_accuracy},
                {"parameters", r.parameters},
                {"median_epoch_seconds", r.median_epoch_seconds}};
  };
  json summary = {{"teacher", phase_json(t, "cross-entropy")},
                  {"student", phase_json(s, spec.label)},
                  {"seconds", total},
                  {"peak_memory_bytes", peak},
                  {"config", to_json(c)}};
  if (ranks.writer())
    write_file_atomic("train", run_dir + "/summary.json", summary.dump(2) + "\n");
  std::printf("\n%-24s %10s %14s %10s %16s  %s\n", "model", "params", "test accuracy",
              "test CE", "median epoch s", "test objective");
  std::printf("%-24s %10lld %13.2f%% %10.4f %16.2f  %.4f (cross-entropy)\n",
              c.teacher == "cnn" ? "teacher (CNN)" : "teacher (MLP)",
              static_cast<long long>(t.parameters), 100 * t.test_accuracy, t.test_cross_entropy,
              t.median_epoch_seconds, t.test_objective);
  std::printf("%-24s %10lld %13.2f%% %10.4f %16.2f  %.4f (%s)\n",
              spec.def ? "student (KAN, distilled)" : "student (KAN, alone)",
              static_cast<long long>(s.parameters), 100 * s.test_accuracy, s.test_cross_entropy,
              s.median_epoch_seconds, s.test_objective, spec.label.c_str());
  std::printf("total %s, peak tensor memory %.1f MB (%s); wrote %s/{metrics.jsonl, curves.svg, "
              "summary.json, *.safetensors}\n",
              duration(total).c_str(), static_cast<double>(peak) / 1e6,
              default_device().str().c_str(), run_dir.c_str());
  return 0;
}

int run(const TrainConfig& c) {
  Ranks ranks;
  ranks.world = launched_ranks();
  if (ranks.world == 1) return run_ranks(c, ranks);
#ifdef LATHE_WITH_DISTRIBUTED
  ranks.group = dist::ProcessGroup::from_environment();
  ranks.rank = ranks.group->rank();
  ranks.world = ranks.group->world_size();
  // Only rank 0 prints; the others keep stderr for their errors.
  if (ranks.rank > 0) LATHE_CHECK(std::freopen("/dev/null", "w", stdout), "[train] /dev/null");
  try {
    return run_ranks(c, ranks);
  } catch (const std::exception& e) {
    // Returning would leave the other ranks waiting for this one until their timeout.
    std::fprintf(stderr, "lathe train: rank %d of %d: %s\n", ranks.rank, ranks.world, e.what());
    ranks.group->abort(1);
  }
#else
  LATHE_FAIL("[train] started by mpirun with ", ranks.world, " ranks, but this lathe was built "
             "without MPI (apt-get install libopenmpi-dev openmpi-bin, then rebuild)");
#endif
}

// Existing runs in `runs_dir`, for the error of a --resume that names none of them.
std::string list_runs(const std::string& runs_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(runs_dir, ec))
    if (fs::exists(e.path() / "config.json")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  if (names.empty()) return "it holds no run";
  std::string out = "its runs:";
  for (const std::string& n : names) out += " " + n;
  return out;
}

}  // namespace

void add_train(CLI::App& app) {
  auto c = std::make_shared<TrainConfig>();
  auto config = std::make_shared<std::string>();
  auto epochs = std::make_shared<int64_t>(kEpochs);
  auto* cmd = app.add_subcommand(
      "train", "Train an MLP or CNN teacher on Fashion-MNIST and distill it into a KAN student");
  cmd->footer(
      "Writes runs/<name>/{config.json, metrics.jsonl, curves.svg, summary.json,\n"
      "teacher.safetensors, student.safetensors}, each file atomically. An existing run is\n"
      "kept: --resume continues it (Ctrl-C saves a checkpoint), --overwrite replaces it.\n"
      "--config FILE: a JSON object whose keys are the long flags without the dashes\n"
      "(\"batch_size\" or \"batch-size\", \"epochs\", ...), checked like the flags; flags given\n"
      "on the command line override it.\n"
      "Examples: lathe train\n"
      "          lathe train --epochs 1 --limit 2000 --name smoke\n"
      "          lathe train --config my.json --temperature 2\n"
      "          lathe train --objective dkd_loss --objective-attr alpha=1 --objective-attr beta=8\n"
      "          lathe train --teacher cnn --objective fitnet_hint_loss");
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--config", *config, "JSON file of settings (see below)");
  cmd->add_option("--name", c->name, "Run name: the folder under --runs-dir");
  cmd->add_option("--runs-dir", c->runs_dir, "Where run folders go");
  cmd->add_option("--data-dir", c->data_dir, "Fashion-MNIST IDX files");
  cmd->add_option("--epochs", *epochs, "Epochs of both the teacher and the student");
  cmd->add_option("--teacher", c->teacher, "Teacher model: mlp or cnn");
  cmd->add_option("--teacher-epochs", c->teacher_epochs, "Teacher epochs");
  cmd->add_option("--student-epochs", c->student_epochs, "Student epochs");
  cmd->add_option("--batch-size", c->batch_size, "Minibatch size");
  cmd->add_option("--lr", c->lr, "Peak AdamW learning rate (warmup one epoch, cosine to 0)");
  cmd->add_option("--weight-decay", c->weight_decay, "AdamW weight decay");
  cmd->add_option("--teacher-hidden", c->teacher_hidden, "Teacher MLP hidden sizes");
  cmd->add_option("--dropout", c->dropout, "Teacher dropout");
  cmd->add_option("--cnn-channels", c->cnn_channels, "CNN teacher: channels of its 2 conv blocks");
  cmd->add_option("--cnn-hidden", c->cnn_hidden, "CNN teacher: hidden width of its head");
  cmd->add_option("--student-hidden", c->student_hidden, "Student KAN hidden sizes");
  cmd->add_option("--grid-size", c->grid_size, "Student KAN grid intervals");
  cmd->add_option("--spline-order", c->spline_order, "Student KAN spline order");
  cmd->add_option("--temperature", c->temperature, "Distillation temperature T");
  cmd->add_option("--alpha", c->alpha, "Weight of the distillation term (1 - alpha: labels)");
  cmd->add_option("--objective", c->objective,
                  "Student objective: a distillation op of `lathe ops` (student, teacher"
                  "[, labels]) or none (labels alone)");
  cmd->add_option("--objective-attr", c->objective_attr,
                  "K=V attribute of the objective, repeatable (temperature defaults to "
                  "--temperature)");
  cmd->add_option("--student-tap", c->student_tap,
                  "Student module path the objective reads (logits: the output; default: the "
                  "last hidden layer for feature objectives, else logits)");
  cmd->add_option("--teacher-tap", c->teacher_tap,
                  "Teacher module path the objective reads (as --student-tap)");
  // CLI11 reads "-1" into a uint64_t as 2^64 - 1; a seed must be written as it is used.
  cmd->add_option("--seed", c->seed, "Random seed (initialization, shuffling, dropout)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--limit", c->limit, "Use only the first N training and test images (0: all)");
  cmd->add_option("--threads", c->threads, "Threads (0: all cores)");
  cmd->add_flag("--resume", c->resume, "Continue the run --name from its checkpoints");
  cmd->add_flag("--overwrite", c->overwrite, "Replace the run --name if it exists");
  cmd->add_flag("--quiet", c->quiet, "No progress bar");
  cmd->callback([cmd, c, config, epochs] {
    LATHE_CHECK(!(c->resume && c->overwrite), "[train] --resume and --overwrite exclude each "
                "other: continue the run or replace it");
    if (cmd->count("--epochs")) check_epochs("epochs", *epochs);
    // Flags given on the command line override the config file (and, with --resume, the run's
    // saved config.json, so `lathe train --resume --name X` continues X as it was started).
    auto apply_flags = [&](TrainConfig& into) {
      const std::pair<const char*, std::function<void()>> flags[] = {
#define X(f) {#f, [&] { into.f = c->f; }},
          LATHE_TRAIN_FIELDS(X)
#undef X
      };
      for (const auto& [field, set] : flags)
        if (cmd->count(flag_of(field))) set();
      if (cmd->count("--epochs")) {
        if (!cmd->count("--teacher-epochs")) into.teacher_epochs = *epochs;
        if (!cmd->count("--student-epochs")) into.student_epochs = *epochs;
      }
      into.resume = c->resume;
      into.overwrite = c->overwrite;
      into.quiet = c->quiet;
    };
    TrainConfig run_config;
    if (!config->empty()) apply_json(run_config, *config);
    apply_flags(run_config);
    if (run_config.resume) {
      check(run_config);
      std::string saved = run_config.runs_dir + "/" + run_config.name + "/config.json";
      LATHE_CHECK(fs::exists(saved), "[train] --resume: no run '", run_config.name,
                  "' in the runs directory '", run_config.runs_dir, "' (",
                  list_runs(run_config.runs_dir), ")");
      TrainConfig resumed;
      apply_json(resumed, saved);
      apply_flags(resumed);
      run_config = resumed;
    }
    int code = run(run_config);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace lathe::cli
