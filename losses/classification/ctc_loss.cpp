// ctc_loss: connectionist temporal classification, PyTorch's F.ctc_loss. For sample n with
// input length T_n, target y (length L) and its extended sequence l' = (b, y_1, b, ..., y_L, b)
// (b the blank, length 2L + 1), the loss is -log p(y | x) = -log sum over alignments, computed
// in log space by the forward recursion
//   alpha_0(0) = lp_0(b), alpha_0(1) = lp_0(y_1),
//   alpha_t(s) = lp_t(l'_s) + lse(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2) [if l'_s is
//                a label different from l'_{s-2}]),
//   nll = -lse(alpha_{T_n - 1}(2L), alpha_{T_n - 1}(2L - 1)),
// and beta the same from the end. Reduction 'mean' (default): each nll divided by
// max(L_n, 1), then the mean over the batch (as PyTorch); 'sum'; 'none' ([N]).
// Paper: Graves et al., "Connectionist Temporal Classification: Labelling Unsegmented Sequence
// Data with Recurrent Neural Networks" (ICML 2006). Source: torch.nn.functional.ctc_loss
// (PyTorch 1.13); not in the catalog (issue 17 parity).
// Defaults: blank 0, reduction 'mean', zero_infinity false.
// Custom backward, PyTorch's definition: with the class occupancy
//   gamma_t(c) = sum_{s: l'_s = c} exp(alpha_t(s) + beta_t(s) + nll - lp_t(c)),
// the gradient is exp(lp_t(c)) - gamma_t(c) for t < T_n and 0 beyond. That is not the derivative
// of the loss in lp (which is -gamma): it is the derivative of ctc(log_softmax(z)) in z, moved in
// front of log_softmax's backward, which then passes it unchanged (its rows sum to 0). So for
// log_probs that are a log_softmax, composing with log_softmax's backward gives the true gradient
// in the logits (tests/losses/parity_test.cpp checks it against finite differences of the loss).
// NOTE: an infeasible alignment (fewer frames than the target needs) has nll = inf; with
// zero_infinity its loss and gradient are 0 (PyTorch too); without it the loss is inf and
// lathe's gradient is 0 where PyTorch's is NaN (lathe never returns NaN silently).
// Double backward (create_graph) is refused with an error: the rule is not differentiable.
// The recursion runs on the host in float64 (a sequential scan over T; the op is for parity,
// not speed), and the result moves back to the input's device and dtype.
#include <cmath>
#include <limits>
#include <vector>

#include "losses/classification/parity.h"
#include "ops/custom_op.h"

