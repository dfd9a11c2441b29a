// blockrank_attention_loss: BlockRank's auxiliary attention loss for in-context ranking. The
// prompt is M blocks of Hb tokens: block 0 the instruction, blocks 1..M-2 the D = M - 2
// candidate documents, block M-1 the query. scores [B, heads, Q, M Hb] are one layer's attention
// logits (scaled QK^T plus the additive mask) of the query's Q signal rows; the relevant
// documents are pos_mask [B, D] (bool):
//   p = softmax over the document keys only (instruction and query blocks dropped)
//   r_bd = sum_{t in block d} mean_{heads, Q} p / tau,
//   L_b = -(LSE_{d in A_b} r_bd - LSE_d r_bd),
// reduced 'mean' over the examples (default), 'sum' or 'none' ([B]). Training adds lambda L
// (0.1) to the LM loss: the caller's sum.
// Paper: "Scalable In-context Ranking with Generative Models" (BlockRank; catalog: ranking.md,
// official code nilesh2797/BlockRank src/blockrank/losses.py
// compute_auxiliary_attention_loss). Defaults: tau 0.05 (the function's and the released
// config's; the training argument's default is 0.1), block_len 160 (30 documents).
// NOTE: an example without a relevant document has LSE over an empty set = -inf and an
// infinite loss in the reference; lathe gives it 0 and leaves it out of the mean (a batch with
// none gives 0 with a graph), so the loss never becomes inf. Padded keys (-inf logits) get
// probability 0 as in the reference.
// Gradient (autograd): through the softmax into the attention logits.
// Composite.
#include "losses/ranking/ranking_extra.h"
#include "ops/composite.h"

namespace lathe {

Tensor blockrank_attention_loss(const Tensor& scores, const Tensor& pos_mask,
                                const BlockrankAttentionLossOptions& o) {
  const char* op = "blockrank_attention_loss";
  check_floating(op, "scores", scores);
  check_dim(op, "scores", scores, 4);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.block_len > 0, "[", op, "] block_len must be > 0, got ", o.block_len);
  LATHE_CHECK(o.tau > 0, "[", op, "] tau must be > 0, got ", o.tau);
  const int64_t b = scores.size(0), len = scores.size(3), hb = o.block_len;
  LATHE_CHECK(len % hb == 0 && len / hb >= 3, "[", op, "] the key axis (", len,
              ") must hold M >= 3 blocks of block_len ", hb);
  const int64_t d = len / hb - 2;
  const Shape want = {b, d};
  LATHE_CHECK(pos_mask.defined() && pos_mask.dtype() == DType::boolean &&
                  pos_mask.shape() == want,
              "[", op, "] pos_mask must be bool [", b, ", ", d, "], got ",
              pos_mask.defined() ? pos_mask.shape() : Shape{});
  Tensor p = softmax(narrow(scores, 3, hb, d * hb), 3);                   // [B, h, Q, D Hb]
  Tensor pd = reshape(mean(p, {1, 2}), {b, d, hb});                        // [B, D, Hb]
  Tensor rr = sum(pd, {2}) / o.tau;                                        // [B, D]
  // exp(-1e30 - max) is exactly 0: non-relevant documents leave the positive LSE
  Tensor lse_pos = logsumexp(where(pos_mask, rr, -1e30), {1});            // [B]
  Tensor any = gt(sum(cast(pos_mask, rr.dtype()), {1}), 0.0);              // [B] bool
  Tensor rows = where(any, logsumexp(rr, {1}) - lse_pos, 0.0);             // [B]
  if (r != Reduction::mean) return apply_reduction(rows, r);
  return sum(rows) / maximum(sum(cast(any, rows.dtype())), 1.0);
}

LATHE_REGISTER_OPS(blockrank_attention_loss) {
  using O = BlockrankAttentionLossOptions;
  registry.add(OpDef("blockrank_attention_loss", "ranking")
                   .summary("BlockRank's multi-positive InfoNCE on the query's attention mass "
                            "over document blocks")
                   .paper("Scalable In-context Ranking with Generative Models")
                   .input("scores")
                   .input("pos_mask", Kind::boolean)
                   .options<O>()
                   .attr("block_len", &O::block_len, "tokens per prompt block")
                   .attr("tau", &O::tau, "temperature, > 0")
                   .attr("reduction", &O::reduction,
                         "none ([B]) | mean (over examples with a relevant document) | sum")
                   .output("loss")
                   .run(blockrank_attention_loss));
}

}  // namespace lathe
