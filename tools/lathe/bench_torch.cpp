// The libtorch side of `lathe bench`: the same workloads written the way a libtorch user would.
// Compiled twice, each time with tools/peer/torch_peer.cpp into a peer program: against Debian's
// libtorch 1.13 (`lathe-libtorch-peer`) and against PyTorch 2.x from its pip wheel
// (`lathe-torch-peer`).
#include <c10/core/CPUAllocator.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "tools/lathe/bench.h"

// libtorch 2.3 made c10::Allocator::allocate non-const and added copy_data; 2.4 added rms_norm.
#define LATHE_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||        \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace lathe::bench {

namespace {

namespace F = torch::nn::functional;

Step add8() {
  auto a = torch::ones({8}, torch::requires_grad());
  auto b = torch::ones({8}, torch::requires_grad());
  return [a, b] { auto c = a + b; };
}

Step mlp_train_step() {
  struct State {
    torch::nn::Sequential net{torch::nn::Linear(784, 256), torch::nn::ReLU(),
                              torch::nn::Linear(256, 256), torch::nn::ReLU(),
                              torch::nn::Linear(256, 10)};
    torch::optim::SGD opt{net->parameters(), torch::optim::SGDOptions(0.01)};
    torch::Tensor x = torch::randn({64, 784});
    torch::Tensor y = torch::randint(0, 10, {64});
  };
  auto s = std::make_shared<State>();
  return [s] {
    s->opt.zero_grad();
    auto loss = F::cross_entropy(s->net->forward(s->x), s->y);
    loss.backward();
    s->opt.step();
  };
}

Step matmul(int64_t m, int64_t k, int64_t n) {
  auto a = torch::randn({m, k}), b = torch::randn({k, n});
  return [a, b] { auto c = torch::matmul(a, b); };
}

Step softmax_xent() {
  auto x = torch::randn({4096, 1000}, torch::requires_grad());
  auto y = torch::randint(0, 1000, {4096});
  return [x, y]() mutable {
    x.mutable_grad() = torch::Tensor();
    F::cross_entropy(x, y).backward();
  };
}

Step norm_fwd_bwd(bool rms) {
  auto x = torch::randn({4096, 1024}, torch::requires_grad());
  auto w = torch::ones({1024}, torch::requires_grad());
  auto b = torch::zeros({1024}, torch::requires_grad());
  auto g = torch::randn({4096, 1024});
  return [x, w, b, g, rms]() mutable {
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
    b.mutable_grad() = torch::Tensor();
    torch::Tensor y;
    if (rms)
#if LATHE_TORCH_AT_LEAST(2, 4)
      y = torch::rms_norm(x, {1024}, w, 1e-6);
#else  // no rms_norm yet: the composite a user writes
      y = x * torch::rsqrt((x * x).mean(-1, true) + 1e-6) * w;
#endif
    else
      y = F::layer_norm(x, F::LayerNormFuncOptions({1024}).weight(w).bias(b).eps(1e-5));
    y.backward(g);
  };
}

// PowerNorm after warmup as its official code runs it (mask_powernorm.py's PowerFunction, then
// the affine): z = x / sqrt(running_phi + eps), running_phi updated by EMA of the batch's
// quadratic mean; the defined backward approx = g - (1 - alpha_bkw) ema_gz z, ema_gz += mean
// over rows of approx z, dx = approx / sqrt(var + eps).
struct PowerFunction : torch::autograd::Function<PowerFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor x,
                               torch::Tensor running_phi, torch::Tensor ema_gz) {
    const double eps = 1e-5, alpha_fwd = 0.9;
    torch::Tensor var = (x * x).mean(0);
    torch::Tensor z = x / (running_phi + eps).sqrt();
    running_phi.mul_(alpha_fwd).add_(var, 1 - alpha_fwd);
    ctx->save_for_backward({z, var, ema_gz});
    return z;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const double eps = 1e-5, alpha_bkw = 0.9;
    auto saved = ctx->get_saved_variables();
    torch::Tensor z = saved[0], var = saved[1], ema_gz = saved[2];
    torch::Tensor approx = grads[0] - (1 - alpha_bkw) * ema_gz * z;
    ema_gz.add_((approx * z).mean(0));
    return {approx / (var + eps).sqrt(), torch::Tensor(), torch::Tensor()};
  }
};

