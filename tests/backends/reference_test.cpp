// The reference backend called through its table on host arrays: every function, dtype rule and
// error path of backends/backend.h, with hand-computed expected values.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "backends/backend.h"
#include "backends/half.h"
#include "backends/philox.h"
#include "backends/reference/reference.h"

namespace {

const lathe_backend* ref() { return lathe_backend_reference(); }

std::string last_error() { return ref()->last_error(); }

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// A view of host data; strides default to row-major contiguous.
template <typename T>
lathe_view view_of(std::vector<T>& data, lathe_dtype dtype, std::vector<int64_t> shape,
                   std::vector<int64_t> strides = {}) {
  lathe_view v;
  std::memset(&v, 0, sizeof v);
  v.data = data.data();
  v.dtype = dtype;
  v.ndim = static_cast<int32_t>(shape.size());
  int64_t step = 1;
  for (int32_t d = v.ndim - 1; d >= 0; --d) {
    v.shape[d] = shape[d];
    v.strides[d] = strides.empty() ? step : strides[d];
    step *= shape[d];
  }
  return v;
}

std::vector<uint16_t> to_f16(const std::vector<float>& xs) {
  std::vector<uint16_t> out;
  for (float x : xs) out.push_back(lathe_f32_to_f16(x));
  return out;
}

std::vector<uint16_t> to_bf16(const std::vector<float>& xs) {
  std::vector<uint16_t> out;
  for (float x : xs) out.push_back(lathe_f32_to_bf16(x));
  return out;
}

lathe_status unary(lathe_unary_op op, const lathe_view& in, const lathe_view& out, double a = 0,
                   double b = 0) {
  return ref()->unary(0, op, &in, &out, a, b);
}

lathe_status binary(lathe_binary_op op, const lathe_view& a, const lathe_view& b,
                    const lathe_view& out) {
  return ref()->binary(0, op, &a, &b, &out);
}

lathe_status reduce(lathe_reduce_op op, const lathe_view& in, const lathe_view& out,
                    uint32_t axes) {
  return ref()->reduce(0, op, &in, &out, axes);
}

// One f32 unary op on a single value.
float unary_f32(lathe_unary_op op, float x, double a = 0, double b = 0) {
  std::vector<float> in{x}, out{0};
  lathe_view vi = view_of(in, LATHE_F32, {}), vo = view_of(out, LATHE_F32, {});
  REQUIRE(unary(op, vi, vo, a, b) == LATHE_OK);
  return out[0];
}

// One f64 binary op on a pair of values.
double binary_f64(lathe_binary_op op, double x, double y) {
  std::vector<double> a{x}, b{y}, out{0};
  lathe_view va = view_of(a, LATHE_F64, {1}), vb = view_of(b, LATHE_F64, {1});
  lathe_view vo = view_of(out, LATHE_F64, {1});
  REQUIRE(binary(op, va, vb, vo) == LATHE_OK);
  return out[0];
}

}  // namespace

namespace {

// A dense [2, 2] f64 view.
lathe_view view2(double* data) {
  lathe_view v = {};
  v.data = data;
  v.dtype = LATHE_F64;
  v.ndim = 2;
  v.shape[0] = v.shape[1] = 2;
  v.strides[0] = 2;
  v.strides[1] = 1;
  return v;
}

}  // namespace

TEST_CASE("reference: table and device", "[unit][reference]") {
  const lathe_backend* t = ref();
  REQUIRE(t != nullptr);
  CHECK(t->abi_version == LATHE_BACKEND_ABI_VERSION);
  CHECK(t->struct_size == sizeof(lathe_backend));
  CHECK(std::string(t->name) == "reference");
  CHECK(t->flags == LATHE_BACKEND_HOST_MEMORY);
  CHECK(t->device_count() == 1);
  CHECK(std::string(t->describe()) == "reference: plain loops, 1 thread");
  // Its only run_fused calls are the linear-algebra kernels (no fusions: backends/linalg.h).
  REQUIRE(t->supports != nullptr);
  REQUIRE(t->run_fused != nullptr);
  std::vector<double> a = {4, 2, 2, 3}, l(4);
  lathe_view va = view2(a.data()), vl = view2(l.data());
  lathe_fused_call chol{"cholesky", 1, &va, 1, &vl, 0, nullptr};
  lathe_fused_call soft{"softmax", 1, &va, 1, &vl, 0, nullptr};
  CHECK(t->supports(0, &chol) == 1);
  CHECK(t->supports(0, &soft) == 0);
  CHECK(t->run_fused(0, &chol) == LATHE_OK);
  CHECK(l == std::vector<double>{2, 0, 1, std::sqrt(2.0)});
  CHECK(t->synchronize(0) == LATHE_OK);
  CHECK(t->synchronize(1) == LATHE_ERR_DEVICE);
  CHECK(lathe_backend_reference() == t);
}

TEST_CASE("reference: last_error is per thread and never NULL", "[unit][reference]") {
  std::string fresh = "unset";
  std::thread([&] { fresh = ref()->last_error(); }).join();
  CHECK(fresh.empty());

  CHECK(ref()->synchronize(3) == LATHE_ERR_DEVICE);
  CHECK(last_error().find("synchronize") != std::string::npos);
  std::string other = "unset";
  std::thread([&] { other = ref()->last_error(); }).join();
  CHECK(other.empty());
}

TEST_CASE("reference: alloc, free and host copies", "[unit][reference]") {
  void* p = nullptr;
  REQUIRE(ref()->alloc(0, 100, &p) == LATHE_OK);
  CHECK(reinterpret_cast<uintptr_t>(p) % 64 == 0);
  std::vector<uint8_t> host(100), back(100, 0);
  for (size_t i = 0; i < host.size(); ++i) host[i] = static_cast<uint8_t>(i * 7);
  CHECK(ref()->copy_from_host(0, p, host.data(), host.size()) == LATHE_OK);
  CHECK(ref()->copy_to_host(0, back.data(), p, back.size()) == LATHE_OK);
  CHECK(back == host);
  CHECK(ref()->free(0, p) == LATHE_OK);

  void* z1 = nullptr;
  void* z2 = nullptr;
  REQUIRE(ref()->alloc(0, 0, &z1) == LATHE_OK);
  REQUIRE(ref()->alloc(0, 0, &z2) == LATHE_OK);
  CHECK(z1 != nullptr);
  CHECK(z1 != z2);
  CHECK(ref()->free(0, z1) == LATHE_OK);
  CHECK(ref()->free(0, z2) == LATHE_OK);
  CHECK(ref()->free(0, nullptr) == LATHE_OK);
  CHECK(ref()->copy_to_host(0, nullptr, nullptr, 0) == LATHE_OK);

  void* huge = nullptr;
  CHECK(ref()->alloc(0, SIZE_MAX - 8, &huge) == LATHE_ERR_OUT_OF_MEMORY);
  CHECK(huge == nullptr);
  CHECK(last_error().find("alloc") != std::string::npos);
  CHECK(ref()->alloc(1, 8, &huge) == LATHE_ERR_DEVICE);
  CHECK(ref()->alloc(0, 8, nullptr) == LATHE_ERR_INVALID);
}

