// Index errors name the op the caller used (issue 15): "[index_select] index 7 out of range
// [0, 5)", not the inner gather and not a backend's own wording, on every backend built here.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "lathe.h"

using namespace lathe;
using Catch::StartsWith;

namespace {

std::vector<Device> host_devices() {
  std::vector<Device> out;
  for (const char* name : {"reference", "cpu"})
    if (find_backend(name)) out.push_back(Device::parse(name));
  return out;
}

}  // namespace

TEST_CASE("a bad index names the op: gather scatter_add index_select Embedding",
          "[unit][hardening]") {
  for (Device d : host_devices()) {
    INFO(d);
    Tensor x = arange(0.0, 10.0, 1.0, DType::f32, d).reshape({5, 2});  // [5, 2]
    Tensor bad = from_vector(std::vector<int64_t>{0, 7, 2}, {3}, d);
    Tensor neg = from_vector(std::vector<int64_t>{-1, 0, 1}, {3}, d);
    CHECK_THROWS_WITH(index_select(x, bad, 0),
                      StartsWith("[index_select] index 7 out of range [0, 5)"));
    CHECK_THROWS_WITH(index_select(x, neg, 0),
                      StartsWith("[index_select] index -1 out of range [0, 5)"));
    CHECK_THROWS_WITH(index_select(x, bad.to(DType::i32), 1),
                      StartsWith("[index_select] index 7 out of range [0, 2)"));
    Tensor idx2 = from_vector(std::vector<int64_t>{0, 1, 5, 0}, {2, 2}, d);
    CHECK_THROWS_WITH(gather(x, idx2, 0), StartsWith("[gather] index 5 out of range [0, 5)"));
    CHECK_THROWS_WITH(scatter_add(x, idx2, ones({2, 2}, DType::f32, d), 0),
                      StartsWith("[scatter_add] index 5 out of range [0, 5)"));
    // In range, the same calls work and give the right rows.
    Tensor ok = from_vector(std::vector<int64_t>{4, 0}, {2}, d);
    CHECK(index_select(x, ok, 0).to_vector<float>() == std::vector<float>{8, 9, 0, 1});
  }
  nn::Embedding e(5, 3);
  CHECK_THROWS_WITH(e.forward(from_vector(std::vector<int64_t>{1, 9}, {2})),
                    StartsWith("[Embedding] index 9 out of range [0, 5)"));
}

TEST_CASE("cross_entropy names a target out of range as its own", "[unit][hardening]") {
  // Before: "[softmax_cross_entropy] ... label 7 in row 1 is out of range" (the fused kernel).
  for (Device d : host_devices()) {
    INFO(d);
    Tensor z = zeros({3, 4}, DType::f32, d);
    Tensor y = from_vector(std::vector<int64_t>{1, 7, -100}, {3}, d);
    CHECK_THROWS_WITH(cross_entropy(z, y),
                      StartsWith("[cross_entropy] target 7 out of range [0, 4)"));
    CrossEntropyOptions o;
    o.weight = ones({4}, DType::f32, d);
    CHECK_THROWS_WITH(cross_entropy(z, from_vector(std::vector<int64_t>{-3, 0, 0}, {3}, d), o),
                      StartsWith("[cross_entropy] target -3 out of range [0, 4)"));
    // Ignored rows are not out of range; every row ignored gives 0 and zero gradients.
    Tensor zg = zeros({3, 4}, DType::f32, d).requires_grad_();
    Tensor all_ignored = full({3}, -100.0, DType::i64, d);
    Tensor loss = cross_entropy(zg, all_ignored);
    loss.backward();
    CHECK(loss.item() == 0.0);
    CHECK(zg.grad().to_vector<float>() == std::vector<float>(12, 0.0f));
  }
}
