// Data: the IDX reader on files the test writes (gzip and plain), its errors, Fashion-MNIST,
// TensorDataset, DataLoader and train_val_split.
#include "models/data/data.h"

#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <set>

#include "lathe.h"

#ifdef LATHE_WITH_ZLIB
#include <zlib.h>
#endif

using namespace lathe;
using namespace lathe::data;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  fs::path dir = fs::path(LATHE_BINARY_DIR) / "data_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// An IDX file's bytes: magic, big-endian dims, then `data` (already big-endian).
std::string idx_bytes(int type, const std::vector<uint32_t>& dims, const std::string& data) {
  std::string out = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((d >> shift) & 0xff);
  return out + data;
}

void write_plain(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

#ifdef LATHE_WITH_ZLIB
void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) ==
          static_cast<int>(bytes.size()));
  REQUIRE(gzclose(gz) == Z_OK);
}
#endif

// Samples x = i (f32 [N, 2]: i and -i) and y = 2 i (i64 [N]): a row's pairing is checkable.
TensorDataset numbered(int64_t n) {
  std::vector<float> x;
  std::vector<int64_t> y;
  for (int64_t i = 0; i < n; ++i) {
    x.push_back(static_cast<float>(i));
    x.push_back(-static_cast<float>(i));
    y.push_back(2 * i);
  }
  return TensorDataset({from_vector(x, {n, 2}), from_vector(y, {n})});
}

// The sample ids of a batch (column 0 of x), checking each row's pairing with its label.
std::vector<int64_t> ids(const Batch& b) {
  std::vector<float> x = b[0].to_vector<float>();
  std::vector<int64_t> y = b[1].to_vector<int64_t>();
  std::vector<int64_t> out;
  for (size_t i = 0; i < y.size(); ++i) {
    CHECK(x[2 * i + 1] == -x[2 * i]);
    CHECK(y[i] == 2 * static_cast<int64_t>(x[2 * i]));
    out.push_back(static_cast<int64_t>(x[2 * i]));
  }
  return out;
}

std::vector<int64_t> epoch_ids(const DataLoader& loader, int64_t epoch) {
  std::vector<int64_t> out;
  for (const Batch& b : loader.epoch(epoch)) {
    std::vector<int64_t> i = ids(b);
    out.insert(out.end(), i.begin(), i.end());
  }
  return out;
}

// Why the real Fashion-MNIST cannot be loaded here, or "" when it can.
std::string fashion_mnist_missing() {
  for (const char* f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
    struct stat st;
    if (::stat((std::string(kFashionMnistDir) + "/" + f).c_str(), &st) != 0)
      return std::string("Fashion-MNIST is not in ") + kFashionMnistDir +
             " (apt-get install dataset-fashion-mnist)";
  }
#ifndef LATHE_WITH_ZLIB
  return "lathe was built without zlib, and the Fashion-MNIST files are gzip";
#endif
  return "";
}

}  // namespace

// ---- IDX ----

TEST_CASE("idx reads every element type, big-endian, gzip or plain", "[unit][data][idx]") {
  std::string dir = fresh_dir("types");
  // u8 [2, 3]: 0, 1, 2, 253, 254, 255
  std::string u8 = idx_bytes(0x08, {2, 3}, std::string("\x00\x01\x02\xfd\xfe\xff", 6));
  write_plain(dir + "/u8.idx", u8);
  IdxArray raw = read_idx(dir + "/u8.idx");
  CHECK(raw.type == 0x08);
  CHECK(raw.dims == std::vector<int64_t>{2, 3});
  CHECK(raw.bytes.size() == 6);
  Tensor f = load_idx(dir + "/u8.idx", DType::f32);
  CHECK(f.shape() == Shape{2, 3});
  CHECK(f.to_vector<float>() == std::vector<float>{0, 1, 2, 253, 254, 255});
  CHECK(load_idx(dir + "/u8.idx", DType::i64).to_vector<int64_t>() ==
        std::vector<int64_t>{0, 1, 2, 253, 254, 255});
  CHECK(load_idx(dir + "/u8.idx", DType::boolean).to_vector<bool>() ==
        std::vector<bool>{false, true, true, true, true, true});
  CHECK(load_idx(dir + "/u8.idx", DType::bf16).to_vector<float>()[5] == 255.0f);

  // i8 -1, i16 -2 and 258, i32 -3, f32 1.5, f64 -0.25: big-endian encodings.
  write_plain(dir + "/i8.idx", idx_bytes(0x09, {1}, "\xff"));
  CHECK(load_idx(dir + "/i8.idx", DType::i32).to_vector<int32_t>() == std::vector<int32_t>{-1});
  write_plain(dir + "/i16.idx", idx_bytes(0x0B, {2}, std::string("\xff\xfe\x01\x02", 4)));
  CHECK(load_idx(dir + "/i16.idx", DType::i64).to_vector<int64_t>() ==
        std::vector<int64_t>{-2, 258});
  write_plain(dir + "/i32.idx", idx_bytes(0x0C, {1}, std::string("\xff\xff\xff\xfd", 4)));
  CHECK(load_idx(dir + "/i32.idx", DType::i64).item() == -3);
  write_plain(dir + "/f32.idx", idx_bytes(0x0D, {1}, std::string("\x3f\xc0\x00\x00", 4)));
  CHECK(load_idx(dir + "/f32.idx", DType::f64).item() == 1.5);
  write_plain(dir + "/f64.idx", idx_bytes(0x0E, {1, 1}, std::string("\xbf\xd0\0\0\0\0\0\0", 8)));
  CHECK(load_idx(dir + "/f64.idx", DType::f64).item() == -0.25);
  // Empty dims are fine.
  write_plain(dir + "/empty.idx", idx_bytes(0x08, {0, 28}, ""));
  CHECK(load_idx(dir + "/empty.idx", DType::f32).shape() == Shape{0, 28});

#ifdef LATHE_WITH_ZLIB
  write_gzip(dir + "/u8.idx.gz", u8);
  CHECK(load_idx(dir + "/u8.idx.gz", DType::f32).to_vector<float>() ==
        std::vector<float>{0, 1, 2, 253, 254, 255});
#endif
}

