// Backends: the built-in reference, a plugin loaded at run time, and clear device errors.
#include <catch2/catch.hpp>

#include "lathe.h"

using namespace lathe;

TEST_CASE("the reference backend is built in and is the default without others", "[unit][backend]") {
  const Backend* ref = find_backend("reference");
  REQUIRE(ref != nullptr);
  CHECK(ref->origin() == "built in");
  CHECK(ref->host_memory());
  CHECK(ref->device_count() == 1);
  CHECK(Device::parse("reference").str() == "reference");
}

TEST_CASE("a plugin backend loads from a shared library and computes", "[unit][backend]") {
  // The test main loaded the reference plugin under the name reference_plugin.
  const Backend* plugin = find_backend("reference_plugin");
  REQUIRE(plugin != nullptr);
  CHECK(plugin->origin() == LATHE_PLUGIN_PATH);
  Device dev = Device::parse("reference_plugin");
  Tensor x = from_vector(std::vector<double>{1, 2, 3}, {3}, DType::f64, dev);
  Tensor y = exp(x) * 2.0;
  CHECK(y.device() == dev);
  CHECK(y.to(Device::reference()).to_vector<double>()[1] == Approx(2 * std::exp(2.0)));
  CHECK_THROWS_WITH(x + ones({3}, DType::f64, Device::reference()),
                    Catch::Contains("[add] expected tensors on one device"));
}

TEST_CASE("loading errors are clear", "[unit][backend][errors]") {
  CHECK_THROWS_WITH(load_backend(LATHE_PLUGIN_PATH),
                    Catch::Contains("a backend named 'reference' is already registered"));
  CHECK_THROWS_WITH(load_backend("/nonexistent/liblathe_backend_x.so"),
                    Catch::Contains("[backend] cannot load '/nonexistent/liblathe_backend_x.so'"));
  CHECK_THROWS_WITH(Device::parse("tpu"),
                    Catch::Contains("no backend named 'tpu'") && Catch::Contains("reference"));
  CHECK_THROWS_WITH(Device::parse("cpu:x"), Catch::Contains("[device] bad device"));
  CHECK_THROWS_WITH(zeros({2}, DType::f32, Device{0, 3}),
                    Catch::Contains("reference has 1 device(s)"));
}

namespace {
// A backend that is built but has no device (what CUDA looks like on a machine without a GPU).
int32_t no_devices() { return 0; }
}  // namespace

TEST_CASE("a built backend without devices says so at device selection", "[unit][backend][errors]") {
  static lathe_backend table = find_backend("reference")->fn();
  table.name = "deviceless";
  table.device_count = no_devices;
  register_backend(&table);
  CHECK_THROWS_WITH(zeros({2}, DType::f32, Device::parse("deviceless")),
                    Catch::Contains("deviceless: built, no device"));
}

TEST_CASE("a partial port fails when it registers, naming the missing function",
          "[unit][backend][errors]") {
  static lathe_backend no_matmul = find_backend("reference")->fn();
  no_matmul.name = "partial";
  no_matmul.matmul = nullptr;
  CHECK_THROWS_WITH(register_backend(&no_matmul),
                    Catch::Equals("[backend] partial leaves matmul NULL"));
  CHECK(find_backend("partial") == nullptr);

  static lathe_backend no_last_error = find_backend("reference")->fn();
  no_last_error.last_error = nullptr;
  CHECK_THROWS_WITH(register_backend(&no_last_error, "partial2"),
                    Catch::Equals("[backend] partial2 leaves last_error NULL"));

  // The optional fused kernels are optional as a pair, not one at a time.
  static lathe_backend half_fused = find_backend("reference")->fn();
  half_fused.name = "half_fused";
  half_fused.supports = [](int32_t, const lathe_fused_call*) -> int32_t { return 1; };
  half_fused.run_fused = nullptr;
  CHECK_THROWS_WITH(register_backend(&half_fused),
                    Catch::StartsWith("[backend] half_fused leaves run_fused NULL"));
  CHECK(find_backend("half_fused") == nullptr);
}
