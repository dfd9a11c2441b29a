"""PyTorch references for the ranking losses (catalog/ranking.md, docs/ops-losses.md), run by
oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas."""
import torch
import torch.nn.functional as F

from ops_select import soft_topk_logits


def _reduce(rows, reduction):
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[reduction]


def _hpm_relative_loss(I, A):
    p, t = I["input"], I["target"]
    pos = (t[:, None, :] > t[:, :, None]).to(p.dtype)
    neg = (t[:, None, :] < t[:, :, None]).to(p.dtype)
    sig = torch.sigmoid(p[:, None, :] - p[:, :, None])
    l = -pos * torch.log(sig + 1e-6) - neg * torch.log(1 - sig + 1e-6)
    return l.sum() / (pos + neg).sum()


def _mw_auc_loss(I, A):
    s, m = I["scores"], I["pos_mask"]
    sp, sn = s[m], s[~m]
    l = F.softplus(-(sp[:, None] - sn[None, :]) / A["tau"])
    return l.sum() / sp.numel() if A["reduction"] == "paper" else l.mean()


def _soft_topk_loss(I, A):
    x, p = I["input"], I["pos_mask"].to(I["input"].dtype)
    logp = F.logsigmoid(soft_topk_logits(x, A["k"], A["alpha"], A["n_iter"]))
    rows = -(logp * p).sum(1) / p.sum(1).clamp(min=1)
    return _reduce(rows, A["reduction"])


REFS = {
    "bpr_loss": lambda I, A: _reduce(F.softplus(-(I["pos"] - I["neg"])), A["reduction"]),
    "hpm_relative_loss": _hpm_relative_loss,
    "mw_auc_loss": _mw_auc_loss,
    "soft_topk_loss": _soft_topk_loss,
}


def _blockrank_attention_loss(I, A):
    s, pm, hb, tau = I["scores"], I["pos_mask"], A["block_len"], A["tau"]
    b, heads, q, length = s.shape
    d = length // hb - 2
    p = torch.softmax(s[..., hb:-hb], -1).reshape(b, heads, q, d, hb)
    r = p.mean((1, 2)).sum(-1) / tau
    lse_pos = torch.logsumexp(r.masked_fill(~pm, float("-inf")), 1)
    return _reduce(torch.logsumexp(r, 1) - lse_pos, A["reduction"])


def _bidirectional_repair_loss(I, A):
    s = I["scores"]
    rows = []
    for i in range(s.shape[0]):
        v = set(I["victim_topk"][i].tolist())
        w = set(I["surrogate_topk"][i].tolist())
        up, down = sorted(v - w), sorted(w - v)
        if not up or not down:
            rows.append(s[i].sum() * 0)
            continue
        diff = s[i][up][:, None] - s[i][down][None, :]
        rows.append(F.softplus(-diff).mean())
    return _reduce(torch.stack(rows), A["reduction"])


REFS["blockrank_attention_loss"] = _blockrank_attention_loss
REFS["bidirectional_repair_loss"] = _bidirectional_repair_loss
