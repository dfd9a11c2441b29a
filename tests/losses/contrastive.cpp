// Test cases for losses/contrastive/*.cpp (gradcheck, conformance, oracle;
// tools/oracle/loss_embedding.py).
#include "tests/support/cases.h"

LATHE_CASES(contrastive_losses) {
  using lathe::DType;
  // ---- inbatch_infonce_loss ----
  add(Case("inbatch_infonce_loss").normal("z1", {5, 8}).normal("z2", {5, 8})
          .attr("tau", 0.5).note("[5,8], tau 0.5"));
  add(Case("inbatch_infonce_loss", "symmetric").normal("z1", {4, 3}).normal("z2", {4, 3})
          .attr("tau", 0.2).attr("symmetric", true).attr("reduction", "none")
          .note("both directions, reduction none"));
  add(Case("inbatch_infonce_loss", "b1").normal("z1", {1, 3}).normal("z2", {1, 3})
          .note("B = 1: value 0"));
  add(Case("inbatch_infonce_loss", "small_tau").normal("z1", {4, 3}).normal("z2", {4, 3})
          .attr("tau", 0.05).attr("reduction", "sum")
          .note("tau 0.05 (the multiple-negatives ranking loss), sum"));

  // ---- info_nce_loss ----
  add(Case("info_nce_loss").normal("query", {4, 6}).normal("positive_key", {4, 6})
          .normal("negatives", {7, 6}).attr("tau", 0.5)
          .note("unpaired negatives [7,6] shared by the queries"));
  add(Case("info_nce_loss", "paired").normal("query", {4, 3}).normal("positive_key", {4, 3})
          .normal("negatives", {4, 5, 3}).attr("negative_mode", "paired").attr("tau", 0.3)
          .note("paired negatives [4,5,3]"));
  add(Case("info_nce_loss", "in_batch").normal("query", {4, 3}).normal("positive_key", {4, 3})
          .attr("reduction", "none").attr("tau", 0.2)
          .note("no negatives: in-batch, reduction none"));
  add(Case("info_nce_loss", "m1_default_tau").normal("query", {3, 4})
          .normal("positive_key", {3, 4}).normal("negatives", {1, 4}).attr("reduction", "sum")
          .note("M = 1, tau 0.07, sum"));

  // ---- nt_xent_loss ----
  add(Case("nt_xent_loss").normal("z1", {4, 6}).normal("z2", {4, 6}).note("B = 4, tau 0.5"));
  add(Case("nt_xent_loss", "base").normal("z1", {3, 4}).normal("z2", {3, 4}).attr("tau", 0.2)
          .attr("base_temperature", 0.07).attr("reduction", "none")
          .note("tau 0.2 rescaled by tau / 0.07, reduction none"));
  add(Case("nt_xent_loss", "b1").normal("z1", {1, 3}).normal("z2", {1, 3})
          .note("B = 1: no negative, loss 0"));

  // ---- clip_contrastive_loss ----
  add(Case("clip_contrastive_loss").normal("img", {4, 8}).normal("txt", {4, 8})
          .values("logit_scale", {}, {2.6592600369327779}).note("t = log(1/0.07)"));
  add(Case("clip_contrastive_loss", "big_scale").normal("img", {4, 3}).normal("txt", {4, 3})
          .values("logit_scale", {}, {5.3}).attr("reduction", "none")
          .note("t = 5.3 > ln 100: no clamp, reduction none"));
  add(Case("clip_contrastive_loss", "smoothing").normal("img", {5, 3}).normal("txt", {5, 3})
          .values("logit_scale", {}, {1.5}).attr("label_smoothing", 0.1)
          .note("label smoothing 0.1 in both directions"));
  add(Case("clip_contrastive_loss", "b1").normal("img", {1, 3}).normal("txt", {1, 3})
          .values("logit_scale", {}, {1.0}).note("B = 1: value 0"));

  // ---- supcon_loss ----
  add(Case("supcon_loss").normal("features", {6, 1, 4})
          .values("labels", {6}, {0, 0, 1, 2, 2, 3}, DType::i64).attr("tau", 0.5)
          .attr("base_tau", 0.5).note("V = 1, singleton labels excluded"));
  add(Case("supcon_loss", "zero").normal("features", {6, 1, 4})
          .values("labels", {6}, {0, 0, 1, 2, 2, 3}, DType::i64).attr("tau", 0.5)
          .attr("no_positive", "zero").note("no_positive zero: singletons count as 0"));
  add(Case("supcon_loss", "two_views").normal("features", {4, 2, 3})
          .values("labels", {4}, {0, 1, 2, 3}, DType::i64).attr("tau", 0.3)
          .note("V = 2, singleton labels: the other view is the positive"));
  add(Case("supcon_loss", "defaults").normal("features", {4, 2, 3})
          .values("labels", {4}, {1, 0, 1, 0}, DType::i64)
          .note("tau 0.07, base_tau 0.07"));
  add(Case("supcon_loss", "single_label").normal("features", {3, 2, 3})
          .values("labels", {3}, {4, 4, 4}, DType::i64).attr("tau", 0.5)
          .note("one label: every other anchor is a positive, no negative"));
  add(Case("supcon_loss", "no_positive").normal("features", {4, 1, 3})
          .values("labels", {4}, {0, 1, 2, 3}, DType::i64).attr("tau", 0.5)
          .note("every anchor without a positive: 0 with a graph"));
}
