// For the few ops whose backward is their own and not the derivative of their forward
// (PowerNorm's approximate backward, straight-through estimators, implicit gradients): the
// composite kit plus autograd recording (record(), BackwardCtx) and kernel dispatch.
//
// An op outside ops/prim/ that includes this header declares `.custom_backward(note)` in its
// registry entry, saying what its backward is; tests/ops/kit_test.cpp fails otherwise. The
// primitives in ops/prim/ own their backward rules by definition and include it through
// ops/prim/common.h. Fused kernels need none of this: see fused_or_composite in ops/composite.h.
#pragma once

#include "core/autograd.h"
#include "core/kernel.h"
#include "ops/composite.h"
