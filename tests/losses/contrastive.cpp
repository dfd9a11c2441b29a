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
  add(Case("clip_contrastive_loss", "tiled").normal("img", {5, 3}).normal("txt", {5, 3})
          .values("logit_scale", {}, {1.5}).attr("tile", 2)
          .note("tiled, tile 2 does not divide B = 5"));
  add(Case("clip_contrastive_loss", "tiled_smoothing").normal("img", {6, 3})
          .normal("txt", {6, 3}).values("logit_scale", {}, {2.0}).attr("tile", 4)
          .attr("label_smoothing", 0.2).attr("reduction", "none")
          .note("tiled, tile 4, label smoothing 0.2, reduction none"));
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
  add(Case("supcon_loss", "tiled").normal("features", {5, 2, 3})
          .values("labels", {5}, {0, 1, 0, 2, 1}, DType::i64).attr("tau", 0.5).attr("tile", 3)
          .note("tiled, tile 3 (does not divide N = 10)"));
  add(Case("supcon_loss", "tiled_no_positive").normal("features", {5, 1, 3})
          .values("labels", {5}, {0, 1, 0, 2, 3}, DType::i64).attr("tau", 0.5).attr("tile", 2)
          .attr("no_positive", "zero").note("tiled, tile 2, singletons count as 0"));

  // ---- hard_contrastive_loss ----
  add(Case("hard_contrastive_loss").normal("z1", {6, 5}).normal("z2", {6, 5})
          .note("k 0: every negative, plain InfoNCE at tau 0.2"));
  add(Case("hard_contrastive_loss", "k2").normal("z1", {6, 5}).normal("z2", {6, 5}).attr("k", 2)
          .attr("reduction", "none").note("the two hardest negatives, reduction none"));
  add(Case("hard_contrastive_loss", "k1_b2").normal("z1", {2, 3}).normal("z2", {2, 3})
          .attr("k", 1).attr("tau", 0.5).note("B = 2, k = B - 1 = 1"));

  // ---- simple_contrastive_loss ----
  add(Case("simple_contrastive_loss").normal("z1", {4, 6}).normal("z2", {4, 6}).note("lam 1"));
  add(Case("simple_contrastive_loss", "lam").normal("z1", {5, 3}).normal("z2", {5, 3})
          .attr("lam", 0.3).attr("reduction", "sum").note("lam 0.3, sum"));
  add(Case("simple_contrastive_loss", "align_only").normal("z1", {3, 3}).normal("z2", {3, 3})
          .attr("lam", 0.0).attr("reduction", "none").note("lam 0: alignment only"));

  // ---- uniformity_loss ----
  add(Case("uniformity_loss").normal("z", {6, 3}).note("t 2, normalized"));
  add(Case("uniformity_loss", "raw").normal("z", {5, 4}, 0.5).attr("normalize", false)
          .attr("t", 1.0).note("as given (the reference's inputs), t 1"));
  add(Case("uniformity_loss", "b2").normal("z", {2, 3}).note("B = 2: one pair"));
  add(Case("uniformity_loss", "duplicates")
          .values("z", {4, 3}, {0.5, -1.0, 0.3, 0.5, -1.0, 0.3, -0.2, 0.9, 0.4, 1.1, 0.1, -0.6})
          .note("a duplicate pair: d2 = 0 and a zero gradient, as pdist"));

  // ---- decoupled_softmax_loss ----
  add(Case("decoupled_softmax_loss").normal("logits", {4, 7}, 3.0)
          .values("positive_mask", {4, 7}, {1, 0, 0, 1, 0, 0, 0,  1, 1, 0, 0, 0, 1, 0,
                                            0, 0, 0, 0, 0, 0, 0,  1, 0, 0, 0, 0, 0, 0},
                  DType::boolean)
          .note("rows with 2, 3, 0 and 1 positives"));
  add(Case("decoupled_softmax_loss", "weights").normal("logits", {3, 4}, 2.0)
          .values("positive_mask", {3, 4}, {1, 1, 1, 1,  0, 1, 0, 1,  1, 0, 0, 0},
                  DType::boolean)
          .in("weights", {3, 4}, 0.5, 2.0)
          .note("label weights; a row of positives only gives 0"));

  // ---- sdm_loss ----
  add(Case("sdm_loss").normal("v", {5, 4}).normal("t", {5, 4})
          .values("labels", {5}, {0, 1, 0, 2, 1}, DType::i64).note("scale 2"));
  add(Case("sdm_loss", "one_class").normal("v", {4, 3}).normal("t", {4, 3})
          .values("labels", {4}, {3, 3, 3, 3}, DType::i64).attr("scale", 5.0)
          .note("one class: uniform Q, scale 5"));
  add(Case("sdm_loss", "singletons").normal("v", {3, 3}).normal("t", {3, 3})
          .values("labels", {3}, {0, 1, 2}, DType::i64).attr("scale", 0.5)
          .note("one sample per class: one-hot Q rows"));

  // ---- taco_bilinear_infonce ----
  add(Case("taco_bilinear_infonce").normal("g", {4, 3}).in("w", {3, 3}, 0.0, 1.0)
          .normal("z_pos", {4, 3}).note("W in U(0, 1) as the reference's init"));
  add(Case("taco_bilinear_infonce", "none").normal("g", {3, 2}).normal("w", {2, 2})
          .normal("z_pos", {3, 2}).attr("reduction", "none").note("reduction none"));

  // ---- mixco_nce_loss ----
  add(Case("mixco_nce_loss").normal("m", {5, 4}).normal("f", {5, 4})
          .values("beta", {5}, {0.9, 1.0, 0.05, 1.0, 0.6})
          .values("perm", {5}, {2, 0, 1, 4, 3}, DType::i64)
          .note("three rows mixed, no fixed point"));
  add(Case("mixco_nce_loss", "fixed_point").normal("m", {4, 3}).normal("f", {4, 3})
          .values("beta", {4}, {0.7, 1.0, 0.3, 1.0})
          .values("perm", {4}, {0, 3, 2, 1}, DType::i64).attr("tau", 0.5)
          .attr("reduction", "none")
          .note("perm fixed points 0 and 2: 1 - beta overwrites the diagonal (the quirk)"));

  // ---- soft_clip_loss ----
  add(Case("soft_clip_loss").normal("p", {4, 6}).normal("t", {4, 6}).note("tau 0.125"));
  add(Case("soft_clip_loss", "none").normal("p", {3, 3}).normal("t", {3, 3}).attr("tau", 0.5)
          .attr("reduction", "none").note("tau 0.5, reduction none"));

  // ---- barlip_loss ----
  add(Case("barlip_loss").normal("z1", {8, 5}).normal("z2", {8, 5}).note("N 8, D 5"));
  add(Case("barlip_loss", "weights").normal("z1", {6, 3}).normal("z2", {6, 3})
          .attr("lam", 0.1).attr("scale", 1.0).note("lam 0.1, scale 1"));

  // ---- siamlip_loss ----
  add(Case("siamlip_loss").normal("p", {4, 6}).normal("v", {4, 6}).note("2 - 2 mean cos"));
  add(Case("siamlip_loss", "none").normal("p", {3, 2}).normal("v", {3, 2})
          .attr("reduction", "none").note("reduction none"));

  // ---- sigreg_loss / lejepa_loss (directions: unit columns in use, any here) ----
  add(Case("sigreg_loss").normal("proj", {2, 8, 3}).normal("directions", {3, 4}, 0.5)
          .note("V 2, N 8, K 3, M 4 slices, 17 knots on [0, 3]"));
  add(Case("sigreg_loss", "knots").normal("proj", {1, 5, 2}).normal("directions", {2, 3}, 0.5)
          .attr("knots", 5).attr("t_max", 2.0).note("5 knots on [0, 2]"));
  add(Case("lejepa_loss").normal("proj", {3, 6, 3}).normal("directions", {3, 4}, 0.5)
          .note("lam 0.02"));
  add(Case("lejepa_loss", "one_view").normal("proj", {1, 6, 2}).normal("directions", {2, 3}, 0.5)
          .attr("lam", 0.5).note("a single view: the invariance term is 0"));

  // ---- clipn_binary_opposite_loss ----
  add(Case("clipn_binary_opposite_loss").normal("image", {4, 6}).normal("text_yes", {4, 6})
          .normal("text_no", {4, 6}).attr("scale", 10.0).note("scale 10"));
  add(Case("clipn_binary_opposite_loss", "b1").normal("image", {1, 3}).normal("text_yes", {1, 3})
          .normal("text_no", {1, 3}).attr("scale", 2.0)
          .note("B = 1: no off-diagonal pair, that mean is 0"));

  // ---- clipn_text_semantic_opposite_loss ----
  add(Case("clipn_text_semantic_opposite_loss").normal("text_yes", {5, 6})
          .normal("text_no", {5, 6}).note("mode L2"));
  add(Case("clipn_text_semantic_opposite_loss", "cosine").normal("text_yes", {3, 4})
          .normal("text_no", {3, 4}).attr("mode", "cosine").attr("reduction", "none")
          .note("mode cosine, reduction none"));

  // ---- compa_contrastive_loss ----
  add(Case("compa_contrastive_loss").normal("audio", {3, 5}).normal("text", {12, 5})
          .note("B 3, groups of 1 + 3 captions, scale 10"));
  add(Case("compa_contrastive_loss", "clip").normal("audio", {4, 3}).normal("text", {4, 3})
          .attr("n_neg", 0).attr("scale", 3.0).attr("reduction", "none")
          .note("n_neg 0: CLIP's loss, reduction none"));

  // ---- swalip_loss (views stacked [2, B, D]) ----
  const char* swalip_why = "stop-gradient Sinkhorn targets: the gradient is not the derivative";
  add(Case("swalip_loss").no_gradcheck(swalip_why).normal("h_img", {2, 4, 6})
          .normal("h_txt", {2, 4, 6})
          .note("h_scale 10, eps 0.05, 3 Sinkhorn iterations"));
  add(Case("swalip_loss", "soft").no_gradcheck(swalip_why).normal("h_img", {2, 3, 3})
          .normal("h_txt", {2, 3, 3})
          .attr("h_scale", 4.0).attr("eps", 0.5).attr("iters", 5)
          .note("eps 0.5, 5 iterations, h_scale 4"));
}
