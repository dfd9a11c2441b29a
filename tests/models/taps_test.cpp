// Forward hooks and feature taps (models/module.h, models/taps.h): hooks fire in registration and
// forward order, removal works (also from inside a hook), taps on nested paths, unknown paths,
// no graph kept past clear(), adapters' shapes, and a tapped student trained for a few steps with
// fitnet_hint_loss through an adapter whose state is in the Trainer's checkpoint.
#include "models/taps.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "lathe.h"
#include "models/trainer.h"
#include "tests/models/helpers.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test::models;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) { return max(abs(a - b)).item(); }

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Sequential(Linear(4, 6), ReLU, Sequential(Linear(6, 5), Tanh), Linear(5, 3)) in f64.
std::shared_ptr<Sequential> nested_model() {
  auto inner = std::make_shared<Sequential>();
  inner->append(std::make_shared<Linear>(6, 5, true, DType::f64));
  inner->append(std::make_shared<Tanh>());
  auto m = std::make_shared<Sequential>();
  m->append(std::make_shared<Linear>(4, 6, true, DType::f64));
  m->append(std::make_shared<ReLU>());
  m->append(inner);
  m->append(std::make_shared<Linear>(5, 3, true, DType::f64));
  return m;
}

size_t hooks_in(Module& m) {
  size_t n = 0;
  for (auto& [path, sub] : m.named_modules()) n += sub->num_forward_hooks();
  return n;
}

}  // namespace

TEST_CASE("forward hooks fire in registration order and in forward order", "[unit][taps]") {
  auto m = nested_model();
  std::vector<std::string> log;
  Tensor seen_in, seen_out;
  m->get_submodule("3").register_forward_hook(
      [&](Module&, const Tensor& in, const Tensor& out) {
        log.push_back("3");
        seen_in = in;
        seen_out = out;
      });
  m->get_submodule("0").register_forward_hook(
      [&](Module&, const Tensor&, const Tensor&) { log.push_back("0a"); });
  m->get_submodule("0").register_forward_hook(
      [&](Module&, const Tensor&, const Tensor&) { log.push_back("0b"); });
  m->get_submodule("2.1").register_forward_hook(
      [&](Module& who, const Tensor&, const Tensor&) {
        CHECK(&who == &m->get_submodule("2.1"));
        log.push_back("2.1");
      });
  Tensor x = draw({2, 4}, 1);
  Tensor y = (*m)(x);
  CHECK(log == std::vector<std::string>{"0a", "0b", "2.1", "3"});
  // The last layer's hook saw the model's output and its own input.
  CHECK(max_abs_diff(seen_out, y) == 0);
  auto p = m->named_parameters();  // 0.weight, 0.bias, 2.0.weight, 2.0.bias, 3.weight, 3.bias
  Tensor expected_in = tanh(linear(relu(linear(x, p[0].second, p[1].second)), p[2].second,
                                   p[3].second));  // [2, 5]
  CHECK(max_abs_diff(seen_in, expected_in) < 1e-12);
}

TEST_CASE("forward hooks run through operator() only", "[unit][taps]") {
  auto m = nested_model();
  int top = 0, first = 0;
  m->register_forward_hook([&](Module&, const Tensor&, const Tensor&) { ++top; });
  m->get_submodule("0").register_forward_hook([&](Module&, const Tensor&, const Tensor&) {
    ++first;
  });
  Tensor x = draw({2, 4}, 2);
  (*m)(x);
  CHECK(top == 1);
  CHECK(first == 1);
  // forward() itself runs none of the model's own hooks (PyTorch's module.forward(x)); the
  // submodules it calls through operator() still run theirs.
  m->forward(x);
  CHECK(top == 1);
  CHECK(first == 2);
}

TEST_CASE("forward hook removal", "[unit][taps]") {
  auto m = nested_model();
  Module& first = m->get_submodule("0");
  int a = 0, b = 0, once = 0;
  HookHandle ha = first.register_forward_hook([&](Module&, const Tensor&, const Tensor&) { ++a; });
  HookHandle hb = first.register_forward_hook([&](Module&, const Tensor&, const Tensor&) { ++b; });
  HookHandle hs;
  hs = first.register_forward_hook([&](Module&, const Tensor&, const Tensor&) {
    ++once;
    hs.remove();  // a hook may remove itself while the hooks run
  });
  CHECK(first.num_forward_hooks() == 3);
  Tensor x = draw({2, 4}, 3);
  (*m)(x);
  CHECK((a == 1 && b == 1 && once == 1));
  CHECK(!hs.active());
  CHECK(ha.active());
  ha.remove();
  ha.remove();  // idempotent
  CHECK(!ha.active());
  CHECK(first.num_forward_hooks() == 1);
  (*m)(x);
  CHECK((a == 1 && b == 2 && once == 1));
  hb.remove();
  CHECK(first.num_forward_hooks() == 0);
  (*m)(x);
  CHECK(b == 2);
  // A handle outliving its module removes nothing and does not crash.
  HookHandle orphan;
  {
    auto lone = std::make_shared<Linear>(2, 2);
    orphan = lone->register_forward_hook([](Module&, const Tensor&, const Tensor&) {});
    CHECK(orphan.active());
  }
  CHECK(!orphan.active());
  orphan.remove();
  CHECK(error_of([&] { first.register_forward_hook(ForwardHook()); })
            .rfind("[register_forward_hook]", 0) == 0);
}

