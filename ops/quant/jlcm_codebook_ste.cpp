// jlcm_codebook_ste: codebook quantization with a straight-through weight gradient
//   a(i) = argmin_j |w_i - c_j|          (the first on ties)
//   w_hat_i = c_{a(i)}
//   backward: dL/dw_i = dL/dw_hat_i (straight-through); dL/dc_j = sum_{i: a(i) = j} dL/dw_hat_i
// w [...] (any shape), codebook c [K] (scalar codewords) -> w's shape.
// Paper: "Network Memory Footprint Compression Through Jointly Learnable Codebooks and Mappings"
// (JLCM; Yvinec, Dapogny, Bailly, ICLR 2024, arXiv 2309.17361). Confidence "paper text": only the
// abstract and the Figure 1 caption were reachable (here too), and no code was found. What is
// implemented is the part those fix: a learned codebook, hard mappings, a straight-through
// estimator for the weights, the codebook's exact gradient. NOT implemented: the paper's
// proximal gradient for the mapping (a weight on each candidate codeword that decreases with the
// codeword distance, Figure 1); its formula is in the unread body. The neuron re-ordering into
// groups with their own codebooks is the caller's (one call per group).
// Written as (w - sg(w)) + onehot(a) c: the value is exactly c_{a(i)}, the rule above is its
// derivative (the one-hot is a constant), and double backward is defined (0).
#include "ops/composite.h"
#include "ops/quant/quant.h"

namespace lathe {

Tensor jlcm_codebook_ste(const Tensor& w, const Tensor& codebook) {
  const char* op = "jlcm_codebook_ste";
  check_floating(op, "w", w);
  check_floating(op, "codebook", codebook);
  check_dim(op, "codebook", codebook, 1);
  int64_t k = codebook.size(0);
  LATHE_CHECK(k >= 1, "[", op, "] the codebook is empty");
  Tensor flat = reshape(w, {w.numel(), 1});                                   // [N, 1]
  Tensor assign;
  {
    NoGradGuard no_grad;
    assign = argmin(abs(flat - reshape(codebook, {1, k})), -1);              // [N]
  }
  Tensor onehot = cast(one_hot(assign, k), w.dtype());                        // [N, K] constant
  Tensor q = reshape(matmul(onehot, reshape(codebook, {k, 1})), w.shape());   // w's shape
  return (w - w.detach()) + q;
}

LATHE_REGISTER_OPS(jlcm_codebook_ste) {
  registry.add(OpDef("jlcm_codebook_ste", "quant")
                   .summary("nearest-codeword quantization, straight-through to the weights and "
                            "the exact gradient to the codebook")
                   .paper("Network Memory Footprint Compression Through Jointly Learnable "
                          "Codebooks and Mappings")
                   .input("w")
                   .input("codebook")
                   .custom_backward("straight-through dL/dw = dL/dw_hat; the codebook gets the "
                                    "sum of its assigned weights' gradients (JLCM's proximal "
                                    "mapping update is not implemented)")
                   .output("w_hat")
                   .run([](const OpCall& c) {
                     return Outputs{jlcm_codebook_ste(c.in("w"), c.in("codebook"))};
                   }));
}

}  // namespace lathe