TEST_CASE("corrupt and truncated idx files are reported with their path",
          "[unit][data][idx][errors]") {
  std::string dir = fresh_dir("errors");
  auto expect_error = [&](const std::string& name, const std::string& bytes,
                          const std::string& what, bool gzip = false) {
    std::string path = dir + "/" + name;
#ifdef LATHE_WITH_ZLIB
    if (gzip) write_gzip(path, bytes);
#endif
    if (!gzip) write_plain(path, bytes);
    INFO(name);
    CHECK_THROWS_WITH(read_idx(path),
                      Catch::Contains("[idx]") && Catch::Contains(path) && Catch::Contains(what));
  };
  std::string pixels(2 * 28 * 28, '\x07');
  expect_error("bad_magic", std::string("\x08\x03\x00\x00", 4) + pixels, "bad magic number");
  expect_error("bad_type", idx_bytes(0x07, {2, 28, 28}, pixels), "bad magic number");
  expect_error("zero_dims", idx_bytes(0x08, {}, ""), "0 dims");
  expect_error("short_magic", std::string("\x00\x00", 2), "shorter than the 4-byte magic");
  expect_error("short_dims", idx_bytes(0x08, {2, 28, 28}, "").substr(0, 9), "promises 3 dims");
  expect_error("truncated", idx_bytes(0x08, {3, 28, 28}, pixels),
               "dims [3, 28, 28] need 2352 bytes of data, the file has 1568");
  expect_error("extra", idx_bytes(0x08, {1, 28, 28}, pixels), "more data than dims [1, 28, 28]");
  expect_error("implausible", idx_bytes(0x0E, {0xffffffff, 0xffffffff, 0xffff}, ""), "implausible");
  // f32 1.5 and NaN: as f32 both load, as an integer dtype the NaN has no value.
  write_plain(dir + "/nan.idx", idx_bytes(0x0D, {2}, std::string("\x3f\xc0\0\0\x7f\xc0\0\0", 8)));
  CHECK(std::isnan(load_idx(dir + "/nan.idx", DType::f32).to_vector<float>()[1]));
  CHECK_THROWS_WITH(load_idx(dir + "/nan.idx", DType::i64),
                    Catch::Contains(dir + "/nan.idx") && Catch::Contains("element 1 (nan)") &&
                        Catch::Contains("does not fit the integer dtype"));
  CHECK_THROWS_WITH(read_idx(dir + "/no_such_file"),
                    Catch::Contains("cannot open") && Catch::Contains("no_such_file"));
  CHECK_THROWS_WITH(read_idx(dir), Catch::Contains("not a regular file"));
#ifdef LATHE_WITH_ZLIB
  expect_error("truncated.gz", idx_bytes(0x08, {3, 28, 28}, pixels), "the file has 1568", true);
  expect_error("bad_magic.gz", std::string("\x08\x03\x00\x00", 4), "bad magic number", true);
  // A gzip stream cut short, and one with damaged compressed data.
  write_gzip(dir + "/whole.gz", idx_bytes(0x08, {2, 28, 28}, pixels));
  std::string gz = read_bytes(dir + "/whole.gz");
  write_plain(dir + "/cut.gz", gz.substr(0, gz.size() / 2));
  CHECK_THROWS_WITH(read_idx(dir + "/cut.gz"),
                    Catch::Contains(dir + "/cut.gz") &&
                        (Catch::Contains("truncated") || Catch::Contains("corrupt gzip")));
  std::string damaged = gz;
  for (size_t i = 12; i < damaged.size() - 8; ++i) damaged[i] = static_cast<char>(~damaged[i]);
  write_plain(dir + "/damaged.gz", damaged);
  CHECK_THROWS_WITH(read_idx(dir + "/damaged.gz"), Catch::Contains(dir + "/damaged.gz"));
#endif
}

