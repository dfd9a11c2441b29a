// group_rational: the group-rational KAN activation of the Kolmogorov-Arnold Transformer.
//   F(x) = P(x) / Q(x),  P(x) = sum_{i=0}^{m} a_{g,i} x^i,  one coefficient set per channel group
// x [..., D] with D split into G contiguous groups (channel d uses group d / (D / G));
// numerator a [G, m + 1] or [1, m + 1] (shared, as KAT_Group's weight_numerator),
// denominator b [G, n] holding b_1..b_n. The official sources disagree on Q; `variant` names them:
//   "paper"     Q = 1 + |sum_{j=1}^{n} b_j x^j|        kat_rational/fit.py and gain.py (PAU
//                                                      "version B"; the paper's safe Pade form)
//   "kernel"    Q = 1 + sum_{j=1}^{n} |b_j| |x|^j      src/rational_kernel_group.cu and the
//                                                      Triton kernels (PAU "version A")
//   "torch_ref" Q = 1 + sum_{j=1}^{n} |b_j| x^j        Rational_CUDA_A_1DGroup in
//                                                      kat_rational/kat_1dgroup_torch.py (the
//                                                      CPU fallback of KAT_Group); Q can vanish
//                                                      for x < 0, and F has poles there, as in
//                                                      the reference
// Default "paper": the coefficients init.json ships as "gelu" (KAT's default F2 initialization)
// reproduce GELU only under it (max error 0.003 on [-3, 3]; 1.46 under "kernel"), see README.md.
// Paper: "Kolmogorov-Arnold Transformer" (Yang & Wang, ICLR 2025).
// Defaults: G = 8, (m, n) = (5, 4).
// Gradient: autograd through Horner's scheme; abs has gradient 0 at 0 (as the CUDA kernel's
// sign()), so b = 0 receives no gradient in any variant (see README.md, identity init).
//
// Fused kernels (optional, f32/f64; variant code 0 paper, 1 kernel, 2 torch_ref):
// "group_rational": in x [..., D], numerator, denominator (contiguous); out y; attrs {variant}.
// "group_rational_backward": in g, x, numerator, denominator; out dx, dnumerator,
// ddenominator; attrs {variant}. With them group_rational records the closed form
//   dy/dx = (P' - y dQ/dx) / Q,  dy/da_i = x^i / Q,  dy/db_j = -y / Q dQ/db_j
// as its rule: the fused backward when no differentiable gradient is asked for, otherwise the
// same formulas in differentiable ops (so double backward works as for the composite).
//
// Checked against Adamdad/rational_kat_cu (commit 181bae8): kat_rational/kat_1dgroup.py
// (KAT_Group: shared numerator repeated over groups, per-group denominator),
// kat_1dgroup_torch.py, src/rational_kernel_group.cu (forward and backward formulas),
// kat_rational/rational_triton.py, fit.py, gain.py, init.json; and Adamdad/kat katransformer.py
// (KAN block: identity-initialized F1, gelu-initialized F2).
#include "ops/kan/common.h"

