// compa_contrastive_loss: CompA's stage-2 contrastive loss. B audios and captions in groups of
// G = 1 + n_neg, [pos_0, neg_0^1..n, pos_1, ...], all L2-normalized, S = s T A^T [B G, B]:
//   text -> audio: the positive captions' rows, CE(S[pos_rows], arange(B))
//   audio -> text: audio j's softmax runs over every positive caption and its own hard
//                  negatives (the other audios' negatives are masked), label pos_j
//   l_j = (a2t_j + t2a_j) / 2
// Paper: "CompA: Addressing the Gap in Compositional Reasoning in Audio-Language Models"; code
// Sreyan88/CompA src-stage2/laion_clap/clap_module/loss.py, as the catalog quotes it. NOTE: the
// reference masks multiplicatively (logits * mask, mask in {1, -1e5}), which only suppresses
// positive logits; the op uses the intended additive -inf mask (the catalog's reading).
// Defaults: scale 10 (CLAP's learnable scale is the caller's), n_neg 3; reduction 'mean'.
// n_neg = 0 is CLIP's loss. Stage 3 (variable positives per audio) is not this op.
// Gradients: autograd.
#include <limits>

#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor compa_contrastive_loss(const Tensor& audio, const Tensor& text,
                              const CompaContrastiveLossOptions& o) {
  const char* op = "compa_contrastive_loss";
  pairs::check_embeddings(op, "audio", audio);
  pairs::check_embeddings(op, "text", text);
  LATHE_CHECK(o.n_neg >= 0, "[", op, "] n_neg must be >= 0, got ", o.n_neg);
  const int64_t b = audio.size(0), g = 1 + o.n_neg;
  check_shape(op, "text", text, {b * g, audio.size(1)});
  Reduction r = parse_reduction(op, o.reduction);
  Device dev = audio.device();
  std::vector<int64_t> pos_rows(b);
  std::vector<bool> allowed(b * b * g);  // [B, B G]: every positive and audio j's own negatives
  for (int64_t j = 0; j < b; ++j) {
    pos_rows[j] = j * g;
    for (int64_t c = 0; c < b * g; ++c) allowed[j * b * g + c] = c % g == 0 || c / g == j;
  }
  Tensor rows = from_vector(pos_rows, {b}, dev);
  Tensor s = o.scale * matmul(pairs::l2_normalize(text), pairs::l2_normalize(audio).t());
  // s: [B G, B]
  Tensor sp = index_select(s, rows, 0);                                                 // [B, B]
  Tensor ar = arange(b, DType::i64, dev);
  Tensor t2a = logsumexp(sp, {1}) - pairs::take_rows(sp, ar);                           // [B]
  Tensor st = where(from_vector(allowed, {b, b * g}, dev), s.t(),
                    -std::numeric_limits<double>::infinity());                          // [B, BG]
  Tensor a2t = logsumexp(st, {1}) - pairs::take_rows(st, rows);                         // [B]
  return apply_reduction((a2t + t2a) / 2.0, r);
}

LATHE_REGISTER_OPS(compa_contrastive_loss) {
  registry.add(OpDef("compa_contrastive_loss", "contrastive")
                   .summary("audio-text contrastive loss with per-audio hard negative captions")
                   .paper("CompA: Addressing the Gap in Compositional Reasoning in Audio-Language "
                          "Models")
                   .input("audio")
                   .input("text")
                   .options<CompaContrastiveLossOptions>()
                   .attr("scale", &CompaContrastiveLossOptions::scale, "the logit scale s")
                   .attr("n_neg", &CompaContrastiveLossOptions::n_neg,
                         "hard negative captions per audio (groups of 1 + n_neg)")
                   .attr("reduction", &CompaContrastiveLossOptions::reduction,
                         "none (per audio, directions averaged) | mean | sum")
                   .output("loss")
                   .run(compa_contrastive_loss));
}

}  // namespace lathe
