// Hostile sizes and files (issue 15): overflowing shapes, huge slice bounds and attributes,
// zero-size extents, .npy headers numpy would refuse, safetensors headers built to blow the
// stack or the error message. Each case is a reproducer that crashed, hung, wrapped or was read
// differently from numpy before the fix; each must now be a lathe::Error naming the op (or, for
// slice, PyTorch's clamping).
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/checked.h"
#include "lathe.h"

using namespace lathe;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  fs::path dir = fs::path(LATHE_BINARY_DIR) / "hardening_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A version 1.0 .npy file with this header dict and `data` after it.
std::string npy_bytes(const std::string& dict, const std::string& data) {
  std::string header = dict;
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

std::string safetensors_bytes(const std::string& header, const std::string& data) {
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

const int64_t k62 = int64_t{1} << 62;

}  // namespace

TEST_CASE("checked size arithmetic refuses overflow and names the op", "[unit][hardening]") {
  CHECK(checked_mul(int64_t{1} << 31, int64_t{1} << 31, "t") == int64_t{1} << 62);
  CHECK_THROWS_WITH(checked_mul(k62, 4, "myop"),
                    Catch::StartsWith("[myop]") && Catch::Contains("overflows"));
  CHECK_THROWS_WITH(checked_add(INT64_MAX, 1, "myop"), Catch::StartsWith("[myop]"));
  CHECK(checked_numel({3, 0, k62, k62}, "t") == 0);  // an empty extent wins, as in PyTorch
  CHECK_THROWS_WITH(checked_numel({k62, 4}, "myop"),
                    Catch::StartsWith("[myop]") && Catch::Contains("[4611686018427387904, 4]"));
  CHECK_THROWS_WITH(checked_numel({2, -1}, "myop"), Catch::Contains("negative extent"));
  CHECK_THROWS_WITH(checked_nbytes({int64_t{1} << 61, 1}, 8, "myop"),
                    Catch::StartsWith("[myop]") && Catch::Contains("bytes"));
  CHECK_THROWS_WITH(numel(Shape{k62, 4}), Catch::StartsWith("[shape]"));
}

TEST_CASE("an overflowing or oversized shape is an error, not a 0-element tensor",
          "[unit][hardening]") {
  // Before: numel wrapped to 0, zeros() returned an empty tensor and sum() of it segfaulted.
  CHECK_THROWS_WITH(zeros({k62, 4}), Catch::StartsWith("[empty]") &&
                                         Catch::Contains("4611686018427387904"));
  // Fits in int64 but not in memory: the allocation ceiling (default: physical memory).
  CHECK(max_alloc_bytes() > 0);
  CHECK_THROWS_WITH(zeros({int64_t{1} << 50}), Catch::StartsWith("[empty]") &&
                                                   Catch::Contains("LATHE_MAX_ALLOC"));
  CHECK(zeros({0, k62}).numel() == 0);  // empty tensors stay fine
  CHECK(sum(zeros({0, k62})).item() == 0.0);
}

TEST_CASE("expand, reshape and flatten refuse shapes whose size overflows", "[unit][hardening]") {
  Tensor x = zeros({1, 1});
  CHECK_THROWS_WITH(expand(x, {k62, 4}), Catch::StartsWith("[expand]"));
  CHECK_THROWS_WITH(expand(x, {k62, k62, 1, 1}), Catch::StartsWith("[expand]"));
  Tensor big = expand(x, {k62, 1});  // legal: a stride-0 view of 2^62 elements
  CHECK(big.numel() == k62);
  CHECK_THROWS_WITH(expand(big, {4, k62, 1}), Catch::StartsWith("[expand]"));
  CHECK_THROWS_WITH(reshape(zeros({4}), {k62, 4, -1}), Catch::StartsWith("[reshape]"));
  CHECK_THROWS_WITH(reshape(zeros({0}), {k62, k62, 0}), Catch::Contains("[reshape]"));
  CHECK(reshape(zeros({0}), {k62, 0}).shape() == Shape{k62, 0});
  CHECK(reshape(zeros({6}), {-1, 3}).shape() == Shape{2, 3});
}

TEST_CASE("slice clamps huge bounds and steps like PyTorch, narrow refuses them",
          "[unit][hardening]") {
  Tensor x = arange(0.0, 10.0, 1.0, DType::f64);
  CHECK(slice(x, 0, INT64_MAX - 1, kEnd).numel() == 0);
  CHECK(slice(x, 0, k62, kEnd, k62).numel() == 0);
  CHECK(slice(x, 0, -k62, k62).to_vector<double>() == x.to_vector<double>());
  // A step near 2^63: (end - start + step - 1) / step overflowed to an empty result.
  CHECK(slice(x, 0, 2, kEnd, INT64_MAX).to_vector<double>() == std::vector<double>{2});
  CHECK(slice(x, 0, 1, 8, 3).to_vector<double>() == std::vector<double>{1, 4, 7});
  CHECK_THROWS_WITH(slice(x, 0, 0, 5, 0), Catch::StartsWith("[slice]"));
  // narrow: start + length overflowed and passed the bounds check.
  CHECK_THROWS_WITH(narrow(x, 0, 2, INT64_MAX), Catch::StartsWith("[narrow]"));
  CHECK_THROWS_WITH(narrow(x, 0, k62, 1), Catch::StartsWith("[narrow]"));
  CHECK_THROWS_WITH(narrow(x, 0, -k62, 1), Catch::StartsWith("[narrow]"));
  CHECK(narrow(x, 0, 10, 0).numel() == 0);
  CHECK(narrow(x, 0, -3, 2).to_vector<double>() == std::vector<double>{7, 8});
  // pad: the padded extent overflowed.
  CHECK_THROWS_WITH(pad(x, {INT64_MAX, 1}), Catch::StartsWith("[pad]"));
  CHECK_THROWS_WITH(pad(x, {k62, k62}), Catch::StartsWith("[pad]"));
}

TEST_CASE("zero-size extents run through every elementwise loop", "[unit][hardening]") {
  // Before: the cpu backend's loop divided by the zero extent of an outer dim.
  for (const char* name : {"reference", "cpu"}) {
    if (!find_backend(name)) continue;
    Device d = Device::parse(name);
    Tensor a = zeros({0, 3}, DType::f32, d), b = ones({2, 0, 3}, DType::f32, d);
    CHECK((a + b).shape() == Shape{2, 0, 3});
    CHECK(exp(b).shape() == Shape{2, 0, 3});
    CHECK(sum(b, {1}).to_vector<double>() == std::vector<double>(6, 0.0));
    Tensor c = zeros({3, 0}, DType::f32, d).t();
    CHECK(c.contiguous().shape() == Shape{0, 3});
  }
}

TEST_CASE("size attributes that overflowed or hung are refused or bounded", "[unit][hardening]") {
  Tensor x = ones({2, 3, 4, 4}, DType::f64);
  // evonorm_s0 decremented groups = 2^62 one at a time until it divided C (a hang).
  Tensor v = ones({1, 3, 1, 1}, DType::f64), w = ones({1, 3, 1, 1}, DType::f64),
         b = zeros({1, 3, 1, 1}, DType::f64);
  Tensor y = evonorm_s0(x, w, b, v, k62, 1e-5, true);
  CHECK(y.shape() == x.shape());
  // one_hot with num_classes = 2^40 built a 2^40-value arange first (a runaway allocation).
  Tensor labels = from_vector(std::vector<int64_t>{0, 1}, {2});
  CHECK_THROWS_WITH(one_hot(labels, int64_t{1} << 40), Catch::StartsWith("[one_hot]") &&
                                                           Catch::Contains("LATHE_MAX_ALLOC"));
  CHECK_THROWS_WITH(one_hot(labels, k62), Catch::StartsWith("[one_hot]"));
  CHECK_THROWS_WITH(arange(0.0, 1e300, 1.0), Catch::StartsWith("[arange]"));
  CHECK_THROWS_WITH(arange(0.0, 1.0, 1e-300), Catch::StartsWith("[arange]"));
  // KAN: 2 * k + 2 overflowed for a huge spline order.
  Tensor xin = zeros({2, 3}, DType::f64), grid = kan_grid(3, 5, 3, -1, 1, DType::f64);
  CHECK_THROWS_WITH(bspline_basis(xin, grid, INT64_MAX / 2 + 1),
                    Catch::StartsWith("[bspline_basis]"));
  CHECK_THROWS_WITH(kan_grid(3, INT64_MAX, 3, -1, 1, DType::f64), Catch::StartsWith("[kan_grid]"));
  Tensor low = zeros({3, 8}, DType::f64), high = ones({3, 8}, DType::f64);
  CHECK_THROWS_WITH(relu_kan_basis(xin, low, high, INT64_MAX, 1),
                    Catch::StartsWith("[relu_kan_basis]"));
}

TEST_CASE("npy: a header claiming more than the file holds is refused before allocating",
          "[unit][hardening][npy]") {
  std::string dir = fresh_dir("npy_sizes");
  auto expect_error = [&](const std::string& name, const std::string& bytes,
                          const std::string& what) {
    std::string path = dir + "/" + name + ".npy";
    write_bytes(path, bytes);
    INFO(name);
    CHECK_THROWS_WITH(load_npy(path), Catch::StartsWith("[npy]") && Catch::Contains(path) &&
                                          Catch::Contains(what));
  };
  // The reproducer: 128 bytes claiming shape (2^62,); the byte count wrapped to 0 and the copy
  // of 2^62 elements segfaulted.
  std::string claim = npy_bytes(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }", "");
  CHECK(claim.size() == 128);
  expect_error("2_62", claim, "needs more data");
  // 2 GB claimed by a small file: refused without allocating 2 GB.
  expect_error("2gb", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (268435456,), }",
                                std::string(16, '\0')), "needs more data");
  expect_error("overflow", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                     "(4294967296, 4294967296, 4), }", ""), "needs more data");
  expect_error("digits", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                   "(99999999999999999999999,), }", ""), "larger than 2^63 - 1");
  // Header length past the end of the file.
  std::string cut = claim.substr(0, 40);
  expect_error("header_len", cut, "does not fit in the file");
  // An empty array of a huge shape is fine.
  std::string path = dir + "/empty.npy";
  write_bytes(path, npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                              "(0, 4611686018427387904), }", ""));
  CHECK(load_npy(path).shape() == Shape{0, k62});
}

