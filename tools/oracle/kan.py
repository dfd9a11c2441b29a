#!/usr/bin/python3
"""PyTorch oracle for the KAN family (docs/ops-kan.md): the references of the KAN ops, which
oracle.py runs on the C++ cases (tests/ops/kan/), and the fixtures of the no-gradient spline
fits, tests/fixtures/kan/fits.safetensors, which this script writes:

    /usr/bin/python3 tools/oracle/kan.py [--out DIR]

The references are written from the catalog's formulas (catalog/kan.md) in plain PyTorch:
B-spline KAN as efficient-kan computes it, GR-KAN with the official formula of each denominator
variant, ReLU-KAN, AF-KAN and FastKAN as their authors' layers do.
Non-differentiable inputs (grids) are detached in the reference, so their gradient is never
written, and oracle.py --check holds them fixed."""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import rng_for, safetensors_bytes  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFS = {}  # op name -> ref(I, A), for oracle.py


def kan_op(name, ref, nograd=()):
    """Registers ref; the inputs named in nograd are buffers, detached (never differentiated)."""
    def wrapped(I, A):
        return ref({k: (v.detach() if k in nograd else v) for k, v in I.items()}, A)
    REFS[name] = wrapped


ACT = {"silu": F.silu, "relu": F.relu, "leaky_relu": F.leaky_relu, "elu": F.elu,
       "selu": F.selu, "gelu": F.gelu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
       "softplus": F.softplus}

# ---------------------------------------------------------------------------------------------
# B-spline KAN (efficient-kan)


def kan_grid(n_in, G=5, k=3, lo=-1.0, hi=1.0):
    h = (hi - lo) / G
    return np.tile(np.arange(-k, G + k + 1) * h + lo, (n_in, 1))


def bases(x, grid, k):
    """Cox-de Boor as efficient-kan's b_splines, on x [..., in]. Zero-width knot spans divide by
    1 (they only ever multiply an all-zero basis); on strictly increasing grids this is exactly
    efficient-kan's division, which the assertion confirms."""
    x = x.unsqueeze(-1)
    b = ((x >= grid[:, :-1]) & (x < grid[:, 1:])).to(x.dtype)
    plain = b
    increasing = bool((grid[:, 1:] > grid[:, :-1]).all())
    safe = lambda d: torch.where(d > 0, d, torch.ones_like(d))  # noqa: E731
    for j in range(1, k + 1):
        left, right = grid[:, :-(j + 1)], grid[:, j + 1:]
        d1, d2 = grid[:, j:-1] - left, right - grid[:, 1:(-j)]
        b = (x - left) / safe(d1) * b[..., :-1] + (right - x) / safe(d2) * b[..., 1:]
        if increasing:
            plain = (x - left) / d1 * plain[..., :-1] + (right - x) / d2 * plain[..., 1:]
    if increasing:
        assert torch.equal(b, plain), "safe denominators changed an increasing grid's bases"
    return b


def _kan_linear(I, A):
    x, grid, k = I["x"], I["grid"], A["spline_order"]
    xf = x.reshape(-1, x.shape[-1])
    w = I["spline_weight"]
    if "spline_scaler" in I:
        w = w * I["spline_scaler"][..., None]
    y = F.linear(ACT[A["base_activation"]](xf), I["base_weight"]) + \
        F.linear(bases(xf, grid, k).reshape(xf.shape[0], -1), w.reshape(w.shape[0], -1))
    return y.reshape(*x.shape[:-1], -1)


kan_op("bspline_basis", lambda I, A: bases(I["x"], I["grid"], A["spline_order"]),
       nograd=("grid",))
kan_op("kan_linear", _kan_linear, nograd=("grid",))

# ---------------------------------------------------------------------------------------------
# Group-rational KAN (KAT)