TEST_CASE("reference: copy converts dtypes", "[unit][reference]") {
  SECTION("float to int truncates toward zero, NaN gives 0, out of range saturates") {
    std::vector<float> src{2.7f, -2.7f, 0.5f, -0.0f, NAN, 1e10f, -1e10f};
    std::vector<int32_t> dst(7, 99);
    lathe_view vs = view_of(src, LATHE_F32, {7}), vd = view_of(dst, LATHE_I32, {7});
    REQUIRE(ref()->copy(0, &vs, &vd) == LATHE_OK);
    CHECK(dst == std::vector<int32_t>{2, -2, 0, 0, 0, INT32_MAX, INT32_MIN});
  }
  SECTION("anything to bool is x != 0") {
    std::vector<double> src{0.0, -0.0, 0.25, -3.0, kNaN};
    std::vector<uint8_t> dst(5, 7);
    lathe_view vs = view_of(src, LATHE_F64, {5}), vd = view_of(dst, LATHE_BOOL, {5});
    REQUIRE(ref()->copy(0, &vs, &vd) == LATHE_OK);
    CHECK(dst == std::vector<uint8_t>{0, 0, 1, 1, 1});

    std::vector<int64_t> ints{0, -5, int64_t{1} << 40};
    std::vector<uint8_t> flags(3, 7);
    lathe_view vi = view_of(ints, LATHE_I64, {3}), vf = view_of(flags, LATHE_BOOL, {3});
    REQUIRE(ref()->copy(0, &vi, &vf) == LATHE_OK);
    CHECK(flags == std::vector<uint8_t>{0, 1, 1});
  }
  SECTION("integers stay exact above 2^53; i64 to i32 keeps the low bits") {
    const int64_t big = (int64_t{1} << 53) + 1;
    std::vector<int64_t> src{big, -big, (int64_t{1} << 32) + 5};
    std::vector<int64_t> dst(3, 0);
    std::vector<int32_t> narrow(3, 0);
    lathe_view vs = view_of(src, LATHE_I64, {3});
    lathe_view vd = view_of(dst, LATHE_I64, {3}), vn = view_of(narrow, LATHE_I32, {3});
    REQUIRE(ref()->copy(0, &vs, &vd) == LATHE_OK);
    CHECK(dst == src);
    REQUIRE(ref()->copy(0, &vs, &vn) == LATHE_OK);
    CHECK(narrow[2] == 5);
    CHECK(narrow[0] == 1);
  }
  SECTION("bool and int to float") {
    std::vector<uint8_t> src{1, 0, 1};
    std::vector<float> dst(3, -1.0f);
    lathe_view vs = view_of(src, LATHE_BOOL, {3}), vd = view_of(dst, LATHE_F32, {3});
    REQUIRE(ref()->copy(0, &vs, &vd) == LATHE_OK);
    CHECK(dst == std::vector<float>{1.0f, 0.0f, 1.0f});

    std::vector<int32_t> ints{-7, 3};
    std::vector<double> wide(2, 0.0);
    lathe_view vi = view_of(ints, LATHE_I32, {2}), vw = view_of(wide, LATHE_F64, {2});
    REQUIRE(ref()->copy(0, &vi, &vw) == LATHE_OK);
    CHECK(wide == std::vector<double>{-7.0, 3.0});
  }
  SECTION("f32 to f16 and bf16 rounds to nearest even") {
    std::vector<float> src{1.0f, 0.1f, 65504.0f, 70000.0f, 1.0f + 1.0f / 256.0f};
    std::vector<uint16_t> half(5, 0), brain(5, 0);
    lathe_view vs = view_of(src, LATHE_F32, {5});
    lathe_view vh = view_of(half, LATHE_F16, {5}), vb = view_of(brain, LATHE_BF16, {5});
    REQUIRE(ref()->copy(0, &vs, &vh) == LATHE_OK);
    REQUIRE(ref()->copy(0, &vs, &vb) == LATHE_OK);
    CHECK(half[0] == 0x3c00);
    CHECK(half[1] == 0x2e66);
    CHECK(half[2] == 0x7bff);
    CHECK(half[3] == 0x7c00);  // beyond the f16 range: inf
    CHECK(brain[0] == 0x3f80);
    CHECK(brain[4] == 0x3f80);  // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even wins

    std::vector<float> back(5, 0.0f);
    lathe_view vback = view_of(back, LATHE_F32, {5});
    REQUIRE(ref()->copy(0, &vh, &vback) == LATHE_OK);
    CHECK(back[1] == 0.0999755859375f);
  }
  SECTION("strided, transposed, broadcast and 0-d views") {
    std::vector<float> src{1, 2, 3, 4, 5, 6};  // [2, 3]
    std::vector<double> dst(6, 0);             // [3, 2] = src^T
    lathe_view vs = view_of(src, LATHE_F32, {3, 2}, {1, 3});
    lathe_view vd = view_of(dst, LATHE_F64, {3, 2});
    REQUIRE(ref()->copy(0, &vs, &vd) == LATHE_OK);
    CHECK(dst == std::vector<double>{1, 4, 2, 5, 3, 6});

    std::vector<int64_t> row{10, 20};
    std::vector<int64_t> tiled(6, 0);
    lathe_view vr = view_of(row, LATHE_I64, {3, 2}, {0, 1});
    lathe_view vt = view_of(tiled, LATHE_I64, {3, 2});
    REQUIRE(ref()->copy(0, &vr, &vt) == LATHE_OK);
    CHECK(tiled == std::vector<int64_t>{10, 20, 10, 20, 10, 20});

    std::vector<double> scalar{-3.5};
    std::vector<int32_t> out{0};
    lathe_view v0 = view_of(scalar, LATHE_F64, {}), vo = view_of(out, LATHE_I32, {});
    REQUIRE(ref()->copy(0, &v0, &vo) == LATHE_OK);
    CHECK(out[0] == -3);

    std::vector<float> every_other{1, -1, 2, -1, 3, -1};
    std::vector<float> packed(3, 0);
    lathe_view ve = view_of(every_other, LATHE_F32, {3}, {2});
    lathe_view vp = view_of(packed, LATHE_F32, {3});
    REQUIRE(ref()->copy(0, &ve, &vp) == LATHE_OK);
    CHECK(packed == std::vector<float>{1, 2, 3});

    std::vector<float> backwards(3, 0);
    lathe_view vneg = view_of(packed, LATHE_F32, {3}, {-1});
    vneg.data = packed.data() + 2;
    lathe_view vback = view_of(backwards, LATHE_F32, {3});
    REQUIRE(ref()->copy(0, &vneg, &vback) == LATHE_OK);
    CHECK(backwards == std::vector<float>{3, 2, 1});
  }
  SECTION("empty views copy nothing") {
    std::vector<float> src, dst;
    lathe_view vs = view_of(src, LATHE_F32, {0, 3}), vd = view_of(dst, LATHE_F32, {0, 3});
    CHECK(ref()->copy(0, &vs, &vd) == LATHE_OK);
  }
  SECTION("shape mismatch and bad views are invalid") {
    std::vector<float> src(6), dst(6);
    lathe_view vs = view_of(src, LATHE_F32, {2, 3}), vd = view_of(dst, LATHE_F32, {3, 2});
    CHECK(ref()->copy(0, &vs, &vd) == LATHE_ERR_INVALID);
    CHECK(last_error().find("copy") != std::string::npos);
    CHECK(last_error().find("[2, 3]") != std::string::npos);
    CHECK(ref()->copy(0, nullptr, &vd) == LATHE_ERR_INVALID);
    lathe_view deep = vd;
    deep.ndim = LATHE_MAX_DIMS + 1;
    CHECK(ref()->copy(0, &deep, &vd) == LATHE_ERR_INVALID);
    lathe_view negative = vd;
    negative.shape[0] = -1;
    CHECK(ref()->copy(0, &negative, &vd) == LATHE_ERR_INVALID);
    lathe_view bad_dtype = vd;
    const int32_t unknown_dtype = 42;  // as a C caller could store it
    std::memcpy(&bad_dtype.dtype, &unknown_dtype, sizeof unknown_dtype);
    CHECK(ref()->copy(0, &bad_dtype, &vd) == LATHE_ERR_INVALID);
    lathe_view no_data = vd;
    no_data.data = nullptr;
    CHECK(ref()->copy(0, &no_data, &vd) == LATHE_ERR_INVALID);
    CHECK(ref()->copy(2, &vd, &vd) == LATHE_ERR_DEVICE);
  }
}

TEST_CASE("reference: fill converts the value like copy", "[unit][reference]") {
  std::vector<float> f(4, 0);
  lathe_view vf = view_of(f, LATHE_F32, {2, 2});
  REQUIRE(ref()->fill(0, &vf, 0.1) == LATHE_OK);
  CHECK(f == std::vector<float>(4, 0.1f));

  std::vector<int32_t> i(3, 0);
  lathe_view vi = view_of(i, LATHE_I32, {3});
  REQUIRE(ref()->fill(0, &vi, -3.7) == LATHE_OK);
  CHECK(i == std::vector<int32_t>{-3, -3, -3});

  std::vector<int64_t> l(2, 0);
  lathe_view vl = view_of(l, LATHE_I64, {2});
  REQUIRE(ref()->fill(0, &vl, 1e12) == LATHE_OK);
  CHECK(l == std::vector<int64_t>{1000000000000, 1000000000000});

  std::vector<uint8_t> b(2, 0);
  lathe_view vb = view_of(b, LATHE_BOOL, {2});
  REQUIRE(ref()->fill(0, &vb, 0.5) == LATHE_OK);
  CHECK(b == std::vector<uint8_t>{1, 1});
  REQUIRE(ref()->fill(0, &vb, 0.0) == LATHE_OK);
  CHECK(b == std::vector<uint8_t>{0, 0});

  std::vector<uint16_t> h(2, 0), bf(2, 0);
  lathe_view vh = view_of(h, LATHE_F16, {2}), vbf = view_of(bf, LATHE_BF16, {2});
  REQUIRE(ref()->fill(0, &vh, -2.0) == LATHE_OK);
  REQUIRE(ref()->fill(0, &vbf, 3.0) == LATHE_OK);
  CHECK(h == std::vector<uint16_t>{0xc000, 0xc000});
  CHECK(bf == std::vector<uint16_t>{0x4040, 0x4040});

  std::vector<double> d(6, 0);
  lathe_view column = view_of(d, LATHE_F64, {3}, {2});  // every other element
  REQUIRE(ref()->fill(0, &column, 5.0) == LATHE_OK);
  CHECK(d == std::vector<double>{5, 0, 5, 0, 5, 0});

  std::vector<double> s{0};
  lathe_view v0 = view_of(s, LATHE_F64, {});
  REQUIRE(ref()->fill(0, &v0, kInf) == LATHE_OK);
  CHECK(s[0] == kInf);
}

TEST_CASE("reference: unary float ops", "[unit][reference]") {
  CHECK(unary_f32(LATHE_UNARY_NEG, 1.5f) == -1.5f);
  CHECK(unary_f32(LATHE_UNARY_EXP, 1.0f) == static_cast<float>(std::exp(1.0)));
  CHECK(unary_f32(LATHE_UNARY_LOG, 2.0f) == static_cast<float>(std::log(2.0)));
  CHECK(std::isnan(unary_f32(LATHE_UNARY_LOG, -1.0f)));
  CHECK(unary_f32(LATHE_UNARY_LOG, 0.0f) == -INFINITY);
  CHECK(unary_f32(LATHE_UNARY_SQRT, 9.0f) == 3.0f);
  CHECK(unary_f32(LATHE_UNARY_RSQRT, 4.0f) == 0.5f);
  CHECK(unary_f32(LATHE_UNARY_ABS, -2.5f) == 2.5f);
  CHECK(unary_f32(LATHE_UNARY_SIGN, -2.5f) == -1.0f);
  CHECK(unary_f32(LATHE_UNARY_SIGN, 0.0f) == 0.0f);
  CHECK(unary_f32(LATHE_UNARY_SIGN, 1e-30f) == 1.0f);
  CHECK(std::isnan(unary_f32(LATHE_UNARY_SIGN, NAN)));
  CHECK(unary_f32(LATHE_UNARY_SIN, 0.5f) == static_cast<float>(std::sin(0.5)));
  CHECK(unary_f32(LATHE_UNARY_COS, 0.5f) == static_cast<float>(std::cos(0.5)));
  CHECK(unary_f32(LATHE_UNARY_TANH, 0.5f) == static_cast<float>(std::tanh(0.5)));
  CHECK(unary_f32(LATHE_UNARY_SIGMOID, 0.0f) == 0.5f);
  CHECK(unary_f32(LATHE_UNARY_SIGMOID, 2.0f) == static_cast<float>(1.0 / (1.0 + std::exp(-2.0))));
  CHECK(unary_f32(LATHE_UNARY_SIGMOID, -2.0f) == Approx(1.0 / (1.0 + std::exp(2.0))));
  CHECK(unary_f32(LATHE_UNARY_SIGMOID, 1e4f) == 1.0f);
  CHECK(unary_f32(LATHE_UNARY_SIGMOID, -1e4f) == 0.0f);
  CHECK(std::isnan(unary_f32(LATHE_UNARY_SIGMOID, NAN)));
  CHECK(unary_f32(LATHE_UNARY_RELU, -3.0f) == 0.0f);
  CHECK(unary_f32(LATHE_UNARY_RELU, 3.0f) == 3.0f);
  CHECK(std::isnan(unary_f32(LATHE_UNARY_RELU, NAN)));
  CHECK(unary_f32(LATHE_UNARY_ERF, 0.5f) == static_cast<float>(std::erf(0.5)));

  // softplus: beta = a, threshold = b; linear once beta * x > threshold
  CHECK(unary_f32(LATHE_UNARY_SOFTPLUS, 1.0f, 1.0, 20.0) ==
        static_cast<float>(std::log1p(std::exp(1.0))));
  CHECK(unary_f32(LATHE_UNARY_SOFTPLUS, 1.0f, 2.0, 20.0) ==
        static_cast<float>(std::log1p(std::exp(2.0)) / 2.0));
  CHECK(unary_f32(LATHE_UNARY_SOFTPLUS, 25.0f, 1.0, 20.0) == 25.0f);
  CHECK(unary_f32(LATHE_UNARY_SOFTPLUS, 3.0f, 1.0, 2.0) == 3.0f);
  CHECK(unary_f32(LATHE_UNARY_SOFTPLUS, -1e4f, 1.0, 20.0) == 0.0f);

  SECTION("f64 keeps double precision") {
    std::vector<double> in{0.1, 1e-300}, out(2, 0);
    lathe_view vi = view_of(in, LATHE_F64, {2}), vo = view_of(out, LATHE_F64, {2});
    REQUIRE(unary(LATHE_UNARY_EXP, vi, vo) == LATHE_OK);
    CHECK(out[0] == std::exp(0.1));
    REQUIRE(unary(LATHE_UNARY_SQRT, vi, vo) == LATHE_OK);
    CHECK(out[1] == std::sqrt(1e-300));
  }
  SECTION("f16 and bf16 round on store") {
    std::vector<uint16_t> in = to_f16({1.0f, -2.0f}), out(2, 0);
    lathe_view vi = view_of(in, LATHE_F16, {2}), vo = view_of(out, LATHE_F16, {2});
    REQUIRE(unary(LATHE_UNARY_EXP, vi, vo) == LATHE_OK);
    CHECK(out[0] == lathe_f32_to_f16(static_cast<float>(std::exp(1.0))));
    CHECK(lathe_f16_to_f32(out[0]) == 2.71875f);
    CHECK(out[1] == lathe_f32_to_f16(static_cast<float>(std::exp(-2.0))));

    std::vector<uint16_t> bin = to_bf16({3.0f, -0.5f}), bout(2, 0);
    lathe_view vbi = view_of(bin, LATHE_BF16, {2}), vbo = view_of(bout, LATHE_BF16, {2});
    REQUIRE(unary(LATHE_UNARY_TANH, vbi, vbo) == LATHE_OK);
    CHECK(bout[0] == lathe_f32_to_bf16(static_cast<float>(std::tanh(3.0))));
    CHECK(bout[1] == lathe_f32_to_bf16(static_cast<float>(std::tanh(-0.5))));
  }
  SECTION("transposed input and in place") {
    std::vector<float> in{1, 2, 3, 4, 5, 6}, out(6, 0);
    lathe_view vi = view_of(in, LATHE_F32, {3, 2}, {1, 3}), vo = view_of(out, LATHE_F32, {3, 2});
    REQUIRE(unary(LATHE_UNARY_NEG, vi, vo) == LATHE_OK);
    CHECK(out == std::vector<float>{-1, -4, -2, -5, -3, -6});

    lathe_view all = view_of(in, LATHE_F32, {6});
    REQUIRE(unary(LATHE_UNARY_ABS, view_of(out, LATHE_F32, {6}), all) == LATHE_OK);
    CHECK(in == std::vector<float>{1, 4, 2, 5, 3, 6});
    REQUIRE(unary(LATHE_UNARY_SQRT, all, all) == LATHE_OK);
    CHECK(in[1] == 2.0f);
    CHECK(in[5] == static_cast<float>(std::sqrt(6.0)));
  }
}

