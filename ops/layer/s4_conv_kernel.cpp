// s4_conv_kernel: the convolution kernel of a diagonal state-space layer (S4D), per channel h
//   A_n = -exp(log_A_real_n) + i A_imag_n,   dt = exp(log_dt),   dtA_n = dt A_n
//   K_l = 2 Re( sum_n C_n (exp(dtA_n) - 1) / A_n  exp(dtA_n l) ),   l = 0 .. L-1
// the zero-order-hold discretization of x' = Ax + Bu, y = Cx with B = 1 folded into C, over N/2
// conjugate-pair modes (the factor 2 and Re). The layer then convolves its input with K
// causally by FFT (nn::S4D: irfft(rfft(u, 2L) rfft(K, 2L))[:L] + D u).
// log_dt [H], log_A_real and A_imag [H, N2], C [H, N2, 2] (complex as a trailing (re, im)
// pair, lathe's convention) -> K [H, L].
// Paper: "Efficiently Modeling Long Sequences with Structured State Spaces" (S4; the diagonal
// form is S4D, "On the Parameterization and Initialization of Diagonal State Space Models";
// catalog: layer.md, code state-spaces/s4). Checked against models/s4/s4d.py (S4DKernel.forward:
// dtA = A dt, C (exp(dtA) - 1) / A, the Vandermonde sum, 2 Re; S4DKernel's init and names;
// S4D.forward's rfft(., n = 2L) product, D skip, GELU and Conv1d(H, 2H, 1) + GLU). We compute
// exp(dtA) - 1 as expm1(Re dtA) cos(Im dtA) - 2 sin^2(Im dtA / 2) + i exp(Re dtA) sin(Im dtA),
// so a tiny dt does not cancel (the catalog's edge case); A_real = -exp(.) < 0 keeps the
// kernel stable and A != 0. The full S4 (NPLR/DPLR with the Cauchy kernel and Woodbury) is not
// implemented: its dense reference is the same K for a non-diagonal A.
// Defaults: L 16. Module: nn::S4D (S4D-Lin init: log_dt ~ U[log 1e-3, log 1e-1], A_real -0.5,
// A_imag pi n, C ~ CN(0, 1), D ~ N(0, 1)). Composite.
#include <cmath>

#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

Tensor s4_conv_kernel(const Tensor& log_dt, const Tensor& log_a_real, const Tensor& a_imag,
                      const Tensor& c, int64_t length) {
  const char* op = "s4_conv_kernel";
  check_floating(op, "log_dt", log_dt);
  check_floating(op, "log_a_real", log_a_real);
  check_floating(op, "a_imag", a_imag);
  check_floating(op, "c", c);
  LATHE_CHECK(log_dt.dim() == 1, "[", op, "] log_dt must be [H], got ", log_dt.shape());
  int64_t h = log_dt.shape()[0];
  LATHE_CHECK(log_a_real.dim() == 2 && log_a_real.shape()[0] == h, "[", op,
              "] log_a_real must be [H = ", h, ", N2], got ", log_a_real.shape());
  int64_t n2 = log_a_real.shape()[1];
  check_shape(op, "a_imag", a_imag, {h, n2});
  check_shape(op, "c", c, {h, n2, 2});
  LATHE_CHECK(length >= 1, "[", op, "] L must be >= 1, got ", length);
  Tensor dt = unsqueeze(exp(log_dt), -1);                              // [H, 1]
  Tensor ar = -exp(log_a_real), ai = a_imag;                           // [H, N2]
  Tensor dre = ar * dt, dim = ai * dt;                                 // [H, N2]
  Tensor half = sin(0.5 * dim);
  Tensor er = expm1(dre) * cos(dim) - 2.0 * half * half;               // Re(exp(dtA) - 1)
  Tensor ei = exp(dre) * sin(dim);                                     // Im(exp(dtA) - 1)
  Tensor cr = c.select(-1, 0), ci = c.select(-1, 1);                      // [H, N2]
  Tensor xr = cr * er - ci * ei, xi = cr * ei + ci * er;               // C (exp(dtA) - 1)
  Tensor a2 = ar * ar + ai * ai;                                       // |A|^2 > 0
  Tensor tr = unsqueeze((xr * ar + xi * ai) / a2, -1);                 // [H, N2, 1] / A
  Tensor ti = unsqueeze((xi * ar - xr * ai) / a2, -1);
  Tensor l = arange(0.0, static_cast<double>(length), 1.0, log_dt.dtype(), log_dt.device());
  Tensor mag = exp(unsqueeze(dre, -1) * l);                            // [H, N2, L]
  Tensor ang = unsqueeze(dim, -1) * l;                                 // [H, N2, L]
  return 2.0 * sum(mag * (tr * cos(ang) - ti * sin(ang)), {1});         // [H, L]
}

LATHE_REGISTER_OPS(s4_conv_kernel) {
  registry.add(OpDef("s4_conv_kernel", "layer")
                   .summary("S4D convolution kernel 2 Re(sum_n C_n (e^{dt A_n} - 1)/A_n "
                            "e^{dt A_n l})")
                   .paper("Efficiently Modeling Long Sequences with Structured State Spaces")
                   .input("log_dt")
                   .input("log_a_real")
                   .input("a_imag")
                   .input("c")
                   .attr("length", 16, "kernel length L >= 1")
                   .output("k")
                   .run([](const OpCall& c) {
                     return Outputs{s4_conv_kernel(c.in("log_dt"), c.in("log_a_real"),
                                                   c.in("a_imag"), c.in("c"), c.i("length"))};
                   }));
}

}  // namespace lathe
