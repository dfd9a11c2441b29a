// The committed op reference (docs/ops-*.md) is what the registry generates
// (`lathe ops --docs docs`); tools/lathe/ops.cpp writes it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lathe.h"
#include "tests/support/cli.h"

#ifdef LATHE_CLI_PATH

using lathe::test::lathe_cli;

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
    lathe::test::Run generated = lathe_cli("ops --markdown --page " + page);
    REQUIRE(generated.code == 0);
    bool same = text.substr(at) == generated.output;
    if (!same)
      FAIL("docs/" << file << " differs from the registry; regenerate it with "
                   "`./build/tools/lathe/lathe ops --docs docs` (or `cmake --build build "
                   "--target docs`) and commit the result");
  }
  CHECK(pages == 7);
}

TEST_CASE("lathe ops --markdown writes a family and refuses bad pages", "[unit][registry][docs]") {
  lathe::test::Run kan = lathe_cli("ops --markdown --family kan");
  CHECK(kan.code == 0);
  CHECK(kan.output.find("| af_kan_layer | x, low, high,") != std::string::npos);
  CHECK(kan.output.find("  - `func_norm` (bool, default true): whole-batch min-max") !=
        std::string::npos);
  lathe::test::Run bad = lathe_cli("ops --markdown --page nothing");
  CHECK(bad.code == 2);
  CHECK(bad.output.find("[ops] no docs page 'nothing' (pages: core, norm, kan, linalg, layers, metrics, losses)") !=
        std::string::npos);
  bad = lathe_cli("ops --page core");
  CHECK(bad.code == 2);
  CHECK(bad.output.find("[ops] --page needs --markdown") != std::string::npos);
}

#endif
