#include "core/safetensors.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/backend_registry.h"

// The format is little-endian; lathe's host memory is assumed to be too (as in npy.cpp).
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors I/O assumes a little-endian host");

namespace lathe {

namespace {

using json = nlohmann::json;

// The Python implementation refuses headers over 100 MB; so do we, before allocating one.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// JSON nesting deeper than this is refused before parsing: a valid header nests 3 deep (the
// header, an entry, its shape), and deep nesting is how a small file overflows the stack of
// code that walks the value recursively (nlohmann's dump() and destructor).
constexpr int kMaxDepth = 64;
// A parsed JSON value costs several times its text (an 80 MB header of 1.2 million empty tensors
// took 2.4 GB), so the number of values is bounded before parsing too: at most kMaxEntries
// tensors, and kMaxValues JSON values in all (an entry is 6 + rank values). Real checkpoints have
// hundreds to a few thousand tensors per file.
constexpr uint64_t kMaxEntries = 100'000;
constexpr uint64_t kMaxValues = 2'000'000;
// At most this many characters of untrusted text (a name, a value) go into an error message.
constexpr size_t kQuote = 60;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  LATHE_FAIL("[safetensors] ", path, ": ", what);
}

std::string quote(const std::string& text, size_t limit = kQuote) {
  return text.size() <= limit ? text : text.substr(0, limit) + "...";
}

// A bounded excerpt of a JSON value: containers are described, never dumped whole.
std::string excerpt(const nlohmann::json& v) {
  if (v.is_structured())
    return std::string("an ") + v.type_name() + " of " + std::to_string(v.size()) + " items";
  return quote(v.dump());
}

// Fails when [ and { nest deeper than kMaxDepth in JSON text, or when it holds more than
// kMaxEntries top-level entries or kMaxValues values (counted by commas; strings skipped).
void check_structure(const std::string& text, const std::string& path) {
  int depth = 0;
  bool in_string = false;
  uint64_t entries = 1, values = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth)
        fail(path, "the header nests JSON deeper than " + std::to_string(kMaxDepth) + " levels");
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',') {
      if (depth == 1 && ++entries > kMaxEntries)
        fail(path, "the header lists more than " + std::to_string(kMaxEntries) + " entries");
      if (++values > kMaxValues)
        fail(path, "the header holds more than " + std::to_string(kMaxValues) + " JSON values");
    }
  }
}

std::string errno_text() { return std::strerror(errno); }

// Closes a POSIX file descriptor on every path out of a function.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int release() {
    int f = fd;
    fd = -1;
    return f;
  }
};

bool read_at(int fd, void* data, uint64_t n, uint64_t offset) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<uint64_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

bool write_all(int fd, const void* data, uint64_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t put = ::write(fd, p, std::min<uint64_t>(n, 1u << 30));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put;
    n -= static_cast<uint64_t>(put);
  }
  return true;
}

DType parse_dtype_name(const std::string& name, const std::string& tensor,
                       const std::string& path) {
  static const std::pair<const char*, DType> table[] = {
      {"F32", DType::f32}, {"F64", DType::f64}, {"F16", DType::f16},     {"BF16", DType::bf16},
      {"I32", DType::i32}, {"I64", DType::i64}, {"BOOL", DType::boolean}};
  for (const auto& [n, t] : table)
    if (name == n) return t;
  fail(path, "tensor '" + quote(tensor) + "' has unsupported dtype '" + quote(name) +
                 "' (lathe reads F32 F64 F16 BF16 I32 I64 BOOL)");
}

// A non-negative JSON integer, or an error naming `what`.
uint64_t as_count(const json& v, const std::string& what, const std::string& path) {
  if (!v.is_number_unsigned())
    fail(path, what + " must be a non-negative integer, got " + excerpt(v));
  return v.get<uint64_t>();
}

struct Entry {
  std::string name;
  DType dtype;
  Shape shape;
  uint64_t begin, end;
};

