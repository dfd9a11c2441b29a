// linear_cross_entropy: the cross-entropy of a linear classifier's logits, computed without ever
// holding them. Hidden states e [..., T, H] (or [N, H]), classifier c [V, H], targets y [..., T]
// (int, y.shape == e.shape[:-1]), optional bias b [V]:
//   z_ij = e_i . c_j + b_j,  softcap s > 0: z <- s tanh(z / s),
//   l_i  = LSE_j(z_ij) - (1 - eps) z_{i,y_i} - eps mean_j z_ij     (eps: label smoothing),
// 0 where y_i == ignore_index. shift k pairs e[..., t, :] with y[..., t + k] (t < T - k).
// Paper: "Cut Your Losses in Large-Vocabulary Language Models" (Wijmans et al.; catalog: lm.md,
// official code apple/ml-cross-entropy: linear_cross_entropy.py for the signature and defaults,
// torch_compile.py for the reference semantics).
// Defaults: no bias, ignore_index -100, no softcap, label_smoothing 0 (an option the reference
// lacks; PyTorch's uniform smoothing), shift 0, reduction 'mean' over the valid targets.
// Reduction 'none' has the targets' layout after the shift, (..., T - k), 0 at ignored targets.
//
// The algorithm (the paper's contribution): only LSE_j z_ij (and, with smoothing, sum_j z_ij)
// need the whole row of logits, so they are accumulated over blocks of row_block x vocab_block
// logits (a GEMM each, an online log-sum-exp merging the blocks), and one graph node holds them
// whose rule recomputes each block: with P_ij = exp(z_ij - LSE_i),
//   dz_ij = g_i P_ij + g'_i   (g, g' the gradients of LSE and of the row sum),
//   de_i = sum_j dz_ij c_j,  dc_j = sum_i dz_ij e_i,  db_j = sum_i dz_ij   (times s' with softcap),
// so memory is O(row_block vocab_block + (N + V) H), never O(N V). Each block's LSE and, in a
// first-order backward, its g (P - onehot) come from one pass of the fused softmax_cross_entropy
// kernels (label 0, corrected afterwards), so a backend with them reads each block once; the
// block sizes trade memory for speed (512 x 2048 ran ~2x slower than 1024 x 4096 on the cpu
// backend: per-block costs). The target logit z_{i,y_i}
// is an indexed dot product (a composite). Deterministic: blocks are visited in a fixed order
// and summed in that order (no atomics), so two runs give the same bits. The rule is written
// with public ops, so double backward differentiates it block by block (the LSE it reads is the
// node's own saved output, re-attached); the plain composite cross_entropy(e c^T + b) is the
// reference it is tested against (1e-10 in f64).
// NOTE (the catalog's reading of the authors' code, apple/ml-cross-entropy): the reference runs the
// matmul in the input dtype, upcasts the logits to f32 for the CE and returns an f32 loss for
// f16/bf16 inputs. lathe widens f16/bf16 inputs to f32 before the matmul and rounds the loss once
// to the input dtype at the end, as lathe's loss contract asks of every loss (the f64 result of the
// same rounded inputs to the output dtype's precision). The reference's gradient filtering
// (filter_eps) and vocabulary sorting are performance options that change the gradient by up to
// filter_eps; lathe computes the exact gradient. Every target ignored: the reference's mean is NaN,
// lathe's is 0 with zero gradients (the loss contract).
// Custom backward (the blockwise recomputation above).
#include <algorithm>
#include <functional>

#include "losses/lm/lm_more.h"
#include "ops/custom_op.h"

