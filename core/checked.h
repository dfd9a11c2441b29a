// Checked size arithmetic. Element counts, byte counts, strides and offsets are computed from
// shapes that callers, attributes and files supply; an overflow must be a lathe::Error naming
// the op and the operands, never a wrapped size that allocates too little and then writes (or
// reads) 2^62 elements. Every size product in core goes through these; ops that build sizes
// from attributes use them too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/shape.h"

namespace lathe {

// a * b and a + b, or "[op] size arithmetic overflows: a * b".
int64_t checked_mul(int64_t a, int64_t b, const char* op);
int64_t checked_add(int64_t a, int64_t b, const char* op);

// The element count of a shape whose extents must all be >= 0; "[op] shape (…) has more than
// 2^63 - 1 elements" on overflow (an extent 0 anywhere makes the count 0, as in PyTorch).
int64_t checked_numel(const Shape& shape, const char* op);

// numel(shape) * itemsize in bytes, with the same checks.
size_t checked_nbytes(const Shape& shape, size_t itemsize, const char* op);

// The ceiling on one allocation, in bytes: LATHE_MAX_ALLOC (bytes, or with a K/M/G/T suffix)
// when set, else the machine's physical memory. A request above it is a lathe::Error naming the
// op and the size instead of an out-of-memory kill minutes later.
size_t max_alloc_bytes();

// Throws "[op] shape (…) of dtype needs N bytes, more than the ceiling …" above the ceiling.
void check_alloc(size_t nbytes, const Shape& shape, const char* dtype, const char* op);

}  // namespace lathe
