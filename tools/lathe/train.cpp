// `lathe train`: the main job. Trains an MLP teacher on Fashion-MNIST, then distills it into a
// KAN student (Hinton KD: alpha KL(teacher_T || student_T) T^2 + (1 - alpha) CE), evaluating
// both on the test set after every epoch. Writes runs/<name>/: metrics.jsonl (one JSON object
// per epoch), teacher.safetensors and student.safetensors (trainer checkpoints, resumable with
// --resume), curves.svg (loss and accuracy of both) and summary.json; prints a progress bar on a
// terminal and a summary table at the end. Ctrl-C stops after the current batch, saving a
// checkpoint to resume from.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "lathe.h"
#include "models/trainer.h"
#include "tools/lathe/commands.h"
#include "tools/lathe/plot.h"

namespace lathe::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct TrainConfig {
  std::string name = "fashion-kd";
  std::string runs_dir = "runs";
  std::string data_dir = data::kFashionMnistDir;
  int64_t teacher_epochs = 12;
  int64_t student_epochs = 12;
  int64_t batch_size = 128;
  double lr = 1e-3;
  double weight_decay = 1e-4;
  std::vector<int64_t> teacher_hidden = {512, 256};
  double dropout = 0.1;
  std::vector<int64_t> student_hidden = {64};
  int64_t grid_size = 5;
  int64_t spline_order = 3;
  double temperature = 4.0;
  double alpha = 0.7;  // weight of the distillation term
  uint64_t seed = 0;
  int64_t limit = 0;   // > 0: only the first `limit` training and test images
  int threads = 0;     // 0: all cores
  bool resume = false;
  bool quiet = false;
};

#define LATHE_TRAIN_FIELDS(X)                                                                  \
  X(name) X(runs_dir) X(data_dir) X(teacher_epochs) X(student_epochs) X(batch_size) X(lr)      \
  X(weight_decay) X(teacher_hidden) X(dropout) X(student_hidden) X(grid_size) X(spline_order)  \
  X(temperature) X(alpha) X(seed) X(limit) X(threads)

json to_json(const TrainConfig& c) {
  json j;
#define X(f) j[#f] = c.f;
  LATHE_TRAIN_FIELDS(X)
#undef X
  return j;
}

// Reads the fields a JSON config sets; an unknown key or a wrong type is an error.
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
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    try {
#define X(f) \
  if (it.key() == #f) it.value().get_to(c.f), known = true;
      LATHE_TRAIN_FIELDS(X)
#undef X
    } catch (const json::exception& e) {
      throw Error("[train] config " + path + ": '" + it.key() + "' has the wrong type: " +
                  e.what());
    }
    LATHE_CHECK(known, "[train] config ", path, ": unknown key '", it.key(), "'");
  }
}

void check(const TrainConfig& c) {
  LATHE_CHECK(!c.name.empty() && c.name.find('/') == std::string::npos,
              "[train] --name must be a non-empty file name, got '", c.name, "'");
  LATHE_CHECK(c.teacher_epochs >= 0 && c.student_epochs >= 0 && c.batch_size > 0,
              "[train] epochs must be >= 0 and the batch size > 0");
  LATHE_CHECK(c.lr > 0 && c.weight_decay >= 0, "[train] need lr > 0 and weight_decay >= 0");
  LATHE_CHECK(c.temperature > 0, "[train] the temperature must be > 0, got ", c.temperature);
  LATHE_CHECK(c.alpha >= 0 && c.alpha <= 1, "[train] alpha must be in [0, 1], got ", c.alpha);
  LATHE_CHECK(c.dropout >= 0 && c.dropout < 1, "[train] dropout must be in [0, 1)");
  LATHE_CHECK(c.limit >= 0 && c.threads >= 0, "[train] --limit and --threads must be >= 0");
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

// A progress bar per epoch on a terminal (stderr), redrawn at most ten times a second, and one
// line per finished epoch (stdout) whether or not it is a terminal.
class Progress : public train::Callback {
 public:
  Progress(std::string phase, int64_t epochs, bool quiet)
      : phase_(std::move(phase)), epochs_(epochs), quiet_(quiet), tty_(isatty(2)) {}

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
    std::printf("%-8s epoch %3lld/%lld  loss %.4f  acc %6.2f%%  | test loss %.4f  acc %6.2f%%  "
                "| %5.1fs  %6.0f samples/s  lr %.2e\n",
                phase_.c_str(), static_cast<long long>(r.epoch + 1),
                static_cast<long long>(epochs_), r.train.loss(), 100 * r.train.accuracy(),
                r.eval.loss(), 100 * r.eval.accuracy(), r.train.seconds,
                r.train.samples_per_second(), r.lr);
    std::fflush(stdout);
  }

 private:
  std::string phase_;
  int64_t epochs_;
  bool quiet_, tty_;
  double last_draw_ = 0;
};

