// The README's training loop (a model, an optimizer, a loss), built by CI against an installed
// lathe like main.cpp.
#include <lathe/lathe.h>

#include <cstdio>

int main() {
  using namespace lathe;
  manual_seed(0);
  Tensor x = randn({512, 2});                                  // two classes: x0 + x1 > 0
  Tensor y = cast(gt(sum(x, {1}), 0.0), DType::i64);
  nn::MLP model(2, {16}, 2);                                   // Linear, ReLU, Linear
  optim::AdamW opt(model.parameters(), 0.05);
  for (int step = 0; step < 100; ++step) {
    Tensor loss = cross_entropy(model.forward(x), y);          // builds the graph as it runs
    opt.zero_grad();
    loss.backward();                                           // fills every parameter's grad()
    opt.step();                                                // AdamW update, in place
    if (step % 25 == 0) std::printf("step %3d  loss %.4f\n", step, loss.item());
  }
  NoGradGuard no_grad;
  double accuracy = mean(cast(eq(argmax(model.forward(x), -1), y), DType::f32)).item();
  std::printf("accuracy %.3f\n", accuracy);
  return accuracy > 0.95 ? 0 : 1;
}
