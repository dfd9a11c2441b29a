#include "models/tempnet.h"

#include "core/grad_mode.h"
#include "losses/lm/lm_more.h"

namespace lathe::nn {

TempNetHead::TempNetHead(int64_t vocab, int64_t hidden, double tau_min_, double tau_max_,
                         DType dtype, Device device)
    : l1(add_module("l1", std::make_shared<Linear>(vocab, hidden, true, dtype, device))),
      l2(add_module("l2", std::make_shared<Linear>(hidden, hidden, true, dtype, device))),
      l3(add_module("l3", std::make_shared<Linear>(hidden, 1, true, dtype, device))),
      tau_min(tau_min_),
      tau_max(tau_max_) {
  {
    NoGradGuard no_grad;
    l3->weight.fill_(1.0);
    l3->bias.fill_(0.0);
  }
  s = add_parameter("s", zeros({}, dtype, device));
}

Tensor TempNetHead::forward(const Tensor& logits) {
  TempnetHeadOptions o;
  o.tau_min = tau_min;
  o.tau_max = tau_max;
  o.training = is_training();
  return tempnet_head(logits, l1->weight, l1->bias, l2->weight, l2->bias, l3->weight, l3->bias,
                      s, o);
}

}  // namespace lathe::nn
