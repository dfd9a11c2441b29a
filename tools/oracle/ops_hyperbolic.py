"""PyTorch references for the Poincare-ball ops (ops/hyperbolic/), run by oracle.py on the C++
cases (tests/ops/hyperbolic/). Written from the formulas of catalog other.md with the clamps of
Hyp-OC's hyptorch/pmath.py: norms clamped at 1e-5, tanh's argument at +-15, and artanh as
pmath's Artanh Function (input clamped to +-(1 - 1e-5), backward g / (1 - z^2) on the clamped
z, so the clamp itself passes the gradient)."""
import torch


class _Artanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        z = x.clamp(-1 + 1e-5, 1 - 1e-5)
        ctx.save_for_backward(z)
        return 0.5 * (torch.log1p(z) - torch.log1p(-z))

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g / (1 - z * z)


class _Rescale(torch.autograd.Function):
    """Identity forward; gradient times (1 - c |x|^2)^2 / 4 per row."""

    @staticmethod
    def forward(ctx, x, c):
        s = 1 - c * (x * x).sum(-1, keepdim=True)
        ctx.save_for_backward(s * s / 4)
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        (scale,) = ctx.saved_tensors
        return g * scale, None


def _norm(x):
    return torch.linalg.vector_norm(x, dim=-1, keepdim=True)


def _madd(x, y, c):
    xy = (x * y).sum(-1, keepdim=True)
    x2, y2 = (x * x).sum(-1, keepdim=True), (y * y).sum(-1, keepdim=True)
    top = (1 + 2 * c * xy + c * y2) * x + (1 - c * x2) * y
    return top / (1 + 2 * c * xy + c * c * x2 * y2 + 1e-5)


def _expmap0(I, A):
    u, sc = I["u"], A["c"] ** 0.5
    n = _norm(u).clamp_min(1e-5)
    return torch.tanh((sc * n).clamp(-15, 15)) * u / (sc * n)


def _expmap(I, A):
    x, u, c = I["x"], I["u"], A["c"]
    sc = c ** 0.5
    lam = 2 / (1 - c * (x * x).sum(-1, keepdim=True))
    n = _norm(u).clamp_min(1e-5)
    return _madd(x, torch.tanh((sc * lam * n / 2).clamp(-15, 15)) * u / (sc * n), c)


def _logmap0(I, A):
    y, sc = I["y"], A["c"] ** 0.5
    n = _norm(y).clamp_min(1e-5)
    return y / n / sc * _Artanh.apply(sc * n)


def _project(I, A):
    x = I["x"]
    n, r = _norm(x).clamp_min(1e-5), (1 - 1e-3) / A["c"] ** 0.5
    return torch.where(n > r, x / n * r, x)


def _distance(I, A):
    c = A["c"]
    m = _madd(-I["x"], I["y"], c)
    return 2 / c ** 0.5 * _Artanh.apply(c ** 0.5 * torch.linalg.vector_norm(m, dim=-1))


def _clip(I, A):
    x = I["x"]
    return x * torch.clamp(A["r"] / (_norm(x) + 1e-5), max=1.0)


REFS = {
    "mobius_add": lambda I, A: _madd(I["x"], I["y"], A["c"]),
    "poincare_expmap0": _expmap0,
    "poincare_expmap": _expmap,
    "poincare_logmap0": _logmap0,
    "poincare_project": _project,
    "poincare_distance": _distance,
    "hyp_feature_clip": _clip,
    "riemannian_grad": lambda I, A: _Rescale.apply(I["x"], A["c"]),
}
