// channel_shuffle: Noise-DA's per-sample swap of the two condition blocks
//   c1 = m_b ? y_real : y_syn,   c2 = m_b ? y_syn : y_real        (m [B] bool, per sample)
// The diffusion denoiser then reads cat([y_noisy, c1, c2], 1); swapping at random removes the
// shortcut of telling the synthetic image from the real one by its position.
// Paper: "Denoising as Adaptation: Noise-Space Domain Adaptation for Image Restoration" (Liao
// et al.; catalog: layer.md, code KangLiao929/Noise-DA, models/network.py with diff_flag 1,
// where the mask is torch.rand(B) > 0.5: an explicit input here). Not re-read here (the file
// is not in the searchable code index): the swap follows the catalog. It permutes blocks of
// channels per sample, not single channels.
// y_syn, y_real [B, ...] same shape, mask [B] bool. Backward: each gradient goes back to the
// input its block came from (where). Composite.
#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

std::pair<Tensor, Tensor> channel_shuffle(const Tensor& y_syn, const Tensor& y_real,
                                          const Tensor& mask) {
  const char* op = "channel_shuffle";
  check_floating(op, "y_syn", y_syn);
  check_floating(op, "y_real", y_real);
  check_same_shape(op, "y_syn", y_syn, "y_real", y_real);
  LATHE_CHECK(y_syn.dim() >= 1, "[", op, "] inputs need a batch dim, got ", y_syn.shape());
  LATHE_CHECK(mask.dtype() == DType::boolean, "[", op, "] mask must be bool, got ",
              dtype_name(mask.dtype()));
  LATHE_CHECK(mask.dim() == 1 && mask.shape()[0] == y_syn.shape()[0], "[", op,
              "] mask must be [B] with B = ", y_syn.shape()[0], ", got ", mask.shape());
  Shape mshape(std::vector<int64_t>(y_syn.dim(), 1));
  mshape[0] = y_syn.shape()[0];
  Tensor m = reshape(mask, mshape);                                     // [B, 1, ...]
  return {where(m, y_real, y_syn), where(m, y_syn, y_real)};            // [B, ...] each
}

LATHE_REGISTER_OPS(channel_shuffle) {
  registry.add(OpDef("channel_shuffle", "layer")
                   .summary("Noise-DA's per-sample swap of the synthetic and real condition "
                            "blocks")
                   .paper("Denoising as Adaptation: Noise-Space Domain Adaptation for Image "
                          "Restoration")
                   .input("y_syn")
                   .input("y_real")
                   .input("mask", Kind::boolean)
                   .output("c1")
                   .output("c2")
                   .run([](const OpCall& c) {
                     auto [c1, c2] = channel_shuffle(c.in("y_syn"), c.in("y_real"), c.in("mask"));
                     return Outputs{c1, c2};
                   }));
}

}  // namespace lathe
