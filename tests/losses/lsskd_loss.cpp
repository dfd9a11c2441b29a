// Test cases for losses/distill/lsskd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(lsskd_loss) {
  add(Case("lsskd_loss").normal("final_logits", {4, 3}).normal("aux_logits", {4, 12})
          .normal("aux_logits", {4, 12}).normal("aux_logits", {4, 12}).index("target", {4}, 3)
          .index("joint_target", {4}, 12)
          .no_gradcheck("each deeper head is the shallower one's detached teacher: the defined "
                        "backward, compared with the oracle's autograd")
          .note("3 auxiliary heads of 4 x 3 joint classes, T 3"));
  add(Case("lsskd_loss", "single_stage").normal("final_logits", {3, 2})
          .normal("aux_logits", {3, 8}).index("target", {3}, 2).index("joint_target", {3}, 8)
          .attr("T", 1.0).note("one auxiliary head: no KD pair, T 1"));
}
