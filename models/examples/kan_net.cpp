// KANNet: nn::KAN (efficient-kan) on the flattened input.
#include "models/examples/examples.h"

namespace lathe::nn {

namespace {
std::vector<int64_t> widths(int64_t in, const std::vector<int64_t>& hidden, int64_t out) {
  std::vector<int64_t> w{in};
  w.insert(w.end(), hidden.begin(), hidden.end());
  w.push_back(out);
  return w;
}

KANLinearOptions kan_options(int64_t grid_size, int64_t spline_order, DType dtype, Device device) {
  LATHE_CHECK(grid_size > 0 && spline_order >= 0,
              "[KANNet] grid_size must be positive and spline_order non-negative, got ", grid_size,
              " and ", spline_order);
  KANLinearOptions o;
  o.grid_size = grid_size;
  o.spline_order = spline_order;
  o.dtype = dtype;
  o.device = device;
  return o;
}

void check_input(const Tensor& x, int64_t in) {
  LATHE_CHECK(x.dim() >= 2 && x.shape()[0] > 0 && x.numel() / x.shape()[0] == in,
              "[KANNet] expected x [B, ", in, "] or [B, ...] with ", in, " features per row, got ",
              x.shape());
}
}  // namespace

KANNet::KANNet(int64_t in, const std::vector<int64_t>& hidden, int64_t out, int64_t grid_size,
               int64_t spline_order, DType dtype, Device device)
    : KAN(widths(in, hidden, out), kan_options(grid_size, spline_order, dtype, device)),
      in_features(in) {}

Tensor KANNet::forward(const Tensor& x) {
  check_input(x, in_features);
  return KAN::forward(x.flatten(1));  // [B, out]
}

Tensor KANNet::update_grid(const Tensor& x, double margin) {
  check_input(x, in_features);
  return KAN::update_grid(x.flatten(1), margin);
}

}  // namespace lathe::nn
