// The loss contract (losses/README.md), checked for every registered loss (every op of a loss
// family) from the registry and the op's first test case, so a new loss is held to it without
// writing a test:
//   - `reduction` is 'none' | 'mean' | 'sum' (exceptions declare `.own_reduction(why)`); 'none'
//     keeps one loss per sample or element, its sum is the 'sum' result, and so are its gradients;
//     an unknown reduction is an error naming the op;
//   - class-index inputs are integer tensors: a float tensor there is an error naming the op;
//     where the op has `ignore_index`, a batch whose targets are all ignored gives a finite 0
//     with a graph (zero gradients), never NaN;
//   - distillation objectives detach the teacher themselves: no gradient reaches it;
//   - f16 and bf16 inputs give the f64 result of the same (rounded) inputs to the precision of
//     the output dtype (statistics accumulate in f32 or better).
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::test;

namespace {

// Families whose ops are all losses (the catalog's families under losses/, listed before their
// first op lands so that a new loss family edits nothing here).
const std::set<std::string> kLossFamilies = {
    "classification", "lm",          "calibration", "robust",     "ranking",
    "metric_learning", "contrastive", "face",       "regression", "segmentation",
    "divergence",     "entropy",     "distillation", "regularizer", "generative",
    "rl_alignment",
};

bool is_loss(const OpDef& def) { return kLossFamilies.count(def.family()) > 0; }

std::vector<const OpDef*> losses() {
  std::vector<const OpDef*> out;
  for (const OpDef* def : op_registry().all())
    if (is_loss(*def)) out.push_back(def);
  return out;
}

// The op's first case that leaves `avoid` (an attribute) at its default, else its first case.
const Case* first_case(const OpDef& def, const std::string& avoid = "") {
  std::vector<const Case*> cases = cases_for(def.name());
  REQUIRE_FALSE(cases.empty());
  for (const Case* c : cases)
    if (!c->attrs.count(avoid)) return c;
  return cases[0];
}

using Inputs = std::map<std::string, std::vector<Tensor>>;

// Inputs of the case as float64 leaves on the reference backend; differentiable floating
// inputs require grad.
Inputs leaves(const OpDef& def, const Case& c) {
  Inputs in = make_inputs(c, Device::reference(), DType::f64, Layout::contiguous);
  for (const InputDef& d : def.inputs()) {
    auto it = in.find(d.name);
    if (it == in.end() || !d.differentiable) continue;
    for (Tensor& t : it->second)
      if (is_floating(t.dtype())) t = t.detach().requires_grad_();
  }
  return in;
}

std::vector<Tensor> grad_leaves(const Inputs& in) {
  std::vector<Tensor> out;
  for (const auto& [name, list] : in)
    for (const Tensor& t : list)
      if (t.requires_grad()) out.push_back(t);
  return out;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  REQUIRE(x.size() == y.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(x[i] - y[i]));
  return worst;
}

std::map<std::string, AttrValue> with(std::map<std::string, AttrValue> attrs,
                                      const std::string& name, AttrValue value) {
  attrs[name] = std::move(value);
  return attrs;
}

}  // namespace

TEST_CASE("loss contract: losses name their first output loss", "[unit][losses]") {
  for (const OpDef* def : losses()) {
    INFO(def->name());
    REQUIRE_FALSE(def->outputs().empty());
    CHECK(def->outputs()[0].name == "loss");
  }
}

TEST_CASE("loss contract: reduction none | mean | sum, and none sums to sum", "[unit][losses]") {
  for (const OpDef* def : losses()) {
    INFO(def->name());
    int r = def->attr_index("reduction");
    bool own = !def->own_reduction_note().empty();
    if (r < 0) {
      INFO("a loss without a reduction attribute must declare .own_reduction(why)");
      CHECK(own);
      continue;
    }
    std::string dflt = std::get<std::string>(def->attrs()[r].default_value);
    if (own) continue;
    CHECK((dflt == "none" || dflt == "mean" || dflt == "sum"));
    const Case& c = *first_case(*def, "reduction");
    Inputs in = leaves(*def, c);
    std::vector<Tensor> wrt = grad_leaves(in);
    Tensor none = run_op(*def, in, with(c.attrs, "reduction", std::string("none")))[0];
    Tensor total = run_op(*def, in, with(c.attrs, "reduction", std::string("sum")))[0];
    Tensor mean = run_op(*def, in, with(c.attrs, "reduction", std::string("mean")))[0];
    CHECK(total.dim() == 0);
    CHECK(mean.dim() == 0);
    CHECK(std::isfinite(mean.item()));
    CHECK(none.numel() >= 1);
    CHECK(sum(none).item() == Approx(total.item()).epsilon(1e-10).margin(1e-12));
    if (!wrt.empty() && total.requires_grad()) {
      std::vector<Tensor> g_none = grad({sum(none)}, wrt), g_sum = grad({total}, wrt);
      for (size_t i = 0; i < wrt.size(); ++i) CHECK(max_abs_diff(g_none[i], g_sum[i]) < 1e-10);
    }
    CHECK_THROWS_WITH(run_op(*def, in, with(c.attrs, "reduction", std::string("avg"))),
                      Catch::Contains("[" + def->name() + "]") && Catch::Contains("reduction"));
  }
}

