// Atomic whole-file writes (temporary file, fsync, rename, directory fsync) and output-path
// checks for the `lathe` program (tools/lathe/files.h).
#include "tools/lathe/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace lathe::cli {

namespace {

std::string parent_dir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void write_file_atomic(const char* cmd, const std::string& path, const std::string& text) {
  std::string dir = parent_dir(path);
  std::string temp = dir + "/." + path.substr(path.find_last_of('/') + 1) + ".tmp." +
                     std::to_string(::getpid());
  auto fail = [&](const char* what) {
    std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    LATHE_FAIL("[", cmd, "] cannot write ", path, ": ", what, ": ", why,
               " (the previous file is unchanged)");
  };
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create a temporary file");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("write failed");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("fsync failed");
  }
  if (::close(fd) != 0) fail("close failed");
  if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename failed");
  int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);  // best effort: some file systems cannot flush a directory
    ::close(d);
  }
}

void check_output_path(const char* cmd, const char* flag, const std::string& path) {
  LATHE_CHECK(!path.empty(), "[", cmd, "] ", flag, " must be a path, got ''");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    LATHE_CHECK(path.substr(start, end - start) != "..", "[", cmd, "] ", flag,
                " must not contain a '..' component, got '", path, "'");
    start = end + 1;
  }
}

}  // namespace lathe::cli
