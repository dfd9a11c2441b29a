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


def _aldr_kl_loss(I, A):
    h, y, state, idx = I["input"], I["target"], I["lam_state"].detach().clone(), I["index"]
    c = h.shape[1]
    onehot = F.one_hot(y, c).to(h.dtype)
    s = F.softplus(h) if A["softplus"] else h
    s = s / (s.abs().sum(1, keepdim=True) / c)
    log_c, lam0, alpha = math.log(c), A["lam_ref"], A["alpha"]
    with torch.no_grad():
        q = F.softmax(s / state[idx], 1) + 1e-5
        q = q / q.sum(1, keepdim=True)
        kl = (q * torch.log(c * q)).sum(1, keepdim=True)
        lam = lam0 - lam0 * kl / (alpha * log_c)
    for i in range(idx.shape[0]):  # sequential writes: the last one wins
        state[idx[i]] = lam[i]
    extra = -0.5 * alpha * log_c / lam0 * (lam - lam0) ** 2
    d = A["margin"] * (1 - onehot) + s - (s * onehot).sum(1, keepdim=True)
    rows = (lam * (torch.logsumexp(d / lam, 1, keepdim=True) - log_c) + extra).squeeze(1)
    return _reduce(rows, A["reduction"]), state


def _smooth_adv_comp_sum_loss(I, A):
    z, za, y, tau = I["input"], I["adv_input"], I["target"], A["tau"]
    s = F.cross_entropy(z, y, reduction="none")        # softplus(LSE_{k != y}(z_k - z_y))
    base = s if tau == 1.0 else torch.expm1((1.0 - tau) * s) / (1.0 - tau)
    if A["diff"] == "margins":
        v = (za - za.gather(1, y[:, None])) - (z - z.gather(1, y[:, None]))
    else:
        v = za - z
    return _reduce(base + A["nu"] * v.norm(dim=1), A["reduction"])


REFS = {
    "ldr_kl_loss": _ldr_kl_loss,
    "kl_dro_loss": _kl_dro_loss,
    "loss_reweight": _loss_reweight,
    "aldr_kl_loss": _aldr_kl_loss,
    "smooth_adv_comp_sum_loss": _smooth_adv_comp_sum_loss,
}
