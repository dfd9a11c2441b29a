// dist::fit (see trainer.h): the Trainer run epoch by epoch on this rank's shard.
#include "distributed/trainer.h"

#include "core/error.h"

namespace lathe::dist {

void allreduce_metrics(train::Metrics& m, ProcessGroup& group) {
  Tensor sums = from_vector(std::vector<double>{m.loss_sum, double(m.correct), double(m.samples),
                                                double(m.labelled)},
                            {4}, DType::f64, Device::reference());
  group.allreduce(sums, ReduceOp::sum);
  std::vector<double> s = sums.to_vector<double>();
  m.loss_sum = s[0];
  m.correct = static_cast<int64_t>(s[1]);
  m.samples = static_cast<int64_t>(s[2]);
  m.labelled = static_cast<int64_t>(s[3]);
  // The slowest rank's time is the epoch's: gather everyone's and keep the largest.
  Tensor t = group.allgather(from_vector(std::vector<double>{m.seconds}, {1}, DType::f64,
                                         Device::reference()));
  for (double v : t.to_vector<double>()) m.seconds = std::max(m.seconds, v);
}

std::vector<train::EpochRecord> fit(train::Trainer& trainer, ProcessGroup& group,
                                    const DistributedSampler& sampler,
                                    const data::TensorDataset& train_set, int64_t batch_size,
                                    const data::DataLoader* eval) {
  LATHE_CHECK(batch_size > 0, "[dist::fit] batch_size must be positive, got ", batch_size);
  if (group.rank() != 0) trainer.options().checkpoint_path.clear();
  int64_t last = trainer.options().epochs;
  std::vector<train::EpochRecord> records;
  for (int64_t e = trainer.epoch(); e < last; ++e) {
    data::TensorDataset shard(train_set.rows(sampler.indices(e)));
    data::DataLoader loader(shard, {batch_size, /*shuffle=*/false, 0, false});
    // One epoch: fit runs [epoch(), epochs), resuming mid-epoch at the trainer's batch.
    trainer.options().epochs = e + 1;
    std::vector<train::EpochRecord> done = trainer.fit(loader, eval);
    for (train::EpochRecord& r : done) {
      allreduce_metrics(r.train, group);
      records.push_back(r);
    }
    if (trainer.stopped()) break;
  }
  trainer.options().epochs = last;
  return records;
}

}  // namespace lathe::dist