// ---- Fashion-MNIST ----

TEST_CASE("fashion-mnist loads both splits", "[unit][data][fashion_mnist]") {
  std::string missing = fashion_mnist_missing();
  if (!missing.empty()) {
    // CTest reports the test as skipped on this marker (tests/CMakeLists.txt).
    std::cout << "LATHE_TEST_SKIPPED: " << missing << std::endl;
    return;
  }
  ImageSet train = load_fashion_mnist("train", kFashionMnistDir, [] {
    FashionMnistOptions o;
    o.device = Device::reference();
    return o;
  }());
  CHECK(train.images.shape() == Shape{60000, 28, 28});
  CHECK(train.images.dtype() == DType::f32);
  CHECK(train.labels.shape() == Shape{60000});
  CHECK(train.labels.dtype() == DType::i64);
  std::vector<int64_t> labels = train.labels.to_vector<int64_t>();
  std::vector<int64_t> counts(10, 0);
  for (int64_t l : labels) ++counts.at(static_cast<size_t>(l));  // throws when not in 0..9
  CHECK(counts == std::vector<int64_t>(10, 6000));
  CHECK(std::vector<int64_t>(labels.begin(), labels.begin() + 10) ==
        std::vector<int64_t>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
  std::vector<float> pixels = train.images.to_vector<float>();
  auto [lo, hi] = std::minmax_element(pixels.begin(), pixels.end());
  CHECK(*lo == 0.0f);
  CHECK(*hi == 1.0f);
  // Pixel sums in grey levels (numpy: 76247 and 3431114169), and the statistics behind
  // kFashionMnistMean / kFashionMnistStd.
  double first = 0, total = 0, squares = 0;
  int64_t off_grid = 0;  // pixels that are not exactly a grey level / 255
  for (size_t i = 0; i < pixels.size(); ++i) {
    double grey = std::round(pixels[i] * 255.0);
    off_grid += pixels[i] != static_cast<float>(grey / 255.0);
    total += grey;
    squares += grey * grey;
    if (i < 784) first += grey;
  }
  CHECK(off_grid == 0);
  CHECK(first == 76247);
  CHECK(total == 3431114169.0);
  double count = static_cast<double>(pixels.size());
  double mean = total / 255.0 / count;
  CHECK(mean == Approx(kFashionMnistMean).epsilon(1e-9));
  CHECK(std::sqrt(squares / (255.0 * 255.0) / count - mean * mean) ==
        Approx(kFashionMnistStd).epsilon(1e-9));

  FashionMnistOptions o;
  o.flatten = true;
  o.standardize = true;
  ImageSet test = load_fashion_mnist("test", kFashionMnistDir, o);
  CHECK(test.images.shape() == Shape{10000, 784});
  CHECK(test.images.device() == default_device());
  std::vector<int64_t> test_labels = test.labels.to_vector<int64_t>();
  CHECK(std::vector<int64_t>(test_labels.begin(), test_labels.begin() + 10) ==
        std::vector<int64_t>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7});
  std::vector<int64_t> test_counts(10, 0);
  for (int64_t l : test_labels) ++test_counts.at(static_cast<size_t>(l));  // throws when not in 0..9
  CHECK(test_counts == std::vector<int64_t>(10, 1000));
  // Standardized with the training statistics: the test set's grey-level sum (numpy:
  // 573469082) gives its mean, 0.0022907 after standardizing.
  std::vector<float> z = test.images.to_vector<float>();
  double test_mean = std::accumulate(z.begin(), z.end(), 0.0) / static_cast<double>(z.size());
  CHECK(test_mean ==
        Approx((573469082.0 / 255.0 / 7840000.0 - kFashionMnistMean) / kFashionMnistStd)
            .margin(1e-6));
  CHECK(*std::min_element(z.begin(), z.end()) ==
        Approx(-kFashionMnistMean / kFashionMnistStd).epsilon(1e-6));

  // A split and a loader over the real data: 54000 + 6000, batches of [128, 784] and [128].
  auto [fit, val] =
      train_val_split(TensorDataset({train.images.reshape({60000, 784}), train.labels}), 0.1, 0);
  CHECK(fit.size() == 54000);
  CHECK(val.size() == 6000);
  DataLoaderOptions opts;
  opts.batch_size = 128;
  opts.shuffle = true;
  DataLoader loader(fit, opts);
  CHECK(loader.num_batches() == 422);  // 421 full batches and one of 112
  DataLoader::Epoch e = loader.epoch(0);
  Batch b = e[0];
  CHECK(b[0].shape() == Shape{128, 784});
  CHECK(b[1].shape() == Shape{128});
  CHECK(e[421][0].shape() == Shape{112, 784});
  // Row k of the batch is sample order[k] of `fit`: its pixels and its label travel together.
  int64_t k = e.order()[5];
  CHECK(b[0].slice(0, 5, 6).to_vector<float>() ==
        fit.tensor(0).slice(0, k, k + 1).to_vector<float>());
  CHECK(b[1].to_vector<int64_t>()[5] == fit.tensor(1).to_vector<int64_t>()[static_cast<size_t>(k)]);
}

