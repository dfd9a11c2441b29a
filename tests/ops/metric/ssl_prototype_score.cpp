// Test cases for ops/metric/ssl_prototype_score.cpp (conformance, oracle; not differentiable).
#include "tests/support/cases.h"

LATHE_CASES(ssl_prototype_score) {
  add(Case("ssl_prototype_score").normal("z", {6, 4}).normal("centroids", {3, 4})
          .note("6 embeddings, 3 centroids"));
  add(Case("ssl_prototype_score", "on_centroid")
          .values("z", {3, 2}, {2, 0, 0, 0, -1, 1}).values("centroids", {2, 2}, {1, 0, 0, 3})
          .note("on a centroid's ray (0), a zero embedding (1), between (1 - cos 45)"));
}