namespace lathe {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double lse(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// One sample: its log-probabilities lp(t, c) for t < frames, its target labels.
struct Sample {
  const double* lp;  // row t starts at lp + t * stride
  int64_t stride;
  int64_t frames;
  std::vector<int64_t> labels;
};

// -log p(y | x) and, when `grad` is not null, PyTorch's gradient written to grad(t, c) (same
// layout as lp) for t < frames.
double ctc_sample(const Sample& x, int64_t classes, int64_t blank, double* grad) {
  int64_t len = static_cast<int64_t>(x.labels.size()), s_count = 2 * len + 1;
  auto label = [&](int64_t s) { return s % 2 == 0 ? blank : x.labels[s / 2]; };
  auto skip = [&](int64_t s) { return s % 2 == 1 && s >= 2 && label(s) != label(s - 2); };
  auto lp = [&](int64_t t, int64_t c) { return x.lp[t * x.stride + c]; };
  if (x.frames == 0) return len == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  std::vector<double> alpha(x.frames * s_count, kNegInf), beta(x.frames * s_count, kNegInf);
  alpha[0] = lp(0, blank);
  if (len > 0) alpha[1] = lp(0, label(1));
  for (int64_t t = 1; t < x.frames; ++t)
    for (int64_t s = 0; s < s_count; ++s) {
      const double* prev = &alpha[(t - 1) * s_count];
      double a = prev[s];
      if (s >= 1) a = lse(a, prev[s - 1]);
      if (skip(s)) a = lse(a, prev[s - 2]);
      alpha[t * s_count + s] = a == kNegInf ? kNegInf : a + lp(t, label(s));
    }
  const double* last = &alpha[(x.frames - 1) * s_count];
  double nll = -(len > 0 ? lse(last[s_count - 1], last[s_count - 2]) : last[0]);
  if (!grad) return nll;
  for (int64_t t = 0; t < x.frames; ++t)
    for (int64_t c = 0; c < classes; ++c) grad[t * x.stride + c] = 0.0;
  if (std::isinf(nll)) return nll;  // infeasible: gradient 0 (see the opening comment)
  int64_t end = (x.frames - 1) * s_count;
  beta[end + s_count - 1] = lp(x.frames - 1, blank);
  if (len > 0) beta[end + s_count - 2] = lp(x.frames - 1, label(s_count - 2));
  for (int64_t t = x.frames - 2; t >= 0; --t)
    for (int64_t s = 0; s < s_count; ++s) {
      const double* next = &beta[(t + 1) * s_count];
      double b = next[s];
      if (s + 1 < s_count) b = lse(b, next[s + 1]);
      if (s + 2 < s_count && skip(s + 2)) b = lse(b, next[s + 2]);
      beta[t * s_count + s] = b == kNegInf ? kNegInf : b + lp(t, label(s));
    }
  std::vector<double> occupancy(classes);
  for (int64_t t = 0; t < x.frames; ++t) {
    std::fill(occupancy.begin(), occupancy.end(), kNegInf);
    for (int64_t s = 0; s < s_count; ++s)
      occupancy[label(s)] =
          lse(occupancy[label(s)], alpha[t * s_count + s] + beta[t * s_count + s]);
    for (int64_t c = 0; c < classes; ++c)
      grad[t * x.stride + c] = std::exp(lp(t, c)) - std::exp(occupancy[c] + nll - lp(t, c));
  }
  return nll;
}

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CtcLossOptions& o) {
  const char* op = "ctc_loss";
  check_floating(op, "log_probs", log_probs);
  LATHE_CHECK(log_probs.dim() == 2 || log_probs.dim() == 3, "[", op,
              "] log_probs must be [T, N, C] or [T, C], got ", log_probs.shape());
  Reduction reduction = parse_reduction(op, o.reduction);
  bool unbatched = log_probs.dim() == 2;
  int64_t frames = log_probs.shape()[0], batch = unbatched ? 1 : log_probs.shape()[1];
  int64_t classes = log_probs.shape()[log_probs.dim() - 1];
  LATHE_CHECK(o.blank >= 0 && o.blank < classes, "[", op, "] blank must lie in [0, ", classes,
              "), got ", o.blank);
  Shape per_sample = unbatched ? Shape{} : Shape{batch};
  auto check_lengths = [&](const char* name, const Tensor& t) {
    LATHE_CHECK(t.defined() && is_integral(t.dtype()), "[", op, "] ", name,
                " must be an integer tensor, got ",
                t.defined() ? std::string(dtype_name(t.dtype())) : std::string("nothing"));
    LATHE_CHECK(t.shape() == per_sample, "[", op, "] ", name, " must have shape ", per_sample,
                ", got ", t.shape());
  };
  check_lengths("input_lengths", input_lengths);
  check_lengths("target_lengths", target_lengths);
  std::vector<int64_t> in_len = input_lengths.to_vector<int64_t>();
  std::vector<int64_t> tg_len = target_lengths.to_vector<int64_t>();
  Tensor y = class_indices(op, "targets", targets, classes);
  std::vector<int64_t> labels = y.to_vector<int64_t>();
  // Padded [N, S] (or [S] unbatched) or concatenated [sum L]: where sample n's labels start.
  bool padded = unbatched || y.dim() == 2;
  LATHE_CHECK(padded ? y.dim() == (unbatched ? 1 : 2) : y.dim() == 1, "[", op,
              "] targets must be [N, S] or concatenated [sum of target_lengths], got ",
              y.shape());
  if (padded && !unbatched)
    LATHE_CHECK(y.shape()[0] == batch, "[", op, "] targets ", y.shape(), " must have ", batch,
                " rows");
  int64_t width = padded ? y.shape()[y.dim() - 1] : 0, offset = 0;
  std::vector<Sample> samples(batch);
  std::vector<double> lp = log_probs.to_vector<double>();  // [T, N, C] row-major
  for (int64_t n = 0; n < batch; ++n) {
    LATHE_CHECK(in_len[n] >= 0 && in_len[n] <= frames, "[", op, "] input_lengths[", n, "] = ",
                in_len[n], " must lie in [0, ", frames, "]");
    int64_t start = padded ? n * width : offset;
    LATHE_CHECK(tg_len[n] >= 0 && (padded ? tg_len[n] <= width
                                          : start + tg_len[n] <= y.shape()[0]),
                "[", op, "] target_lengths[", n, "] = ", tg_len[n], " exceeds the targets ",
                y.shape());
    offset += tg_len[n];
    samples[n] = {lp.data() + n * classes, batch * classes, in_len[n],
                  std::vector<int64_t>(labels.begin() + start, labels.begin() + start + tg_len[n])};
    for (int64_t v : samples[n].labels)
      LATHE_CHECK(v != o.blank, "[", op, "] targets of sample ", n, " hold the blank ", o.blank);
  }
  bool want_grad = needs_grad({log_probs});
  std::vector<double> nll(batch), grad(want_grad ? lp.size() : 0);
  for (int64_t n = 0; n < batch; ++n) {
    double* rows = want_grad ? grad.data() + n * classes : nullptr;  // sample n of [T, N, C]
    nll[n] = ctc_sample(samples[n], classes, o.blank, rows);
    if (o.zero_infinity && std::isinf(nll[n])) nll[n] = 0.0;
  }
  Device device = log_probs.device();
  Tensor losses = from_vector(nll, per_sample, DType::f64, device).to(log_probs.dtype());
  if (want_grad) {
    Shape shape = log_probs.shape();
    record(op, {log_probs}, {losses}, {},
           [grad = std::move(grad), shape, batch, unbatched, device](BackwardCtx& ctx) {
             LATHE_CHECK(!is_grad_enabled(), "[ctc_loss] double backward (create_graph) is not "
                         "defined: the gradient is PyTorch's alpha-beta rule, not a composite");
             Tensor g = from_vector(grad, shape, DType::f64, device).to(ctx.grad(0).dtype());
             Tensor scale = unbatched ? ctx.grad(0) : reshape(ctx.grad(0), {1, batch, 1});
             return std::vector<Tensor>{g * scale};
           });
  }
  if (reduction == Reduction::mean) {
    Tensor len = clamp(target_lengths.to(losses.dtype()), 1.0);
    return mean(losses / len);
  }
  return apply_reduction(losses, reduction);
}

LATHE_REGISTER_OPS(ctc_loss) {
  registry.add(OpDef("ctc_loss", "classification")
                   .summary("connectionist temporal classification loss, log-space "
                            "alpha-beta (F.ctc_loss)")
                   .paper("Connectionist Temporal Classification: Labelling Unsegmented "
                          "Sequence Data with Recurrent Neural Networks")
                   .input("log_probs")
                   .input("targets", Kind::integer)
                   .input("input_lengths", Kind::integer)
                   .input("target_lengths", Kind::integer)
                   .options<CtcLossOptions>()
                   .attr("blank", &CtcLossOptions::blank, "the blank class, in [0, C)")
                   .attr("reduction", &CtcLossOptions::reduction,
                         "none ([N]) | mean (each loss over its target length, then over the "
                         "batch) | sum")
                   .attr("zero_infinity", &CtcLossOptions::zero_infinity,
                         "infeasible alignments give 0 and zero gradients")
                   .output("loss")
                   .custom_backward("PyTorch's rule exp(lp) - occupancy (the gradient through a "
                                    "log_softmax of the log_probs), not the derivative in lp; "
                                    "no double backward")
                   .run(ctc_loss));
}

}  // namespace lathe
