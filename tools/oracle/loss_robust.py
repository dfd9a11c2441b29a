"""PyTorch references for the robust losses (catalog/robust.md, docs/ops-losses.md), run by
oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas."""
import math

import torch
import torch.nn.functional as F


def _reduce(rows, reduction):
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[reduction]


def _ldr_kl_loss(I, A):
    h, y = I["input"], I["target"]
    c = h.shape[1]
    onehot = F.one_hot(y, c).to(h.dtype)
    s = h
    if A["softplus_norm"]:
        s = F.softplus(h)
        s = s / s.mean(1, keepdim=True)
    d = s - (s * onehot).sum(1, keepdim=True) + A["margin"] * (1 - onehot)
    lam = A["lam"]
    return _reduce(lam * (torch.logsumexp(d / lam, 1) - math.log(c)), A["reduction"])


def _kl_dro_loss(I, A):
    l, r = I["losses"], A["r"]
    return r * (torch.logsumexp(l / r, 0) - math.log(l.numel()))


def _loss_reweight(I, A):
    l, delta = I["losses"], A["delta"]
    with torch.no_grad():
        lmin, lmax = l.min(), l.max()
        den = (lmax - lmin).clamp(min=1e-6)
        lh = 2 * delta * l / den - delta * (lmax + lmin) / den
        g = {"linupper": lambda: torch.clamp(lh + delta, max=delta),
             "quadratic": lambda: 1 - lh ** 2 / delta ** 2,
             "extremes": lambda: lh.abs()}[A["strategy"]]()
        w = torch.softmax(g / A["r"], 0)
    return (w * l).sum()


REFS = {
    "ldr_kl_loss": _ldr_kl_loss,
    "kl_dro_loss": _kl_dro_loss,
    "loss_reweight": _loss_reweight,
}