namespace lathe {

namespace {

struct Blocks {
  int64_t rows, vocab;
};

// Logits of one block: e_i [bi, H] against classes [j0, j0 + bj), softcapped when cap > 0.
// Also returns tanh(z / cap) (for the rule) through `t`.
Tensor block_logits(const Tensor& ei, const Tensor& c, const Tensor& b, int64_t j0, int64_t bj,
                    double cap, Tensor* t = nullptr) {
  Tensor z = matmul(ei, narrow(c, 0, j0, bj).t());                      // [bi, bj]
  if (b.defined()) z = z + narrow(b, 0, j0, bj);
  if (cap > 0) {
    Tensor th = tanh(z / cap);
    if (t) *t = th;
    z = cap * th;
  }
  return z;
}

// LSE of each row of a block [bi, bj] in one pass of the fused softmax_cross_entropy kernel
// (a backend that has it reads the block once): CE against label 0 plus z_0 is the LSE.
Tensor block_lse(const Tensor& z) {
  Tensor first = zeros({z.size(0)}, DType::i64, z.device());            // [bi]
  return softmax_cross_entropy(z, first) + squeeze(narrow(z, 1, 0, 1), {1});
}

// Row log-sum-exps [N] (and row sums [N] when `with_sum`) of the logits, block by block.
std::vector<Tensor> blocked_stats(const Tensor& e, const Tensor& c, const Tensor& b, double cap,
                                  bool with_sum, Blocks blk) {
  const int64_t n = e.size(0), v = c.size(0);
  std::vector<Tensor> lses, sums;
  for (int64_t i0 = 0; i0 < n; i0 += blk.rows) {
    Tensor ei = narrow(e, 0, i0, std::min(blk.rows, n - i0));           // [bi, H]
    Tensor lse, s;
    for (int64_t j0 = 0; j0 < v; j0 += blk.vocab) {
      Tensor z = block_logits(ei, c, b, j0, std::min(blk.vocab, v - j0), cap);  // [bi, bj]
      Tensor l = block_lse(z);                                          // [bi]
      lse = lse.defined() ? logsumexp(stack({lse, l}, 0), {0}) : l;     // online merge
      if (with_sum) s = s.defined() ? s + sum(z, {1}) : sum(z, {1});
    }
    lses.push_back(lse);
    if (with_sum) sums.push_back(s);
  }
  std::vector<Tensor> out = {concat(lses)};
  if (with_sum) out.push_back(concat(sums));
  return out;
}

// dl/dz of one block; `graph`: with public differentiable ops only (create_graph).
using BlockDz = std::function<Tensor(const Tensor& ei, int64_t i0, int64_t bi, int64_t j0,
                                      int64_t bj, bool graph)>;

// The rule's accumulation when no graph is asked for (first-order backward): de, dc and db are
// allocated once and each block's product is added into its slice, so the rule holds the
// gradients plus one block's temporaries. Same order as blocked_grads_graph: the same bits.
std::vector<Tensor> blocked_grads_inplace(const Tensor& e, const Tensor& c, bool has_bias,
                                          Blocks blk, const BlockDz& block_dz) {
  const int64_t n = e.size(0), v = c.size(0);
  Tensor de = zeros(e.shape(), e.dtype(), e.device());                   // [N, H]
  Tensor dc = zeros(c.shape(), c.dtype(), c.device());                   // [V, H]
  Tensor db = has_bias ? zeros({v}, c.dtype(), c.device()) : Tensor();   // [V]
  for (int64_t i0 = 0; i0 < n; i0 += blk.rows) {
    const int64_t bi = std::min(blk.rows, n - i0);
    Tensor ei = narrow(e, 0, i0, bi), dei = narrow(de, 0, i0, bi);       // [bi, H]
    for (int64_t j0 = 0; j0 < v; j0 += blk.vocab) {
      const int64_t bj = std::min(blk.vocab, v - j0);
      Tensor dz = block_dz(ei, i0, bi, j0, bj, false);                   // [bi, bj]
      dei.add_(matmul(dz, narrow(c, 0, j0, bj)));
      narrow(dc, 0, j0, bj).add_(matmul(dz.t(), ei));
      if (has_bias) narrow(db, 0, j0, bj).add_(sum(dz, {0}));
    }
  }
  std::vector<Tensor> grads = {de, dc};
  if (has_bias) grads.push_back(db);
  return grads;
}

// The same sums with public ops only, so that create_graph differentiates them (double
// backward recomputes the blocks once more).
std::vector<Tensor> blocked_grads_graph(const Tensor& e, const Tensor& c, bool has_bias,
                                        Blocks blk, const BlockDz& block_dz) {
  const int64_t n = e.size(0), v = c.size(0);
  std::vector<Tensor> de, dc((v + blk.vocab - 1) / blk.vocab), db(dc.size());
  for (int64_t i0 = 0; i0 < n; i0 += blk.rows) {
    const int64_t bi = std::min(blk.rows, n - i0);
    Tensor ei = narrow(e, 0, i0, bi), dei;                               // [bi, H]
    for (int64_t j0 = 0, jb = 0; j0 < v; j0 += blk.vocab, ++jb) {
      const int64_t bj = std::min(blk.vocab, v - j0);
      Tensor dz = block_dz(ei, i0, bi, j0, bj, true);                    // [bi, bj]
      Tensor a = matmul(dz, narrow(c, 0, j0, bj)), w = matmul(dz.t(), ei);  // [bi|bj, H]
      dei = dei.defined() ? dei + a : a;
      dc[jb] = dc[jb].defined() ? dc[jb] + w : w;
      if (has_bias) {
        Tensor s = sum(dz, {0});                                         // [bj]
        db[jb] = db[jb].defined() ? db[jb] + s : s;
      }
    }
    de.push_back(dei);
  }
  std::vector<Tensor> grads = {concat(de), concat(dc)};
  if (has_bias) grads.push_back(concat(db));
  return grads;
}

// LSE_j z_ij [N] (and sum_j z_ij [N]) as one graph node whose rule recomputes the blocks.
std::vector<Tensor> blocked_lse(const Tensor& e, const Tensor& c, const Tensor& b, double cap,
                                bool with_sum, Blocks blk) {
  std::vector<Tensor> out;
  {
    NoGradGuard no_grad;
    out = blocked_stats(e, c, b, cap, with_sum, blk);
  }
  std::vector<Tensor> inputs = {e, c};
  if (b.defined()) inputs.push_back(b);
  std::vector<Tensor> save = inputs;
  save.push_back(out[0]);
  record("linear_cross_entropy.blocked_lse", inputs, out, save,
         [cap, with_sum, blk, has_bias = b.defined()](BackwardCtx& ctx) -> std::vector<Tensor> {
           Tensor e = ctx.saved(0), c = ctx.saved(1);
           Tensor b = has_bias ? ctx.saved(2) : Tensor();
           Tensor lse = ctx.saved(has_bias ? 3 : 2);                     // [N]
           Tensor g = ctx.grad(0);                                       // [N]
           Tensor gs = with_sum ? ctx.grad(1) : Tensor();                // [N]
           // dl/dz of one block: g_i P_ij (+ g'_i), times the softcap's derivative
           auto block_dz = [&](const Tensor& ei, int64_t i0, int64_t bi, int64_t j0,
                               int64_t bj, bool graph) {
             Tensor t;
             Tensor z = block_logits(ei, c, b, j0, bj, cap, &t);         // [bi, bj]
             Tensor gi = narrow(g, 0, i0, bi), li = narrow(lse, 0, i0, bi);  // [bi]
             Tensor dz;
             if (graph) {
               dz = unsqueeze(gi, 1) * exp(z - unsqueeze(li, 1));        // [bi, bj]
             } else {
               // one pass of the fused kernel: g (exp(z - LSE) - onehot(0)), then column 0
               // gets its g back (the target logit is the composite's, not the rule's)
               Tensor first = zeros({bi}, DType::i64, z.device());
               dz = softmax_cross_entropy_backward(gi, z, first, li);    // [bi, bj]
               narrow(dz, 1, 0, 1).add_(unsqueeze(gi, 1));
             }
             if (with_sum) dz = dz + unsqueeze(narrow(gs, 0, i0, bi), 1);
             if (cap > 0) dz = dz * (1.0 - t * t);
             return dz;
           };
           return is_grad_enabled() ? blocked_grads_graph(e, c, has_bias, blk, block_dz)
                                    : blocked_grads_inplace(e, c, has_bias, blk, block_dz);
         });
  return out;
}

}  // namespace

Tensor linear_cross_entropy(const Tensor& hidden, const Tensor& weight, const Tensor& target,
                            const LinearCrossEntropyOptions& o) {
  const char* op = "linear_cross_entropy";
  check_floating(op, "hidden", hidden);
  check_floating(op, "weight", weight);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(hidden.dim() >= 2, "[", op, "] hidden must be [..., T, H], got ", hidden.shape());
  check_dim(op, "weight", weight, 2);
  const int64_t h = hidden.shape().back(), v = weight.size(0);
  LATHE_CHECK(weight.size(1) == h, "[", op, "] weight must be [V, ", h, "], got ",
              weight.shape());
  Shape ys = hidden.shape();
  ys.erase(ys.size() - 1);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == ys, "[", op,
              "] targets must be integers of shape ", ys, " (hidden's without H), got ",
              target.defined() ? target.shape() : Shape{});
  check_optional_shape(op, "bias", o.bias, {v});
  LATHE_CHECK(o.softcap >= 0, "[", op, "] softcap must be >= 0 (0: none), got ", o.softcap);
  LATHE_CHECK(o.label_smoothing >= 0 && o.label_smoothing <= 1, "[", op,
              "] label_smoothing must lie in [0, 1], got ", o.label_smoothing);
  LATHE_CHECK(o.row_block > 0 && o.vocab_block > 0, "[", op,
              "] row_block and vocab_block must be > 0, got ", o.row_block, " and ",
              o.vocab_block);
  const int64_t t_len = ys.back();
  LATHE_CHECK(o.shift >= 0 && o.shift < t_len, "[", op, "] shift must lie in [0, T) = [0, ",
              t_len, "), got ", o.shift);
  Tensor y = target.to(DType::i64);
  for (int64_t k : y.to_vector<int64_t>())
    LATHE_CHECK(k == o.ignore_index || (k >= 0 && k < v), "[", op, "] target ", k,
                " out of range [0, ", v, ") and not ignore_index ", o.ignore_index);

