// The tiled log-sum-exps of a similarity matrix (issue 18, the Inf-CL idea): the one piece of
// the softmax-over-the-batch losses that needs the whole [B, B] S, accumulated over
// tile x tile blocks with an online log-sum-exp, its backward recomputing each block, so a
// tiled loss holds O(B tile) memory. Written for clip_contrastive_loss and defined there
// (losses/contrastive/clip_contrastive_loss.cpp); supcon_loss uses it too.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace lathe::detail {

struct TiledLse {
  Tensor row;  // [Bu]: LSE_j S_ij
  Tensor col;  // [Bv]: LSE_i S_ij (undefined unless asked for)
};

// S = scale u v^T with u [Bu, D], v [Bv, D], scale a 0-d tensor; blocks of tile x tile visited
// in a fixed order (deterministic). exclude_diagonal (u and v the same rows): the pairs i == j
// are left out of both sums. One graph node, differentiable in u, v and scale; its rule is
// written with public ops, so double backward recomputes the blocks once more.
TiledLse tiled_lse(const Tensor& u, const Tensor& v, const Tensor& scale, int64_t tile,
                   bool columns, bool exclude_diagonal);

}  // namespace lathe::detail