Entry parse_entry(const std::string& name, const json& info, uint64_t buffer_bytes,
                  const std::string& path) {
  const std::string what = "tensor '" + quote(name) + "'";
  if (!info.is_object()) fail(path, what + ": expected an object, got " + excerpt(info));
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!info.contains(key)) fail(path, what + " has no \"" + key + "\"");
  const json& dtype = info["dtype"];
  const json& shape = info["shape"];
  const json& offsets = info["data_offsets"];
  if (!dtype.is_string()) fail(path, what + ": dtype must be a string, got " + excerpt(dtype));
  if (!shape.is_array()) fail(path, what + ": shape must be an array, got " + excerpt(shape));
  if (!offsets.is_array() || offsets.size() != 2)
    fail(path, what + ": data_offsets must be [begin, end], got " + excerpt(offsets));

  Entry e{name, parse_dtype_name(dtype.get<std::string>(), name, path), Shape(), 0, 0};
  if (shape.size() > static_cast<size_t>(Shape::kMaxDims))
    fail(path, what + " has " + std::to_string(shape.size()) + " dims; lathe supports " +
                   std::to_string(Shape::kMaxDims));
  std::vector<int64_t> dims;
  bool empty = false;
  for (const json& d : shape) {
    uint64_t n = as_count(d, what + ": a shape entry", path);
    if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(path, what + ": shape entry " + excerpt(d) + " is too large");
    dims.push_back(static_cast<int64_t>(n));
    empty = empty || n == 0;
  }
  e.shape = Shape(dims);
  uint64_t bytes = empty ? 0 : dtype_size(e.dtype);
  for (int64_t n : dims) {
    // Any size beyond the data is wrong; checking as we go keeps the product from overflowing.
    if (!empty && bytes > buffer_bytes / static_cast<uint64_t>(n))
      fail(path, what + " of shape " + to_string(e.shape) + " " + dtype_name(e.dtype) +
                     " needs more bytes than the data holds (" + std::to_string(buffer_bytes) +
                     "; truncated file?)");
    bytes *= static_cast<uint64_t>(n);
  }
  e.begin = as_count(offsets[0], what + ": data_offsets[0]", path);
  e.end = as_count(offsets[1], what + ": data_offsets[1]", path);
  std::string range = "[" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ")";
  if (e.end < e.begin) fail(path, what + ": data_offsets " + range + " end before they begin");
  if (e.end > buffer_bytes)
    fail(path, what + ": data_offsets " + range + " run past the end of the data (" +
                   std::to_string(buffer_bytes) + " bytes; truncated file?)");
  if (e.end - e.begin != bytes)
    fail(path, what + ": data_offsets " + range + " hold " + std::to_string(e.end - e.begin) +
                   " bytes, but shape " + to_string(e.shape) + " " + dtype_name(e.dtype) +
                   " needs " + std::to_string(bytes));
  return e;
}

// The tensors must tile the buffer: sorted by offset, each starts where the previous ended and
// the last ends at the end of the file (no overlaps, no holes, no trailing bytes).
void check_tiling(std::vector<Entry>& entries, uint64_t buffer_bytes, const std::string& path) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t expected = 0;
  const Entry* previous = nullptr;
  for (const Entry& e : entries) {
    if (e.begin < expected)
      fail(path, "tensor '" + quote(e.name) + "' (bytes " + std::to_string(e.begin) +
                     "..) overlaps '" +
                     quote(previous->name) + "' (which ends at " + std::to_string(expected) + ")");
    if (e.begin > expected)
      fail(path, "bytes [" + std::to_string(expected) + ", " + std::to_string(e.begin) +
                     ") of the data belong to no tensor");
    expected = e.end;
    previous = &e;
  }
  if (expected != buffer_bytes)
    fail(path, std::to_string(buffer_bytes - expected) +
                   " bytes after the last tensor belong to "
                   "no tensor (the data is " +
                   std::to_string(buffer_bytes) + " bytes)");
}

std::string parent_dir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Removes the temporary files that writers of `base` killed mid-write left in `dir` (named
// ".<base>.tmp.<pid>.<n>", below): those whose process is gone and that nobody has written for a
// minute (a writer in another PID namespace sharing the folder is then still safe).
void remove_stale_temps(const std::string& dir, const std::string& base) {
  const std::string prefix = "." + base + ".tmp.";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  const time_t now = ::time(nullptr);
  while (const dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    size_t dot = name.find('.', prefix.size());
    std::string pid_text = name.substr(prefix.size(), dot - prefix.size());
    if (dot == std::string::npos || pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos)
      continue;
    pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > 60)
      ::unlink(path.c_str());
  }
  ::closedir(d);
}

// Deletes the temporary file unless it was renamed into place.
struct TempFile {
  std::string path;
  bool committed = false;
  ~TempFile() {
    if (!path.empty() && !committed) ::unlink(path.c_str());
  }
};

}  // namespace

const char* safetensors_dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::f16: return "F16";
    case DType::bf16: return "BF16";
    case DType::i32: return "I32";
    case DType::i64: return "I64";
    case DType::boolean: return "BOOL";
  }
  LATHE_FAIL("[safetensors] unknown dtype ", static_cast<int>(dtype));
}

