// Data: the IDX reader (the MNIST / Fashion-MNIST file format), Fashion-MNIST, an in-memory
// dataset of tensors, a batching DataLoader with reproducible shuffling, and a train/validation
// split.
//
//   data::FashionMnistOptions fm;
//   fm.flatten = true;
//   data::ImageSet train = data::load_fashion_mnist("train", data::kFashionMnistDir, fm);
//   auto [fit, val] = data::train_val_split(data::TensorDataset({train.images, train.labels}),
//                                           /*val_fraction=*/0.1, /*seed=*/0);
//   data::DataLoaderOptions opts;
//   opts.batch_size = 128;
//   opts.shuffle = true;
//   data::DataLoader loader(fit, opts);
//   for (int64_t epoch = 0; epoch < 10; ++epoch)
//     for (const data::Batch& b : loader.epoch(epoch)) {  // b[0]: [128, 784] f32, b[1]: [128] i64
//       ...
//     }
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/tensor.h"

namespace lathe::data {

// ---- IDX files ----

// An IDX file as stored: element type code, dims, and the data bytes (big-endian, as in the
// file). Type codes: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64.
struct IdxArray {
  int type = 0x08;
  std::vector<int64_t> dims;
  std::vector<unsigned char> bytes;
};

// Reads an IDX file, gzip-compressed (when lathe is built with zlib) or plain. Checks the magic
// (two zero bytes, a known type code, 1..8 dims) and that the data is exactly what the dims
// promise; a missing, corrupt or truncated file is a lathe::Error naming the path.
IdxArray read_idx(const std::string& path);
// The same, converted to a tensor of `dtype` (e.g. u8 images as f32 0..255, labels as i64).
// Float data loaded as an integer dtype is truncated; NaN, infinities and values out of the
// dtype's range are an error.
Tensor load_idx(const std::string& path, DType dtype, Device device = default_device());

// ---- Fashion-MNIST ----

// Where Debian's dataset-fashion-mnist package puts the four files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// Per-pixel mean and standard deviation of the training images after /255.
inline constexpr double kFashionMnistMean = 0.2860405969887955;
inline constexpr double kFashionMnistStd = 0.35302424451492237;  // population std

struct FashionMnistOptions {
  bool flatten = false;      // images [N, 784] instead of [N, 28, 28]
  bool standardize = false;  // after /255, (x - mean) / std
  double mean = kFashionMnistMean;
  double std = kFashionMnistStd;
  Device device = default_device();
};

struct ImageSet {
  Tensor images;  // [N, 28, 28] or [N, 784], f32: pixel / 255 (then standardized if asked)
  Tensor labels;  // [N], i64, 0..9
};

// split: "train" (60000 images) or "test" (10000). Reads `<dir>/train-images-idx3-ubyte.gz`
// and friends (or the same names without .gz). Missing files are an error that says to
// `apt-get install dataset-fashion-mnist`.
ImageSet load_fashion_mnist(const std::string& split, const std::string& dir = kFashionMnistDir,
                            const FashionMnistOptions& options = {});

// ---- datasets and batching ----

// Tensors that share their first dimension: sample i is row i of each.
class TensorDataset {
 public:
  TensorDataset() = default;
  explicit TensorDataset(std::vector<Tensor> tensors);

  int64_t size() const { return size_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const Tensor& tensor(size_t i) const { return tensors_.at(i); }
  // Rows `indices` (i64 [K], any device) of every tensor: index_select along dim 0 (copies).
  std::vector<Tensor> rows(const Tensor& indices) const;
  std::vector<Tensor> rows(const std::vector<int64_t>& indices) const;
  TensorDataset subset(const std::vector<int64_t>& indices) const;

 private:
  std::vector<Tensor> tensors_;
  int64_t size_ = 0;
};

// A uniformly random permutation of 0..n-1 (Fisher-Yates), drawing n f64 uniforms from `gen`
// (so it advances the generator by n counters and is the same on every backend).
std::vector<int64_t> random_permutation(int64_t n, Generator& gen);

struct DataLoaderOptions {
  int64_t batch_size = 32;
  bool shuffle = false;
  uint64_t seed = 0;       // the permutation of epoch e is a function of (seed, e) only
  bool drop_last = false;  // leave out the last batch when it is smaller than batch_size
};

using Batch = std::vector<Tensor>;  // one tensor per dataset tensor, rows in the epoch's order

class DataLoader {
 public:
  explicit DataLoader(TensorDataset dataset, DataLoaderOptions options = {});

  const TensorDataset& dataset() const { return dataset_; }
  const DataLoaderOptions& options() const { return options_; }
  int64_t num_batches() const;

  // The sample order of an epoch: 0..N-1, or with shuffle the permutation drawn from
  // Generator(seed) at counter offset epoch * N. No state: any epoch can be replayed or resumed.
  std::vector<int64_t> order(int64_t epoch) const;

  class Epoch;
  Epoch epoch(int64_t epoch) const;

 private:
  TensorDataset dataset_;
  DataLoaderOptions options_;
};

// The batches of one epoch, in order; a batch is gathered when it is dereferenced.
class DataLoader::Epoch {
 public:
  class iterator {
   public:
    iterator(const Epoch* epoch, int64_t i) : epoch_(epoch), i_(i) {}
    Batch operator*() const { return (*epoch_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const Epoch* epoch_;
    int64_t i_;
  };

  Epoch(TensorDataset dataset, std::vector<int64_t> order, int64_t batch_size, int64_t num_batches);
  int64_t size() const { return num_batches_; }
  Batch operator[](int64_t i) const;
  const std::vector<int64_t>& order() const { return order_; }
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, num_batches_); }

 private:
  TensorDataset dataset_;
  std::vector<int64_t> order_;
  int64_t batch_size_;
  int64_t num_batches_;
};

// Splits the samples at random into (train, validation): round(N * val_fraction) samples go to
// validation. The permutation is drawn from Generator(seed) at counter offset 2^63, a stream
// DataLoader epochs never reach; each part keeps the original order of its samples.
std::pair<TensorDataset, TensorDataset> train_val_split(const TensorDataset& dataset,
                                                        double val_fraction, uint64_t seed = 0);

}  // namespace lathe::data
