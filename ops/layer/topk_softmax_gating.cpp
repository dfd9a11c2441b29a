// topk_softmax_gating: the top-K sparse softmax gate of a mixture of experts, per row
//   G(h) = softmax(TopK(h, K)),   TopK keeps the K largest logits and sets the rest to -inf
// so the K selected experts share weight 1 and the others get exactly 0. h = W_g x + b are the
// gate logits [..., E] (the affine score is the caller's linear layer).
// Paper: "Statistical Perspective of Top-K Sparse Softmax Gating Mixture of Experts" (Nguyen
// et al., ICLR 2024, arXiv 2309.13850; catalog: layer.md, confidence paper text). Checked:
// only the abstract could be found (arXiv listing, Hugging Face papers, Papers with Code: "No
// code implementations yet"); it names the "top-K sparse softmax gating function" of a Gaussian
// mixture of experts without writing it. We follow the standard meaning of the name (Shazeer
// et al.'s top-k gate without its noise), as the catalog does; the paper's equation is unread.
// Computed as softmax over the K gathered values scattered back into zeros (no -inf arithmetic):
// the same values, and the unselected logits get zero gradient. Ties at the K-th value: lathe's
// topk is a stable sort (lowest index wins), torch.topk's choice among ties is unspecified.
// Defaults: K 2. K = E is a plain softmax; K = 1 gives weight 1 and zero gradient. Composite.
#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

Tensor topk_softmax_gating(const Tensor& h, int64_t k) {
  const char* op = "topk_softmax_gating";
  check_floating(op, "h", h);
  LATHE_CHECK(h.dim() >= 1, "[", op, "] h needs a last (expert) dim, got ", h.shape());
  int64_t e = h.shape()[h.dim() - 1];
  LATHE_CHECK(k >= 1 && k <= e, "[", op, "] k must be in [1, E = ", e, "], got ", k);
  auto [values, index] = topk(h, k, -1);                       // [..., K], [..., K] i64
  return scatter_add(zeros_like(h), index, softmax(values, -1), -1);  // [..., E]
}

LATHE_REGISTER_OPS(topk_softmax_gating) {
  registry.add(OpDef("topk_softmax_gating", "layer")
                   .summary("top-K sparse softmax gate: softmax over the K largest logits")
                   .paper("Statistical Perspective of Top-K Sparse Softmax Gating Mixture of "
                          "Experts")
                   .input("h")
                   .attr("k", 2, "experts kept per row, in [1, E]")
                   .output("gates")
                   .run([](const OpCall& c) {
                     return Outputs{topk_softmax_gating(c.in("h"), c.i("k"))};
                   }));
}

}  // namespace lathe
