// .npy round trips and the errors a corrupt or truncated file gives.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "lathe.h"

using namespace lathe;

namespace {
std::string temp_path(const std::string& name) {
  return std::string(LATHE_BINARY_DIR) + "/npy_test_" + name + ".npy";
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
}  // namespace

TEST_CASE("npy round trips every storable dtype, 0-d and non-contiguous", "[unit][npy]") {
  for (DType t : {DType::f32, DType::f64, DType::f16, DType::i32, DType::i64, DType::boolean}) {
    Tensor x = arange(0.0, 6.0, 1.0, t).reshape({2, 3}).t();  // non-contiguous
    std::string path = temp_path(dtype_name(t));
    save_npy(path, x);
    Tensor y = load_npy(path);
    CHECK(y.dtype() == t);
    CHECK(y.shape() == Shape{3, 2});
    CHECK(y.to_vector<double>() == x.to_vector<double>());
  }
  save_npy(temp_path("scalar"), scalar(2.5, DType::f64));
  CHECK(load_npy(temp_path("scalar")).shape() == Shape{});
  CHECK(load_npy(temp_path("scalar")).item() == 2.5);
  CHECK_THROWS_WITH(save_npy(temp_path("bf16"), zeros({2}, DType::bf16)),
                    Catch::Contains("[npy]") && Catch::Contains("bf16"));
}

TEST_CASE("npy reads Fortran order and big-endian data", "[unit][npy]") {
  // A hand-written header: shape (2, 3), Fortran order, big-endian f8.
  std::string header = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }";
  header.append(118 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  for (double v : {0.0, 3.0, 1.0, 4.0, 2.0, 5.0}) {  // column-major order of [[0,1,2],[3,4,5]]
    unsigned char raw[8];
    std::memcpy(raw, &v, 8);
    for (int i = 7; i >= 0; --i) bytes += static_cast<char>(raw[i]);
  }
  write_bytes(temp_path("fortran"), bytes);
  Tensor t = load_npy(temp_path("fortran"));
  CHECK(t.shape() == Shape{2, 3});
  CHECK(t.to_vector<double>() == std::vector<double>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("corrupt and truncated npy files are reported with their path", "[unit][npy][errors]") {
  save_npy(temp_path("good"), arange(0.0, 10.0, 1.0, DType::f64));
  std::string good = read_bytes(temp_path("good"));

  write_bytes(temp_path("truncated"), good.substr(0, good.size() - 5));
  CHECK_THROWS_WITH(load_npy(temp_path("truncated")),
                    Catch::Contains("[npy]") && Catch::Contains("truncated data") &&
                        Catch::Contains(temp_path("truncated")));
  write_bytes(temp_path("magic"), "not an npy file at all");
  CHECK_THROWS_WITH(load_npy(temp_path("magic")), Catch::Contains("bad magic"));
  write_bytes(temp_path("short_header"), good.substr(0, 20));
  CHECK_THROWS_WITH(load_npy(temp_path("short_header")), Catch::Contains("truncated header"));
  std::string bad_dtype = good;
  bad_dtype.replace(bad_dtype.find("<f8"), 3, "<c8");
  write_bytes(temp_path("dtype"), bad_dtype);
  CHECK_THROWS_WITH(load_npy(temp_path("dtype")), Catch::Contains("unsupported dtype '<c8'"));
  CHECK_THROWS_WITH(load_npy(temp_path("missing_file")), Catch::Contains("cannot open"));
}
