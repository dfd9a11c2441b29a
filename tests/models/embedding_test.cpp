// nn::Embedding: lookups on index tensors of any shape, gradients that accumulate over repeated
// indices, the padding row (returned as stored, never updated), initialization and errors.
#include "models/embedding.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "lathe.h"
#include "tests/models/helpers.h"
#include "tests/support/runners.h"

using namespace lathe;
using namespace lathe::nn;
using namespace lathe::test;
using namespace lathe::test::models;

namespace {
// weight[i][j] = 10 i + j, for 5 rows of 3.
void set_table(Embedding& e) {
  std::vector<double> w;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 3; ++j) w.push_back(10.0 * i + j);
  e.load_state_dict({{"weight", from_vector(w, {5, 3})}});
}

Tensor ids(std::vector<int64_t> v, Shape shape) { return from_vector(v, shape); }
}  // namespace

TEST_CASE("Embedding looks up rows for index tensors of any shape", "[unit][module][layers]") {
  Embedding e(5, 3, std::nullopt, DType::f64);
  CHECK(names(e.named_parameters()) == std::vector<std::string>{"weight"});
  CHECK(e.weight.shape() == Shape{5, 3});
  CHECK(e.weight.requires_grad());
  set_table(e);

  Tensor y = e.forward(ids({0, 4, 2, 2}, {2, 2}));
  CHECK(y.shape() == Shape{2, 2, 3});
  CHECK(y.to_vector<double>() ==
        std::vector<double>{0, 1, 2, 40, 41, 42, 20, 21, 22, 20, 21, 22});
  // i32 indices give the same rows; a 0-d index gives one row; an empty index no rows.
  CHECK(e.forward(cast(ids({0, 4, 2, 2}, {2, 2}), DType::i32)).to_vector<double>() ==
        y.to_vector<double>());
  Tensor one = e.forward(ids({3}, {}));
  CHECK(one.shape() == Shape{3});
  CHECK(one.to_vector<double>() == std::vector<double>{30, 31, 32});
  CHECK(e.forward(ids({}, {0, 2})).shape() == Shape{0, 2, 3});
  // A 3-d index tensor: index [1, 1, 0] is 2.
  Tensor y3 = e.forward(ids({1, 0, 3, 4, 1, 1, 2, 0}, {2, 2, 2}));
  CHECK(y3.shape() == Shape{2, 2, 2, 3});
  CHECK(y3.select(0, 1).select(0, 1).select(0, 0).to_vector<double>() ==
        std::vector<double>{20, 21, 22});
}

TEST_CASE("Embedding gradients accumulate over repeated indices", "[unit][module][layers]") {
  Embedding e(5, 3, std::nullopt, DType::f64);
  Tensor idx = ids({2, 0, 2, 2}, {4});
  Tensor seed = from_vector(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {4, 3});
  e.forward(idx).backward(seed);
  // Row 2 is used three times (seed rows 0, 2, 3), row 0 once (seed row 1), the rest never.
  std::vector<double> want{4,          5,          6,           // row 0
                           0,          0,          0,           // row 1
                           1 + 7 + 10, 2 + 8 + 11, 3 + 9 + 12,  // row 2
                           0,          0,          0,           // row 3
                           0,          0,          0};          // row 4
  CHECK(e.weight.grad().to_vector<double>() == want);
}

TEST_CASE("Embedding's padding row starts at zero and gets no gradient",
          "[unit][module][layers]") {
  Embedding fresh(5, 3, 2, DType::f64);
  CHECK(fresh.padding_idx == 2);
  CHECK(fresh.weight.select(0, 2).to_vector<double>() == std::vector<double>{0, 0, 0});
  CHECK(max(abs(fresh.weight.select(0, 1))).item() > 0);
  CHECK(Embedding(5, 3, -1).padding_idx == 4);  // counted from the end, as in PyTorch

  // With a non-zero padding row (a loaded checkpoint), the row is returned as stored.
  Embedding e(5, 3, 2, DType::f64);
  set_table(e);
  Tensor y = e.forward(ids({2, 1, 2, 4}, {2, 2}));
  CHECK(y.to_vector<double>() ==
        std::vector<double>{20, 21, 22, 10, 11, 12, 20, 21, 22, 40, 41, 42});
  y.backward(ones({2, 2, 3}, DType::f64) * 2.0);
  CHECK(e.weight.grad().to_vector<double>() ==
        std::vector<double>{0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2, 2, 2});
}

TEST_CASE("Embedding weights are drawn from N(0, 1)", "[unit][module][layers]") {
  Embedding e(2000, 8);
  CHECK(e.weight.dtype() == DType::f32);
  CHECK(e.weight.device() == default_device());
  double m = mean(e.weight).item();
  double sd = std::sqrt(mean(pow(e.weight - m, 2.0)).item());
  CHECK(std::fabs(m) < 0.03);
  CHECK(std::fabs(sd - 1.0) < 0.03);
}

TEST_CASE("Embedding: bad indices and arguments name the layer", "[unit][module][layers][errors]") {
  Embedding e(5, 3);
  CHECK_THROWS_WITH(e.forward(ids({0, 5}, {2})),
                    Catch::StartsWith("[Embedding] index 5 out of range [0, 5)"));
  CHECK_THROWS_WITH(e.forward(ids({-1, 2}, {2})),
                    Catch::StartsWith("[Embedding] index -1 out of range [0, 5)"));
  CHECK_THROWS_WITH(e.forward(zeros({2}, DType::f32)),
                    Catch::Contains("[Embedding] indices must be i64 or i32, got f32"));
  CHECK_THROWS_WITH(Embedding(0, 3), Catch::Contains("[Embedding] num_embeddings"));
  CHECK_THROWS_WITH(Embedding(5, 3, 5), Catch::Contains("[Embedding] padding_idx 5 out of range"));
  CHECK_THROWS_WITH(Embedding(5, 3, -6), Catch::Contains("[Embedding] padding_idx -6"));
}
