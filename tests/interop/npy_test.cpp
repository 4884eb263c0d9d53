// .npy files: what numpy.save writes for float32 arrays reads back exactly;
// every other header is refused with a message that says what was wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "graph/weights.h"
#include "interop/npy.h"

namespace fb {
namespace {

std::string error_of(const std::string& bytes) {
  try {
    parse_npy(bytes, "f.npy");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string with_header(const std::string& dict, size_t data_bytes) {
  std::string h = dict;
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + std::string(data_bytes, '\0');
}

TEST(Npy, WritesWhatNumpyWritesAndReadsItBack) {
  Tensor t(Shape{2, 3});
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = 0.5f * static_cast<float>(i) - 1;
  const std::string bytes = npy_bytes(t);
  // numpy.save(f, numpy.zeros((2, 3), numpy.float32)) writes this header, byte for byte.
  EXPECT_EQ(bytes.substr(0, 128 - 24), with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 24).substr(0, 128 - 24));
  EXPECT_EQ(bytes.size() % 64, 24u);  // 64-byte aligned header, then 6 floats
  const Tensor back = parse_npy(bytes, "t");
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.data, t.data);
  Tensor v(Shape{5});
  EXPECT_NE(npy_bytes(v).find("'shape': (5,), }"), std::string::npos);
  EXPECT_EQ(parse_npy(npy_bytes(v), "v").shape, Shape{5});
}

TEST(Npy, HostileHeadersAreRefusedWithTheReason) {
  EXPECT_EQ(error_of("not numpy"), "f.npy: not a .npy file (no NumPy magic string)");
  EXPECT_EQ(error_of(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16)),
            "f.npy: not a float32 .npy file: data type '<f8'; formbench reads float32 little-endian ('<f4'): save with numpy.float32");
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8)),
            "f.npy: not a float32 .npy file: Fortran order; formbench reads C order (numpy.ascontiguousarray)");
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 8)),
            "f.npy: the shape 3 needs 12 bytes of data, the file holds 8 (truncated)");
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0)),
            "f.npy: not a float32 .npy file: a dimension does not fit in 64 bits");
  EXPECT_NE(error_of(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0))
                .find("does not fit in 64 bits"),
            std::string::npos);
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 0)),
            "f.npy: not a float32 .npy file: malformed shape (expected a non-negative integer)");
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'descr': '<f4', 'shape': (1,), }", 4)),
            "f.npy: not a float32 .npy file: unexpected or repeated key 'descr' in the header");
  EXPECT_EQ(error_of(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4).substr(0, 20)),
            "f.npy: truncated .npy header");
  std::string big = std::string("\x93NUMPY\x02\x00", 8) + std::string("\xff\xff\xff\x7f", 4);
  EXPECT_EQ(error_of(big), "f.npy: the .npy header claims 2147483647 bytes");
}

// run, profile and measure take their input through this one function.
TEST(Npy, NetworkInputIsTheFileOfTheModelsShapeOrDrawnFromTheSeed) {
  EXPECT_EQ(network_input("", Shape{1, 3, 4, 4}, 7, "--input").data, make_input(Shape{1, 3, 4, 4}, 7).data);
  const auto dir = std::filesystem::temp_directory_path() / ("fb_npy_input_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "in.npy").string();
  Tensor t(Shape{1, 2, 1, 1});
  t.data = {0.5f, -1};
  write_npy(path, t);
  EXPECT_EQ(network_input(path, Shape{1, 2, 1, 1}, 7, "--input").data, t.data);
  try {
    network_input(path, Shape{2, 2, 1, 1}, 7, "--input");
    FAIL() << "a file of another shape was taken";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "--input '" + path + "' has shape 1x2x1x1; the model at this batch takes 2x2x1x1");
  }
  std::filesystem::remove_all(dir);
}

TEST(Npy, WriteIsWholeAndNeverOverItsInput) {
  const auto dir = std::filesystem::temp_directory_path() / ("fb_npy_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.npy").string();
  Tensor t(Shape{1, 2});
  t.data = {1.5f, -2};
  write_npy(path, t);
  EXPECT_EQ(read_npy(path).data, t.data);
  try {
    write_npy(path, t, {path});
    FAIL() << "wrote over its own input";
  } catch (const UsageError&) {
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fb