  // f16/bf16 inputs are widened: the CE (and here the matmul too) runs in f32.
  auto wide = [](const Tensor& x) {
    return x.defined() && (x.dtype() == DType::f16 || x.dtype() == DType::bf16)
               ? cast(x, DType::f32) : x;
  };
  Tensor e = wide(hidden), c = wide(weight), b = wide(o.bias);
  if (o.shift > 0) {
    const int64_t len = t_len - o.shift;
    e = narrow(e, e.dim() - 2, 0, len);                                  // [..., T-k, H]
    y = narrow(y, y.dim() - 1, o.shift, len);                            // [..., T-k]
  }
  Shape out_shape = y.shape();
  e = reshape(e, {-1, h});                                               // [N, H]
  y = reshape(y, {-1});                                                  // [N]
  Tensor keep = ne(y, static_cast<double>(o.ignore_index));              // [N] bool
  Tensor ysafe = where(keep, y, zeros_like(y));                          // [N]

  const double eps = o.label_smoothing;
  std::vector<Tensor> st =
      blocked_lse(e, c, b, o.softcap, eps > 0, {o.row_block, o.vocab_block});  // [N] each
  Tensor zy = sum(e * index_select(c, ysafe, 0), {1});                   // [N]
  if (b.defined()) zy = zy + index_select(b, ysafe, 0);
  if (o.softcap > 0) zy = o.softcap * tanh(zy / o.softcap);
  Tensor rows = st[0] - (1.0 - eps) * zy;                                // [N]
  if (eps > 0) rows = rows - (eps / static_cast<double>(v)) * st[1];
  rows = where(keep, rows, 0.0);                                         // [N]
  Tensor loss;
  if (r == Reduction::none) loss = reshape(rows, out_shape);
  else if (r == Reduction::sum) loss = sum(rows);
  else loss = sum(rows) / maximum(sum(cast(keep, rows.dtype())), 1.0);
  // f16/bf16: computed in f32, rounded once to the input dtype (the loss contract)
  return loss.dtype() == hidden.dtype() ? loss : cast(loss, hidden.dtype());
}

