#include "interop/npy.h"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/checked.h"
#include "common/error.h"
#include "graph/weights.h"

namespace fb {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr size_t kMaxHeader = 65536;  // numpy's own limit for a header it reads without allow_pickle
constexpr int kMaxRank = 32;          // numpy's maximum number of dimensions

// The header: a Python dict literal with exactly 'descr', 'fortran_order' and 'shape'.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& what) : s_(text), what_(what) {}

  std::vector<int64_t> parse() {
    expect('{');
    bool descr = false, order = false, shape = false;
    std::vector<int64_t> dims;
    while (!peek('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr" && !descr) {
        descr = true;
        const std::string d = string();
        if (d != "<f4")
          fail("data type '" + d + "'; formbench reads float32 little-endian ('<f4'): save with numpy.float32");
      } else if (key == "fortran_order" && !order) {
        order = true;
        if (word() != "False") fail("Fortran order; formbench reads C order (numpy.ascontiguousarray)");
      } else if (key == "shape" && !shape) {
        shape = true;
        dims = tuple();
      } else {
        fail("unexpected or repeated key '" + key + "' in the header");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    skip();
    if (pos_ != s_.size()) fail("text after the header's dictionary");
    if (!descr || !order || !shape) fail("the header lacks descr, fortran_order or shape");
    return dims;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw UsageError(what_ + ": not a float32 .npy file: " + why); }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n')) ++pos_;
  }
  bool peek(char c) {
    skip();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("malformed header (expected '") + c + "')");
    ++pos_;
  }
  std::string string() {
    skip();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("malformed header (expected a quoted string)");
    const char q = s_[pos_++];
    const size_t end = s_.find(q, pos_);
    if (end == std::string_view::npos) fail("malformed header (unterminated string)");
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }
  std::string word() {
    skip();
    size_t start = pos_;
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  std::vector<int64_t> tuple() {
    expect('(');
    std::vector<int64_t> dims;
    while (!peek(')')) {
      skip();
      int64_t v = 0;
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[pos_] - '0', &v))
          fail("a dimension does not fit in 64 bits");
        ++pos_;
      }
      if (pos_ == start) fail("malformed shape (expected a non-negative integer)");
      dims.push_back(v);
      if (dims.size() > static_cast<size_t>(kMaxRank)) fail("more than " + std::to_string(kMaxRank) + " dimensions");
      if (!peek(')')) expect(',');
    }
    expect(')');
    return dims;
  }

  std::string_view s_;
  std::string what_;
  size_t pos_ = 0;
};

}  // namespace

Tensor parse_npy(std::string_view bytes, const std::string& what) {
  if (bytes.size() < 10 || bytes.substr(0, kMagic.size()) != kMagic)
    throw UsageError(what + ": not a .npy file (no NumPy magic string)");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw UsageError(what + ": truncated .npy header");
    for (int i = 3; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(bytes[8 + i]);
    offset = 12;
  } else {
    throw UsageError(what + ": .npy format version " + std::to_string(major) + " is not one formbench reads (1, 2, 3)");
  }
  if (header_len > kMaxHeader) throw UsageError(what + ": the .npy header claims " + std::to_string(header_len) + " bytes");
  if (bytes.size() < offset + header_len) throw UsageError(what + ": truncated .npy header");
  const std::vector<int64_t> dims = HeaderParser(bytes.substr(offset, header_len), what).parse();
  int64_t count = 1;
  for (int64_t d : dims) count = checked_mul(count, d, what + ": the element count");
  const int64_t bytes_needed = checked_mul(count, 4, what + ": the data size");
  const size_t data = offset + header_len;
  if (static_cast<int64_t>(bytes.size() - data) != bytes_needed)
    throw UsageError(what + ": the shape " + Shape(dims).str() + " needs " + std::to_string(bytes_needed) +
                     " bytes of data, the file holds " + std::to_string(bytes.size() - data) +
                     (static_cast<int64_t>(bytes.size() - data) < bytes_needed ? " (truncated)" : ""));
  Tensor t;
  t.shape = Shape(dims);
  t.data.resize(static_cast<size_t>(count));
  if (count > 0) std::memcpy(t.data.data(), bytes.data() + data, static_cast<size_t>(bytes_needed));
  return t;
}

Tensor read_npy(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw UsageError(".npy file '" + path + "' does not exist or cannot be read");
  if (!S_ISREG(st.st_mode)) throw UsageError(".npy file '" + path + "' is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(".npy file '" + path + "' cannot be opened");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error(".npy file '" + path + "': read failed");
  return parse_npy(bytes.str(), ".npy file '" + path + "'");
}

Tensor network_input(const std::string& path, const Shape& shape, uint64_t seed, const std::string& what) {
  if (path.empty()) return make_input(shape, seed);
  Tensor t = read_npy(path);
  if (t.shape != shape)
    throw UsageError(what + " '" + path + "' has shape " + t.shape.str() + "; the model at this batch takes " + shape.str());
  return t;
}

std::string npy_bytes(const Tensor& t) {
  std::string shape;
  for (int64_t d : t.shape.dims) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
  if (t.shape.rank() == 1) shape += ",";  // Python's one-element tuple: (5,)
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Magic, version, length, dictionary, padding and '\n' to a multiple of 64.
  const size_t unpadded = kMagic.size() + 4 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
  return out;
}

void write_npy(const std::string& path, const Tensor& t, const std::vector<std::string>& inputs) {
  std::vector<std::filesystem::path> in(inputs.begin(), inputs.end());
  write_file_atomically(path, npy_bytes(t), in);
}

}  // namespace fb
