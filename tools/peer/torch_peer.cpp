// lathe-libtorch-peer and lathe-torch-peer: the libtorch peers of `lathe bench`, each in its own
// process. Both are the cases of tools/lathe/bench_torch.cpp, built against Debian's libtorch
// 1.13 and against PyTorch 2.x from its pip wheel (two libtorch versions cannot share a process,
// and `lathe` links neither). `lathe bench` starts them and asks each for blocks of samples in
// turns with its own, so drift in machine speed hits every engine.
//
// Protocol: one command per line on stdin, one reply line on stdout.
//   version                 "libtorch 2.15.0"
//   threads N               "ok" (at::set_num_threads)
//   case NAME               "ok" (built, warmed up) | "none" (no such case)
//   time INNER SECONDS      the milliseconds per step of each sample (INNER steps), space
//                           separated: samples until SECONDS have passed, at least 5
//   peak                    peak bytes libtorch holds during one step of the case
// A failure replies "error MESSAGE"; end of input ends the program.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>

#include "tools/lathe/bench.h"

namespace {

using Clock = std::chrono::steady_clock;
using lathe::bench::Step;

std::string reply(const std::string& command, Step& step) {
  std::istringstream in(command);
  std::string verb;
  in >> verb;
  if (verb == "version") return lathe::bench::torch_version();
  if (verb == "threads") {
    int n = 0;
    if (!(in >> n) || n < 1) return "error threads takes a positive count";
    lathe::bench::torch_set_threads(n);
    return "ok";
  }
  if (verb == "case") {
    std::string name;
    in >> name;
    step = Step();  // free the previous case's tensors first
    step = lathe::bench::torch_step(name);
    if (!step) return "none";
    for (int i = 0; i < 3; ++i) step();  // warm caches and lazily built state
    return "ok";
  }
  if (verb != "time" && verb != "peak") return "error unknown command '" + verb + "'";
  if (!step) return "error no case chosen";
  if (verb == "time") {
    int inner = 0;
    double seconds = 0;
    if (!(in >> inner >> seconds) || inner < 1) return "error time takes INNER SECONDS";
    std::string out;
    auto start = Clock::now();
    for (int n = 0;; ++n) {
      auto t0 = Clock::now();
      for (int i = 0; i < inner; ++i) step();
      auto t1 = Clock::now();
      char ms[32];
      std::snprintf(ms, sizeof ms, "%s%.9g", n ? " " : "",
                    std::chrono::duration<double, std::milli>(t1 - t0).count() / inner);
      out += ms;
      if (n >= 4 && std::chrono::duration<double>(t1 - start).count() > seconds) break;
    }
    return out;
  }
  return std::to_string(lathe::bench::torch_peak_bytes(step));
}

}  // namespace

int main() {
  Step step;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string out;
    try {
      out = reply(line, step);
    } catch (const std::exception& e) {
      out = std::string("error ") + e.what();
      for (char& c : out)
        if (c == '\n') c = ' ';
    }
    std::cout << out << std::endl;
  }
  return 0;
}
