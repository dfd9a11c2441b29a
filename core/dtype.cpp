#include "core/dtype.h"

#include <ostream>

#include "core/error.h"

namespace lathe {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: case DType::i32: return 4;
    case DType::f64: case DType::i64: return 8;
    case DType::f16: case DType::bf16: return 2;
    case DType::boolean: return 1;
  }
  LATHE_FAIL("[dtype] invalid dtype value ", static_cast<int>(t));
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::i32: return "i32";
    case DType::i64: return "i64";
    case DType::boolean: return "bool";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
  }
  return "invalid";
}

DType parse_dtype(const std::string& name) {
  for (DType t : {DType::f32, DType::f64, DType::i32, DType::i64, DType::boolean, DType::f16,
                  DType::bf16})
    if (name == dtype_name(t)) return t;
  LATHE_FAIL("[dtype] unknown dtype '", name, "' (expected f32, f64, i32, i64, bool, f16 or bf16)");
}

bool is_floating(DType t) {
  return t == DType::f32 || t == DType::f64 || t == DType::f16 || t == DType::bf16;
}

bool is_integral(DType t) { return t == DType::i32 || t == DType::i64; }

static int rank(DType t) {
  switch (t) {
    case DType::boolean: return 0;
    case DType::i32: return 1;
    case DType::i64: return 2;
    case DType::f16: case DType::bf16: return 3;
    case DType::f32: return 4;
    case DType::f64: return 5;
  }
  return 0;
}

DType promote(DType a, DType b) {
  if (a == b) return a;
  if ((a == DType::f16 && b == DType::bf16) || (a == DType::bf16 && b == DType::f16))
    return DType::f32;
  return rank(a) >= rank(b) ? a : b;
}

std::ostream& operator<<(std::ostream& os, DType t) { return os << dtype_name(t); }

}  // namespace lathe