TEST_CASE("named_modules and get_submodule", "[unit][taps]") {
  auto m = nested_model();
  std::vector<std::string> paths;
  for (auto& [path, sub] : m->named_modules()) paths.push_back(path);
  CHECK(paths == std::vector<std::string>{"", "0", "1", "2", "2.0", "2.1", "3"});
  CHECK(&m->get_submodule("") == m.get());
  CHECK(&m->get_submodule("2") == m->children()[2].second.get());
  std::string e = error_of([&] { m->get_submodule("2.5"); });
  CHECK(e.rfind("[get_submodule] no module at path '2.5'", 0) == 0);
  CHECK(e.find("2.0, 2.1, 3") != std::string::npos);
}

TEST_CASE("feature taps record nested outputs", "[unit][taps]") {
  auto m = nested_model();
  Tensor x = draw({3, 4}, 4);
  Tensor y;
  {
    FeatureTaps taps(*m, {"2.1", "3", "1"});
    CHECK(hooks_in(*m) == 3);
    CHECK(!taps.has("3"));
    y = (*m)(x);
    CHECK(taps["1"].shape() == Shape({3, 6}));
    CHECK(taps["2.1"].shape() == Shape({3, 5}));
    CHECK(max_abs_diff(taps["3"], y) == 0);
    auto p = m->named_parameters();
    CHECK(max_abs_diff(taps["1"], relu(linear(x, p[0].second, p[1].second))) < 1e-12);
    // Gradients flow through a tapped output, as through the model's own.
    CHECK(taps["2.1"].requires_grad());
    // The next forward replaces the record.
    Tensor x2 = draw({2, 4}, 5);
    (*m)(x2);
    CHECK(taps["3"].shape() == Shape({2, 3}));
    taps.clear();
    CHECK(!taps.has("3"));
    CHECK(error_of([&] { taps["3"]; }).rfind("[FeatureTaps] the module at '3' has recorded", 0) ==
          0);
    CHECK(error_of([&] { taps["0"]; }) == "[FeatureTaps] '0' is not a tapped path");
  }
  // Destroying the taps removed their hooks.
  CHECK(hooks_in(*m) == 0);
}

TEST_CASE("feature taps refuse unknown and repeated paths and leave the model untouched",
          "[unit][taps]") {
  auto m = nested_model();
  std::string e = error_of([&] { FeatureTaps taps(*m, {"0", "features.2"}); });
  CHECK(e.rfind("[FeatureTaps] no module at path 'features.2'; the modules are: 0, 1, 2", 0) ==
        0);
  CHECK(hooks_in(*m) == 0);
  CHECK(error_of([&] { FeatureTaps taps(*m, {"0", "0"}); }) ==
        "[FeatureTaps] path '0' given twice");
  CHECK(error_of([&] { FeatureTaps taps(*m, {}); }) == "[FeatureTaps] no path given");
  CHECK(hooks_in(*m) == 0);
}

TEST_CASE("feature taps keep no graph past clear", "[unit][taps]") {
  auto m = nested_model();
  FeatureTaps taps(*m, {"2"});
  Tensor x = draw({64, 4}, 6);
  size_t before = memory_stats(default_device()).allocated_bytes;
  (*m)(x);  // the output is dropped: only the tap holds the [64, 5] feature and its graph
  size_t held = memory_stats(default_device()).allocated_bytes;
  CHECK(held > before);
  taps.clear();
  CHECK(memory_stats(default_device()).allocated_bytes == before);
  (*m)(x);
  taps.remove();
  CHECK(memory_stats(default_device()).allocated_bytes == before);
  CHECK(hooks_in(*m) == 0);
}

