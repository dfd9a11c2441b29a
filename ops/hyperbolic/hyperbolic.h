// Poincare-ball ops of the catalog (catalog: other.md, dir ops/hyperbolic), each in
// ops/hyperbolic/<name>.cpp, as Hyp-OC uses them (its hyptorch/pmath.py, from
// leymir/hyperbolic-image-embeddings, after geoopt). Points are rows along the last dim;
// c > 0 is the ball's negative curvature (radius 1/sqrt(c)). common.h holds the shared pieces.
#pragma once

#include "core/tensor.h"

namespace lathe {

// x (+)_c y, Mobius addition, with pmath's 1e-5 in the denominator.
Tensor mobius_add(const Tensor& x, const Tensor& y, double c = 0.1);
// tanh(sqrt(c) |u|) u / (sqrt(c) |u|), |u| clamped >= 1e-5, the tanh argument to +-15.
Tensor poincare_expmap0(const Tensor& u, double c = 0.1);
// x (+)_c tanh(sqrt(c) lambda_x |u| / 2) u / (sqrt(c) |u|), lambda_x = 2 / (1 - c |x|^2).
Tensor poincare_expmap(const Tensor& x, const Tensor& u, double c = 0.1);
// artanh(sqrt(c) |y|) y / (sqrt(c) |y|): the inverse of expmap0 (|y| clamped >= 1e-5).
Tensor poincare_logmap0(const Tensor& y, double c = 0.1);
// Rows with |x| > (1 - 1e-3)/sqrt(c) rescaled to that radius; others unchanged.
Tensor poincare_project(const Tensor& x, double c = 0.1);
// (2/sqrt(c)) artanh(sqrt(c) |(-x) (+)_c y|) per row: [...] from [..., D].
Tensor poincare_distance(const Tensor& x, const Tensor& y, double c = 0.1);
// x min(1, r / (|x| + 1e-5)): Euclidean feature clipping before the map to the ball.
Tensor hyp_feature_clip(const Tensor& x, double r = 2.0);
// Identity forward; backward grad (1 - c |x|^2)^2 / 4 (the Riemannian gradient's rescaling).
Tensor riemannian_grad(const Tensor& x, double c = 0.1);

}  // namespace lathe
