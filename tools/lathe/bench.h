// `lathe bench`: each case runs a lathe step and its peers' steps on the same inputs and thread
// count (direct OpenBLAS in the same process, libtorch in paired peer processes), and reports
// median times and ratios. The libtorch half (bench_torch.cpp) is compiled only into the peers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace lathe::bench {

using Step = std::function<void()>;

// A peer in a process of its own (tools/peer/torch_peer.cpp gives the protocol): one command
// line out, one reply line back. Throws lathe::Error when the program cannot start, exits, or
// replies "error ...".
class PeerProcess {
 public:
  explicit PeerProcess(const std::string& program);
  ~PeerProcess();  // closes its input and waits for it
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;
  std::string ask(const std::string& command);
  const std::string& program() const { return program_; }

 private:
  std::string program_;
  pid_t pid_ = -1;
  int to_ = -1;            // its stdin
  FILE* from_ = nullptr;  // its stdout
};

#ifdef LATHE_WITH_LIBTORCH
// The libtorch version of case `name` (same shapes as the lathe one); empty if none.
Step torch_step(const std::string& name);
void torch_set_threads(int n);
std::string torch_version();
// Peak bytes libtorch's CPU allocator holds above its starting level while `step` runs once
// (a counting allocator is installed for the measurement).
double torch_peak_bytes(const Step& step);
#endif

#ifdef LATHE_WITH_CUDA_PEERS
// The GPU peers: cuBLAS and the copy bandwidth from the module liblathe_bench_cuda.so
// (bench_cuda.cpp, the one piece of lathe that links cuBLAS), loaded by cuda_peers() on first
// use (bench_cuda_peers.cpp: beside an installed lathe first, else from the build tree). Steps
// queue work on the default stream; synchronize waits for every stream of the device (lathe's
// too).
struct CudaPeers {
  void (*synchronize)();
  Step (*sgemm_step)(int64_t m, int64_t k, int64_t n);  // row-major f32, no TF32
  Step (*copy_step)(size_t bytes);                      // device to device
};
// Throws "[bench] the GPU peers cannot load: ..." when the module is missing or broken.
const CudaPeers& cuda_peers();
// Median milliseconds of each case (bench_cuda.py's names) run by torch on the GPU in a paired
// Python process; empty, with *version saying why, when that process fails.
std::map<std::string, double> torch_cuda_peer(const std::string& script,
                                              const std::vector<std::string>& cases,
                                              double seconds, std::string* version);
#endif

}  // namespace lathe::bench
