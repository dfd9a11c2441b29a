// lathe_distributed_bench: the figures of issue 22, under mpirun.
//   mpirun -np 2 build/tools/lathe_distributed_bench [--max-mb 64] [--steps 30]
// 1. Allreduce bus bandwidth (nccl-tests' definition: bytes * 2 (W - 1) / W / seconds) of
//    ProcessGroup::allreduce against a plain blocking MPI_Allreduce loop on the same f32 buffer
//    in the same run, sizes 4 KB .. max-mb, the best of 3 alternating rounds of each; the
//    ratio is lathe / plain (its polling wait against MPI's own).
// 2. The MLP train step (784-512-256-10, f32, global batch 128 split among the ranks, SGD,
//    DistributedDataParallel with 25 MB buckets, one thread per rank): milliseconds per step
//    and the share spent in the gradient allreduce. Run it with -np 1 and -np 2 for the
//    scaling efficiency t1 / (W tW). The allreduce runs after the backward (no overlap:
//    distributed/README.md), so the share is not hidden.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "distributed/ddp.h"
#include "lathe.h"

using namespace lathe;

namespace {

double max_over_ranks(double v) {
  double out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

void bandwidth(dist::ProcessGroup& pg, int64_t max_bytes) {
  int w = pg.world_size();
  if (pg.rank() == 0)
    std::printf("%12s %14s %14s %8s\n", "bytes", "MPI GB/s", "lathe GB/s", "ratio");
  for (int64_t bytes = 4096; bytes <= max_bytes; bytes *= 4) {
    int64_t n = bytes / 4;
    std::vector<float> buf(static_cast<size_t>(n), 1.0f);
    int iters = static_cast<int>(std::clamp<int64_t>((256 << 20) / bytes, 5, 200));
    double best_plain = 1e30, best_lathe = 1e30;
    for (int round = 0; round < 3; ++round) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = MPI_Wtime();
      for (int i = 0; i < iters; ++i)
        MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(n), MPI_FLOAT, MPI_SUM,
                      MPI_COMM_WORLD);
      best_plain = std::min(best_plain, max_over_ranks(MPI_Wtime() - t0) / iters);
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = MPI_Wtime();
      for (int i = 0; i < iters; ++i) pg.allreduce(buf.data(), n, DType::f32);
      best_lathe = std::min(best_lathe, max_over_ranks(MPI_Wtime() - t0) / iters);
    }
    double bus = static_cast<double>(bytes) * 2 * (w - 1) / w / 1e9;
    if (pg.rank() == 0)
      std::printf("%12lld %14.3f %14.3f %8.3f\n", static_cast<long long>(bytes), bus / best_plain,
                  bus / best_lathe, best_plain / best_lathe);
  }
}

void mlp_step(std::shared_ptr<dist::ProcessGroup> pg, int steps) {
  int w = pg->world_size();
  int64_t global = 128, per = global / w;
  manual_seed(0);
  auto model = std::make_shared<nn::MLP>(784, std::vector<int64_t>{512, 256}, 10);
  dist::DistributedDataParallel ddp(model, pg);
  optim::SGD opt(model->parameters(), 0.01);
  Tensor x = randn({per, 784});
  Tensor y = from_vector(std::vector<int64_t>(static_cast<size_t>(per), 3), {per});
  double total = 0, sync = 0;
  for (int s = -3; s < steps; ++s) {  // 3 warm-up steps
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    opt.zero_grad();
    cross_entropy(model->forward(x), y).backward();
    double t1 = MPI_Wtime();
    ddp.sync_gradients();
    double t2 = MPI_Wtime();
    opt.step();
    double t3 = MPI_Wtime();
    if (s >= 0) total += t3 - t0, sync += t2 - t1;
  }
  total = max_over_ranks(total) / steps;
  sync = max_over_ranks(sync) / steps;
  if (pg->rank() == 0)
    std::printf("MLP 784-512-256-10 step, np %d, global batch %lld (%lld per rank), %d thread(s): "
                "%.2f ms/step, gradient allreduce %.2f ms (%.0f%%, not overlapped)\n",
                w, static_cast<long long>(global), static_cast<long long>(per), num_threads(),
                1e3 * total, 1e3 * sync, 100 * sync / total);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t max_mb = 64;
  int steps = 30;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--max-mb")) max_mb = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--steps")) steps = std::atoi(argv[i + 1]);
  }
  auto pg = dist::ProcessGroup::from_environment();
  set_num_threads(1);
  try {
    if (pg->world_size() > 1) bandwidth(*pg, max_mb << 20);
    mlp_step(pg, steps);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lathe_distributed_bench: %s\n", e.what());
    pg->abort(1);
  }
  return 0;
}
