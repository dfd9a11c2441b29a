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
