// The README's example, built by CI against an installed lathe (find_package(lathe)).
#include <lathe/lathe.h>

#include <cmath>
#include <cstdio>

int main() {
  using namespace lathe;
  manual_seed(0);
  Tensor x = randn({64, 1});                              // data: y = 3x - 1 + noise
  Tensor y = x * 3.0 - 1.0 + randn({64, 1}) * 0.1;
  Tensor w = zeros({1, 1}).requires_grad_(), b = zeros({1}).requires_grad_();
  for (int step = 0; step < 100; ++step) {
    Tensor loss = mean(pow(linear(x, w, b) - y, 2.0));   // builds the graph as it runs
    loss.backward();                                      // fills w.grad() and b.grad()
    NoGradGuard no_grad;                                  // one SGD step, by hand
    w.sub_(w.grad() * 0.1);
    b.sub_(b.grad() * 0.1);
    w.zero_grad();
    b.zero_grad();
    if (step % 25 == 0) std::printf("step %3d  loss %.4f\n", step, loss.item());
  }
  std::printf("w = %.3f, b = %.3f\n", w.item(), b.item());
  return std::fabs(w.item() - 3) < 0.05 && std::fabs(b.item() + 1) < 0.05 ? 0 : 1;
}
