// Host-side persistent homology for the topological losses (not public: not in lathe.h),
// computed through GUDHI's cubical complexes (libgudhi-dev, header only; its cubical-complex
// and persistent-cohomology parts are MIT licensed). The results are constants that feed the
// differentiable parts of the losses (losses/segmentation/topoloss.cpp).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace lathe {
namespace seg {

// True when lathe was built with GUDHI (CMake found gudhi/Bitmap_cubical_complex.h).
bool have_gudhi();

// The finite 0-dimensional persistence pairs of the sublevel-set filtration of `values` on the
// pixels (top-dimensional cells) of a grid `dims` (row-major, the last dim fastest), as
// (birth pixel, death pixel) flat indices, intervals of length > 0 only (GUDHI's
// CubicalComplex.persistence(homology_coeff_field=2, min_persistence=0) followed by
// cofaces_of_persistence_pairs()[0][0]). Throws when lathe was built without GUDHI.
std::vector<std::pair<int64_t, int64_t>> sublevel_pairs_dim0(const std::vector<double>& values,
                                                             const std::vector<int64_t>& dims);

struct CriticalMaps {
  Tensor weight;  // 1 at critical pixels, 0 elsewhere
  Tensor ref;     // the value each critical pixel is pushed to
};

// TopoLoss's critical-pixel maps (TopoMortar lib/losses.py _topoloss_2D/_topoloss_3D, after
// Hu et al.'s code) of a foreground likelihood [B, spatial...] (2 or 3 spatial dims) and a
// binary ground truth of the same shape, per patch of `patch` pixels a side.
CriticalMaps topoloss_critical_maps(const Tensor& likelihood, const Tensor& gt, int64_t patch);

}  // namespace seg
}  // namespace lathe
