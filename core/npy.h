// NumPy .npy files (format versions 1.0-3.0): how tensors travel between lathe, NumPy and
// PyTorch (oracle fixtures, `lathe eval`). Loading validates the header and the file length
// and reports corrupt or truncated files as errors naming the path.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

// Supported descriptors: <f4 <f8 <f2 <i4 <i8 |b1 (either byte order; Fortran order allowed).
Tensor load_npy(const std::string& path, Device device = default_device());
// Writes a C-order little-endian .npy (bf16 has no NumPy dtype: cast it first).
void save_npy(const std::string& path, const Tensor& t);

}  // namespace lathe
