// BatchNorm2d: the 4-D check torch.nn.BatchNorm2d makes, then BatchNorm (models/norm/).
#include "models/resample.h"

#include "core/error.h"

namespace lathe::nn {

Tensor BatchNorm2d::forward(const Tensor& x) {
  LATHE_CHECK(x.dim() == 4, "[BatchNorm2d] expected x [N, C, H, W] (4 dims), got ", x.shape());
  return BatchNorm::forward(x);
}

}  // namespace lathe::nn
