// `lathe graph` (the study guide's pictures) and `lathe conformance` (the porting guide's suite),
// run as the programs users run.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/npy.h"
#include "tests/support/cli.h"

#ifdef LATHE_CLI_PATH

using namespace lathe::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("lathe graph draws the forward graph of one op call", "[unit][cli]") {
  Run r = lathe_cli("graph silu --shape x=3");
  INFO(r.output);
  REQUIRE(r.code == 0);
  // silu = x * sigmoid(x): two recorded primitives, the leaf x feeding both.
  CHECK(r.output.find("digraph lathe {") == 0);
  CHECK(r.output.find("[label=\"mul\\nsaves 2\", shape=box]") != std::string::npos);
  CHECK(r.output.find("[label=\"sigmoid\\nsaves 1\", shape=box]") != std::string::npos);
  CHECK(r.output.find("[label=\"x\\n[3] f32\", shape=ellipse]") != std::string::npos);
  CHECK(r.output.find("output 0\\ny\\n[3] f32") != std::string::npos);
}

TEST_CASE("lathe graph --backward draws the gradient's own graph", "[unit][cli]") {
  Run r = lathe_cli("graph silu --shape x=3 --backward");
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK(r.output.find("output 0\\ngrad x\\n[3] f32") != std::string::npos);
  // dy/dx = g * sigmoid(x) + g * x * s (1 - s): the two paths meet in an add, and the rule
  // itself records sigmoid's derivative (a sub of the saved output from 1).
  CHECK(r.output.find("[label=\"add\", shape=box]") != std::string::npos);
  CHECK(r.output.find("[label=\"sub\", shape=box]") != std::string::npos);
}

TEST_CASE("the walkthrough's pictures are what lathe graph draws today", "[unit][cli]") {
  // docs/autograd/*.dot are the sources of the guide's SVGs; regenerate both on a change:
  //   lathe graph silu --shape x=3 --out docs/autograd/silu_forward.svg (and .dot), likewise
  //   with --backward for silu_backward.
  for (std::string name : {"forward", "backward"}) {
    std::string committed = read_file(std::string(LATHE_SOURCE_DIR) + "/docs/autograd/silu_" +
                                      name + ".dot");
    Run r = lathe_cli("graph silu --shape x=3" + std::string(name == "backward" ? " --backward" : ""));
    REQUIRE(r.code == 0);
    INFO("docs/autograd/silu_" << name << ".dot is stale: regenerate it (see this test)");
    CHECK(r.output == committed);
  }
}

TEST_CASE("the walkthrough's kernel trace is what the trace backend logs today", "[unit][cli]") {
  std::string dir = LATHE_BINARY_DIR, x = dir + "/walkthrough_x.npy",
              trace = dir + "/walkthrough_trace.txt", out = dir + "/walkthrough_silu";
  lathe::save_npy(x, lathe::from_vector(std::vector<double>{-1.0, 0.0, 2.0}, {3}));
  std::remove(trace.c_str());
  Run r = lathe_cli("eval silu --in x=" + x + " --backend trace --grad --out " + out,
                    "LATHE_BACKEND_PATH=" LATHE_TRACE_PLUGIN " LATHE_TRACE=" + trace);
  INFO(r.output);
  REQUIRE(r.code == 0);
  std::string log = read_file(trace);
  CHECK(log.find("unary op=10 in=f64[3] out=f64[3]\nbinary op=2") != std::string::npos);
  INFO("docs/autograd-walkthrough.md's trace listing is stale; it should read:\n" << log);
  CHECK(read_file(std::string(LATHE_SOURCE_DIR) + "/docs/autograd-walkthrough.md")
            .find("```text\n" + log + "```") != std::string::npos);
}

TEST_CASE("lathe graph writes DOT to --out and refuses what it cannot draw",
          "[unit][cli][errors]") {
  std::string out = std::string(LATHE_BINARY_DIR) + "/graph_test_mul.dot";
  std::remove(out.c_str());
  Run ok = lathe_cli("graph mul --shape a=2,3 --shape b=3 --out " + out);
  INFO(ok.output);
  REQUIRE(ok.code == 0);
  CHECK(read_file(out).find("[label=\"b\\n[3] f32\", shape=ellipse]") != std::string::npos);

  Run png = lathe_cli("graph mul --out graph.png");
  CHECK(png.code == 2);
  CHECK(png.output.find("[graph] --out must end in .dot or .svg, got 'graph.png'") !=
        std::string::npos);
  Run ints = lathe_cli("graph silu --shape x=3 --dtype i64");
  CHECK(ints.code == 2);
  CHECK(ints.output.find("[graph] --dtype takes f32 or f64, got 'i64'") != std::string::npos);
  Run unknown = lathe_cli("graph silu --shape q=3");
  CHECK(unknown.code == 2);
  CHECK(unknown.output.find("[silu] unknown input 'q'") != std::string::npos);
}

TEST_CASE("lathe conformance passes the porting guide's example backend", "[unit][cli]") {
  // Every op with cases, as a porter runs it.
  Run r = lathe_cli("conformance --backend trace", "LATHE_BACKEND_PATH=" LATHE_TRACE_PLUGIN);
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK(r.output.find(" ops pass, 0 fail (cases from ") != std::string::npos);
  Run some = lathe_cli("conformance --backend trace --ops silu,matmul,softmax,cross_entropy",
                       "LATHE_BACKEND_PATH=" LATHE_TRACE_PLUGIN);
  CHECK(some.output.find("trace: 4 ops pass, 0 fail") != std::string::npos);
  CHECK(r.output.find("softmax                               5     20  pass") != std::string::npos);
}

TEST_CASE("lathe conformance names the ops a wrong backend gets wrong", "[unit][cli][errors]") {
  // The faulty backend computes exp as sin: exp and softmax fail, add and matmul pass.
  Run r = lathe_cli("conformance --backend faulty --ops add,exp,matmul,softmax",
                    "LATHE_BACKEND_PATH=" LATHE_FAULTY_PLUGIN);
  INFO(r.output);
  CHECK(r.code == 1);
  CHECK(r.output.find("faulty: 2 ops pass, 2 fail") != std::string::npos);
  CHECK(r.output.find("exp                                   2      8  FAIL") != std::string::npos);
  CHECK(r.output.find("add                                   3     12  pass") != std::string::npos);
  CHECK(r.output.find("output y: element") != std::string::npos);
  CHECK(r.output.find("conformance: 2 ops fail on faulty") != std::string::npos);

  Run none = lathe_cli("conformance --backend nosuch");
  CHECK(none.code == 2);
  CHECK(none.output.find("[conformance] no backend 'nosuch'") != std::string::npos);
  Run self = lathe_cli("conformance --backend reference");
  CHECK(self.code == 2);
  CHECK(self.output.find("the reference backend is the specification") != std::string::npos);
  std::string no_cases = std::string(LATHE_BINARY_DIR) + "/conformance_no_cases";
  mkdir(no_cases.c_str(), 0777);
  Run empty = lathe_cli("conformance --backend trace --cases " + no_cases,
                        "LATHE_BACKEND_PATH=" LATHE_TRACE_PLUGIN);
  CHECK(empty.code == 2);
  CHECK(empty.output.find("[conformance] no case file") != std::string::npos);
}

#endif
