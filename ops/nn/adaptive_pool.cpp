// adaptive_avg_pool2d and adaptive_max_pool2d, as torch.nn.functional's: output cell i of a dim
// of extent S pooled to o cells covers [start_i, end_i) = [floor(i S / o), ceil((i + 1) S / o)),
// so windows may differ in size by one and overlap when S is not a multiple of o.
//   avg: y = window sum / window cells
//   max: y = window max; indices = flat h W + w of the first maximum in row-major window order,
//        which alone takes the gradient (PyTorch's rule).
// Composites: a host table lists each output's window cells (flat h W + w), padded to the
// largest window with one extra cell appended to x's flattened spatial dims (0 for the sum,
// -inf for the max); one index_select gathers every window as [N, C, P, Kmax]; the max then
// masks the taps to the first argmax as max_pool does. Autograd derives both backwards (a
// scatter-add through index_select) and their double backwards.
#include <limits>

#include "ops/composite.h"
#include "ops/nn/resample.h"
#include "ops/nn/window.h"

namespace lathe {

namespace {

struct AdaptiveWindows {
  Tensor x;                  // [N, C, H, W]
  std::vector<int64_t> out;  // (oh, ow)
  int64_t taps = 0;          // Kmax: cells of the largest window
  std::vector<int64_t> table;   // [P * Kmax] flat cells, H W for the filler cell
  std::vector<double> count;    // [P] cells of each window
};

int64_t window_start(int64_t i, int64_t in, int64_t out) { return i * in / out; }
int64_t window_end(int64_t i, int64_t in, int64_t out) { return ((i + 1) * in + out - 1) / out; }

AdaptiveWindows adaptive_windows(const char* op, const Tensor& input,
                                 const std::vector<int64_t>& output_size) {
  AdaptiveWindows a;
  a.x = batched_input(op, input, 2);
  a.out = per_dim(op, "output_size", output_size, 2, 1);
  int64_t h = a.x.shape()[2], w = a.x.shape()[3];
  LATHE_CHECK(h > 0 && w > 0, "[", op, "] x ", input.shape(), " has an empty spatial dim");
  int64_t kh = 0, kw = 0;
  for (int64_t i = 0; i < a.out[0]; ++i)
    kh = std::max(kh, window_end(i, h, a.out[0]) - window_start(i, h, a.out[0]));
  for (int64_t j = 0; j < a.out[1]; ++j)
    kw = std::max(kw, window_end(j, w, a.out[1]) - window_start(j, w, a.out[1]));
  a.taps = kh * kw;
  int64_t positions = a.out[0] * a.out[1];
  a.table.assign(positions * a.taps, h * w);
  a.count.resize(positions);
  for (int64_t i = 0; i < a.out[0]; ++i) {
    for (int64_t j = 0; j < a.out[1]; ++j) {
      int64_t q = i * a.out[1] + j, t = 0;
      int64_t h0 = window_start(i, h, a.out[0]), h1 = window_end(i, h, a.out[0]);
      int64_t w0 = window_start(j, w, a.out[1]), w1 = window_end(j, w, a.out[1]);
      for (int64_t r = h0; r < h1; ++r)
        for (int64_t c = w0; c < w1; ++c) a.table[q * a.taps + t++] = r * w + c;
      a.count[q] = static_cast<double>((h1 - h0) * (w1 - w0));
    }
  }
  return a;
}

// Every window of a.x, its flattened spatial dims extended by one `filler` cell:
// [N, C, oh, ow, Kmax].
Tensor gather_windows(const AdaptiveWindows& a, double filler) {
  int64_t n = a.x.shape()[0], c = a.x.shape()[1];
  Tensor flat = reshape(a.x, {n, c, a.x.shape()[2] * a.x.shape()[3]});  // [N, C, H W]
  flat = pad(flat, {0, 1}, filler);                                      // [N, C, H W + 1]
  int64_t positions = a.out[0] * a.out[1];
  Tensor index = from_vector(a.table, {positions * a.taps}, a.x.device());
  return reshape(index_select(flat, index, 2), {n, c, a.out[0], a.out[1], a.taps});
}

}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& x, const std::vector<int64_t>& output_size) {
  AdaptiveWindows a = adaptive_windows("adaptive_avg_pool2d", x, output_size);
  Tensor total = sum(gather_windows(a, 0.0), {-1});  // [N, C, oh, ow]
  Tensor y = total / from_vector(a.count, {1, 1, a.out[0], a.out[1]}, a.x.dtype(), a.x.device());
  return x.dim() == 3 ? squeeze(y, {0}) : y;
}

MaxPoolResult adaptive_max_pool2d(const Tensor& x, const std::vector<int64_t>& output_size) {
  AdaptiveWindows a = adaptive_windows("adaptive_max_pool2d", x, output_size);
  Tensor win = gather_windows(a, -std::numeric_limits<double>::infinity());  // [N, C, oh, ow, K]
  Tensor arg = argmax(win, -1, true);                                        // [N, C, oh, ow, 1]
  Tensor first = eq(arange(a.taps, DType::i64, a.x.device()), arg);  // bool [N, C, oh, ow, K]
  Tensor y = sum(where(first, win, 0.0), {-1});                      // [N, C, oh, ow]
  Tensor where_from = expand(from_vector(a.table, {1, 1, a.out[0], a.out[1], a.taps},
                                         a.x.device()),
                             win.shape());
  Tensor indices = squeeze(gather(where_from, arg, -1), {-1});  // i64 [N, C, oh, ow]
  if (x.dim() == 3) return {squeeze(y, {0}), squeeze(indices, {0})};
  return {y, indices};
}

LATHE_REGISTER_OPS(adaptive_pool) {
  registry.add(OpDef("adaptive_avg_pool2d", "nn")
                   .summary("mean over the windows that split x [N, C, H, W] into output_size "
                            "cells")
                   .input("x")
                   .attr("output_size", std::vector<int64_t>{1}, "(oh, ow), one value or two")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{adaptive_avg_pool2d(c.in("x"), c.ints("output_size"))};
                   }));
  registry.add(OpDef("adaptive_max_pool2d", "nn")
                   .summary("max over the windows that split x [N, C, H, W] into output_size "
                            "cells, with indices")
                   .input("x")
                   .attr("output_size", std::vector<int64_t>{1}, "(oh, ow), one value or two")
                   .output("y")
                   .output("indices", Kind::integer)
                   .run([](const OpCall& c) {
                     MaxPoolResult r = adaptive_max_pool2d(c.in("x"), c.ints("output_size"));
                     return Outputs{r.y, r.indices};
                   }));
}

}  // namespace lathe
