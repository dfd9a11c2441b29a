// Test cases for the embedding losses of the second slice (losses/metric_learning/,
// losses/contrastive/, losses/face/: the *_more.h headers); oracle tools/oracle/loss_embedding2.py.
#include "tests/support/cases.h"

LATHE_CASES(embedding2_losses) {
  using lathe::DType;
  const std::vector<double> six = {0, 0, 1, 1, 2, 3};

  // ---- hyp_pc_loss ----
  add(Case("hyp_pc_loss").normal("f", {6, 4}, 0.3).note("three pairs inside the ball"));
  add(Case("hyp_pc_loss", "true_distance").normal("f", {4, 3}, 0.4).attr("true_distance", true)
          .attr("c", 0.5).attr("reduction", "none").note("artanh, c 0.5, per pair"));
  add(Case("hyp_pc_loss", "identical").values("f", {4, 2}, {0.1, -0.2, 0.3, 0.05,
                                                             0.1, -0.2, 0.3, 0.05})
          .attr("reduction", "sum").oracle_only("identical halves: the norm's kink at 0")
          .note("identical halves: loss 0"));

  // ---- unpg_loss ----
  add(Case("unpg_loss").in("cos_margin", {6, 4}, -1.0, 1.0).normal("x", {6, 5})
          .values("labels", {6}, six, DType::i64).attr("s", 4.0)
          .note("six samples, four identities, s 4"));
  add(Case("unpg_loss", "tight_whisker").in("cos_margin", {8, 3}, -1.0, 1.0).normal("x", {8, 4})
          .values("labels", {8}, {0, 1, 2, 0, 1, 2, 0, 1}, DType::i64).attr("wisk", 0.0)
          .attr("s", 2.0).attr("reduction", "none")
          .note("w 0: only the interquartile negatives are kept"));
  add(Case("unpg_loss", "one_identity").in("cos_margin", {3, 2}, -1.0, 1.0).normal("x", {3, 4})
          .values("labels", {3}, {1, 1, 1}, DType::i64).attr("s", 3.0).attr("reduction", "sum")
          .note("no negative pair: plain cross-entropy"));

  // ---- group_symmetric_triplet_loss ----
  add(Case("group_symmetric_triplet_loss").normal("features", {8, 6}).attr("margin", 2.0)
          .note("two groups of 4, margin 2"));
  add(Case("group_symmetric_triplet_loss", "odd").normal("features", {11, 4}).attr("margin", 3.0)
          .attr("weight", 1.0).note("11 rows: groups of 5 and 6, middle rows unused"));

  // ---- energy_confusion_loss ----
  add(Case("energy_confusion_loss").normal("embeddings", {6, 4})
          .values("labels", {6}, six, DType::i64).note("four labels"));
  add(Case("energy_confusion_loss", "one_class").normal("embeddings", {3, 2})
          .values("labels", {3}, {2, 2, 2}, DType::i64).note("no negative pair: 0"));

  // ---- soft_dtw_triplet_loss ----
  add(Case("soft_dtw_triplet_loss").normal("anchor", {2, 4, 3}).normal("positive", {2, 3, 3})
          .normal("negative", {2, 5, 3}).attr("margin", 5.0).attr("gamma", 0.5)
          .note("two triplets, lengths 4/3/5, margin 5"));
  add(Case("soft_dtw_triplet_loss", "short").normal("anchor", {3, 1, 2})
          .normal("positive", {3, 2, 2}).normal("negative", {3, 1, 2}).attr("margin", 20.0)
          .attr("reduction", "none").note("length-1 sequences, default gamma"));

  // ---- icnn_score_loss ----
  const std::vector<double> three_by_four = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
  add(Case("icnn_score_loss").normal("origin", {12, 4})
          .values("labels", {12}, three_by_four, DType::i64).attr("ipc", 5)
          .note("12 samples, 3 classes, ipc 5"));
  add(Case("icnn_score_loss", "query").normal("origin", {4, 3})
          .values("labels", {4}, {0, 1, 2, 0}, DType::i64).normal("target", {9, 3})
          .values("target_labels", {9}, {0, 0, 0, 1, 1, 1, 2, 2, 2}, DType::i64).attr("k", 3)
          .note("queries against a support set, k 3"));
  add(Case("icnn_score_loss", "small").normal("origin", {5, 2})
          .values("labels", {5}, {0, 1, 0, 1, 1}, DType::i64)
          .note("n = 5 <= k + 2: k clipped to 3, gamma 1"));

  // ---- amcl_loss ----
  add(Case("amcl_loss").normal("anchor", {3, 4}).normal("positive", {3, 4})
          .normal("negatives", {3, 5, 4}).in("tau_pos", {3}, 0.2, 1.2)
          .in("tau_neg", {3, 5}, 0.2, 1.2).attr("topk", 3).attr("beta", 0.1)
          .note("top 3 of 5 negatives, beta 0.1"));
  add(Case("amcl_loss", "all_negatives").normal("anchor", {2, 3}).normal("positive", {2, 3})
          .normal("negatives", {2, 2, 3}).in("tau_pos", {2}, 0.3, 1.0)
          .in("tau_neg", {2, 2}, 0.3, 1.0).attr("reduction", "none")
          .note("topK 100 clipped to the 2 negatives"));

  // ---- nspt_contrastive_loss ----
  add(Case("nspt_contrastive_loss").normal("zs", {6, 4}).normal("zt", {6, 4})
          .values("labels", {6}, {0, 0, 1, 1, 2, 2}, DType::i64).note("three labels, tau 0.1"));
  add(Case("nspt_contrastive_loss", "one_class").normal("zs", {3, 4}).normal("zt", {3, 4})
          .values("labels", {3}, {1, 1, 1}, DType::i64).attr("tau", 0.5)
          .attr("reduction", "none").note("a single label: no negative, loss 0"));

  // ---- mm_supcon_loss ----
  add(Case("mm_supcon_loss").normal("za", {5, 4}).normal("zt", {5, 4})
          .values("labels", {5}, {0, 1, 0, 2, 1}, DType::i64).attr("tau", 0.5)
          .note("three intents, tau 0.5"));
  add(Case("mm_supcon_loss", "singletons").normal("za", {4, 3}).normal("zt", {4, 3})
          .values("labels", {4}, {0, 1, 2, 3}, DType::i64).attr("reduction", "sum")
          .note("distinct labels: CLIP's one-directional InfoNCE"));

  // ---- isogclr_loss ----
  const char* why = "stop-gradient weights (custom backward): the oracle checks the gradients";
  add(Case("isogclr_loss").no_gradcheck(why).normal("z1", {4, 5}).normal("z2", {4, 5})
          .values("index", {4}, {1, 5, 7, 9}, DType::i64).in("s_bar", {12, 2}, 0.5, 3.0)
          .in("tau", {12}, 0.1, 0.6).normal("u", {12}, 0.5)
          .note("a step mid-training: moving s_bar, four rows of a 12-row state"));
  add(Case("isogclr_loss", "first").no_gradcheck(why).normal("z1", {3, 4}).normal("z2", {3, 4})
          .values("index", {3}, {2, 0, 2}, DType::i64).in("s_bar", {4, 2}, 0.5, 3.0)
          .in("tau", {4}, 0.04, 1.2).normal("u", {4}).attr("first", true).attr("eta", 0.5)
          .attr("reduction", "none")
          .note("first epoch, a repeated index (the last row wins), tau clamped"));

  // ---- metrix_loss ----
  add(Case("metrix_loss").normal("anchor", {5, 4}).normal("mixed", {5, 4}).attr("lam", 0.3)
          .attr("neg_margin", 1.2).note("lam 0.3, margin 1.2: both terms active"));
  add(Case("metrix_loss", "lam_one").normal("anchor", {3, 3}).normal("mixed", {3, 3})
          .attr("lam", 1.0).note("lam 1: the negative term is exactly 0"));

  // ---- temporal_cycle_consistency_loss ----
  add(Case("temporal_cycle_consistency_loss").normal("u", {6, 3}).normal("v", {5, 3})
          .attr("seq_len", 6.0).note("regression_mse_var, l2, indices / 6"));
  add(Case("temporal_cycle_consistency_loss", "classification").normal("u", {4, 3})
          .normal("v", {6, 3}).attr("variant", "classification").attr("similarity", "cosine")
          .attr("reduction", "sum").note("cosine, classification with smoothing 0.1"));
  add(Case("temporal_cycle_consistency_loss", "mse").normal("u", {4, 2}).normal("v", {4, 2})
          .attr("variant", "regression_mse").attr("temperature", 1.0)
          .attr("reduction", "none").note("regression_mse, tau 1, raw indices"));
  add(Case("temporal_cycle_consistency_loss", "huber").normal("u", {5, 2}).normal("v", {3, 2})
          .attr("variant", "regression_huber").attr("temperature", 0.5).attr("huber_delta", 0.5)
          .note("regression_huber, delta 0.5"));

  // ---- symface_loss ----
  add(Case("symface_loss").normal("e_left", {4, 8}).normal("e_right", {4, 8})
          .note("four frontal faces"));
  add(Case("symface_loss", "none").normal("e_left", {3, 2}).normal("e_right", {3, 2}, 3.0)
          .attr("reduction", "none").note("per face"));

  // ---- glocal_alignment_loss ----
  add(Case("glocal_alignment_loss").normal("p_obs", {2, 5, 4}).normal("z_ori", {2, 5, 4})
          .note("cos over the time axis"));
  add(Case("glocal_alignment_loss", "infonce").normal("p_obs", {2, 4, 3})
          .normal("z_ori", {2, 4, 3}).normal("p_ori", {2, 4, 3}).attr("variant", "infonce")
          .note("InfoNCE, the class axis dim 1"));

  // ---- pamc_meta_node_contrastive ----
  const std::vector<double> q6 = {0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.1, 0.7,
                                  0.6, 0.3, 0.1, 0.3, 0.5, 0.2, 0.1, 0.2, 0.7};
  add(Case("pamc_meta_node_contrastive").normal("z", {6, 4}).in("adj", {6, 6}, 0.0, 0.4)
          .values("q", {6, 3}, q6).note("three meta-nodes, tau 1"));
  add(Case("pamc_meta_node_contrastive", "one_cluster").normal("z", {4, 3})
          .in("adj", {4, 4}, 0.0, 0.5).values("q", {4, 2}, {0.9, 0.1, 0.8, 0.2, 0.6, 0.4,
                                                            0.7, 0.3})
          .attr("tau", 0.5).note("one meta-node: x- = e^0, the negative term log 1"));

  // ---- subspace_margin_loss ----
  add(Case("subspace_margin_loss").normal("emb", {6, 3}, 0.6)
          .values("anchor", {4}, {0, 1, 2, 3}, DType::i64)
          .values("positive", {4}, {1, 0, 3, 2}, DType::i64)
          .values("negative", {4}, {4, 5, 0, 1}, DType::i64).values("beta", {1}, {1.2})
          .attr("nu", 0.1).note("four triplets, beta 1.2, nu 0.1"));
  add(Case("subspace_margin_loss", "class_beta").normal("emb", {4, 2}, 0.5)
          .values("anchor", {3}, {0, 1, 2}, DType::i64)
          .values("positive", {3}, {1, 0, 3}, DType::i64)
          .values("negative", {3}, {2, 3, 0}, DType::i64).values("beta", {3}, {0.9, 1.2, 1.5})
          .note("one boundary per triplet (class-specific, gathered)"));

  // ---- uvos_consistency_loss ----
  add(Case("uvos_consistency_loss").normal("s_q", {2, 5}).normal("s_pos", {2, 3, 5})
          .normal("s_neg", {2, 4, 5}).note("two queries, 3 positives, 4 negatives"));
  add(Case("uvos_consistency_loss", "thresholds").normal("s_q", {3, 2}).normal("s_pos", {3, 2, 2})
          .normal("s_neg", {3, 2, 2}).attr("pos_thresh", 0.5).attr("neg_thresh", -0.2)
          .note("thresholds 0.5 and -0.2"));

  // ---- snr_distance (family nn) ----
  add(Case("snr_distance").normal("a", {3, 8}).normal("b", {4, 8}).note("[3,8] to [4,8]"));
  add(Case("snr_distance", "self").normal("a", {3, 2}).normal("b", {3, 2})
          .note("D = 2, the smallest feature axis"));

  // ---- cosine_linear (family nn) ----
  add(Case("cosine_linear").normal("x", {4, 6}).normal("weight", {5, 6}).note("[4,6] x [5,6]"));

  // ---- additive_margin_logits (family nn) ----
  add(Case("additive_margin_logits").in("cosine", {4, 5}, -0.9, 0.9)
          .values("labels", {4}, {0, 3, 4, 1}, DType::i64).attr("s", 8.0)
          .note("arcface, cosines away from +-1 (both branches of the threshold)"));
  add(Case("additive_margin_logits", "easy").in("cosine", {3, 3}, -0.9, 0.9)
          .values("labels", {3}, {2, 0, 1}, DType::i64).attr("easy_margin", true)
          .attr("m", 0.3).note("arcface with easy_margin"));
  add(Case("additive_margin_logits", "cosface").in("cosine", {3, 4}, -1.0, 1.0)
          .values("labels", {3}, {1, 1, 3}, DType::i64).attr("kind", "cosface")
          .attr("m", 0.35).attr("s", 30.0).note("cosface, m 0.35, s 30"));
}