TEST_CASE("fashion-mnist errors say what is missing or wrong",
          "[unit][data][fashion_mnist][errors]") {
  std::string dir = fresh_dir("fashion_missing");
  CHECK_THROWS_WITH(load_fashion_mnist("train", dir),
                    Catch::Contains(dir + "/train-images-idx3-ubyte.gz") &&
                        Catch::Contains("apt-get install dataset-fashion-mnist"));
  CHECK_THROWS_WITH(load_fashion_mnist("validation", dir), Catch::Contains("unknown split"));

  // A tiny stand-in (plain files, the uncompressed names): 3 images, a label out of range.
  std::string img = idx_bytes(0x08, {3, 28, 28}, std::string(3 * 784, '\x80'));
  write_plain(dir + "/t10k-images-idx3-ubyte", img);
  write_plain(dir + "/t10k-labels-idx1-ubyte",
              idx_bytes(0x08, {3}, std::string("\x01\x0a\x02", 3)));
  CHECK_THROWS_WITH(load_fashion_mnist("test", dir), Catch::Contains("label 10 at index 1"));
  write_plain(dir + "/t10k-labels-idx1-ubyte", idx_bytes(0x08, {2}, std::string("\x01\x02", 2)));
  CHECK_THROWS_WITH(load_fashion_mnist("test", dir), Catch::Contains("expected 3 u8 labels"));
  write_plain(dir + "/t10k-labels-idx1-ubyte",
              idx_bytes(0x08, {3}, std::string("\x01\x02\x09", 3)));
  ImageSet s = load_fashion_mnist("test", dir);
  CHECK(s.images.shape() == Shape{3, 28, 28});
  CHECK(s.images.to_vector<float>()[0] == static_cast<float>(128 / 255.0));
  CHECK(s.labels.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 9});
  write_plain(dir + "/t10k-images-idx3-ubyte",
              idx_bytes(0x08, {3, 28, 27}, std::string(3 * 756, '\0')));
  CHECK_THROWS_WITH(load_fashion_mnist("test", dir),
                    Catch::Contains("expected u8 images [N, 28, 28]"));
}

// ---- datasets and batching ----

TEST_CASE("TensorDataset checks its tensors and gathers rows", "[unit][data]") {
  TensorDataset d = numbered(5);
  CHECK(d.size() == 5);
  std::vector<Tensor> r = d.rows(std::vector<int64_t>{4, 0, 4});
  CHECK(r[0].shape() == Shape{3, 2});
  CHECK(r[1].to_vector<int64_t>() == std::vector<int64_t>{8, 0, 8});
  CHECK_THROWS_WITH(d.rows(std::vector<int64_t>{5}), Catch::Contains("index 5 is out of range"));
  CHECK_THROWS_WITH(TensorDataset({ones({4, 2}), ones({5})}),
                    Catch::Contains("tensor 1 has 5 samples"));
  CHECK_THROWS_WITH(TensorDataset({scalar(1.0)}), Catch::Contains("0-d"));
  CHECK_THROWS_WITH(TensorDataset(std::vector<Tensor>{}), Catch::Contains("at least one tensor"));
}

