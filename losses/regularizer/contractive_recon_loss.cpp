// contractive_recon_loss: the reconstruction-contractive criterion of a regularized
// auto-encoder, for the one-hidden-layer auto-encoder r(x) = W_d h(W_e x + b_e) + b_d:
//   L = mean_b ( |r(x_b) - x_b|^2 + sigma^2 |dr/dx (x_b)|_F^2 )
// with the Jacobian J_b = W_d diag(h'_b) W_e in closed form:
//   |J_b|_F^2 = h'_b^T G h'_b,   G = (W_d^T W_d) o (W_e W_e^T)   [H, H]
// (no Jacobian materialized, no double backward: the criterion is a plain composite, its
// parameter gradients are ordinary first derivatives of this expression). At the optimum
// r(x) - x approximates sigma^2 d log p(x) / dx (the score). Mean over the batch: the loss
// declares its own reduction (a sum over features, then a batch mean).
// Paper: "What Regularized Auto-Encoders Learn from the Data Generating Distribution" (Alain &
// Bengio, JMLR 2014) (catalog: regularizer.md, confidence 'memory').
// Checked (search of stored pages): the abstract (arXiv 1211.4246 and the JMLR version) states
// the criterion is "a contractive training criterion ... similar to the denoising auto-encoder
// training criterion with small corruption noise, but with contraction applied on the whole
// reconstruction function rather than just encoder", and that the optimum captures the score;
// the full text was not readable, so the sigma^2 weighting of the Frobenius norm (the
// asymptotic link with a denoising noise of variance sigma^2) is from memory. The
// one-hidden-layer closed form is this op's choice: deeper r needs the Jacobian by autograd.
// Defaults: sigma2 0.01, activation sigmoid (h' = s (1 - s); tanh: 1 - t^2).
// Gradient (autograd) w.r.t. x and every parameter; sigma2 = 0 is plain reconstruction.
// Composite.
#include "losses/regularizer/regularizer.h"
#include "ops/composite.h"

namespace lathe {

Tensor contractive_recon_loss(const Tensor& x, const Tensor& w_enc, const Tensor& b_enc,
                              const Tensor& w_dec, const Tensor& b_dec,
                              const ContractiveReconLossOptions& o) {
  const char* op = "contractive_recon_loss";
  for (auto [name, t] : {std::pair<const char*, const Tensor*>{"x", &x}, {"w_enc", &w_enc},
                         {"b_enc", &b_enc}, {"w_dec", &w_dec}, {"b_dec", &b_dec}})
    check_floating(op, name, *t);
  check_dim(op, "x", x, 2);
  check_dim(op, "w_enc", w_enc, 2);
  int64_t d = x.shape()[1], h = w_enc.shape()[0];
  check_shape(op, "w_enc", w_enc, {h, d});
  check_shape(op, "b_enc", b_enc, {h});
  check_shape(op, "w_dec", w_dec, {d, h});
  check_shape(op, "b_dec", b_dec, {d});
  LATHE_CHECK(o.sigma2 >= 0, "[", op, "] sigma2 must be >= 0, got ", o.sigma2);
  LATHE_CHECK(o.activation == "sigmoid" || o.activation == "tanh", "[", op,
              "] activation must be sigmoid | tanh, got '", o.activation, "'");
  Tensor a = matmul(x, transpose(w_enc, 0, 1)) + b_enc;                   // [B, H]
  Tensor hid = o.activation == "sigmoid" ? sigmoid(a) : tanh(a);
  Tensor dh = o.activation == "sigmoid" ? hid * (1.0 - hid) : 1.0 - hid * hid;  // h'
  Tensor r = matmul(hid, transpose(w_dec, 0, 1)) + b_dec;                 // [B, D]
  Tensor rec = sum((r - x) * (r - x), {1});                               // [B]
  Tensor g = matmul(transpose(w_dec, 0, 1), w_dec) * matmul(w_enc, transpose(w_enc, 0, 1));
  Tensor jac = sum(matmul(dh, g) * dh, {1});                              // [B] |J_b|_F^2
  return mean(rec + o.sigma2 * jac);
}

LATHE_REGISTER_OPS(contractive_recon_loss) {
  registry.add(OpDef("contractive_recon_loss", "regularizer")
                   .summary("reconstruction error + sigma^2 |dr/dx|_F^2 of a one-hidden-layer "
                            "auto-encoder (closed-form Jacobian)")
                   .paper("What Regularized Auto-Encoders Learn from the Data Generating "
                          "Distribution")
                   .input("x")
                   .input("w_enc")
                   .input("b_enc")
                   .input("w_dec")
                   .input("b_dec")
                   .options<ContractiveReconLossOptions>()
                   .attr("sigma2", &ContractiveReconLossOptions::sigma2,
                         "weight of the Jacobian norm >= 0")
                   .attr("activation", &ContractiveReconLossOptions::activation,
                         "hidden activation: sigmoid | tanh")
                   .own_reduction("a sum over features, a mean over the batch")
                   .output("loss")
                   .run(contractive_recon_loss));
}

}  // namespace lathe
