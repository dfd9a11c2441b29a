// faithfulness_contrastive_loss: the contrastive objective of calibrating summarizers on
// faithful against unfaithful candidates (CLIFF's, as the calibration-set study runs it).
// Projected decoder states h [B, c, T, d] of c candidate summaries per source, the first n_pos
// positive; labels [B, c, T] (int) mark padding with ignore_index:
//   v_k = sum_t keep_kt h_kt / sum_t keep_kt,  z_k = v_k / ||v_k||,  s_kl = <z_k, z_l>,
//   L_b = mean_{a < b' < n_pos} [ log sum_{l != a} exp(s_al) - s_ab' ]
// (temperature 1; anchors are the lower index of each unordered positive pair; the denominator
// runs over every other candidate, positive or negative), reduced 'mean' over the sources
// (default), 'sum' or 'none' ([B]).
// Paper: "What are the Desired Characteristics of Calibration Sets? Identifying Correlates on
// Long Form Scientific Summarization" (catalog: lm.md, official code griff4692/
// calibrating-summaries model/run.py contrast_step). Defaults: n_pos 2 (faith_fft.sh: 4
// candidates, a single positive pair), ignore_index -100. The training objective adds it to
// the NLL with weight w_contrast (1; 10 for chemistry): the caller's sum.
// NOTE: the reference divides by the token count and by ||v|| with no guard, so a candidate
// with no valid token or a zero pooled state gives NaN; lathe divides by max(count, 1) and by
// max(||v||, 1e-12) (F.normalize's guard), so such a candidate has z = 0 and the loss stays
// finite. A positive pair counts only when both candidates have a valid token, and a source
// with no such pair gives 0 and leaves the mean (so every position ignored gives 0 with zero
// gradients, the loss contract; the reference gives NaN). n_pos < 2 (no pair: an empty mean,
// NaN in the reference) is an error.
// Gradient (autograd): through the normalization and the pooling into h.
// Composite.
#include "losses/lm/lm_more.h"
#include "ops/composite.h"

namespace lathe {

Tensor faithfulness_contrastive_loss(const Tensor& h, const Tensor& labels,
                                     const FaithfulnessContrastiveLossOptions& o) {
  const char* op = "faithfulness_contrastive_loss";
  check_floating(op, "h", h);
  check_dim(op, "h", h, 4);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t b = h.size(0), c = h.size(1), t = h.size(2);
  const Shape want = {b, c, t};
  LATHE_CHECK(labels.defined() && is_integral(labels.dtype()) && labels.shape() == want,
              "[", op, "] labels must be integers [", b, ", ", c, ", ", t, "], got ",
              labels.defined() ? labels.shape() : Shape{});
  LATHE_CHECK(o.n_pos >= 2 && o.n_pos <= c, "[", op, "] n_pos must lie in [2, c] = [2, ", c,
              "] (a positive pair is needed), got ", o.n_pos);
  Tensor keep = cast(ne(labels.to(DType::i64), static_cast<double>(o.ignore_index)),
                     h.dtype());                                            // [B, c, T]
  Tensor count = maximum(sum(keep, {2}), 1.0);                             // [B, c]
  Tensor v = sum(h * unsqueeze(keep, 3), {2}) / unsqueeze(count, 2);       // [B, c, d]
  // the guard sits under the sqrt so that a zero v gets a zero gradient, not 0 * inf
  Tensor norm = sqrt(maximum(sum(v * v, {2}, true), 1e-24));               // [B, c, 1]
  Tensor z = v / norm;                                                     // [B, c, d]
  Tensor s = matmul(z, transpose(z, 1, 2));                                // [B, c, c]
  Tensor eye = eq(unsqueeze(arange(c, DType::i64, h.device()), 1),
                  unsqueeze(arange(c, DType::i64, h.device()), 0));        // [c, c] bool
  // exp(-1e4) is exactly 0 in f32 and f64: the diagonal leaves the denominator
  Tensor lse = logsumexp(where(eye, -1e4, s), {2});                        // [B, c]
  std::vector<int64_t> anchors, partners, flat;  // each unordered positive pair (a, p), a < p
  for (int64_t a = 0; a < o.n_pos; ++a)
    for (int64_t p = a + 1; p < o.n_pos; ++p) {
      anchors.push_back(a);
      partners.push_back(p);
      flat.push_back(a * c + p);
    }
  const int64_t pairs = static_cast<int64_t>(flat.size());
  Tensor ra = from_vector(anchors, {pairs}, h.device());
  Tensor s_ab = index_select(reshape(s, {b, c * c}), from_vector(flat, {pairs}, h.device()),
                             1);                                           // [B, pairs]
  // a pair counts when both candidates have a valid token; a source with no such pair is 0 and
  // leaves the mean (every position ignored: 0 with zero gradients, the loss contract)
  Tensor valid = cast(gt(sum(keep, {2}), 0.0), h.dtype());                // [B, c]
  Tensor pair_ok = index_select(valid, ra, 1) *
                   index_select(valid, from_vector(partners, {pairs}, h.device()), 1);
  Tensor n_ok = sum(pair_ok, {1});                                         // [B]
  Tensor terms = where(gt(pair_ok, 0.0), index_select(lse, ra, 1) - s_ab, 0.0);
  Tensor l = sum(terms, {1}) / maximum(n_ok, 1.0);                         // [B]
  if (r != Reduction::mean) return apply_reduction(l, r);
  return sum(l) / maximum(sum(cast(gt(n_ok, 0.0), l.dtype())), 1.0);
}

LATHE_REGISTER_OPS(faithfulness_contrastive_loss) {
  registry.add(OpDef("faithfulness_contrastive_loss", "lm")
                   .summary("contrastive loss of pooled candidate-summary states, faithful "
                            "positives first (CLIFF-style, temperature 1)")
                   .paper("What are the Desired Characteristics of Calibration Sets? "
                          "Identifying Correlates on Long Form Scientific Summarization")
                   .input("h")
                   .input("labels", Kind::integer)
                   .options<FaithfulnessContrastiveLossOptions>()
                   .attr("n_pos", &FaithfulnessContrastiveLossOptions::n_pos,
                         "the first n_pos candidates are positives (>= 2)")
                   .attr("ignore_index", &FaithfulnessContrastiveLossOptions::ignore_index,
                         "padded positions, left out of the pooling")
                   .attr("reduction", &FaithfulnessContrastiveLossOptions::reduction,
                         "none ([B]) | mean | sum, over the sources")
                   .output("loss")
                   .run(faithfulness_contrastive_loss));
}

}  // namespace lathe
