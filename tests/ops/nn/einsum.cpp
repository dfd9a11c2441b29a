// Test cases for ops/nn/einsum.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(einsum) {
  add(Case("einsum").normal("operands", {2, 3, 4}).normal("operands", {2, 4, 5})
          .attr("equation", "bij,bjk->bik").note("batched matmul"));
  add(Case("einsum", "implicit").normal("operands", {3, 4}).normal("operands", {4, 2})
          .attr("equation", "ij,jk").note("implicit output: 'ik'"));
  add(Case("einsum", "outer_transpose").normal("operands", {3}).normal("operands", {4})
          .attr("equation", "i,j->ji").note("outer product, transposed output"));
  add(Case("einsum", "three").normal("operands", {2, 3}).normal("operands", {3, 4})
          .normal("operands", {4, 2}).attr("equation", "ab,bc,ca->")
          .note("three operands, full contraction (trace of a product)"));
  add(Case("einsum", "keep_shared").normal("operands", {2, 3}).normal("operands", {3, 4})
          .normal("operands", {2, 4}).attr("equation", "ab,bc,ac->ab")
          .note("a label kept for a later operand, then batch and output"));
  add(Case("einsum", "trace").normal("operands", {4, 4}).attr("equation", "ii")
          .note("repeated label, implicit output: the trace"));
  add(Case("einsum", "diagonal").normal("operands", {2, 3, 3}).normal("operands", {3, 2})
          .attr("equation", "bii,ib->bi").note("a diagonal then a product"));
  add(Case("einsum", "ellipsis").normal("operands", {2, 1, 3, 4}).normal("operands", {3, 4, 2})
          .attr("equation", "...ij,...jk->...ik").note("ellipsis dims broadcast [2, 1] vs [3]"));
  add(Case("einsum", "ellipsis_implicit_sum").normal("operands", {2, 3, 4})
          .attr("equation", "...ij").note("implicit: '...ij' keeps every dim (a copy)"));
  add(Case("einsum", "sum_lone").normal("operands", {2, 3, 4}).normal("operands", {4})
          .attr("equation", "abc,c->b").note("'a' summed before the contraction"));
  add(Case("einsum", "broadcast_one").normal("operands", {3, 1}).normal("operands", {4})
          .attr("equation", "ij,j->i").note("a size-1 dim broadcasts against j = 4"));
  add(Case("einsum", "bilinear").normal("operands", {2, 3}).normal("operands", {4, 3, 5})
          .normal("operands", {2, 5}).attr("equation", "bi,kij,bj->bk")
          .note("a bilinear form (torch.nn.Bilinear)"));
}
