// DistributedSampler (see sampler.h).
#include "distributed/sampler.h"

#include "core/error.h"
#include "core/random.h"

namespace lathe::dist {

DistributedSampler::DistributedSampler(int64_t dataset_size, int rank, int world_size,
                                       DistributedSamplerOptions options)
    : size_(dataset_size), rank_(rank), world_size_(world_size), options_(options) {
  LATHE_CHECK(world_size >= 1, "[DistributedSampler] world_size must be >= 1, got ", world_size);
  LATHE_CHECK(rank >= 0 && rank < world_size, "[DistributedSampler] rank ", rank,
              " is outside 0..", world_size - 1);
  LATHE_CHECK(dataset_size >= 0, "[DistributedSampler] dataset_size must be >= 0, got ",
              dataset_size);
  num_samples_ = options.drop_last ? dataset_size / world_size
                                   : (dataset_size + world_size - 1) / world_size;
  LATHE_CHECK(num_samples_ > 0 || dataset_size == 0, "[DistributedSampler] ", dataset_size,
              " samples over ", world_size, " ranks with drop_last leaves every rank nothing");
}

std::vector<int64_t> DistributedSampler::indices(int64_t epoch) const {
  LATHE_CHECK(epoch >= 0, "[DistributedSampler] epoch must be non-negative, got ", epoch);
  std::vector<int64_t> order(static_cast<size_t>(size_));
  if (options_.shuffle) {
    Generator gen;
    gen.set_state(options_.seed, static_cast<uint64_t>(epoch) * static_cast<uint64_t>(size_));
    order = data::random_permutation(size_, gen);
  } else {
    for (int64_t i = 0; i < size_; ++i) order[i] = i;
  }
  int64_t total = num_samples_ * world_size_;
  // Padding repeats the permutation from its start (more than once if N < W).
  for (int64_t i = size_; i < total; ++i) order.push_back(order[static_cast<size_t>(i % size_)]);
  std::vector<int64_t> shard;
  shard.reserve(static_cast<size_t>(num_samples_));
  for (int64_t i = rank_; i < total; i += world_size_) shard.push_back(order[i]);
  return shard;
}

data::DataLoader::Epoch DistributedSampler::epoch(const data::TensorDataset& dataset,
                                                  int64_t batch_size, int64_t epoch,
                                                  bool drop_last_batch) const {
  LATHE_CHECK(dataset.size() == size_, "[DistributedSampler] the sampler was made for ", size_,
              " samples, the data set has ", dataset.size());
  LATHE_CHECK(batch_size > 0, "[DistributedSampler] batch_size must be positive, got ",
              batch_size);
  int64_t batches = drop_last_batch ? num_samples_ / batch_size
                                    : (num_samples_ + batch_size - 1) / batch_size;
  return data::DataLoader::Epoch(dataset, indices(epoch), batch_size, batches);
}

}  // namespace lathe::dist
