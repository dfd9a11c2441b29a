// lathe::Error and LATHE_CHECK: every failure a user can cause becomes an exception whose
// message starts with the op's name in brackets, "[op] what went wrong: shapes/dtypes/values".
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace lathe {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
template <typename... Args>
std::string cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}
}  // namespace detail

}  // namespace lathe

// LATHE_CHECK(cond, "[op] expected ...", value, ...): throws lathe::Error with the parts joined.
#define LATHE_CHECK(cond, ...)                                  \
  do {                                                          \
    if (!(cond)) throw ::lathe::Error(::lathe::detail::cat(__VA_ARGS__)); \
  } while (0)

#define LATHE_FAIL(...) throw ::lathe::Error(::lathe::detail::cat(__VA_ARGS__))