TEST_CASE("reference: unary NOT, int ops and unsupported combos", "[unit][reference]") {
  std::vector<uint8_t> flags{0, 1, 1}, negated(3, 9);
  lathe_view vf = view_of(flags, LATHE_BOOL, {3}), vn = view_of(negated, LATHE_BOOL, {3});
  REQUIRE(unary(LATHE_UNARY_NOT, vf, vn) == LATHE_OK);
  CHECK(negated == std::vector<uint8_t>{1, 0, 0});

  std::vector<int64_t> ints{-5, 0, 7, (int64_t{1} << 53) + 1}, out(4, 0);
  lathe_view vi = view_of(ints, LATHE_I64, {4}), vo = view_of(out, LATHE_I64, {4});
  REQUIRE(unary(LATHE_UNARY_NEG, vi, vo) == LATHE_OK);
  CHECK(out == std::vector<int64_t>{5, 0, -7, -((int64_t{1} << 53) + 1)});
  REQUIRE(unary(LATHE_UNARY_ABS, vi, vo) == LATHE_OK);
  CHECK(out == std::vector<int64_t>{5, 0, 7, (int64_t{1} << 53) + 1});
  REQUIRE(unary(LATHE_UNARY_SIGN, vi, vo) == LATHE_OK);
  CHECK(out == std::vector<int64_t>{-1, 0, 1, 1});
  REQUIRE(unary(LATHE_UNARY_RELU, vi, vo) == LATHE_OK);
  CHECK(out == std::vector<int64_t>{0, 0, 7, (int64_t{1} << 53) + 1});

  std::vector<int32_t> small{-3, INT32_MIN}, small_out(2, 0);
  lathe_view vs = view_of(small, LATHE_I32, {2}), vso = view_of(small_out, LATHE_I32, {2});
  REQUIRE(unary(LATHE_UNARY_NEG, vs, vso) == LATHE_OK);
  CHECK(small_out == std::vector<int32_t>{3, INT32_MIN});  // wraps like the hardware

  CHECK(unary(LATHE_UNARY_EXP, vs, vso) == LATHE_ERR_UNSUPPORTED);
  CHECK(last_error().find("EXP") != std::string::npos);
  CHECK(unary(LATHE_UNARY_NOT, vs, vso) == LATHE_ERR_UNSUPPORTED);
  std::vector<float> f{1.0f}, g{0.0f};
  lathe_view v1 = view_of(f, LATHE_F32, {1}), v2 = view_of(g, LATHE_F32, {1});
  CHECK(unary(LATHE_UNARY_NOT, v1, v2) == LATHE_ERR_UNSUPPORTED);
  CHECK(unary(LATHE_UNARY_NEG, vf, vn) == LATHE_ERR_UNSUPPORTED);
  CHECK(unary(LATHE_UNARY_NEG, v1, vso) == LATHE_ERR_INVALID);  // dtypes differ
  CHECK(unary(LATHE_UNARY_COUNT, v1, v2) == LATHE_ERR_INVALID);
  CHECK(unary(LATHE_UNARY_NEG, v1, vn) == LATHE_ERR_INVALID);
}

TEST_CASE("reference: binary float ops", "[unit][reference]") {
  CHECK(binary_f64(LATHE_BINARY_ADD, 0.1, 0.2) == 0.1 + 0.2);
  CHECK(binary_f64(LATHE_BINARY_SUB, 1.0, 0.25) == 0.75);
  CHECK(binary_f64(LATHE_BINARY_MUL, 3.0, -0.5) == -1.5);
  CHECK(binary_f64(LATHE_BINARY_DIV, 1.0, 3.0) == 1.0 / 3.0);
  CHECK(binary_f64(LATHE_BINARY_DIV, 1.0, 0.0) == kInf);
  CHECK(binary_f64(LATHE_BINARY_POW, 2.0, 10.0) == 1024.0);
  CHECK(binary_f64(LATHE_BINARY_POW, 0.0, 0.0) == 1.0);
  CHECK(std::isnan(binary_f64(LATHE_BINARY_POW, -8.0, 1.0 / 3.0)));
  CHECK(binary_f64(LATHE_BINARY_MAXIMUM, 1.0, 2.0) == 2.0);
  CHECK(binary_f64(LATHE_BINARY_MINIMUM, 1.0, 2.0) == 1.0);
  CHECK(std::isnan(binary_f64(LATHE_BINARY_MAXIMUM, kNaN, 2.0)));
  CHECK(std::isnan(binary_f64(LATHE_BINARY_MAXIMUM, 2.0, kNaN)));
  CHECK(std::isnan(binary_f64(LATHE_BINARY_MINIMUM, kNaN, 2.0)));
  CHECK(std::isnan(binary_f64(LATHE_BINARY_MINIMUM, -kInf, kNaN)));

  SECTION("f32 rounds once, like native f32 arithmetic") {
    std::vector<float> a{0.1f, 1e30f}, b{0.2f, 1e30f}, out(2, 0);
    lathe_view va = view_of(a, LATHE_F32, {2}), vb = view_of(b, LATHE_F32, {2});
    lathe_view vo = view_of(out, LATHE_F32, {2});
    REQUIRE(binary(LATHE_BINARY_ADD, va, vb, vo) == LATHE_OK);
    CHECK(out[0] == 0.1f + 0.2f);
    REQUIRE(binary(LATHE_BINARY_MUL, va, vb, vo) == LATHE_OK);
    CHECK(out[0] == 0.1f * 0.2f);
    CHECK(out[1] == INFINITY);
  }
  SECTION("broadcast row and column with stride 0") {
    std::vector<float> col{1, 2}, row{10, 20, 30}, out(6, 0);
    lathe_view vc = view_of(col, LATHE_F32, {2, 3}, {1, 0});
    lathe_view vr = view_of(row, LATHE_F32, {2, 3}, {0, 1});
    lathe_view vo = view_of(out, LATHE_F32, {2, 3});
    REQUIRE(binary(LATHE_BINARY_ADD, vc, vr, vo) == LATHE_OK);
    CHECK(out == std::vector<float>{11, 21, 31, 12, 22, 32});
    REQUIRE(binary(LATHE_BINARY_SUB, vr, vc, vo) == LATHE_OK);
    CHECK(out == std::vector<float>{9, 19, 29, 8, 18, 28});
  }
  SECTION("f16 and bf16") {
    std::vector<uint16_t> a = to_f16({1.0f, 0.1f}), b = to_f16({2048.0f, 0.2f}), out(2, 0);
    lathe_view va = view_of(a, LATHE_F16, {2}), vb = view_of(b, LATHE_F16, {2});
    lathe_view vo = view_of(out, LATHE_F16, {2});
    REQUIRE(binary(LATHE_BINARY_ADD, va, vb, vo) == LATHE_OK);
    CHECK(lathe_f16_to_f32(out[0]) == 2048.0f);  // 2049 is a tie between 2048 and 2050: even
    CHECK(out[1] == lathe_f32_to_f16(lathe_f16_to_f32(a[1]) + lathe_f16_to_f32(b[1])));

    std::vector<uint16_t> x = to_bf16({3.0f, -1.5f}), y = to_bf16({0.5f, 4.0f}), z(2, 0);
    lathe_view vx = view_of(x, LATHE_BF16, {2}), vy = view_of(y, LATHE_BF16, {2});
    lathe_view vz = view_of(z, LATHE_BF16, {2});
    REQUIRE(binary(LATHE_BINARY_MUL, vx, vy, vz) == LATHE_OK);
    CHECK(lathe_bf16_to_f32(z[0]) == 1.5f);
    CHECK(lathe_bf16_to_f32(z[1]) == -6.0f);
    REQUIRE(binary(LATHE_BINARY_DIV, vx, vy, vz) == LATHE_OK);
    CHECK(lathe_bf16_to_f32(z[0]) == 6.0f);
  }
  SECTION("0-d operands") {
    std::vector<double> a{6}, b{4}, out{0};
    lathe_view va = view_of(a, LATHE_F64, {}), vb = view_of(b, LATHE_F64, {});
    lathe_view vo = view_of(out, LATHE_F64, {});
    REQUIRE(binary(LATHE_BINARY_POW, va, vb, vo) == LATHE_OK);
    CHECK(out[0] == 1296.0);
  }
}

