// mutual_choice_activation: the Mutual Choice (BatchTopK) sparse-autoencoder activation of
// H [N, F]: keep the k N largest entries of the whole matrix (one budget shared by tokens and
// features), relu on them, 0 elsewhere.
// Paper: "Adaptive Sparse Allocation with Mutual Choice & Feature Choice Sparse Autoencoders"
// (arXiv 2411.02124; catalog: activation.md, confidence paper text). Verified against the
// abstract: Mutual Choice is "the unrestricted allocation problem where the total sparsity
// budget can be allocated freely between tokens and features"; the budget k N (k per token on
// average) is BatchTopK's (bartbussmann/BatchTopK README: flatten the batch's activations, take
// the top k * batch_size, reshape back). BatchTopK applies relu before the selection, we after
// (as TopK SAEs do): the same output and gradient, relu being monotone.
// Defined by selection: the kept set is a constant; the gradient flows to kept entries through
// relu. k in [0, F] (a budget of at most N F entries). Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor mutual_choice_activation(const Tensor& h, int64_t k) {
  const char* op = "mutual_choice_activation";
  check_floating(op, "h", h);
  check_dim(op, "h", h, 2);
  int64_t n = h.shape()[0], f = h.shape()[1];
  LATHE_CHECK(k >= 0 && k <= f, "[", op, "] k must be in [0, F = ", f, "], got ", k);
  if (k == 0) return h * 0.0;
  Tensor flat = reshape(h, {n * f});                        // [N F]
  auto [v, i] = topk(flat, k * n, -1);                      // [k N]
  return reshape(scatter_add(zeros_like(flat), i, relu(v), -1), h.shape());   // [N, F]
}

LATHE_REGISTER_OPS(mutual_choice_activation) {
  registry.add(OpDef("mutual_choice_activation", "activation")
                   .summary("Mutual Choice SAE activation: relu of the k N largest of H [N, F]")
                   .paper("Adaptive Sparse Allocation with Mutual Choice & Feature Choice "
                          "Sparse Autoencoders")
                   .input("h")
                   .attr("k", 1, "average features per token: k N entries kept, k in [0, F]")
                   .output("z")
                   .run([](const OpCall& c) {
                     return Outputs{mutual_choice_activation(c.in("h"), c.i("k"))};
                   }));
}

}  // namespace lathe
