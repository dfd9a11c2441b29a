// sface_loss: SFace, the sigmoid-constrained hypersphere loss. With cos_ij = x^_i . W^_j
// (rows L2-normalized), theta = acos(cos) and re-scaling weights computed without gradient,
//   r_intra(theta_y) = sigmoid(k (theta_y - a)),   r_inter(theta_j) = sigmoid(-k (theta_j - b))
//   L = mean_i [-r_intra s cos_{i,y_i}] + mean_i [sum_{j != y_i} r_inter(theta_ij) s cos_ij]
// Paper: "SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face Recognition" (Zhong et
// al., IEEE TIP 2021); code zhongyy/SFace SFace_torch/head/metrics.py SFaceLoss, as the catalog
// quotes it. NOTE: the reference does not clamp before acos (NaN when |cos| rounds past 1); the
// op clamps to [-1, 1] (acos is only used for the detached weights).
// Defaults: s 64, k 80, a 0.80, b 1.23 (the class's; the CASIA-WebFace script uses a 0.87,
// b 1.2). Reduction: two batch means, summed (no 'none').
// Gradients: only through cos (dL/dcos_iy = -s r_intra / B, dL/dcos_ij = s r_inter / B), then
// through the normalizations: the weights depend on the same cosines but are detached, so the
// gradient is not the value's derivative (.custom_backward; the oracle checks the gradients).
// The weights' acos runs on the host (lathe has no acos op; they carry no gradient).
#include <algorithm>
#include <cmath>

#include "losses/face/face.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// sigmoid(sign k (acos(clamp(c, -1, 1)) - at)) elementwise, computed on the host, no gradient.
Tensor angle_weight(const Tensor& c, double k, double at, double sign) {
  std::vector<double> v = cast(c.detach(), DType::f64).cpu().to_vector<double>();
  for (double& x : v) {
    double theta = std::acos(std::min(1.0, std::max(-1.0, x)));
    x = 1.0 / (1.0 + std::exp(-sign * k * (theta - at)));
  }
  return cast(from_vector(v, c.shape(), DType::f64, c.device()), c.dtype());
}
}  // namespace

Tensor sface_loss(const Tensor& x, const Tensor& weight, const Tensor& labels,
                  const SfaceLossOptions& o) {
  const char* op = "sface_loss";
  pairs::check_embeddings(op, "x", x);
  pairs::check_embeddings(op, "weight", weight);
  check_shape(op, "weight", weight, {weight.size(0), x.size(1)});
  pairs::check_labels(op, "labels", labels, x.size(0));
  const int64_t classes = weight.size(0);
  pairs::check_label_range(op, labels, classes);
  Tensor y = cast(labels, DType::i64);
  Tensor cosine = matmul(pairs::l2_normalize(x), pairs::l2_normalize(weight).t());  // [B, C]
  Tensor cy = pairs::take_rows(cosine, y);                                         // [B]
  Tensor other = logical_not(pairs::same_label(y, arange(classes, DType::i64, y.device())));
  Tensor intra = angle_weight(cy, o.k, o.a, 1.0) * o.s * cy;                       // [B]
  Tensor inter = where(other, angle_weight(cosine, o.k, o.b, -1.0) * o.s * cosine, 0.0);
  return -mean(intra) + mean(sum(inter, {1}));
}

LATHE_REGISTER_OPS(sface_loss) {
  registry.add(OpDef("sface_loss", "face")
                   .summary("SFace: sigmoid re-scaled intra- and inter-class cosine terms")
                   .paper("SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face "
                          "Recognition")
                   .input("x")
                   .input("weight")
                   .input("labels", Kind::integer)
                   .options<SfaceLossOptions>()
                   .attr("s", &SfaceLossOptions::s, "scale")
                   .attr("k", &SfaceLossOptions::k, "slope of the re-scaling sigmoids")
                   .attr("a", &SfaceLossOptions::a, "intra-class angle of weight 1/2 (radians)")
                   .attr("b", &SfaceLossOptions::b, "inter-class angle of weight 1/2 (radians)")
                   .output("loss")
                   .custom_backward("the re-scaling weights are stop-gradient (the paper's "
                                    "definition): the gradient flows through cos only")
                   .own_reduction("two batch means (intra and inter terms), summed")
                   .run(sface_loss));
}

}  // namespace lathe
