// ProcessGroup over MPI (see process_group.h). Every collective is the non-blocking MPI call
// (MPI_Iallreduce, MPI_Ibcast, MPI_Iallgather, MPI_Ibarrier) followed by wait(), which polls
// MPI_Test against the group's deadline: a blocking MPI call would wait forever for a rank that
// hangs, and cannot be interrupted.
#include "distributed/process_group.h"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.h"

namespace lathe::dist {
namespace {

int groups_alive = 0;       // groups made by from_environment that are not destroyed yet
bool we_initialised = false;  // MPI_Init was ours, so MPI_Finalize is ours too

MPI_Comm comm_of(void* p) { return static_cast<MPI_Comm>(p); }

MPI_Datatype mpi_type(DType dtype, const char* what) {
  switch (dtype) {
    case DType::f32: return MPI_FLOAT;
    case DType::f64: return MPI_DOUBLE;
    case DType::i32: return MPI_INT32_T;
    case DType::i64: return MPI_INT64_T;
    default: break;
  }
  LATHE_FAIL("[ProcessGroup] ", what, ": dtype ", dtype_name(dtype),
             " is not supported (f32, f64, i32 or i64)");
}

std::string mpi_message(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(code, text, &len);
  return std::string(text, static_cast<size_t>(len));
}

void check_mpi(int code, const char* what) {
  LATHE_CHECK(code == MPI_SUCCESS, "[ProcessGroup] ", what, " failed: ", mpi_message(code));
}

void check_host_contiguous(const Tensor& t, const char* what) {
  LATHE_CHECK(t.defined(), "[ProcessGroup] ", what, ": the tensor is undefined");
  LATHE_CHECK(t.is_contiguous(), "[ProcessGroup] ", what, ": the tensor must be contiguous, got "
              "shape ", t.shape(), " strides ", t.strides());
  LATHE_CHECK(t.device() == Device::cpu() || t.device() == Device::reference(),
              "[ProcessGroup] ", what, ": MPI moves host tensors (reference or cpu), got ",
              t.device());
}

}  // namespace

std::shared_ptr<ProcessGroup> ProcessGroup::from_environment(ProcessGroupOptions options) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int finalised = 0;
    MPI_Finalized(&finalised);
    LATHE_CHECK(!finalised, "[ProcessGroup] MPI was finalised already; a program can "
                "initialise it once, so keep one ProcessGroup alive for the whole run");
    int provided = 0;
    check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init");
    we_initialised = true;
  }
  return std::shared_ptr<ProcessGroup>(new ProcessGroup(options));
}

ProcessGroup::ProcessGroup(ProcessGroupOptions options) : options_(options) {
  set_timeout(options.timeout_s);
  MPI_Comm comm = MPI_COMM_NULL;
  check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm), "MPI_Comm_dup");
  // Errors come back as codes (then lathe::Error) instead of aborting every rank.
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm, &rank_);
  MPI_Comm_size(comm, &world_size_);
  comm_ = comm;
  ++groups_alive;
}

ProcessGroup::~ProcessGroup() {
  // A broken group still has a collective in flight: freeing or finalising would block on it.
  if (!broken_) {
    MPI_Comm comm = comm_of(comm_);
    MPI_Comm_free(&comm);
  }
  if (--groups_alive == 0 && we_initialised && !broken_) {
    MPI_Finalize();
    we_initialised = false;
  }
}

void ProcessGroup::abort(int code) {
  MPI_Abort(comm_of(comm_), code);
  std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] true if it did
}

void ProcessGroup::set_timeout(double seconds) {
  LATHE_CHECK(seconds > 0, "[ProcessGroup] timeout_s must be positive, got ", seconds);
  options_.timeout_s = seconds;
}