TEST_CASE("DataLoader covers every sample once per epoch, in order without shuffle",
          "[unit][data]") {
  DataLoaderOptions o;
  o.batch_size = 10;
  DataLoader plain(numbered(103), o);
  CHECK(plain.num_batches() == 11);
  std::vector<int64_t> order(103);
  std::iota(order.begin(), order.end(), 0);
  CHECK(epoch_ids(plain, 0) == order);
  CHECK(epoch_ids(plain, 5) == order);
  DataLoader::Epoch e = plain.epoch(0);
  CHECK(e.size() == 11);
  CHECK(e[10][0].shape() == Shape{3, 2});  // the last, partial batch
  CHECK_THROWS_WITH(e[11], Catch::Contains("batch 11 is out of range"));

  o.shuffle = true;
  o.seed = 42;
  DataLoader shuffled(numbered(103), o);
  for (int64_t epoch : {0, 1, 7}) {
    std::vector<int64_t> got = epoch_ids(shuffled, epoch);
    CHECK(got != order);
    std::sort(got.begin(), got.end());
    CHECK(got == order);  // a permutation: every sample exactly once
  }
}

TEST_CASE("DataLoader shuffles reproducibly: a function of (seed, epoch)", "[unit][data]") {
  DataLoaderOptions o;
  o.batch_size = 8;
  o.shuffle = true;
  o.seed = 7;
  DataLoader a(numbered(50), o), b(numbered(50), o);
  CHECK(epoch_ids(a, 3) == epoch_ids(b, 3));
  CHECK(a.order(3) == b.order(3));
  CHECK(a.order(0) != a.order(1));  // a new permutation every epoch
  CHECK(a.order(1) != a.order(2));
  o.seed = 8;
  DataLoader c(numbered(50), o);
  CHECK(c.order(3) != a.order(3));
  // The stream is lathe's Generator: epoch e draws at counter offset e * N.
  Generator g;
  g.set_state(7, 3 * 50);
  CHECK(random_permutation(50, g) == a.order(3));
  CHECK(g.offset() == 4 * 50);
}

TEST_CASE("DataLoader drop_last leaves out the partial batch", "[unit][data]") {
  DataLoaderOptions o;
  o.batch_size = 10;
  o.drop_last = true;
  o.shuffle = true;
  DataLoader loader(numbered(103), o);
  CHECK(loader.num_batches() == 10);
  std::set<int64_t> seen;
  int64_t batches = 0;
  for (const Batch& b : loader.epoch(2)) {
    CHECK(b[0].shape() == Shape{10, 2});
    CHECK(b[1].shape() == Shape{10});
    for (int64_t i : ids(b)) CHECK(seen.insert(i).second);
    ++batches;
  }
  CHECK(batches == 10);
  CHECK(seen.size() == 100);
  o.batch_size = 200;
  CHECK(DataLoader(numbered(103), o).num_batches() == 0);
  o.batch_size = 0;
  CHECK_THROWS_WITH(DataLoader(numbered(3), o), Catch::Contains("batch_size must be positive"));
  CHECK_THROWS_WITH(loader.order(-1), Catch::Contains("epoch must be non-negative"));
}

TEST_CASE("train_val_split sizes, disjointness and reproducibility", "[unit][data]") {
  TensorDataset d = numbered(100);
  auto [train, val] = train_val_split(d, 0.2, 3);
  CHECK(train.size() == 80);
  CHECK(val.size() == 20);
  std::vector<int64_t> t = ids(train.rows(arange(80))), v = ids(val.rows(arange(20)));
  CHECK(std::is_sorted(t.begin(), t.end()));  // each part keeps the original order
  CHECK(std::is_sorted(v.begin(), v.end()));
  std::vector<int64_t> all;
  std::set_union(t.begin(), t.end(), v.begin(), v.end(), std::back_inserter(all));
  CHECK(all.size() == 100);  // disjoint, and together every sample

  auto [train2, val2] = train_val_split(d, 0.2, 3);
  CHECK(ids(val2.rows(arange(20))) == v);
  auto [train3, val3] = train_val_split(d, 0.2, 4);
  CHECK(ids(val3.rows(arange(20))) != v);

  CHECK(train_val_split(d, 0.0, 0).second.size() == 0);
  CHECK(train_val_split(d, 1.0, 0).first.size() == 0);
  CHECK(train_val_split(numbered(7), 0.5, 0).second.size() == 4);  // round(3.5)
  CHECK_THROWS_WITH(train_val_split(d, 1.5, 0), Catch::Contains("val_fraction must be in [0, 1]"));
  CHECK_THROWS_WITH(train_val_split(d, std::nan(""), 0), Catch::Contains("val_fraction"));
}
