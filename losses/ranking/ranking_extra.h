// The ranking family's last catalog entries (catalog: ranking.md): BlockRank's auxiliary
// attention loss and the bidirectional repair loss, each in losses/ranking/<name>.cpp. Kept
// apart from ranking.h so that the first slice's header stays stable.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"

namespace lathe {

struct BlockrankAttentionLossOptions {
  int64_t block_len = 160;         // Hb: tokens per prompt block (the released config)
  double tau = 0.05;               // temperature (function default and released config)
  std::string reduction = "mean";  // none ([B]) | mean (over examples with a relevant doc) | sum
};

// BlockRank's multi-positive InfoNCE on attention logits scores [B, heads, Q, M Hb] of the
// query's signal rows against the M prompt blocks (instruction, M - 2 documents, query), with
// the relevant documents pos_mask [B, M - 2] (bool) (losses/ranking/blockrank_attention_loss.cpp).
Tensor blockrank_attention_loss(const Tensor& scores, const Tensor& pos_mask,
                                const BlockrankAttentionLossOptions& options = {});

struct BidirectionalRepairLossOptions {
  std::string reduction = "mean";  // none ([B]) | mean | sum (over the lists)
};

// The repair term of few-shot model extraction: BPR pushing the victim's top-K items missing
// from the surrogate's top-K above the surrogate's extra items. Surrogate scores [B, I], item
// ids victim_topk [B, K] and surrogate_topk [B, K'] (int)
// (losses/ranking/bidirectional_repair_loss.cpp).
Tensor bidirectional_repair_loss(const Tensor& scores, const Tensor& victim_topk,
                                 const Tensor& surrogate_topk,
                                 const BidirectionalRepairLossOptions& options = {});

}  // namespace lathe
