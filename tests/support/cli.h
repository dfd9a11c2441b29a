// Running the `lathe` program from a test, as a separate process (LATHE_CLI_PATH, defined when
// the build has the program): its stdout and stderr together, and its exit code.
#pragma once

#ifdef LATHE_CLI_PATH

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

namespace lathe::test {

struct Run {
  int code;
  std::string output;  // stdout and stderr
};

// Runs `lathe ARGS`, with `env` ("NAME=VALUE ...") before it when given.
inline Run lathe_cli(const std::string& args, const std::string& env = "") {
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

}  // namespace lathe::test

#endif
