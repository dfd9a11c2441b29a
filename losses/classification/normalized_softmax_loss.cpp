// normalized_softmax_loss: cross-entropy over cosine logits. Embeddings x [B, D], class proxies
// W [C, D], class indices y [B] (int):
//   s_bc = <x_b / max(|x_b|, 1e-12), w_c / max(|w_c|, 1e-12)> / T,    l = CE(s, y),
// reduced 'mean' over the batch (default), 'sum' or 'none'. pre_layernorm applies a
// parameter-free LayerNorm (eps 1e-5) to x first (Zhai & Wu's featurizer without a remap).
// Papers: "Classification is a Strong Baseline for Deep Metric Learning" (Zhai & Wu);
// "Hyperspherical embedding for novel class classification" (pyopenset: s = 10, i.e. T = 0.1;
// its unit-norm constraint on the class weights is a projection after each update, so its
// gradient differs). Catalog: classification.md, official code.
// Defaults: T 0.05, pre_layernorm false.
// Gradients (autograd): both x and W. The norm is sqrt(max(|x|^2, 1e-24)) = max(|x|, 1e-12),
// so a row below 1e-12 gets no gradient through its norm (F.normalize's clamp); the catalog's
// zero-row case (x 1e12 times the gradient of the normalized row) holds.
// Composite.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor l2_normalize_rows(const Tensor& x) {
  return x / sqrt(maximum(sum(x * x, {1}, true), 1e-24));   // [R, D]
}
}  // namespace

Tensor normalized_softmax_loss(const Tensor& input, const Tensor& proxies, const Tensor& target,
                               const NormalizedSoftmaxLossOptions& o) {
  const char* op = "normalized_softmax_loss";
  check_floating(op, "input", input);
  parse_reduction(op, o.reduction);
  check_floating(op, "proxies", proxies);
  check_dim(op, "input", input, 2);
  check_dim(op, "proxies", proxies, 2);
  LATHE_CHECK(proxies.shape()[1] == input.shape()[1], "[", op, "] proxies ", proxies.shape(),
              " and input ", input.shape(), " must share D");
  LATHE_CHECK(o.temperature > 0, "[", op, "] temperature must be > 0, got ", o.temperature);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) &&
                  target.shape() == Shape{input.shape()[0]},
              "[", op, "] class-index targets must be integers [", input.shape()[0], "], got ",
              target.defined() ? target.shape() : Shape{});
  int64_t c = proxies.shape()[0];
  for (int64_t k : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(k >= 0 && k < c, "[", op, "] target ", k, " out of range [0, ", c, ")");
  Tensor x = o.pre_layernorm ? layer_norm(input) : input;                    // [B, D]
  Tensor s = matmul(l2_normalize_rows(x), transpose(l2_normalize_rows(proxies), 0, 1)) /
             o.temperature;                                                  // [B, C]
  CrossEntropyOptions ce;
  ce.reduction = o.reduction;
  return cross_entropy(s, target, ce);
}

LATHE_REGISTER_OPS(normalized_softmax_loss) {
  registry.add(OpDef("normalized_softmax_loss", "classification")
                   .summary("cross-entropy of cosine logits to class proxies, temperature T")
                   .paper("Hyperspherical embedding for novel class classification; "
                          "Classification is a Strong Baseline for Deep Metric Learning")
                   .input("input")
                   .input("proxies")
                   .input("target", Kind::integer)
                   .options<NormalizedSoftmaxLossOptions>()
                   .attr("temperature", &NormalizedSoftmaxLossOptions::temperature,
                         "T > 0 (0.05 Zhai & Wu; 0.1 pyopenset's s = 10)")
                   .attr("pre_layernorm", &NormalizedSoftmaxLossOptions::pre_layernorm,
                         "parameter-free LayerNorm (eps 1e-5) on the input first")
                   .attr("reduction", &NormalizedSoftmaxLossOptions::reduction,
                         "none | mean | sum, over the batch")
                   .output("loss")
                   .run(normalized_softmax_loss));
}

}  // namespace lathe
