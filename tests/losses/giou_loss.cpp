// Test cases for losses/regression/giou_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(giou_loss) {
  // (cx, cy, w, h) all in [0.2, 0.6]: positive sizes, overlapping or not, no coordinate ties
  add(Case("giou_loss").in("input", {5, 4}, 0.2, 0.6).in("target", {5, 4}, 0.2, 0.6)
          .note("five random matched box pairs, reduction mean"));
  add(Case("giou_loss", "catalog")
          .values("input", {2, 4}, {0.5, 0.5, 0.2, 0.3, 0.3, 0.6, 0.1, 0.1})
          .values("target", {2, 4}, {0.55, 0.5, 0.25, 0.3, 0.7, 0.2, 0.2, 0.2})
          .attr("num_boxes", 2.0)
          .at_kink("the first pair shares its y extent (0.35, 0.65): max/min ties")
          .note("the catalog's example: overlap and disjoint (GIoU < 0), sum / num_boxes 2"));
  add(Case("giou_loss", "none").in("input", {4, 4}, 0.1, 0.4).in("target", {4, 4}, 0.3, 0.7)
          .attr("reduction", "none").note("mostly disjoint boxes, reduction none"));
  add(Case("giou_loss", "identical")
          .values("input", {2, 4}, {0.5, 0.5, 0.2, 0.3, 0.3, 0.6, 0.1, 0.4})
          .values("target", {2, 4}, {0.5, 0.5, 0.2, 0.3, 0.3, 0.6, 0.1, 0.4})
          .attr("reduction", "sum")
          .at_kink("identical boxes: every coordinate a max/min tie, half-split gives 0")
          .note("identical boxes: loss 0, gradient exactly 0 (half-split subgradient)"));
  add(Case("giou_loss", "shared_edge")
          .values("input", {1, 4}, {0.5, 0.5, 0.2, 0.2})
          .values("target", {1, 4}, {0.7, 0.55, 0.2, 0.3})
          .at_kink("the boxes touch along x = 0.6: a clamp bound and a tie")
          .note("boxes sharing one edge: intersection 0, clamp passes at width 0"));
}