TEST_CASE("reference: binary comparisons, ints and bools", "[unit][reference]") {
  SECTION("float comparisons; NaN compares false except NE") {
    std::vector<float> a{1, 2, 3, NAN}, b{2, 2, 2, NAN};
    std::vector<uint8_t> out(4, 9);
    lathe_view va = view_of(a, LATHE_F32, {4}), vb = view_of(b, LATHE_F32, {4});
    lathe_view vo = view_of(out, LATHE_BOOL, {4});
    REQUIRE(binary(LATHE_BINARY_EQ, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 1, 0, 0});
    REQUIRE(binary(LATHE_BINARY_NE, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{1, 0, 1, 1});
    REQUIRE(binary(LATHE_BINARY_LT, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{1, 0, 0, 0});
    REQUIRE(binary(LATHE_BINARY_LE, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{1, 1, 0, 0});
    REQUIRE(binary(LATHE_BINARY_GT, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 0, 1, 0});
    REQUIRE(binary(LATHE_BINARY_GE, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 1, 1, 0});
  }
  SECTION("i64 compares and adds exactly above 2^53") {
    const int64_t big = int64_t{1} << 53;
    std::vector<int64_t> a{big, big + 1, -4}, b{big + 1, big + 1, 7}, out(3, 0);
    std::vector<uint8_t> flags(3, 0);
    lathe_view va = view_of(a, LATHE_I64, {3}), vb = view_of(b, LATHE_I64, {3});
    lathe_view vo = view_of(out, LATHE_I64, {3}), vf = view_of(flags, LATHE_BOOL, {3});
    REQUIRE(binary(LATHE_BINARY_LT, va, vb, vf) == LATHE_OK);
    CHECK(flags == std::vector<uint8_t>{1, 0, 1});
    REQUIRE(binary(LATHE_BINARY_EQ, va, vb, vf) == LATHE_OK);
    CHECK(flags == std::vector<uint8_t>{0, 1, 0});
    REQUIRE(binary(LATHE_BINARY_ADD, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{2 * big + 1, 2 * big + 2, 3});
    REQUIRE(binary(LATHE_BINARY_SUB, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{-1, 0, -11});
    REQUIRE(binary(LATHE_BINARY_MUL, va, vb, vo) == LATHE_OK);
    CHECK(out[2] == -28);
    REQUIRE(binary(LATHE_BINARY_MAXIMUM, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{big + 1, big + 1, 7});
    REQUIRE(binary(LATHE_BINARY_MINIMUM, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{big, big + 1, -4});
    CHECK(binary(LATHE_BINARY_DIV, va, vb, vo) == LATHE_ERR_UNSUPPORTED);
    CHECK(last_error().find("DIV") != std::string::npos);
    CHECK(binary(LATHE_BINARY_POW, va, vb, vo) == LATHE_ERR_UNSUPPORTED);
  }
  SECTION("i32 wraps on overflow and broadcasts") {
    std::vector<int32_t> a{INT32_MAX, 5}, b{1}, out(2, 0);
    lathe_view va = view_of(a, LATHE_I32, {2}), vb = view_of(b, LATHE_I32, {2}, {0});
    lathe_view vo = view_of(out, LATHE_I32, {2});
    REQUIRE(binary(LATHE_BINARY_ADD, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<int32_t>{INT32_MIN, 6});
    std::vector<uint8_t> flags(2, 0);
    lathe_view vf = view_of(flags, LATHE_BOOL, {2});
    REQUIRE(binary(LATHE_BINARY_GT, va, vb, vf) == LATHE_OK);
    CHECK(flags == std::vector<uint8_t>{1, 1});
  }
  SECTION("bool: AND, OR, EQ, NE only") {
    std::vector<uint8_t> a{0, 0, 1, 1}, b{0, 1, 0, 1}, out(4, 9);
    lathe_view va = view_of(a, LATHE_BOOL, {4}), vb = view_of(b, LATHE_BOOL, {4});
    lathe_view vo = view_of(out, LATHE_BOOL, {4});
    REQUIRE(binary(LATHE_BINARY_AND, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 0, 0, 1});
    REQUIRE(binary(LATHE_BINARY_OR, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 1, 1, 1});
    REQUIRE(binary(LATHE_BINARY_EQ, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{1, 0, 0, 1});
    REQUIRE(binary(LATHE_BINARY_NE, va, vb, vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 1, 1, 0});
    CHECK(binary(LATHE_BINARY_LT, va, vb, vo) == LATHE_ERR_UNSUPPORTED);
    CHECK(binary(LATHE_BINARY_ADD, va, vb, vo) == LATHE_ERR_UNSUPPORTED);
  }
  SECTION("argument errors") {
    std::vector<float> f(2, 1.0f);
    std::vector<double> d(2, 1.0);
    std::vector<uint8_t> flags(2, 0);
    lathe_view vf = view_of(f, LATHE_F32, {2}), vd = view_of(d, LATHE_F64, {2});
    lathe_view vb = view_of(flags, LATHE_BOOL, {2});
    CHECK(binary(LATHE_BINARY_ADD, vf, vd, vf) == LATHE_ERR_INVALID);  // a, b dtypes differ
    CHECK(binary(LATHE_BINARY_ADD, vf, vf, vd) == LATHE_ERR_INVALID);  // out dtype
    CHECK(binary(LATHE_BINARY_LT, vf, vf, vf) == LATHE_ERR_INVALID);   // comparison out not bool
    CHECK(binary(LATHE_BINARY_AND, vf, vf, vb) == LATHE_ERR_UNSUPPORTED);
    lathe_view v3 = view_of(f, LATHE_F32, {1});
    CHECK(binary(LATHE_BINARY_ADD, vf, v3, vf) == LATHE_ERR_INVALID);  // shape
    CHECK(last_error().find("binary") != std::string::npos);
    CHECK(binary(LATHE_BINARY_COUNT, vf, vf, vf) == LATHE_ERR_INVALID);
  }
}

TEST_CASE("reference: where", "[unit][reference]") {
  std::vector<uint8_t> cond{1, 0, 0, 1};
  lathe_view vc = view_of(cond, LATHE_BOOL, {4});

  std::vector<float> a{1, 2, 3, 4}, b{-1, -2, -3, -4}, out(4, 0);
  lathe_view va = view_of(a, LATHE_F32, {4}), vb = view_of(b, LATHE_F32, {4});
  lathe_view vo = view_of(out, LATHE_F32, {4});
  REQUIRE(ref()->where(0, &vc, &va, &vb, &vo) == LATHE_OK);
  CHECK(out == std::vector<float>{1, -2, -3, 4});

  std::vector<int64_t> big{int64_t{1} << 60}, small{-1}, picked(4, 0);
  lathe_view vbig = view_of(big, LATHE_I64, {4}, {0}), vsmall = view_of(small, LATHE_I64, {4}, {0});
  lathe_view vp = view_of(picked, LATHE_I64, {4});
  REQUIRE(ref()->where(0, &vc, &vbig, &vsmall, &vp) == LATHE_OK);
  CHECK(picked == std::vector<int64_t>{int64_t{1} << 60, -1, -1, int64_t{1} << 60});

  // cond broadcast along rows of a [2, 2] bool
  std::vector<uint8_t> row_cond{0, 1}, x{1, 1, 1, 1}, y{0, 0, 0, 0}, z(4, 9);
  lathe_view vrc = view_of(row_cond, LATHE_BOOL, {2, 2}, {0, 1});
  lathe_view vx = view_of(x, LATHE_BOOL, {2, 2}), vy = view_of(y, LATHE_BOOL, {2, 2});
  lathe_view vz = view_of(z, LATHE_BOOL, {2, 2});
  REQUIRE(ref()->where(0, &vrc, &vx, &vy, &vz) == LATHE_OK);
  CHECK(z == std::vector<uint8_t>{0, 1, 0, 1});

  std::vector<uint16_t> h1 = to_f16({1, 2, 3, 4}), h2 = to_f16({5, 6, 7, 8}), h3(4, 0);
  lathe_view vh1 = view_of(h1, LATHE_F16, {4}), vh2 = view_of(h2, LATHE_F16, {4});
  lathe_view vh3 = view_of(h3, LATHE_F16, {4});
  REQUIRE(ref()->where(0, &vc, &vh1, &vh2, &vh3) == LATHE_OK);
  CHECK(h3 == std::vector<uint16_t>{h1[0], h2[1], h2[2], h1[3]});

  CHECK(ref()->where(0, &va, &va, &vb, &vo) == LATHE_ERR_INVALID);   // cond not bool
  CHECK(ref()->where(0, &vc, &va, &vp, &vo) == LATHE_ERR_INVALID);   // b dtype
  CHECK(ref()->where(0, &vrc, &va, &vb, &vo) == LATHE_ERR_INVALID);  // cond shape
}

TEST_CASE("reference: reduce SUM, MAX, MIN", "[unit][reference]") {
  std::vector<float> x{1, 2, 3, 4, 5, 6};  // [2, 3]
  lathe_view vx = view_of(x, LATHE_F32, {2, 3});

  SECTION("one axis, both axes, and no axis (copy)") {
    std::vector<float> rows(3, 0), cols(2, 0), all(1, 0), same(6, 0);
    lathe_view vrows = view_of(rows, LATHE_F32, {1, 3}), vcols = view_of(cols, LATHE_F32, {2, 1});
    lathe_view vall = view_of(all, LATHE_F32, {1, 1}), vsame = view_of(same, LATHE_F32, {2, 3});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vx, vrows, 0b01) == LATHE_OK);
    CHECK(rows == std::vector<float>{5, 7, 9});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vx, vcols, 0b10) == LATHE_OK);
    CHECK(cols == std::vector<float>{6, 15});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vx, vall, 0b11) == LATHE_OK);
    CHECK(all[0] == 21);
    REQUIRE(reduce(LATHE_REDUCE_MAX, vx, vcols, 0b10) == LATHE_OK);
    CHECK(cols == std::vector<float>{3, 6});
    REQUIRE(reduce(LATHE_REDUCE_MIN, vx, vrows, 0b01) == LATHE_OK);
    CHECK(rows == std::vector<float>{1, 2, 3});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vx, vsame, 0) == LATHE_OK);
    CHECK(same == x);
  }
  SECTION("several axes of a 3-d transposed view") {
    // t[i, j, k] = i * 100 + j * 10 + k with shape [2, 3, 4], viewed as [4, 3, 2] (axes reversed)
    std::vector<int64_t> t(24);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        for (int k = 0; k < 4; ++k) t[i * 12 + j * 4 + k] = i * 100 + j * 10 + k;
    lathe_view vt = view_of(t, LATHE_I64, {4, 3, 2}, {1, 4, 12});
    std::vector<int64_t> out(3, 0);  // reduce axes 0 and 2 -> [1, 3, 1]
    lathe_view vo = view_of(out, LATHE_I64, {1, 3, 1});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vt, vo, 0b101) == LATHE_OK);
    // sum over k (0..3) and i (0, 1) of i*100 + j*10 + k = 400 + 80 j + 12
    CHECK(out == std::vector<int64_t>{412, 492, 572});
    REQUIRE(reduce(LATHE_REDUCE_MAX, vt, vo, 0b101) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{103, 113, 123});
    REQUIRE(reduce(LATHE_REDUCE_MIN, vt, vo, 0b101) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{0, 10, 20});
  }
  SECTION("NaN propagates through MAX and MIN") {
    std::vector<double> d{1, kNaN, 3, -1, 5, 2}, out(2, 0);
    lathe_view vd = view_of(d, LATHE_F64, {2, 3}), vo = view_of(out, LATHE_F64, {2, 1});
    REQUIRE(reduce(LATHE_REDUCE_MAX, vd, vo, 0b10) == LATHE_OK);
    CHECK(std::isnan(out[0]));
    CHECK(out[1] == 5);
    REQUIRE(reduce(LATHE_REDUCE_MIN, vd, vo, 0b10) == LATHE_OK);
    CHECK(std::isnan(out[0]));
    CHECK(out[1] == -1);
    REQUIRE(reduce(LATHE_REDUCE_SUM, vd, vo, 0b10) == LATHE_OK);
    CHECK(std::isnan(out[0]));
    CHECK(out[1] == 6);
  }
  SECTION("integers: i64 exact above 2^53, i32 wraps") {
    const int64_t big = int64_t{1} << 53;
    std::vector<int64_t> l{big, 1, 1}, lout{0};
    lathe_view vl = view_of(l, LATHE_I64, {3}), vlo = view_of(lout, LATHE_I64, {1});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vl, vlo, 1) == LATHE_OK);
    CHECK(lout[0] == big + 2);

    // i32 accumulates in int64: only the stored result wraps, not the running sum.
    std::vector<int32_t> i{INT32_MAX, 1, -7}, iout{0};
    lathe_view vi = view_of(i, LATHE_I32, {3}), vio = view_of(iout, LATHE_I32, {1});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vi, vio, 1) == LATHE_OK);
    CHECK(iout[0] == INT32_MAX - 6);
    lathe_view first_two = view_of(i, LATHE_I32, {2});
    REQUIRE(reduce(LATHE_REDUCE_SUM, first_two, vio, 1) == LATHE_OK);
    CHECK(iout[0] == INT32_MIN);
    REQUIRE(reduce(LATHE_REDUCE_MIN, vi, vio, 1) == LATHE_OK);
    CHECK(iout[0] == -7);
    REQUIRE(reduce(LATHE_REDUCE_MAX, vi, vio, 1) == LATHE_OK);
    CHECK(iout[0] == INT32_MAX);
  }
  SECTION("f16 and bf16 accumulate wide, round once") {
    std::vector<uint16_t> h(1000, lathe_f32_to_f16(0.1f)), hout{0};
    lathe_view vh = view_of(h, LATHE_F16, {1000}), vho = view_of(hout, LATHE_F16, {1});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vh, vho, 1) == LATHE_OK);
    CHECK(lathe_f16_to_f32(hout[0]) == 100.0f);  // 1000 * 0.0999755859375 rounds to 100

    std::vector<uint16_t> b(1000, lathe_f32_to_bf16(1.0f)), bout{0};
    lathe_view vb = view_of(b, LATHE_BF16, {1000}), vbo = view_of(bout, LATHE_BF16, {1});
    REQUIRE(reduce(LATHE_REDUCE_SUM, vb, vbo, 1) == LATHE_OK);
    CHECK(lathe_bf16_to_f32(bout[0]) == 1000.0f);  // a bf16 accumulator would stop at 256
    REQUIRE(reduce(LATHE_REDUCE_MAX, vb, vbo, 1) == LATHE_OK);
    CHECK(lathe_bf16_to_f32(bout[0]) == 1.0f);
  }
  SECTION("0-d input and empty reductions") {
    std::vector<float> s{4.5f}, sout{0};
    lathe_view vs = view_of(s, LATHE_F32, {}), vso = view_of(sout, LATHE_F32, {});
    REQUIRE(reduce(LATHE_REDUCE_MAX, vs, vso, 0) == LATHE_OK);
    CHECK(sout[0] == 4.5f);

    std::vector<float> empty, zeros(3, 7.0f);
    lathe_view ve = view_of(empty, LATHE_F32, {0, 3}), vz = view_of(zeros, LATHE_F32, {1, 3});
    REQUIRE(reduce(LATHE_REDUCE_SUM, ve, vz, 0b01) == LATHE_OK);
    CHECK(zeros == std::vector<float>{0, 0, 0});
    CHECK(reduce(LATHE_REDUCE_MAX, ve, vz, 0b01) == LATHE_ERR_INVALID);
    CHECK(last_error().find("MAX") != std::string::npos);
    CHECK(reduce(LATHE_REDUCE_MIN, ve, vz, 0b01) == LATHE_ERR_INVALID);
    std::vector<int64_t> idx(3, 0);
    lathe_view vidx = view_of(idx, LATHE_I64, {1, 3});
    CHECK(reduce(LATHE_REDUCE_ARGMAX, ve, vidx, 0b01) == LATHE_ERR_INVALID);
  }
  SECTION("argument errors") {
    std::vector<float> out(3, 0);
    lathe_view wrong = view_of(out, LATHE_F32, {2, 1});
    CHECK(reduce(LATHE_REDUCE_SUM, vx, wrong, 0b01) == LATHE_ERR_INVALID);
    CHECK(last_error().find("reduce") != std::string::npos);
    lathe_view flat = view_of(out, LATHE_F32, {3});
    CHECK(reduce(LATHE_REDUCE_SUM, vx, flat, 0b01) == LATHE_ERR_INVALID);  // not keepdim
    lathe_view rows = view_of(out, LATHE_F32, {1, 3});
    CHECK(reduce(LATHE_REDUCE_SUM, vx, rows, 0b101) == LATHE_ERR_INVALID);  // axis 2 of 2-d
    std::vector<double> d(3, 0);
    lathe_view drows = view_of(d, LATHE_F64, {1, 3});
    CHECK(reduce(LATHE_REDUCE_SUM, vx, drows, 0b01) == LATHE_ERR_INVALID);  // dtype
    std::vector<uint8_t> flags(6, 1), fout(3, 0);
    lathe_view vf = view_of(flags, LATHE_BOOL, {2, 3}), vfo = view_of(fout, LATHE_BOOL, {1, 3});
    CHECK(reduce(LATHE_REDUCE_SUM, vf, vfo, 0b01) == LATHE_ERR_UNSUPPORTED);
    CHECK(reduce(LATHE_REDUCE_COUNT, vx, rows, 0b01) == LATHE_ERR_INVALID);
  }
}

