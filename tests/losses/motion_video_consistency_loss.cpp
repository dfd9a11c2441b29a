// Test cases for losses/other/motion_video_consistency_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(motion_video_consistency_loss) {
  add(Case("motion_video_consistency_loss").normal("m_video", {2, 4, 6})
          .normal("m_motion", {2, 4, 6}).note("B 2, Q 4, D' 6: one cosine over the batch"));
  add(Case("motion_video_consistency_loss", "single").normal("m_video", {1, 3, 5})
          .normal("m_motion", {1, 3, 5}).note("B = 1"));
}
