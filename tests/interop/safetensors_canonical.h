// The tensors both sides of the safetensors interop test write and check: one [2, 3] tensor per
// dtype, a 0-d, an empty and a dotted name, with values every dtype holds exactly. The Python
// side is `canonical()` in tools/interop/safetensors_interop.py; keep the two in step.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/safetensors.h"
#include "core/tensor.h"

namespace lathe::interop {

inline std::map<std::string, Tensor> canonical_tensors() {
  std::vector<double> f;
  std::vector<int64_t> i32, i64;
  std::vector<bool> b;
  for (int64_t k = 0; k < 6; ++k) {
    f.push_back((static_cast<double>(k) - 2.5) * 0.75);
    i32.push_back(k * 1000003 - 2000000);
    i64.push_back((k - 3) * (int64_t(1) << 40) + k);
    b.push_back(k % 3 == 0);
  }
  Device host = Device::reference();
  Tensor floats = from_vector(f, {2, 3}, DType::f64, host);
  return {
      {"f32", floats.to(DType::f32)},
      {"f64", floats},
      {"f16", floats.to(DType::f16)},
      {"bf16", floats.to(DType::bf16)},
      {"i32", from_vector(i32, {2, 3}, host).to(DType::i32)},
      {"i64", from_vector(i64, {2, 3}, host)},
      {"bool", from_vector(b, {2, 3}, host)},
      {"scalar", scalar(3.25, DType::f64, host)},
      {"empty", zeros({0, 4}, DType::f32, host)},
      {"block.0.weight", from_vector(std::vector<float>{0.0f, 0.5f, 1.0f, 1.5f}, {4}, host)},
  };
}

inline std::map<std::string, std::string> canonical_metadata(const std::string& producer) {
  return {{"format", "pt"}, {"producer", producer}};
}

// An empty string when `file` holds exactly the canonical tensors and metadata, else what differs.
inline std::string canonical_mismatch(const SafetensorsFile& file, const std::string& producer) {
  std::map<std::string, Tensor> want = canonical_tensors();
  if (file.metadata != canonical_metadata(producer)) return "metadata differs";
  if (file.tensors.size() != want.size())
    return "expected " + std::to_string(want.size()) + " tensors, got " +
           std::to_string(file.tensors.size());
  for (const auto& [name, w] : want) {
    auto it = file.tensors.find(name);
    if (it == file.tensors.end()) return "missing tensor '" + name + "'";
    const Tensor& g = it->second;
    if (g.dtype() != w.dtype())
      return name + ": dtype " + dtype_name(g.dtype()) + ", expected " + dtype_name(w.dtype());
    if (g.shape() != w.shape())
      return name + ": shape " + to_string(g.shape()) + ", expected " + to_string(w.shape());
    if (g.to_vector<double>() != w.to_vector<double>()) return name + ": values differ";
  }
  return "";
}

}  // namespace lathe::interop
