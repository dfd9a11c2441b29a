// batch_triplet_loss: the triplet margin loss over the triplets of a labelled batch, as
// pytorch-metric-learning 2.x computes it (losses.TripletMarginLoss, LpDistance(p=2,
// normalize_embeddings=True), AvgNonZeroReducer), with its miners:
//   d = Euclidean distances of the L2-normalized embeddings            [B, B]
//   l_apn = relu(d_ap - d_an + margin)    a, p same label (p != a), n another label
//   L = mean of the non-zero l_apn over the mined triplets (0 with a graph when none is left)
// miner 'all' (no miner): every triplet. 'batch_hard' (BatchHardMiner): one triplet per anchor
// that has a positive and a negative, its farthest positive and nearest negative (the first
// index on ties, as torch.max). 'semihard' (TripletMarginMiner(margin=miner_margin,
// type_of_triplets='semihard')): the triplets with 0 < d_an - d_ap <= miner_margin. NOTE: this
// is PML's semi-hard set, not FaceNet's (one semi-hard negative per positive pair). swap
// replaces d_an by min(d_an, d_pn) in the loss (the miners use d_an).
// Paper: "FaceNet: A Unified Embedding for Face Recognition and Clustering"; "In Defense of the
// Triplet Loss for Person Re-Identification" (batch hard). Code read: PML 2.9
// losses/triplet_margin_loss.py, miners/batch_easy_hard_miner.py, miners/triplet_margin_miner.py.
// Defaults: margin 0.05 (PML), miner 'all', miner_margin 0.2 (PML's miner), swap false.
// Memory: 'batch_hard' holds [B, B]; 'all' and 'semihard' hold [B, B, B] masks (PML builds the
// same triplet index lists), so they are for moderate B.
// Gradients: autograd; mining and the non-zero selection are constants; hinge kinks and ties
// are kept out of gradcheck.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {

Tensor batch_hard(const Tensor& d, const Tensor& labels, const BatchTripletLossOptions& o) {
  Tensor any_pos, any_neg;
  Tensor p = pairs::hardest_index(d, pairs::positive_mask(labels), true, &any_pos);   // [B]
  Tensor n = pairs::hardest_index(d, pairs::negative_mask(labels), false, &any_neg);  // [B]
  Tensor ap = pairs::take_rows(d, p);                                                  // [B]
  Tensor an = pairs::take_rows(d, n);                                                  // [B]
  if (o.swap) an = minimum(an, pairs::take_rows(index_select(d, p, 0), n));
  Tensor loss = relu(ap - an + o.margin);                                              // [B]
  return pairs::masked_mean(loss, logical_and(logical_and(any_pos, any_neg), gt(loss, 0.0)));
}

Tensor all_triplets(const Tensor& d, const Tensor& labels, const BatchTripletLossOptions& o,
                    bool semihard) {
  Tensor ap = unsqueeze(d, 2);                                      // [B, B, 1] a, p
  Tensor an = unsqueeze(d, 1);                                      // [B, 1, B] a, n
  Tensor keep = logical_and(unsqueeze(pairs::positive_mask(labels), 2),
                            unsqueeze(pairs::negative_mask(labels), 1));  // [B, B, B]
  if (semihard) {
    Tensor gap = (an - ap).detach();                                // [B, B, B]
    keep = logical_and(keep, logical_and(gt(gap, 0.0), le(gap, o.miner_margin)));
  }
  if (o.swap) an = minimum(an, unsqueeze(d, 0));                    // d_pn: [1, B, B] p, n
  Tensor loss = relu(ap - an + o.margin);                           // [B, B, B]
  return pairs::masked_mean(loss, logical_and(keep, gt(loss, 0.0)));
}

}  // namespace

Tensor batch_triplet_loss(const Tensor& embeddings, const Tensor& labels,
                          const BatchTripletLossOptions& o) {
  const char* op = "batch_triplet_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  LATHE_CHECK(o.miner == "all" || o.miner == "batch_hard" || o.miner == "semihard", "[", op,
              "] miner must be all, batch_hard or semihard, got '", o.miner, "'");
  Tensor x = pairs::l2_normalize(embeddings);  // [B, D]
  Tensor d = pairs::distances(x, x, true);     // [B, B]
  if (o.miner == "batch_hard") return batch_hard(d, labels, o);
  return all_triplets(d, labels, o, o.miner == "semihard");
}

LATHE_REGISTER_OPS(batch_triplet_loss) {
  registry.add(OpDef("batch_triplet_loss", "metric_learning")
                   .summary("triplet margin loss over a batch's (mined) triplets (PML)")
                   .paper("FaceNet: A Unified Embedding for Face Recognition and Clustering; In "
                          "Defense of the Triplet Loss for Person Re-Identification")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<BatchTripletLossOptions>()
                   .attr("margin", &BatchTripletLossOptions::margin,
                         "relu(d_ap - d_an + margin)")
                   .attr("miner", &BatchTripletLossOptions::miner, "all | batch_hard | semihard")
                   .attr("miner_margin", &BatchTripletLossOptions::miner_margin,
                         "semihard: keep 0 < d_an - d_ap <= miner_margin")
                   .attr("swap", &BatchTripletLossOptions::swap, "d_an := min(d_an, d_pn)")
                   .output("loss")
                   .own_reduction("PML's AvgNonZeroReducer: the mean of the non-zero triplet "
                                  "losses")
                   .run(batch_triplet_loss));
}

}  // namespace lathe
