// safetensors: round trips, the file Python's safetensors wrote, every way a file can be corrupt
// or truncated, and atomic saves (a failed or killed save leaves the previous file loadable).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lathe.h"
#include "models/linear.h"
#include "tests/interop/safetensors_canonical.h"

using namespace lathe;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case (CTest runs cases in parallel processes).
std::string fresh_dir(const std::string& name) {
  fs::path dir = fs::path(LATHE_BINARY_DIR) / "safetensors_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// A file with the given header text (length prefix added) and `data` bytes after it.
std::string file_bytes(const std::string& header, const std::string& data) {
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

// Files left in `dir` other than `keep` (temporary files a save did not clean up).
std::vector<std::string> other_files(const std::string& dir, const std::string& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != keep) out.push_back(e.path().filename().string());
  return out;
}

std::map<std::string, Tensor> old_checkpoint() {
  return {{"w", full({3, 3}, 1.5, DType::f32, Device::reference())}};
}

// True when `path` loads and holds exactly old_checkpoint().
bool holds_old_checkpoint(const std::string& path) {
  SafetensorsFile f = load_safetensors(path, Device::reference());
  return f.tensors.size() == 1 && f.tensors.count("w") &&
         f.tensors["w"].to_vector<double>() == std::vector<double>(9, 1.5) &&
         f.metadata.at("version") == "old";
}

// A checkpoint large enough that writing it takes many write() calls.
std::map<std::string, Tensor> big_checkpoint(int64_t mib) {
  return {{"big", full({mib * 1024 * 256}, 2.0, DType::f32, Device::reference())}};
}

}  // namespace

TEST_CASE("safetensors round trips every dtype, 0-d and empty tensors, and metadata",
          "[unit][safetensors]") {
  std::string path = fresh_dir("roundtrip") + "/all.safetensors";
  save_safetensors(path, interop::canonical_tensors(), interop::canonical_metadata("lathe"));
  SafetensorsFile f = load_safetensors(path);
  CHECK(interop::canonical_mismatch(f, "lathe") == "");
  for (const auto& [name, t] : f.tensors) CHECK(t.device() == default_device());
  CHECK(f.tensors["scalar"].shape() == Shape{});
  CHECK(f.tensors["empty"].shape() == Shape{0, 4});

  // The header: padded so the data starts 8-byte aligned; each tensor aligned to its element.
  std::string bytes = read_bytes(path);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n * 256 + static_cast<unsigned char>(bytes[i]);
  CHECK((8 + n) % 8 == 0);
  auto header = nlohmann::json::parse(bytes.substr(8, n));
  for (const auto& [name, info] : header.items())
    if (name != "__metadata__")
      CHECK(info["data_offsets"][0].get<uint64_t>() % dtype_size(f.tensors[name].dtype()) == 0);

  // No metadata: no "__metadata__" key, and loading gives an empty map.
  save_safetensors(path, {{"x", ones({2})}});
  CHECK(load_safetensors(path).metadata.empty());
  CHECK(read_bytes(path).find("__metadata__") == std::string::npos);
  save_safetensors(path, {});
  CHECK(load_safetensors(path).tensors.empty());
}

TEST_CASE("safetensors writes non-contiguous and offset views as their values",
          "[unit][safetensors]") {
  std::string path = fresh_dir("views") + "/views.safetensors";
  Tensor base = arange(0.0, 24.0, 1.0, DType::f64).reshape({4, 6});
  Tensor transposed = base.t();                   // [6, 4], strides (1, 6)
  Tensor strided = base.slice(1, 1, 6, 2);        // [4, 3], offset 1
  Tensor broadcast = scalar(7.0).expand({3, 2});  // stride 0
  save_safetensors(path, {{"t", transposed}, {"s", strided}, {"b", broadcast}});
  SafetensorsFile f = load_safetensors(path);
  CHECK(f.tensors["t"].shape() == Shape{6, 4});
  CHECK(f.tensors["t"].to_vector<double>() == transposed.to_vector<double>());
  CHECK(f.tensors["s"].to_vector<double>() == strided.to_vector<double>());
  CHECK(f.tensors["b"].to_vector<double>() == std::vector<double>(6, 7.0));
}

