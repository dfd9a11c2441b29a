// Test cases as data. Each op's test file (tests/ops/<dir>/<stem>.cpp) lists cases:
//
//   LATHE_CASES(softplus) {
//     add(Case("softplus").in("x", {3, 4}));
//     add(Case("softplus", "beta2").in("x", {5}).attr("beta", 2.0));
//   }
//
// and the generic runners (gradcheck, conformance) turn every case into checks; the oracle
// runner reads PyTorch fixtures instead. The coverage test fails when a registered op has none.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lathe.h"

namespace lathe::test {

struct InputSpec {
  enum class Gen {
    uniform,   // uniform in [lo, hi]
    away,      // uniform in [lo, hi] with |x| >= gap (away from kinks at 0)
    distinct,  // no ties: draws without replacement from a 0.1-spaced grid shared by the case
    index,     // integers in [0, high)
    mask,      // random bools
    values,    // exactly `values`
  };
  std::string name;
  Shape shape;
  Gen gen = Gen::uniform;
  DType dtype = DType::f64;
  double lo = -2.0, hi = 2.0, gap = 0.0;
  int64_t high = 0;
  std::vector<double> values;
};

class Case {
 public:
  explicit Case(std::string op, std::string name = "basic");

  // Floating input, uniform in [lo, hi]. Repeating a name appends to a variadic input.
  Case& in(const std::string& name, Shape shape, double lo = -2.0, double hi = 2.0);
  // Floating input with |x| >= gap: keeps abs/relu/sign/clamp away from their kinks.
  Case& away(const std::string& name, Shape shape, double gap = 0.1, double hi = 2.0);
  // Floating input without ties (for max, sort, maximum...).
  Case& distinct(const std::string& name, Shape shape);
  Case& index(const std::string& name, Shape shape, int64_t high);
  Case& mask(const std::string& name, Shape shape);
  Case& values(const std::string& name, Shape shape, std::vector<double> values,
               DType dtype = DType::f64);
  Case& attr(const std::string& name, AttrValue value);
  Case& attr(const std::string& name, int value) { return attr(name, AttrValue(int64_t{value})); }
  Case& attr(const std::string& name, bool value) { return attr(name, AttrValue(value)); }
  Case& attr(const std::string& name, double value) { return attr(name, AttrValue(value)); }
  Case& attr(const std::string& name, const char* value) {
    return attr(name, AttrValue(std::string(value)));
  }
  // The op's output lands on another device by design (to_device): conformance compares values
  // but not devices.
  Case& moves_device();
  // Second-order check off, with the reason (e.g. a rule that is not twice differentiable at
  // the sampled points).
  Case& first_order_only(std::string why);
  // Gradcheck off entirely (non-differentiable ops; subgradient cases checked by the oracle).
  Case& no_gradcheck(std::string why);
  // Gradcheck every element of every input, however large (by default an input of more than
  // GradcheckOptions::max_elements elements is checked on a seeded random sample).
  Case& full_gradcheck();
  Case& tolerance(double atol, double rtol);

  std::string op, name;
  std::vector<InputSpec> inputs;
  std::map<std::string, AttrValue> attrs;
  bool second_order = true, gradcheck = true, output_on_input_device = true;
  bool all_elements = false;
  std::string why_not;
  double atol = 1e-5, rtol = 1e-3;
};

void add(Case c);
const std::vector<Case>& all_cases();
std::vector<const Case*> cases_for(const std::string& op);

// How a case's inputs are laid out in memory.
enum class Layout { contiguous, strided };

// Builds the inputs of a case as leaves on `device` in `dtype` (floating inputs only; index
// and mask inputs keep theirs). Values depend only on the case, never on layout or device.
std::map<std::string, std::vector<Tensor>> make_inputs(const Case& c, Device device, DType dtype,
                                                       Layout layout);

using CaseFn = void (*)();
bool register_cases(CaseFn fn);

}  // namespace lathe::test

// Defines the function listing one file's cases; its body runs in namespace lathe::test.
#define LATHE_CASES(id)                                                      \
  namespace lathe::test {                                                    \
  static void cases_##id();                                                  \
  static const bool cases_registered_##id = register_cases(cases_##id);      \
  }                                                                          \
  void lathe::test::cases_##id()