// Appends one JSON line per epoch to metrics.jsonl and keeps the records for the plot.
class JsonlLog : public train::Callback {
 public:
  JsonlLog(std::string path, std::string phase, std::vector<json>* records)
      : path_(std::move(path)), phase_(std::move(phase)), records_(records) {}

  void on_epoch_end(train::Trainer& t, const train::EpochRecord& r) override {
    json j = {{"phase", phase_},
              {"epoch", r.epoch + 1},
              {"step", t.step()},
              {"train_loss", r.train.loss()},
              {"train_accuracy", r.train.accuracy()},
              {"test_loss", r.eval.loss()},
              {"test_accuracy", r.eval.accuracy()},
              {"epoch_seconds", r.train.seconds},
              {"samples_per_second", r.train.samples_per_second()},
              {"lr", r.lr}};
    std::ofstream f(path_, std::ios::app);
    f << j.dump() << "\n";
    LATHE_CHECK(f.good(), "[train] cannot append to ", path_);
    records_->push_back(j);
  }

 private:
  std::string path_, phase_;
  std::vector<json>* records_;
};

void on_sigint(int) { train::Trainer::interrupt(); }

struct PhaseResult {
  double test_accuracy = 0, test_loss = 0, median_epoch_seconds = 0;
  int64_t parameters = 0;
  bool stopped = false;
};

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
// batch; checkpoints in `checkpoint`, resumed from there when asked.
PhaseResult run_phase(const std::string& phase, nn::Layer& model, train::Trainer::LossFn loss,
                      int64_t epochs, const TrainConfig& c, const data::DataLoader& train_loader,
                      const data::DataLoader& test_loader, const std::string& run_dir,
                      std::vector<json>* records) {
  optim::AdamWOptions ao;
  ao.weight_decay = c.weight_decay;
  optim::AdamW opt(model.parameters(), c.lr, ao);
  int64_t steps = train_loader.num_batches();
  optim::CosineWarmupLR sched(opt, steps, std::max<int64_t>(epochs * steps, steps + 1));
  train::Trainer trainer(model, opt, std::move(loss));
  trainer.set_scheduler(&sched);
  trainer.options().epochs = epochs;
  trainer.options().checkpoint_path = run_dir + "/" + phase + ".safetensors";
  trainer.add_callback(std::make_shared<Progress>(phase, epochs, c.quiet));
  trainer.add_callback(std::make_shared<JsonlLog>(run_dir + "/metrics.jsonl", phase, records));
  if (c.resume && fs::exists(trainer.options().checkpoint_path)) {
    trainer.load_checkpoint(trainer.options().checkpoint_path);
    std::printf("%-8s resumed from %s at epoch %lld, batch %lld\n", phase.c_str(),
                trainer.options().checkpoint_path.c_str(),
                static_cast<long long>(trainer.epoch() + 1),
                static_cast<long long>(trainer.batch()));
  }
  trainer.fit(train_loader, &test_loader);
  PhaseResult r;
  r.stopped = trainer.stopped();
  r.parameters = count_parameters(model);
  if (r.stopped) return r;
  train::Metrics test = trainer.evaluate(test_loader);
  r.test_accuracy = test.accuracy();
  r.test_loss = test.loss();
  std::vector<double> seconds;
  for (const json& j : *records)
    if (j["phase"] == phase) seconds.push_back(j["epoch_seconds"].get<double>());
  r.median_epoch_seconds = median(seconds);
  return r;
}

