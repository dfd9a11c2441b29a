// Test cases for ops/layer/spark_ffn.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(spark_ffn) {
  add(Case("spark_ffn").normal("x", {3, 6}).normal("k1", {2, 8}).normal("k2", {4, 8}, 0.5)
          .normal("v", {8, 6}, 0.5).attr("k", 2)
          .note("d 6 split r 2 / 4, F 8, about 2 active neurons per row"));
  add(Case("spark_ffn", "batched").normal("x", {2, 2, 5}).normal("k1", {1, 6})
          .normal("k2", {4, 6}, 0.5).normal("v", {6, 3}, 0.5).attr("k", 3)
          .note("leading dims [2, 2], r 1, d_out 3 != d, k/F 0.5 (theta = mean)"));
  add(Case("spark_ffn", "dense_like").normal("x", {2, 4}).normal("k1", {3, 5})
          .normal("k2", {1, 5}).normal("v", {5, 4}, 0.5).attr("k", 4)
          .note("k = F - 1: almost dense, r 3 of d 4"));
}
