// ProcessGroup: collectives' values on every rank, bad input, and failure within a timeout.
#include <catch2/catch.hpp>

#include <csignal>
#include <iostream>
#include <thread>

#include "core/error.h"
#include "ops/ops.h"
#include "tests/distributed/group.h"

using lathe::Tensor;
using lathe::dist::ReduceOp;
using lathe::dist::test::group;

TEST_CASE("process group: rank and world size from mpirun", "[distributed]") {
  auto& pg = *group();
  REQUIRE(pg.world_size() >= 2);  // CTest runs this under mpirun -np 2 and 3
  REQUIRE(pg.rank() >= 0);
  REQUIRE(pg.rank() < pg.world_size());
  Tensor ranks = pg.allgather(lathe::from_vector(std::vector<int64_t>{pg.rank()}, {1}));
  REQUIRE(ranks.shape() == lathe::Shape({pg.world_size(), 1}));
  std::vector<int64_t> got = ranks.to_vector<int64_t>();
  for (int r = 0; r < pg.world_size(); ++r) CHECK(got[r] == r);
}

TEST_CASE("process group: allreduce sum and mean", "[distributed]") {
  auto& pg = *group();
  double r = pg.rank() + 1, w = pg.world_size();
  double total = w * (w + 1) / 2;  // 1 + 2 + ... + W
  Tensor f32 = lathe::from_vector(std::vector<float>{float(r), float(-2 * r), 0.5f}, {3});
  pg.allreduce(f32, ReduceOp::sum);
  std::vector<float> want{float(total), float(-2 * total), 0.5f * float(w)};
  CHECK(f32.to_vector<float>() == want);
  Tensor f64 = lathe::from_vector(std::vector<double>{r, r * r}, {2, 1});
  pg.allreduce(f64, ReduceOp::mean);
  double squares = w * (w + 1) * (2 * w + 1) / 6;
  std::vector<double> mean = f64.to_vector<double>();
  CHECK(mean[0] == Approx(total / w).epsilon(1e-15));
  CHECK(mean[1] == Approx(squares / w).epsilon(1e-15));
  Tensor i64 = lathe::from_vector(std::vector<int64_t>{pg.rank(), 7}, {2});
  pg.allreduce(i64);
  CHECK(i64.to_vector<int64_t>() == std::vector<int64_t>{int64_t(total - w), int64_t(7 * w)});
}

TEST_CASE("process group: broadcast from a chosen root, barrier", "[distributed]") {
  auto& pg = *group();
  int root = pg.world_size() - 1;
  Tensor t = lathe::from_vector(std::vector<double>{10.0 * pg.rank(), 1.0 + pg.rank()}, {2},
                                lathe::DType::f64);
  pg.broadcast(t, root);
  CHECK(t.to_vector<double>() == std::vector<double>{10.0 * root, 1.0 + root});
  pg.barrier();
}

TEST_CASE("process group: bad input names the group", "[distributed]") {
  auto& pg = *group();
  Tensor m = lathe::zeros({3, 4});
  Tensor strided = lathe::transpose(m, 0, 1);
  CHECK_THROWS_WITH(pg.allreduce(strided),
                    Catch::StartsWith("[ProcessGroup] allreduce: the tensor must be contiguous"));
  Tensor ints = lathe::zeros({2}, lathe::DType::i64);
  CHECK_THROWS_WITH(pg.allreduce(ints, ReduceOp::mean),
                    Catch::StartsWith("[ProcessGroup] allreduce: mean needs a floating dtype"));
  Tensor flags = lathe::zeros({2}, lathe::DType::boolean);
  CHECK_THROWS_WITH(pg.allreduce(flags), Catch::Contains("dtype bool is not supported"));
  Tensor t = lathe::zeros({2});
  CHECK_THROWS_WITH(pg.broadcast(t, pg.world_size()),
                    Catch::StartsWith("[ProcessGroup] broadcast: root"));
  CHECK_THROWS_WITH(pg.set_timeout(0), Catch::StartsWith("[ProcessGroup] timeout_s"));
}

// Run one at a time by CTest (distributed_failure_*); the group is broken afterwards.
TEST_CASE("failure: hang", "[.failure]") {
  auto& pg = *group();
  pg.set_timeout(2);
  if (pg.rank() == 1) {  // a rank stuck in its own work, never joining the collective
    std::this_thread::sleep_for(std::chrono::seconds(8));
    return;
  }
  Tensor t = lathe::ones({4});
  try {
    pg.allreduce(t);
    FAIL("allreduce returned although rank 1 never joined");
  } catch (const lathe::Error& e) {
    std::cerr << e.what() << "\n";
    CHECK_THAT(e.what(), Catch::StartsWith("[ProcessGroup] allreduce timed out after 2 s"));
  }
}

TEST_CASE("failure: kill", "[.failure]") {
  auto& pg = *group();
  pg.set_timeout(20);
  if (pg.rank() == 1) std::raise(SIGKILL);  // dies mid-run
  Tensor t = lathe::ones({4});
  try {
    pg.allreduce(t);
    FAIL("allreduce returned although rank 1 is dead");
  } catch (const lathe::Error& e) {
    std::cerr << e.what() << "\n";
    CHECK_THAT(e.what(), Catch::StartsWith("[ProcessGroup] allreduce"));
  }
}
