// The `lathe` program, run as a separate process: its outputs, and exit code 2 with one line
// naming the problem for every kind of bad input (and no partial result left behind).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "lathe.h"
#include "tests/support/cli.h"

#ifdef LATHE_CLI_PATH

using namespace lathe;

namespace {

using lathe::test::lathe_cli;
using lathe::test::Run;

std::string scratch(const std::string& name) {
  return std::string(LATHE_BINARY_DIR) + "/cli_test_" + name;
}

std::string npy(const std::string& name, const Tensor& t) {
  std::string path = scratch(name + ".npy");
  save_npy(path, t);
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The names in `dir`, for checks that nothing (no temporary file) was left behind.
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// One line on stderr, starting with "lathe: [op]".
void check_bad_input(const Run& r, const std::string& needle) {
  INFO(r.output);
  CHECK(r.code == 2);
  CHECK(r.output.find(needle) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
}

}  // namespace

// The main job on a small slice of Fashion-MNIST: one epoch of each phase, every file written,
// accuracy above chance, the student's objective labelled as such; then the run is kept by a
// failing resume and replaced only with --overwrite. Skipped when the data set is not installed.
TEST_CASE("lathe train --epochs 1 --limit 2000 trains, evaluates and writes its run folder",
          "[unit][cli][slow]") {
  if (!std::ifstream(std::string(data::kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz")) {
    std::printf("LATHE_TEST_SKIPPED: Fashion-MNIST is not installed\n");
    return;
  }
  std::string runs = scratch("runs");
  std::filesystem::remove_all(runs + "/smoke");
  Run r = lathe_cli("train --epochs 1 --limit 2000 --name smoke --quiet --runs-dir " + runs);
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK(r.output.find("student (KAN, distilled)") != std::string::npos);
  std::string dir = runs + "/smoke/";
  std::vector<std::string> files = {"config.json",  "curves.svg",          "metrics.jsonl",
                                    "student.safetensors", "summary.json", "teacher.safetensors"};
  std::sort(files.begin(), files.end());
  CHECK(listing(dir) == files);  // every file, and no temporary one left behind
  nlohmann::json summary = nlohmann::json::parse(std::ifstream(dir + "summary.json"));
  CHECK(summary["teacher"]["test_accuracy"].get<double>() > 0.5);  // chance: 0.1
  CHECK(summary["student"]["test_accuracy"].get<double>() > 0.3);
  // The teacher's objective is the cross-entropy; the student's is not, and its plain
  // cross-entropy is reported beside it.
  CHECK(summary["teacher"]["objective"] == "cross-entropy");
  CHECK(summary["teacher"]["test_cross_entropy"] == summary["teacher"]["test_objective"]);
  CHECK(summary["student"]["objective"] == "0.7 KD(T=4) + 0.3 cross-entropy");
  double student_ce = summary["student"]["test_cross_entropy"].get<double>();
  CHECK(student_ce > 0.05);
  CHECK(student_ce < 2.3);  // better than uniform over 10 classes: ln 10
  CHECK(student_ce != summary["student"]["test_objective"].get<double>());
  CHECK(summary["peak_memory_bytes"].get<double>() > 0);
  std::ifstream metrics(dir + "metrics.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(metrics, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    CHECK(j["test_accuracy"].get<double>() > 0.1);
    CHECK(j["test_cross_entropy"].get<double>() > 0);
    ++lines;
  }
  CHECK(lines == 2);  // one epoch each of teacher and student
  std::string text = read_text(dir + "curves.svg");
  CHECK(text.rfind("<svg", 0) == 0);
  CHECK(text.find("student test distillation objective") != std::string::npos);
  CHECK(text.find("student test cross-entropy") != std::string::npos);
  CHECK(text.find("Loss (log scale)") != std::string::npos);
  CHECK(text.find(">-0<") == std::string::npos);
  // Temporary files of writes killed in an earlier run (pid 999999999 is no live process) are
  // removed when the run is resumed; the listings below would show them.
  std::ofstream(dir + ".teacher.safetensors.tmp.999999999.0") << "partial";
  std::ofstream(dir + ".metrics.jsonl.tmp.999999999") << "partial";
  // Resuming a finished run trains nothing more and reports the same accuracies.
  Run again = lathe_cli("train --epochs 1 --limit 2000 --name smoke --quiet --resume --runs-dir " +
                        runs);
  INFO(again.output);
  REQUIRE(again.code == 0);
  nlohmann::json resumed = nlohmann::json::parse(std::ifstream(dir + "summary.json"));
  CHECK(resumed["student"]["test_accuracy"] == summary["student"]["test_accuracy"]);

  // A resume whose checkpoint does not fit the settings fails and changes nothing on disk.
  std::map<std::string, std::string> before;
  for (const std::string& f : files) before[f] = read_text(dir + f);
  check_bad_input(lathe_cli("train --resume --name smoke --teacher-hidden 128 --quiet "
                            "--runs-dir " + runs),
                  "[train] cannot resume run 'smoke' (nothing was changed)");
  for (const std::string& f : files) {
    INFO(f);
    CHECK(read_text(dir + f) == before[f]);
  }
  CHECK(listing(dir) == files);
  // Without --resume or --overwrite the run is kept; --overwrite replaces it.
  check_bad_input(lathe_cli("train --epochs 1 --limit 500 --name smoke --runs-dir " + runs),
                  "[train] run 'smoke' already exists in the runs directory");
  CHECK(read_text(dir + "config.json") == before["config.json"]);
  Run replaced = lathe_cli("train --epochs 1 --limit 500 --name smoke --quiet --overwrite "
                           "--runs-dir " + runs);
  INFO(replaced.output);
  REQUIRE(replaced.code == 0);
  CHECK(nlohmann::json::parse(read_text(dir + "config.json"))["limit"] == 500);
  CHECK(listing(dir) == files);
}

// Bad settings and run names fail before anything is read or written.
TEST_CASE("lathe train keeps existing runs and writes nothing when it cannot start",
          "[unit][cli][errors]") {
  std::string runs = scratch("runs_kept");
  std::filesystem::remove_all(runs);
  std::filesystem::create_directories(runs + "/kept");
  std::ofstream(runs + "/kept/config.json") << "{\"name\": \"kept\"}\n";
  std::ofstream(runs + "/kept/metrics.jsonl") << "{\"phase\": \"teacher\"}\n";
  std::string args = " --quiet --runs-dir " + runs;
  check_bad_input(lathe_cli("train --name kept" + args),
                  "[train] run 'kept' already exists in the runs directory '" + runs +
                      "': continue it with --resume, replace it with --overwrite");
  // --overwrite of a run that cannot start (no data) keeps the old run.
  check_bad_input(lathe_cli("train --name kept --overwrite --data-dir /nonexistent" + args),
                  "/nonexistent");
  CHECK(read_text(runs + "/kept/config.json") == "{\"name\": \"kept\"}\n");
  CHECK(read_text(runs + "/kept/metrics.jsonl") == "{\"phase\": \"teacher\"}\n");
  // A new run that cannot start leaves no folder.
  check_bad_input(lathe_cli("train --name fresh --data-dir /nonexistent" + args), "/nonexistent");
  CHECK_FALSE(std::filesystem::exists(runs + "/fresh"));
  check_bad_input(lathe_cli("train --resume --name missing" + args),
                  "[train] --resume: no run 'missing' in the runs directory '" + runs +
                      "' (its runs: kept)");
  CHECK_FALSE(std::filesystem::exists(runs + "/missing"));
  check_bad_input(lathe_cli("train --resume --overwrite --name kept" + args),
                  "[train] --resume and --overwrite exclude each other");
  check_bad_input(lathe_cli("train --name ../escape" + args),
                  "[train] --name takes a folder name (no '/', not '.' or '..'), got '../escape'");
  check_bad_input(lathe_cli("train --name .." + args), "[train] --name takes a folder name");
  check_bad_input(lathe_cli("train --name ''" + args), "[train] --name takes a folder name");
  // "-1" was read into the uint64 seed as 2^64 - 1.
  Run negative_seed = lathe_cli("train --name fresh --seed -1" + args);
  CHECK(negative_seed.code == 2);
  CHECK(negative_seed.output.find("--seed: Value -1 not in range") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(runs + "/fresh"));
  check_bad_input(lathe_cli("train --runs-dir " + runs + "/../up"),
                  "[train] --runs-dir must not contain a '..' component");
  check_bad_input(lathe_cli("train --runs-dir ''"), "[train] --runs-dir must be a path, got ''");
  CHECK(listing(runs) == std::vector<std::string>{"kept"});
}

TEST_CASE("lathe train rejects bad settings with exit code 2", "[unit][cli]") {
  // A runs directory of its own, empty: an existing run would be refused before the data check.
  std::filesystem::remove_all(scratch("runs_bad_settings"));
  std::string runs = " --runs-dir " + scratch("runs_bad_settings");
  check_bad_input(lathe_cli("train --alpha 2" + runs),
                  "[train] --alpha takes a number in [0, 1], got 2");
  check_bad_input(lathe_cli("train --epochs -3" + runs),
                  "[train] --epochs takes an integer in [0, 100000], got -3");
  check_bad_input(lathe_cli("train --teacher-epochs -1" + runs),
                  "[train] --teacher-epochs takes an integer in [0, 100000], got -1");
  check_bad_input(lathe_cli("train --batch-size 0" + runs),
                  "[train] --batch-size takes an integer in [1, 1000000], got 0");
  check_bad_input(lathe_cli("train --lr 0" + runs), "[train] --lr takes a number in (0, 10]");
  check_bad_input(lathe_cli("train --student-hidden 0" + runs),
                  "[train] --student-hidden takes one or more layer sizes in [1, 65536], got '0'");
  check_bad_input(lathe_cli("train --threads -2" + runs), "[train] --threads takes an integer");
  check_bad_input(lathe_cli("train --teacher resnet" + runs),
                  "[train] --teacher takes mlp or cnn, got 'resnet'");
  check_bad_input(lathe_cli("train --teacher cnn --cnn-channels 8" + runs),
                  "[train] --cnn-channels takes two channel counts, got 1");
  check_bad_input(lathe_cli("train --data-dir /nonexistent" + runs), "dataset-fashion-mnist");
  // The same rules, and the same messages, from a config file whose keys are the long flags.
  auto config = [&](const std::string& name, const std::string& text) {
    std::string path = scratch(name);
    std::ofstream(path) << text;
    return lathe_cli("train --config " + path + runs);
  };
  check_bad_input(config("bad_config.json", "{\"epochz\": 3}"), "unknown key 'epochz'");
  check_bad_input(config("neg_epochs.json", "{\"epochs\": -3}"),
                  "[train] --epochs takes an integer in [0, 100000], got -3");
  check_bad_input(config("zero_batch.json", "{\"epochs\": 2, \"batch-size\": 0}"),
                  "[train] --batch-size takes an integer in [1, 1000000], got 0");
  check_bad_input(config("zero_batch2.json", "{\"batch_size\": 0}"),
                  "[train] --batch-size takes an integer in [1, 1000000], got 0");
  check_bad_input(config("type.json", "{\"epochs\": \"many\"}"), "'epochs' has the wrong type");
  // --help documents the defaults.
  Run help = lathe_cli("train --help");
  INFO(help.output);
  CHECK(help.code == 0);
  for (const char* d : {"=128", "=0.001", "=fashion-kd", "=runs", "=12", "=0.7", "--overwrite"})
    CHECK(help.output.find(d) != std::string::npos);
}

// --objective and --objective-attr are checked before anything is loaded or written.
TEST_CASE("lathe train --objective refuses unknown objectives and attributes", "[unit][cli]") {
  std::filesystem::remove_all(scratch("runs_bad_objective"));
  std::string runs = " --runs-dir " + scratch("runs_bad_objective");
  check_bad_input(lathe_cli("train --objective kd_loss_typo" + runs),
                  "[train] --objective takes a registered distillation objective (see `lathe "
                  "ops`) or none, got 'kd_loss_typo'");
  check_bad_input(lathe_cli("train --objective softplus" + runs),
                  "got 'softplus' (a prim op)");
  check_bad_input(lathe_cli("train --objective dkd_loss --objective-attr gamma=2" + runs),
                  "[train] --objective-attr gamma=2: [dkd_loss] unknown attribute 'gamma' (its "
                  "attributes: alpha, beta, temperature)");
  check_bad_input(lathe_cli("train --objective dkd_loss --objective-attr alpha=x" + runs),
                  "[dkd_loss] attribute 'alpha' expects");
  check_bad_input(lathe_cli("train --objective dkd_loss --objective-attr alpha" + runs),
                  "[train] --objective-attr takes NAME=VALUE, got 'alpha'");
  check_bad_input(lathe_cli("train --objective none --objective-attr alpha=1" + runs),
                  "[train] --objective none takes no --objective-attr");
  check_bad_input(lathe_cli("train --objective nd_loss" + runs),
                  "[train] --objective nd_loss needs the input 'centers', which lathe train "
                  "cannot supply");
  check_bad_input(lathe_cli("train --objective dual_head_kd" + runs),
                  "[train] --objective dual_head_kd is not an objective of (student, teacher, "
                  "...)");
  CHECK(!std::filesystem::exists(scratch("runs_bad_objective")));
}

// Other objectives on a small slice: DKD with its attributes, FitNets through taps with an
// adapter saved in the student's checkpoint, the student alone; and what the probe batch
// refuses before the run starts (T <= 0, a tap path that names no module, features an adapter
// cannot map). Skipped when Fashion-MNIST is not installed.
TEST_CASE("lathe train --objective trains the student with the chosen objective",
          "[unit][cli][slow]") {
  if (!std::ifstream(std::string(data::kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz")) {
    std::printf("LATHE_TEST_SKIPPED: Fashion-MNIST is not installed\n");
    return;
  }
  std::string runs = scratch("runs_objective");
  std::filesystem::remove_all(runs);
  std::string common = " --epochs 1 --limit 1000 --quiet --runs-dir " + runs;
  auto summary_of = [&](const std::string& name) {
    return nlohmann::json::parse(std::ifstream(runs + "/" + name + "/summary.json"));
  };
  Run dkd = lathe_cli("train --name dkd --objective dkd_loss --objective-attr alpha=1 "
                      "--objective-attr beta=8" + common);
  INFO(dkd.output);
  REQUIRE(dkd.code == 0);
  nlohmann::json s = summary_of("dkd");
  CHECK(s["student"]["objective"] == "0.7 dkd_loss(alpha=1, beta=8, temperature=4) + 0.3 "
                                     "cross-entropy");
  // One epoch on 1000 images with beta = 8 learns slowly (about 21%): above chance is the test.
  CHECK(s["student"]["test_accuracy"].get<double>() > 0.15);
  CHECK(s["config"]["objective_attr"] == nlohmann::json({"alpha=1", "beta=8"}));

  Run fitnet = lathe_cli("train --name fitnet --objective fitnet_hint_loss" + common);
  INFO(fitnet.output);
  REQUIRE(fitnet.code == 0);
  CHECK(fitnet.output.find("(with the objective's adapter)") != std::string::npos);
  s = summary_of("fitnet");
  CHECK(s["student"]["objective"] == "0.7 fitnet_hint_loss() + 0.3 cross-entropy");
  CHECK(s["student"]["test_accuracy"].get<double>() > 0.3);
  // The student's last hidden KAN layer (64) regressed to the teacher's last hidden
  // activation (256): the adapter is in the student's checkpoint beside the student.
  SafetensorsFile ckpt = load_safetensors(runs + "/fitnet/student.safetensors");
  REQUIRE(ckpt.tensors.count("model.adapters.regressor.weight"));
  CHECK(ckpt.tensors.at("model.adapters.regressor.weight").shape() == Shape({256, 64}));
  CHECK(ckpt.tensors.count("model.student.layers.0.base_weight"));
  // Resuming finds the adapter in the checkpoint again.
  Run resumed = lathe_cli("train --name fitnet --resume" + common);
  INFO(resumed.output);
  CHECK(resumed.code == 0);

  Run alone = lathe_cli("train --name alone --objective none" + common);
  INFO(alone.output);
  REQUIRE(alone.code == 0);
  CHECK(alone.output.find("student (KAN, alone)") != std::string::npos);
  CHECK(summary_of("alone")["student"]["objective"] == "cross-entropy");

  check_bad_input(lathe_cli("train --name bad_t --objective dkd_loss --objective-attr "
                            "temperature=0" + common),
                  "[train] --objective dkd_loss cannot train the student on student tap "
                  "'logits' and teacher tap 'logits': [dkd_loss]");
  check_bad_input(lathe_cli("train --name bad_tap --objective fitnet_hint_loss --student-tap "
                            "layers.9" + common),
                  "[train] --student-tap: [FeatureTaps] no module at path 'layers.9'");
  check_bad_input(lathe_cli("train --name bad_cnn --teacher cnn --objective fitnet_hint_loss "
                            "--teacher-tap 5" + common),
                  "[fitnet_hint_loss] an adapter maps student features");
  for (const char* never : {"bad_t", "bad_tap", "bad_cnn"})
    CHECK(!std::filesystem::exists(runs + "/" + never));
  std::filesystem::remove_all(runs);
}

TEST_CASE("lathe ops --json lists every registered op", "[unit][cli]") {
  Run r = lathe_cli("ops --json");
  REQUIRE(r.code == 0);
  nlohmann::json j = nlohmann::json::parse(r.output);
  CHECK(j["schema"] == 1);
  CHECK(j["ops"].size() == op_registry().all().size());
  bool found = false;
  for (auto& op : j["ops"])
    if (op["name"] == "softplus") {
      found = true;
      CHECK(op["attrs"][0]["name"] == "beta");
      CHECK(op["attrs"][0]["default"] == 1.0);
      CHECK(op["inputs"][0]["differentiable"] == true);
    }
  CHECK(found);
  Run table = lathe_cli("ops --family nn");
  CHECK(table.code == 0);
  CHECK(table.output.find("log_softmax") != std::string::npos);
  CHECK(table.output.find("\nexp ") == std::string::npos);  // a prim, not in family nn
  check_bad_input(lathe_cli("ops --family nothing"),
                  "[ops] no op in family 'nothing'; the families are: ");
  Run families = lathe_cli("ops --family nothing");
  for (const char* f : {"prim", "nn", "normalization"})
    CHECK(families.output.find(f) != std::string::npos);
}

TEST_CASE("lathe info and --help describe the program", "[unit][cli]") {
  Run info = lathe_cli("info");
  CHECK(info.code == 0);
  CHECK(info.output.find("reference: 1 device(s)") != std::string::npos);
  CHECK(info.output.find("allocator") == std::string::npos);  // nothing allocated yet
  for (const char* cmd : {"ops", "eval", "gradcheck", "info", "train", "bench"}) {
    Run help = lathe_cli(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(help.code == 0);
    CHECK(help.output.find("Example") != std::string::npos);
  }
  CHECK(lathe_cli("").code == 2);
  CHECK(lathe_cli("frobnicate").code == 2);
}

// LATHE_BACKEND_PATH is read inside the registry's first use: loading from there must not
// re-enter it (it once deadlocked), and a failure is one clear line.
TEST_CASE("lathe info loads the backends LATHE_BACKEND_PATH names", "[unit][cli]") {
  Run clash = lathe_cli("info", "LATHE_BACKEND_PATH=" LATHE_PLUGIN_PATH);
  INFO(clash.output);
  CHECK(clash.code == 2);
  CHECK(clash.output.find("[backend] LATHE_BACKEND_PATH") != std::string::npos);
  CHECK(clash.output.find("named 'reference' is already registered") != std::string::npos);
  Run missing = lathe_cli("info", "LATHE_BACKEND_PATH=/nonexistent/libnothing.so");
  CHECK(missing.code == 2);
  CHECK(missing.output.find("cannot load '/nonexistent/libnothing.so'") != std::string::npos);
#ifdef LATHE_CUDA_PLUGIN_PATH
  // The cuda plugin: listed whether or not this machine has a GPU, from the path given.
  Run cuda = lathe_cli("info", "LATHE_BACKEND_PATH=" LATHE_CUDA_PLUGIN_PATH);
  INFO(cuda.output);
  CHECK(cuda.code == 0);
  CHECK(cuda.output.find("(" LATHE_CUDA_PLUGIN_PATH ")") != std::string::npos);
  CHECK((cuda.output.find("cuda: built, no device") != std::string::npos ||
         cuda.output.find("cuda: 1 device(s)") != std::string::npos));
#endif
}

namespace {

// A stand-in for lathe-torch-peer that speaks its protocol with fixed answers (`time_reply` to
// every request for samples), so the bench's pairing is checked without PyTorch 2.x.
std::string fake_peer(const std::string& name, const std::string& time_reply) {
  std::string path = scratch(name);
  std::ofstream(path) << "#!/bin/sh\n"
                         "while read cmd rest; do\n"
                         "  case \"$cmd\" in\n"
                         "    version) echo 'fake-torch 9.9' ;;\n"
                         "    threads|case) echo ok ;;\n"
                         "    time) echo '" << time_reply << "' ;;\n"
                         "    peak) echo 1000000 ;;\n"
                         "    *) echo 'error unknown command' ;;\n"
                         "  esac\n"
                         "done\n";
  REQUIRE(std::system(("chmod +x " + path).c_str()) == 0);
  return path;
}

// `lathe bench ARGS` without the real libtorch peer (tests use stand-ins).
Run bench(const std::string& args) { return lathe_cli("bench --libtorch-peer '' " + args); }

}  // namespace

TEST_CASE("lathe bench times lathe and a paired peer process", "[unit][cli]") {
  // Every block of the peer's samples is 2, 2 and 4 ms: median 2.
  std::string peer = fake_peer("fake_peer.sh", "2 2 4");
  Run r = bench("--only add8 --threads 1 --seconds 0.05 --json --torch-peer " + peer);
  INFO(r.output);
  REQUIRE(r.code == 0);
  nlohmann::json report = nlohmann::json::parse(r.output);
  CHECK(report["peer"].get<std::string>().find("fake-torch 9.9 (" + peer + ")") !=
        std::string::npos);
  int paired = 0;
  for (const auto& row : report["cases"]) {
    CHECK(row["name"] == "add8_fwd");
    CHECK(row["threads"] == 1);
    CHECK(row["lathe_ms"].get<double>() > 0);
    CHECK(row["lathe_ms"].get<double>() < 1);  // per add, in milliseconds
    if (row["peer"] != "fake-torch 9.9") continue;
    ++paired;
    CHECK(row["peer_ms"].get<double>() == 2.0);
    CHECK(row["ratio"].get<double>() == Approx(row["lathe_ms"].get<double>() / 2.0));
  }
  CHECK(paired == 1);
  // Peak memory is asked of the peer too, for the cases that compare it.
  Run kan = bench("--only kan_linear --threads 1 --seconds 0.05 --json --torch-peer " + peer);
  INFO(kan.output);
  REQUIRE(kan.code == 0);
  nlohmann::json kan_report = nlohmann::json::parse(kan.output);  // named: the loop reads into it
  for (const auto& row : kan_report["cases"])
    if (row["peer"] == "fake-torch 9.9") CHECK(row["peer_peak_mb"].get<double>() == 1.0);
}

TEST_CASE("lathe bench pairs both libtorch peers, each in its own process", "[unit][cli]") {
  std::string one = fake_peer("fake_peer_one.sh", "2 2 4");
  std::string two = fake_peer("fake_peer_two.sh", "8");
  Run r = lathe_cli("bench --only add8 --threads 1 --seconds 0.05 --json --libtorch-peer " + one +
                    " --torch-peer " + two);
  INFO(r.output);
  REQUIRE(r.code == 0);
  nlohmann::json report = nlohmann::json::parse(r.output);
  std::vector<double> peer_ms;
  for (const auto& row : report["cases"])
    if (row["peer"] == "fake-torch 9.9") peer_ms.push_back(row["peer_ms"].get<double>());
  CHECK(peer_ms == std::vector<double>{2.0, 8.0});  // in order: --libtorch-peer, --torch-peer
}

TEST_CASE("lathe bench rejects bad settings and a broken peer with exit code 2",
          "[unit][cli][errors]") {
  check_bad_input(bench("--only no_such_case --json --seconds 0.05 --torch-peer ''"),
                  "[bench] no case matches 'no_such_case'");
  check_bad_input(bench("--threads 0 --torch-peer ''"), "[bench] --threads takes");
  check_bad_input(bench("--torch-peer /nonexistent/peer"),
                  "[bench] peer '/nonexistent/peer' is not a program that can run");
  check_bad_input(bench("--only add8 --torch-peer /bin/true"),
                  "[bench] peer '/bin/true' exited without answering 'version'");
  std::string mute = fake_peer("mute_peer.sh", "");
  check_bad_input(bench("--only add8 --threads 1 --seconds 0.05 --json --torch-peer " + mute),
                  "' sent no samples");
}

TEST_CASE("lathe eval writes outputs and gradients", "[unit][cli]") {
  std::string x = npy("x", from_vector(std::vector<double>{0.5, -1.0, 2.0}, {3}));
  std::string seed = npy("seed", from_vector(std::vector<double>{1, 2, 3}, {3}));
  std::string out = scratch("eval_ok");
  Run r = lathe_cli("eval exp --in x=" + x + " --grad --grad-seed y=" + seed + " --out " + out);
  INFO(r.output);
  REQUIRE(r.code == 0);
  std::vector<double> y = load_npy(out + "/y.npy").to_vector<double>();
  std::vector<double> g = load_npy(out + "/grad_x.npy").to_vector<double>();
  CHECK(y[2] == Approx(std::exp(2.0)));
  CHECK(g[1] == Approx(2 * std::exp(-1.0)));  // seed * exp(x)

  Run f32 = lathe_cli("eval sum --in x=" + x + " --dtype f32 --attr keepdim=true --out " + out);
  REQUIRE(f32.code == 0);
  CHECK(load_npy(out + "/y.npy").dtype() == DType::f32);
  CHECK(load_npy(out + "/y.npy").shape() == Shape{1});

  std::string a = npy("a", from_vector(std::vector<double>{1, 2}, {1, 2}));
  std::string b = npy("b", from_vector(std::vector<double>{3}, {1, 1}));
  Run cat = lathe_cli("eval concat --in xs=" + a + " --in xs=" + b + " --attr axis=1 --grad --out " +
                      out);
  REQUIRE(cat.code == 0);
  CHECK(load_npy(out + "/y.npy").to_vector<double>() == std::vector<double>{1, 2, 3});
  CHECK(load_npy(out + "/grad_xs_1.npy").shape() == Shape{1, 1});
}

TEST_CASE("lathe eval rejects bad input with exit code 2 and one line", "[unit][cli][errors]") {
  std::string x = npy("x2", from_vector(std::vector<double>{1, 2, 3}, {3}));
  std::string idx = npy("idx", from_vector(std::vector<int64_t>{0, 1}, {2}));
  std::string out = scratch("eval_bad");

  check_bad_input(lathe_cli("eval expp --in x=" + x + " --out " + out), "unknown op 'expp'");
  check_bad_input(lathe_cli("eval softplus --in x=" + x + " --attr gamma=1 --out " + out),
                  "[softplus] unknown attribute 'gamma'");
  check_bad_input(lathe_cli("eval softplus --in x=" + x + " --attr beta=big --out " + out),
                  "attribute 'beta' expects float, got 'big'");
  check_bad_input(lathe_cli("eval add --in a=" + x + " --out " + out), "[add] missing input 'b'");
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --in w=" + x + " --out " + out),
                  "[exp] unknown input 'w'");
  check_bad_input(lathe_cli("eval exp --in x=" + idx + " --out " + out),
                  "input 'x' expects a float tensor, got i64");
  std::string m = npy("m", zeros({2, 2}, DType::f64));
  check_bad_input(lathe_cli("eval matmul --in a=" + x + " --in b=" + m + " --out " + out),
                  "[matmul]");
  check_bad_input(lathe_cli("eval exp --in x=/nonexistent.npy --out " + out), "cannot open file");

  std::string truncated = scratch("truncated.npy");
  {
    std::ifstream in(x, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() - 4);
  }
  check_bad_input(lathe_cli("eval exp --in x=" + truncated + " --out " + out), "truncated data");
  std::string corrupt = scratch("corrupt.npy");
  std::ofstream(corrupt) << "definitely not numpy";
  check_bad_input(lathe_cli("eval exp --in x=" + corrupt + " --out " + out), "bad magic");

  std::string file = scratch("a_file");
  std::ofstream(file) << "x";
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --out " + file + "/sub"),
                  "cannot create output directory");
  check_bad_input(lathe_cli("eval exp --in x" + x + " --out " + out), "expected NAME=VALUE");
}

TEST_CASE("a failing lathe eval leaves no partial result", "[unit][cli][errors]") {
  std::string x = npy("x3", from_vector(std::vector<double>{1, 2, 3}, {3}));
  std::string bad_seed = npy("bad_seed", zeros({4}, DType::f64));
  std::string parent = scratch("eval_partial");
  std::filesystem::remove_all(parent);
  std::filesystem::create_directories(parent);
  std::string out = parent + "/out";
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --grad --grad-seed y=" + bad_seed +
                            " --out " + out),
                  "seed for 'y' has shape [4]");
  CHECK(listing(parent).empty());  // no --out, no temporary directory
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --out " + parent + "/a/b/c --dtype f16"),
                  "[eval] --dtype takes f32 or f64, got 'f16'");
  CHECK(listing(parent).empty());
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --out ''"),
                  "[eval] --out must be a directory path, got ''");
  Run cuda = lathe_cli("eval exp --in x=" + x + " --backend cuda --out " + out);
  INFO(cuda.output);
  CHECK(cuda.code == 2);
  CHECK(cuda.output.find("[empty]") == std::string::npos);
  CHECK(listing(parent).empty());
  // Success: the directory appears whole, with only the outputs in it.
  Run ok = lathe_cli("eval exp --in x=" + x + " --grad --out " + out);
  INFO(ok.output);
  REQUIRE(ok.code == 0);
  CHECK(listing(parent) == std::vector<std::string>{"out"});
  CHECK(listing(out) == (std::vector<std::string>{"grad_x.npy", "y.npy"}));
  std::filesystem::create_directory(parent + "/by_mkdir");  // --out's mode: mkdir's, not 0700
  CHECK(std::filesystem::status(out).permissions() ==
        std::filesystem::status(parent + "/by_mkdir").permissions());
  CHECK(load_npy(out + "/y.npy").to_vector<double>()[0] == Approx(std::exp(1.0)));
}

TEST_CASE("lathe gradcheck passes good ops and reports per input", "[unit][cli]") {
  Run r = lathe_cli("gradcheck softplus --attr beta=2 --shape x=5,3");
  INFO(r.output);
  CHECK(r.code == 0);
  CHECK(r.output.find("first  order  d/d x") != std::string::npos);
  CHECK(r.output.find("second order  d/d seed of y") != std::string::npos);
  std::string idx = npy("gidx", from_vector(std::vector<int64_t>{0, 2, 1, 1, 0, 2}, {3, 2}));
  Run g = lathe_cli("gradcheck gather --in index=" + idx + " --attr axis=1 --shape x=3,4");
  CHECK(g.code == 0);
  check_bad_input(lathe_cli("gradcheck gather"), "pass it with --in index=FILE.npy");
  check_bad_input(lathe_cli("gradcheck argmax"), "no floating output");
  check_bad_input(lathe_cli("gradcheck exp --shape x=3,q"), "bad shape");
}

TEST_CASE("lathe gradcheck uses the optional inputs --shape names and checks each",
          "[unit][cli]") {
  Run plain = lathe_cli("gradcheck layer_norm --shape x=2,4 --first-order-only");
  INFO(plain.output);
  CHECK(plain.code == 0);
  CHECK(plain.output.find("d/d x") != std::string::npos);
  CHECK(plain.output.find("d/d weight") == std::string::npos);
  Run all = lathe_cli("gradcheck layer_norm --shape x=2,4 --shape weight=4 --shape bias=4 "
                      "--first-order-only");
  INFO(all.output);
  CHECK(all.code == 0);
  for (const char* v : {"d/d x", "d/d weight", "d/d bias"})
    CHECK(all.output.find(v) != std::string::npos);
  std::string w = npy("ln_w", from_vector(std::vector<double>{1, 2, 3, 4}, {4}));
  check_bad_input(lathe_cli("gradcheck layer_norm --in weight=" + w + " --shape weight=4"),
                  "[gradcheck] input 'weight' is given both with --in and with --shape");
}

TEST_CASE("lathe gradcheck samples large inputs unless asked for all elements", "[unit][cli]") {
  Run sampled = lathe_cli("gradcheck exp --shape x=10,30");
  INFO(sampled.output);
  CHECK(sampled.code == 0);
  CHECK(sampled.output.find("(sampled 64 of 300 elements)") != std::string::npos);
  Run fewer = lathe_cli("gradcheck exp --shape x=10,30 --max-elements 10");
  CHECK(fewer.output.find("(sampled 10 of 300 elements)") != std::string::npos);
  Run full = lathe_cli("gradcheck exp --shape x=10,30 --all-elements");
  INFO(full.output);
  CHECK(full.code == 0);
  CHECK(full.output.find("first  order  d/d x") != std::string::npos);
  CHECK(full.output.find("sampled") == std::string::npos);
}

#endif  // LATHE_CLI_PATH
