// TensorDataset, DataLoader and train_val_split. Shuffling draws from lathe's counter-based
// Generator at explicit offsets, so an epoch's order is a pure function of (seed, epoch): the
// same on every backend and machine, replayable, and resumable from a checkpoint that stores
// only the epoch number.
#include <algorithm>
#include <cmath>

#include "models/data/data.h"
#include "ops/ops.h"

namespace lathe::data {

TensorDataset::TensorDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  LATHE_CHECK(!tensors_.empty(), "[TensorDataset] needs at least one tensor");
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    LATHE_CHECK(t.defined(), "[TensorDataset] tensor ", i, " is undefined");
    LATHE_CHECK(t.dim() >= 1, "[TensorDataset] tensor ", i,
                " is 0-d; every tensor needs a first (sample) dimension");
    LATHE_CHECK(t.shape()[0] == tensors_[0].shape()[0], "[TensorDataset] tensor ", i, " has ",
                t.shape()[0], " samples (shape ", t.shape(), "), tensor 0 has ",
                tensors_[0].shape()[0], " (shape ", tensors_[0].shape(), ")");
  }
  size_ = tensors_[0].shape()[0];
}

std::vector<Tensor> TensorDataset::rows(const Tensor& indices) const {
  std::vector<Tensor> out;
  for (const Tensor& t : tensors_) out.push_back(index_select(t, indices.to(t.device()), 0));
  return out;
}

std::vector<Tensor> TensorDataset::rows(const std::vector<int64_t>& indices) const {
  for (int64_t i : indices)
    LATHE_CHECK(i >= 0 && i < size_, "[TensorDataset] index ", i, " is out of range for ", size_,
                " samples");
  return rows(from_vector(indices, {static_cast<int64_t>(indices.size())}, Device::reference()));
}

TensorDataset TensorDataset::subset(const std::vector<int64_t>& indices) const {
  return TensorDataset(rows(indices));
}

std::vector<int64_t> random_permutation(int64_t n, Generator& gen) {
  LATHE_CHECK(n >= 0, "[random_permutation] n must be non-negative, got ", n);
  std::vector<int64_t> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  if (n < 2) {
    gen.advance(static_cast<uint64_t>(n));
    return p;
  }
  std::vector<double> u = rand({n}, DType::f64, Device::reference(), &gen).to_vector<double>();
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates: p[i] swaps with a uniform j in [0, i]
    int64_t j = std::min(i, static_cast<int64_t>(u[i] * static_cast<double>(i + 1)));
    std::swap(p[i], p[j]);
  }
  return p;
}

DataLoader::DataLoader(TensorDataset dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  LATHE_CHECK(!dataset_.tensors().empty(), "[DataLoader] the dataset has no tensors");
  LATHE_CHECK(options_.batch_size > 0, "[DataLoader] batch_size must be positive, got ",
              options_.batch_size);
}

int64_t DataLoader::num_batches() const {
  int64_t n = dataset_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::vector<int64_t> DataLoader::order(int64_t epoch) const {
  LATHE_CHECK(epoch >= 0, "[DataLoader] epoch must be non-negative, got ", epoch);
  int64_t n = dataset_.size();
  if (!options_.shuffle) {
    std::vector<int64_t> p(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) p[i] = i;
    return p;
  }
  Generator gen;
  gen.set_state(options_.seed, static_cast<uint64_t>(epoch) * static_cast<uint64_t>(n));
  return random_permutation(n, gen);
}

DataLoader::Epoch DataLoader::epoch(int64_t epoch) const {
  return Epoch(dataset_, order(epoch), options_.batch_size, num_batches());
}

DataLoader::Epoch::Epoch(TensorDataset dataset, std::vector<int64_t> order, int64_t batch_size,
                         int64_t num_batches)
    : dataset_(std::move(dataset)),
      order_(std::move(order)),
      batch_size_(batch_size),
      num_batches_(num_batches) {}

Batch DataLoader::Epoch::operator[](int64_t i) const {
  LATHE_CHECK(i >= 0 && i < num_batches_, "[DataLoader] batch ", i, " is out of range for ",
              num_batches_, " batches");
  int64_t begin = i * batch_size_;
  int64_t end = std::min(begin + batch_size_, static_cast<int64_t>(order_.size()));
  return dataset_.rows(std::vector<int64_t>(order_.begin() + begin, order_.begin() + end));
}

std::pair<TensorDataset, TensorDataset> train_val_split(const TensorDataset& dataset,
                                                        double val_fraction, uint64_t seed) {
  LATHE_CHECK(std::isfinite(val_fraction) && val_fraction >= 0 && val_fraction <= 1,
              "[train_val_split] val_fraction must be in [0, 1], got ", val_fraction);
  LATHE_CHECK(!dataset.tensors().empty(), "[train_val_split] the dataset has no tensors");
  int64_t n = dataset.size();
  int64_t n_val = std::llround(static_cast<double>(n) * val_fraction);
  Generator gen;
  gen.set_state(seed, uint64_t(1) << 63);
  std::vector<int64_t> p = random_permutation(n, gen);
  std::vector<int64_t> val(p.begin(), p.begin() + n_val), train(p.begin() + n_val, p.end());
  std::sort(val.begin(), val.end());
  std::sort(train.begin(), train.end());
  return {dataset.subset(train), dataset.subset(val)};
}

}  // namespace lathe::data
