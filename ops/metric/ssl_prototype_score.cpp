// ssl_prototype_score: the self-supervised prototype difficulty of each example, the cosine
// distance of its embedding z [N, D] to the nearest k-means centroid c [K, D]:
//   score = 1 - max_k z^.c^_k,   v^ = v / max(||v||, 1e-12)   (a zero embedding scores 1)
// One score per example [N]: large is hard (far from every prototype); keep hard examples when
// data is abundant, easy ones when it is scarce. Not differentiable here (a data-selection
// score), computed without a graph; the k-means runs offline and its centroids are an input.
// Paper: "Beyond neural scaling laws: beating power law scaling via data pruning" (catalog:
// metric.md, confidence 'memory'). NOTE (unverified): no official code for this metric was
// found in this session; third-party re-implementations run k-means on pretrained (SwAV)
// embeddings, but the normalization, k and the cosine (not Euclidean) distance used here are
// the catalog's reading, not confirmed from the paper.
#include "ops/composite.h"
#include "ops/metric/metric.h"

namespace lathe {

Tensor ssl_prototype_score(const Tensor& z, const Tensor& centroids) {
  const char* op = "ssl_prototype_score";
  check_floating(op, "z", z);
  check_floating(op, "centroids", centroids);
  check_dim(op, "z", z, 2);
  check_dim(op, "centroids", centroids, 2);
  LATHE_CHECK(centroids.shape()[0] >= 1 && centroids.shape()[1] == z.shape()[1], "[", op,
              "] centroids must be [K, D] with K >= 1 and D = ", z.shape()[1], ", got ",
              centroids.shape());
  NoGradGuard no_grad;
  auto unit = [](const Tensor& v) {
    return v / maximum(sqrt(sum(v * v, {1}, true)), 1e-12);
  };
  Tensor s = matmul(unit(z), transpose(unit(centroids), 0, 1));  // [N, K]
  return 1.0 - max(s, {1});                                      // [N]
}

LATHE_REGISTER_OPS(ssl_prototype_score) {
  registry.add(OpDef("ssl_prototype_score", "metric")
                   .summary("self-supervised prototype score: cosine distance to the nearest "
                            "k-means centroid (not differentiable)")
                   .paper("Beyond neural scaling laws: beating power law scaling via data "
                          "pruning")
                   .input("z", Kind::floating, kNoGrad)
                   .input("centroids", Kind::floating, kNoGrad)
                   .output("score")
                   .run(ssl_prototype_score));
}

}  // namespace lathe
