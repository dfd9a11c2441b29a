// multilabel_margin_loss: the multi-label hinge loss of scores x [N, C] (or [C]) against target
// rows y [N, C] (int), PyTorch's F.multilabel_margin_loss. A row's targets are its entries
// before the first -1 (the rest is ignored); with T_n that list (repeats count again, as in
// PyTorch's kernel) and S_n its set,
//   l_n = (1 / C) sum_{j in T_n} sum_{i not in S_n} max(0, 1 - (x_{n, j} - x_{n, i})).
// Reduction 'mean' (over samples, default), 'sum', 'none' ([N]).
// Source: torch.nn.functional.multilabel_margin_loss (PyTorch 1.13); not in the catalog.
// Defaults: reduction 'mean'.
// Gradient (autograd): +-1/C per active (j, i) pair; kinks where x_j - x_i = 1. Composite: the
// target list becomes, on the host, a count per (n, j) and a mask of non-targets per (n, i), and
// the pairs are one [N, C, C] hinge (C is small for this loss; PyTorch's kernel also loops C^2).
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              const MultilabelMarginLossOptions& o) {
  const char* op = "multilabel_margin_loss";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() == 1 || input.dim() == 2, "[", op, "] input must be [N, C] or [C], got ",
              input.shape());
  Reduction reduction = parse_reduction(op, o.reduction);
  bool unbatched = input.dim() == 1;
  Tensor x = unbatched ? unsqueeze(input, 0) : input;                    // [N, C]
  int64_t n = x.shape()[0], c = x.shape()[1];
  Tensor y = class_indices(op, "target", target, c, -1);                 // -1 ends a row
  LATHE_CHECK(y.shape() == input.shape(), "[", op, "] target must have the input's shape ",
              input.shape(), ", got ", y.shape());
  std::vector<int64_t> labels = y.to_vector<int64_t>();
  std::vector<double> count(n * c, 0.0), other(n * c, 1.0);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t k = 0; k < c && labels[r * c + k] >= 0; ++k) {
      count[r * c + labels[r * c + k]] += 1.0;
      other[r * c + labels[r * c + k]] = 0.0;
    }
  Tensor counts = from_vector(count, {n, c, 1}, DType::f64, x.device()).to(x.dtype());  // j
  Tensor others = from_vector(other, {n, 1, c}, DType::f64, x.device()).to(x.dtype());  // i
  Tensor pairs = relu(1.0 - unsqueeze(x, 2) + unsqueeze(x, 1));          // [N, C(j), C(i)]
  Tensor rows = sum(pairs * counts * others, {1, 2}) / static_cast<double>(c);  // [N]
  if (reduction == Reduction::none && unbatched) return squeeze(rows, {0});
  return apply_reduction(rows, reduction);
}

LATHE_REGISTER_OPS(multilabel_margin_loss) {
  registry.add(OpDef("multilabel_margin_loss", "classification")
                   .summary("multi-label hinge loss of target classes over the others "
                            "(F.multilabel_margin_loss)")
                   .paper("torch.nn.functional.multilabel_margin_loss (PyTorch parity)")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<MultilabelMarginLossOptions>()
                   .attr("reduction", &MultilabelMarginLossOptions::reduction,
                         "none ([N]) | mean | sum over samples")
                   .output("loss")
                   .run(multilabel_margin_loss));
}

}  // namespace lathe
