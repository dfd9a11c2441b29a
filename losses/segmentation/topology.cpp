// Host-side persistence for the topological losses (losses/segmentation/topology.h).
//
// TopoLoss's maps, per patch (TopoMortar lib/losses.py _topoloss_2D/3D and
// lib/losses_topoloss.py getCriticalPoints, compute_dgm_force; Hu et al., "Topology-Preserving
// Deep Image Segmentation"): the 0-dimensional pairs of the sublevel filtration of 1 - lh (the
// components of {lh >= t}) give the likelihood's diagram, those of 1 - gt the ground truth's
// (a patch whose lh or gt is constant 0 or 1, or that has no finite pair on either side, is
// skipped). With pers = |death - birth|, the gt_n = #pairs(gt) most persistent likelihood
// pairs are kept, those with pers > 0.99 are perfect already, the others are fixed: birth pixel
// -> 0, death pixel -> 1 (weight 1, reference 0 / 1); every pair beyond the gt_n first with
// pers > 0.03 is removed: its birth pixel is pushed to the likelihood at its death pixel and its
// death pixel to the likelihood at its birth pixel.
// NOTE: two deviations from the reference, both where its indexing is wrong: it builds
// gd.CubicalComplex(dimensions=shape, top_dimensional_cells=C-order values), which GUDHI reads
// first-axis-fastest, i.e. the transposed patch; for square patches that is the same grid and
// the same pixels, for the non-square border patches of an image that 50 does not divide it
// is a scrambled patch: here the complex is built with the true layout. And for a removed pair
// it writes the death pixel without the patch offset (patch-local coordinates in the full map);
// here it goes to the pixel itself. Within one patch the image is identical to the reference.
// The order of pairs with equal persistence follows a stable sort (the reference's argsort is
// not stable).
#include "losses/segmentation/topology.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "ops/composite.h"

#ifdef LATHE_WITH_GUDHI
#include <gudhi/Bitmap_cubical_complex.h>
#include <gudhi/Persistent_cohomology.h>
#endif

namespace lathe {
namespace seg {

bool have_gudhi() {
#ifdef LATHE_WITH_GUDHI
  return true;
#else
  return false;
#endif
}

std::vector<std::pair<int64_t, int64_t>> sublevel_pairs_dim0(const std::vector<double>& values,
                                                             const std::vector<int64_t>& dims) {
  std::vector<std::pair<int64_t, int64_t>> out;
#ifdef LATHE_WITH_GUDHI
  using Complex = Gudhi::cubical_complex::Bitmap_cubical_complex<
      Gudhi::cubical_complex::Bitmap_cubical_complex_base<double>>;
  using Field = Gudhi::persistent_cohomology::Field_Zp;
  using Cohomology = Gudhi::persistent_cohomology::Persistent_cohomology<Complex, Field>;
  // GUDHI's first dimension varies fastest: give it the row-major grid's dims reversed.
  std::vector<unsigned> sizes(dims.rbegin(), dims.rend());
  size_t n = sizes.size();
  Complex cc(sizes, values);
  Cohomology pcoh(cc);
  pcoh.init_coefficients(2);
  pcoh.compute_persistent_cohomology(0.0);
  // the flat row-major pixel index of a top-dimensional cell's bitmap position: in the bitmap
  // every axis has 2 d + 1 cells, top cells sit at odd coordinates
  auto pixel = [&](size_t pos) {
    int64_t index = 0, stride = 1;
    for (size_t i = 0; i < n; ++i) {
      size_t side = 2 * sizes[i] + 1;
      index += static_cast<int64_t>((pos % side - 1) / 2) * stride;
      pos /= side;
      stride *= sizes[i];
    }
    return index;
  };
  for (const auto& p : pcoh.get_persistent_pairs()) {
    auto birth = std::get<0>(p), death = std::get<1>(p);
    if (cc.dimension(birth) != 0 || death == cc.null_simplex()) continue;
    out.emplace_back(pixel(cc.get_top_dimensional_coface_of_a_cell(birth)),
                     pixel(cc.get_top_dimensional_coface_of_a_cell(death)));
  }
#else
  (void)values;
  (void)dims;
  LATHE_CHECK(false, "[topoloss] lathe was built without GUDHI (libgudhi-dev): pass the "
              "critical-pixel maps w_cp and r_cp");
#endif
  return out;
}

namespace {

// One patch: lh and gt values (row-major, dims), writing into the full maps through `at`.
void patch_maps(const std::vector<double>& lh, const std::vector<double>& gt,
                const std::vector<int64_t>& dims, const std::vector<int64_t>& at,
                std::vector<double>& weight, std::vector<double>& ref) {
  auto flat = [](const std::vector<double>& v, double f) {
    std::vector<double> o(v.size());
    for (size_t i = 0; i < v.size(); ++i) o[i] = f - v[i];
    return o;
  };
  auto [lo, hi] = std::minmax_element(lh.begin(), lh.end());
  auto [glo, ghi] = std::minmax_element(gt.begin(), gt.end());
  if (*lo == 1.0 || *hi == 0.0 || *glo == 1.0 || *ghi == 0.0) return;
  std::vector<double> f = flat(lh, 1.0);
  auto pairs = sublevel_pairs_dim0(f, dims);
  auto gt_pairs = sublevel_pairs_dim0(flat(gt, 1.0), dims);
  if (pairs.empty() || gt_pairs.empty()) return;
  size_t m = pairs.size(), gt_n = gt_pairs.size();
  std::vector<double> pers(m);
  for (size_t i = 0; i < m; ++i) pers[i] = std::abs(f[pairs[i].second] - f[pairs[i].first]);
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return pers[a] > pers[b];
  });
  size_t perfect = 0;
  for (double p : pers) perfect += p > 0.99;
  std::set<size_t> keep(order.begin(), order.begin() + std::min(gt_n, m));
  for (size_t i = 0; i < perfect; ++i) keep.erase(order[i]);
  auto put = [&](int64_t pix, double r) {
    weight[at[pix]] = 1.0;
    ref[at[pix]] = r;
  };
  for (size_t i : keep) {
    put(pairs[i].first, 0.0);
    put(pairs[i].second, 1.0);
  }
  for (size_t k = gt_n; k < m; ++k) {
    size_t i = order[k];
    if (pers[i] <= 0.03) continue;
    put(pairs[i].first, lh[pairs[i].second]);
    put(pairs[i].second, lh[pairs[i].first]);
  }
}

}  // namespace

