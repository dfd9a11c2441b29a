// Loading the GPU peers of `lathe bench --device cuda` (bench.h, cuda_peers), and the torch CUDA
// peer, which runs in a paired Python process (tools/peer/bench_cuda.py) on the same shapes.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "tools/lathe/bench.h"

namespace lathe::bench {

const CudaPeers& cuda_peers() {
  static const CudaPeers* peers = nullptr;
  if (peers) return *peers;
  std::string paths[2] = {"", LATHE_BENCH_CUDA_MODULE};
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<size_t>(n));
    paths[0] = dir.substr(0, dir.find_last_of('/')) + "/../" LATHE_BENCH_CUDA_MODULE_INSTALLED;
  }
  std::string why = "not found";
  for (const std::string& path : paths) {
    if (access(path.c_str(), R_OK) != 0) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      why = dlerror();
      continue;
    }
    using Entry = const CudaPeers* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "lathe_bench_cuda_peers"));
    LATHE_CHECK(entry != nullptr, "[bench] the GPU peers cannot load: ", path,
                " exports no lathe_bench_cuda_peers");
    peers = entry();
    return *peers;
  }
  LATHE_FAIL("[bench] the GPU peers cannot load (", LATHE_BENCH_CUDA_MODULE, "): ", why);
}

std::map<std::string, double> torch_cuda_peer(const std::string& script,
                                              const std::vector<std::string>& cases,
                                              double seconds, std::string* version) {
  std::string names;
  for (const std::string& c : cases) names += (names.empty() ? "" : ",") + c;
  const char* python = std::getenv("LATHE_PYTHON");
  std::string cmd = std::string(python && *python ? python : "python3") + " '" + script +
                    "' --seconds " + std::to_string(seconds) + " --cases " + names;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  LATHE_CHECK(pipe != nullptr, "[bench] cannot run '", cmd, "'");
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  const int status = pclose(pipe.release());
  std::map<std::string, double> ms;
  if (status != 0 || out.empty()) {
    *version = "torch CUDA peer unavailable ('" + cmd + "' failed)";
    return ms;
  }
  nlohmann::json j = nlohmann::json::parse(out);
  *version = j.at("peer").get<std::string>();
  for (auto& [name, value] : j.at("ms").items()) ms[name] = value.get<double>();
  return ms;
}

}  // namespace lathe::bench