// Earlier records of this run (when resuming), so the plot and summary cover the whole run.
std::vector<json> read_records(const std::string& path) {
  std::vector<json> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

void plot(const std::string& path, const std::vector<json>& records) {
  Panel loss{"Loss", "epoch", "cross-entropy / KD loss", {}};
  Panel acc{"Accuracy", "epoch", "accuracy (%)", {}};
  const std::pair<const char*, const char*> phases[] = {{"teacher", "#1f77b4"},
                                                        {"student", "#d62728"}};
  for (auto [phase, color] : phases) {
    Series tl{std::string(phase) + " train", color, false, {}};
    Series vl{std::string(phase) + " test", color, true, {}};
    Series ta = tl, va = vl;
    for (const json& j : records) {
      if (j["phase"] != phase) continue;
      double e = j["epoch"].get<double>();
      tl.xy.push_back({e, j["train_loss"].get<double>()});
      vl.xy.push_back({e, j["test_loss"].get<double>()});
      ta.xy.push_back({e, 100 * j["train_accuracy"].get<double>()});
      va.xy.push_back({e, 100 * j["test_accuracy"].get<double>()});
    }
    if (tl.xy.empty()) continue;
    loss.series.push_back(tl);
    loss.series.push_back(vl);
    acc.series.push_back(ta);
    acc.series.push_back(va);
  }
  write_svg(path, {loss, acc});
}

int run(const TrainConfig& c) {
  check(c);
  if (c.threads > 0) set_num_threads(c.threads);
  manual_seed(c.seed);
  std::string run_dir = c.runs_dir + "/" + c.name;
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  LATHE_CHECK(!ec && fs::is_directory(run_dir), "[train] cannot create ", run_dir, ": ",
              ec.message());
  std::string metrics = run_dir + "/metrics.jsonl";
  std::vector<json> records = c.resume ? read_records(metrics) : std::vector<json>{};
  if (!c.resume) {
    std::ofstream f(metrics, std::ios::trunc);
    LATHE_CHECK(f.good(), "[train] cannot write ", metrics);
    for (const char* p : {"teacher", "student"}) fs::remove(run_dir + "/" + p + ".safetensors");
  }
  {
    std::ofstream f(run_dir + "/config.json");
    f << to_json(c).dump(2) << "\n";
  }

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
  std::printf("lathe train: Fashion-MNIST, %lld training and %lld test images, device %s, "
              "%d threads; run directory %s\n",
              static_cast<long long>(train_set.images.size(0)),
              static_cast<long long>(test_set.images.size(0)), default_device().str().c_str(),
              num_threads(), run_dir.c_str());

  std::signal(SIGINT, on_sigint);
  train::Trainer::clear_interrupt();
  double start = now();

  nn::MLP teacher(784, c.teacher_hidden, 10, "relu", c.dropout);
  auto ce = [](const Tensor& logits, const data::Batch& b) { return cross_entropy(logits, b[1]); };
  std::printf("teacher: MLP 784-");
  for (int64_t h : c.teacher_hidden) std::printf("%lld-", static_cast<long long>(h));
  std::printf("10, %lld parameters, %lld epochs\n",
              static_cast<long long>(count_parameters(teacher)),
              static_cast<long long>(c.teacher_epochs));
  PhaseResult t = run_phase("teacher", teacher, ce, c.teacher_epochs, c, train_loader,
                            test_loader, run_dir, &records);
  auto stop_message = [&] {
    plot(run_dir + "/curves.svg", records);
    std::string where = c.runs_dir == "runs" ? "" : " --runs-dir " + c.runs_dir;
    std::printf("\nstopped: checkpoint saved; continue with `lathe train --resume --name %s%s`\n",
                c.name.c_str(), where.c_str());
    return 130;
  };
  if (t.stopped) return stop_message();

  teacher.eval();
  nn::KANNet student(784, c.student_hidden, 10, c.grid_size, c.spline_order);
  KdOptions kd;
  kd.temperature = c.temperature;
  double alpha = c.alpha;
  auto kd_loss = [&teacher, kd, alpha](const Tensor& logits, const data::Batch& b) {
    Tensor teacher_logits;
    {
      NoGradGuard no_grad;
      teacher_logits = teacher.forward(b[0]);
    }
    return alpha * kd_kl_loss(logits, teacher_logits, kd) +
           (1 - alpha) * cross_entropy(logits, b[1]);
  };
  std::printf("student: KAN 784-");
  for (int64_t h : c.student_hidden) std::printf("%lld-", static_cast<long long>(h));
  std::printf("10 (grid %lld, order %lld), %lld parameters, %lld epochs, KD T = %g, alpha = %g\n",
              static_cast<long long>(c.grid_size), static_cast<long long>(c.spline_order),
              static_cast<long long>(count_parameters(student)),
              static_cast<long long>(c.student_epochs), c.temperature, c.alpha);
  PhaseResult s = run_phase("student", student, kd_loss, c.student_epochs, c, train_loader,
                            test_loader, run_dir, &records);
  if (s.stopped) return stop_message();
  double total = now() - start;

  plot(run_dir + "/curves.svg", records);
  json summary = {{"teacher", {{"test_accuracy", t.test_accuracy},
                               {"test_loss", t.test_loss},
                               {"parameters", t.parameters},
                               {"median_epoch_seconds", t.median_epoch_seconds}}},
                  {"student", {{"test_accuracy", s.test_accuracy},
                               {"test_loss", s.test_loss},
                               {"parameters", s.parameters},
                               {"median_epoch_seconds", s.median_epoch_seconds}}},
                  {"seconds", total},
                  {"config", to_json(c)}};
  {
    std::ofstream f(run_dir + "/summary.json");
    f << summary.dump(2) << "\n";
  }
  std::printf("\n%-24s %10s %14s %12s %16s\n", "model", "params", "test accuracy", "test loss",
              "median epoch s");
  std::printf("%-24s %10lld %13.2f%% %12.4f %16.2f\n", "teacher (MLP)",
              static_cast<long long>(t.parameters), 100 * t.test_accuracy, t.test_loss,
              t.median_epoch_seconds);
  std::printf("%-24s %10lld %13.2f%% %12.4f %16.2f\n", "student (KAN, distilled)",
              static_cast<long long>(s.parameters), 100 * s.test_accuracy, s.test_loss,
              s.median_epoch_seconds);
  std::printf("total %s; wrote %s/{metrics.jsonl, curves.svg, summary.json, *.safetensors}\n",
              duration(total).c_str(), run_dir.c_str());
  return 0;
}

}  // namespace

