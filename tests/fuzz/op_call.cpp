// Fuzz harness, registry-driven: the bytes pick a registered op, then the shape (rank 0-3,
// extents 0-4), dtype and values of each input, whether each optional input is given, and each
// attribute (kept at its default, or a value from a table of edge cases: 0, -1, huge, NaN, ...);
// the op runs through run_op and, when it returns float outputs, backward runs from their sum.
// LATHE_MAX_ALLOC caps one allocation at 64 MB, so a huge size attribute is an error, not a
// slow run. LATHE_FUZZ_VERBOSE=1 prints each call and each refusal.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <map>

#include "lathe.h"

namespace {

using namespace lathe;

// Reads the input front to back; past the end every read is 0.
struct Bytes {
  const uint8_t* data;
  size_t size, pos = 0;
  uint8_t next() { return pos < size ? data[pos++] : 0; }
  size_t pick(size_t n) { return n ? next() % n : 0; }
};

const int64_t kInts[] = {0, 1, 2, 3, -1, -2, 7, -100, int64_t{1} << 31, int64_t{1} << 40,
                         std::numeric_limits<int64_t>::max(),
                         std::numeric_limits<int64_t>::min()};
const double kReals[] = {0.0, 0.5, 1.0, -1.0, 2.0, 1e-12, 1e30, -1e30,
                         std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity()};

Tensor make_input(Bytes& b, Kind kind) {
  Shape shape;
  for (size_t d = 0, rank = b.pick(4); d < rank; ++d) shape.push_back(b.pick(5));
  int64_t n = 1;
  for (int64_t e : shape) n *= e;
  std::vector<double> values(n);
  for (double& v : values) v = (static_cast<double>(b.next()) - 128.0) / 32.0;  // [-4, 4)
  DType dtype = DType::f32;
  if (kind == Kind::integer) {
    dtype = DType::i64;
    for (double& v : values) v = std::floor(v);
  } else if (kind == Kind::boolean) {
    dtype = DType::boolean;
    for (double& v : values) v = v > 0;
  } else if (b.next() & 1) {
    dtype = DType::f64;
  }
  return from_vector(values, shape, DType::f64).to(dtype);
}

AttrValue make_attr(Bytes& b, const AttrDef& a) {
  switch (a.type) {
    case AttrType::integer: return kInts[b.pick(std::size(kInts))];
    case AttrType::real: return kReals[b.pick(std::size(kReals))];
    case AttrType::boolean: return static_cast<bool>(b.next() & 1);
    case AttrType::string: {
      std::string s;
      for (size_t i = 0, n = b.pick(8); i < n; ++i) s += static_cast<char>('a' + b.pick(26));
      return s;
    }
    case AttrType::ints: {
      std::vector<int64_t> v;
      for (size_t i = 0, n = b.pick(4); i < n; ++i) v.push_back(kInts[b.pick(8)]);
      return v;
    }
  }
  return a.default_value;
}

}  // namespace

// Before any static initializer can allocate: lathe reads LATHE_MAX_ALLOC once.
__attribute__((constructor(101))) static void cap_allocations() {
  setenv("LATHE_MAX_ALLOC", "64M", 1);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const OpDef*> ops = op_registry().all();
  static const bool verbose = std::getenv("LATHE_FUZZ_VERBOSE") != nullptr;
  Bytes b{data, size};
  const OpDef& def = *ops[(b.next() * 256 + b.next()) % ops.size()];
  try {
    std::map<std::string, std::vector<Tensor>> inputs;
    for (const InputDef& in : def.inputs()) {
      if (in.optional && !(b.next() & 1)) continue;
      size_t count = in.variadic ? 1 + b.pick(3) : 1;
      for (size_t i = 0; i < count; ++i) inputs[in.name].push_back(make_input(b, in.kind));
    }
    std::map<std::string, AttrValue> attrs;
    for (const AttrDef& a : def.attrs())
      if (b.next() & 1) attrs[a.name] = make_attr(b, a);
    if (verbose) std::fprintf(stderr, "call %s\n", def.name().c_str());
    std::vector<Tensor> leaves;
    for (auto& [name, list] : inputs)
      for (Tensor& t : list)
        if (is_floating(t.dtype()) && def.inputs()[def.input_index(name)].differentiable) {
          t.requires_grad_();
          leaves.push_back(t);
        }
    Outputs out = run_op(def, inputs, attrs);
    Tensor total;
    for (const Tensor& y : out)
      if (y.defined() && is_floating(y.dtype()) && y.requires_grad())
        total = total.defined() ? total + sum(y) : sum(y);
    if (total.defined()) total.backward();
  } catch (const Error& e) {
    if (verbose) std::fprintf(stderr, "  refused: %.200s\n", e.what());
  }
  return 0;
}
