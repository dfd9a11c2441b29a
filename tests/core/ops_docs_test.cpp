// The committed op reference (docs/ops-*.md) is what the registry generates
// (`lathe ops --docs docs`); tools/lathe/ops.cpp writes it.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lathe.h"

#ifdef LATHE_CLI_PATH

namespace {
// stdout of `lathe ARGS`; the exit code goes to `code`.
std::string run_cli(const std::string& args, int& code) {
  std::string cmd = std::string(LATHE_CLI_PATH) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}
}  // namespace

TEST_CASE("docs/ops-*.md are what the registry generates", "[unit][registry][docs]") {
  namespace fs = std::filesystem;
  const std::string marker = "<!-- Generated from the op registry";
  int pages = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(LATHE_SOURCE_DIR) / "docs")) {
    std::string file = entry.path().filename().string();
    if (file.rfind("ops-", 0) != 0 || entry.path().extension() != ".md") continue;
    ++pages;
    std::string page = file.substr(4, file.size() - 7);
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    size_t at = text.find(marker);
    INFO("docs/" << file);
    REQUIRE(at != std::string::npos);
    int code = 0;
    std::string generated = run_cli("ops --markdown --page " + page, code);
    REQUIRE(code == 0);
    bool same = text.substr(at) == generated;
    if (!same)
      FAIL("docs/" << file << " differs from the registry; regenerate it with "
                   "`./build/tools/lathe/lathe ops --docs docs` (or `cmake --build build "
                   "--target docs`) and commit the result");
  }
  CHECK(pages == 4);
}

TEST_CASE("lathe ops --markdown writes a family and refuses bad pages", "[unit][registry][docs]") {
  int code = 0;
  std::string kan = run_cli("ops --markdown --family kan", code);
  CHECK(code == 0);
  CHECK(kan.find("| af_kan_layer | x, low, high,") != std::string::npos);
  CHECK(kan.find("  - `func_norm` (bool, default true): whole-batch min-max") !=
        std::string::npos);
  std::string bad = run_cli("ops --markdown --page nothing", code);
  CHECK(code == 2);
  CHECK(bad.find("[ops] no docs page 'nothing' (pages: core, norm, kan, losses)") !=
        std::string::npos);
  bad = run_cli("ops --page core", code);
  CHECK(code == 2);
  CHECK(bad.find("[ops] --page needs --markdown") != std::string::npos);
}

#endif