void add_train(CLI::App& app) {
  auto c = std::make_shared<TrainConfig>();
  auto config = std::make_shared<std::string>();
  auto epochs = std::make_shared<int64_t>(-1);
  auto* cmd = app.add_subcommand(
      "train", "Train an MLP teacher on Fashion-MNIST and distill it into a KAN student");
  cmd->footer(
      "Writes runs/<name>/{metrics.jsonl, curves.svg, summary.json, teacher.safetensors, "
      "student.safetensors}. Ctrl-C saves a checkpoint; --resume continues from it.\n"
      "Examples: lathe train\n"
      "          lathe train --epochs 1 --limit 2000 --name smoke\n"
      "          lathe train --config my.json --temperature 2");
  cmd->add_option("--config", *config,
                  "JSON file of settings (keys as the flags, with underscores); flags override it");
  cmd->add_option("--name", c->name, "Run name: the folder under --runs-dir");
  cmd->add_option("--runs-dir", c->runs_dir, "Where run folders go");
  cmd->add_option("--data-dir", c->data_dir, "Fashion-MNIST IDX files");
  cmd->add_option("--epochs", *epochs, "Epochs of both the teacher and the student");
  cmd->add_option("--teacher-epochs", c->teacher_epochs, "Teacher epochs");
  cmd->add_option("--student-epochs", c->student_epochs, "Student epochs");
  cmd->add_option("--batch-size", c->batch_size, "Minibatch size");
  cmd->add_option("--lr", c->lr, "Peak AdamW learning rate (warmup one epoch, cosine to 0)");
  cmd->add_option("--weight-decay", c->weight_decay, "AdamW weight decay");
  cmd->add_option("--teacher-hidden", c->teacher_hidden, "Teacher MLP hidden sizes");
  cmd->add_option("--dropout", c->dropout, "Teacher dropout");
  cmd->add_option("--student-hidden", c->student_hidden, "Student KAN hidden sizes");
  cmd->add_option("--grid-size", c->grid_size, "Student KAN grid intervals");
  cmd->add_option("--spline-order", c->spline_order, "Student KAN spline order");
  cmd->add_option("--temperature", c->temperature, "Distillation temperature T");
  cmd->add_option("--alpha", c->alpha, "Weight of the distillation term (1 - alpha: labels)");
  cmd->add_option("--seed", c->seed, "Random seed (initialization, shuffling, dropout)");
  cmd->add_option("--limit", c->limit, "Use only the first N training and test images");
  cmd->add_option("--threads", c->threads, "Threads (0: all cores)");
  cmd->add_flag("--resume", c->resume, "Continue the run --name from its checkpoints");
  cmd->add_flag("--quiet", c->quiet, "No progress bar");
  cmd->callback([cmd, c, config, epochs] {
    // Flags given on the command line override the config file (and, with --resume, the run's
    // saved config.json, so `lathe train --resume --name X` continues X as it was started).
    auto apply_flags = [&](TrainConfig& into) {
      const std::pair<const char*, std::function<void()>> flags[] = {
#define X(f) {#f, [&] { into.f = c->f; }},
          LATHE_TRAIN_FIELDS(X)
#undef X
      };
      for (const auto& [field, set] : flags) {
        std::string flag = "--" + std::string(field);
        std::replace(flag.begin(), flag.end(), '_', '-');
        if (cmd->count(flag)) set();
      }
      if (*epochs >= 0) {
        if (!cmd->count("--teacher-epochs")) into.teacher_epochs = *epochs;
        if (!cmd->count("--student-epochs")) into.student_epochs = *epochs;
      }
      into.resume = c->resume;
      into.quiet = c->quiet;
    };
    TrainConfig run_config;
    if (!config->empty()) apply_json(run_config, *config);
    apply_flags(run_config);
    std::string saved = run_config.runs_dir + "/" + run_config.name + "/config.json";
    if (run_config.resume && fs::exists(saved)) {
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