CriticalMaps topoloss_critical_maps(const Tensor& likelihood, const Tensor& gt, int64_t patch) {
  const char* op = "topoloss";
  LATHE_CHECK(likelihood.dim() == 3 || likelihood.dim() == 4, "[", op,
              "] the likelihood must be [B, H, W] or [B, D, H, W], got ", likelihood.shape());
  LATHE_CHECK(gt.shape() == likelihood.shape(), "[", op, "] gt ", gt.shape(),
              " and likelihood ", likelihood.shape(), " must have the same shape");
  LATHE_CHECK(patch > 0, "[", op, "] topo_size must be > 0, got ", patch);
  NoGradGuard no_grad;
  std::vector<double> lh = cast(likelihood.detach(), DType::f64).to_vector<double>();
  std::vector<double> g = cast(gt.detach(), DType::f64).to_vector<double>();
  std::vector<int64_t> shape = likelihood.shape().vec();
  std::vector<int64_t> sp(shape.begin() + 1, shape.end());
  size_t nd = sp.size();
  int64_t per_image = 1;
  for (int64_t d : sp) per_image *= d;
  std::vector<double> weight(lh.size(), 0.0), ref(lh.size(), 0.0);
  // patch corners: every combination of multiples of `patch` along each spatial axis
  std::vector<int64_t> corner(nd, 0);
  for (int64_t b = 0; b < shape[0]; ++b) {
    std::fill(corner.begin(), corner.end(), 0);
    while (true) {
      std::vector<int64_t> dims(nd);
      int64_t count = 1;
      for (size_t a = 0; a < nd; ++a) {
        dims[a] = std::min(patch, sp[a] - corner[a]);
        count *= dims[a];
      }
      std::vector<int64_t> at(static_cast<size_t>(count));
      std::vector<double> plh(at.size()), pgt(at.size());
      for (int64_t i = 0; i < count; ++i) {
        int64_t rest = i, index = 0, stride = 1;
        for (size_t a = nd; a-- > 0;) {
          index += (corner[a] + rest % dims[a]) * stride;
          rest /= dims[a];
          stride *= sp[a];
        }
        at[i] = b * per_image + index;
        plh[i] = lh[at[i]];
        pgt[i] = g[at[i]];
      }
      patch_maps(plh, pgt, dims, at, weight, ref);
      size_t a = nd;
      while (a-- > 0) {
        corner[a] += patch;
        if (corner[a] < sp[a]) break;
        corner[a] = 0;
      }
      if (a == static_cast<size_t>(-1)) break;
    }
  }
  Tensor w = from_vector(weight, likelihood.shape(), likelihood.dtype(), likelihood.device());
  Tensor r = from_vector(ref, likelihood.shape(), likelihood.dtype(), likelihood.device());
  return {w, r};
}

}  // namespace seg
}  // namespace lathe
