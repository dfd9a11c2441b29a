// Test cases for losses/entropy/aem_loss.cpp, happy_entropy_reg.cpp and
// token_entropy_bonus.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(entropy_more) {
  add(Case("aem_loss").normal("input", {1, 2}).index("target", {1}, 2).normal("attn_logits",
          {1, 30}).note("one bag: logits [1,2], ABMIL attention over 30 instances, lam 0.1"));
  add(Case("aem_loss", "top_k").normal("input", {3, 4}).index("target", {3}, 4)
          .distinct("attn_logits", {2, 8}).attr("top_k", 3).attr("lam", 0.5)
          .note("3 bags, 2 heads x 8 instances, entropy of the renormalized top-3"));
  add(Case("happy_entropy_reg").normal("input", {8, 6}, 0.3).attr("k_old", 4)
          .note("logits [8,6] (two views), 4 old and 2 new classes, temperature 0.1"));
  add(Case("happy_entropy_reg", "one_new").normal("input", {6, 5}, 0.3).attr("k_old", 4)
          .attr("w_on", 1.5).attr("temperature", 0.5)
          .note("one new class (L_n = 0), w_on 1.5, temperature 0.5"));
  add(Case("token_entropy_bonus").normal("input", {2, 4, 6}).mask("mask", {2, 4})
          .note("policy logits [2,4,6], response mask [2,4], alpha 1e-3"));
  add(Case("token_entropy_bonus", "no_mask").normal("input", {3, 2, 4}, 2.0)
          .attr("alpha", 0.1).note("no mask: the mean over every token, alpha 0.1"));
  add(Case("entropy_band_reg").probs("attn", {2, 2, 3, 4}).probs("attn", {2, 2, 3, 4})
          .in("w_heads", {2}, 0.0, 0.5).attr("lam", 0.1)
          .note("two layers [2,2,3,4], thresholds w [2] in [0, 0.5], lam 0.1"));
  add(Case("entropy_band_reg", "one_layer").probs("attn", {1, 2, 3, 6})
          .in("w_heads", {2}, 0.0, 1.0).attr("tolerance", 0.05)
          .note("one layer, tolerance 0.05, lam 1e-5"));
  add(Case("woc_entropy_min").values("input", {4, 3},
          {1.0, 0.2, -0.5, 0.1, 1.5, 0.3, -1.0, 0.4, 0.9, 0.6, 1.2, -0.2})
          .values("source", {4, 3}, {0.5, 0.0, 0.0, 0.0, 2.5, 0.0, 0.0, 0.0, 1.0, 0.0, 0.3, 0.0})
          .note("4 samples, two kept (confidence in the source class rose), two dropped"));
  add(Case("woc_entropy_min", "diversity").values("input", {3, 2}, {1.2, -0.3, 0.2, 0.4,
          -0.6, 0.1}).values("source", {3, 2}, {0.5, 0.0, 0.0, 0.1, 0.0, 1.5})
          .attr("div_weight", 0.5).note("diversity weight 0.5"));
  add(Case("cema_sed_loss").normal("input", {5, 4}).normal("teacher", {5, 4})
          .note("student and teacher logits [5,4], unit weights, T 1"));
  add(Case("cema_sed_loss", "weighted").normal("input", {5, 4}).normal("teacher", {5, 4}, 2.0)
          .attr("temperature", 2.0).attr("e_max", 0.5545).attr("beta", 0.5)
          .attr("gamma", 0.3)
          .at_kink("detached weights of the student logits: the gradient is defined, not the "
                   "derivative; the oracle compares it with PyTorch's, not with differences")
          .note("E_max 0.4 ln 4, T 2, beta 0.5, gamma 0.3"));
  add(Case("deyo_loss").values("input", {4, 3}, {4.0, 0.0, -1.0, 0.2, 0.1, 0.0, 0.0, 0.0,
          5.0, 1.0, 5.0, 2.6}).values("destroyed", {4, 3}, {0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0,
          0.0, 5.5, 0.0, 0.0, 0.0})
          .at_kink("detached weights of the logits: the gradient is defined, not the "
                   "derivative; the oracle compares it with PyTorch's, not with differences")
          .note("4 samples: two pass both filters, one fails the entropy, one the PLPD"));
  add(Case("deyo_loss", "plain").values("input", {3, 3}, {3.0, 0.0, 0.0, 0.0, 4.0, 1.0, 0.5,
          0.0, 0.2}).values("destroyed", {3, 3}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
          0.0}).attr("reweight_ent", false).attr("reweight_plpd", false).attr("tau_ent", 0.9)
          .attr("tau_plpd", 0.1).note("weights off (alpha 1), tau_ent 0.9, tau_plpd 0.1"));
}
