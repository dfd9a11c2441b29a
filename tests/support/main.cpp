// The test program's main (compiled once: Catch2's main is slow to build). Before running
// Catch2 it registers the generic tests: for every registered op, one gradcheck, one
// conformance and one oracle test case, named "<runner>: <op>" and tagged [<runner>], so CTest
// lists (and labels) each op separately; for every primitive also "eval: <op>", the oracle
// fixtures run through the `lathe eval` program.
//
// `lathe_tests --list-cases --json [--op NAME]` prints the case list instead (list_cases.cpp).
//
// LATHE_TEST_BACKEND=NAME (the `cuda` CTest test sets it, with LATHE_BACKEND_PATH naming the
// plugin): conformance runs against that backend only, and when it has no device the program
// exits with 77, which CTest reports as a skipped test.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "tests/support/runners.h"

namespace {

constexpr int kSkipped = 77;  // the tests' SKIP_RETURN_CODE

// The backend named by LATHE_TEST_BACKEND, or "" for all.
std::string only_backend() {
  const char* name = std::getenv("LATHE_TEST_BACKEND");
  return name ? name : "";
}

std::vector<const lathe::Backend*> targets() {
  std::vector<const lathe::Backend*> all = lathe::test::conformance_targets(), out;
  for (const lathe::Backend* b : all)
    if (only_backend().empty() || b->name() == only_backend()) out.push_back(b);
  return out;
}

class FnInvoker : public Catch::ITestInvoker {
 public:
  explicit FnInvoker(std::function<void()> fn) : fn_(std::move(fn)) {}
  void invoke() const override { fn_(); }

 private:
  std::function<void()> fn_;
};

void add_test(const std::string& name, const std::string& tags, std::function<void()> fn) {
  Catch::getMutableRegistryHub().registerTest(
      Catch::makeTestCase(new FnInvoker(std::move(fn)), "", Catch::NameAndTags(name, tags),
                          Catch::SourceLineInfo(__FILE__, __LINE__)));
}

void register_generic_tests() {
  using namespace lathe;
  using namespace lathe::test;
  for (const OpDef* def : op_registry().all()) {
    std::string op = def->name();
    std::vector<const Case*> cases = cases_for(op);
    bool differentiable = std::any_of(cases.begin(), cases.end(),
                                      [](const Case* c) { return c->gradcheck; });
    if (def->differentiable() && differentiable)
      add_test("gradcheck: " + op, "[gradcheck]", [cases] {
        for (const Case* c : cases)
          if (c->gradcheck) run_gradcheck(*c);
      });
    if (!cases.empty())
      add_test("conformance: " + op, "[conformance]", [cases] {
        std::vector<const Backend*> backends = targets();
        REQUIRE_FALSE(backends.empty());
        for (const Backend* b : backends)
          for (const Case* c : cases) run_conformance(*c, *b);
      });
    std::string fixture = oracle_fixture(op);
    if (!fixture.empty())
      add_test("oracle: " + op, "[oracle]", [fixture] { run_oracle_fixture(fixture); });
#ifdef LATHE_CLI_PATH
    if (!fixture.empty() && def->family() == "prim")
      add_test("eval: " + op, "[oracle]",
               [fixture] { run_eval_fixture(LATHE_CLI_PATH, fixture); });
#endif
  }
}

// Handles `--list-cases --json [--op NAME]`; returns -1 when those are not the arguments.
int list_cases(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--list-cases") != 0) return -1;
  bool json = argc >= 3 && std::strcmp(argv[2], "--json") == 0;
  bool op = argc == 5 && std::strcmp(argv[3], "--op") == 0;
  if (!json || (argc != 3 && !op)) {
    std::fprintf(stderr, "usage: lathe_tests --list-cases --json [--op NAME]\n");
    return 2;
  }
  lathe::test::print_cases_json(std::cout, op ? argv[4] : "");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // The reference backend once more, loaded from its plugin: conformance always has a
    // target, and the run-time loading path is exercised by every run.
    lathe::load_backend(LATHE_PLUGIN_PATH, "reference_plugin");
    if (!only_backend().empty()) {
      const lathe::Backend* b = lathe::find_backend(only_backend());
      if (!b || b->device_count() == 0) {
        std::printf("LATHE_TEST_BACKEND=%s: %s, skipping\n", only_backend().c_str(),
                    b ? "no device" : "no such backend");
        return kSkipped;
      }
    }
    int listed = list_cases(argc, argv);
    if (listed >= 0) return listed;
    register_generic_tests();
    // CTest's discovery mangles test names with brackets and splits them at semicolons: such
    // a test silently never runs (its CTest tests match no test case, and pass).
    for (const Catch::TestCase& t : Catch::getRegistryHub().getTestCaseRegistry().getAllTests())
      if (t.name.find_first_of("[];") != std::string::npos)
        throw std::runtime_error("test name '" + t.name + "' contains [, ] or ;: rename it");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "test setup failed: %s\n", e.what());
    return 2;
  }
  return Catch::Session().run(argc, argv);
}
