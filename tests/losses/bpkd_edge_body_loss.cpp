// Test cases for losses/distill/bpkd_edge_body_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(bpkd_edge_body_loss) {
  add(Case("bpkd_edge_body_loss").normal("student", {2, 3, 3, 3}).normal("teacher", {2, 3, 3, 3})
          .in("edge_mask", {2, 3, 3, 3}, 0.0, 1.0).note("soft mask in [0, 1], defaults"));
  add(Case("bpkd_edge_body_loss", "no_edges").normal("student", {1, 2, 3, 3})
          .normal("teacher", {1, 2, 3, 3}, 2.0)
          .values("edge_mask", {1, 2, 3, 3}, std::vector<double>(18, 0.0)).attr("T", 1.0)
          .note("no edge pixels: L_E = 0 (count clamped to 1), body only, T 1"));
  add(Case("bpkd_edge_body_loss", "all_edges").normal("student", {1, 2, 2, 3})
          .normal("teacher", {1, 2, 2, 3})
          .values("edge_mask", {1, 2, 2, 3}, std::vector<double>(12, 1.0)).attr("T", 8.0)
          .note("every pixel an edge: the body logits are 0 (uniform), T 8"));
}
