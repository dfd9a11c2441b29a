// ProcessGroup: the collectives of data-parallel training (allreduce sum/mean, broadcast,
// allgather, barrier) over MPI, for host tensors (reference and cpu devices).
//
//   auto pg = lathe::dist::ProcessGroup::from_environment();   // under `mpirun -np N`
//   pg->allreduce(t, lathe::dist::ReduceOp::mean);             // in place, every rank
//
// The group is initialised from mpirun's environment: MPI_Init reads the rank and world size
// that mpirun (OpenMPI's OMPI_COMM_WORLD_*) set; a program started without mpirun is a group of
// one. The group works on a duplicate of MPI_COMM_WORLD, so an application's own MPI traffic
// never matches lathe's messages.
//
// Failure: every collective is started non-blocking and polled against a deadline (options
// .timeout_s). A rank that died or hangs makes the others throw lathe::Error("[ProcessGroup]
// <collective> timed out ...") instead of waiting forever; MPI errors are returned (not
// aborted on) and become lathe::Error too. After such an error the group is unusable (a
// started collective cannot be cancelled): the program should exit non-zero, and mpirun then
// stops the remaining ranks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe::dist {

enum class ReduceOp { sum, mean };

struct ProcessGroupOptions {
  double timeout_s = 300;  // per collective; a rank silent that long is dead or hung
};

class ProcessGroup {
 public:
  // Initialises MPI when the program has not (MPI_THREAD_FUNNELED: lathe calls MPI from the
  // thread that created the group) and finalises it when the last group it made is destroyed.
  static std::shared_ptr<ProcessGroup> from_environment(ProcessGroupOptions options = {});
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  const ProcessGroupOptions& options() const { return options_; }
  void set_timeout(double seconds);

  // In place on a contiguous host tensor of f32, f64, i32 or i64 (mean: floating only; the sum
  // divided by the world size). Every rank ends with the same values.
  void allreduce(Tensor& t, ReduceOp op = ReduceOp::sum);
  // Raw form for packed buffers (DistributedDataParallel's buckets): count elements of dtype.
  void allreduce(void* data, int64_t count, DType dtype, ReduceOp op = ReduceOp::sum);
  // Rank `root`'s values into t on every rank (same shape and dtype everywhere).
  void broadcast(Tensor& t, int root = 0);
  // [world_size, ...t.shape]: row r is rank r's t (same shape and dtype on every rank).
  Tensor allgather(const Tensor& t);
  void barrier();

  // True once a collective failed or timed out: the group can do nothing more.
  bool broken() const { return broken_; }
  // Stops every rank of the job (MPI_Abort) with this exit code: the way out after an error,
  // since a rank that simply returns leaves the others waiting until their own timeout.
  [[noreturn]] void abort(int code);

 private:
  explicit ProcessGroup(ProcessGroupOptions options);
  // Waits for a started request until the deadline; throws naming `what` on timeout.
  void wait(void* request, const char* what);

  ProcessGroupOptions options_;
  int rank_ = 0;
  int world_size_ = 1;
  void* comm_ = nullptr;  // MPI_Comm, kept opaque so this header does not include mpi.h
  bool broken_ = false;   // a collective failed or timed out
};

}  // namespace lathe::dist
