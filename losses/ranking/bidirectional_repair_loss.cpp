// bidirectional_repair_loss: the repair term of few-shot model extraction against sequential
// recommenders. For each list b, the victim's top-K items V_b and the surrogate's top-K' items
// S_b (ids into the surrogate's scores [B, I]): items of V_b \ S_b are pushed up, items of
// S_b \ V_b pushed down, in BPR form
//   L_b = mean_{i in V_b \ S_b, j in S_b \ V_b} -log sigmoid(s_bi - s_bj),
// 0 (with a graph) when either set is empty; reduced 'mean' over the lists (default), 'sum' or
// 'none' ([B]). Training adds it to the list-wise distillation loss: the caller's sum.
// Paper: "Few-shot Model Extraction Attacks against Sequential Recommender Systems" (catalog:
// ranking.md, confidence memory).
// Checked (this round): no code by the authors and no method text was found in the public
// sources searched (code and pages corpora); the pairing of every up item with every down
// item, equal pair weights and the BPR form are the catalog's reconstruction, which lathe
// follows (unverified). Repeated ids in a list count once (they are sets).
// Gradient (autograd): -sigmoid(-(s_i - s_j)) / n_pairs into s_i, the opposite into s_j.
// Composite.
#include <set>

#include "losses/ranking/ranking_extra.h"
#include "ops/composite.h"

namespace lathe {

Tensor bidirectional_repair_loss(const Tensor& scores, const Tensor& victim_topk,
                                 const Tensor& surrogate_topk,
                                 const BidirectionalRepairLossOptions& o) {
  const char* op = "bidirectional_repair_loss";
  check_floating(op, "scores", scores);
  check_dim(op, "scores", scores, 2);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t b = scores.size(0), items = scores.size(1);
  auto check_ids = [&](const char* name, const Tensor& t) {
    LATHE_CHECK(t.defined() && is_integral(t.dtype()) && t.dim() == 2 && t.size(0) == b, "[",
                op, "] ", name, " must be integers [", b, ", K], got ",
                t.defined() ? t.shape() : Shape{});
  };
  check_ids("victim_topk", victim_topk);
  check_ids("surrogate_topk", surrogate_topk);
  std::vector<int64_t> vt = victim_topk.to(DType::i64).to_vector<int64_t>();
  std::vector<int64_t> st = surrogate_topk.to(DType::i64).to_vector<int64_t>();
  const int64_t kv = victim_topk.size(1), ks = surrogate_topk.size(1);
  for (int64_t id : vt) LATHE_CHECK(id >= 0 && id < items, "[", op, "] item ", id,
                                    " out of range [0, ", items, ")");
  for (int64_t id : st) LATHE_CHECK(id >= 0 && id < items, "[", op, "] item ", id,
                                    " out of range [0, ", items, ")");
  std::vector<Tensor> rows;
  for (int64_t i = 0; i < b; ++i) {
    std::set<int64_t> v(vt.begin() + i * kv, vt.begin() + (i + 1) * kv);
    std::set<int64_t> s(st.begin() + i * ks, st.begin() + (i + 1) * ks);
    std::vector<int64_t> up, down;
    for (int64_t id : v) if (!s.count(id)) up.push_back(id);
    for (int64_t id : s) if (!v.count(id)) down.push_back(id);
    Tensor si = narrow(scores, 0, i, 1);                                   // [1, I]
    if (up.empty() || down.empty()) {
      rows.push_back(reshape(sum(si) * 0.0, {1}));                         // no pair: 0
      continue;
    }
    const int64_t nu = static_cast<int64_t>(up.size()), nd = static_cast<int64_t>(down.size());
    Tensor su = reshape(index_select(si, from_vector(up, {nu}, scores.device()), 1), {nu, 1});
    Tensor sd = reshape(index_select(si, from_vector(down, {nd}, scores.device()), 1), {1, nd});
    rows.push_back(reshape(mean(softplus(sd - su)), {1}));                 // -log sigmoid(su-sd)
  }
  return apply_reduction(concat(rows), r);                                 // [B] -> reduced
}

LATHE_REGISTER_OPS(bidirectional_repair_loss) {
  registry.add(OpDef("bidirectional_repair_loss", "ranking")
                   .summary("BPR pushing the victim's top-K items missing from the surrogate's "
                            "above the surrogate's extra ones")
                   .paper("Few-shot Model Extraction Attacks against Sequential Recommender "
                          "Systems")
                   .input("scores")
                   .input("victim_topk", Kind::integer)
                   .input("surrogate_topk", Kind::integer)
                   .options<BidirectionalRepairLossOptions>()
                   .attr("reduction", &BidirectionalRepairLossOptions::reduction,
                         "none ([B]) | mean | sum, over the lists")
                   .output("loss")
                   .run(bidirectional_repair_loss));
}

}  // namespace lathe
