// Tensors: factories, views sharing storage, layout, dtypes, in-place ops, host access, printing.
#include <catch2/catch.hpp>

#include "backends/half.h"
#include "lathe.h"

using namespace lathe;

namespace {
std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }
Tensor iota(Shape shape, DType dtype = DType::f64) {
  return arange(0.0, static_cast<double>(numel(shape)), 1.0, dtype).reshape(shape);
}
}  // namespace

TEST_CASE("factories fill shape, dtype and values", "[unit][tensor]") {
  Tensor z = zeros({2, 3});
  CHECK(z.shape() == Shape{2, 3});
  CHECK(z.dtype() == DType::f32);
  CHECK(z.device() == default_device());
  CHECK(values(z) == std::vector<double>(6, 0.0));
  CHECK(values(full({2}, 2.5, DType::f64)) == std::vector<double>{2.5, 2.5});
  CHECK(values(arange(0.0, 1.0, 0.25, DType::f64)) == std::vector<double>{0, 0.25, 0.5, 0.75});
  CHECK(arange(5).dtype() == DType::i64);
  CHECK(arange(5).to_vector<int64_t>() == std::vector<int64_t>{0, 1, 2, 3, 4});
  CHECK(scalar(3.0).dim() == 0);
  CHECK(scalar(3.0).item() == 3.0);
  CHECK(values(ones_like(z)) == std::vector<double>(6, 1.0));
  CHECK(zeros({0, 4}).numel() == 0);
}

TEST_CASE("from_blob wraps caller memory without copying", "[unit][tensor]") {
  std::vector<float> data = {1, 2, 3, 4, 5, 6};
  bool released = false;
  {
    Tensor t = from_blob(data.data(), {2, 3}, DType::f32, Device::reference(),
                         [&](void*) { released = true; });
    data[4] = 50;
    CHECK(t.to_vector<float>()[4] == 50);
    Tensor col = from_blob(data.data(), {2}, DType::f32, Device::reference(), nullptr, {3});
    CHECK(col.to_vector<float>() == std::vector<float>{1, 4});
  }
  CHECK(released);
}

TEST_CASE("views share storage and version, reshape copies only when it must", "[unit][tensor]") {
  Tensor x = iota({2, 3});
  Tensor t = x.t();
  CHECK(t.shape() == Shape{3, 2});
  CHECK_FALSE(t.is_contiguous());
  CHECK(values(t) == std::vector<double>{0, 3, 1, 4, 2, 5});
  CHECK(t.impl()->storage == x.impl()->storage);

  Tensor flat = x.reshape({6});  // contiguous: a view
  CHECK(flat.impl()->storage == x.impl()->storage);
  Tensor tflat = t.reshape({6});  // transposed: must copy
  CHECK(tflat.impl()->storage != x.impl()->storage);
  CHECK(values(tflat) == std::vector<double>{0, 3, 1, 4, 2, 5});

  Tensor row = x.select(0, 1);
  CHECK(values(row) == std::vector<double>{3, 4, 5});
  uint64_t v = x.version();
  row.fill_(9);
  CHECK(x.version() == v + 1);
  CHECK(values(x) == std::vector<double>{0, 1, 2, 9, 9, 9});
}

TEST_CASE("view ops compose: slice, narrow, expand, squeeze, unsqueeze, flatten", "[unit][tensor]") {
  Tensor x = iota({4, 5});
  CHECK(values(x.slice(1, 1, kEnd, 2)) == std::vector<double>{1, 3, 6, 8, 11, 13, 16, 18});
  CHECK(values(x.slice(0, -1)) == std::vector<double>{15, 16, 17, 18, 19});
  CHECK(x.slice(0, 3, 1).shape() == Shape{0, 5});  // empty, like Python
  CHECK(values(x.narrow(1, 3, 2).narrow(0, 2, 1)) == std::vector<double>{13, 14});
  Tensor e = iota({3, 1}).expand({2, 3, 4});
  CHECK(e.shape() == Shape{2, 3, 4});
  CHECK(e.strides()[0] == 0);
  CHECK(values(e.select(0, 1).select(0, 2)) == std::vector<double>{2, 2, 2, 2});
  CHECK(iota({3, 1, 2, 1}).squeeze().shape() == Shape{3, 2});
  CHECK(iota({3, 1, 2, 1}).squeeze({-1}).shape() == Shape{3, 1, 2});
  CHECK(iota({3, 2}).unsqueeze(1).shape() == Shape{3, 1, 2});
  CHECK(iota({2, 3, 4}).flatten(1).shape() == Shape{2, 12});
  CHECK(values(iota({2, 3}).permute({1, 0}).contiguous()) == std::vector<double>{0, 3, 1, 4, 2, 5});
}

TEST_CASE("dtype promotion follows PyTorch's order", "[unit][tensor]") {
  CHECK(promote(DType::f32, DType::f64) == DType::f64);
  CHECK(promote(DType::i64, DType::f16) == DType::f16);
  CHECK(promote(DType::f16, DType::bf16) == DType::f32);
  CHECK(promote(DType::boolean, DType::i32) == DType::i32);
  Tensor i = arange(4);
  CHECK((i + 1.0).dtype() == DType::i64);
  CHECK((i * 0.5).dtype() == DType::f32);  // a fractional scalar promotes integers
  CHECK((i / i.to(DType::f64)).dtype() == DType::f64);
  CHECK(div(arange(1.0, 3.0), arange(1.0, 3.0)).dtype() == DType::f32);  // true division
  CHECK(sum(gt(i, 1.0)).to_vector<int64_t>() == std::vector<int64_t>{2});
}

