// IDX files (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"): magic 00 00 TYPE NDIM, NDIM
// big-endian u32 dims, then the elements big-endian in row-major order. The reader streams the
// data through zlib's gz* functions, which read gzip and plain files alike.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

#include "models/data/data.h"

#ifdef LATHE_WITH_ZLIB
#include <zlib.h>
#endif

namespace lathe::data {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  LATHE_FAIL("[idx] ", path, ": ", what);
}

int type_size(int type) {
  switch (type) {
    case 0x08:
    case 0x09: return 1;
    case 0x0B: return 2;
    case 0x0C:
    case 0x0D: return 4;
    case 0x0E: return 8;
    default: return 0;
  }
}

// The file's bytes, decompressed when it is gzip.
class Source {
 public:
  explicit Source(const std::string& path) : path_(path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
      fail(path, std::string("cannot open: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) fail(path, "not a regular file");
#ifdef LATHE_WITH_ZLIB
    gz_ = gzopen(path.c_str(), "rb");
    if (!gz_) fail(path, std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(gz_, 1 << 17);
#else
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) fail(path, std::string("cannot open: ") + std::strerror(errno));
    unsigned char head[2] = {0, 0};
    if (std::fread(head, 1, 2, file_) == 2 && head[0] == 0x1f && head[1] == 0x8b)
      fail(path,
           "gzip-compressed, but lathe was built without zlib (apt-get install zlib1g-dev "
           "and rebuild, or gunzip the file)");
    std::rewind(file_);
#endif
  }
  ~Source() {
#ifdef LATHE_WITH_ZLIB
    if (gz_) gzclose(gz_);
#else
    if (file_) std::fclose(file_);
#endif
  }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Reads up to n bytes; fewer only at the end of the data. A corrupt stream is an error.
  size_t read(void* data, size_t n) {
    size_t done = 0;
    char* p = static_cast<char*>(data);
    while (done < n) {
#ifdef LATHE_WITH_ZLIB
      unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, 1u << 30));
      int got = gzread(gz_, p + done, chunk);
      if (got < 0) {
        int code = 0;
        const char* msg = gzerror(gz_, &code);
        fail(path_, std::string("corrupt gzip data: ") + (msg ? msg : "unknown zlib error"));
      }
      if (got == 0) {
        int code = 0;
        const char* msg = gzerror(gz_, &code);
        if (code != Z_OK && code != Z_STREAM_END)  // Z_BUF_ERROR: the gzip stream is cut short
          fail(path_, std::string("truncated or corrupt gzip data: ") + (msg ? msg : ""));
        break;
      }
      done += static_cast<size_t>(got);
#else
      size_t got = std::fread(p + done, 1, n - done, file_);
      if (got == 0) {
        if (std::ferror(file_)) fail(path_, std::string("read error: ") + std::strerror(errno));
        break;
      }
      done += got;
#endif
    }
    return done;
  }

 private:
  std::string path_;
#ifdef LATHE_WITH_ZLIB
  gzFile gz_ = nullptr;
#else
  std::FILE* file_ = nullptr;
#endif
};

uint32_t big_endian_u32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Element i of the stored data as a double (every IDX type converts exactly).
template <int Type>
double element(const unsigned char* p) {
  if constexpr (Type == 0x08) {
    return p[0];
  } else if constexpr (Type == 0x09) {
    return static_cast<int8_t>(p[0]);
  } else if constexpr (Type == 0x0B) {
    return static_cast<int16_t>((uint16_t(p[0]) << 8) | p[1]);
  } else if constexpr (Type == 0x0C) {
    return static_cast<int32_t>(big_endian_u32(p));
  } else if constexpr (Type == 0x0D) {
    uint32_t bits = big_endian_u32(p);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  } else {
    uint64_t bits = (uint64_t(big_endian_u32(p)) << 32) | big_endian_u32(p + 4);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
}

template <int Type, typename T>
void convert_as(const IdxArray& a, T* out, const std::string& path) {
  constexpr int size = Type == 0x08 || Type == 0x09 ? 1 : Type == 0x0B ? 2 : Type == 0x0E ? 8 : 4;
  size_t n = a.bytes.size() / size;
  for (size_t i = 0; i < n; ++i) {
    double v = element<Type>(&a.bytes[i * size]);
    if constexpr (std::is_integral_v<T>) {
      // Float data into an integer dtype: NaN, infinities and values out of range have no
      // integer value (the cast would be undefined), so they are refused.
      constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());  // -2^31, -2^63
      if (!(v >= lo && v < -lo))
        fail(path, "element " + std::to_string(i) + " (" + std::to_string(v) +
                       ") does not fit the integer dtype it is loaded as");
    }
    out[i] = static_cast<T>(v);
  }
}

