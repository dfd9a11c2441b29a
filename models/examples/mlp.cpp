// MLP: Flatten, then Linear -> activation -> Dropout per hidden width, then a Linear head.
#include "models/activation.h"
#include "models/dropout.h"
#include "models/examples/examples.h"
#include "models/flatten.h"

namespace lathe::nn {

MLP::MLP(int64_t in, const std::vector<int64_t>& hidden, int64_t out, const std::string& activation,
         double dropout, DType dtype, Device device)
    : in_features(in) {
  LATHE_CHECK(in > 0 && out > 0, "[MLP] features must be positive, got ", in, " -> ", out);
  LATHE_CHECK(dropout >= 0 && dropout < 1, "[MLP] dropout must lie in [0, 1), got ", dropout);
  append(std::make_shared<Flatten>());
  int64_t width = in;
  for (int64_t h : hidden) {
    LATHE_CHECK(h > 0, "[MLP] hidden widths must be positive, got ", h);
    append(std::make_shared<Linear>(width, h, true, dtype, device));
    append(make_activation(activation, "MLP"));
    append(std::make_shared<Dropout>(dropout));
    width = h;
  }
  append(std::make_shared<Linear>(width, out, true, dtype, device));
}

Tensor MLP::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() >= 2 && x.shape()[0] > 0 && x.numel() / x.shape()[0] == in_features,
              "[MLP] expected x [B, ", in_features, "] or [B, ...] with ", in_features,
              " features per row, got ", x.shape());
  return Sequential::forward(x);
}

}  // namespace lathe::nn
