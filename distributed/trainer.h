// dist::fit: train::Trainer, data-parallel. Each epoch the Trainer runs over this rank's shard
// of the training set (a DistributedSampler's indices for that epoch, in batches of batch_size
// per rank: the global batch is batch_size * world size); the model's gradients must be
// averaged inside backward, by a DistributedDataParallel in hook mode (reduce_in_hooks), since
// the Trainer calls loss.backward() itself.
//
//   dist::DistributedDataParallelOptions o;
//   o.reduce_in_hooks = true;
//   dist::DistributedDataParallel ddp(model, pg, o);
//   train::Trainer trainer(*model, opt, loss_fn);
//   trainer.options().epochs = 5;
//   trainer.options().checkpoint_path = "run/ckpt.safetensors";  // written by rank 0 only
//   dist::fit(trainer, *pg, sampler, train_set, 64, &test_loader);
//
// Rank 0 alone writes the checkpoint (the other ranks' checkpoint_path is cleared); every rank
// resumes from it with load_checkpoint before fit. The returned records hold the global
// training sums (over every rank's shard); the evaluation runs on every rank over the whole
// eval loader (the same parameters give the same numbers). Callbacks see this rank's shard
// sums, and on_fit_begin / on_fit_end once per epoch (fit is called per epoch, with that
// epoch's shard as the loader). An LR scheduler counts steps per rank: sampler.num_samples() /
// batch_size batches an epoch.
#pragma once

#include <vector>

#include "distributed/process_group.h"
#include "distributed/sampler.h"
#include "models/trainer.h"

namespace lathe::dist {

std::vector<train::EpochRecord> fit(train::Trainer& trainer, ProcessGroup& group,
                                    const DistributedSampler& sampler,
                                    const data::TensorDataset& train_set, int64_t batch_size,
                                    const data::DataLoader* eval = nullptr);

// Sums loss_sum, correct, samples and labelled over the ranks (seconds: the slowest rank's).
void allreduce_metrics(train::Metrics& m, ProcessGroup& group);

}  // namespace lathe::dist