TEST_CASE("reference: reduce ARGMAX, ARGMIN", "[unit][reference]") {
  SECTION("ties give the first index") {
    std::vector<float> x{3, 1, 3, 1, 2, 2, 2, 2};  // [2, 4]
    std::vector<int64_t> out(2, -1);
    lathe_view vx = view_of(x, LATHE_F32, {2, 4}), vo = view_of(out, LATHE_I64, {2, 1});
    REQUIRE(reduce(LATHE_REDUCE_ARGMAX, vx, vo, 0b10) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{0, 0});
    REQUIRE(reduce(LATHE_REDUCE_ARGMIN, vx, vo, 0b10) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{1, 0});

    std::vector<int64_t> cols(4, -1);
    lathe_view vc = view_of(cols, LATHE_I64, {1, 4});
    REQUIRE(reduce(LATHE_REDUCE_ARGMAX, vx, vc, 0b01) == LATHE_OK);
    CHECK(cols == std::vector<int64_t>{0, 1, 0, 1});
  }
  SECTION("the first NaN wins both ways") {
    std::vector<double> x{1, kNaN, 9, kNaN, -kInf};
    std::vector<int64_t> out{-1};
    lathe_view vx = view_of(x, LATHE_F64, {5}), vo = view_of(out, LATHE_I64, {1});
    REQUIRE(reduce(LATHE_REDUCE_ARGMAX, vx, vo, 1) == LATHE_OK);
    CHECK(out[0] == 1);
    REQUIRE(reduce(LATHE_REDUCE_ARGMIN, vx, vo, 1) == LATHE_OK);
    CHECK(out[0] == 1);
    std::vector<double> first{kNaN, 5};
    lathe_view vf = view_of(first, LATHE_F64, {2});
    REQUIRE(reduce(LATHE_REDUCE_ARGMIN, vf, vo, 1) == LATHE_OK);
    CHECK(out[0] == 0);
  }
  SECTION("integers, f16 and strided input") {
    const int64_t big = int64_t{1} << 53;
    std::vector<int64_t> x{big, big + 1, big + 1, -5};
    std::vector<int64_t> out{-1};
    lathe_view vx = view_of(x, LATHE_I64, {4}), vo = view_of(out, LATHE_I64, {1});
    REQUIRE(reduce(LATHE_REDUCE_ARGMAX, vx, vo, 1) == LATHE_OK);
    CHECK(out[0] == 1);
    REQUIRE(reduce(LATHE_REDUCE_ARGMIN, vx, vo, 1) == LATHE_OK);
    CHECK(out[0] == 3);

    std::vector<uint16_t> h = to_f16({0.5f, 9.0f, -2.0f, 9.0f, 1.0f, -3.0f});
    lathe_view every_other = view_of(h, LATHE_F16, {3}, {2});  // 0.5, -2, 1
    REQUIRE(reduce(LATHE_REDUCE_ARGMAX, every_other, vo, 1) == LATHE_OK);
    CHECK(out[0] == 2);
    REQUIRE(reduce(LATHE_REDUCE_ARGMIN, every_other, vo, 1) == LATHE_OK);
    CHECK(out[0] == 1);
  }
  SECTION("exactly one axis, i64 output") {
    std::vector<float> x(6, 0);
    std::vector<int64_t> one{0};
    lathe_view vx = view_of(x, LATHE_F32, {2, 3}), vo = view_of(one, LATHE_I64, {1, 1});
    CHECK(reduce(LATHE_REDUCE_ARGMAX, vx, vo, 0b11) == LATHE_ERR_INVALID);
    lathe_view same = view_of(x, LATHE_F32, {2, 3});
    CHECK(reduce(LATHE_REDUCE_ARGMAX, vx, same, 0) == LATHE_ERR_INVALID);
    std::vector<float> rows(3, 0);
    lathe_view vrows = view_of(rows, LATHE_F32, {1, 3});
    CHECK(reduce(LATHE_REDUCE_ARGMAX, vx, vrows, 0b01) == LATHE_ERR_INVALID);
  }
}

