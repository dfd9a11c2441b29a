// Test cases for losses/regression/iou_aware_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(iou_aware_loss) {
  add(Case("iou_aware_loss").normal("input", {5}).in("pred_boxes", {5, 4}, 0.3, 0.6)
          .in("target_boxes", {5, 4}, 0.3, 0.6)
          .note("five overlapping matched pairs: gradients into the logits and the boxes"));
  add(Case("iou_aware_loss", "catalog").normal("input", {2})
          .values("pred_boxes", {2, 4}, {0.5, 0.5, 0.2, 0.3, 0.3, 0.6, 0.1, 0.1})
          .values("target_boxes", {2, 4}, {0.55, 0.5, 0.25, 0.3, 0.32, 0.6, 0.12, 0.1})
          .attr("num_boxes", 2.0)
          .at_kink("the first pair shares its y extent (0.35, 0.65): max/min ties")
          .note("the catalog's example, sum / num_boxes 2"));
  add(Case("iou_aware_loss", "disjoint_none").normal("input", {3})
          .values("pred_boxes", {3, 4},
                  {0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9, 0.1, 0.1})
          .values("target_boxes", {3, 4},
                  {0.5, 0.5, 0.1, 0.1, 0.52, 0.48, 0.2, 0.22, 0.2, 0.2, 0.1, 0.1})
          .attr("reduction", "none")
          .note("two disjoint pairs (IoU 0, no box gradient) and one overlap, reduction none"));
}