Step power_norm_fwd_bwd() {
  auto x = torch::randn({4096, 1024}, torch::requires_grad());
  auto w = torch::ones({1024}, torch::requires_grad());
  auto b = torch::zeros({1024}, torch::requires_grad());
  auto phi = torch::ones({1024}), ema = torch::zeros({1024}), g = torch::randn({4096, 1024});
  return [x, w, b, phi, ema, g]() mutable {
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
    b.mutable_grad() = torch::Tensor();
    (w * PowerFunction::apply(x, phi, ema) + b).backward(g);
  };
}

// efficient-kan's KANLinear in libtorch ops (the formulation of its kan.py): Cox-de Boor on the
// whole [N, in, G + 2k] tensor, then a base and a spline linear.
Step kan_linear() {
  const int64_t n = 1024, in = 256, out = 256, grid_size = 5, k = 3;
  struct State {
    torch::Tensor x, grid, base_w, spline_w, scaler, g;
  };
  auto s = std::make_shared<State>();
  double h = 2.0 / grid_size;
  s->grid = (torch::arange(-k, grid_size + k + 1, torch::kFloat32) * h - 1.0)
                .expand({in, -1})
                .contiguous();
  s->x = torch::rand({n, in}) * 2 - 1;
  s->base_w = torch::randn({out, in}).mul_(0.06).requires_grad_();
  s->spline_w = torch::randn({out, in, grid_size + k}).mul_(0.01).requires_grad_();
  s->scaler = torch::randn({out, in}).mul_(0.06).requires_grad_();
  s->g = torch::randn({n, out});
  return [s, k] {
    for (torch::Tensor* p : {&s->base_w, &s->spline_w, &s->scaler})
      p->mutable_grad() = torch::Tensor();
    using torch::indexing::Slice;
    torch::Tensor x = s->x.unsqueeze(-1), g = s->grid;
    torch::Tensor b = ((x >= g.index({Slice(), Slice(0, -1)})) & (x < g.index({Slice(), Slice(1)})))
                          .to(x.dtype());
    for (int64_t p = 1; p <= k; ++p) {
      b = (x - g.index({Slice(), Slice(0, -(p + 1))})) /
              (g.index({Slice(), Slice(p, -1)}) - g.index({Slice(), Slice(0, -(p + 1))})) *
              b.index({Slice(), Slice(), Slice(0, -1)}) +
          (g.index({Slice(), Slice(p + 1)}) - x) /
              (g.index({Slice(), Slice(p + 1)}) - g.index({Slice(), Slice(1, -p)})) *
              b.index({Slice(), Slice(), Slice(1)});
    }
    auto base = F::linear(torch::silu(s->x), s->base_w);
    auto w = (s->spline_w * s->scaler.unsqueeze(-1)).view({s->spline_w.size(0), -1});
    auto y = base + F::linear(b.view({s->x.size(0), -1}), w);
    y.backward(s->g);
  };
}

// A GR-KAN layer (the Kolmogorov-Arnold Transformer's KAT_Group, then a linear layer) in
// libtorch ops: the group-rational function P(x) / (1 + |x B(x)|) by Horner's scheme on
// [N, G, D / G], with a numerator shared by the groups, as its torch reference does.
Step gr_kan_layer() {
  const int64_t n = 4096, d = 256, groups = 8;
  struct State {
    torch::Tensor x, a, b, w, bias, g;
  };
  auto s = std::make_shared<State>();
  s->x = torch::randn({n, d});
  s->a = (torch::randn({1, 6}) * 0.1).requires_grad_();
  s->b = (torch::randn({groups, 4}) * 0.1).requires_grad_();
  s->w = (torch::randn({d, d}) * 0.06).requires_grad_();
  s->bias = torch::zeros({d}).requires_grad_();
  s->g = torch::randn({n, d});
  return [s, n, d, groups] {
    for (torch::Tensor* p : {&s->a, &s->b, &s->w, &s->bias}) p->mutable_grad() = torch::Tensor();
    torch::Tensor t = s->x.view({n, groups, d / groups});
    auto coef = [](const torch::Tensor& c, int64_t i) { return c.select(1, i).unsqueeze(-1); };
    torch::Tensor p = coef(s->a, 5);
    for (int64_t i = 4; i >= 0; --i) p = p * t + coef(s->a, i);
    torch::Tensor q = coef(s->b, 3);
    for (int64_t j = 2; j >= 0; --j) q = q * t + coef(s->b, j);
    torch::Tensor y = (p / (1 + (t * q).abs())).view({n, d});
    F::linear(y, s->w, s->bias).backward(s->g);
  };
}

