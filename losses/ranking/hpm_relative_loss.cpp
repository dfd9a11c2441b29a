// hpm_relative_loss: HPM's relative objective for its loss predictor. Predicted per-patch losses
// p [N, L] (a second decoder head) and target reconstruction losses t [N, L] (a constant: the
// per-patch matrix of mae_norm_pix_loss, restricted to the masked patches); for the ordered
// pairs (j, k) of each image:
//   pos_jk = 1[t_k > t_j],  neg_jk = 1[t_k < t_j],  D_jk = p_k - p_j,
//   L = sum[-pos log(sigmoid(D) + 1e-6) - neg log(1 - sigmoid(D) + 1e-6)] / sum(pos + neg),
// ties excluded from the count. The +1e-6 inside the logs is the reference's (bit-matching; no
// logsigmoid).
// Paper: "Bootstrap Masked Visual Modeling via Hard Patches Mining" (HPM; catalog: ranking.md;
// official code Haochen-Wang409/HPM models_mae_learn_loss.py forward_learning_loss with
// relative=True, the default; engine_pretrain.py).
// A scalar (sum / number of valid ordered pairs): the loss declares its own reduction.
// NOTE: every target tied (or L = 1) is 0/0 in the reference; lathe gives a finite 0 with a graph
// and zero gradients. Memory O(L^2) per image.
// Gradient (autograd): into p only (t is detached here).
// Composite.
#include "losses/ranking/ranking.h"
#include "ops/composite.h"

namespace lathe {

Tensor hpm_relative_loss(const Tensor& input, const Tensor& target) {
  const char* op = "hpm_relative_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_dim(op, "input", input, 2);
  check_same_shape(op, "input", input, "target", target);
  Tensor t = target.detach();
  Tensor tj = unsqueeze(t, 2), tk = unsqueeze(t, 1);                  // [N, L, 1], [N, 1, L]
  Tensor pos = cast(gt(tk, tj), input.dtype());                       // [N, L, L]
  Tensor neg = cast(lt(tk, tj), input.dtype());                       // [N, L, L]
  Tensor sig = sigmoid(unsqueeze(input, 1) - unsqueeze(input, 2));    // [N, L, L] sigmoid(D_jk)
  Tensor l = -pos * log(sig + 1e-6) - neg * log(1.0 - sig + 1e-6);    // [N, L, L]
  Tensor pairs = sum(pos + neg);                                      // []
  Tensor total = sum(l);                                              // []
  return where(gt(pairs, 0.0), total / maximum(pairs, 1.0), 0.0 * total);
}

LATHE_REGISTER_OPS(hpm_relative_loss) {
  registry.add(OpDef("hpm_relative_loss", "ranking")
                   .summary("pairwise BCE ranking of predicted per-patch losses (HPM)")
                   .paper("Bootstrap Masked Visual Modeling via Hard Patches Mining")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .own_reduction("sum over ordered pairs / number of untied pairs (a scalar)")
                   .output("loss")
                   .run(hpm_relative_loss));
}

}  // namespace lathe
