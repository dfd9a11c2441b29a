// Finite-difference gradient checking of any registered op (what `lathe gradcheck` and the
// gradcheck test runner use; torch.autograd.gradcheck/gradgradcheck in PyTorch).
//
// For an op with outputs y_k and fixed random seeds s_k, let f = sum_k sum(y_k * s_k).
//   first order:  df/dx from autograd vs central differences (f(x + eps) - f(x - eps)) / 2 eps,
//                 for every element of every differentiable input;
//   second order: h = sum_j <df/dx_j, v_j> for random v; dh/dx and dh/ds_k from autograd (double
//                 backward) vs central differences of h computed with first-order autograd.
// Differentiating w.r.t. the seeds too checks that each backward rule is itself differentiable
// in the incoming gradient, not only in the inputs.
//
// Sampling: autograd gives each gradient in full, but the finite differences cost two
// evaluations of f (or, at second order, of a first-order backward) per element. A variable
// (input or seed) with more than `max_elements` elements is checked on a random subset of that
// many elements, drawn from `seed`, so a feature-map loss costs what a small one does; a wrong
// rule is wrong on most elements and is still caught. max_elements = 0 checks every element.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/registry.h"

namespace lathe {

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;  // |analytic - numeric| <= atol + rtol |numeric|
  double rtol = 1e-3;
  bool second_order = true;
  uint64_t seed = 0;  // for the output seeds, the second-order directions and the samples
  int64_t max_elements = 64;  // per variable; larger ones are sampled (0: check all elements)
};

struct GradcheckResult {
  int order = 1;
  std::string wrt;  // "x", "xs[1]", "seed of y"
  bool ok = true;
  double max_abs_error = 0;
  double max_rel_error = 0;
  int64_t checked = 0;  // elements compared: all of them, or a sample of max_elements
  int64_t numel = 0;    // elements of the variable
  int64_t worst_index = -1;  // row-major element with the largest excess over the tolerance
  double analytic = 0, numeric = 0;  // at worst_index
};

struct GradcheckReport {
  std::vector<GradcheckResult> results;
  bool ok() const;
  std::string str() const;  // one line per result
};

// Inputs must be float64 tensors in host memory (integer and bool inputs pass through); the
// differentiable ones are perturbed in place and restored.
GradcheckReport gradcheck(const OpDef& def,
                          const std::map<std::string, std::vector<Tensor>>& inputs,
                          const std::map<std::string, AttrValue>& attrs = {},
                          const GradcheckOptions& options = {});

}  // namespace lathe
