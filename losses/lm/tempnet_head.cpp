// tempnet_head: TempNet's temperature network, one temperature per token for
// tempnet_dro_ce_loss. Logits z [N, K], read detached (the head learns only through tau):
//   x = z / ||z||,  h = W2 dropout(sigmoid(W1 x + b1)) + b2              [N, h]
//   w = softmax(h / exp(s)),  tau = (tau_max - tau_min) sigmoid(w3 . ((w - 1/h) h) + b3) + tau_min
// with w1 [h, K], b1 [h], w2 [h, h], b2 [h], w3 [1, h], b3 [1] and the learnable log-scale s []
// (init 0); returns tau [N, 1] in (tau_min, tau_max).
// Paper: "To Cool or not to Cool? Temperature Network Meets Large Foundation Models via DRO"
// (catalog: lm.md, official code zhqiu/TempNet GPT-2/megatron/model/tempnet.py TempNet).
// Defaults: h 256 (the module's), tau_min 0.5, tau_max 5, dropout 0.5 in training only; the
// module (nn::TempNetHead, models/tempnet.h) initializes w3 to 1 and b3 to 0 as the reference.
// NOTE: the reference divides by ||z|| unguarded, so an all-zero row gives 0/0 = NaN; lathe
// divides by max(||z||, 1e-12) (F.normalize's guard): such a row reads x = 0.
// Not a loss: it registers in family nn (losses/README.md), its output is tau.
// Gradient (autograd): into w1..b3 and s; none into the logits (detached on entry).
// Composite.
#include "losses/lm/lm_more.h"
#include "ops/composite.h"

namespace lathe {

Tensor tempnet_head(const Tensor& logits, const Tensor& w1, const Tensor& b1, const Tensor& w2,
                    const Tensor& b2, const Tensor& w3, const Tensor& b3, const Tensor& s,
                    const TempnetHeadOptions& o) {
  const char* op = "tempnet_head";
  check_floating(op, "logits", logits);
  check_dim(op, "logits", logits, 2);
  check_floating(op, "w1", w1);
  check_dim(op, "w1", w1, 2);
  const int64_t k = logits.size(1), hid = w1.size(0);
  check_shape(op, "w1", w1, {hid, k});
  check_shape(op, "b1", b1, {hid});
  check_shape(op, "w2", w2, {hid, hid});
  check_shape(op, "b2", b2, {hid});
  check_shape(op, "w3", w3, {1, hid});
  check_shape(op, "b3", b3, {1});
  check_floating(op, "s", s);
  LATHE_CHECK(s.numel() == 1, "[", op, "] s must hold one value, got shape ", s.shape());
  LATHE_CHECK(o.tau_min > 0 && o.tau_max > o.tau_min, "[", op,
              "] need 0 < tau_min < tau_max, got ", o.tau_min, " and ", o.tau_max);
  LATHE_CHECK(o.dropout >= 0 && o.dropout < 1, "[", op, "] dropout must lie in [0, 1), got ",
              o.dropout);
  Tensor z = logits.detach();                                              // [N, K]
  Tensor x = z / sqrt(maximum(sum(z * z, {1}, true), 1e-24));              // [N, K]
  Tensor a = sigmoid(linear(x, w1, b1));                                   // [N, h]
  if (o.training && o.dropout > 0) a = dropout(a, o.dropout, true, o.seed);
  Tensor h = linear(a, w2, b2);                                            // [N, h]
  Tensor w = softmax(h / exp(reshape(s, {})), 1);                          // [N, h]
  Tensor g = linear((w - 1.0 / static_cast<double>(hid)) * h, w3, b3);     // [N, 1]
  return (o.tau_max - o.tau_min) * sigmoid(g) + o.tau_min;                 // [N, 1]
}

LATHE_REGISTER_OPS(tempnet_head) {
  registry.add(OpDef("tempnet_head", "nn")
                   .summary("TempNet's per-token temperature in (tau_min, tau_max) from detached "
                            "logits (the head of tempnet_dro_ce_loss)")
                   .paper("To Cool or not to Cool? Temperature Network Meets Large Foundation "
                          "Models via DRO")
                   .input("logits", Kind::floating, kNoGrad)
                   .input("w1")
                   .input("b1")
                   .input("w2")
                   .input("b2")
                   .input("w3")
                   .input("b3")
                   .input("s")
                   .options<TempnetHeadOptions>()
                   .attr("tau_min", &TempnetHeadOptions::tau_min, "the smallest temperature")
                   .attr("tau_max", &TempnetHeadOptions::tau_max, "the largest temperature")
                   .attr("dropout", &TempnetHeadOptions::dropout,
                         "dropout after the first sigmoid (training only)")
                   .attr("training", &TempnetHeadOptions::training, "dropout on")
                   .attr("seed", &TempnetHeadOptions::seed,
                         "dropout's seed (< 0: the global generator)")
                   .output("tau")
                   .run(tempnet_head));
}

}  // namespace lathe
