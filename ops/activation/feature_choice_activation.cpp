// feature_choice_activation: the Feature Choice sparse-autoencoder activation of H [N, F]:
// per column (feature) keep the m largest entries over the batch (tokens), relu on them, 0
// elsewhere.
// Paper: "Adaptive Sparse Allocation with Mutual Choice & Feature Choice Sparse Autoencoders"
// (arXiv 2411.02124; catalog: activation.md, confidence paper text). Verified against the
// abstract only ("each feature matches with at most m tokens"); the paper body (m = k N / F for
// an equal budget, or per-feature capacities from a Zipf fit) was not readable and no code was
// found, so m is one capacity for every feature, given by the caller (k N / F for an equal
// budget).
// Defined by selection: the kept set is a constant; the gradient flows to kept entries through
// relu. m in [0, N]. Composite.
#include "ops/activation/activation.h"
#include "ops/composite.h"

namespace lathe {

Tensor feature_choice_activation(const Tensor& h, int64_t m) {
  const char* op = "feature_choice_activation";
  check_floating(op, "h", h);
  check_dim(op, "h", h, 2);
  int64_t n = h.shape()[0];
  LATHE_CHECK(m >= 0 && m <= n, "[", op, "] m must be in [0, N = ", n, "], got ", m);
  if (m == 0) return h * 0.0;
  auto [v, i] = topk(h, m, 0);                              // [m, F] per column
  return scatter_add(zeros_like(h), i, relu(v), 0);         // [N, F]
}

LATHE_REGISTER_OPS(feature_choice_activation) {
  registry.add(OpDef("feature_choice_activation", "activation")
                   .summary("Feature Choice SAE activation: relu of the m largest per column")
                   .paper("Adaptive Sparse Allocation with Mutual Choice & Feature Choice "
                          "Sparse Autoencoders")
                   .input("h")
                   .attr("m", 1, "tokens kept per feature (column), in [0, N]")
                   .output("z")
                   .run([](const OpCall& c) {
                     return Outputs{feature_choice_activation(c.in("h"), c.i("m"))};
                   }));
}

}  // namespace lathe
