#include "tests/support/cases.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "ops/evaluate.h"

namespace lathe::test {

namespace {
std::vector<CaseFn>& pending() {
  static std::vector<CaseFn> fns;
  return fns;
}

std::vector<Case>& store() {
  static std::vector<Case> cases;
  return cases;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}
}  // namespace

Case::Case(std::string op_, std::string name_) : op(std::move(op_)), name(std::move(name_)) {}

Case& Case::in(const std::string& n, Shape shape, double lo, double hi) {
  InputSpec s;
  s.name = n;
  s.shape = shape;
  s.lo = lo;
  s.hi = hi;
  inputs.push_back(s);
  return *this;
}

Case& Case::away(const std::string& n, Shape shape, double gap, double hi) {
  in(n, shape, -hi, hi);
  inputs.back().gen = InputSpec::Gen::away;
  inputs.back().gap = gap;
  return *this;
}

Case& Case::distinct(const std::string& n, Shape shape) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::distinct;
  return *this;
}

Case& Case::index(const std::string& n, Shape shape, int64_t high) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::index;
  inputs.back().dtype = DType::i64;
  inputs.back().high = high;
  return *this;
}

Case& Case::mask(const std::string& n, Shape shape) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::mask;
  inputs.back().dtype = DType::boolean;
  return *this;
}

Case& Case::values(const std::string& n, Shape shape, std::vector<double> v, DType dtype) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::values;
  inputs.back().dtype = dtype;
  inputs.back().values = std::move(v);
  return *this;
}

Case& Case::attr(const std::string& n, AttrValue value) {
  attrs[n] = std::move(value);
  return *this;
}

Case& Case::first_order_only(std::string why) {
  second_order = false;
  why_not = std::move(why);
  return *this;
}

Case& Case::no_gradcheck(std::string why) {
  gradcheck = false;
  second_order = false;
  why_not = std::move(why);
  return *this;
}

Case& Case::full_gradcheck() {
  all_elements = true;
  return *this;
}

Case& Case::moves_device() {
  output_on_input_device = false;
  return *this;
}

Case& Case::tolerance(double a, double r) {
  atol = a;
  rtol = r;
  return *this;
}

Case& Case::normal(const std::string& n, Shape shape, double scale) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::normal;
  inputs.back().scale = scale;
  return *this;
}

Case& Case::on_grid(const std::string& n, Shape shape, bool half) {
  in(n, shape);
  inputs.back().gen = InputSpec::Gen::on_grid;
  inputs.back().half = half;
  return *this;
}

Case& Case::small_ints(const std::string& n, Shape shape, int64_t lo, int64_t hi) {
  in(n, shape, static_cast<double>(lo), static_cast<double>(hi));
  inputs.back().gen = InputSpec::Gen::small_ints;
  return *this;
}

Case& Case::probs(const std::string& n, Shape shape) {
  LATHE_CHECK(!shape.empty(), "[test] probs input '", n, "' needs a last dim");
  in(n, shape, 0.1, 1.0);
  inputs.back().gen = InputSpec::Gen::probs;
  return *this;
}

Case& Case::note(std::string text) {
  about = std::move(text);
  return *this;
}

Case& Case::at_kink(std::string why) {
  kink = true;
  return no_gradcheck(std::move(why));
}

Case& Case::oracle_only(std::string why) { return no_gradcheck(std::move(why)); }

Case& Case::oracle_tolerance(double a, double r) {
  oracle_atol = a;
  oracle_rtol = r;
  return *this;
}

Case& Case::no_oracle_f32(std::string why) {
  oracle_f32 = false;
  why_no_f32 = std::move(why);
  return *this;
}

Case& Case::no_oracle(std::string why) {
  oracle = false;
  why_no_oracle = std::move(why);
  return *this;
}

bool register_cases(CaseFn fn) {
  pending().push_back(fn);
  return true;
}

void add(Case c) { store().push_back(std::move(c)); }

