// Test cases for ops/prim/matmul.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(matmul) {
  add(Case("matmul", "mm").normal("a", {3, 4}).normal("b", {4, 2}).note("[3,4] @ [4,2]"));
  add(Case("matmul", "batched").normal("a", {2, 3, 4}).normal("b", {2, 4, 2})
          .note("[2,3,4] @ [2,4,2]"));
  add(Case("matmul", "batch_broadcast").normal("a", {2, 1, 3, 4}).normal("b", {3, 4, 2})
          .note("[2,1,3,4] @ [3,4,2] -> [2,3,3,2]"));
  add(Case("matmul", "vec_mat").normal("a", {4}).normal("b", {4, 3}).note("[4] @ [4,3] -> [3]"));
  add(Case("matmul", "mat_vec").normal("a", {3, 4}).normal("b", {4}).note("[3,4] @ [4] -> [3]"));
  add(Case("matmul", "vec_vec").normal("a", {4}).normal("b", {4}).note("[4] @ [4] -> []"));
}
