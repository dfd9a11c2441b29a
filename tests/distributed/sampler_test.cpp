// DistributedSampler: disjoint shards covering the data set, the same shuffle on every rank,
// padding and dropping, and one rank equal to the DataLoader's order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "distributed/sampler.h"
#include "tests/distributed/group.h"

using lathe::dist::DistributedSampler;
using lathe::dist::test::group;

TEST_CASE("sampler: shards of 10 samples over 3 ranks, padded or dropped", "[distributed]") {
  for (bool drop : {false, true}) {
    INFO("drop_last " << drop);
    std::vector<int64_t> all;
    for (int r = 0; r < 3; ++r) {
      DistributedSampler s(10, r, 3, {true, 5, drop});
      std::vector<int64_t> shard = s.indices(2);
      CHECK(static_cast<int64_t>(shard.size()) == (drop ? 3 : 4));
      CHECK(s.num_samples() == (drop ? 3 : 4));
      all.insert(all.end(), shard.begin(), shard.end());
    }
    std::set<int64_t> distinct(all.begin(), all.end());
    // Padding repeats two samples (12 slots, 10 samples); dropping leaves one out.
    CHECK(distinct.size() == (drop ? 9u : 10u));
    for (int64_t i : all) CHECK((i >= 0 && i < 10));
  }
}

TEST_CASE("sampler: one rank is the DataLoader's order; epochs differ", "[distributed]") {
  std::vector<int64_t> x(17);
  for (int64_t i = 0; i < 17; ++i) x[i] = i;
  lathe::data::TensorDataset ds({lathe::from_vector(x, {17})});
  lathe::data::DataLoader loader(ds, {4, true, 9});
  DistributedSampler s(17, 0, 1, {true, 9, false});
  CHECK(s.indices(3) == loader.order(3));
  CHECK(s.indices(3) != s.indices(4));
  CHECK(s.epoch(ds, 4, 3).size() == 5);           // 4 + 4 + 4 + 4 + 1
  CHECK(s.epoch(ds, 4, 3, true).size() == 4);
  DistributedSampler plain(5, 1, 2, {false, 0, false});
  CHECK(plain.indices(0) == std::vector<int64_t>{1, 3, 0});  // 0..4 padded with 0, odd slots
}

TEST_CASE("sampler: the real ranks' shards are disjoint and cover the data", "[distributed]") {
  auto& pg = *group();
  int64_t n = 50;
  DistributedSampler s(n, pg.rank(), pg.world_size(), {true, 1, true});
  std::vector<int64_t> mine = s.indices(0);
  lathe::Tensor rows = pg.allgather(lathe::from_vector(mine, {s.num_samples()}));
  std::vector<int64_t> all = rows.to_vector<int64_t>();
  std::set<int64_t> distinct(all.begin(), all.end());
  CHECK(distinct.size() == all.size());  // disjoint
  CHECK(static_cast<int64_t>(all.size()) == n - n % pg.world_size());
}

TEST_CASE("sampler: bad arguments name the sampler", "[distributed]") {
  CHECK_THROWS_WITH(DistributedSampler(10, 3, 3),
                    Catch::StartsWith("[DistributedSampler] rank 3 is outside 0..2"));
  CHECK_THROWS_WITH(DistributedSampler(2, 0, 3, {true, 0, true}),
                    Catch::StartsWith("[DistributedSampler] 2 samples over 3 ranks"));
  DistributedSampler s(10, 0, 2);
  CHECK_THROWS_WITH(s.indices(-1), Catch::StartsWith("[DistributedSampler] epoch"));
}