void ProcessGroup::wait(void* request, const char* what) {
  MPI_Request* req = static_cast<MPI_Request*>(request);
  auto start = std::chrono::steady_clock::now();
  int done = 0;
  for (int64_t polls = 0;; ++polls) {
    int code = MPI_Test(req, &done, MPI_STATUS_IGNORE);
    if (code != MPI_SUCCESS) {
      broken_ = true;
      check_mpi(code, what);
    }
    if (done) return;
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                        .count();
    if (waited > options_.timeout_s) {
      broken_ = true;
      LATHE_FAIL("[ProcessGroup] ", what, " timed out after ", options_.timeout_s,
                 " s on rank ", rank_, " of ", world_size_,
                 ": another rank died or hangs; stopping");
    }
    // Short collectives finish within a few polls; after that, ranks may outnumber cores
    // (mpirun --oversubscribe): leave the core to the others between polls.
    if (polls >= 1000) std::this_thread::yield();
  }
}

void ProcessGroup::allreduce(void* data, int64_t count, DType dtype, ReduceOp op) {
  LATHE_CHECK(!broken_, "[ProcessGroup] allreduce: the group is broken by an earlier failure");
  LATHE_CHECK(op == ReduceOp::sum || is_floating(dtype), "[ProcessGroup] allreduce: mean needs "
              "a floating dtype, got ", dtype_name(dtype));
  LATHE_CHECK(count >= 0 && count <= INT32_MAX, "[ProcessGroup] allreduce: count ", count,
              " is outside MPI's int range");
  MPI_Request req;
  check_mpi(MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(count),
                           mpi_type(dtype, "allreduce"), MPI_SUM, comm_of(comm_), &req),
            "allreduce");
  wait(&req, "allreduce");
  if (op != ReduceOp::mean || world_size_ == 1) return;
  if (dtype == DType::f32) {
    float* p = static_cast<float*>(data);
    for (int64_t i = 0; i < count; ++i) p[i] /= static_cast<float>(world_size_);
  } else {
    double* p = static_cast<double*>(data);
    for (int64_t i = 0; i < count; ++i) p[i] /= static_cast<double>(world_size_);
  }
}

void ProcessGroup::allreduce(Tensor& t, ReduceOp op) {
  check_host_contiguous(t, "allreduce");
  allreduce(t.data_ptr(), t.numel(), t.dtype(), op);
}

void ProcessGroup::broadcast(Tensor& t, int root) {
  LATHE_CHECK(!broken_, "[ProcessGroup] broadcast: the group is broken by an earlier failure");
  check_host_contiguous(t, "broadcast");
  LATHE_CHECK(root >= 0 && root < world_size_, "[ProcessGroup] broadcast: root ", root,
              " is not a rank of a group of ", world_size_);
  MPI_Request req;
  check_mpi(MPI_Ibcast(t.data_ptr(), static_cast<int>(t.numel()), mpi_type(t.dtype(), "broadcast"),
                       root, comm_of(comm_), &req),
            "broadcast");
  wait(&req, "broadcast");
}

Tensor ProcessGroup::allgather(const Tensor& t) {
  LATHE_CHECK(!broken_, "[ProcessGroup] allgather: the group is broken by an earlier failure");
  check_host_contiguous(t, "allgather");
  Shape shape = t.shape();
  shape.insert(0, world_size_);
  Tensor out = empty(shape, t.dtype(), t.device());
  MPI_Datatype type = mpi_type(t.dtype(), "allgather");
  MPI_Request req;
  check_mpi(MPI_Iallgather(t.data_ptr(), static_cast<int>(t.numel()), type, out.data_ptr(),
                           static_cast<int>(t.numel()), type, comm_of(comm_), &req),
            "allgather");
  wait(&req, "allgather");
  return out;
}

void ProcessGroup::barrier() {
  LATHE_CHECK(!broken_, "[ProcessGroup] barrier: the group is broken by an earlier failure");
  MPI_Request req;
  check_mpi(MPI_Ibarrier(comm_of(comm_), &req), "barrier");
  wait(&req, "barrier");
}

}  // namespace lathe::dist
