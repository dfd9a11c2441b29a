// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, https://github.com/zalandoresearch/fashion-mnist):
// 28x28 grey images of 10 clothing classes, 60000 for training and 10000 for testing, in the
// IDX format. Debian's dataset-fashion-mnist puts the gzip files in kFashionMnistDir.
#include <sys/stat.h>

#include "models/data/data.h"

namespace lathe::data {

namespace {

bool is_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// `<dir>/<stem>.gz`, else `<dir>/<stem>` (someone gunzipped them), else an error saying how to
// get the data.
std::string find_file(const std::string& dir, const std::string& stem) {
  std::string gz = dir + "/" + stem + ".gz";
  if (is_file(gz)) return gz;
  if (is_file(dir + "/" + stem)) return dir + "/" + stem;
  LATHE_FAIL("[fashion_mnist] ", gz, " not found (nor ", stem,
             "): install the data set with `apt-get install dataset-fashion-mnist`, or pass the "
             "directory that holds it");
}

}  // namespace

ImageSet load_fashion_mnist(const std::string& split, const std::string& dir,
                            const FashionMnistOptions& options) {
  LATHE_CHECK(split == "train" || split == "test", "[fashion_mnist] unknown split '", split,
              "' (expected \"train\" or \"test\")");
  LATHE_CHECK(!options.standardize || options.std > 0, "[fashion_mnist] std must be positive, got ",
              options.std);
  std::string prefix = split == "train" ? "train" : "t10k";
  std::string images_path = find_file(dir, prefix + "-images-idx3-ubyte");
  std::string labels_path = find_file(dir, prefix + "-labels-idx1-ubyte");

  IdxArray images = read_idx(images_path);
  LATHE_CHECK(images.type == 0x08 && images.dims.size() == 3 && images.dims[1] == 28 &&
                  images.dims[2] == 28,
              "[fashion_mnist] ", images_path, ": expected u8 images [N, 28, 28], got type 0x",
              std::hex, images.type, std::dec, " dims ", Shape(images.dims));
  IdxArray labels = read_idx(labels_path);
  int64_t n = images.dims[0];
  LATHE_CHECK(labels.type == 0x08 && labels.dims.size() == 1 && labels.dims[0] == n,
              "[fashion_mnist] ", labels_path, ": expected ", n, " u8 labels, got type 0x",
              std::hex, labels.type, std::dec, " dims ", Shape(labels.dims));

  // pixel / 255, then (x - mean) / std: a table of the 256 values, computed in double.
  float table[256];
  for (int b = 0; b < 256; ++b) {
    double x = b / 255.0;
    table[b] = static_cast<float>(options.standardize ? (x - options.mean) / options.std : x);
  }
  Shape shape = options.flatten ? Shape{n, 784} : Shape{n, 28, 28};
  Tensor x = empty(shape, DType::f32, Device::reference());
  float* px = x.data<float>();
  for (size_t i = 0; i < images.bytes.size(); ++i) px[i] = table[images.bytes[i]];

  Tensor y = empty({n}, DType::i64, Device::reference());
  int64_t* py = y.data<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    int label = labels.bytes[static_cast<size_t>(i)];
    LATHE_CHECK(label <= 9, "[fashion_mnist] ", labels_path, ": label ", label, " at index ", i,
                " is out of range 0..9");
    py[i] = label;
  }
  return {x.to(options.device), y.to(options.device)};
}

}  // namespace lathe::data
