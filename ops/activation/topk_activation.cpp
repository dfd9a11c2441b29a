// topk_activation: the TopK sparse-autoencoder activation (token choice) of H [N, F]
//   z[n, :] = relu of the k largest entries of row n, 0 elsewhere
// (H = W_enc (x - b_dec) + b_enc are the SAE pre-activations; each token keeps <= k features).
// Paper: "Adaptive Sparse Allocation with Mutual Choice & Feature Choice Sparse Autoencoders"
// (Ayonrinde, arXiv 2411.02124; catalog: activation.md, confidence paper text). Verified: the
// paper's abstract defines TopK as "each token matches with at most k features"; the TopK SAE
// it builds on (openai/sparse_autoencoder, sparse_autoencoder/model.py, class TopK) takes
// torch.topk along the last dim, applies relu to the values and scatters them into zeros,
// which is what this does.
// Defined by selection: the kept set is a constant, the gradient flows to kept entries through
// relu (ties broken as the topk op breaks them, like torch.topk). k in [0, F]. Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor topk_activation(const Tensor& h, int64_t k) {
  const char* op = "topk_activation";
  check_floating(op, "h", h);
  LATHE_CHECK(h.dim() >= 1, "[", op, "] h must have at least one dim, got ", h.shape());
  int64_t f = h.shape()[h.dim() - 1];
  LATHE_CHECK(k >= 0 && k <= f, "[", op, "] k must be in [0, F = ", f, "], got ", k);
  if (k == 0) return h * 0.0;                               // nothing kept; keeps the graph
  auto [v, i] = topk(h, k, -1);                             // [..., k] values and indices
  return scatter_add(zeros_like(h), i, relu(v), -1);        // [..., F]
}

LATHE_REGISTER_OPS(topk_activation) {
  registry.add(OpDef("topk_activation", "activation")
                   .summary("TopK SAE activation: relu of the k largest per row, 0 elsewhere")
                   .paper("Adaptive Sparse Allocation with Mutual Choice & Feature Choice "
                          "Sparse Autoencoders")
                   .input("h")
                   .attr("k", 1, "features kept per row (token), in [0, F]")
                   .output("z")
                   .run([](const OpCall& c) {
                     return Outputs{topk_activation(c.in("h"), c.i("k"))};
                   }));
}

}  // namespace lathe