namespace lathe {

namespace {
// sum_i c[:, i] t^i by Horner's scheme: c [G, len] against t [..., G, D/G] -> [..., G, D/G].
Tensor polynomial(const Tensor& c, const Tensor& t) {
  auto coef = [&c](int64_t i) { return slice(c, 1, i, i + 1); };          // [G, 1]
  int64_t len = c.size(1);
  if (len == 1) return coef(0) * ones_like(t);
  Tensor acc = coef(len - 1) * t + coef(len - 2);
  for (int64_t i = len - 3; i >= 0; --i) acc = acc * t + coef(i);
  return acc;
}

int variant_code(const std::string& variant) {
  return variant == "paper" ? 0 : variant == "kernel" ? 1 : 2;
}

// Sums v [..., G, L] over everything but the group axis -> [G], or to [1] for a shared row.
Tensor per_group(const Tensor& v, int64_t rows) {
  Axes axes;
  for (int i = 0; i < v.dim(); ++i)
    if (i != v.dim() - 2) axes.push_back(i);
  Tensor s = sum(v, axes);                                                 // [G]
  return rows == 1 ? sum(s, {0}, true) : s;                                // [rows]
}

// The coefficients of c's derivative: c [R, len] -> [R, len - 1], row i times i + 1.
Tensor derivative(const Tensor& c) {
  int64_t len = c.size(1);
  return slice(c, 1, 1, len) * arange(1.0, double(len), 1.0, c.dtype(), c.device());
}

// The closed-form gradients of group_rational (header) in differentiable ops.
std::vector<Tensor> rational_grads(const Tensor& g, const Tensor& x, const Tensor& a,
                                   const Tensor& b, const std::string& variant) {
  int64_t groups = b.size(0), n = b.size(1);
  Shape grouped = x.shape();
  grouped[grouped.size() - 1] = groups;
  grouped.push_back(x.shape().back() / groups);
  Tensor t = reshape(x, grouped), gg = reshape(g, grouped);                // [..., G, L]
  Tensor s = variant == "kernel" ? abs(t) : t;
  Tensor c = variant == "paper" ? b : abs(b);                              // [G, n]
  Tensor r = polynomial(c, s);                                             // R(s)
  Tensor rd = n > 1 ? polynomial(derivative(c), s) : zeros_like(s);        // R'(s)
  Tensor q_s = s * r;                                                      // sum c_j s^(j+1)
  Tensor sgn = variant == "paper" ? sign(q_s) : variant == "kernel" ? sign(t) : ones_like(t);
  Tensor q = 1.0 + (variant == "paper" ? abs(q_s) : q_s);
  Tensor p = polynomial(a, t);
  Tensor pd = a.size(1) > 1 ? polynomial(derivative(a), t) : zeros_like(t);
  Tensor y = p / q, gq = gg / q;
  Tensor dx = reshape(gq * (pd - y * sgn * (r + s * rd)), x.shape());
  std::vector<Tensor> da, db;
  Tensor pw = ones_like(t);
  for (int64_t i = 0; i < a.size(1); ++i, pw = pw * t) da.push_back(per_group(gq * pw, a.size(0)));
  Tensor coef = variant == "paper" ? -gq * y * sgn : -gq * y, sp = s;
  for (int64_t j = 0; j < n; ++j, sp = sp * s) db.push_back(per_group(coef * sp, groups));
  Tensor dden = stack(db, 1);                                              // [G, n]
  if (variant != "paper") dden = dden * sign(b);
  return {dx, stack(da, 1), dden};
}
}  // namespace

Tensor group_rational(const Tensor& x, const Tensor& numerator, const Tensor& denominator,
                      const std::string& variant) {
  const char* op = "group_rational";
  check_floating(op, "x", x);
  check_floating(op, "numerator", numerator);
  check_floating(op, "denominator", denominator);
  LATHE_CHECK(variant == "paper" || variant == "kernel" || variant == "torch_ref",
              "[group_rational] variant must be paper, kernel or torch_ref, got '", variant, "'");
  LATHE_CHECK(denominator.dim() == 2 && denominator.size(0) > 0 && denominator.size(1) > 0,
              "[group_rational] denominator must be [groups, n >= 1], got ", denominator.shape());
  int64_t groups = denominator.size(0);
  LATHE_CHECK(numerator.dim() == 2 && numerator.size(1) > 0 &&
                  (numerator.size(0) == groups || numerator.size(0) == 1),
              "[group_rational] numerator must be [groups = ", groups, " or 1, m + 1], got ",
              numerator.shape());
  LATHE_CHECK(x.dim() >= 1 && x.shape().back() % groups == 0,
              "[group_rational] the last dim of x ", x.shape(), " must split into ", groups,
              " groups");
  DType dt = x.dtype();
  bool fusable = (dt == DType::f32 || dt == DType::f64) && numerator.dtype() == dt &&
                 denominator.dtype() == dt;
  double code = variant_code(variant);
  FusedKernel kernel{"group_rational", {x, numerator, denominator}, {{x.shape(), dt}}, {code}};
  auto composite = [groups, variant](const std::vector<Tensor>& in) {
    const Tensor &x = in[0], &numerator = in[1], &denominator = in[2];
    Shape grouped = x.shape();
    grouped[grouped.size() - 1] = groups;
    grouped.push_back(x.shape().back() / groups);
    Tensor xg = reshape(x, grouped);                                        // [..., G, D/G]
    Tensor p = polynomial(numerator, xg);                                  // [..., G, D/G]
    // sum_{j>=1} b_j t^j = t * sum_j b_{j+1} t^j
    Tensor q;
    if (variant == "paper") {
      q = 1.0 + abs(xg * polynomial(denominator, xg));
    } else if (variant == "kernel") {
      Tensor ax = abs(xg);
      q = 1.0 + ax * polynomial(abs(denominator), ax);
    } else {
      q = 1.0 + xg * polynomial(abs(denominator), xg);
    }
    return std::vector<Tensor>{reshape(p / q, x.shape())};                 // [..., D]
  };
  auto rule = [variant, code](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                              const std::vector<Tensor>&) {
    const Tensor &x = in[0], &a = in[1], &b = in[2];
    if (!is_grad_enabled()) {
      FusedKernel backward{"group_rational_backward", {g[0], x, a, b},
                           {{x.shape(), x.dtype()}, {a.shape(), a.dtype()}, {b.shape(), b.dtype()}},
                           {code}};
      auto grads = try_fused(backward);
      if (!grads.empty()) return grads;
    }
    return rational_grads(g[0], x, a, b, variant);
  };
  return fused_or_composite(kernel, fusable, composite, rule)[0];
}

LATHE_REGISTER_OPS(group_rational) {
  registry.add(OpDef("group_rational", "kan")
                   .summary("grouped safe Pade activation P(x) / Q(x), one coefficient set per "
                            "channel group")
                   .paper("Kolmogorov-Arnold Transformer")
                   .input("x")
                   .input("numerator")
                   .input("denominator")
                   .attr("variant", "paper", "paper: 1 + |sum b x^j| | kernel: 1 + sum |b| |x|^j | "
                                             "torch_ref: 1 + sum |b| x^j")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{group_rational(c.in("x"), c.in("numerator"),
                                                   c.in("denominator"), c.s("variant"))};
                   }));
}

}  // namespace lathe
