// Loader bounds (issue 15): a safetensors header is refused for its size and shape before it is
// parsed, so a small file cannot make the parser allocate gigabytes (an 80 MB header of 1.2
// million empty tensors cost 2.4 GB before).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "lathe.h"

using namespace lathe;
namespace fs = std::filesystem;

namespace {

std::string write_safetensors(const std::string& name, const std::string& header) {
  fs::path dir = fs::path(LATHE_BINARY_DIR) / "loader_bounds_test";
  fs::create_directories(dir);
  std::string path = (dir / name).string();
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  std::ofstream(path, std::ios::binary) << out << header;
  return path;
}

std::string load_error(const std::string& path) {
  try {
    load_safetensors(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("safetensors: too many entries or values are refused before parsing",
          "[unit][hardening][safetensors]") {
  // 100,001 empty tensors: each entry alone is valid (0 bytes at offset 0).
  std::string many = "{";
  for (int i = 0; i <= 100'000; ++i)
    many += (i ? ",\"t" : "\"t") + std::to_string(i) +
            "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
  many += "}";
  std::string m = load_error(write_safetensors("many.safetensors", many));
  CHECK_THAT(m, Catch::StartsWith("[safetensors]") &&
                    Catch::Contains("lists more than 100000 entries"));

  // One entry whose shape array holds two million numbers.
  std::string wide = "{\"t\":{\"dtype\":\"F32\",\"shape\":[";
  for (int i = 0; i < 2'000'000; ++i) wide += "1,";
  wide += "0],\"data_offsets\":[0,0]}}";
  m = load_error(write_safetensors("wide.safetensors", wide));
  CHECK_THAT(m, Catch::StartsWith("[safetensors]") &&
                    Catch::Contains("more than 2000000 JSON values"));

  // Just under the entry bound, the file loads (no false refusals for large checkpoints).
  std::string fine = "{";
  for (int i = 0; i < 1000; ++i)
    fine += (i ? ",\"t" : "\"t") + std::to_string(i) +
            "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
  fine += "}";
  CHECK(load_safetensors(write_safetensors("fine.safetensors", fine)).tensors.size() == 1000);
}

TEST_CASE("safetensors: a killed writer's temporary file is removed by the next save",
          "[unit][hardening][safetensors]") {
  // The issue: SIGKILL during a checkpoint write left full-size .tmp files forever.
  fs::path dir = fs::path(LATHE_BINARY_DIR) / "loader_bounds_test" / "temps";
  fs::remove_all(dir);
  fs::create_directories(dir);
  pid_t dead = fork();  // a process id that surely belongs to no running process
  if (dead == 0) _exit(0);
  REQUIRE(dead > 0);
  waitpid(dead, nullptr, 0);
  std::string stem = ".ckpt.safetensors.tmp.";
  fs::path stale = dir / (stem + std::to_string(dead) + ".0");
  fs::path recent = dir / (stem + std::to_string(dead) + ".1");
  fs::path alive = dir / (stem + std::to_string(getppid()) + ".0");
  fs::path other = dir / (".other.safetensors.tmp." + std::to_string(dead) + ".0");
  for (const fs::path& p : {stale, recent, alive, other}) std::ofstream(p) << "partial";
  auto old = fs::file_time_type::clock::now() - std::chrono::minutes(5);
  for (const fs::path& p : {stale, alive, other}) fs::last_write_time(p, old);

  save_safetensors((dir / "ckpt.safetensors").string(), {{"w", ones({2})}});
  CHECK_FALSE(fs::exists(stale));  // dead writer, untouched for minutes: removed
  CHECK(fs::exists(recent));       // written a moment ago: maybe another namespace's writer
  CHECK(fs::exists(alive));        // its writer still runs
  CHECK(fs::exists(other));        // another file's temporary
  CHECK(load_safetensors((dir / "ckpt.safetensors").string()).tensors.size() == 1);
}