TEST_CASE("safetensors checkpoints a module's state dict", "[unit][safetensors]") {
  std::string path = fresh_dir("module") + "/linear.safetensors";
  nn::Linear a(4, 3), b(4, 3);
  save_safetensors(path, a.state_dict(), {{"epoch", "7"}});
  SafetensorsFile f = load_safetensors(path);
  b.load_state_dict(f.tensors);
  CHECK(b.weight.to_vector<float>() == a.weight.to_vector<float>());
  CHECK(b.bias.to_vector<float>() == a.bias.to_vector<float>());
  CHECK(f.metadata.at("epoch") == "7");
}

TEST_CASE("safetensors reads the file Python's safetensors wrote", "[unit][safetensors]") {
  // tests/fixtures/safetensors/python.safetensors: tools/interop/safetensors_interop.py fixture
  std::string path =
      std::string(LATHE_SOURCE_DIR) + "/tests/fixtures/safetensors/python.safetensors";
  CHECK(interop::canonical_mismatch(load_safetensors(path), "python") == "");
  CHECK(interop::canonical_mismatch(load_safetensors(path, Device::reference()), "python") == "");
}

TEST_CASE("corrupt and truncated safetensors files are reported with their path",
          "[unit][safetensors][errors]") {
  std::string dir = fresh_dir("corrupt");
  std::string good_path = dir + "/good.safetensors";
  save_safetensors(good_path, {{"a", arange(0.0, 4.0, 1.0, DType::f32)},
                               {"b", arange(0.0, 2.0, 1.0, DType::i64)}});
  std::string good = read_bytes(good_path);
  // Header entries for hand-made files: a is 4 f32 (16 bytes), b 2 i64 (16 bytes).
  std::string data(32, '\0');
  auto expect_error = [&](const std::string& name, const std::string& bytes,
                          const std::string& what) {
    std::string path = dir + "/" + name + ".safetensors";
    write_bytes(path, bytes);
    INFO(name);
    CHECK_THROWS_WITH(load_safetensors(path), Catch::Contains("[safetensors]") &&
                                                  Catch::Contains(path) && Catch::Contains(what));
  };
  auto entry = [](const std::string& dtype, const std::string& shape, int begin, int end) {
    return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
           std::to_string(begin) + "," + std::to_string(end) + "]}";
  };
  std::string a = "\"a\":" + entry("F32", "[4]", 0, 16);

  // Sizes.
  expect_error("tiny", "abc", "truncated");
  expect_error("header_past_end", good.substr(0, 20), "truncated: the header length");
  expect_error("huge_header", std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8) + "{}",
               "implausible");
  expect_error("truncated_data", good.substr(0, good.size() - 3), "past the end of the data");
  expect_error("trailing_bytes", good + "xyz", "3 bytes after the last tensor");
  // JSON.
  expect_error("not_json", file_bytes("{\"a\": [1, 2", ""), "not valid JSON");
  expect_error("not_object", file_bytes("[1, 2]", ""), "does not start with '{'");
  expect_error("entry_not_object", file_bytes("{\"a\": 3}", ""), "expected an object");
  expect_error("no_dtype", file_bytes("{\"a\": {\"shape\": [], \"data_offsets\": [0, 4]}}", data),
               "has no \"dtype\"");
  expect_error("metadata_not_strings", file_bytes("{\"__metadata__\": {\"epoch\": 3}}", ""),
               "must be a string");
  // dtypes and shapes.
  expect_error("bad_dtype",
               file_bytes("{\"a\":" + entry("F33", "[4]", 0, 16) + "}", data.substr(16)),
               "unsupported dtype 'F33'");
  expect_error("u8_dtype", file_bytes("{\"a\":" + entry("U8", "[4]", 0, 4) + "}", "abcd"),
               "unsupported dtype 'U8'");
  expect_error("f64_with_f32_bytes",
               file_bytes("{\"a\":" + entry("F64", "[4]", 0, 16) +
                              ",\"b\":" + entry("I64", "[2]", 16, 32) + "}",
                          data),
               "shape [4] f64 needs 32");
  expect_error("dtype_not_string",
               file_bytes("{\"a\": {\"dtype\": 5, \"shape\": [4], \"data_offsets\": [0, 16]}}",
                          data.substr(16)),
               "dtype must be a string");
  expect_error("negative_dim",
               file_bytes("{\"a\":" + entry("F32", "[-4]", 0, 16) + "}", data.substr(16)),
               "non-negative integer");
  expect_error("float_dim",
               file_bytes("{\"a\":" + entry("F32", "[4.0]", 0, 16) + "}", data.substr(16)),
               "non-negative integer");
  expect_error("size_mismatch",
               file_bytes("{\"a\":" + entry("F32", "[3]", 0, 16) + "}", data.substr(16)),
               "shape [3] f32 needs 12");
  expect_error("huge_shape",
               file_bytes("{\"a\":" + entry("F32", "[4294967296, 4294967296]", 0, 16) + "}",
                          data.substr(16)),
               "needs more bytes than the data holds");
  // Offsets.
  expect_error("out_of_range",
               file_bytes("{" + a + ",\"b\":" + entry("I64", "[2]", 16, 40) + "}", data),
               "past the end of the data");
  expect_error("reversed", file_bytes("{\"a\":" + entry("F32", "[0]", 16, 12) + "}", data),
               "end before they begin");
  expect_error("overlap",
               file_bytes("{" + a + ",\"b\":" + entry("I64", "[2]", 8, 24) + "}", data.substr(8)),
               "overlaps 'a'");
  expect_error("hole", file_bytes("{\"b\":" + entry("I64", "[2]", 16, 32) + "}", data),
               "bytes [0, 16) of the data belong to no tensor");
  // The file itself.
  expect_error("empty_file", "", "truncated: 0 bytes");
  CHECK_THROWS_WITH(load_safetensors(dir + "/no_such_file.safetensors"),
                    Catch::Contains("cannot open file") && Catch::Contains("no_such_file"));
  CHECK_THROWS_WITH(load_safetensors(dir), Catch::Contains("not a regular file"));

  // A well-formed hand-made file with a zero-length tensor between two others loads.
  std::string ok = "{" + a + ",\"e\":" + entry("BF16", "[0, 5]", 16, 16) +
                   ",\"b\":" + entry("I64", "[2]", 16, 32) + "}";
  write_bytes(dir + "/ok.safetensors", file_bytes(ok, data));
  CHECK(load_safetensors(dir + "/ok.safetensors").tensors.at("e").shape() == Shape{0, 5});
}

