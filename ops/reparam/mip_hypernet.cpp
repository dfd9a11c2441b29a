// mip_hypernet: a Magnitude Invariant Parametrization (MIP) of a hypernetwork
//   e(z) = [cos(pi z / 2), sin(pi z / 2)]      ("cos|sin", unit norm per input dim; or
//          [z, 1 - z] for "z|1-z")              z [B, k] in [0, 1] -> [B, 2k]
//   theta(z) = W_out leaky_relu(W_h e(z) + b_h) + theta0                    -> [B, P]
// theta0 (the output layer's bias) holds the "independent weights", so the predicted weights
// are a residual around a normally initialized primary network, whatever the magnitude of z.
// Paper: "Magnitude Invariant Parametrizations Improve Hypernetwork Learning" (Ortiz, Guttag,
// Dalca, ICLR 2024). Checked against the official code, JJGO/hyperlight
// hypernet/encoding.py (encode_input: torch.cat([cos, sin], -1); inputs outside [0, 1] only
// warn, so they are accepted here) and hypernet/model.py (HyperNet: a FullyConnectedNet of
// Linear + LeakyReLU blocks, then `output` whose bias is set to the flattened independent
// weights). The op has one hidden layer; the module (models/reparam.h, MIPHyperNet) stacks any
// number with the same functions. Defaults: encoding "cos|sin", LeakyReLU slope 0.01 (nn's).
// Composite: the encoding's derivative (pi/2) [-sin, cos] comes from autograd.
#include <cmath>

#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

Tensor mip_encode(const Tensor& z, const std::string& encoding) {
  const char* op = "mip_hypernet";
  check_floating(op, "z", z);
  if (encoding == "cos|sin") {
    Tensor a = (M_PI / 2.0) * z;                             // [..., k]
    return concat({cos(a), sin(a)}, -1);                     // [..., 2k]
  }
  LATHE_CHECK(encoding == "z|1-z", "[", op, "] encoding must be cos|sin or z|1-z, got '",
              encoding, "'");
  return concat({z, 1.0 - z}, -1);                           // [..., 2k]
}

Tensor mip_hypernet(const Tensor& z, const Tensor& w_hidden, const Tensor& b_hidden,
                    const Tensor& w_out, const Tensor& theta0, const std::string& encoding,
                    double negative_slope) {
  const char* op = "mip_hypernet";
  check_floating(op, "z", z);
  check_dim(op, "z", z, 2);
  check_dim(op, "w_hidden", w_hidden, 2);
  check_dim(op, "w_out", w_out, 2);
  int64_t hidden = w_hidden.size(0), params = w_out.size(0);
  LATHE_CHECK(w_hidden.size(1) == 2 * z.size(1), "[", op, "] w_hidden must be [H, 2k] = [H, ",
              2 * z.size(1), "] for z ", z.shape(), ", got ", w_hidden.shape());
  check_optional_shape(op, "b_hidden", b_hidden, {hidden});
  LATHE_CHECK(w_out.size(1) == hidden, "[", op, "] w_out must be [P, ", hidden, "], got ",
              w_out.shape());
  check_shape(op, "theta0", theta0, {params});
  Tensor h = linear(mip_encode(z, encoding), w_hidden, b_hidden);  // [B, H]
  h = where(gt(h, 0.0), h, negative_slope * h);                    // leaky_relu
  return linear(h, w_out, theta0);                                 // [B, P]
}

LATHE_REGISTER_OPS(mip_hypernet) {
  registry.add(OpDef("mip_hypernet", "reparam")
                   .summary("magnitude-invariant hypernetwork W_out leaky_relu(W_h e(z) + b_h) + "
                            "theta0 with e(z) = [cos(pi z/2), sin(pi z/2)]")
                   .paper("Magnitude Invariant Parametrizations Improve Hypernetwork Learning")
                   .input("z")
                   .input("w_hidden")
                   .input("b_hidden", Kind::floating, kOptional)
                   .input("w_out")
                   .input("theta0")
                   .attr("encoding", "cos|sin", "input encoding: cos|sin or z|1-z")
                   .attr("negative_slope", 0.01, "LeakyReLU slope of the hidden layer")
                   .output("theta")
                   .run([](const OpCall& c) {
                     return Outputs{mip_hypernet(c.in("z"), c.in("w_hidden"), c.in("b_hidden"),
                                                 c.in("w_out"), c.in("theta0"), c.s("encoding"),
                                                 c.f("negative_slope"))};
                   }));
}

}  // namespace lathe
