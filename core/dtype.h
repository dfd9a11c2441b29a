// Element types. f16 and bf16 are storage types: backends compute them in f32 or better.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "backends/backend.h"

namespace lathe {

enum class DType : int {
  f32 = LATHE_F32,
  f64 = LATHE_F64,
  i32 = LATHE_I32,
  i64 = LATHE_I64,
  boolean = LATHE_BOOL,
  f16 = LATHE_F16,
  bf16 = LATHE_BF16,
};

size_t dtype_size(DType t);
const char* dtype_name(DType t);  // "f32", "f64", "i32", "i64", "bool", "f16", "bf16"
DType parse_dtype(const std::string& name);  // throws "[dtype] unknown dtype 'x'"
bool is_floating(DType t);
bool is_integral(DType t);  // i32, i64 (not bool)

// The dtype two operands are computed in: floats beat ints beat bool; wider beats narrower;
// f16 with bf16 gives f32.
DType promote(DType a, DType b);

inline lathe_dtype to_c(DType t) { return static_cast<lathe_dtype>(t); }
std::ostream& operator<<(std::ostream& os, DType t);

}  // namespace lathe
