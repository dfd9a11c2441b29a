// Atomic whole-file writes (temporary file, fsync, rename, directory fsync) and output-path
// checks for the `lathe` program (tools/lathe/files.h).
#include "tools/lathe/files.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

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

namespace {
// True for "digits" of at most 9 characters (a pid or a counter).
bool small_number(const std::string& s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}
}  // namespace

int remove_stale_temp_files(const std::string& dir) {
  namespace fs = std::filesystem;
  int removed = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    size_t tmp = name.rfind(".tmp.");
    if (name[0] != '.' || tmp == std::string::npos || tmp == 0) continue;
    std::string rest = name.substr(tmp + 5);  // "PID" or "PID.N"
    size_t dot = rest.find('.');
    std::string pid = rest.substr(0, dot);
    if (!small_number(pid) || (dot != std::string::npos && !small_number(rest.substr(dot + 1))))
      continue;
    pid_t p = static_cast<pid_t>(std::stol(pid));
    // Another live process may still be writing it (kill(p, 0) succeeds or is refused with
    // EPERM); this process has nothing in flight when it calls this.
    if (p != ::getpid() && (::kill(p, 0) == 0 || errno == EPERM)) continue;
    if (e.is_regular_file(ec) && fs::remove(e.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace lathe::cli