const std::vector<Case>& all_cases() {
  static bool filled = [] {
    for (CaseFn fn : pending()) fn();
    return true;
  }();
  (void)filled;
  return store();
}

std::vector<const Case*> cases_for(const std::string& op) {
  std::vector<const Case*> out;
  for (const Case& c : all_cases())
    if (c.op == op) out.push_back(&c);
  return out;
}

namespace {
std::vector<double> generate(const InputSpec& s, std::mt19937_64& rng, std::vector<double>& pool) {
  int64_t n = numel(s.shape);
  std::vector<double> v(static_cast<size_t>(n));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Box-Muller on two uniforms (std::normal_distribution's algorithm is the library's choice).
  auto normal = [&] {
    double u1 = 1.0 - unit(rng), u2 = unit(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  };
  for (int64_t i = 0; i < n; ++i) {
    switch (s.gen) {
      case InputSpec::Gen::uniform: v[i] = s.lo + (s.hi - s.lo) * unit(rng); break;
      case InputSpec::Gen::away: {
        double mag = s.gap + (s.hi - s.gap) * unit(rng);
        v[i] = unit(rng) < 0.5 ? -mag : mag;
        break;
      }
      case InputSpec::Gen::distinct:
        LATHE_CHECK(!pool.empty(), "[test] distinct inputs ran out of grid values");
        v[i] = pool.back();
        pool.pop_back();
        break;
      case InputSpec::Gen::index:
        v[i] = static_cast<double>(static_cast<int64_t>(unit(rng) * static_cast<double>(s.high)));
        break;
      case InputSpec::Gen::mask: v[i] = unit(rng) < 0.5 ? 1.0 : 0.0; break;
      case InputSpec::Gen::values:
        LATHE_CHECK(static_cast<int64_t>(s.values.size()) == n, "[test] input '", s.name, "' has ",
                    s.values.size(), " values for shape ", s.shape);
        v[i] = s.values[i];
        break;
      case InputSpec::Gen::normal: v[i] = s.scale * normal(); break;
      case InputSpec::Gen::on_grid: {
        double base = std::floor(-3.0 + 6.0 * unit(rng)) + (s.half ? 0.5 : 0.0);
        v[i] = base + 0.4 * unit(rng) - 0.2;
        break;
      }
      case InputSpec::Gen::small_ints:
        v[i] = std::floor(s.lo + (s.hi - s.lo) * unit(rng));
        break;
      case InputSpec::Gen::probs: v[i] = s.lo + (s.hi - s.lo) * unit(rng); break;
    }
  }
  if (s.gen == InputSpec::Gen::probs) {  // normalize each row along the last dim
    int64_t row = s.shape.back();
    for (int64_t r = 0; r + row <= n; r += row) {
      double total = 0;
      for (int64_t j = 0; j < row; ++j) total += v[r + j];
      for (int64_t j = 0; j < row; ++j) v[r + j] /= total;
    }
  }
  return v;
}

}  // namespace

std::map<std::string, std::vector<Tensor>> make_inputs(const Case& c, Device device, DType dtype,
                                                       Layout layout) {
  std::mt19937_64 rng(fnv1a(c.op + "/" + c.name));
  std::vector<double> pool;
  for (int i = -30; i <= 30; ++i) pool.push_back(0.1 * i + 0.01 * std::sin(3.0 * i));
  std::shuffle(pool.begin(), pool.end(), rng);
  std::map<std::string, std::vector<Tensor>> out;
  for (const InputSpec& s : c.inputs) {
    std::vector<double> v = generate(s, rng, pool);
    DType t = is_floating(s.dtype) ? dtype : s.dtype;
    Tensor x = from_vector(v, s.shape, DType::f64, device).to(t);
    if (layout == Layout::strided) x = strided_copy(x);
    out[s.name].push_back(x.detach());
  }
  return out;
}

}  // namespace lathe::test
