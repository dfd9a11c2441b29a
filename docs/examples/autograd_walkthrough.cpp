// The program of docs/autograd-walkthrough.md: silu(x) = x * sigmoid(x) on three values, its
// graph, its gradient (a graph of its own) and its second derivative. CI builds and runs it
// (ctest -R walkthrough); it exits 1 when lathe's numbers differ from the guide's hand
// derivation:
//   s = sigmoid(x),  silu'(x) = s (1 + x (1 - s)),  silu''(x) = s (1 - s) (2 + x (1 - 2 s)).
#include <cmath>
#include <cstdio>

#include "lathe.h"

using namespace lathe;

int main() {
  // A leaf: a tensor the user made, that asks for its gradient.
  Tensor x = from_vector(std::vector<double>{-1.0, 0.0, 2.0}, {3}).set_name("x");
  x.requires_grad_();

  // Forward: silu is a composite; its two primitives (sigmoid, mul) each record a node.
  Tensor y = silu(x);
  std::printf("y = silu(x) = %s\nrecorded by %s\n\n", to_string(y).c_str(), y.grad_fn()->name());
  std::printf("the forward graph (lathe graph silu --shape x=3):\n%s\n", to_dot({y}).c_str());

  // First derivative, recorded (create_graph): the backward rules are ops, so dy/dx has a graph.
  Tensor dy = grad({sum(y)}, {x}, {}, {true, true})[0];
  std::printf("dy/dx = %s\nrecorded by %s\n\n", to_string(dy).c_str(), dy.grad_fn()->name());

  // Second derivative: backward through the first one's graph.
  Tensor d2y = grad({sum(dy)}, {x})[0];
  std::printf("d2y/dx2 = %s\n", to_string(d2y).c_str());

  std::vector<double> xs = x.to_vector<double>(), g1 = dy.to_vector<double>(),
                      g2 = d2y.to_vector<double>();
  int wrong = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    double s = 1 / (1 + std::exp(-xs[i]));
    double want1 = s * (1 + xs[i] * (1 - s));
    double want2 = s * (1 - s) * (2 + xs[i] * (1 - 2 * s));
    if (std::fabs(g1[i] - want1) > 1e-12 || std::fabs(g2[i] - want2) > 1e-12) {
      std::printf("x = %g: got %.15g, %.15g; the hand derivation gives %.15g, %.15g\n", xs[i],
                  g1[i], g2[i], want1, want2);
      ++wrong;
    }
  }
  std::printf("%s\n", wrong ? "MISMATCH" : "both derivatives match the hand derivation");
  return wrong ? 1 : 0;
}
