// The primitive list as an enum and a name table, generated from ops.def.
#pragma once

namespace lathe {

enum class Prim {
#define LATHE_PRIM(name) name,
#include "ops/prim/ops.def"
#undef LATHE_PRIM
  count
};

inline constexpr const char* kPrimNames[] = {
#define LATHE_PRIM(name) #name,
#include "ops/prim/ops.def"
#undef LATHE_PRIM
};

static_assert(static_cast<int>(Prim::count) == 71,
              "the primitive list changed: update docs/ops-core.md, the oracle script and this count");
static_assert(sizeof(kPrimNames) / sizeof(kPrimNames[0]) == static_cast<int>(Prim::count));

}  // namespace lathe
