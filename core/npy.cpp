#include "core/npy.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace lathe {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  LATHE_FAIL("[npy] ", path, ": ", what);
}

// At most this much of untrusted header text is quoted in an error message.
constexpr size_t kQuote = 40;

std::string quote(const std::string& text) {
  return text.size() <= kQuote ? text : text.substr(0, kQuote) + "...";
}

// The header is a Python dict literal that numpy reads with ast.literal_eval and then checks:
// exactly the keys 'descr' (a string), 'fortran_order' (a bool: True or False, not 1) and
// 'shape' (a tuple of ints). This parser accepts that subset of Python's syntax and nothing
// after the closing brace but whitespace, so that lathe reads a file exactly when numpy does and
// reads it the same way (a duplicate key: the last one wins, as in a Python dict).
struct Header {
  std::string descr;
  bool fortran = false;
  std::vector<int64_t> shape;
};

class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& path) : s_(text), path_(path) {}

  Header parse() {
    Header h;
    bool seen[3] = {false, false, false};
    expect('{');
    while (!peek('}')) {
      std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        h.descr = string_literal();
        seen[0] = true;
      } else if (key == "fortran_order") {
        h.fortran = bool_literal();
        seen[1] = true;
      } else if (key == "shape") {
        h.shape = int_tuple();
        seen[2] = true;
      } else {
        fail(path_, "header has an unexpected key '" + quote(key) + "'");
      }
      if (!peek(',')) break;
      expect(',');
    }
    expect('}');
    skip_space();
    if (i_ != s_.size()) fail(path_, "junk after the header dict: '" + quote(s_.substr(i_)) + "'");
    if (!seen[0]) fail(path_, "header has no 'descr' field");
    if (!seen[1]) fail(path_, "header has no 'fortran_order' field");
    if (!seen[2]) fail(path_, "header has no 'shape' field");
    return h;
  }

 private:
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n')) ++i_;
  }
  bool peek(char c) {
    skip_space();
    return i_ < s_.size() && s_[i_] == c;
  }
  void expect(char c) {
    if (!peek(c))
      fail(path_, std::string("malformed header: expected '") + c + "' at byte " +
                      std::to_string(i_) + ", found '" + quote(s_.substr(i_)) + "'");
    ++i_;
  }
  std::string string_literal() {
    skip_space();
    char q = i_ < s_.size() ? s_[i_] : '\0';
    if (q != '\'' && q != '"') fail(path_, "malformed header: expected a string at byte " +
                                               std::to_string(i_));
    size_t close = s_.find(q, i_ + 1);
    if (close == std::string::npos) fail(path_, "malformed header: unterminated string");
    std::string out = s_.substr(i_ + 1, close - i_ - 1);
    if (out.find('\\') != std::string::npos)
      fail(path_, "malformed header: escapes in '" + quote(out) + "'");
    i_ = close + 1;
    return out;
  }
  bool bool_literal() {
    skip_space();
    if (s_.compare(i_, 4, "True") == 0) return i_ += 4, true;
    if (s_.compare(i_, 5, "False") == 0) return i_ += 5, false;
    fail(path_, "fortran_order is not a valid bool: '" + quote(s_.substr(i_)) + "'");
  }
  // "(", then ints separated by commas, a trailing comma allowed, ")"; a one-element tuple needs
  // its comma, as in Python: "(3)" is the int 3, which numpy rejects.
  std::vector<int64_t> int_tuple() {
    expect('(');
    std::vector<int64_t> dims;
    bool comma = false;
    while (!peek(')')) {
      dims.push_back(int_literal());
      comma = peek(',');
      if (!comma) break;
      expect(',');
    }
    expect(')');
    if (dims.size() == 1 && !comma) fail(path_, "shape is not a tuple: '(" +
                                                    std::to_string(dims[0]) + ")'");
    if (dims.size() > static_cast<size_t>(Shape::kMaxDims))
      fail(path_, "more than " + std::to_string(Shape::kMaxDims) + " dims");
    return dims;
  }
  int64_t int_literal() {
    skip_space();
    size_t begin = i_;
    int64_t v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[i_] - '0', &v))
        fail(path_, "shape entry '" + quote(s_.substr(begin)) + "' is larger than 2^63 - 1");
      ++i_;
    }
    if (i_ == begin) fail(path_, "bad shape entry '" + quote(s_.substr(begin)) + "'");
    return v;
  }

  const std::string& s_;
  const std::string& path_;
  size_t i_ = 0;
};

struct Descr {
  DType dtype;
  bool swap;  // stored big-endian
};

Descr parse_descr(const std::string& d, const std::string& path) {
  if (d.size() < 3) fail(path, "unsupported dtype '" + quote(d) + "'");
  char order = d[0];
  std::string code = d.substr(1);
  bool big = order == '>';
  if (order != '<' && order != '>' && order != '|' && order != '=')
    fail(path, "unsupported dtype '" + quote(d) + "'");
  if (code == "f4") return {DType::f32, big};
  if (code == "f8") return {DType::f64, big};
  if (code == "f2") return {DType::f16, big};
  if (code == "i4") return {DType::i32, big};
  if (code == "i8") return {DType::i64, big};
  if (code == "b1") return {DType::boolean, false};
  fail(path, "unsupported dtype '" + quote(d) + "' (lathe reads f2 f4 f8 i4 i8 b1)");
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
  // Every claim is checked against the file's size before anything is allocated.
  f.seekg(0, std::ios::end);
  std::streamoff end = f.tellg();
  if (end < 0) fail(path, "cannot determine the file size (not a regular file?)");
  uint64_t file_size = static_cast<uint64_t>(end);
  uint64_t data_start = 8 + static_cast<uint64_t>(len_size) + header_len;
  if (header_len > (1u << 20) || data_start > file_size)
    fail(path, "truncated header: header length " + std::to_string(header_len) +
                   " does not fit in the file of " + std::to_string(file_size) + " bytes");
  f.seekg(static_cast<std::streamoff>(8 + len_size));
  std::string text(header_len, '\0');
  if (!f.read(&text[0], header_len)) fail(path, "truncated header");

  Header header = HeaderParser(text, path).parse();
  Descr descr = parse_descr(header.descr, path);
  bool fortran = header.fortran;
  Shape shape(header.shape);

  size_t itemsize = dtype_size(descr.dtype);
  int64_t count = 1, bytes = 0;
  bool overflow = false;
  for (int64_t d : shape) overflow = overflow || __builtin_mul_overflow(count, d, &count);
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) count = 0, overflow = false;
  if (overflow || __builtin_mul_overflow(count, static_cast<int64_t>(itemsize), &bytes) ||
      static_cast<uint64_t>(bytes) > file_size - data_start)
    fail(path, "truncated data: shape " + to_string(shape) + " of " + dtype_name(descr.dtype) +
                   " needs more data than the " + std::to_string(file_size - data_start) +
                   " bytes after the header");
  size_t nbytes = static_cast<size_t>(bytes);
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
