// DistributedSampler: each rank's disjoint shard of a data set, for one epoch, in the spirit of
// torch.utils.data.DistributedSampler.
//
//   dist::DistributedSampler sampler(dataset.size(), pg->rank(), pg->world_size(),
//                                    {/*shuffle=*/true, /*seed=*/0, /*drop_last=*/false});
//   for (const data::Batch& b : sampler.epoch(dataset, /*batch_size=*/64, epoch)) ...
//
// Every rank draws the same permutation of 0..N-1 for an epoch: the DataLoader's own (Fisher-
// Yates from Generator(seed) at counter offset epoch * N, models/data/data.h), so an np = 1 run
// sees exactly a DataLoader's order. The permutation is then made a multiple of the world size
// W: padded with its own first samples (drop_last = false: every sample is seen, a few twice)
// or cut (drop_last = true: the last N mod W samples of the permutation are skipped). Rank r
// takes positions r, r + W, r + 2W, ... (PyTorch's layout), so batch i of rank r holds the
// samples that batch i of a single process with the global batch W * b would hold, at the
// positions r, r + W, ... of it.
#pragma once

#include <cstdint>
#include <vector>

#include "models/data/data.h"

namespace lathe::dist {

struct DistributedSamplerOptions {
  bool shuffle = true;
  uint64_t seed = 0;
  bool drop_last = false;
};

class DistributedSampler {
 public:
  DistributedSampler(int64_t dataset_size, int rank, int world_size,
                     DistributedSamplerOptions options = {});

  int64_t num_samples() const { return num_samples_; }  // this rank's shard, every epoch
  // This rank's sample indices for the epoch.
  std::vector<int64_t> indices(int64_t epoch) const;
  // This rank's batches of `dataset` for the epoch (the last one smaller unless drop_last_batch).
  data::DataLoader::Epoch epoch(const data::TensorDataset& dataset, int64_t batch_size,
                                int64_t epoch, bool drop_last_batch = false) const;

 private:
  int64_t size_;
  int rank_;
  int world_size_;
  DistributedSamplerOptions options_;
  int64_t num_samples_;
};

}  // namespace lathe::dist