TEST_CASE("reference: scan CUMSUM", "[unit][reference]") {
  std::vector<float> x{1, 2, 3, 4, 5, 6};  // [2, 3]
  std::vector<float> out(6, 0);
  lathe_view vx = view_of(x, LATHE_F32, {2, 3}), vo = view_of(out, LATHE_F32, {2, 3});
  REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, 1, 0) == LATHE_OK);
  CHECK(out == std::vector<float>{1, 3, 6, 4, 9, 15});
  REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, 1, 1) == LATHE_OK);
  CHECK(out == std::vector<float>{6, 5, 3, 15, 11, 6});
  REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, 0, 0) == LATHE_OK);
  CHECK(out == std::vector<float>{1, 2, 3, 5, 7, 9});
  REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, 0, 1) == LATHE_OK);
  CHECK(out == std::vector<float>{5, 7, 9, 4, 5, 6});

  SECTION("transposed input, i64 exact, in place") {
    lathe_view vt = view_of(x, LATHE_F32, {3, 2}, {1, 3});  // [[1, 4], [2, 5], [3, 6]]
    std::vector<float> t(6, 0);
    lathe_view vto = view_of(t, LATHE_F32, {3, 2});
    REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vt, &vto, 0, 0) == LATHE_OK);
    CHECK(t == std::vector<float>{1, 4, 3, 9, 6, 15});

    const int64_t big = int64_t{1} << 53;
    std::vector<int64_t> l{big, 1, 1};
    lathe_view vl = view_of(l, LATHE_I64, {3});
    REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vl, &vl, 0, 0) == LATHE_OK);
    CHECK(l == std::vector<int64_t>{big, big + 1, big + 2});
  }
  SECTION("f16 accumulates wide") {
    std::vector<uint16_t> h(3000, lathe_f32_to_f16(1.0f)), hout(3000, 0);
    lathe_view vh = view_of(h, LATHE_F16, {3000}), vho = view_of(hout, LATHE_F16, {3000});
    REQUIRE(ref()->scan(0, LATHE_SCAN_CUMSUM, &vh, &vho, 0, 0) == LATHE_OK);
    CHECK(lathe_f16_to_f32(hout[2999]) == 3000.0f);  // an f16 accumulator would stop at 2048
  }
  SECTION("errors") {
    CHECK(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, 2, 0) == LATHE_ERR_INVALID);
    CHECK(ref()->scan(0, LATHE_SCAN_CUMSUM, &vx, &vo, -1, 0) == LATHE_ERR_INVALID);
    CHECK(ref()->scan(0, LATHE_SCAN_COUNT, &vx, &vo, 0, 0) == LATHE_ERR_INVALID);
    std::vector<uint8_t> flags(2, 1), fout(2, 0);
    lathe_view vf = view_of(flags, LATHE_BOOL, {2}), vfo = view_of(fout, LATHE_BOOL, {2});
    CHECK(ref()->scan(0, LATHE_SCAN_CUMSUM, &vf, &vfo, 0, 0) == LATHE_ERR_UNSUPPORTED);
  }
}

TEST_CASE("reference: matmul", "[unit][reference]") {
  std::vector<float> a{1, 2, 3, 4, 5, 6};     // [2, 3]
  std::vector<float> b{7, 8, 9, 10, 11, 12};  // [3, 2]
  std::vector<float> out(4, 0);
  lathe_view va = view_of(a, LATHE_F32, {2, 3}), vb = view_of(b, LATHE_F32, {3, 2});
  lathe_view vo = view_of(out, LATHE_F32, {2, 2});
  REQUIRE(ref()->matmul(0, &va, &vb, &vo) == LATHE_OK);
  CHECK(out == std::vector<float>{58, 64, 139, 154});

  SECTION("transposed operands and output") {
    // a^T viewed from b's storage: b is [3, 2], so b^T is [2, 3] = [[7, 9, 11], [8, 10, 12]]
    lathe_view bt = view_of(b, LATHE_F32, {2, 3}, {1, 2});
    lathe_view at = view_of(a, LATHE_F32, {3, 2}, {1, 3});  // [[1, 4], [2, 5], [3, 6]]
    std::vector<float> o(4, 0);
    lathe_view vot = view_of(o, LATHE_F32, {2, 2}, {1, 2});  // written column-major
    REQUIRE(ref()->matmul(0, &bt, &at, &vot) == LATHE_OK);
    // [[7*1+9*2+11*3, 7*4+9*5+11*6], [8*1+10*2+12*3, 8*4+10*5+12*6]] = [[58, 139], [64, 154]]
    CHECK(o == std::vector<float>{58, 64, 139, 154});
  }
  SECTION("batched with a broadcast (stride 0) operand") {
    std::vector<double> a2{1, 2, 3, 4};              // one [2, 2], broadcast over batch 2
    std::vector<double> b2{1, 0, 0, 1, 2, 0, 0, 2};  // [2, 2, 2]: identity, 2 * identity
    std::vector<double> o2(8, 0);
    lathe_view va2 = view_of(a2, LATHE_F64, {2, 2, 2}, {0, 2, 1});
    lathe_view vb2 = view_of(b2, LATHE_F64, {2, 2, 2});
    lathe_view vo2 = view_of(o2, LATHE_F64, {2, 2, 2});
    REQUIRE(ref()->matmul(0, &va2, &vb2, &vo2) == LATHE_OK);
    CHECK(o2 == std::vector<double>{1, 2, 3, 4, 2, 4, 6, 8});
  }
  SECTION("agrees with a naive double-accumulated loop") {
    const int m = 17, k = 13, n = 11;
    std::vector<float> x(m * k), y(k * n), z(m * n, 0);
    for (int i = 0; i < m * k; ++i) x[i] = std::sin(0.37f * static_cast<float>(i));
    for (int i = 0; i < k * n; ++i) y[i] = std::cos(0.91f * static_cast<float>(i));
    lathe_view vx = view_of(x, LATHE_F32, {m, k}), vy = view_of(y, LATHE_F32, {k, n});
    lathe_view vz = view_of(z, LATHE_F32, {m, n});
    REQUIRE(ref()->matmul(0, &vx, &vy, &vz) == LATHE_OK);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        double sum = 0;
        for (int p = 0; p < k; ++p) sum += static_cast<double>(x[i * k + p]) * y[p * n + j];
        CHECK(z[i * n + j] == static_cast<float>(sum));
      }
    }
  }
  SECTION("f16, bf16 and K = 0") {
    std::vector<uint16_t> ha = to_f16({1, 2, 3, 4, 5, 6}), hb = to_f16({7, 8, 9, 10, 11, 12});
    std::vector<uint16_t> ho(4, 0);
    lathe_view vha = view_of(ha, LATHE_F16, {2, 3}), vhb = view_of(hb, LATHE_F16, {3, 2});
    lathe_view vho = view_of(ho, LATHE_F16, {2, 2});
    REQUIRE(ref()->matmul(0, &vha, &vhb, &vho) == LATHE_OK);
    CHECK(ho == to_f16({58, 64, 139, 154}));

    std::vector<uint16_t> ba = to_bf16({1, 2, 3, 4, 5, 6}), bb = to_bf16({7, 8, 9, 10, 11, 12});
    std::vector<uint16_t> bo(4, 0);
    lathe_view vba = view_of(ba, LATHE_BF16, {2, 3}), vbb = view_of(bb, LATHE_BF16, {3, 2});
    lathe_view vbo = view_of(bo, LATHE_BF16, {2, 2});
    REQUIRE(ref()->matmul(0, &vba, &vbb, &vbo) == LATHE_OK);
    CHECK(bo == to_bf16({58, 64, 139, 154}));

    std::vector<float> e1, e2, zero(6, 9);
    lathe_view ve1 = view_of(e1, LATHE_F32, {2, 0}), ve2 = view_of(e2, LATHE_F32, {0, 3});
    lathe_view vzero = view_of(zero, LATHE_F32, {2, 3});
    REQUIRE(ref()->matmul(0, &ve1, &ve2, &vzero) == LATHE_OK);
    CHECK(zero == std::vector<float>(6, 0));
  }
  SECTION("errors") {
    std::vector<int32_t> i(6, 1), io(4, 0);
    lathe_view via = view_of(i, LATHE_I32, {2, 3}), vib = view_of(i, LATHE_I32, {3, 2});
    lathe_view vio = view_of(io, LATHE_I32, {2, 2});
    CHECK(ref()->matmul(0, &via, &vib, &vio) == LATHE_ERR_UNSUPPORTED);
    CHECK(ref()->matmul(0, &va, &va, &vo) == LATHE_ERR_INVALID);  // K mismatch
    CHECK(last_error().find("matmul") != std::string::npos);
    lathe_view v1 = view_of(a, LATHE_F32, {6});
    CHECK(ref()->matmul(0, &v1, &vb, &vo) == LATHE_ERR_INVALID);  // ndim
    std::vector<double> d(4, 0);
    lathe_view vd = view_of(d, LATHE_F64, {2, 2});
    CHECK(ref()->matmul(0, &va, &vb, &vd) == LATHE_ERR_INVALID);  // dtype
  }
}

