// color_filter_score: CoLoR-Filter's conditional loss reduction of each sequence, from the
// logits [B, T, V] of a prior model and of a conditional model (the prior fine-tuned on
// downstream data) and integer labels [B, T]:
//   NLL(x) = 1 / (T - 1) sum_{t < T-1} CE(logits_t, labels_{t+1})   (ignored labels add 0 but
//            still count: OLMo's reduction 'none' losses averaged with .mean(-1)),
//   score(x) = NLL_prior(x) - NLL_cond(x)
// One score per sequence [B]; selection keeps the N / tau highest. Not differentiable here (a
// data-selection score), computed without a graph.
// Paper: "CoLoR-Filter: Conditional Loss Reduction Filtering for Targeted Language Model
// Pre-training" (Brandfonbrener et al., 2024; catalog: metric.md, confidence 'official code':
// davidbrandfonbrener/color-filter-olmo olmo/score.py score_step, olmo/train.py
// model_forward and get_labels). Defaults: ignore_index -100.
#include "ops/composite.h"
#include "ops/metric/metric.h"

namespace lathe {
namespace {

// The mean next-token cross-entropy per sequence [B] (ignored positions 0, counted).
Tensor next_token_nll(const Tensor& logits, const Tensor& target, const Tensor& valid) {
  int64_t t = logits.shape()[1];
  Tensor lp = log_softmax(narrow(logits, 1, 0, t - 1), 2);            // [B, T-1, V]
  Tensor picked = squeeze(gather(lp, unsqueeze(target, 2), 2), {2});  // [B, T-1]
  return mean(where(valid, -picked, 0.0), {1});                       // [B]
}

}  // namespace

Tensor color_filter_score(const Tensor& logits_prior, const Tensor& logits_cond,
                          const Tensor& labels, const ColorFilterScoreOptions& o) {
  const char* op = "color_filter_score";
  check_floating(op, "logits_prior", logits_prior);
  check_floating(op, "logits_cond", logits_cond);
  check_dim(op, "logits_prior", logits_prior, 3);
  check_same_shape(op, "logits_prior", logits_prior, "logits_cond", logits_cond);
  int64_t b = logits_prior.shape()[0], t = logits_prior.shape()[1];
  int64_t v = logits_prior.shape()[2];
  LATHE_CHECK(t >= 2 && v >= 1, "[", op, "] logits must be [B, T, V] with T >= 2, got ",
              logits_prior.shape());
  LATHE_CHECK(is_integral(labels.dtype()), "[", op, "] labels must be integers, got ",
              labels.dtype());
  LATHE_CHECK(labels.shape() == (Shape{b, t}), "[", op, "] labels must be [B, T] = ", Shape{b, t},
              ", got ", labels.shape());
  for (int64_t y : labels.to_vector<int64_t>())
    LATHE_CHECK((y >= 0 && y < v) || y == o.ignore_index, "[", op, "] labels must be in [0, ",
                v, ") or ignore_index ", o.ignore_index, ", got ", y);
  NoGradGuard no_grad;
  Tensor next = narrow(labels, 1, 1, t - 1);                          // [B, T-1]
  Tensor valid = ne(next, static_cast<double>(o.ignore_index));
  Tensor target = where(valid, next, zeros_like(next));
  return next_token_nll(logits_prior, target, valid) - next_token_nll(logits_cond, target, valid);
}

LATHE_REGISTER_OPS(color_filter_score) {
  registry.add(OpDef("color_filter_score", "metric")
                   .summary("CoLoR-Filter score NLL_prior - NLL_cond per sequence, mean "
                            "next-token CE with ignored positions counted (not differentiable)")
                   .paper("CoLoR-Filter: Conditional Loss Reduction Filtering for Targeted "
                          "Language Model Pre-training")
                   .input("logits_prior", Kind::floating, kNoGrad)
                   .input("logits_cond", Kind::floating, kNoGrad)
                   .input("labels", Kind::integer)
                   .options<ColorFilterScoreOptions>()
                   .attr("ignore_index", &ColorFilterScoreOptions::ignore_index,
                         "label of positions that add 0 but still count in the mean")
                   .output("score")
                   .run(color_filter_score));
}

}  // namespace lathe