template <typename T>
void convert(const IdxArray& a, T* out, const std::string& path) {
  switch (a.type) {
    case 0x08: return convert_as<0x08>(a, out, path);
    case 0x09: return convert_as<0x09>(a, out, path);
    case 0x0B: return convert_as<0x0B>(a, out, path);
    case 0x0C: return convert_as<0x0C>(a, out, path);
    case 0x0D: return convert_as<0x0D>(a, out, path);
    default: return convert_as<0x0E>(a, out, path);
  }
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  Source src(path);
  unsigned char magic[4];
  if (src.read(magic, 4) != 4) fail(path, "truncated: shorter than the 4-byte magic number");
  IdxArray out;
  out.type = magic[2];
  int ndim = magic[3];
  if (magic[0] != 0 || magic[1] != 0 || type_size(out.type) == 0)
    fail(path,
         "bad magic number (expected 00 00 TYPE NDIM with TYPE one of 08 09 0B 0C 0D 0E): "
         "not an IDX file?");
  if (ndim < 1 || ndim > Shape::kMaxDims)
    fail(path, "bad magic number: " + std::to_string(ndim) + " dims (lathe reads 1 to " +
                   std::to_string(Shape::kMaxDims) + ")");

  std::vector<unsigned char> dims(4 * static_cast<size_t>(ndim));
  if (src.read(dims.data(), dims.size()) != dims.size())
    fail(path, "truncated: the header promises " + std::to_string(ndim) + " dims");
  // A cap far above any real data set keeps a corrupt header from overflowing the size.
  constexpr uint64_t kMaxBytes = uint64_t(1) << 40;
  for (int i = 0; i < ndim; ++i) out.dims.push_back(big_endian_u32(&dims[4 * i]));
  bool empty = std::count(out.dims.begin(), out.dims.end(), 0) > 0;
  uint64_t bytes = empty ? 0 : static_cast<uint64_t>(type_size(out.type));
  for (int64_t d : out.dims) {
    if (!empty && bytes > kMaxBytes / static_cast<uint64_t>(d))
      fail(path, "dims " + to_string(Shape(out.dims)) + " are implausible (over 1 TiB of data)");
    bytes *= static_cast<uint64_t>(d);
  }

  // Read in chunks so that a truncated file fails before a huge allocation.
  constexpr uint64_t kChunk = uint64_t(64) << 20;
  while (out.bytes.size() < bytes) {
    size_t have = out.bytes.size();
    size_t want = static_cast<size_t>(std::min(kChunk, bytes - have));
    out.bytes.resize(have + want);
    size_t got = src.read(out.bytes.data() + have, want);
    if (got < want)
      fail(path, "truncated: dims " + to_string(Shape(out.dims)) + " need " +
                     std::to_string(bytes) + " bytes of data, the file has " +
                     std::to_string(have + got));
  }
  unsigned char extra;
  if (src.read(&extra, 1) != 0)
    fail(path, "more data than dims " + to_string(Shape(out.dims)) + " promise (" +
                   std::to_string(bytes) + " bytes): corrupt header?");
  return out;
}

Tensor load_idx(const std::string& path, DType dtype, Device device) {
  IdxArray a = read_idx(path);
  Shape shape(a.dims);
  // f16/bf16 go through f32; every other dtype is filled directly.
  DType host_dtype = dtype == DType::f16 || dtype == DType::bf16 ? DType::f32 : dtype;
  Tensor t = empty(shape, host_dtype, Device::reference());
  if (t.numel() > 0) {
    switch (host_dtype) {
      case DType::f32: convert(a, t.data<float>(), path); break;
      case DType::f64: convert(a, t.data<double>(), path); break;
      case DType::i32: convert(a, t.data<int32_t>(), path); break;
      case DType::i64: convert(a, t.data<int64_t>(), path); break;
      case DType::boolean: {
        std::vector<double> v(static_cast<size_t>(t.numel()));
        convert(a, v.data(), path);
        unsigned char* b = t.data<unsigned char>();
        for (size_t i = 0; i < v.size(); ++i) b[i] = v[i] != 0;
        break;
      }
      default: break;
    }
  }
  return t.to(dtype).to(device);
}

}  // namespace lathe::data
