// occsdf_feature_render_loss: Occ-SDF Hybrid's feature rendering loss. The colour network
// outputs a latent colour feature f_i per ray sample; SDF volume rendering with densities
// sigma_i at depths z_i gives weights
//   delta_i = z_{i+1} - z_i (delta = 1e10 for the last sample),  fe_i = sigma_i delta_i,
//   w_i = (1 - exp(-fe_i)) exp(-sum_{j<i} fe_j),
// and the rendered feature is decoded by the last linear layer with 0.5 tanh(.) + 0.5:
//   l = |dec(sum_i w_i f_i) - c| + lam_dec |sum_i w_i dec(f_i) - c|     per ray and channel,
// dec(f) = 0.5 tanh(f W^T + b) + 0.5, reduced 'mean' (default: L1's mean over rays and
// channels), 'sum' or 'none' ([R, C]). sigma [R, S], z_vals [R, S] (constants: the sampler's
// depths), feats [R, S, F], dec_w [C, F], dec_b [C], target colours [R, C].
// Paper: "Learning a Room with the Occ-SDF Hybrid: Signed Distance Function Mingled with
// Occupancy Aids Scene Representation" (Lyu et al., ICCV 2023; catalog: generative.md,
// official code shawLyu/Occ-SDF-Hybrid code/model/network.py RenderingNetwork.forward,
// decode_color, volume_rendering; code/model/loss.py; code/confs/replica_mlp_hybrid.conf:
// color_encoder True, decode_active tanh, decode_rgb_weight 1, L1 colour loss).
// Defaults: lam_dec 1. The density from the SDF (Laplace, beta 0.1) and the other terms
// (eikonal, smoothness, monocular cues, occupancy branch) are the caller's.
// Gradients (autograd) to sigma, feats, dec_w and dec_b; the exclusive sum is a cumsum of the
// shifted fe, so the last sample's 1e10 never enters a transmittance. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

namespace lathe {

Tensor occsdf_feature_render_loss(const Tensor& sigma, const Tensor& z_vals,
                                  const Tensor& feats, const Tensor& dec_w, const Tensor& dec_b,
                                  const Tensor& target, const OccsdfFeatureRenderLossOptions& o) {
  const char* op = "occsdf_feature_render_loss";
  for (auto [name, t] : {std::pair<const char*, const Tensor*>{"sigma", &sigma},
                         {"z_vals", &z_vals}, {"feats", &feats}, {"dec_w", &dec_w},
                         {"dec_b", &dec_b}, {"target", &target}})
    check_floating(op, name, *t);
  check_dim(op, "sigma", sigma, 2);
  check_same_shape(op, "sigma", sigma, "z_vals", z_vals);
  check_dim(op, "feats", feats, 3);
  check_dim(op, "dec_w", dec_w, 2);
  int64_t rays = sigma.shape()[0], s = sigma.shape()[1], f = feats.shape()[2];
  int64_t c = dec_w.shape()[0];
  LATHE_CHECK(s >= 1 && feats.shape()[0] == rays && feats.shape()[1] == s, "[", op,
              "] feats must be [R, S, F] for sigma ", sigma.shape(), ", got ", feats.shape());
  LATHE_CHECK(dec_w.shape()[1] == f, "[", op, "] dec_w must be [C, F] with F = ", f, ", got ",
              dec_w.shape());
  check_shape(op, "dec_b", dec_b, {c});
  check_shape(op, "target", target, {rays, c});
  Reduction r = parse_reduction(op, o.reduction);
  Tensor z = z_vals.detach();
  Tensor last = 1e10 * slice(sigma, 1, s - 1);                            // [R, 1]
  Tensor fe = last;
  if (s > 1) {
    Tensor dz = slice(z, 1, 1) - slice(z, 1, 0, s - 1);                   // [R, S-1]
    fe = concat({dz * slice(sigma, 1, 0, s - 1), last}, 1);              // [R, S]
  }
  Tensor before = cumsum(pad(slice(fe, 1, 0, s - 1), {1, 0}), 1);        // [R, S] sum_{j<i}
  Tensor w = (1.0 - exp(-fe)) * exp(-before);                             // [R, S]
  auto dec = [&](const Tensor& x) {                                       // [..., F] -> [..., C]
    return 0.5 * tanh(matmul(x, transpose(dec_w, 0, 1)) + dec_b) + 0.5;
  };
  Tensor wf = unsqueeze(w, 2);                                            // [R, S, 1]
  Tensor render_then_decode = dec(sum(wf * feats, {1}));                 // [R, C]
  Tensor decode_then_render = sum(wf * dec(feats), {1});                 // [R, C]
  Tensor l = abs(render_then_decode - target) +
             o.lam_dec * abs(decode_then_render - target);               // [R, C]
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(occsdf_feature_render_loss) {
  registry.add(OpDef("occsdf_feature_render_loss", "generative")
                   .summary("Occ-SDF Hybrid feature rendering: L1 of render-then-decode plus "
                            "decode-then-render colours")
                   .paper("Learning a Room with the Occ-SDF Hybrid: Signed Distance Function "
                          "Mingled with Occupancy Aids Scene Representation")
                   .input("sigma")
                   .input("z_vals", Kind::floating, kNoGrad)
                   .input("feats")
                   .input("dec_w")
                   .input("dec_b")
                   .input("target", Kind::floating, kNoGrad)
                   .options<OccsdfFeatureRenderLossOptions>()
                   .attr("lam_dec", &OccsdfFeatureRenderLossOptions::lam_dec,
                         "decode_rgb_weight (decode-then-render term)")
                   .attr("reduction", &OccsdfFeatureRenderLossOptions::reduction,
                         "none | mean | sum over rays and channels")
                   .output("loss")
                   .run(occsdf_feature_render_loss));
}

}  // namespace lathe
