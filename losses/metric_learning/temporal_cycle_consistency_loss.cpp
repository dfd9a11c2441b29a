// temporal_cycle_consistency_loss: TCC's deterministic alignment of two frame sequences
// u [N, D] (the start) and v [M, D]. Scaled similarity sim(a, b) = -max(|a|^2 + |b|^2 - 2ab, 0)
// / D / tau ('l2') or a.b / D / tau ('cosine'). Every frame i of u starts a cycle:
//   alpha_i = softmax_j sim(u_i, v_j),  v~_i = sum_j alpha_ij v_j,  l_ik = sim(v~_i, u_k)
//   beta_i = softmax_k l_ik,  t_k = k (/ seq_len when given),  mu_i = sum_k beta_ik t_k
//   regression_mse_var: (t_i - mu_i)^2 / sigma_i^2 + lam log sigma_i^2,
//                       sigma_i^2 = sum_k beta_ik (t_k - mu_i)^2
//   regression_mse: (t_i - mu_i)^2;  regression_huber: huber_delta(mu_i - t_i);
//   classification: CE(l_i, i) with label smoothing.
// Paper: "Vid2Robot: End-to-end Video-conditioned Policy Learning with Cross-Attention
// Transformers" (its auxiliary alignment loss); TCC is Dwibedi et al., "Temporal
// Cycle-Consistency Learning" (CVPR 2019); code google-research tcc/deterministic_alignment.py
// and tcc/losses.py, as the catalog quotes them. NOTE: Vid2Robot's own settings are not
// published; the TCC config defaults are used. For a batch of sequences, call it for every
// ordered pair and average (TCC's mean over pairs).
// Defaults: regression_mse_var, l2, tau 0.1, lam 1e-3, label smoothing 0.1, Huber delta 0.1.
// Reduction: over the N start frames. Gradients: autograd (sigma^2 -> 0 for N = 1 or a very
// peaked beta makes log sigma^2 diverge).
#include <string>

#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor scaled_sim(const Tensor& a, const Tensor& b, bool l2, double scale) {
  if (!l2) return matmul(a, b.t()) * scale;                                   // [P, Q]
  Tensor sq = sum(a * a, {1}, true) + sum(b * b, {1}).unsqueeze(0) - 2.0 * matmul(a, b.t());
  return -relu(sq) * scale;                                                   // [P, Q]
}
}  // namespace

Tensor temporal_cycle_consistency_loss(const Tensor& u_in, const Tensor& v_in,
                                       const TemporalCycleConsistencyLossOptions& o) {
  // f16 / bf16 rows compute in f32 (sigma^2 underflows in f16): the result is cast back.
  const DType out = u_in.dtype();
  const bool narrow_dtype = out == DType::f16 || out == DType::bf16;
  const Tensor u = narrow_dtype ? cast(u_in, DType::f32) : u_in;
  const Tensor v = narrow_dtype && v_in.dtype() == out ? cast(v_in, DType::f32) : v_in;
  const char* op = "temporal_cycle_consistency_loss";
  pairs::check_embeddings(op, "u", u_in);
  pairs::check_embeddings(op, "v", v_in);
  check_shape(op, "v", v, {v.size(0), u.size(1)});
  const std::string& var = o.variant;
  LATHE_CHECK(var == "regression_mse_var" || var == "regression_mse" ||
                  var == "regression_huber" || var == "classification",
              "[", op, "] variant must be regression_mse_var, regression_mse, regression_huber "
              "or classification, got '", var, "'");
  LATHE_CHECK(o.similarity == "l2" || o.similarity == "cosine", "[", op,
              "] similarity must be l2 or cosine, got '", o.similarity, "'");
  pairs::check_positive(op, "temperature", o.temperature);
  LATHE_CHECK(u.size(0) >= 2 || var == "classification", "[", op,
              "] the regression variants need at least 2 frames in u, got ", u.size(0));
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t n = u.size(0);
  const bool l2 = o.similarity == "l2";
  const double scale = 1.0 / static_cast<double>(u.size(1)) / o.temperature;
  Tensor alpha = softmax(scaled_sim(u, v, l2, scale), 1);                    // [N, M]
  Tensor logits = scaled_sim(matmul(alpha, v), u, l2, scale);                // [N, N]
  Tensor frames = arange(n, DType::i64, u.device());                         // [N]
  if (var == "classification") {
    Tensor logp = log_softmax(logits, 1);                                    // [N, N]
    Tensor nll = -pairs::take_rows(logp, frames);                            // [N]
    Tensor smooth = -mean(logp, {1});                                        // [N]
    Tensor l = (1.0 - o.label_smoothing) * nll + o.label_smoothing * smooth;
    return cast(apply_reduction(l, r), out);
  }
  Tensor t = cast(frames, u.dtype());                                        // [N]
  if (o.seq_len > 0.0) t = t / o.seq_len;
  Tensor beta = softmax(logits, 1);                                          // [N, N]
  Tensor mu = sum(beta * t.unsqueeze(0), {1});                               // [N]
  Tensor err = t - mu;                                                       // [N]
  Tensor l;
  if (var == "regression_mse_var") {
    Tensor dev = t.unsqueeze(0) - mu.unsqueeze(1);                           // [N, N]
    Tensor logvar = log(sum(beta * dev * dev, {1}));                         // [N]
    l = exp(-logvar) * err * err + o.lam * logvar;
  } else if (var == "regression_mse") {
    l = err * err;
  } else {
    Tensor a = abs(err);
    l = where(lt(a, o.huber_delta), 0.5 * err * err, o.huber_delta * (a - 0.5 * o.huber_delta));
  }
  return cast(apply_reduction(l, r), out);
}

LATHE_REGISTER_OPS(temporal_cycle_consistency_loss) {
  using O = TemporalCycleConsistencyLossOptions;
  registry.add(OpDef("temporal_cycle_consistency_loss", "metric_learning")
                   .summary("TCC: soft nearest-neighbour cycle u -> v -> u back to the start frame")
                   .paper("Vid2Robot: End-to-end Video-conditioned Policy Learning with "
                          "Cross-Attention Transformers")
                   .input("u")
                   .input("v")
                   .options<O>()
                   .attr("variant", &O::variant,
                         "regression_mse_var | regression_mse | regression_huber | classification")
                   .attr("similarity", &O::similarity, "l2 | cosine")
                   .attr("temperature", &O::temperature, "similarity temperature, > 0")
                   .attr("lam", &O::lam, "weight of log sigma^2 (regression_mse_var)")
                   .attr("label_smoothing", &O::label_smoothing, "classification")
                   .attr("huber_delta", &O::huber_delta, "regression_huber")
                   .attr("seq_len", &O::seq_len, "> 0: frame indices divided by it")
                   .attr("reduction", &O::reduction, "none | mean | sum over start frames")
                   .output("loss")
                   .run(temporal_cycle_consistency_loss));
}

}  // namespace lathe
