// FFT: hand values, round trips on every host backend, bad input naming the op.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "lathe.h"
#include "ops/fft/fft.h"

using namespace lathe;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  REQUIRE(x.size() == y.size());
  double m = 0;
  for (size_t i = 0; i < x.size(); ++i) m = std::fmax(m, std::fabs(x[i] - y[i]));
  return m;
}

std::vector<Device> host_devices() {
  std::vector<Device> d{Device::reference()};
  if (default_device() != Device::reference()) d.push_back(default_device());
  return d;
}

}  // namespace

TEST_CASE("fft: hand values and round trips", "[unit][fft]") {
  for (Device dev : host_devices()) {
    INFO(dev);
    // The DFT of a unit impulse is all ones; of x_j = exp(2 pi i j / 4) a spike of 4 at k = 1.
    Tensor delta = from_vector(std::vector<double>{1, 0, 0, 0, 0, 0, 0, 0}, {4, 2}, DType::f64,
                               dev);
    CHECK(max_abs_diff(fft(delta), from_vector(std::vector<double>{1, 0, 1, 0, 1, 0, 1, 0},
                                               {4, 2})) < 1e-15);
    Tensor wave = from_vector(std::vector<double>{1, 0, 0, 1, -1, 0, 0, -1}, {4, 2}, DType::f64,
                              dev);
    CHECK(max_abs_diff(fft(wave), from_vector(std::vector<double>{0, 0, 4, 0, 0, 0, 0, 0},
                                              {4, 2})) < 1e-14);
    CHECK(max_abs_diff(fft(wave, -1, "ortho"),
                       from_vector(std::vector<double>{0, 0, 2, 0, 0, 0, 0, 0}, {4, 2})) < 1e-14);
    for (DType dt : {DType::f64, DType::f32}) {
      double tol = dt == DType::f64 ? 1e-12 : 1e-5;
      Tensor z = randn({3, 12, 2}, dt, dev);
      CHECK(max_abs_diff(ifft(fft(z, 1), 1), z) < tol);
      Tensor sq = z.reshape({3, 3, 4, 2});  // fft2 = fft along both axes, in either order
      CHECK(max_abs_diff(fft2(sq), fft(fft(sq, 1), 2)) < tol * 10);
      Tensor x = randn({4, 7}, dt, dev);
      CHECK(max_abs_diff(irfft(rfft(x), 7), x) < tol);
      Tensor img = randn({2, 6, 10}, dt, dev);
      CHECK(max_abs_diff(irfft2(rfft2(img, "ortho"), 10, "ortho"), img) < tol);
    }
  }
}

TEST_CASE("fft: bad input names the op", "[unit][fft][errors]") {
  Tensor z = zeros({4, 2}, DType::f64, Device::reference());
  CHECK_THROWS_WITH(fft(zeros({4, 3}, DType::f64)), Catch::StartsWith("[fft] x must be complex"));
  CHECK_THROWS_WITH(ifft(zeros({0, 2}, DType::f64)),
                    Catch::StartsWith("[ifft] the transformed axis -1 has length 0"));
  CHECK_THROWS_WITH(rfft(zeros({3, 0}, DType::f64)),
                    Catch::StartsWith("[rfft] the transformed axis -1 has length 0"));
  CHECK_THROWS_WITH(fft(z, -1, "none"),
                    Catch::StartsWith("[fft] norm must be backward, forward or ortho"));
  CHECK_THROWS_WITH(fft(z, 1), Catch::StartsWith("[fft] axis"));
  CHECK_THROWS_WITH(irfft(from_vector(std::vector<double>{1, 0}, {1, 2})),
                    Catch::StartsWith("[irfft] the output length n must be >= 1"));
  CHECK_THROWS_WITH(fft2(z), Catch::StartsWith("[fft2] axis"));
  CHECK_THROWS_WITH(rfft(cast(zeros({4}), DType::f16)), Catch::StartsWith("[rfft] x must be f32"));
}
