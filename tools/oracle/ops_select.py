"""PyTorch reference for the selection operators (ops/select/, docs/ops-core.md), run by
oracle.py on the C++ cases (tests/ops/select/). Written from catalog/ranking.md's formulas: the
bisection runs without gradient and a linearized shift carries the implicit gradient."""
import torch
import torch.nn.functional as F


def soft_topk_logits(x, k, alpha, n_iter):
    """alpha (x + t_lin): t by bisection, t_lin with value t and gradient dt/dx."""
    with torch.no_grad():
        lo = -x.max(1, keepdim=True).values - 10 / alpha
        hi = -x.min(1, keepdim=True).values + 10 / alpha
        for _ in range(n_iter):
            mid = (lo + hi) / 2
            below = torch.sigmoid(alpha * (x + mid)).sum(1, keepdim=True) < k
            lo = torch.where(below, mid, lo)
            hi = torch.where(below, hi, mid)
        t = (lo + hi) / 2
        s = torch.sigmoid(alpha * (x + t))
        v = alpha * s * (1 - s)
    t_lin = t - (v * (x - x.detach())).sum(1, keepdim=True) / v.sum(1, keepdim=True)
    return alpha * (x + t_lin)


def _soft_topk(I, A):
    z = soft_topk_logits(I["x"], A["k"], A["alpha"], A["n_iter"])
    return F.logsigmoid(z) if A["log"] else torch.sigmoid(z)


REFS = {
    "soft_topk": _soft_topk,
}
