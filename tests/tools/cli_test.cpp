// The `lathe` program, run as a separate process: its outputs, and exit code 2 with one line
// naming the problem for every kind of bad input (and no partial result left behind).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "lathe.h"

#ifdef LATHE_CLI_PATH

using namespace lathe;

namespace {

struct Run {
  int code;
  std::string output;  // stdout and stderr
};

// Runs `lathe ARGS`, with `env` ("NAME=VALUE ...") before it when given.
Run lathe_cli(const std::string& args, const std::string& env = "") {
  std::string cmd = (env.empty() ? "" : "env " + env + " ") + std::string(LATHE_CLI_PATH) + " " +
                    args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string scratch(const std::string& name) {
  return std::string(LATHE_BINARY_DIR) + "/cli_test_" + name;
}

std::string npy(const std::string& name, const Tensor& t) {
  std::string path = scratch(name + ".npy");
  save_npy(path, t);
  return path;
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
// accuracy above chance. Skipped when the data set is not installed.
TEST_CASE("lathe train --epochs 1 --limit 2000 trains, evaluates and writes its run folder",
          "[unit][cli][slow]") {
  if (!std::ifstream(std::string(data::kFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz")) {
    std::printf("LATHE_TEST_SKIPPED: Fashion-MNIST is not installed\n");
    return;
  }
  std::string runs = scratch("runs");
  Run r = lathe_cli("train --epochs 1 --limit 2000 --name smoke --quiet --runs-dir " + runs);
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK(r.output.find("student (KAN, distilled)") != std::string::npos);
  std::string dir = runs + "/smoke/";
  for (const char* f : {"metrics.jsonl", "curves.svg", "summary.json", "config.json",
                        "teacher.safetensors", "student.safetensors"}) {
    INFO(f);
    CHECK(std::ifstream(dir + f).good());
  }
  nlohmann::json summary = nlohmann::json::parse(std::ifstream(dir + "summary.json"));
  CHECK(summary["teacher"]["test_accuracy"].get<double>() > 0.5);  // chance: 0.1
  CHECK(summary["student"]["test_accuracy"].get<double>() > 0.3);
  std::ifstream metrics(dir + "metrics.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(metrics, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    CHECK(j["test_accuracy"].get<double>() > 0.1);
    ++lines;
  }
  CHECK(lines == 2);  // one epoch each of teacher and student
  std::ifstream svg(dir + "curves.svg");
  std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  CHECK(text.rfind("<svg", 0) == 0);
  CHECK(text.find("student test") != std::string::npos);
  // Resuming a finished run trains nothing more and reports the same accuracies.
  Run again = lathe_cli("train --epochs 1 --limit 2000 --name smoke --quiet --resume --runs-dir " +
                        runs);
  INFO(again.output);
  REQUIRE(again.code == 0);
  nlohmann::json resumed = nlohmann::json::parse(std::ifstream(dir + "summary.json"));
  CHECK(resumed["student"]["test_accuracy"] == summary["student"]["test_accuracy"]);
}

TEST_CASE("lathe train rejects bad settings with exit code 2", "[unit][cli]") {
  check_bad_input(lathe_cli("train --alpha 2 --runs-dir " + scratch("runs")), "[train] alpha");
  std::string config = scratch("bad_config.json");
  std::ofstream(config) << "{\"epochz\": 3}";
  check_bad_input(lathe_cli("train --config " + config), "unknown key 'epochz'");
  check_bad_input(lathe_cli("train --data-dir /nonexistent --runs-dir " + scratch("runs")),
                  "dataset-fashion-mnist");
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
  check_bad_input(lathe_cli("ops --family nothing"), "[ops] no op in family 'nothing'");
}

TEST_CASE("lathe info and --help describe the program", "[unit][cli]") {
  Run info = lathe_cli("info");
  CHECK(info.code == 0);
  CHECK(info.output.find("reference: 1 device(s)") != std::string::npos);
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
  std::string out = scratch("eval_partial");
  std::remove((out + "/y.npy").c_str());
  check_bad_input(lathe_cli("eval exp --in x=" + x + " --grad --grad-seed y=" + bad_seed +
                            " --out " + out),
                  "seed for 'y' has shape [4]");
  CHECK_FALSE(std::ifstream(out + "/y.npy").good());
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

#endif  // LATHE_CLI_PATH