TEST_CASE("reference: gather", "[unit][reference]") {
  std::vector<float> src{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // [2, 5]
  lathe_view vs = view_of(src, LATHE_F32, {2, 5});

  SECTION("along axis 1, index narrower than src") {
    std::vector<int64_t> idx{4, 0, 0, 2};  // [2, 2]
    std::vector<float> out(4, 0);
    lathe_view vi = view_of(idx, LATHE_I64, {2, 2}), vo = view_of(out, LATHE_F32, {2, 2});
    REQUIRE(ref()->gather(0, &vs, &vi, 1, &vo) == LATHE_OK);
    CHECK(out == std::vector<float>{5, 1, 6, 8});
  }
  SECTION("along axis 0 with a broadcast index and i64 data") {
    std::vector<int64_t> data{10, 11, 12, 20, 21, 22};  // [2, 3]
    std::vector<int64_t> idx{1};
    std::vector<int64_t> out(6, 0);
    lathe_view vd = view_of(data, LATHE_I64, {2, 3});
    lathe_view vi = view_of(idx, LATHE_I64, {2, 3}, {0, 0});
    lathe_view vo = view_of(out, LATHE_I64, {2, 3});
    REQUIRE(ref()->gather(0, &vd, &vi, 0, &vo) == LATHE_OK);
    CHECK(out == std::vector<int64_t>{20, 21, 22, 20, 21, 22});
  }
  SECTION("bool and transposed src") {
    std::vector<uint8_t> flags{1, 0, 0, 1};                      // [2, 2]
    lathe_view vf = view_of(flags, LATHE_BOOL, {2, 2}, {1, 2});  // transposed: [[1, 0], [0, 1]]
    std::vector<int64_t> idx{1, 1};
    std::vector<uint8_t> out(2, 9);
    lathe_view vi = view_of(idx, LATHE_I64, {2, 1}), vo = view_of(out, LATHE_BOOL, {2, 1});
    REQUIRE(ref()->gather(0, &vf, &vi, 1, &vo) == LATHE_OK);
    CHECK(out == std::vector<uint8_t>{0, 1});
  }
  SECTION("out-of-range index") {
    std::vector<int64_t> idx{1, 7};
    std::vector<float> out(2, 0);
    lathe_view vi = view_of(idx, LATHE_I64, {1, 2}), vo = view_of(out, LATHE_F32, {1, 2});
    CHECK(ref()->gather(0, &vs, &vi, 1, &vo) == LATHE_ERR_INDEX);
    CHECK(last_error() == "gather: index 7 is out of range for axis 1 of size 5");
    idx[1] = -1;
    CHECK(ref()->gather(0, &vs, &vi, 1, &vo) == LATHE_ERR_INDEX);
    CHECK(last_error().find("index -1") != std::string::npos);
  }
  SECTION("shape and dtype errors") {
    std::vector<int64_t> idx(6, 0);
    std::vector<float> out(6, 0);
    lathe_view vi = view_of(idx, LATHE_I64, {3, 2}), vo = view_of(out, LATHE_F32, {3, 2});
    CHECK(ref()->gather(0, &vs, &vi, 1, &vo) == LATHE_ERR_INVALID);  // 3 rows > 2
    lathe_view vi2 = view_of(idx, LATHE_I64, {2, 2}), vo3 = view_of(out, LATHE_F32, {2, 3});
    CHECK(ref()->gather(0, &vs, &vi2, 1, &vo3) == LATHE_ERR_INVALID);  // out shape != index
    std::vector<int32_t> idx32(4, 0);
    lathe_view vi32 = view_of(idx32, LATHE_I32, {2, 2}), vo2 = view_of(out, LATHE_F32, {2, 2});
    CHECK(ref()->gather(0, &vs, &vi32, 1, &vo2) == LATHE_ERR_INVALID);  // index not i64
    CHECK(ref()->gather(0, &vs, &vi2, 2, &vo2) == LATHE_ERR_INVALID);   // axis
    std::vector<double> d(4, 0);
    lathe_view vd = view_of(d, LATHE_F64, {2, 2});
    CHECK(ref()->gather(0, &vs, &vi2, 1, &vd) == LATHE_ERR_INVALID);  // out dtype
  }
}

TEST_CASE("reference: scatter_add", "[unit][reference]") {
  SECTION("duplicates accumulate along axis 1") {
    std::vector<float> dst(6, 1.0f);             // [2, 3]
    std::vector<int64_t> idx{0, 2, 0, 1, 1, 1};  // [2, 3]
    std::vector<float> src{1, 2, 3, 4, 5, 6};
    lathe_view vd = view_of(dst, LATHE_F32, {2, 3}), vi = view_of(idx, LATHE_I64, {2, 3});
    lathe_view vs = view_of(src, LATHE_F32, {2, 3});
    REQUIRE(ref()->scatter_add(0, &vd, &vi, &vs, 1) == LATHE_OK);
    CHECK(dst == std::vector<float>{5, 1, 3, 1, 16, 1});
  }
  SECTION("axis 0, src and dst larger than index, i64") {
    std::vector<int64_t> dst(6, 0);            // [3, 2]
    std::vector<int64_t> idx{2, 0};            // [1, 2]
    std::vector<int64_t> src{10, 20, 30, 40};  // [2, 2]
    lathe_view vd = view_of(dst, LATHE_I64, {3, 2}), vi = view_of(idx, LATHE_I64, {1, 2});
    lathe_view vs = view_of(src, LATHE_I64, {2, 2});
    REQUIRE(ref()->scatter_add(0, &vd, &vi, &vs, 0) == LATHE_OK);
    CHECK(dst == std::vector<int64_t>{0, 20, 0, 0, 10, 0});
  }
  SECTION("f16 and a strided dst") {
    std::vector<uint16_t> dst = to_f16({1, 0, 1, 0});  // every other element used
    std::vector<int64_t> idx{1, 1, 0};
    std::vector<uint16_t> src = to_f16({0.5f, 0.25f, 2.0f});
    lathe_view vd = view_of(dst, LATHE_F16, {2}, {2}), vi = view_of(idx, LATHE_I64, {3});
    lathe_view vs = view_of(src, LATHE_F16, {3});
    REQUIRE(ref()->scatter_add(0, &vd, &vi, &vs, 0) == LATHE_OK);
    CHECK(dst == to_f16({3, 0, 1.75f, 0}));
  }
  SECTION("out-of-range index leaves dst unchanged") {
    std::vector<float> dst(3, 1.0f);
    std::vector<int64_t> idx{0, 3};
    std::vector<float> src{5, 5};
    lathe_view vd = view_of(dst, LATHE_F32, {3}), vi = view_of(idx, LATHE_I64, {2});
    lathe_view vs = view_of(src, LATHE_F32, {2});
    CHECK(ref()->scatter_add(0, &vd, &vi, &vs, 0) == LATHE_ERR_INDEX);
    CHECK(last_error() == "scatter_add: index 3 is out of range for axis 0 of size 3");
    CHECK(dst == std::vector<float>(3, 1.0f));
    idx[1] = -2;
    CHECK(ref()->scatter_add(0, &vd, &vi, &vs, 0) == LATHE_ERR_INDEX);
    CHECK(dst == std::vector<float>(3, 1.0f));
  }
  SECTION("shape and dtype errors") {
    std::vector<float> dst(4, 0), src(2, 0);
    std::vector<int64_t> idx(4, 0);
    lathe_view vd = view_of(dst, LATHE_F32, {2, 2}), vi = view_of(idx, LATHE_I64, {2, 2});
    lathe_view vs_small = view_of(src, LATHE_F32, {1, 2});
    CHECK(ref()->scatter_add(0, &vd, &vi, &vs_small, 1) == LATHE_ERR_INVALID);  // src < index
    lathe_view vi_wide = view_of(idx, LATHE_I64, {1, 4}), vs_wide = view_of(idx, LATHE_F32, {1, 4});
    CHECK(ref()->scatter_add(0, &vd, &vi_wide, &vs_wide, 0) == LATHE_ERR_INVALID);  // off axis
    std::vector<double> d(4, 0);
    lathe_view vsd = view_of(d, LATHE_F64, {2, 2});
    CHECK(ref()->scatter_add(0, &vd, &vi, &vsd, 1) == LATHE_ERR_INVALID);  // dtype
    std::vector<uint8_t> flags(4, 0);
    lathe_view vb = view_of(flags, LATHE_BOOL, {2, 2});
    CHECK(ref()->scatter_add(0, &vb, &vi, &vb, 1) == LATHE_ERR_UNSUPPORTED);
  }
}

TEST_CASE("reference: stable sort", "[unit][reference]") {
  auto sort = [](const lathe_view& in, const lathe_view& values, const lathe_view& indices,
                 int32_t axis, int32_t descending) {
    return ref()->sort(0, &in, &values, &indices, axis, descending);
  };

  SECTION("ties keep input order, NaN is largest") {
    std::vector<float> x{3, NAN, 1, 3, -0.0f, NAN, 0.0f, 1};
    std::vector<float> values(8, 0);
    std::vector<int64_t> indices(8, -1);
    lathe_view vx = view_of(x, LATHE_F32, {8}), vv = view_of(values, LATHE_F32, {8});
    lathe_view vi = view_of(indices, LATHE_I64, {8});
    REQUIRE(sort(vx, vv, vi, 0, 0) == LATHE_OK);
    CHECK(indices == std::vector<int64_t>{4, 6, 2, 7, 0, 3, 1, 5});
    CHECK(values[0] == 0.0f);
    CHECK(std::signbit(values[0]));  // the -0.0 came first
    CHECK(values[3] == 1.0f);
    CHECK(values[5] == 3.0f);
    CHECK(std::isnan(values[6]));
    CHECK(std::isnan(values[7]));

    REQUIRE(sort(vx, vv, vi, 0, 1) == LATHE_OK);
    CHECK(indices == std::vector<int64_t>{1, 5, 0, 3, 2, 7, 4, 6});
    CHECK(std::isnan(values[0]));
    CHECK(values[2] == 3.0f);
    CHECK(values[7] == 0.0f);
  }
  SECTION("rows of a 2-d i64 view along either axis") {
    const int64_t big = int64_t{1} << 53;
    std::vector<int64_t> x{big + 1, big, 5, 2, 2, 9};  // [2, 3]
    std::vector<int64_t> values(6, 0), indices(6, -1);
    lathe_view vx = view_of(x, LATHE_I64, {2, 3}), vv = view_of(values, LATHE_I64, {2, 3});
    lathe_view vi = view_of(indices, LATHE_I64, {2, 3});
    REQUIRE(sort(vx, vv, vi, 1, 0) == LATHE_OK);
    CHECK(values == std::vector<int64_t>{5, big, big + 1, 2, 2, 9});
    CHECK(indices == std::vector<int64_t>{2, 1, 0, 0, 1, 2});
    REQUIRE(sort(vx, vv, vi, 0, 1) == LATHE_OK);
    CHECK(values == std::vector<int64_t>{big + 1, big, 9, 2, 2, 5});
    CHECK(indices == std::vector<int64_t>{0, 0, 1, 1, 1, 0});
  }
  SECTION("strided input, f64, i32, bf16, sort in place") {
    std::vector<double> x{4, -1, 2, -1, 1, -1};
    std::vector<double> values(3, 0);
    std::vector<int64_t> indices(3, -1);
    lathe_view vx = view_of(x, LATHE_F64, {3}, {2});  // 4, 2, 1
    lathe_view vv = view_of(values, LATHE_F64, {3}), vi = view_of(indices, LATHE_I64, {3});
    REQUIRE(sort(vx, vv, vi, 0, 0) == LATHE_OK);
    CHECK(values == std::vector<double>{1, 2, 4});
    CHECK(indices == std::vector<int64_t>{2, 1, 0});

    std::vector<int32_t> ints{3, -7, 3, 0};
    lathe_view vints = view_of(ints, LATHE_I32, {4});
    std::vector<int64_t> idx4(4, -1);
    lathe_view vi4 = view_of(idx4, LATHE_I64, {4});
    REQUIRE(sort(vints, vints, vi4, 0, 1) == LATHE_OK);  // values alias in
    CHECK(ints == std::vector<int32_t>{3, 3, 0, -7});
    CHECK(idx4 == std::vector<int64_t>{0, 2, 3, 1});

    std::vector<uint16_t> b = to_bf16({0.5f, -2.0f, 8.0f}), bv(3, 0);
    lathe_view vb = view_of(b, LATHE_BF16, {3}), vbv = view_of(bv, LATHE_BF16, {3});
    REQUIRE(sort(vb, vbv, vi, 0, 0) == LATHE_OK);
    CHECK(bv == to_bf16({-2.0f, 0.5f, 8.0f}));
    CHECK(indices == std::vector<int64_t>{1, 0, 2});
  }
  SECTION("errors") {
    std::vector<float> x(3, 0), v(3, 0);
    std::vector<int64_t> i(3, 0);
    std::vector<int32_t> i32(3, 0);
    lathe_view vx = view_of(x, LATHE_F32, {3}), vv = view_of(v, LATHE_F32, {3});
    lathe_view vi = view_of(i, LATHE_I64, {3}), vi32 = view_of(i32, LATHE_I32, {3});
    CHECK(sort(vx, vv, vi32, 0, 0) == LATHE_ERR_INVALID);
    CHECK(sort(vx, vv, vi, 1, 0) == LATHE_ERR_INVALID);
    lathe_view vshort = view_of(v, LATHE_F32, {2});
    CHECK(sort(vx, vshort, vi, 0, 0) == LATHE_ERR_INVALID);
    std::vector<uint8_t> flags(3, 0);
    lathe_view vb = view_of(flags, LATHE_BOOL, {3});
    CHECK(sort(vb, vb, vi, 0, 0) == LATHE_ERR_UNSUPPORTED);
  }
}

TEST_CASE("reference: rand follows Philox4x32-10", "[unit][reference]") {
  const uint64_t seed = 0x0123456789abcdefULL;

  SECTION("uniform f32 and f64, element k uses counter offset + k") {
    std::vector<float> f(6, 0);
    lathe_view vf = view_of(f, LATHE_F32, {2, 3});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, seed, 10, &vf, -1.0, 3.0) == LATHE_OK);
    for (uint64_t k = 0; k < 6; ++k) {
      uint32_t r[4];
      lathe_philox_draw(seed, 10 + k, r);
      const double u = static_cast<double>(r[0] >> 8) / 16777216.0;
      CHECK(f[k] == static_cast<float>(-1.0 + 4.0 * u));
      CHECK(f[k] >= -1.0f);
      CHECK(f[k] < 3.0f);
    }

    std::vector<double> d(4, 0);
    lathe_view vd = view_of(d, LATHE_F64, {4});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, seed, 0, &vd, 0.0, 1.0) == LATHE_OK);
    for (uint64_t k = 0; k < 4; ++k) {
      uint32_t r[4];
      lathe_philox_draw(seed, k, r);
      const uint64_t bits = ((static_cast<uint64_t>(r[0]) << 32) | r[1]) >> 11;
      CHECK(d[k] == static_cast<double>(bits) / 9007199254740992.0);
    }
  }
  SECTION("known Philox words for a fixed counter and key") {
    // Random123's known-answer test: philox4x32_10 with counter = key = 0.
    uint32_t r[4];
    lathe_philox_draw(0, 0, r);
    CHECK(r[0] == 0x6627e8d5u);
    CHECK(r[1] == 0xe169c58du);
    CHECK(r[2] == 0xbc57ac4cu);
    CHECK(r[3] == 0x9b00dbd8u);
    std::vector<double> d(1, 0);
    lathe_view vd = view_of(d, LATHE_F64, {});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, 0, 0, &vd, 0.0, 1.0) == LATHE_OK);
    CHECK(d[0] == static_cast<double>((0x6627e8d5e169c58dULL) >> 11) / 9007199254740992.0);
  }
  SECTION("normal") {
    std::vector<double> d(5, 0);
    lathe_view vd = view_of(d, LATHE_F64, {5});
    REQUIRE(ref()->rand(0, LATHE_RAND_NORMAL, seed, 3, &vd, 2.0, 0.5) == LATHE_OK);
    for (uint64_t k = 0; k < 5; ++k) {
      uint32_t r[4];
      lathe_philox_draw(seed, 3 + k, r);
      const double u1 = 1.0 - lathe_uniform53(r[0], r[1]);
      const double u2 = lathe_uniform53(r[2], r[3]);
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::acos(-1.0) * u2);
      CHECK(d[k] == Approx(2.0 + 0.5 * z).epsilon(1e-15));
    }
  }
  SECTION("deterministic, offset shifts the stream, strides do not matter") {
    std::vector<float> first(8, 0), again(8, 0), shifted(6, 0);
    lathe_view v1 = view_of(first, LATHE_F32, {8}), v2 = view_of(again, LATHE_F32, {8});
    lathe_view v3 = view_of(shifted, LATHE_F32, {6});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, 42, 0, &v1, 0.0, 1.0) == LATHE_OK);
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, 42, 0, &v2, 0.0, 1.0) == LATHE_OK);
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, 42, 2, &v3, 0.0, 1.0) == LATHE_OK);
    CHECK(first == again);
    CHECK(std::vector<float>(first.begin() + 2, first.end()) == shifted);

    // a transposed [2, 4] view: element k is still the k-th index of the shape, row-major
    std::vector<float> t(8, 0);
    lathe_view vt = view_of(t, LATHE_F32, {2, 4}, {1, 2});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, 42, 0, &vt, 0.0, 1.0) == LATHE_OK);
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 4; ++j) CHECK(t[i + 2 * j] == first[i * 4 + j]);
    }
  }
  SECTION("f16 and bf16 round the 24-bit draw") {
    std::vector<uint16_t> h(3, 0), b(3, 0);
    lathe_view vh = view_of(h, LATHE_F16, {3}), vb = view_of(b, LATHE_BF16, {3});
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, seed, 0, &vh, 0.0, 1.0) == LATHE_OK);
    REQUIRE(ref()->rand(0, LATHE_RAND_UNIFORM, seed, 0, &vb, 0.0, 1.0) == LATHE_OK);
    for (uint64_t k = 0; k < 3; ++k) {
      uint32_t r[4];
      lathe_philox_draw(seed, k, r);
      const float u = static_cast<float>(lathe_uniform24(r));
      CHECK(h[k] == lathe_f32_to_f16(u));
      CHECK(b[k] == lathe_f32_to_bf16(u));
    }
  }
  SECTION("errors") {
    std::vector<int32_t> i(2, 0);
    lathe_view vi = view_of(i, LATHE_I32, {2});
    CHECK(ref()->rand(0, LATHE_RAND_UNIFORM, 1, 0, &vi, 0.0, 1.0) == LATHE_ERR_UNSUPPORTED);
    std::vector<float> f(2, 0);
    lathe_view vf = view_of(f, LATHE_F32, {2});
    CHECK(ref()->rand(1, LATHE_RAND_UNIFORM, 1, 0, &vf, 0.0, 1.0) == LATHE_ERR_DEVICE);
  }
}

