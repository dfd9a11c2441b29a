// itta_consistency_loss: ITTA's learnable consistency loss. With features z_o, z_a [B, D] of an
// original and an augmented input and the learnable network f_w ("Adaparams": L elementwise
// affine layers with relu between them, f(x) = w_L (relu(... relu(w_1 x + b_1) ...)) + b_L):
//   L_reg = MSE(f_w(z_a - z_o), 0) = mean(f_w(z_a - z_o)^2)
// Paper: "Improved Test-Time Adaptation for Domain Generalization" (ITTA); code
// liangchen527/ITTA domainbed/algorithms.py (catalog: other.md). Checked against the code's
// Adaparams: weight and bias are [D] vectors per layer (ones and zeros at init), depth 10,
// relu after every layer but the last; we take them stacked as [L, D].
// Training adds CE(clf(z_o), y) + CE(clf(z_a), y); the meta-update of w uses
// itta_grad_penalty (0.1 * l2_between_dicts(grad L_reg, grad L_cla, normalize=True) over the
// featurizer's gradients taken with create_graph: double backward). Defaults: reduction mean.
// Composite (autograd).
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor itta_adaparams(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  const char* op = "itta_consistency_loss";
  check_floating(op, "weight", weight);
  check_floating(op, "bias", bias);
  check_dim(op, "weight", weight, 2);
  check_same_shape(op, "weight", weight, "bias", bias);
  LATHE_CHECK(weight.shape()[0] >= 1, "[", op, "] f_w needs at least one layer, got weight ",
              weight.shape());
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() == weight.shape()[1], "[", op,
              "] features [..., ", weight.shape()[1], "] expected by weight ", weight.shape(),
              ", got ", x.shape());
  int64_t L = weight.shape()[0];
  Tensor h = x;                                                       // [B, D]
  for (int64_t l = 0; l < L; ++l) {
    h = h * squeeze(narrow(weight, 0, l, 1), {0}) + squeeze(narrow(bias, 0, l, 1), {0});
    if (l + 1 < L) h = relu(h);
  }
  return h;                                                           // [B, D]
}

Tensor itta_consistency_loss(const Tensor& z_o, const Tensor& z_a, const Tensor& weight,
                             const Tensor& bias, const IttaConsistencyLossOptions& o) {
  const char* op = "itta_consistency_loss";
  check_floating(op, "z_o", z_o);
  check_floating(op, "z_a", z_a);
  check_same_shape(op, "z_o", z_o, "z_a", z_a);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor d = itta_adaparams(z_a - z_o, weight, bias);                 // [B, D]
  return apply_reduction(d * d, r);
}

Tensor itta_grad_penalty(const std::vector<Tensor>& grads_reg,
                         const std::vector<Tensor>& grads_cla, double weight) {
  const char* op = "itta_grad_penalty";
  LATHE_CHECK(!grads_reg.empty() && grads_reg.size() == grads_cla.size(), "[", op,
              "] needs one gradient per parameter in both lists, got ", grads_reg.size(),
              " and ", grads_cla.size());
  std::vector<Tensor> a, b;
  for (size_t i = 0; i < grads_reg.size(); ++i) {
    check_floating(op, "grads_reg", grads_reg[i]);
    check_floating(op, "grads_cla", grads_cla[i]);
    check_same_shape(op, "grads_reg", grads_reg[i], "grads_cla", grads_cla[i]);
    a.push_back(reshape(grads_reg[i], {-1}));
    b.push_back(reshape(grads_cla[i], {-1}));
  }
  Tensor v1 = concat(a), v2 = concat(b);                              // [P]
  // A zero vector stays zero instead of 0/0 (the reference would give NaN).
  Tensor u1 = v1 / clamp(norm(v1), 1e-30), u2 = v2 / clamp(norm(v2), 1e-30);
  Tensor diff = u1 - u2;
  return weight * mean(diff * diff);
}

LATHE_REGISTER_OPS(itta_consistency_loss) {
  registry.add(OpDef("itta_consistency_loss", "other")
                   .summary("ITTA learnable consistency MSE(f_w(z_a - z_o), 0), f_w elementwise "
                            "affine layers")
                   .paper("Improved Test-Time Adaptation for Domain Generalization")
                   .input("z_o")
                   .input("z_a")
                   .input("weight")
                   .input("bias")
                   .options<IttaConsistencyLossOptions>()
                   .attr("reduction", &IttaConsistencyLossOptions::reduction,
                         "none ([B, D]) | mean | sum")
                   .output("loss")
                   .run(itta_consistency_loss));
}

}  // namespace lathe
