// motion_video_consistency_loss: Hawk's motion-video consistency term, one cosine between the
// compressed projections of the appearance and motion branches, flattened over the batch:
//   L_cons = 1 - cos(vec(m_video), vec(m_motion))      m_video, m_motion [B, Q, D'] (any shape)
// with PyTorch 1.13's cosine (each norm clamped at eps = 1e-8). The training loss is
// L_LM(video) + 0.1 L_LM(motion) + 0.1 L_cons (hawk_total_loss).
// Paper: "Hawk: Learning to Understand Open-World Video Anomalies" (Tang et al., 2024); code
// jqtangust/hawk hawk/tasks/base_task.py, hawk/models/projection.py (catalog: other.md).
// NOTE: the reference flattens the whole batch into one vector, so the value depends on the
// batch composition (not a per-sample mean); we follow it. Zero features give 1 (the eps
// keeps the cosine finite). Scalar output, no reduction. Composite (autograd).
#include "losses/other/other.h"
#include "ops/composite.h"
#include "ops/special/special.h"

namespace lathe {

Tensor motion_video_consistency_loss(const Tensor& m_video, const Tensor& m_motion,
                                     double eps) {
  const char* op = "motion_video_consistency_loss";
  check_floating(op, "m_video", m_video);
  check_floating(op, "m_motion", m_motion);
  check_same_shape(op, "m_video", m_video, "m_motion", m_motion);
  LATHE_CHECK(m_video.numel() > 0, "[", op, "] got empty features ", m_video.shape());
  LATHE_CHECK(eps > 0, "[", op, "] eps must be > 0, got ", eps);
  Tensor a = reshape(m_video, {1, -1}), b = reshape(m_motion, {1, -1});  // [1, B Q D']
  return 1.0 - squeeze(cosine_similarity(a, b, 1, eps), {0});            // []
}

Tensor hawk_total_loss(const Tensor& lm_loss, const Tensor& lm_loss_motion,
                       const Tensor& m_video, const Tensor& m_motion, double w_motion,
                       double w_cons) {
  return lm_loss + w_motion * lm_loss_motion +
         w_cons * motion_video_consistency_loss(m_video, m_motion);
}

LATHE_REGISTER_OPS(motion_video_consistency_loss) {
  registry.add(OpDef("motion_video_consistency_loss", "other")
                   .summary("Hawk consistency 1 - cos(vec(m_video), vec(m_motion)) over the "
                            "flattened batch")
                   .paper("Hawk: Learning to Understand Open-World Video Anomalies")
                   .input("m_video")
                   .input("m_motion")
                   .attr("eps", 1e-8, "cosine eps (each norm clamped)")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{motion_video_consistency_loss(c.in("m_video"),
                                                                  c.in("m_motion"), c.f("eps"))};
                   }));
}

}  // namespace lathe
