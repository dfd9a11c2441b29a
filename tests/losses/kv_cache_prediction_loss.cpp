// Test cases for losses/lm/kv_cache_prediction_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(kv_cache_prediction_loss) {
  using lathe::DType;
  // the cache entries lie on two grids 0.1 apart: |K^ - K| stays away from its kink
  add(Case("kv_cache_prediction_loss").on_grid("k_hat", {2, 2, 3, 2}).on_grid("k_hat", {2, 2, 3, 2})
          .on_grid("k", {2, 2, 3, 2}, true).on_grid("k", {2, 2, 3, 2}, true)
          .on_grid("v_hat", {2, 2, 3, 2}).on_grid("v_hat", {2, 2, 3, 2})
          .on_grid("v", {2, 2, 3, 2}, true).on_grid("v", {2, 2, 3, 2}, true)
          .values("labels", {2, 3}, {-100, 4, 2, 7, 1, -100}, DType::i64)
          .note("two layers, two ignored positions"));
  add(Case("kv_cache_prediction_loss", "one_layer_none").on_grid("k_hat", {1, 1, 4, 3})
          .on_grid("k", {1, 1, 4, 3}, true).on_grid("v_hat", {1, 1, 4, 3})
          .on_grid("v", {1, 1, 4, 3}, true).values("labels", {1, 4}, {3, 3, -100, 0}, DType::i64)
          .attr("reduction", "none").note("one layer, reduction none (0 at the ignored one)"));
}
