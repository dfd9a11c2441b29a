#include "core/npy.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lathe {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  LATHE_FAIL("[npy] ", path, ": ", what);
}

// Finds `'key':` in the header dict and returns the text after it.
std::string field(const std::string& header, const std::string& key, const std::string& path) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) fail(path, "header has no '" + key + "' field");
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) fail(path, "malformed header");
  size_t start = header.find_first_not_of(' ', colon + 1);
  return header.substr(start);
}

struct Descr {
  DType dtype;
  bool swap;  // stored big-endian
};

Descr parse_descr(const std::string& rest, const std::string& path) {
  if (rest.empty() || rest[0] != '\'') fail(path, "descr is not a string");
  std::string d = rest.substr(1, rest.find('\'', 1) - 1);
  if (d.size() < 3) fail(path, "unsupported dtype '" + d + "'");
  char order = d[0];
  std::string code = d.substr(1);
  bool big = order == '>';
  if (order != '<' && order != '>' && order != '|' && order != '=')
    fail(path, "unsupported dtype '" + d + "'");
  if (code == "f4") return {DType::f32, big};
  if (code == "f8") return {DType::f64, big};
  if (code == "f2") return {DType::f16, big};
  if (code == "i4") return {DType::i32, big};
  if (code == "i8") return {DType::i64, big};
  if (code == "b1") return {DType::boolean, false};
  fail(path, "unsupported dtype '" + d + "' (lathe reads f2 f4 f8 i4 i8 b1)");
}

Shape parse_shape(const std::string& rest, const std::string& path) {
  if (rest.empty() || rest[0] != '(') fail(path, "shape is not a tuple");
  size_t close = rest.find(')');
  if (close == std::string::npos) fail(path, "unterminated shape tuple");
  std::stringstream ss(rest.substr(1, close - 1));
  std::string item;
  std::vector<int64_t> dims;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) continue;
    if (item.find_first_not_of("0123456789") != std::string::npos)
      fail(path, "bad shape entry '" + item + "'");
    dims.push_back(std::stoll(item));
  }
  if (dims.size() > static_cast<size_t>(Shape::kMaxDims))
    fail(path, "more than " + std::to_string(Shape::kMaxDims) + " dims");
  return Shape(dims);
}

}  // namespace

Tensor load_npy(const std::string& path, Device device) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, "cannot open file");
  char magic[8];
  if (!f.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    fail(path, "not a .npy file (bad magic)");
  int major = static_cast<unsigned char>(magic[6]);
  if (major < 1 || major > 3) fail(path, "unsupported .npy version " + std::to_string(major));
  uint32_t header_len = 0;
  unsigned char len_bytes[4] = {0, 0, 0, 0};
  int len_size = major == 1 ? 2 : 4;
  if (!f.read(reinterpret_cast<char*>(len_bytes), len_size)) fail(path, "truncated header");
  for (int i = len_size - 1; i >= 0; --i) header_len = header_len * 256 + len_bytes[i];
  if (header_len > (1u << 20)) fail(path, "header length " + std::to_string(header_len) + " is implausible");
  std::string header(header_len, '\0');
  if (!f.read(&header[0], header_len)) fail(path, "truncated header");

  Descr descr = parse_descr(field(header, "descr", path), path);
  bool fortran = field(header, "fortran_order", path).rfind("True", 0) == 0;
  Shape shape = parse_shape(field(header, "shape", path), path);

  size_t itemsize = dtype_size(descr.dtype);
  size_t nbytes = static_cast<size_t>(numel(shape)) * itemsize;
  std::vector<char> data(nbytes);
  if (nbytes && !f.read(data.data(), static_cast<std::streamsize>(nbytes)))
    fail(path, "truncated data: expected " + std::to_string(nbytes) + " bytes for shape " +
                   to_string(shape) + " " + dtype_name(descr.dtype));
  if (descr.swap)
    for (size_t i = 0; i < nbytes; i += itemsize) std::reverse(&data[i], &data[i] + itemsize);
  if (descr.dtype == DType::boolean)
    for (char& c : data) c = c != 0;

  Shape stored = shape;  // Fortran order: the reversed shape, C order; transpose back
  if (fortran) std::reverse(stored.begin(), stored.end());
  Tensor host = from_blob(data.data(), stored, descr.dtype, Device::reference());
  if (fortran) {
    Axes reversed;
    for (int i = shape.size() - 1; i >= 0; --i) reversed.push_back(i);
    host = host.permute(reversed);
  }
  Tensor out = empty(shape, descr.dtype, device);
  out.copy_(host);  // copies while `data` is alive
  return out;
}

void save_npy(const std::string& path, const Tensor& t) {
  const char* descr = nullptr;
  switch (t.dtype()) {
    case DType::f32: descr = "<f4"; break;
    case DType::f64: descr = "<f8"; break;
    case DType::f16: descr = "<f2"; break;
    case DType::i32: descr = "<i4"; break;
    case DType::i64: descr = "<i8"; break;
    case DType::boolean: descr = "|b1"; break;
    case DType::bf16: LATHE_FAIL("[npy] ", path, ": bf16 has no .npy dtype; cast to f32 first");
  }
  std::ostringstream h;
  h << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < t.dim(); ++i) h << t.shape()[i] << (t.dim() == 1 || i + 1 < t.dim() ? ", " : "");
  h << "), }";
  std::string header = h.str();
  size_t total = 10 + header.size() + 1;  // magic(6) version(2) len(2) header '\n'
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');

  // Contiguous host bytes of t in its own dtype.
  Tensor c = t.detach().to(Device::reference()).contiguous();
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  LATHE_CHECK(f.good(), "[npy] ", path, ": cannot open for writing");
  f.write("\x93NUMPY\x01\x00", 8);
  unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                          static_cast<unsigned char>(header.size() >> 8)};
  f.write(reinterpret_cast<char*>(len), 2);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
  f.write(static_cast<const char*>(c.data_ptr()),
          static_cast<std::streamsize>(c.numel() * static_cast<int64_t>(dtype_size(c.dtype()))));
  LATHE_CHECK(f.good(), "[npy] ", path, ": write failed");
}

}  // namespace lathe
