// Test cases as data. Each op's test file (tests/ops/<dir>/<stem>.cpp) lists cases:
//
//   LATHE_CASES(softplus) {
//     add(Case("softplus").in("x", {3, 4}));
//     add(Case("softplus", "beta2").in("x", {5}).attr("beta", 2.0));
//   }
//
// and the generic runners (gradcheck, conformance) turn every case into checks. The list is also
// the oracle's: `lathe_tests --list-cases --json` prints every case with its generated inputs,
// tools/oracle/oracle.py computes PyTorch's outputs and gradients for exactly those cases, and
// the oracle runner checks that the fixture still matches the list. The coverage test fails
// when a registered op has no case.
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
    normal,    // normal with mean 0 and standard deviation `scale`
    on_grid,   // integers (or half-integers with `half`) in [-3, 3) jittered by at most 0.2
    small_ints,  // integers in [lo, hi) as floats: ties on purpose
    probs,     // positive, each row along the last dim sums to 1
  };
  std::string name;
  Shape shape;
  Gen gen = Gen::uniform;
  DType dtype = DType::f64;
  double lo = -2.0, hi = 2.0, gap = 0.0;
  int64_t high = 0;
  std::vector<double> values;
  double scale = 1.0;  // normal
  bool half = false;   // on_grid
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

  // More generators (the oracle's value patterns).
  Case& normal(const std::string& name, Shape shape, double scale = 1.0);
  // Any integer-grid value and any half-grid value differ by at least 0.1, whatever
  // broadcasting pairs them: comparisons and maximum/minimum stay away from ties.
  Case& on_grid(const std::string& name, Shape shape, bool half = false);
  Case& small_ints(const std::string& name, Shape shape, int64_t lo = -2, int64_t hi = 3);
  Case& probs(const std::string& name, Shape shape);

  // What the case tests, in a few words (the oracle fixture's note).
  Case& note(std::string text);
  // At a kink on purpose (ties, |x| at 0, a clamp bound): not gradchecked (central differences
  // straddle the kink), and the oracle script does not check PyTorch's subgradient against
  // finite differences either; the oracle compares lathe's subgradient with PyTorch's.
  Case& at_kink(std::string why);
  // Not gradchecked because it would add nothing (a value pattern for the oracle only).
  Case& oracle_only(std::string why);
  // The oracle comparison's tolerance in f64 (default atol 1e-9, rtol 1e-7).
  Case& oracle_tolerance(double atol, double rtol);
  // The oracle's f32 run is skipped: f32 cannot meet the f32 tolerance against f64 by
  // construction (another random stream, a fixed output dtype, state updated in place).
  Case& no_oracle_f32(std::string why);
  // No oracle fixture for this case (no PyTorch counterpart of what it exercises).
  Case& no_oracle(std::string why);

  std::string op, name;
  std::vector<InputSpec> inputs;
  std::map<std::string, AttrValue> attrs;
  bool second_order = true, gradcheck = true, output_on_input_device = true;
  bool all_elements = false;
  std::string why_not;
  double atol = 1e-5, rtol = 1e-3;
  std::string about;  // note()
  bool kink = false, oracle = true, oracle_f32 = true;
  std::string why_no_oracle, why_no_f32;
  double oracle_atol = 1e-9, oracle_rtol = 1e-7;
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
