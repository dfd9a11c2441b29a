"""PyTorch references for the gradient operators (ops/grad/) and the straight-through
quantizers (ops/quant/), run by oracle.py on the C++ cases (tests/ops/grad/, tests/ops/quant/).
Each is a torch.autograd.Function written from the official code's backward rule (AdvStyle's
gradient reversal, AGM's gradient modulation, ReSTE's Binary_ReSTE), or the detach-based
straight-through estimator of EQ-Net's LSQ quantizer, so the oracle compares lathe's custom
backward with that rule, not with the forward's derivative."""
import torch


class _Scale(torch.autograd.Function):
    """Identity forward; the incoming gradient times a constant factor."""

    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return g * ctx.factor, None


class _ReSTE(torch.autograd.Function):
    """sign(x); backward g(x) grad with g the rectified power's slope (secant near 0)."""

    @staticmethod
    def forward(ctx, x, o, t, delta):
        ctx.save_for_backward(x)
        ctx.cfg = (o, t, delta)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, gy):
        (x,) = ctx.saved_tensors
        o, t, delta = ctx.cfg
        a = x.abs()
        slope = torch.zeros_like(x)
        inside = (a > delta) & (a <= t)
        slope[inside] = a[inside] ** ((1 - o) / o) / o
        slope[a <= delta] = delta ** (1 / o) / delta
        return gy * slope, None, None, None


def _grad_scaled_abs(p, g):
    """Value |p|, gradient g sign(p) (EQ-Net's grad_scale)."""
    a = p.abs()
    return (a - a * g).detach() + a * g


def _lsq_fake_quant(I, A):
    x, bits = I["x"], A["bits"]
    qn, qp = (0, 2 ** bits - 1) if A["all_positive"] else (-2 ** (bits - 1), 2 ** (bits - 1) - 1)
    g = A["g"] if A["g"] > 0 else 1.0 / (qp * x.numel()) ** 0.5
    step = _grad_scaled_abs(I["s"], g) + 1e-6
    zero = _grad_scaled_abs(I["beta"], g) if I.get("beta") is not None else 0.0
    q = torch.clamp((x - zero) / step, qn, qp)
    return (q + (torch.round(q) - q).detach()) * step + zero


REFS = {
    "gradient_reversal": lambda I, A: _Scale.apply(I["x"], -A["coeff"]),
    "grad_scale": lambda I, A: _Scale.apply(I["x"], A["kappa"]),
    "reste_sign": lambda I, A: _ReSTE.apply(I["x"], A["o"], A["t"], A["delta"]),
    "lsq_fake_quant": _lsq_fake_quant,
}
