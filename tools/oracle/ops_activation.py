"""PyTorch references for the activation family (ops/activation/, catalog activation.md), run
by oracle.py on the C++ cases (tests/ops/activation/). Written from the formulas: selections go
through torch.topk and a scatter into zeros, thresholds through F.relu / comparisons."""
import torch
import torch.nn.functional as F


def _crrelu(I, A):
    x, eps = I["x"], I["eps"]
    return F.relu(x) + eps.reshape(()) * x * torch.exp(-0.5 * x * x)


def _statistical_topk(I, A):
    x, k = I["x"], A["k"]
    d = x.shape[-1]
    z = torch.special.ndtri(torch.tensor(1.0 - k / d, dtype=x.dtype))
    theta = x.mean(-1, keepdim=True) + x.var(-1, unbiased=False, keepdim=True).sqrt() * z
    if A["detach_threshold"]:
        theta = theta.detach()
    return F.relu(x - theta) if A["soft"] else torch.where(x > theta, x, torch.zeros_like(x))


def _keep(h, k, dim):
    """relu of the k largest along dim, scattered into zeros."""
    v, i = torch.topk(h, k, dim=dim)
    return torch.zeros_like(h).scatter_add(dim, i, F.relu(v))


def _mutual_choice(I, A):
    h = I["h"]
    return _keep(h.reshape(-1), A["k"] * h.shape[0], 0).reshape(h.shape)


def _soft_threshold(I, A):
    x, lam = I["x"], I["lam"]
    return torch.sign(x) * F.relu(x.abs() - lam)


def _hard_threshold(I, A):
    x, lam = I["x"], I["lam"]
    return torch.where(x.abs() > lam, x, torch.zeros_like(x))


REFS = {
    "crrelu": _crrelu,
    "statistical_topk": _statistical_topk,
    "topk_activation": lambda I, A: _keep(I["h"], A["k"], -1),
    "mutual_choice_activation": _mutual_choice,
    "feature_choice_activation": lambda I, A: _keep(I["h"], A["m"], 0),
    "soft_threshold": _soft_threshold,
    "hard_threshold": _hard_threshold,
}