def group_rational(x, a, b, variant):
    G = b.shape[0]
    xg = x.reshape(*x.shape[:-1], G, x.shape[-1] // G)[..., None]       # [..., G, Dg, 1]
    P = (xg ** torch.arange(a.shape[1], dtype=x.dtype) * a[:, None, :]).sum(-1)
    j = torch.arange(1, b.shape[1] + 1, dtype=x.dtype)
    if variant == "kernel":
        Q = 1 + (xg.abs() ** j * b.abs()[:, None, :]).sum(-1)
    elif variant == "paper":
        Q = 1 + (xg ** j * b[:, None, :]).sum(-1).abs()
    else:
        Q = 1 + (xg ** j * b.abs()[:, None, :]).sum(-1)
    return (P / Q).reshape(x.shape)


kan_op("group_rational",
       lambda I, A: group_rational(I["x"], I["numerator"], I["denominator"], A["variant"]))
kan_op("gr_kan_layer",
       lambda I, A: F.linear(group_rational(I["x"], I["numerator"], I["denominator"],
                                            A["variant"]), I["weight"], I.get("bias")))

# ---------------------------------------------------------------------------------------------
# ReLU-KAN


def relu_kan_basis(x, low, high, g, k):
    r = 4 * g * g / ((k + 1) ** 2)
    return (r * F.relu(x[..., None] - low) * F.relu(high - x[..., None])) ** 2


def _relu_kan_layer(I, A):
    x, g, k = I["x"], A["g"], A["k"]
    h = F.layer_norm(x, x.shape[-1:], I.get("norm_weight"), I.get("norm_bias"), 1e-5) \
        if A["layer_norm"] else x
    basis = relu_kan_basis(h, I["low"], I["high"], g, k)                  # [..., in, g + k]
    y = F.linear(basis.flatten(-2), I["weight"], I.get("bias"))
    if x.dim() == 2:  # the reference's Conv2d over the reshaped (not permuted) bases
        out = I["weight"].shape[0]
        conv = F.conv2d(basis.reshape(x.shape[0], 1, g + k, x.shape[1]),
                        I["weight"].reshape(out, 1, g + k, x.shape[1]), I.get("bias"))
        assert torch.allclose(conv.reshape(x.shape[0], out), y, rtol=1e-12, atol=1e-12)
    return y


kan_op("relu_kan_basis",
       lambda I, A: relu_kan_basis(I["x"], I["low"], I["high"], A["g"], A["k"]))
kan_op("relu_kan_layer", _relu_kan_layer)

# ---------------------------------------------------------------------------------------------
# AF-KAN


AF_FUNCS = {
    "quad1": lambda x1, x2: (x1 * x2) ** 2,
    "quad2": lambda x1, x2: x1 * x2 + x1 * x1 + x2 * x2,
    "sum": lambda x1, x2: x1 + x2,
    "prod": lambda x1, x2: x1 * x2,
    "sum_prod": lambda x1, x2: x1 + x2 + x1 * x2,
    "cubic1": lambda x1, x2: (x1 + x2) * (x1 * x1 + x2 * x2),
    "cubic2": lambda x1, x2: (x1 * x2) ** 3,
}


def _af_kan_layer(I, A):
    """AF_KANLayer.forward of one method, as hoangthangta/All-KAN models/af_kan.py runs it,
    including the L2 normalization before the min-max (which cancels)."""
    x, act = I["x"], ACT[A["activation"]]
    xe = x.unsqueeze(-1)
    f = AF_FUNCS[A["func"]](act(xe - I["low"]), act(I["high"] - xe))
    if A["func_norm"]:
        f = F.normalize(f, p=2, dim=None)
        lo, hi = f.min(), f.max()
        # The reference divides 0 by 0 for constant features; the doc's convention is 0.
        f = (f - lo) / (hi - lo) if hi > lo else torch.zeros_like(f)
    score = F.linear(f, I["attn_weight"], I["attn_bias"])                 # [B, in, 1]
    if A["method"] == "global_attn":
        attn = F.softmax(score / I["temperature"].clamp(min=1.0), dim=-2)
        h = torch.sum(f * attn, dim=-1)
    else:
        h = score.reshape(score.size(0), -1)
    h = F.layer_norm(h, h.shape[-1:], I["norm_weight"], I["norm_bias"], 1e-5)
    return F.linear(act(h), I["base_weight"])


kan_op("af_kan_layer", _af_kan_layer)

# ---------------------------------------------------------------------------------------------
# FastKAN


def rbf_basis(x, grid, h):
    return torch.exp(-((x[..., None] - grid) / h) ** 2)


def _rbf_kan_layer(I, A):
    x = I["x"]
    h = F.layer_norm(x, x.shape[-1:], I.get("norm_weight"), I.get("norm_bias"), 1e-5) \
        if A["layer_norm"] else x
    basis = rbf_basis(h, I["grid"], A["denominator"])
    y = F.linear(basis.reshape(*basis.shape[:-2], -1), I["spline_weight"])
    if "base_weight" in I:
        y = y + F.linear(ACT[A["base_activation"]](x), I["base_weight"], I.get("base_bias"))
    return y


kan_op("rbf_basis", lambda I, A: rbf_basis(I["x"], I["grid"], A["denominator"]),
       nograd=("grid",))
kan_op("rbf_kan_layer", _rbf_kan_layer, nograd=("grid",))

# ---------------------------------------------------------------------------------------------
# The op list: REFS and the tables of docs/ops-kan.md name the same ops (checked on import, so
# oracle.py stops before writing anything when they drift apart).


def doc_ops(path):
    """Op names of the doc's tables: first cell of each row, several names per cell."""
    names = []
    with open(path) as f:
        for line in f:
            cells = line.split("|")
            if not line.startswith("|") or len(cells) < 3:
                continue
            first = cells[1].strip()
            if first == "op" or set(first) <= set("-: "):
                continue
            names += first.split()
    return names


_DOC = os.path.join(ROOT, "docs", "ops-kan.md")
assert sorted(doc_ops(_DOC)) == sorted(REFS), "kan.py and docs/ops-kan.md disagree: %s vs %s" % (
    sorted(doc_ops(_DOC)), sorted(REFS))

# ---------------------------------------------------------------------------------------------
# The no-gradient spline fits (tests/fixtures/kan/fits.safetensors): efficient-kan's curve2coeff and
# update_grid, in float64, with minimum-norm least squares for the underdetermined and
# rank-deficient systems below.


def curve2coeff(x, y, grid, k):
    """efficient-kan's curve2coeff with the SVD driver (gelsd): the minimum-norm solution.
    efficient-kan calls the CPU default, gelsy, which agrees on full-rank systems (asserted) but
    mis-ranks some rank-deficient ones: on update_grid_repeated it returns coefficients with a
    residual of 0.26 where an exact fit exists."""
    A, B = bases(x, grid, k).transpose(0, 1), y.transpose(0, 1)           # [in, N, C], [in, N, out]
    sol = torch.linalg.lstsq(A, B, driver="gelsd").solution
    if (torch.linalg.matrix_rank(A) == min(A.shape[1:])).all():
        gelsy = torch.linalg.lstsq(A, B, driver="gelsy").solution
        assert torch.allclose(sol, gelsy, rtol=1e-9, atol=1e-12), "gelsd and gelsy disagree"
    return sol.permute(2, 0, 1).contiguous()                              # [out, in, C]


def update_grid(x, grid, coeff, k, grid_eps=0.02, margin=0.01):
    """efficient-kan's update_grid in float64, refitting the curves of `coeff`: efficient-kan
    passes scaled_spline_weight and stores the fit as spline_weight; lathe (as pykan) passes the
    unscaled spline_weight, which is the same when the scaler is disabled."""
    n, G = x.shape[0], grid.shape[1] - 2 * k - 1
    out = torch.bmm(bases(x, grid, k).permute(1, 0, 2), coeff.permute(1, 2, 0)).permute(1, 0, 2)
    xs = torch.sort(x, 0)[0]
    adaptive = xs[torch.linspace(0, n - 1, G + 1, dtype=torch.int64)]
    assert (n - 1) % G == 0, "fixtures keep G | N - 1, where torch's integer linspace is exact"
    step = (xs[-1] - xs[0] + 2 * margin) / G
    uniform_ = torch.arange(G + 1, dtype=torch.float32).unsqueeze(1) * step + xs[0] - margin
    g = grid_eps * uniform_ + (1 - grid_eps) * adaptive
    g = torch.cat([g[:1] - step * torch.arange(k, 0, -1).unsqueeze(1), g,
                   g[-1:] + step * torch.arange(1, k + 1).unsqueeze(1)], 0)
    new_grid = g.T.contiguous()
    return new_grid, curve2coeff(x, out, new_grid, k)


def spline_out(x, grid, w, k):
    return torch.einsum("nic,oic->nio", bases(x, grid, k), w)


def fit_fixtures():
    """name -> (meta, arrays)."""
    t = torch.from_numpy
    out = {}
    k = 3

    r = rng_for("kan", "curve2coeff_init")
    grid = kan_grid(3)
    noise = (r.random((6, 3, 2)) - 0.5) * 0.1 / 5
    x_init = t(grid).T[k:-k].contiguous()
    coef = curve2coeff(x_init, t(noise), t(grid), k)
    assert torch.allclose(torch.einsum("nic,oic->nio", bases(x_init, t(grid), k), coef),
                          t(noise), atol=1e-12), "the init fit interpolates the noise"
    out["curve2coeff_init"] = (
        {"what": "curve2coeff", "spline_order": k,
         "note": "efficient-kan reset_parameters: G + 1 = 6 interior knots, 8 coefficients "
                 "(underdetermined: minimum norm)"},
        {"in.x.npy": x_init.numpy(), "in.y.npy": noise, "in.grid.npy": grid,
         "out.coeff.npy": coef.numpy()})

    for name, note, make_x, with_scaler in (
            ("update_grid_plain", "scaler disabled: efficient-kan's update_grid verbatim, "
             "N 16 (G 5 divides N - 1)", lambda r: r.uniform(-0.8, 0.8, (16, 3)), False),
            ("update_grid_scaler", "standalone scaler: the unscaled spline is refitted (pykan), "
             "so the layer keeps its function", lambda r: r.normal(0.0, 0.6, (16, 3)), True),
            ("update_grid_repeated", "N 11 with repeated values: degenerate quantile knots "
             "(grid_eps keeps them increasing), rank-deficient fit (minimum norm)",
             lambda r: r.choice([-0.5, -0.1, 0.3, 0.7], size=(11, 3)), False)):
        r = rng_for("kan", name)
        x = make_x(r)
        weight = r.normal(0.0, 0.3, (2, 3, 8))
        scaler = r.normal(0.0, 1.0, (2, 3)) if with_scaler else None
        new_grid, new_weight = update_grid(t(x), t(grid), t(weight), k)
        assert (new_grid[:, 1:] > new_grid[:, :-1]).all(), name
        arrays = {"in.x.npy": x, "in.grid.npy": grid, "in.spline_weight.npy": weight,
                  "out.grid.npy": new_grid.numpy(), "out.spline_weight.npy": new_weight.numpy()}
        # Every edge's curve on the batch before and after: equal up to the fit's residual.
        before = spline_out(t(x), t(grid), t(weight), k)
        after = spline_out(t(x), new_grid, new_weight, k)
        arrays["out.residual.npy"] = np.array((after - before).abs().max().item())
        if with_scaler:
            arrays["in.spline_scaler.npy"] = scaler
            s = t(scaler)[..., None]
            _, twice = update_grid(t(x), t(grid), t(weight) * s, k)  # efficient-kan verbatim
            drift = (spline_out(t(x), new_grid, twice * s, k) -
                     spline_out(t(x), t(grid), t(weight) * s, k)).abs().max().item()
            assert drift > 10 * arrays["out.residual.npy"], "efficient-kan's double scaling"
        out[name] = ({"what": "update_grid", "spline_order": k, "grid_eps": 0.02, "margin": 0.01,
                      "note": note}, arrays)

    r = rng_for("kan", "regularization")
    w = t(r.normal(0.0, 0.3, (2, 3, 8))).requires_grad_()
    l1 = w.abs().mean(-1)
    s = l1.sum()
    p = l1 / s
    loss = 0.7 * s + 0.3 * (-(p * p.log()).sum())
    grad, = torch.autograd.grad(loss, w)
    out["regularization"] = (
        {"what": "regularization_loss", "regularize_activation": 0.7, "regularize_entropy": 0.3,
         "note": "efficient-kan regularization_loss with weights 0.7 and 0.3"},
        {"in.spline_weight.npy": w.detach().numpy(), "out.loss.npy": loss.detach().numpy(),
         "out.grad.npy": grad.numpy()})
    return out


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures"),
                    help="the fixture root: writes DIR/kan/fits.safetensors")
    args = ap.parse_args()

    torch.set_num_threads(1)
    # one file: tensors <fit>/<name> (name without .npy), the metas by fit in the metadata
    made = fit_fixtures()
    tensors = {"%s/%s" % (name, key[:-len(".npy")]): a
               for name, (_, arrays) in made.items() for key, a in arrays.items()}
    metas = json.dumps({name: meta for name, (meta, _) in made.items()}, sort_keys=True,
                       separators=(",", ":"), allow_nan=False)
    os.makedirs(os.path.join(args.out, "kan"), exist_ok=True)
    with open(os.path.join(args.out, "kan", "fits.safetensors"), "wb") as f:
        f.write(safetensors_bytes(tensors, {"fits": metas}))
    print("%-15s %d" % ("fits", len(made)))


if __name__ == "__main__":
    main()