TEST_CASE("npy: lathe reads a header exactly when numpy does", "[unit][hardening][npy]") {
  std::string dir = fresh_dir("npy_syntax");
  std::string data(16, '\0');
  auto load = [&](const std::string& name, const std::string& dict) {
    std::string path = dir + "/" + name + ".npy";
    write_bytes(path, npy_bytes(dict, data));
    return load_npy(path);
  };
  auto refuse = [&](const std::string& name, const std::string& dict, const std::string& what) {
    INFO(name);
    CHECK_THROWS_WITH(load(name, dict), Catch::StartsWith("[npy]") && Catch::Contains(what));
  };
  // numpy: fortran_order must be a bool; 1 is an int.
  refuse("fortran_1", "{'descr': '<f8', 'fortran_order': 1, 'shape': (2,), }", "not a valid bool");
  refuse("shape_comma", "{'descr': '<f8', 'fortran_order': False, 'shape': (,), }", "bad shape");
  refuse("shape_int", "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", "not a tuple");
  refuse("shape_neg", "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", "bad shape");
  refuse("junk", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }junk", "junk after");
  refuse("extra_key", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}",
         "unexpected key");
  refuse("no_shape", "{'descr': '<f8', 'fortran_order': False}", "no 'shape'");
  refuse("not_dict", "['descr', '<f8']", "expected '{'");
  // A message never quotes more than a short excerpt of the header.
  std::string long_junk = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}" +
                          std::string(2000, 'x');
  std::string path = dir + "/long.npy";
  write_bytes(path, npy_bytes(long_junk, data));
  try {
    load_npy(path);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).size() < 300);
  }
  // What numpy accepts: a duplicate key (the last one wins), double quotes, no trailing comma.
  Tensor t = load("dup", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), "
                         "'shape': (2,), }");
  CHECK(t.shape() == Shape{2});
  CHECK(load("quotes", "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 1)}")
            .shape() == Shape{2, 1});
  CHECK(load("scalar", "{'descr': '<f8', 'fortran_order': True, 'shape': ()}").shape() ==
        Shape{});
}