// Counts the bytes libtorch's CPU tensors hold, for peak-memory comparisons. Each allocation's
// context records its pointer and size for the deleter.
class CountingAllocator : public c10::Allocator {
 public:
#if LATHE_TORCH_AT_LEAST(2, 3)
  c10::DataPtr allocate(size_t n) override {
#else
  c10::DataPtr allocate(size_t n) const override {
#endif
    size_t rounded = (n + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded ? rounded : 64);
    size_t now = live_ += n;
    size_t peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
    return {p, new Block{p, n}, &CountingAllocator::release, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return nullptr; }
#if LATHE_TORCH_AT_LEAST(2, 3)
  void copy_data(void* dest, const void* src, size_t n) const override {
    default_copy_data(dest, src, n);
  }
#endif
  static CountingAllocator& instance() {
    static CountingAllocator* a = new CountingAllocator();
    return *a;
  }
  void reset_peak() { peak_ = live_.load(); }
  size_t live() const { return live_; }
  size_t peak() const { return peak_; }

 private:
  struct Block {
    void* p;
    size_t n;
  };
  static void release(void* ctx) {
    Block* b = static_cast<Block*>(ctx);
    instance().live_ -= b->n;
    std::free(b->p);
    delete b;
  }
  mutable std::atomic<size_t> live_{0}, peak_{0};
};

}  // namespace

double torch_peak_bytes(const Step& step) {
  // c10 keeps an allocator only when its priority is at least the current one's.
  static uint8_t priority = 100;
  c10::Allocator* previous = c10::GetCPUAllocator();
  CountingAllocator& a = CountingAllocator::instance();
  c10::SetCPUAllocator(&a, ++priority);
  step();  // once to settle lazily created state
  a.reset_peak();
  size_t base = a.live();
  step();
  double peak = static_cast<double>(a.peak() - base);
  c10::SetCPUAllocator(previous, ++priority);
  return peak;
}

Step conv2d_fwd_bwd() {
  auto x = torch::randn({32, 64, 56, 56}, torch::requires_grad());
  auto w = (0.05 * torch::randn({64, 64, 3, 3})).requires_grad_();
  auto g = torch::randn({32, 64, 56, 56});
  return [x, w, g]() mutable {
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
    F::conv2d(x, w, F::Conv2dFuncOptions().padding(1)).backward(g);
  };
}

Step pool_fwd_bwd(bool max) {
  auto x = torch::randn({32, 64, 112, 112}, torch::requires_grad());
  auto g = torch::randn({32, 64, 56, 56});
  return [x, g, max]() mutable {
    x.mutable_grad() = torch::Tensor();
    if (max)
      F::max_pool2d(x, F::MaxPool2dFuncOptions(3).stride(2).padding(1)).backward(g);
    else
      F::avg_pool2d(x, F::AvgPool2dFuncOptions(3).stride(2).padding(1)).backward(g);
  };
}

// The normalized Gaussian window of 11 taps, sigma 1.5: [11].
torch::Tensor gauss11() {
  auto c = torch::arange(11, torch::kFloat) - 5;
  auto g = torch::exp(-(c * c) / (2 * 1.5 * 1.5));
  return g / g.sum();
}

// GCoNet+'s SSIMLoss (loss.py _ssim): five depthwise conv2d with the 11x11 window, padding 5.
Step ssim_fwd_bwd() {
  auto x = torch::rand({16, 3, 256, 256}, torch::requires_grad());
  auto y = torch::rand({16, 3, 256, 256});
  auto g = gauss11();
  auto w = torch::outer(g, g).expand({3, 1, 11, 11}).contiguous();
  return [x, y, w]() mutable {
    x.mutable_grad() = torch::Tensor();
    auto blur = [&](const torch::Tensor& t) {
      return F::conv2d(t, w, F::Conv2dFuncOptions().padding(5).groups(3));
    };
    auto mu1 = blur(x), mu2 = blur(y);
    auto mu1_sq = mu1.pow(2), mu2_sq = mu2.pow(2), mu1_mu2 = mu1 * mu2;
    auto s1 = blur(x * x) - mu1_sq, s2 = blur(y * y) - mu2_sq, s12 = blur(x * y) - mu1_mu2;
    const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
    auto map = ((2 * mu1_mu2 + c1) * (2 * s12 + c2)) / ((mu1_sq + mu2_sq + c1) * (s1 + s2 + c2));
    (1 - map.mean()).backward();
  };
}

// pytorch-msssim's ms_ssim (data_range 1): separable valid blurs, avg_pool2d between scales.
Step ms_ssim_fwd_bwd() {
  auto x = torch::rand({8, 3, 256, 256}, torch::requires_grad());
  auto y = torch::rand({8, 3, 256, 256});
  auto win = gauss11().view({1, 1, 1, 11}).repeat({3, 1, 1, 1});  // [C, 1, 1, 11]
  auto weights = torch::tensor({0.0448f, 0.2856f, 0.3001f, 0.2363f, 0.1333f}).view({-1, 1, 1});
  return [x, y, win, weights]() mutable {
    x.mutable_grad() = torch::Tensor();
    auto blur = [&](const torch::Tensor& t) {
      auto o = F::conv2d(t, win, F::Conv2dFuncOptions().groups(3));
      return F::conv2d(o, win.transpose(2, 3), F::Conv2dFuncOptions().groups(3));
    };
    const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
    torch::Tensor a = x, b = y;
    std::vector<torch::Tensor> terms;
    for (int level = 0; level < 5; ++level) {
      auto mu1 = blur(a), mu2 = blur(b);
      auto mu1_sq = mu1.pow(2), mu2_sq = mu2.pow(2), mu1_mu2 = mu1 * mu2;
      auto s1 = blur(a * a) - mu1_sq, s2 = blur(b * b) - mu2_sq, s12 = blur(a * b) - mu1_mu2;
      auto cs_map = (2 * s12 + c2) / (s1 + s2 + c2);
      auto ssim_map = (2 * mu1_mu2 + c1) / (mu1_sq + mu2_sq + c1) * cs_map;
      if (level < 4) {
        terms.push_back(torch::relu(cs_map.flatten(2).mean(-1)));
        auto pool = F::AvgPool2dFuncOptions(2).padding({a.size(2) % 2, a.size(3) % 2});
        a = F::avg_pool2d(a, pool);
        b = F::avg_pool2d(b, pool);
      } else {
        terms.push_back(torch::relu(ssim_map.flatten(2).mean(-1)));
      }
    }
    auto ms = torch::prod(torch::stack(terms, 0).pow(weights), 0);
    (1 - ms.mean()).backward();
  };
}

// GeomLoss 0.2.6's sinkhorn_tensorized (debias, p 2, scaling 0.5) in libtorch ops, 1024 x 1024
// points in 64-D, eps = blur^2 = 0.05: the four costs |x - y|^2 / 2 by GEMM with gradient
// through the first cloud, softmin = -eps LSE(h - C / eps), the epsilon schedule without
// gradient, the last update with it.
Step sinkhorn() {
  auto x = torch::randn({1024, 64}, torch::requires_grad());
  auto y = (torch::randn({1024, 64}) + 0.5).requires_grad_();
  return [x, y]() mutable {
    x.mutable_grad() = torch::Tensor();
    y.mutable_grad() = torch::Tensor();
    auto cost = [](const torch::Tensor& a, const torch::Tensor& b) {
      return ((a * a).sum(-1, true) - 2 * a.matmul(b.t()) + (b * b).sum(-1).unsqueeze(0)) / 2;
    };
    auto softmin = [](double e, const torch::Tensor& c, const torch::Tensor& h) {
      return -e * (h.unsqueeze(0) - c / e).logsumexp(1);
    };
    const double blur = std::sqrt(0.05), scaling = 0.5;
    torch::Tensor xd = x.detach(), yd = y.detach(), both = torch::cat({xd, yd});
    double diam = (std::get<0>(both.max(0)) - std::get<0>(both.min(0))).norm().item<double>();
    std::vector<double> eps_list{diam * diam};
    for (double e = 2 * std::log(diam); e > 2 * std::log(blur); e += 2 * std::log(scaling))
      eps_list.push_back(std::exp(e));
    eps_list.push_back(blur * blur);
    int64_t n = x.size(0), m = y.size(0);
    auto la = torch::full({n}, -std::log(double(n))), lb = torch::full({m}, -std::log(double(m)));
    auto c_xy = cost(x, yd), c_yx = cost(y, xd), c_xx = cost(x, xd), c_yy = cost(y, yd);
    torch::Tensor f_ba, g_ab, f_aa, g_bb;
    {
      torch::NoGradGuard no_grad;
      double e = eps_list[0];
      g_ab = softmin(e, c_yx, la), f_ba = softmin(e, c_xy, lb);
      f_aa = softmin(e, c_xx, la), g_bb = softmin(e, c_yy, lb);
      for (double e : eps_list) {
        auto ft_ba = softmin(e, c_xy, lb + g_ab / e), gt_ab = softmin(e, c_yx, la + f_ba / e);
        auto ft_aa = softmin(e, c_xx, la + f_aa / e), gt_bb = softmin(e, c_yy, lb + g_bb / e);
        f_ba = (f_ba + ft_ba) / 2, g_ab = (g_ab + gt_ab) / 2;
        f_aa = (f_aa + ft_aa) / 2, g_bb = (g_bb + gt_bb) / 2;
      }
    }
    double e = eps_list.back();
    auto f_ba_l = softmin(e, c_xy, lb + g_ab / e), g_ab_l = softmin(e, c_yx, la + f_ba / e);
    auto f_aa_l = softmin(e, c_xx, la + f_aa / e), g_bb_l = softmin(e, c_yy, lb + g_bb / e);
    ((f_ba_l - f_aa_l).mean() + (g_ab_l - g_bb_l).mean()).backward();
  };
}

Step torch_step(const std::string& name) {
  if (name == "add8_fwd") return add8();
  if (name == "mlp_train_step") return mlp_train_step();
  if (name == "matmul_512") return matmul(512, 512, 512);
  if (name == "matmul_64x784x256") return matmul(64, 784, 256);
  if (name == "softmax_xent_fwd_bwd") return softmax_xent();
  if (name == "layer_norm_fwd_bwd") return norm_fwd_bwd(false);
  if (name == "rms_norm_fwd_bwd") return norm_fwd_bwd(true);
  if (name == "power_norm_fwd_bwd") return power_norm_fwd_bwd();
  if (name == "kan_linear_fwd_bwd") return kan_linear();
  if (name == "gr_kan_layer_fwd_bwd") return gr_kan_layer();
  if (name == "conv2d_fwd_bwd") return conv2d_fwd_bwd();
  if (name == "max_pool2d_fwd_bwd") return pool_fwd_bwd(true);
  if (name == "avg_pool2d_fwd_bwd") return pool_fwd_bwd(false);
  if (name == "ssim_loss_fwd_bwd") return ssim_fwd_bwd();
  if (name == "ms_ssim_loss_fwd_bwd") return ms_ssim_fwd_bwd();
  if (name == "sinkhorn_fwd_bwd") return sinkhorn();
  return {};
}

void torch_set_threads(int n) { at::set_num_threads(n); }

std::string torch_version() { return std::string("libtorch ") + TORCH_VERSION; }

}  // namespace lathe::bench
