// Test cases for ops/prim/matmul.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(matmul) {
  add(Case("matmul").in("a", {3, 4}).in("b", {4, 2}));
  add(Case("matmul", "batched").in("a", {2, 3, 4}).in("b", {2, 4, 5}));
  add(Case("matmul", "broadcast").in("a", {2, 1, 3, 4}).in("b", {3, 4, 2}));
  add(Case("matmul", "vector_matrix").in("a", {4}).in("b", {4, 3}));
  add(Case("matmul", "matrix_vector").in("a", {3, 4}).in("b", {4}));
  add(Case("matmul", "dot").in("a", {4}).in("b", {4}));
}
