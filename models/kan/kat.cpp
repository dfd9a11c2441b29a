// KATGroup and GRKANLayer: the Kolmogorov-Arnold Transformer's group-rational modules
// (Adamdad/rational_kat_cu kat_rational/kat_1dgroup.py KAT_Group and init.json, commit 181bae8;
// Adamdad/kat katransformer.py class KAN) over ops/kan/group_rational.cpp.
#include <map>

#include "models/kan/kan.h"
#include "ops/ops.h"

namespace lathe::nn {

namespace {
struct RationalInit {
  std::vector<double> numerator;    // a_0..a_5
  std::vector<double> denominator;  // b_1..b_4
};

// Coefficient sets of kat_rational/init.json (fitted on [-3, 3]).
const std::map<std::string, RationalInit>& init_sets() {
  static const std::map<std::string, RationalInit> sets = {
      {"identity", {{0.0, 1.0, 0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}}},
      {"gelu",
       {{-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675},
        {-0.14171056, -0.06481231, -0.0444695, 0.01283776}}},
      {"gelu_old",
       {{-0.0012423594497499122, 0.5080497063245629, 0.41586363182937475, 0.13022718688035761,
         0.024355900098993424, 0.00290283948155535},
        {-0.06675015696494944, 0.17927646217001553, 0.03746682605496631,
         1.6561610853276082e-10}}},
      {"swish",
       {{3.054879741161051e-07, 0.5000007853744493, 0.24999783422824703, 0.05326628273219478,
         0.005803034571292244, 0.0002751961022402342},
        {-4.111554955950634e-06, 0.10652899335007572, -1.2690007399796238e-06,
         0.0005502331264140556}}},
  };
  return sets;
}
}  // namespace

KATGroup::KATGroup(int64_t num_groups, const std::string& mode, const std::string& variant_,
                   DType dtype, Device device)
    : variant(variant_) {
  LATHE_CHECK(num_groups > 0, "[KATGroup] num_groups must be positive, got ", num_groups);
  LATHE_CHECK(variant == "paper" || variant == "kernel" || variant == "torch_ref",
              "[KATGroup] variant must be paper, kernel or torch_ref, got '", variant, "'");
  LATHE_CHECK(mode == "identity" || mode == "gelu" || mode == "swish",
              "[KATGroup] mode must be identity, gelu or swish, got '", mode, "'");
  // init.json's "gelu" set fits GELU only under the paper form; "gelu_old" fits the kernel's.
  const RationalInit& init =
      init_sets().at(mode == "gelu" && variant != "paper" ? std::string("gelu_old") : mode);
  weight_numerator = add_parameter(
      "weight_numerator", from_vector(init.numerator, {1, 6}, DType::f64, device).to(dtype));
  Tensor den = from_vector(init.denominator, {1, 4}, DType::f64, device);
  weight_denominator = add_parameter("weight_denominator",
                                     expand(den, {num_groups, 4}).to(dtype).clone());
}

Tensor KATGroup::forward(const Tensor& x) {
  return group_rational(x, weight_numerator, weight_denominator, variant);
}

GRKANLayer::GRKANLayer(int64_t in, int64_t out, int64_t num_groups, const std::string& mode,
                       const std::string& variant, bool bias, DType dtype, Device device) {
  LATHE_CHECK(num_groups > 0 && in > 0 && in % num_groups == 0, "[GRKANLayer] in_features ", in,
              " must split into ", num_groups, " groups");
  act = add_module("act", std::make_shared<KATGroup>(num_groups, mode, variant, dtype, device));
  fc = add_module("fc", std::make_shared<Linear>(in, out, bias, dtype, device));
}

Tensor GRKANLayer::forward(const Tensor& x) {
  return gr_kan_layer(x, act->weight_numerator, act->weight_denominator, fc->weight, fc->bias,
                      act->variant);
}

}  // namespace lathe::nn