TEST_CASE("safetensors: deep nesting and huge values give short errors, not a stack overflow",
          "[unit][hardening][safetensors]") {
  std::string dir = fresh_dir("safetensors");
  auto message = [&](const std::string& name, const std::string& header) {
    std::string path = dir + "/" + name + ".safetensors";
    write_bytes(path, safetensors_bytes(header, ""));
    try {
      load_safetensors(path);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // The reproducer: ~200 KB of nested arrays in an entry and in the metadata; the error message
  // called dump() on the value, which recursed 100,000 levels deep.
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string m = message("deep_entry", "{\"a\":{\"dtype\":\"F32\",\"shape\":" + deep +
                                            ",\"data_offsets\":[0,0]}}");
  CHECK_THAT(m, Catch::StartsWith("[safetensors]") && Catch::Contains("deeper than 64"));
  m = message("deep_meta", "{\"__metadata__\":{\"k\":" + deep + "}}");
  CHECK_THAT(m, Catch::Contains("deeper than 64"));
  // Brackets inside strings are not nesting.
  m = message("brackets_in_string", "{\"__metadata__\":{\"k\":\"" + std::string(1000, '[') +
                                        "\"}}");
  CHECK(m == "no error");
  // Shallow but huge values and names: the message quotes a bounded excerpt.
  std::string huge_array = "[1";
  for (int i = 0; i < 100000; ++i) huge_array += ",1";
  huge_array += "]";
  m = message("huge_value", "{\"__metadata__\":{\"k\":" + huge_array + "}}");
  CHECK_THAT(m, Catch::Contains("must be a string") && Catch::Contains("array of 100001 items"));
  CHECK(m.size() < 500);
  std::string long_name(200000, 'n');
  m = message("huge_name", "{\"" + long_name + "\":{\"dtype\":\"X\",\"shape\":[],"
                           "\"data_offsets\":[0,0]}}");
  CHECK_THAT(m, Catch::Contains("unsupported dtype"));
  CHECK(m.size() < 500);
  m = message("huge_string", "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"" + long_name +
                             "\"],\"data_offsets\":[0,0]}}");
  CHECK_THAT(m, Catch::Contains("non-negative integer"));
  CHECK(m.size() < 500);
  m = message("bad_json", "{\"a\":\"" + long_name);
  CHECK_THAT(m, Catch::Contains("not valid JSON"));
  CHECK(m.size() < 500);
}

TEST_CASE("a gradient hook cannot change the gradient's shape or dtype", "[unit][hardening]") {
  Tensor w = ones({3}, DType::f64).requires_grad_();
  w.register_hook([](const Tensor& g) { return sum(g); });  // a 0-d tensor for a [3] one
  CHECK_THROWS_WITH(sum(w * 2.0).backward(), Catch::StartsWith("[register_hook]") &&
                                                 Catch::Contains("expected shape [3]"));
  Tensor v = ones({2}, DType::f64).requires_grad_();
  Tensor h = v * 3.0;
  h.register_hook([](const Tensor& g) { return g.to(DType::f32); });
  CHECK_THROWS_WITH(sum(h).backward(), Catch::StartsWith("[register_hook]"));
  Tensor u = ones({2}, DType::f64).requires_grad_();
  u.register_hook([](const Tensor& g) { return g * 2.0; });  // same metadata: allowed
  sum(u * 3.0).backward();
  CHECK(u.grad().to_vector<double>() == std::vector<double>{6, 6});
}

TEST_CASE("reading out a huge broadcast view is refused before allocating", "[unit][hardening]") {
  Tensor big = expand(zeros({1}), {int64_t{1} << 50});
  CHECK_THROWS_WITH(big.to_vector<float>(), Catch::StartsWith("[to_vector]") &&
                                                Catch::Contains("LATHE_MAX_ALLOC"));
  CHECK_THROWS_WITH(big.contiguous(), Catch::Contains("LATHE_MAX_ALLOC"));
}
