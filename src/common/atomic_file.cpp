#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <streambuf>

#include "common/error.h"
#include "common/paths.h"

namespace fb {

// A stream buffer over a file descriptor that remembers the first failed
// write (errno) instead of losing it the way a bad ofstream does.
class AtomicFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd) { setp(data_, data_ + sizeof(data_)); }
  int error() const { return error_; }
  bool drain() {
    const char* p = pbase();
    while (error_ == 0 && p < pptr()) {
      ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;
      else p += n;
    }
    setp(data_, data_ + sizeof(data_));
    return error_ == 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  int fd_;
  int error_ = 0;
  char data_[1 << 16];
};

namespace {

// The process umask, read without changing it (umask(2) can only swap).
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

[[noreturn]] void fail(const std::filesystem::path& target, int err) {
  throw Error("cannot write " + target.string() + ": " + std::strerror(err) + "; " + target.string() +
              " was left as it was");
}

}  // namespace

AtomicFile::AtomicFile(const std::filesystem::path& path, const std::vector<std::filesystem::path>& inputs) {
  require_path(path.string(), "the output file");
  refuse_output_over_input(path, inputs);
  std::error_code ec;
  target_ = std::filesystem::is_symlink(path, ec) ? std::filesystem::weakly_canonical(path, ec) : path;
  if (ec) target_ = path;
  std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  std::string tmpl = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd_ < 0) fail(target_, errno);
  temp_ = tmpl;
  struct stat st {};
  const mode_t mode = ::stat(target_.c_str(), &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask());
  ::fchmod(fd_, mode);
  buffer_ = std::make_unique<Buffer>(fd_);
  stream_ = std::make_unique<std::ostream>(buffer_.get());
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::commit() {
  stream_->flush();
  if (!buffer_->drain()) fail(target_, buffer_->error());
  if (::fsync(fd_) != 0) fail(target_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(target_, errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail(target_, errno);
  committed_ = true;
  // The rename itself survives a power cut only once the folder is synced.
  std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                           const std::vector<std::filesystem::path>& inputs) {
  AtomicFile f(path, inputs);
  f.out().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.commit();
}

}  // namespace fb