TEST_CASE("adapters map student features to the teacher's", "[unit][taps]") {
  Tensor s2 = draw({4, 6}, 7), t2 = draw({4, 9}, 8);
  auto a = make_adapter("fitnet_hint_loss", s2, t2);
  CHECK(a->weight.shape() == Shape({9, 6}));
  CHECK(a->weight.dtype() == DType::f64);
  CHECK(max_abs_diff((*a)(s2), linear(s2, a->weight, a->bias)) < 1e-12);
  // 1x1 convolution on [B, C, H, W]: the regressor fitnet_hint_loss applies to the channel axis.
  Tensor s4 = draw({2, 3, 4, 5}, 9), t4 = draw({2, 7, 4, 5}, 10);
  auto c = make_adapter("fitnet_hint_loss", s4, t4);
  Tensor mapped = (*c)(s4);  // [2, 7, 4, 5]
  CHECK(mapped.shape() == t4.shape());
  FitnetOptions fo;
  fo.weight = c->weight;
  fo.bias = c->bias;
  Tensor diff = mapped - t4;
  CHECK(std::abs(fitnet_hint_loss(s4, t4, fo).item() - mean(diff * diff).item()) < 1e-12);
  std::string e = error_of([&] { make_adapter("fitnet_hint_loss", s4, draw({2, 7, 2, 5}, 11)); });
  CHECK(e.rfind("[fitnet_hint_loss] an adapter maps student features", 0) == 0);
  CHECK(!error_of([&] { make_adapter("attention_transfer_loss", s2, t4); }).empty());
  CHECK(error_of([&] { (*a)(s4); }).rfind("[Adapter] expected features [B, 6, ...]", 0) == 0);
}

TEST_CASE("a tapped student trains with fitnet_hint_loss through a checkpointed adapter",
          "[unit][taps]") {
  manual_seed(3);
  // Teacher MLP 16-12-4 and student MLP 16-8-4; the hint joins their hidden activations
  // (Sequential index 2: Flatten, Linear, ReLU, ...), so the adapter maps 8 -> 12.
  auto teacher = std::make_shared<MLP>(16, std::vector<int64_t>{12}, 4);
  auto student = std::make_shared<MLP>(16, std::vector<int64_t>{8}, 4);
  teacher->eval();
  FeatureTaps t_taps(*teacher, {"2"}), s_taps(*student, {"2"});
  Generator gen(12);
  Tensor x = randn({32, 16}, DType::f32, default_device(), &gen);  // [32, 16]
  Tensor labels = cast(rand({32}, DType::f32, default_device(), &gen) * 3.99, DType::i64);
  {
    NoGradGuard no_grad;
    (*teacher)(x);
    (*student)(x);
  }
  auto wrapped = std::make_shared<WithAdapters>(student);
  wrapped->add_adapter("hint", make_adapter("fitnet_hint_loss", s_taps["2"], t_taps["2"]));
  CHECK(names(wrapped->named_parameters()) ==
        std::vector<std::string>{"student.1.weight", "student.1.bias", "student.4.weight",
                                 "student.4.bias", "adapters.hint.weight",
                                 "adapters.hint.bias"});
  auto& adapter = static_cast<Adapter&>(wrapped->adapter("hint"));
  Tensor adapter_start = adapter.weight.detach().clone();
  auto hint = [&](const Tensor&) {
    {
      NoGradGuard no_grad;
      (*teacher)(x);
    }
    FitnetOptions fo;
    fo.weight = adapter.weight;
    fo.bias = adapter.bias;
    return fitnet_hint_loss(s_taps["2"], t_taps["2"], fo);
  };
  double first_hint = 0;
  optim::Adam opt(wrapped->parameters(), 1e-2);
  train::Trainer trainer(*wrapped, opt, [&](const Tensor& logits, const data::Batch& b) {
    Tensor h = hint(logits);
    if (first_hint == 0) first_hint = h.item();
    return cross_entropy(logits, b[1]) + h;
  });
  std::string path = (std::filesystem::temp_directory_path() / "lathe_taps_ckpt.safetensors")
                         .string();
  trainer.options().epochs = 20;
  trainer.options().checkpoint_path = path;
  data::DataLoader loader(data::TensorDataset({x, labels}), {32, false, 0});
  trainer.fit(loader);
  double last_hint;
  {
    NoGradGuard no_grad;
    last_hint = hint((*wrapped)(x)).item();
  }
  CHECK(last_hint < 0.5 * first_hint);
  // The adapter trained with the student; the teacher got no gradient.
  CHECK(max_abs_diff(adapter.weight, adapter_start) > 1e-3);
  for (const Tensor& p : teacher->parameters()) CHECK(!p.grad().defined());
  // The checkpoint holds the adapter; a fresh wrapper restored from it has the same one.
  SafetensorsFile file = load_safetensors(path);
  REQUIRE(file.tensors.count("model.adapters.hint.weight"));
  CHECK(max_abs_diff(file.tensors.at("model.adapters.hint.weight"), adapter.weight) == 0);
  auto fresh = std::make_shared<WithAdapters>(
      std::make_shared<MLP>(16, std::vector<int64_t>{8}, 4));
  fresh->add_adapter("hint", std::make_shared<Adapter>(8, 12));
  optim::Adam fresh_opt(fresh->parameters(), 1e-2);
  train::Trainer restored(*fresh, fresh_opt, [](const Tensor& l, const data::Batch& b) {
    return cross_entropy(l, b[1]);
  });
  restored.load_checkpoint(path);
  CHECK(max_abs_diff(static_cast<Adapter&>(fresh->adapter("hint")).bias, adapter.bias) == 0);
  CHECK(max_abs_diff((*fresh)(x), (*wrapped)(x)) == 0);
  std::filesystem::remove(path);
}