SafetensorsFile load_safetensors(const std::string& path, Device device) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0) fail(path, "cannot open file: " + errno_text());
  struct stat st;
  if (::fstat(file.fd, &st) != 0) fail(path, "cannot stat file: " + errno_text());
  if (!S_ISREG(st.st_mode)) fail(path, "not a regular file");
  uint64_t file_bytes = static_cast<uint64_t>(st.st_size);

  unsigned char len[8];
  if (file_bytes < 8 || !read_at(file.fd, len, 8, 0))
    fail(path, "truncated: " + std::to_string(file_bytes) +
                   " bytes, fewer than the 8-byte header length");
  uint64_t header_bytes = 0;
  for (int i = 7; i >= 0; --i) header_bytes = header_bytes * 256 + len[i];
  if (header_bytes > kMaxHeaderBytes)
    fail(path, "header length " + std::to_string(header_bytes) +
                   " is implausible (over 100 MB): not a safetensors file?");
  if (header_bytes > file_bytes - 8)
    fail(path, "truncated: the header length is " + std::to_string(header_bytes) +
                   " bytes, but only " + std::to_string(file_bytes - 8) + " follow it");
  std::string text(header_bytes, '\0');
  if (header_bytes && !read_at(file.fd, &text[0], header_bytes, 8))
    fail(path, "cannot read the header: " + errno_text());
  if (text.empty() || text[0] != '{')
    fail(path, "the header does not start with '{': not a safetensors file?");

  check_structure(text, path);
  json header;
  try {
    header = json::parse(text);
  } catch (const json::exception& e) {
    fail(path, std::string("the header is not valid JSON: ") + quote(e.what(), 4 * kQuote));
  }
  if (!header.is_object()) fail(path, "the header is not a JSON object");

  SafetensorsFile out;
  const uint64_t data_start = 8 + header_bytes;
  const uint64_t buffer_bytes = file_bytes - data_start;
  std::vector<Entry> entries;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) fail(path, "__metadata__ must be an object of strings");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string())
          fail(path, "__metadata__ value of '" + quote(k) + "' must be a string, got " +
                         excerpt(v));
        out.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(key, value, buffer_bytes, path));
  }
  check_tiling(entries, buffer_bytes, path);

  // Read straight into the tensor when the device's memory is host memory.
  bool direct = backend(device).host_memory();
  for (const Entry& e : entries) {
    Tensor t = empty(e.shape, e.dtype, direct ? device : Device::reference());
    uint64_t n = e.end - e.begin;
    if (n && !read_at(file.fd, t.data_ptr(), n, data_start + e.begin))
      fail(path, "tensor '" + quote(e.name) + "': cannot read its " + std::to_string(n) +
                     " bytes (file truncated while reading?)");
    if (n && e.dtype == DType::boolean) {
      unsigned char* b = t.data<unsigned char>();
      for (uint64_t i = 0; i < n; ++i) b[i] = b[i] != 0;
    }
    out.tensors[e.name] = direct ? t : t.to(device);
  }
  return out;
}

void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  if (base.empty() || base == "." || base == "..") fail(path, "not a file name");

  // Layout: larger elements first, then by name, so each tensor is aligned to its element size.
  std::vector<std::pair<std::string, Tensor>> order(tensors.begin(), tensors.end());
  for (const auto& [name, t] : order) {
    if (name.empty() || name == "__metadata__") fail(path, "invalid tensor name '" + name + "'");
    if (!t.defined()) fail(path, "tensor '" + name + "' is undefined");
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return dtype_size(a.second.dtype()) > dtype_size(b.second.dtype());
  });

  json header = json::object();
  uint64_t offset = 0;
  for (const auto& [name, t] : order) {
    uint64_t bytes = static_cast<uint64_t>(t.numel()) * dtype_size(t.dtype());
    json shape = json::array();
    for (int64_t d : t.shape()) shape.push_back(d);
    header[name] = {{"dtype", safetensors_dtype_name(t.dtype())},
                    {"shape", shape},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    fail(path, std::string("tensor names and metadata must be valid UTF-8: ") + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(text.size() >> (8 * i));

  // 1. A new file beside the target (same file system, so the rename below is atomic).
  static std::atomic<uint64_t> counter{0};
  std::string dir = parent_dir(path);
  remove_stale_temps(dir, base);
  TempFile temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp.path =
        dir + "/." + base + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt > 100)) {
      std::string why = errno_text();
      temp.path.clear();  // nothing was created
      fail(path, "cannot create a temporary file in '" + dir + "': " + why);
    }
  }
  Fd out(fd);
  struct stat previous;  // keep the permissions of the file being replaced
  if (::stat(path.c_str(), &previous) == 0 && S_ISREG(previous.st_mode))
    ::fchmod(out.fd, previous.st_mode & 07777);

  // 2. Header and data; one tensor at a time on the host, so memory stays bounded.
  auto write_failed = [&] {
    fail(path, "write failed: " + errno_text() + " (the previous file is unchanged)");
  };
  if (!write_all(out.fd, len, 8) || !write_all(out.fd, text.data(), text.size())) write_failed();
  for (const auto& [name, t] : order) {
    Tensor c = t.detach();
    if (!backend(c.device()).host_memory()) c = c.to(Device::reference());
    c = c.contiguous();
    uint64_t bytes = static_cast<uint64_t>(c.numel()) * dtype_size(c.dtype());
    if (bytes && !write_all(out.fd, c.data_ptr(), bytes)) write_failed();
  }

  // 3. On disk before it gets the target's name; 4. the rename; 5. the rename on disk.
  if (::fsync(out.fd) != 0)
    fail(path, "fsync failed: " + errno_text() + " (the previous file is unchanged)");
  if (::close(out.release()) != 0) fail(path, "close failed: " + errno_text());
  if (::rename(temp.path.c_str(), path.c_str()) != 0)
    fail(path, "cannot rename the temporary file over it: " + errno_text() +
                   " (the previous file is unchanged)");
  temp.committed = true;
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.fd >= 0 && ::fsync(d.fd) != 0 && errno != EINVAL)
    fail(path, "saved, but flushing directory '" + dir + "' failed: " + errno_text());
}

}  // namespace lathe
