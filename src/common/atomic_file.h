#pragma once
// An output file written whole or not at all: the bytes go to a temporary
// file in the target's folder, and commit() renames it into place only after
// every write, fsync and close succeeded. Without commit() (an exception, a
// full disk) the temporary is removed and the target is left as it was.
#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

namespace fb {

class AtomicFile {
 public:
  // Refuses an empty `path` and a `path` that is one of `inputs` (UsageError).
  // A symlink at `path` is followed: its target is replaced, the link kept.
  explicit AtomicFile(const std::filesystem::path& path, const std::vector<std::filesystem::path>& inputs = {});
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& out() { return *stream_; }
  // Error naming the file (and the system's reason, e.g. "No space left on
  // device") if anything written so far failed; the target is then untouched.
  void commit();

 private:
  class Buffer;
  std::filesystem::path target_, temp_;
  int fd_ = -1;
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
  bool committed_ = false;
};

// The whole of `bytes` as the file `path`, through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                           const std::vector<std::filesystem::path>& inputs = {});

}  // namespace fb
