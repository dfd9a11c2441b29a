// Counter-based random numbers: reproducible, backend-independent, well distributed.
#include <catch2/catch.hpp>

#include <cmath>

#include "backends/philox.h"
#include "lathe.h"

using namespace lathe;

TEST_CASE("Philox4x32-10 matches the published known-answer vectors", "[unit][random]") {
  uint32_t out[4];
  const uint32_t c0[4] = {0, 0, 0, 0}, k0[2] = {0, 0};
  lathe_philox4x32_10(c0, k0, out);
  CHECK(out[0] == 0x6627e8d5u);
  CHECK(out[3] == 0x9b00dbd8u);
  const uint32_t c1[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
  const uint32_t k1[2] = {0xa4093822u, 0x299f31d0u};
  lathe_philox4x32_10(c1, k1, out);
  CHECK(out[0] == 0xd16cfe09u);
  CHECK(out[3] == 0x24126ea1u);
}

TEST_CASE("draws are a pure function of seed and offset", "[unit][random]") {
  Tensor a = random_draw(LATHE_RAND_UNIFORM, {5}, DType::f64, Device::reference(), 99, 10, 0, 1);
  uint32_t r[4];
  lathe_philox_draw(99, 12, r);
  CHECK(a.to_vector<double>()[2] == lathe_uniform53(r[0], r[1]));
  Tensor f = random_draw(LATHE_RAND_UNIFORM, {5}, DType::f32, Device::reference(), 99, 10, 0, 1);
  CHECK(f.to_vector<float>()[2] == static_cast<float>(lathe_uniform24(r)));

  manual_seed(3);
  Tensor x = rand({100}), y = rand({100});  // consecutive draws do not overlap
  manual_seed(3);
  CHECK(rand({100}).to_vector<float>() == x.to_vector<float>());
  CHECK(rand({100}).to_vector<float>() == y.to_vector<float>());
  CHECK(default_generator().offset() == 200);
}

TEST_CASE("uniform and normal draws have the right moments", "[unit][random]") {
  Generator gen(11);
  Tensor u = uniform({200000}, -1.0, 3.0, DType::f64, Device::reference(), &gen);
  CHECK(mean(u).item() == Approx(1.0).margin(0.02));
  CHECK(min(u).item() >= -1.0);
  CHECK(max(u).item() < 3.0);
  Tensor n = normal({200000}, 2.0, 0.5, DType::f64, Device::reference(), &gen);
  double m = mean(n).item();
  CHECK(m == Approx(2.0).margin(0.01));
  CHECK(std::sqrt(mean((n - m) * (n - m)).item()) == Approx(0.5).margin(0.01));
  CHECK_THROWS_WITH(rand({2}, DType::i64), Catch::Contains("[rand]"));
}

TEST_CASE("dropout keeps a p-dependent fraction and rescales", "[unit][random]") {
  Tensor x = ones({10000}, DType::f64);
  Tensor y = dropout(x, 0.25, true, 5);
  std::vector<double> v = y.to_vector<double>();
  size_t kept = 0;
  for (double e : v) {
    CHECK((e == 0.0 || e == Approx(1.0 / 0.75)));
    kept += e != 0.0;
  }
  CHECK(static_cast<double>(kept) / v.size() == Approx(0.75).margin(0.02));
  CHECK(dropout(x, 0.25, true, 5).to_vector<double>() == v);  // same seed, same mask
  CHECK(dropout(x, 0.25, false).to_vector<double>() == x.to_vector<double>());
}
