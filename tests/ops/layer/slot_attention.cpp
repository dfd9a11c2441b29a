// Test cases for ops/layer/slot_attention.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(slot_attention) {
  // Slot-TTA's parameters for D 4, hidden 4 (ModelIter passes hidden_dim = D)
  auto params = [](Case c, int64_t d, int64_t hidden) {
    for (const char* n : {"norm_input", "norm_slots", "norm_pre_ff"}) {
      c.in(std::string(n) + "_weight", {d}, 0.5, 1.5);
      c.in(std::string(n) + "_bias", {d}, -0.3, 0.3);
    }
    for (const char* n : {"to_q", "to_k", "to_v"}) {
      c.normal(std::string(n) + "_weight", {d, d}, 0.5);
      c.normal(std::string(n) + "_bias", {d}, 0.2);
    }
    c.normal("gru_weight_ih", {3 * d, d}, 0.5).normal("gru_weight_hh", {3 * d, d}, 0.5);
    c.normal("gru_bias_ih", {3 * d}, 0.2).normal("gru_bias_hh", {3 * d}, 0.2);
    c.normal("fc1_weight", {hidden, d}, 0.5).normal("fc1_bias", {hidden}, 0.2);
    c.normal("fc2_weight", {d, hidden}, 0.5).normal("fc2_bias", {d}, 0.2);
    return c;
  };
  add(params(Case("slot_attention").normal("x", {2, 5, 4}).normal("slots", {1, 3, 4}), 4, 4)
          .note("Slot-TTA: slots_mu [1, 3, 4] shared by a batch of 2, 5 inputs, T 3"));
  add(params(Case("slot_attention", "one_slot").normal("x", {1, 4, 3}).normal("slots", {1, 1, 3}),
             3, 5)
          .attr("iters", 2).note("K = 1: the softmax over slots is 1 (+eps), hidden 5 > D"));
  add(params(Case("slot_attention", "per_sample").normal("x", {2, 1, 3})
                  .normal("slots", {2, 2, 3}), 3, 3)
          .attr("iters", 1).note("N = 1 input, per-sample starting slots (Locatello's draw)"));
}
