// dim_timestep_shift: RAE's dimension-dependent shift of the training times,
//   t' = a t / (1 + (a - 1) t),   a = sqrt(m / n_base),
// elementwise on t in [0, 1] (t = 1 is noise; 0 and 1 are fixed points, a > 1 moves mass toward
// noise, m = n_base is the identity). Not a loss: registered in family nn (docs/ops-core.md).
// Paper: "Diffusion Transformers with Representation Autoencoders" (RAE; catalog: generative.md,
// official code bytetriper/RAE src/train.py time_dist_shift = sqrt(shift_dim / shift_base),
// src/stage2/transport/transport.py Transport.sample, configs/stage2/training/ImageNet256/
// DiTDH-XL_DINOv2-B.yaml: time_dist_shift_dim 196608, time_dist_shift_base 4096).
// Defaults: m 196608 (16 x 16 tokens x 768 channels), n_base 4096. The reference asserts a >= 1;
// so does lathe (an error naming the op), and t outside [0, 1] is an error too (the shift's
// denominator vanishes at t = -1 / (a - 1)).
// Gradient (autograd): dt'/dt = a / (1 + (a - 1) t)^2. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor dim_timestep_shift(const Tensor& t, const DimTimestepShiftOptions& o) {
  const char* op = "dim_timestep_shift";
  check_floating(op, "t", t);
  LATHE_CHECK(o.m > 0 && o.n_base > 0 && o.m >= o.n_base, "[", op,
              "] needs m >= n_base > 0 (shift a = sqrt(m / n_base) >= 1), got m ", o.m,
              " and n_base ", o.n_base);
  if (t.numel() > 0) {
    NoGradGuard no_grad;
    double lo = min(t.detach()).item(), hi = max(t.detach()).item();
    LATHE_CHECK(lo >= 0 && hi <= 1, "[", op, "] times must lie in [0, 1], got values in [", lo,
                ", ", hi, "]");
  }
  double a = std::sqrt(o.m / o.n_base);
  return a * t / (1.0 + (a - 1.0) * t);
}

LATHE_REGISTER_OPS(dim_timestep_shift) {
  registry.add(OpDef("dim_timestep_shift", "nn")
                   .summary("RAE's dimension-dependent time shift a t / (1 + (a - 1) t), "
                            "a = sqrt(m / n_base)")
                   .paper("Diffusion Transformers with Representation Autoencoders")
                   .input("t")
                   .options<DimTimestepShiftOptions>()
                   .attr("m", &DimTimestepShiftOptions::m,
                         "effective latent dimension (tokens x channels)")
                   .attr("n_base", &DimTimestepShiftOptions::n_base, "base dimension")
                   .output("y")
                   .run(dim_timestep_shift));
}

}  // namespace lathe
