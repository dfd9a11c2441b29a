// supcon_loss tiled (tile > 0, issue 18): equal to the untiled composite to 1e-10 in f64 with
// gradients for tiles that do and do not divide N = B V, and O(N tile) memory instead of O(N^2).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "lathe.h"
#include "losses/contrastive/contrastive.h"

using namespace lathe;

namespace {
Tensor ints(const std::vector<int64_t>& v) {
  return from_vector(v, {static_cast<int64_t>(v.size())});
}
}  // namespace

TEST_CASE("supcon_loss: tiled equals untiled to 1e-10 in f64 with gradients", "[unit][losses]") {
  const int64_t b = 7, v = 2;
  Tensor feats = randn({b, v, 5}, DType::f64);
  for (std::vector<int64_t> labels : {std::vector<int64_t>{3, 1, 3, 0, 1, 3, 9},
                                      std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6},
                                      std::vector<int64_t>{2, 2, 2, 2, 2, 2, 2}}) {
    for (const char* rule : {"exclude", "zero"}) {
      auto run = [&](int64_t tile, std::vector<double>* grad) {
        Tensor f = feats.clone().requires_grad_(true);
        SupconLossOptions o;
        o.tau = 0.3;
        o.no_positive = rule;
        o.tile = tile;
        Tensor l = supcon_loss(f, ints(labels), o);
        l.backward();
        *grad = f.grad().to_vector<double>();
        return l.item();
      };
      std::vector<double> want, got;
      double ref = run(0, &want);
      for (int64_t tile : {1, 2, 3, 5, 14, 20}) {
        INFO("tile " << tile << " labels " << labels[0] << labels[1] << " rule " << rule);
        CHECK(std::fabs(run(tile, &got) - ref) <= 1e-10);
        for (size_t e = 0; e < want.size(); ++e) CHECK(std::fabs(got[e] - want[e]) <= 1e-10);
      }
    }
  }
  // one view, one anchor: no positive, 0 (a fully excluded row stays finite)
  Tensor one = randn({1, 1, 3}, DType::f64).requires_grad_(true);
  SupconLossOptions o;
  o.tile = 4;
  Tensor l = supcon_loss(one, ints({5}), o);
  CHECK(l.item() == 0.0);
  l.backward();
  for (double g : one.grad().to_vector<double>()) CHECK(g == 0.0);
  o.tile = -1;
  CHECK_THROWS_WITH(supcon_loss(one, ints({5}), o),
                    Catch::StartsWith("[supcon_loss] tile must be >= 0"));
}

TEST_CASE("supcon_loss: the tiled path holds O(N tile), not O(N^2)", "[unit][losses]") {
  const int64_t b = 512, v = 2;  // N = 1024 anchors
  Tensor feats = randn({b, v, 16}, DType::f64);
  std::vector<int64_t> lv(b);
  for (int64_t i = 0; i < b; ++i) lv[i] = (i * 7) % 37;
  Tensor labels = ints(lv);
  auto peak = [&](int64_t tile) {
    Tensor f = feats.clone().requires_grad_(true);
    SupconLossOptions o;
    o.tau = 0.1;
    o.tile = tile;
    Device dev = feats.device();
    size_t base = memory_stats(dev).allocated_bytes;
    reset_peak_memory(dev);
    supcon_loss(f, labels, o).backward();
    return double(memory_stats(dev).peak_bytes - base);
  };
  double untiled = peak(0), tiled = peak(64);
  // One [N, N] f64 matrix is 8 MiB; the untiled graph keeps several (S, the masks, log p), the
  // tiled one none: [N, D] tensors and [tile, tile] blocks.
  const double nn = 1024.0 * 1024 * 8;
  CHECK(untiled > 4.0 * nn);
  CHECK(tiled < 0.1 * untiled);
  CHECK(tiled < 0.5 * nn);
}