TEST_CASE("safetensors refuses tensors it cannot name", "[unit][safetensors][errors]") {
  std::string path = fresh_dir("names") + "/bad.safetensors";
  CHECK_THROWS_WITH(save_safetensors(path, {{"", ones({1})}}),
                    Catch::Contains("invalid tensor name"));
  CHECK_THROWS_WITH(save_safetensors(path, {{"__metadata__", ones({1})}}),
                    Catch::Contains("invalid tensor name"));
  CHECK_THROWS_WITH(save_safetensors(path, {{"x", Tensor()}}), Catch::Contains("'x' is undefined"));
  CHECK_THROWS_WITH(save_safetensors(path, {{std::string("bad\xff", 4), ones({1})}}),
                    Catch::Contains("UTF-8"));
  CHECK_FALSE(fs::exists(path));
  CHECK(other_files(fs::path(path).parent_path().string(), "").empty());
}

TEST_CASE("a failed safetensors save leaves the previous file intact", "[unit][safetensors]") {
  std::string dir = fresh_dir("failed_save");
  std::string path = dir + "/ckpt.safetensors";
  save_safetensors(path, old_checkpoint(), {{"version", "old"}});

  SECTION("the directory does not exist") {
    CHECK_THROWS_WITH(save_safetensors(dir + "/missing/ckpt.safetensors", old_checkpoint()),
                      Catch::Contains("cannot create a temporary file") &&
                          Catch::Contains("missing/ckpt.safetensors"));
  }
  SECTION("the rename fails (the target is a directory)") {
    std::string target = dir + "/taken";
    fs::create_directories(target + "/inside");
    CHECK_THROWS_WITH(save_safetensors(target, old_checkpoint()),
                      Catch::Contains("cannot rename") && Catch::Contains(target));
    CHECK(fs::is_directory(target + "/inside"));
    fs::remove_all(target);
  }
  SECTION("writing fails part way (the file size limit is reached)") {
    // In a child process: RLIMIT_FSIZE makes write() fail with EFBIG once 1 MiB is written.
    auto big = big_checkpoint(8);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      signal(SIGXFSZ, SIG_IGN);
      struct rlimit limit = {1 << 20, 1 << 20};
      setrlimit(RLIMIT_FSIZE, &limit);
      try {
        save_safetensors(path, big, {{"version", "new"}});
        _exit(2);  // should have failed
      } catch (const Error& e) {
        std::string what = e.what();
        _exit(what.find("write failed") != std::string::npos && what.find(path) != std::string::npos
                  ? 0
                  : 3);
      }
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(holds_old_checkpoint(path));
  CHECK(other_files(dir, "ckpt.safetensors").empty());  // the temporary file was removed
}

TEST_CASE("a save killed mid-write leaves the previous file loadable", "[unit][safetensors]") {
  std::string dir = fresh_dir("killed_save");
  std::string path = dir + "/ckpt.safetensors";
  save_safetensors(path, old_checkpoint(), {{"version", "old"}});

  SECTION("killed by the kernel after 1 MiB of the temporary file") {
    // SIGXFSZ's default action ends the process, mid-write() and with no chance to clean up.
    auto big = big_checkpoint(8);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      signal(SIGXFSZ, SIG_DFL);
      struct rlimit no_core = {0, 0}, limit = {1 << 20, 1 << 20};
      setrlimit(RLIMIT_CORE, &no_core);
      setrlimit(RLIMIT_FSIZE, &limit);
      try {
        save_safetensors(path, big, {{"version", "new"}});
      } catch (...) {
      }
      _exit(0);  // not reached
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGXFSZ);
    // What the crash left behind: the target untouched, and a partial temporary file.
    std::vector<std::string> left = other_files(dir, "ckpt.safetensors");
    REQUIRE(left.size() == 1);
    CHECK(left[0].rfind(".ckpt.safetensors.tmp.", 0) == 0);
    CHECK(fs::file_size(fs::path(dir) / left[0]) == (1u << 20));
    CHECK(holds_old_checkpoint(path));
    // The next save works and replaces the file.
    save_safetensors(path, big, {{"version", "new"}});
    CHECK(load_safetensors(path, Device::reference()).metadata.at("version") == "new");
  }
  SECTION("killed with SIGKILL at some point of a 64 MiB save") {
    // Wherever the kill lands, the file is the old checkpoint or the complete new one.
    auto big = big_checkpoint(64);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        save_safetensors(path, big, {{"version", "new"}});
      } catch (...) {
      }
      pause();  // wait for the kill
      _exit(0);
    }
    // Kill once the temporary file has some data, or after at most ~2 s.
    for (int i = 0; i < 2000; ++i) {
      bool started = false;
      for (const auto& e : fs::directory_iterator(dir)) {
        std::error_code ec;
        if (e.path().filename() != "ckpt.safetensors" && fs::file_size(e.path(), ec) > 0 && !ec)
          started = true;
      }
      if (started) break;
      usleep(1000);
    }
    kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    SafetensorsFile f = load_safetensors(path, Device::reference());
    if (f.metadata.at("version") == "old") {
      CHECK(holds_old_checkpoint(path));
    } else {
      CHECK(f.tensors.at("big").numel() == 64 * 1024 * 256);
    }
  }
}
