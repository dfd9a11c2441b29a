// cosine_similarity: sum(a b) / (n_a n_b) along dim, n = sqrt(max(|x|^2, eps^2)): PyTorch
// 1.13's form, which normalizes each input first and clamps each squared norm at eps^2 with
// no gradient through the clamp (NoGradGuard + clamp_min_ in ATen), so below eps the norm's
// gradient is x / eps instead of 0. Checked against torch 1.13 on a row of norm 2e-9.
// normalize: x / max(|x|_p, eps) along dim, F.normalize (there the clamp does pass gradient).
// Composites; a and b broadcast.
#include <algorithm>

#include "ops/composite.h"

namespace lathe {

namespace {

// sqrt(max(s, floor)) with the gradient of sqrt at the clamped value flowing to s unclamped.
Tensor clamped_sqrt(const Tensor& s, double floor) {
  return sqrt(s + (clamp(s, floor) - s).detach());
}

}  // namespace

Tensor cosine_similarity(const Tensor& a, const Tensor& b, int64_t dim, double eps) {
  check_floating("cosine_similarity", "a", a);
  check_floating("cosine_similarity", "b", b);
  LATHE_CHECK(eps >= 0, "[cosine_similarity] eps must be >= 0, got ", eps);
  int nd = std::max(a.dim(), b.dim());
  int ax = normalize_axis(dim, nd, "cosine_similarity");
  int pa = ax - (nd - a.dim()), pb = ax - (nd - b.dim());
  LATHE_CHECK(pa >= 0 && pb >= 0, "[cosine_similarity] dim ", dim, " is missing in a ",
              a.shape(), " or b ", b.shape());
  Tensor na = clamped_sqrt(sum(a * a, {pa}, true), eps * eps);
  Tensor nb = clamped_sqrt(sum(b * b, {pb}, true), eps * eps);
  return sum((a / na) * (b / nb), {ax - nd});
}

Tensor normalize(const Tensor& x, double p, int64_t dim, double eps) {
  check_floating("normalize", x);
  LATHE_CHECK(eps >= 0, "[normalize] eps must be >= 0, got ", eps);
  int ax = normalize_axis(dim, x.dim(), "normalize");
  return x / clamp(norm(x, p, {ax}, true), eps);
}

LATHE_REGISTER_OPS(cosine_similarity) {
  registry.add(OpDef("cosine_similarity", "nn")
                   .summary("cosine of the angle between a and b along dim (PyTorch 1.13)")
                   .input("a")
                   .input("b")
                   .attr("dim", 1, "axis of the vectors")
                   .attr("eps", 1e-8, "floor of each norm")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{
                         cosine_similarity(c.in("a"), c.in("b"), c.i("dim"), c.f("eps"))};
                   }));
  registry.add(OpDef("normalize", "nn")
                   .summary("x / max(|x|_p, eps) along dim (F.normalize)")
                   .input("x")
                   .attr("p", 2.0, "order of the norm")
                   .attr("dim", 1, "axis of the vectors")
                   .attr("eps", 1e-12, "floor of the norm")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{normalize(c.in("x"), c.f("p"), c.i("dim"), c.f("eps"))};
                   }));
}

}  // namespace lathe
