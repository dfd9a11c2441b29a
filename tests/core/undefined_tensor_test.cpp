// Undefined tensors (issue 15): a default-constructed Tensor, or grad() before any backward,
// reaching any accessor, method or registered op must be a lathe::Error, never a null
// dereference. The op sweep calls every registered op's C++ function directly (run_op would
// refuse the undefined input first), once per required input with that input undefined.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;
using Catch::Contains;
using Catch::StartsWith;

namespace {

// A plausible tensor for an input of this kind: [2, 3] of ones (f64), zeros (i64) or false.
Tensor stand_in(Kind kind) {
  switch (kind) {
    case Kind::integer: return zeros({2, 3}, DType::i64);
    case Kind::boolean: return zeros({2, 3}, DType::boolean);
    default: return ones({2, 3}, DType::f64);
  }
}

std::vector<AttrValue> defaults(const OpDef& def) {
  std::vector<AttrValue> values;
  for (const AttrDef& a : def.attrs()) values.push_back(a.default_value);
  return values;
}

}  // namespace

TEST_CASE("undefined tensor: accessors and methods throw naming the accessor",
          "[unit][hardening]") {
  Tensor t;
  CHECK_FALSE(t.defined());
  CHECK_THROWS_WITH(t.shape(), StartsWith("[shape] undefined tensor"));
  CHECK_THROWS_WITH(t.dim(), StartsWith("[dim] undefined tensor"));
  CHECK_THROWS_WITH(t.numel(), StartsWith("[numel] undefined tensor"));
  CHECK_THROWS_WITH(t.dtype(), StartsWith("[dtype] undefined tensor"));
  CHECK_THROWS_WITH(t.device(), StartsWith("[device] undefined tensor"));
  CHECK_THROWS_WITH(t.strides(), StartsWith("[strides] undefined tensor"));
  CHECK_THROWS_WITH(t.offset(), StartsWith("[offset] undefined tensor"));
  CHECK_THROWS_WITH(t.version(), StartsWith("[version] undefined tensor"));
  CHECK_THROWS_WITH(t.name(), StartsWith("[name] undefined tensor"));
  CHECK_THROWS_WITH(t.set_name("x"), StartsWith("[set_name] undefined tensor"));
  CHECK_THROWS_WITH(t.size(0), StartsWith("[size] undefined tensor"));
  CHECK_THROWS_WITH(t.is_contiguous(), StartsWith("[is_contiguous] undefined tensor"));
  CHECK_THROWS_WITH(t.requires_grad(), StartsWith("[requires_grad] undefined tensor"));
  CHECK_THROWS_WITH(t.requires_grad_(), StartsWith("[requires_grad_] undefined tensor"));
  CHECK_THROWS_WITH(t.is_leaf(), StartsWith("[is_leaf] undefined tensor"));
  CHECK_THROWS_WITH(t.grad_fn(), StartsWith("[grad_fn] undefined tensor"));
  CHECK_THROWS_WITH(t.grad(), StartsWith("[grad] undefined tensor"));
  CHECK_THROWS_WITH(t.set_grad(Tensor()), StartsWith("[set_grad] undefined tensor"));
  CHECK_THROWS_WITH(t.zero_grad(), StartsWith("[zero_grad] undefined tensor"));
  CHECK_THROWS_WITH(t.backward(), StartsWith("[backward] undefined output tensor"));
  CHECK_THROWS_WITH(t.detach(), StartsWith("[detach] undefined tensor"));
  CHECK_THROWS_WITH(t.register_hook([](const Tensor& g) { return g; }),
                    StartsWith("[register_hook] undefined tensor"));
  CHECK_THROWS_WITH(t.retain_grad(), StartsWith("[is_leaf] undefined tensor"));
  CHECK_THROWS_WITH(t.data_ptr(), StartsWith("[device] undefined tensor"));
  CHECK_THROWS_WITH(t.to_vector<float>(), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.item(), StartsWith("[numel] undefined tensor"));
  CHECK_THROWS_WITH(t.reshape({1}), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.clone(), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.contiguous(), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.to(DType::f64), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.cpu(), Contains("undefined tensor"));
  CHECK_THROWS_WITH(t.fill_(1.0), StartsWith("[fill_] undefined destination tensor"));
  CHECK_THROWS_WITH(t.zero_(), StartsWith("[fill_] undefined destination tensor"));
  CHECK_THROWS_WITH(t.add_(1.0), Contains("undefined tensor"));
  CHECK_THROWS_WITH(zeros_like(t), Contains("undefined tensor"));
  CHECK_THROWS_WITH(view_of(t), StartsWith("[view_of] undefined tensor"));
  CHECK_THROWS_WITH(make_view(t, {1}, {1}, 0), StartsWith("[view] undefined base tensor"));
  CHECK(to_string(t) == "tensor(undefined)");  // printing an undefined tensor is fine
}

TEST_CASE("undefined tensor: an optimizer step before backward is an error",
          "[unit][hardening]") {
  // The reproducer: w.sub_(w.grad() * 0.1) with no gradient yet segfaulted.
  Tensor w = ones({3}).requires_grad_();
  CHECK_FALSE(w.grad().defined());
  {
    NoGradGuard no_grad;
    CHECK_THROWS_WITH(w.sub_(w.grad() * 0.1), Contains("undefined tensor"));
    CHECK_THROWS_WITH(w.sub_(w.grad()), StartsWith("[sub_] undefined source tensor"));
    CHECK_THROWS_WITH(w.copy_(Tensor()), StartsWith("[copy_] undefined source tensor"));
  }
  CHECK(w.to_vector<float>() == std::vector<float>{1, 1, 1});  // untouched
  CHECK_THROWS_WITH(add(w, Tensor()), Contains("undefined tensor"));
  CHECK_THROWS_WITH(matmul(Tensor(), w), Contains("undefined tensor"));
  CHECK_THROWS_WITH(lathe::grad({Tensor()}, {w}), StartsWith("[grad] undefined output tensor"));
  CHECK_THROWS_WITH(lathe::grad({sum(w)}, {Tensor()}), StartsWith("[grad] undefined input tensor"));
}

TEST_CASE("undefined tensor: every registered op refuses an undefined required input",
          "[unit][hardening]") {
  int calls = 0;
  for (const OpDef* def : op_registry().all()) {
    const std::vector<InputDef>& inputs = def->inputs();
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (inputs[k].optional) continue;
      std::vector<std::vector<Tensor>> in;
      for (size_t j = 0; j < inputs.size(); ++j) {
        if (j == k) in.push_back({Tensor()});
        else if (inputs[j].optional) in.push_back(std::vector<Tensor>{});
        else in.push_back({stand_in(inputs[j].kind)});
      }
      INFO(def->name() << " with input '" << inputs[k].name << "' undefined");
      CHECK_THROWS_AS(def->run_fn()(OpCall(*def, std::move(in), defaults(*def))), Error);
      ++calls;
    }
  }
  CHECK(calls > 500);  // the sweep really ran over the catalog
}