TEST_CASE("loss contract: class indices are integers, all ignored gives 0", "[unit][losses]") {
  for (const OpDef* def : losses()) {
    INFO(def->name());
    const Case& c = *first_case(*def, "ignore_index");
    for (const InputDef& d : def->inputs()) {
      if (d.kind != Kind::integer) continue;
      Inputs in = leaves(*def, c);
      if (!in.count(d.name)) continue;
      INFO("input " << d.name);
      in[d.name][0] = cast(in[d.name][0], DType::f64);
      CHECK_THROWS_WITH(run_op(*def, in, c.attrs), Catch::Contains("[" + def->name() + "]"));
    }
    int ii = def->attr_index("ignore_index");
    if (ii < 0) continue;
    int64_t ignore = std::get<int64_t>(def->attrs()[ii].default_value);
    for (const char* reduction : {"mean", "sum"}) {
      INFO("reduction " << reduction);
      Inputs in = leaves(*def, c);
      int ignored = 0;
      for (auto& [name, list] : in)
        for (Tensor& t : list)
          if (is_integral(t.dtype())) {
            t = full(t.shape(), static_cast<double>(ignore), t.dtype(), t.device());
            ++ignored;
          }
      REQUIRE(ignored > 0);
      Tensor loss = run_op(*def, in, with(c.attrs, "reduction", std::string(reduction)))[0];
      CHECK(loss.item() == 0.0);
      std::vector<Tensor> wrt = grad_leaves(in);
      REQUIRE(loss.requires_grad());
      for (const Tensor& g : grad({loss}, wrt)) CHECK(max_abs_diff(g, zeros_like(g)) == 0.0);
    }
  }
}

TEST_CASE("loss contract: distillation objectives detach the teacher", "[unit][losses]") {
  for (const OpDef* def : losses()) {
    if (def->family() != "distillation" || def->input_index("teacher") < 0) continue;
    INFO(def->name());
    const Case& c = *first_case(*def);
    Inputs in = leaves(*def, c);
    Tensor teacher = in.at("teacher")[0].detach().requires_grad_();
    in["teacher"][0] = teacher;
    Tensor loss = run_op(*def, in, c.attrs)[0];
    REQUIRE(loss.requires_grad());
    loss.backward();
    CHECK_FALSE(teacher.grad().defined());
  }
}

TEST_CASE("loss contract: f16 and bf16 inputs keep f64 accuracy to their precision",
          "[unit][losses]") {
  for (const Backend* b : backends()) {
    if (!b->host_memory() || b->device_count() == 0) continue;
    Device device{static_cast<int16_t>(b->id()), 0};
    for (const OpDef* def : losses()) {
      INFO(def->name() << " on " << b->name());
      const Case& c = *first_case(*def);
      for (DType low : {DType::f16, DType::bf16}) {
        INFO(low);
        Inputs in = make_inputs(c, device, low, Layout::contiguous), wide = in;
        for (auto& [name, list] : wide)
          for (Tensor& t : list)
            if (is_floating(t.dtype())) t = t.to(DType::f64);
        Tensor got = run_op(*def, in, c.attrs)[0], want = run_op(*def, wide, c.attrs)[0];
        CHECK(got.dtype() == low);
        double tol = low == DType::f16 ? 2e-3 : 1.6e-2;  // a few units in the last place
        std::vector<double> a = got.to(DType::f64).to_vector<double>(),
                            e = want.to_vector<double>();
        REQUIRE(a.size() == e.size());
        for (size_t i = 0; i < a.size(); ++i)
          CHECK(std::fabs(a[i] - e[i]) <= tol * (1 + std::fabs(e[i])));
      }
    }
  }
}
