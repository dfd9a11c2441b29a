// Test cases for losses/segmentation/skeleton_recall_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(skeleton_recall_loss) {
  // tubed skeletons of 3 classes on two 3x3 images; class 2 has none in image 1
  add(Case("skeleton_recall_loss").normal("input", {2, 3, 3, 3})
          .values("skeleton", {2, 3, 3, 3},
                  {1, 0, 0, 0, 0, 0, 1, 0, 0,  0, 1, 1, 0, 0, 1, 0, 0, 0,
                   0, 0, 0, 1, 0, 0, 0, 1, 1,  1, 1, 0, 0, 0, 0, 0, 0, 1,
                   0, 0, 1, 1, 1, 0, 0, 1, 0,  0, 0, 0, 0, 0, 0, 0, 0, 0})
          .note("3 classes, class 2 without skeleton in image 1 (recall 1, no gradient)"));
  add(Case("skeleton_recall_loss", "one_pixel_3d").normal("input", {1, 2, 2, 2, 3})
          .values("skeleton", {1, 2, 2, 2, 3},
                  {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0})
          .note("3-D, a one-voxel skeleton"));
}
