// PeerProcess: `lathe bench`'s line protocol with a peer in its own process, over two pipes.
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "tools/lathe/bench.h"

namespace lathe::bench {

PeerProcess::PeerProcess(const std::string& program) : program_(program) {
  LATHE_CHECK(access(program.c_str(), X_OK) == 0, "[bench] peer '", program,
              "' is not a program that can run: ", std::strerror(errno));
  // Close-on-exec: a peer started later must not inherit this one's pipe ends, or this peer
  // would never see the end of its input and the destructor would wait for it forever.
  int in[2], out[2] = {-1, -1};  // [0] read end, [1] write end
  LATHE_CHECK(pipe2(in, O_CLOEXEC) == 0, "[bench] pipe: ", std::strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0 || (pid_ = fork()) < 0) {
    const int err = errno;
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    LATHE_CHECK(false, "[bench] cannot start peer '", program, "': ", std::strerror(err));
  }
  if (pid_ == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    execl(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    _exit(127);  // ask() then reads end of file and says the peer did not answer
  }
  close(in[0]);
  close(out[1]);
  to_ = in[1];
  from_ = fdopen(out[0], "r");
  // A peer that dies must become an Error here, not a SIGPIPE that ends lathe.
  std::signal(SIGPIPE, SIG_IGN);
}

PeerProcess::~PeerProcess() {
  close(to_);
  std::fclose(from_);
  waitpid(pid_, nullptr, 0);
}

std::string PeerProcess::ask(const std::string& command) {
  std::string line = command + "\n";
  std::string reply;
  int c = EOF;
  if (write(to_, line.data(), line.size()) == static_cast<ssize_t>(line.size()))
    while ((c = std::fgetc(from_)) != EOF && c != '\n') reply += static_cast<char>(c);
  LATHE_CHECK(c == '\n', "[bench] peer '", program_, "' exited without answering '", command,
              "'");
  LATHE_CHECK(reply.rfind("error ", 0) != 0, "[bench] peer '", program_, "' on '", command,
              "': ", reply.substr(6));
  return reply;
}

}  // namespace lathe::bench