TEST_CASE("reference: special unary ops and ATAN2, HYPOT", "[unit][reference]") {
  CHECK(unary_f32(LATHE_UNARY_LOG1P, 1e-10f) == static_cast<float>(std::log1p(1e-10)));
  CHECK(unary_f32(LATHE_UNARY_EXPM1, 1e-10f) == static_cast<float>(std::expm1(1e-10)));
  CHECK(unary_f32(LATHE_UNARY_ACOSH, 1.0f) == 0.0f);
  CHECK(unary_f32(LATHE_UNARY_LGAMMA, 0.0f) == INFINITY);
  CHECK(unary_f32(LATHE_UNARY_DIGAMMA, 1.0f) == Approx(-0.5772156649).epsilon(1e-7));
  // POLYGAMMA takes its order in a
  CHECK(unary_f32(LATHE_UNARY_POLYGAMMA, 1.0f, 1.0) == Approx(1.6449340668).epsilon(1e-7));
  CHECK(unary_f32(LATHE_UNARY_POLYGAMMA, 1.0f, 2.0) == Approx(-2.4041138063).epsilon(1e-7));
  CHECK(unary_f32(LATHE_UNARY_ERFINV, -1.0f) == -INFINITY);
  CHECK(unary_f32(LATHE_UNARY_ROUND, 2.5f) == 2.0f);
  CHECK(unary_f32(LATHE_UNARY_ROUND, 3.5f) == 4.0f);
  CHECK(unary_f32(LATHE_UNARY_TRUNC, -1.7f) == -1.0f);
  CHECK(binary_f64(LATHE_BINARY_ATAN2, 0.0, -1.0) == Approx(3.14159265358979).epsilon(1e-15));
  CHECK(binary_f64(LATHE_BINARY_HYPOT, 3e300, 4e300) == Approx(5e300).epsilon(1e-15));
  std::vector<int64_t> ints{1, 2};
  lathe_view vi = view_of(ints, LATHE_I64, {2});
  CHECK(binary(LATHE_BINARY_ATAN2, vi, vi, vi) == LATHE_ERR_UNSUPPORTED);
  CHECK(binary(LATHE_BINARY_HYPOT, vi, vi, vi) == LATHE_ERR_UNSUPPORTED);
  CHECK(unary(LATHE_UNARY_FLOOR, vi, vi) == LATHE_ERR_UNSUPPORTED);
  CHECK(last_error().find("FLOOR") != std::string::npos);
}
