// The distributed tests' main: one ProcessGroup for the whole run (MPI can be initialised
// once), made before Catch2 runs and destroyed after, so MPI is finalised cleanly.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/distributed/group.h"

namespace lathe::dist::test {
std::shared_ptr<ProcessGroup>& group() {
  static std::shared_ptr<ProcessGroup> pg;
  return pg;
}
}  // namespace lathe::dist::test

int main(int argc, char** argv) {
  using lathe::dist::test::group;
  lathe::dist::ProcessGroupOptions options;
  options.timeout_s = 60;  // a deadlocked test fails instead of hanging CTest
  group() = lathe::dist::ProcessGroup::from_environment(options);
  int rc = Catch::Session().run(argc, argv);
  group().reset();
  return rc;
}