TEST_CASE("f16 and bf16 store halves and compute in f32", "[unit][tensor]") {
  Tensor x = from_vector(std::vector<double>{0.1, 1.5, -3.14159, 65504.0}, {4}, DType::f16);
  CHECK(x.dtype() == DType::f16);
  std::vector<double> got = values(x);
  CHECK(got[0] == lathe_f16_to_f32(lathe_f32_to_f16(0.1f)));
  CHECK(got[2] == Approx(-3.140625));
  CHECK(got[3] == 65504.0);
  Tensor b = from_vector(std::vector<double>{1, 2, 3}, {3}, DType::bf16);
  CHECK(values(sum(b * b)) == std::vector<double>{14});
  CHECK((b + 1.0).dtype() == DType::bf16);
}

TEST_CASE("in-place ops broadcast into the destination and bump the version", "[unit][tensor]") {
  Tensor x = zeros({2, 3}, DType::f64);
  uint64_t v0 = x.version();
  x.add_(from_vector(std::vector<double>{1, 2, 3}, {3}));
  x.mul_(2.0);
  CHECK(values(x) == std::vector<double>{2, 4, 6, 2, 4, 6});
  CHECK(x.version() == v0 + 2);
  x.sub_(ones({2, 1}, DType::f64)).div_(from_vector(std::vector<double>{1, 3, 5}, {3}));
  CHECK(values(x) == std::vector<double>{1, 1, 1, 1, 1, 1});
  x.copy_(iota({3}));
  CHECK(values(x) == std::vector<double>{0, 1, 2, 0, 1, 2});
  CHECK_THROWS_WITH(x.add_(ones({4}, DType::f64)),
                    Catch::Contains("[add_]") && Catch::Contains("[4]"));
}

TEST_CASE("host access converts and checks", "[unit][tensor]") {
  Tensor x = from_vector(std::vector<double>{1.7, -2.2}, {2});
  CHECK(x.to_vector<int64_t>() == std::vector<int64_t>{1, -2});  // truncation toward zero
  CHECK(x.to_vector<bool>() == std::vector<bool>{true, true});
  CHECK(from_vector(std::vector<bool>{true, false}, {2}).to_vector<float>() ==
        std::vector<float>{1, 0});
  CHECK_THROWS_WITH(x.item(), Catch::Contains("[item]") && Catch::Contains("[2]"));
  CHECK_THROWS_WITH(from_vector(std::vector<float>{1, 2, 3}, {2, 2}),
                    Catch::Contains("[from_vector]"));
}

TEST_CASE("printing looks like PyTorch", "[unit][tensor]") {
  Tensor x = from_vector(std::vector<double>{1.5, -2, 0.25, 3}, {2, 2}, DType::f32,
                         Device::reference());
  CHECK(to_string(x) ==
        "tensor([[ 1.5000, -2.0000],\n"
        "        [ 0.2500,  3.0000]], dtype=f32, device=reference)");
  CHECK(to_string(arange(3, DType::i64, Device::reference())) ==
        "tensor([0, 1, 2], dtype=i64, device=reference)");
  Tensor g = from_vector(std::vector<double>{1}, {1}, DType::f64, Device::reference())
                 .requires_grad_();
  CHECK(to_string(g * 2.0).find("grad_fn=<mul>") != std::string::npos);
  std::string big = to_string(zeros({2000}, DType::f32, Device::reference()));
  CHECK(big.find("...") != std::string::npos);
  CHECK(big.size() < 200);
}

TEST_CASE("bad inputs raise errors naming the op and the shapes", "[unit][errors]") {
  Tensor a = zeros({2, 3}), b = zeros({4});
  CHECK_THROWS_WITH(a + b, Catch::Contains("[add]") && Catch::Contains("[2, 3]") &&
                               Catch::Contains("[4]"));
  CHECK_THROWS_WITH(matmul(a, zeros({2, 2})),
                    Catch::Contains("[matmul]") && Catch::Contains("[2, 3]"));
  CHECK_THROWS_WITH(exp(arange(3)), Catch::Contains("[exp]") && Catch::Contains("i64"));
  Tensor idx = from_vector(std::vector<int64_t>{0, 5}, {1, 2});
  CHECK_THROWS_WITH(gather(a, idx, 1), Catch::Contains("[gather]") && Catch::Contains("5"));
  CHECK_THROWS_WITH(gather(a, zeros({1, 2}), 1), Catch::Contains("[gather]"));
  CHECK_THROWS_WITH(sum(a, {2}), Catch::Contains("[sum]") && Catch::Contains("axis 2"));
  CHECK_THROWS_WITH(a.reshape({4}), Catch::Contains("[reshape]") && Catch::Contains("[2, 3]"));
  CHECK_THROWS_WITH(a.expand({3, 3}), Catch::Contains("[expand]"));
  CHECK_THROWS_WITH(where(a, a, a), Catch::Contains("[where]") && Catch::Contains("bool"));
  CHECK_THROWS_WITH(concat({a, b}), Catch::Contains("[concat]"));
  CHECK_THROWS_WITH(one_hot(from_vector(std::vector<int64_t>{0, 4}, {2}), 3),
                    Catch::Contains("[one_hot]"));
  CHECK_THROWS_WITH(scatter_add(a, zeros({2, 3}, DType::i64), zeros({2, 2}), 0),
                    Catch::Contains("[scatter_add]"));
  CHECK_THROWS_WITH(permute(a, {0, 0}), Catch::Contains("[permute]"));
  CHECK_THROWS_WITH(pad(a, {1}), Catch::Contains("[pad]"));
  CHECK_THROWS_WITH(dropout(a, 1.5), Catch::Contains("[dropout]"));
  CHECK_THROWS_WITH(arange(3).requires_grad_(), Catch::Contains("[requires_grad_]"));
}
