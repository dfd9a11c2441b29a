// Test cases for losses/segmentation/soft_iou_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(soft_iou_loss) {
  add(Case("soft_iou_loss").normal("input", {2, 1, 3, 3})
          .values("target", {2, 1, 3, 3}, {1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0})
          .note("logits [2,1,3,3], binary target, summed over the batch"));
  add(Case("soft_iou_loss", "empty_gt").normal("input", {2, 1, 2, 2})
          .values("target", {2, 1, 2, 2}, {0, 0, 0, 0, 0, 1, 0, 0})
          .note("an empty ground truth in image 0 (IoU 0, loss 1, gradient 0)"));
}
