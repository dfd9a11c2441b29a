// safetensors files: the checkpoint format of PyTorch and Hugging Face. Layout:
//   8 bytes   N, the header's length, unsigned little-endian
//   N bytes   JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
//                    ..., "__metadata__": {"key": "value", ...}}   (padded with spaces)
//   the rest  the byte buffer: each tensor C-contiguous and little-endian at [begin, end),
//             offsets relative to the buffer's start; the tensors cover it exactly.
//
// Saving is atomic: the file is written next to the target under a temporary name, flushed to
// disk (fsync), renamed over the target, and the directory is flushed; a failure or a crash at
// any point leaves the previous file as it was. Loading checks everything the format promises
// and reports a corrupt or truncated file as a lathe::Error naming the path and the problem.
//
//   save_safetensors("ckpt.safetensors", model.state_dict(), {{"epoch", "3"}});
//   model.load_state_dict(load_safetensors("ckpt.safetensors").tensors);
#pragma once

#include <map>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct SafetensorsFile {
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> metadata;  // the header's "__metadata__" (may be empty)
};

// dtypes: F32 F64 F16 BF16 I32 I64 BOOL, lathe's own. Other safetensors dtypes (U8, I8, I16,
// F8_*, ...) are reported as unsupported rather than converted.
SafetensorsFile load_safetensors(const std::string& path, Device device = default_device());

// Tensors on any device and with any layout; they are copied to the host, contiguous. Names must
// be non-empty and not "__metadata__". Tensors are laid out by decreasing element size, then by
// name (as the Python writer does), so every tensor is aligned to its element size.
void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The dtype names of the format: "F32" <-> DType::f32, "BOOL" <-> DType::boolean, ...
const char* safetensors_dtype_name(DType dtype);

}  // namespace lathe
