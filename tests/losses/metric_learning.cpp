// Test cases for losses/metric_learning/*.cpp (gradcheck, conformance, oracle). Labels are
// exact i64 values; the oracle checks the PML-set ops against pytorch-metric-learning itself
// (tools/oracle/loss_metric_learning.py).
#include "tests/support/cases.h"

LATHE_CASES(metric_learning_losses) {
  using lathe::DType;
  const std::vector<double> four_pairs = {0, 0, 1, 1, 2, 2, 3, 3};
  const std::vector<double> mixed = {0, 1, 0, 1, 2, 2, 0, 1};
  const std::vector<double> one_class = {0, 0, 0, 0, 0};
  const std::vector<double> singletons = {0, 1, 2, 3, 4};
  // Rows 0 and 1 are equal (same label): distance 0, a duplicate pair.
  const std::vector<double> dup = {0.5, -1.0, 0.3, 0.5, -1.0, 0.3, -0.2, 0.9, 0.4,
                                   1.1, 0.1, -0.6, 0.3, 0.3, 1.2, -0.8, -0.4, 0.2};
  // Row 2 is zero: F.normalize maps it to 0 (gradient divided by 1e-12).
  const std::vector<double> zero_row = {0.5, -1.0, 0.3, -0.2, 0.9, 0.4, 0.0, 0.0, 0.0,
                                        1.1, 0.1, -0.6, 0.3, 0.3, 1.2, -0.8, -0.4, 0.2};
  const std::vector<double> six = {0, 0, 1, 1, 2, 2};

  // ---- contrastive_loss ----
  add(Case("contrastive_loss").normal("embeddings", {8, 4})
          .values("labels", {8}, four_pairs, DType::i64).note("[8,4], four pairs of labels"));
  add(Case("contrastive_loss", "margins").normal("embeddings", {8, 3})
          .values("labels", {8}, mixed, DType::i64).attr("pos_margin", 0.3)
          .attr("neg_margin", 1.4).note("pos_margin 0.3, neg_margin 1.4, three classes"));
  add(Case("contrastive_loss", "single_class").normal("embeddings", {5, 3})
          .values("labels", {5}, one_class, DType::i64)
          .note("one class: no negative pair, the positive term alone"));
  add(Case("contrastive_loss", "one_per_class").normal("embeddings", {5, 3})
          .values("labels", {5}, singletons, DType::i64)
          .note("one sample per class: no positive pair, the negative term alone"));
  add(Case("contrastive_loss", "b2").normal("embeddings", {2, 3})
          .values("labels", {2}, {0, 0}, DType::i64).note("B = 2, one positive pair"));
  add(Case("contrastive_loss", "duplicates").values("embeddings", {6, 3}, dup)
          .values("labels", {6}, six, DType::i64)
          .at_kink("a duplicate pair sits at distance 0 (relu kink, cdist's zero gradient)")
          .note("rows 0 and 1 equal: their pair loss is 0 and leaves the mean"));
  add(Case("contrastive_loss", "zero_norm").values("embeddings", {6, 3}, zero_row)
          .values("labels", {6}, six, DType::i64).attr("neg_margin", 1.2)
          .at_kink("a zero row: F.normalize's clamp, gradient scaled by 1e12")
          .note("a zero embedding (distance 1 to every unit row; neg_margin 1.2 keeps that "
                "off the hinge): finite value and gradient"));

  // ---- batch_triplet_loss ----
  add(Case("batch_triplet_loss").normal("embeddings", {8, 3})
          .values("labels", {8}, four_pairs, DType::i64)
          .note("every triplet, margin 0.05, mean of the non-zero losses"));
  add(Case("batch_triplet_loss", "batch_hard").normal("embeddings", {8, 3})
          .values("labels", {8}, mixed, DType::i64).attr("miner", "batch_hard")
          .attr("margin", 0.2).note("batch-hard miner, margin 0.2"));
  add(Case("batch_triplet_loss", "semihard").normal("embeddings", {10, 3})
          .values("labels", {10}, {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, DType::i64)
          .attr("miner", "semihard").attr("margin", 0.3).attr("miner_margin", 0.5)
          .note("semi-hard triplets 0 < d_an - d_ap <= 0.5, margin 0.3"));
  add(Case("batch_triplet_loss", "swap").normal("embeddings", {8, 3})
          .values("labels", {8}, mixed, DType::i64).attr("swap", true).attr("margin", 0.3)
          .note("swap: d_an := min(d_an, d_pn)"));
  add(Case("batch_triplet_loss", "hard_swap").normal("embeddings", {8, 3})
          .values("labels", {8}, four_pairs, DType::i64).attr("miner", "batch_hard")
          .attr("swap", true).attr("margin", 0.5).note("batch-hard with swap"));
  add(Case("batch_triplet_loss", "ties").values("embeddings", {6, 3}, dup)
          .values("labels", {6}, {0, 1, 1, 2, 0, 2}, DType::i64).attr("miner", "batch_hard")
          .attr("margin", 0.5)
          .at_kink("rows 0 and 1 are equal: anchors tie between two hardest negatives")
          .note("ties in batch-hard mining: the first index wins, as torch.max"));
  add(Case("batch_triplet_loss", "single_class").normal("embeddings", {5, 3})
          .values("labels", {5}, one_class, DType::i64).attr("miner", "batch_hard")
          .note("one class: no triplet, 0 with a graph"));
  add(Case("batch_triplet_loss", "b2").normal("embeddings", {2, 3})
          .values("labels", {2}, {0, 1}, DType::i64).note("B = 2: no triplet, 0"));

  // ---- triplet_margin_loss ----
  add(Case("triplet_margin_loss", "margin_half").normal("anchor", {5, 4}).normal("positive", {5, 4})
          .normal("negative", {5, 4}).attr("margin", 0.5).note("[5,4], margin 0.5"));
  add(Case("triplet_margin_loss", "swap_none").normal("anchor", {4, 3})
          .normal("positive", {4, 3}).normal("negative", {4, 3}).attr("swap", true)
          .attr("reduction", "none").note("swap, reduction none"));
  add(Case("triplet_margin_loss", "p1_sum").away("anchor", {4, 3}, 0.1, 1.0)
          .away("positive", {4, 3}, 1.2, 2.0).normal("negative", {4, 3}).attr("p", 1.0)
          .attr("margin", 2.0).attr("reduction", "sum").note("p = 1, reduction sum"));
  add(Case("triplet_margin_loss", "p3").normal("anchor", {4, 3}).normal("positive", {4, 3})
          .normal("negative", {4, 3}).attr("p", 3.0).attr("margin", 1.5).note("p = 3"));

  // ---- multi_similarity_loss ----
  add(Case("multi_similarity_loss").normal("embeddings", {8, 5}, 0.5)
          .values("labels", {8}, four_pairs, DType::i64)
          .note("official: features as given, margin 0.1"));
  add(Case("multi_similarity_loss", "margin1").normal("embeddings", {8, 5}, 0.4)
          .values("labels", {8}, mixed, DType::i64).attr("margin", 1.0)
          .note("official, margin 1: mining keeps every pair"));
  add(Case("multi_similarity_loss", "pml").normal("embeddings", {8, 4})
          .values("labels", {8}, mixed, DType::i64).attr("variant", "pml").attr("beta", 50.0)
          .note("PML MultiSimilarityLoss(alpha 2, beta 50, base 0.5)"));
  add(Case("multi_similarity_loss", "pml_singletons").normal("embeddings", {5, 4})
          .values("labels", {5}, {0, 1, 1, 2, 3}, DType::i64).attr("variant", "pml")
          .attr("beta", 50.0).attr("reduction", "none")
          .note("PML variant, anchors without positives add log 1 = 0"));
  add(Case("multi_similarity_loss", "single_class").normal("embeddings", {5, 3}, 0.5)
          .values("labels", {5}, one_class, DType::i64)
          .note("one class: every anchor skipped, 0 with a graph"));
  add(Case("multi_similarity_loss", "one_per_class").normal("embeddings", {5, 3}, 0.5)
          .values("labels", {5}, singletons, DType::i64).attr("reduction", "none")
          .note("one sample per class, |f|^2 < 1: the self-pair passes the official code's "
                "S < 1 - 1e-5 threshold and is the anchor's positive"));
  add(Case("multi_similarity_loss", "duplicates").values("embeddings", {6, 3}, dup)
          .values("labels", {6}, six, DType::i64).attr("margin", 1.0)
          .note("unnormalized duplicates: S_01 = |f|^2 > 1 - 1e-5 drops the pair"));

  // ---- circle_loss ----
  // circle_loss's pair weights are stop-gradient: the oracle checks its gradients, not gradcheck.
  const char* circle_why = "stop-gradient pair weights: the gradient is not the derivative";
  add(Case("circle_loss").normal("embeddings", {8, 4}).no_gradcheck(circle_why)
          .values("labels", {8}, four_pairs, DType::i64).note("m 0.4, gamma 80"));
  add(Case("circle_loss", "m25").no_gradcheck(circle_why).normal("embeddings", {8, 3})
          .values("labels", {8}, mixed, DType::i64).attr("m", 0.25).attr("gamma", 32.0)
          .note("m 0.25, gamma 32"));
  add(Case("circle_loss", "single_class").no_gradcheck(circle_why)
          .normal("embeddings", {5, 3})
          .values("labels", {5}, one_class, DType::i64)
          .note("one class: every anchor skipped, 0 with a graph"));
  add(Case("circle_loss", "some_singletons").no_gradcheck(circle_why)
          .normal("embeddings", {6, 3})
          .values("labels", {6}, {0, 0, 1, 2, 2, 3}, DType::i64)
          .note("anchors without positives leave the mean"));

  // ---- npairs_loss ----
  add(Case("npairs_loss").normal("embeddings", {7, 4})
          .values("labels", {7}, {0, 0, 1, 1, 2, 2, 3}, DType::i64)
          .note("three pairs, one singleton label"));
  add(Case("npairs_loss", "shuffled").normal("embeddings", {8, 3})
          .values("labels", {8}, {2, 1, 2, 0, 1, 0, 2, 1}, DType::i64).attr("reduction", "sum")
          .note("unsorted labels, three samples of a label: its first two pair up"));
  add(Case("npairs_loss", "no_pairs").normal("embeddings", {4, 3})
          .values("labels", {4}, {0, 1, 2, 3}, DType::i64)
          .note("one sample per class: no pair, 0 with a graph"));

  // ---- proxy_nca_loss ----
  add(Case("proxy_nca_loss").normal("embeddings", {6, 4})
          .values("labels", {6}, {0, 1, 2, 0, 1, 2}, DType::i64).normal("proxies", {3, 4})
          .note("[6,4] against three proxies"));
  add(Case("proxy_nca_loss", "scale").normal("embeddings", {5, 3})
          .values("labels", {5}, {3, 0, 0, 1, 3}, DType::i64).normal("proxies", {4, 3})
          .attr("softmax_scale", 3.0).attr("reduction", "none")
          .note("softmax_scale 3, a proxy without samples, reduction none"));

  // ---- proxy_anchor_loss ----
  add(Case("proxy_anchor_loss").normal("embeddings", {6, 4})
          .values("labels", {6}, {0, 1, 2, 0, 1, 2}, DType::i64).normal("proxies", {3, 4})
          .note("alpha 32, margin 0.1"));
  add(Case("proxy_anchor_loss", "absent_class").normal("embeddings", {5, 3})
          .values("labels", {5}, {0, 0, 2, 2, 2}, DType::i64).normal("proxies", {4, 3})
          .attr("alpha", 8.0).attr("margin", 0.2)
          .note("proxies 1 and 3 have no sample: they leave the positive mean"));

  // ---- lifted_structure_loss ----
  add(Case("lifted_structure_loss").normal("embeddings", {8, 4})
          .values("labels", {8}, four_pairs, DType::i64).note("neg_margin 1, pos_margin 0"));
  add(Case("lifted_structure_loss", "margins").normal("embeddings", {8, 3})
          .values("labels", {8}, mixed, DType::i64).attr("neg_margin", 0.5)
          .attr("pos_margin", 0.2).note("neg_margin 0.5, pos_margin 0.2"));
  add(Case("lifted_structure_loss", "single_class").normal("embeddings", {4, 3})
          .values("labels", {4}, {1, 1, 1, 1}, DType::i64)
          .note("one class: no negative pair, 0 with a graph"));

  // ---- soft_triple_loss ----
  add(Case("soft_triple_loss").normal("embeddings", {6, 4})
          .values("labels", {6}, {0, 1, 2, 0, 1, 2}, DType::i64).normal("centers", {6, 4})
          .attr("centers_per_class", 2).note("three classes, two centres each"));
  add(Case("soft_triple_loss", "k3").normal("embeddings", {5, 3})
          .values("labels", {5}, {1, 0, 1, 1, 0}, DType::i64).normal("centers", {6, 3})
          .attr("centers_per_class", 3).attr("la", 5.0).attr("gamma", 0.5)
          .attr("margin", 0.1).attr("reduction", "sum")
          .note("two classes, three centres, la 5, gamma 0.5, margin 0.1, sum"));

  // ---- arcface_loss ----
  add(Case("arcface_loss").normal("embeddings", {6, 4})
          .values("labels", {6}, {0, 1, 2, 0, 1, 2}, DType::i64).normal("weight", {3, 4})
          .attr("scale", 8.0).note("three classes, margin 28.6 degrees, scale 8"));
  add(Case("arcface_loss", "defaults").normal("embeddings", {5, 3})
          .values("labels", {5}, {0, 1, 1, 0, 2}, DType::i64).normal("weight", {3, 3})
          .attr("reduction", "none").note("PML defaults (scale 64), reduction none"));
  // Sample 0 points against its class weight: theta > pi - m takes the linear branch.
  add(Case("arcface_loss", "obtuse")
          .values("embeddings", {3, 2}, {-1.0, -0.1, 0.3, 1.0, 0.8, -0.5})
          .values("labels", {3}, {0, 1, 0}, DType::i64)
          .values("weight", {2, 2}, {1.0, 0.05, 0.2, 1.0}).attr("scale", 4.0)
          .note("a target angle beyond pi - m: cos(theta) - m sin(m)"));

  // ---- proto_triplet_loss ----
  add(Case("proto_triplet_loss").normal("query", {6, 4})
          .values("query_labels", {6}, {0, 1, 2, 0, 1, 2}, DType::i64).normal("protos", {3, 4})
          .values("proto_labels", {3}, {0, 1, 2}, DType::i64).attr("margin", 2.0)
          .note("three prototypes, margin 2"));
  add(Case("proto_triplet_loss", "one_way").normal("query", {3, 3})
          .values("query_labels", {3}, {4, 4, 4}, DType::i64).normal("protos", {1, 3})
          .values("proto_labels", {1}, {4}, DType::i64).attr("reduction", "sum")
          .note("a 1-way episode: no other prototype, loss 0"));
  add(Case("proto_triplet_loss", "missing_class").normal("query", {4, 3})
          .values("query_labels", {4}, {0, 5, 1, 0}, DType::i64).normal("protos", {2, 3})
          .values("proto_labels", {2}, {0, 1}, DType::i64).attr("reduction", "none")
          .note("a query whose class has no prototype: d+ = 0"));

  // ---- dsml_snr_contrastive_loss ----
  add(Case("dsml_snr_contrastive_loss").normal("embeddings", {6, 8})
          .values("labels", {6}, six, DType::i64).attr("reg_weight", 0.01)
          .note("snr distances, zero-mean regularizer 0.01"));
  add(Case("dsml_snr_contrastive_loss", "all_pairs").normal("embeddings", {5, 4})
          .values("labels", {5}, {0, 1, 0, 1, 1}, DType::i64).attr("avg_non_zero_only", false)
          .attr("neg_margin", 2.0).attr("pos_margin", 0.5)
          .note("every pair in the means, margins 0.5 and 2"));

  // ---- tcm_loss ----
  add(Case("tcm_loss").in("pos_sims", {6}, 0.0, 1.0).in("neg_sims", {9}, 0.0, 1.0)
          .note("similarities in [0, 1]"));
  add(Case("tcm_loss", "none_hard").values("pos_sims", {3}, {0.95, 0.97, 0.99})
          .values("neg_sims", {3}, {0.1, 0.2, 0.3}).attr("l_neg", 2.0)
          .note("no hard pair: exact 0 with a graph"));

  // ---- asl_norm_ratio_loss ----
  add(Case("asl_norm_ratio_loss").normal("f_big", {4, 8}).normal("f_small", {4, 8})
          .note("[4,8] views"));
  add(Case("asl_norm_ratio_loss", "none").normal("f_big", {3, 2}).normal("f_small", {3, 2}, 2.0)
          .attr("reduction", "none").note("reduction none"));

  // ---- batch_balanced_contrastive_loss ----
  add(Case("batch_balanced_contrastive_loss").in("distance", {2, 4, 4}, 0.0, 3.0)
          .values("target", {2, 4, 4}, {0, 1, 255, 0, 1, 1, 0, 0, 255, 0, 1, 0, 0, 0, 1, 255,
                                         1, 0, 0, 255, 0, 1, 1, 0, 0, 0, 255, 1, 0, 1, 0, 0},
                  DType::i64)
          .note("class-balanced, 255 ignored, margin 2"));
  add(Case("batch_balanced_contrastive_loss", "none").in("distance", {6}, 0.0, 3.0)
          .values("target", {6}, {0, 1, 1, 255, 0, 1}, DType::i64).attr("reduction", "none")
          .attr("margin", 1.5).note("per-pixel map, margin 1.5"));

  // ---- bct_influence_loss ----
  add(Case("bct_influence_loss").normal("out", {4, 3}).normal("feat", {4, 5})
          .normal("old_weight", {3, 5}).values("labels", {4}, {0, 2, 1, 2}, DType::i64)
          .note("alpha 1"));
  add(Case("bct_influence_loss", "alpha10").normal("out", {3, 4}).normal("feat", {3, 2})
          .normal("old_weight", {3, 2}).values("labels", {3}, {2, 0, 1}, DType::i64)
          .attr("alpha", 10.0).note("the transfer trainer's weight 10"));

  // ---- bt2_cosine_alignment_loss ----
  add(Case("bt2_cosine_alignment_loss").normal("f_old", {4, 6}).normal("phi_old", {4, 6})
          .normal("f_new", {4, 6}).normal("phi_new", {4, 6}).normal("out", {4, 3})
          .values("labels", {4}, {0, 2, 1, 1}, DType::i64).normal("pseudo_out", {4, 3})
          .note("with the pseudo classifier's logits"));
  add(Case("bt2_cosine_alignment_loss", "no_pseudo").normal("f_old", {3, 2})
          .normal("phi_old", {3, 2}).normal("f_new", {3, 2}).normal("phi_new", {3, 2})
          .normal("out", {3, 4}).values("labels", {3}, {3, 0, 1}, DType::i64)
          .note("no pseudo classifier"));

  // ---- stssdl_prototype_loss ----
  add(Case("stssdl_prototype_loss").normal("q_t", {2, 3, 4}).normal("q_a", {2, 3, 4})
          .normal("prototypes", {5, 4}).note("M 5 prototypes, lam_c 0.1, lam_d 1"));
  add(Case("stssdl_prototype_loss", "two").normal("q_t", {1, 4, 3}).normal("q_a", {1, 4, 3})
          .normal("prototypes", {2, 3}).attr("lam_c", 1.0).attr("margin", 1.0)
          .note("M = 2: the second best is the other prototype"));
}