LATHE_REGISTER_OPS(linear_cross_entropy) {
  registry.add(OpDef("linear_cross_entropy", "lm")
                   .summary("cross-entropy of hidden . weight^T by blocks, never holding the "
                            "[N, V] logits (Cut Cross-Entropy)")
                   .paper("Cut Your Losses in Large-Vocabulary Language Models")
                   .input("hidden")
                   .input("weight")
                   .input("target", Kind::integer)
                   .options<LinearCrossEntropyOptions>()
                   .input("bias", &LinearCrossEntropyOptions::bias, Kind::floating, kOptional)
                   .attr("ignore_index", &LinearCrossEntropyOptions::ignore_index,
                         "targets equal to it contribute 0")
                   .attr("softcap", &LinearCrossEntropyOptions::softcap,
                         "> 0: z <- softcap tanh(z / softcap); 0: none")
                   .attr("label_smoothing", &LinearCrossEntropyOptions::label_smoothing,
                         "eps in [0, 1] (PyTorch's uniform smoothing)")
                   .attr("shift", &LinearCrossEntropyOptions::shift,
                         "k: hidden position t pairs with target t + k")
                   .attr("reduction", &LinearCrossEntropyOptions::reduction,
                         "none (targets' shape after the shift) | mean (valid targets) | sum")
                   .attr("row_block", &LinearCrossEntropyOptions::row_block,
                         "rows per block (memory, not value)")
                   .attr("vocab_block", &LinearCrossEntropyOptions::vocab_block,
                         "classes per block (memory, not value)")
                   .output("loss")
                   .custom_backward("a rule that recomputes the logit blocks (the composite's "
                                    "derivative in O(block + (N + V) H) memory)")
                   .run(linear_cross_entropy));
}

}  // namespace lathe
