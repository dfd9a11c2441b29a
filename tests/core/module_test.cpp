// Modules: registration, nested names, train/eval, state-dict round trips and their errors.
#include <catch2/catch.hpp>

#include "lathe.h"
#include "models/linear.h"

using namespace lathe;
using namespace lathe::nn;

namespace {
class Counter : public Layer {  // a layer with a buffer it updates in training mode
 public:
  Counter() { count = add_buffer("count", zeros({1}, DType::f64)); }
  Tensor forward(const Tensor& x) override {
    if (is_training()) {
      NoGradGuard no_grad;
      count.add_(1.0);
    }
    return x;
  }
  Tensor count;
};

std::shared_ptr<Sequential> model() {
  auto seq = std::make_shared<Sequential>();
  seq->append(std::make_shared<Linear>(4, 3, true, DType::f64));
  seq->append(std::make_shared<Counter>());
  seq->append(std::make_shared<Linear>(3, 2, false, DType::f64));
  return seq;
}
}  // namespace

TEST_CASE("modules name parameters and buffers with dotted paths", "[unit][module]") {
  auto m = model();
  std::vector<std::string> names;
  for (auto& [name, t] : m->named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"0.weight", "0.bias", "2.weight"});
  CHECK(m->named_buffers().size() == 1);
  CHECK(m->named_buffers()[0].first == "1.count");
  for (const Tensor& p : m->parameters()) CHECK(p.requires_grad());
  CHECK(m->state_dict().size() == 4);
}

TEST_CASE("train and eval reach every submodule", "[unit][module]") {
  auto m = model();
  Tensor x = ones({2, 4}, DType::f64);
  m->forward(x);
  m->eval();
  m->forward(x);
  auto counter = std::dynamic_pointer_cast<Counter>(m->children()[1].second);
  CHECK_FALSE(counter->is_training());
  CHECK(counter->count.item() == 1.0);
}

TEST_CASE("state dicts round trip into existing tensors", "[unit][module]") {
  auto a = model(), b = model();
  Tensor x = randn({5, 4}, DType::f64);
  a->forward(x);
  Tensor held = b->parameters()[0];  // a handle held elsewhere (e.g. by an optimizer)
  b->load_state_dict(a->state_dict());
  CHECK(held.to_vector<double>() == a->parameters()[0].to_vector<double>());
  CHECK(b->named_buffers()[0].second.item() == 1.0);
  CHECK(b->forward(x).to_vector<double>() == a->forward(x).to_vector<double>());
}

TEST_CASE("load_state_dict reports missing, unexpected and mis-shaped keys", "[unit][module][errors]") {
  auto m = model();
  StateDict s = m->state_dict();
  StateDict missing = s;
  missing.erase("0.bias");
  CHECK_THROWS_WITH(m->load_state_dict(missing), Catch::Contains("missing key '0.bias'"));
  StateDict extra = s;
  extra["3.weight"] = zeros({1});
  CHECK_THROWS_WITH(m->load_state_dict(extra), Catch::Contains("unexpected key '3.weight'"));
  m->load_state_dict(extra, /*strict=*/false);
  StateDict shaped = s;
  shaped["0.weight"] = zeros({4, 3}, DType::f64);
  Tensor before = m->parameters()[1].clone();
  CHECK_THROWS_WITH(m->load_state_dict(shaped),
                    Catch::Contains("'0.weight' has shape [4, 3]") && Catch::Contains("[3, 4]"));
  CHECK(m->parameters()[1].to_vector<double>() == before.to_vector<double>());  // nothing copied
}

TEST_CASE("to() converts parameters in place", "[unit][module]") {
  Linear l(3, 2, true, DType::f64);
  Tensor held = l.weight;
  l.to(DType::f32);
  CHECK(held.dtype() == DType::f32);
  CHECK(held.requires_grad());
  CHECK(l.forward(ones({1, 3})).dtype() == DType::f32);
  CHECK_THROWS_WITH(Linear(0, 2), Catch::Contains("[Linear]"));
}
