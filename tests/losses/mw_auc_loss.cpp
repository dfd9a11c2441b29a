// Test cases for losses/ranking/mw_auc_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mw_auc_loss) {
  using lathe::DType;
  const std::vector<double> diag = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  add(Case("mw_auc_loss").normal("scores", {4, 8}).values("pos_mask", {4, 8}, diag, DType::boolean)
          .attr("tau", 0.5).note("the catalog's example: 4 queries, 8 passages, tau 0.5"));
  add(Case("mw_auc_loss", "mean").normal("scores", {4, 8})
          .values("pos_mask", {4, 8}, diag, DType::boolean).attr("tau", 0.5)
          .attr("reduction", "mean").note("mean over all pairs"));
  add(Case("mw_auc_loss", "cosine_tau").in("scores", {2, 6}, -1.0, 1.0)
          .values("pos_mask", {2, 6}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, DType::boolean)
          .oracle_only("tau 0.01 on cosine scores: arguments up to +-200, saturated")
          .note("the paper's tau 0.01 on cosine scores: finite"));
}
