// The distributed tests' shared process group (made by main.cpp).
#pragma once

#include <memory>

#include "distributed/process_group.h"

namespace lathe::dist::test {
std::shared_ptr<ProcessGroup>& group();
}  // namespace lathe::dist::test
