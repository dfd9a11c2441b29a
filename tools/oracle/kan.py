#!/usr/bin/python3
"""PyTorch oracle for the KAN family (docs/ops-kan.md): writes
tests/fixtures/oracle/<op>.safetensors and the fixtures of the no-gradient spline fits,
tests/fixtures/kan/fits.safetensors.

    /usr/bin/python3 tools/oracle/kan.py [--out DIR] [--only OP[,OP]] [--check]

The references are written from the catalog's formulas (catalog/kan.md) in plain PyTorch:
B-spline KAN as efficient-kan computes it, GR-KAN with the official formula of each denominator
variant, ReLU-KAN, AF-KAN and FastKAN as their authors' layers do. Ops, cases and fixture files
follow legacy.py (its Op table, case() and build(); this script adds its ops to that table) and
common.py, until the KAN cases move to the C++ case list (oracle.py runs REFS, so far
all but af_kan_layer, on the C++ cases).
Non-differentiable inputs (grids) are detached in the reference, so their gradient is never
written, and --check holds them fixed."""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import legacy  # noqa: E402
from common import normal, rng_for, safetensors_bytes, uniform, write_op_file  # noqa: E402
from legacy import case, f64  # noqa: E402

ROOT = legacy.ROOT
KAN_OPS = []   # in registration order
NOGRAD = {}    # op -> inputs that are buffers (not differentiated)


def kan_op(name, inputs, ref, nograd=(), **attrs):
    def wrapped(I, A):
        return ref({k: (v.detach() if k in nograd else v) for k, v in I.items()}, A)
    legacy.op(name, inputs, wrapped, **attrs)
    KAN_OPS.append(name)
    NOGRAD[name] = set(nograd)


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


kan_op("bspline_basis", "x grid", lambda I, A: bases(I["x"], I["grid"], A["spline_order"]),
       nograd=("grid",), spline_order=("int", 3))
kan_op("kan_linear", "x grid base_weight spline_weight spline_scaler?", _kan_linear,
       nograd=("grid",), spline_order=("int", 3), base_activation=("string", "silu"))

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


kan_op("group_rational", "x numerator denominator",
       lambda I, A: group_rational(I["x"], I["numerator"], I["denominator"], A["variant"]),
       variant=("string", "paper"))
kan_op("gr_kan_layer", "x numerator denominator weight bias?",
       lambda I, A: F.linear(group_rational(I["x"], I["numerator"], I["denominator"],
                                            A["variant"]), I["weight"], I.get("bias")),
       variant=("string", "paper"))

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


kan_op("relu_kan_basis", "x low high",
       lambda I, A: relu_kan_basis(I["x"], I["low"], I["high"], A["g"], A["k"]),
       g=("int", 5), k=("int", 3))
kan_op("relu_kan_layer", "x low high weight bias? norm_weight? norm_bias?", _relu_kan_layer,
       g=("int", 5), k=("int", 3), layer_norm=("bool", True))

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


kan_op("af_kan_layer",
       "x low high temperature attn_weight attn_bias norm_weight norm_bias base_weight",
       _af_kan_layer, activation=("string", "silu"), func=("string", "quad1"),
       func_norm=("bool", True), method=("string", "global_attn"))

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


kan_op("rbf_basis", "x grid", lambda I, A: rbf_basis(I["x"], I["grid"], A["denominator"]),
       nograd=("grid",), denominator=("float", 4.0 / 7.0))
kan_op("rbf_kan_layer",
       "x grid spline_weight base_weight? base_bias? norm_weight? norm_bias?", _rbf_kan_layer,
       nograd=("grid",), denominator=("float", 4.0 / 7.0), base_activation=("string", "silu"),
       layer_norm=("bool", True))

# Ops whose cases are the C++ ones (tests/ops/kan/): oracle.py runs these references. The other
# KAN ops keep the case list below until their cases move.
REFS = {name: legacy.OPS[name].ref
        for name in ("bspline_basis", "kan_linear", "rbf_basis", "rbf_kan_layer", "group_rational",
                     "gr_kan_layer", "relu_kan_basis", "relu_kan_layer")}

# ---------------------------------------------------------------------------------------------
# Cases (af_kan_layer only). Inputs keep a margin from every kink (ReLU supports, phases; no case
# sits on one on purpose); --check proves it with finite differences.


def off_knots(r, shape, lo, hi, step=0.4, offset=0.2, margin=0.05):
    """Uniform in [lo, hi] but at least `margin` from every multiple-of-`step` knot."""
    v = uniform(r, shape, lo, hi)
    nearest = np.round((v - offset) / step) * step + offset
    close = np.abs(v - nearest) < margin
    return np.where(close, nearest + np.sign(v - nearest + 1e-12) * margin, v)


def phases(n_in, g, k, r=None, jitter=0.0):
    low = np.arange(-k, g) / g
    low = np.tile(low, (n_in, 1)) if n_in else low
    high = low + (k + 1) / g
    if r is not None:
        low = low + r.uniform(-jitter, jitter, low.shape)
        high = high + r.uniform(-jitter, jitter, high.shape)
    return low, high


def af_case(r, batch=4, n_in=3, out=2, g=2, k=1, x=None, temperature=2.0):
    low, high = phases(0, g, k)
    w = g + k
    return {"x": normal(r, (batch, n_in)) if x is None else x,
            "low": low + r.uniform(-0.02, 0.02, w), "high": high + r.uniform(-0.02, 0.02, w),
            "temperature": f64(temperature),
            "attn_weight": normal(r, (1, w)), "attn_bias": normal(r, (1,)),
            "norm_weight": 1.0 + normal(r, (n_in,), 0.1), "norm_bias": normal(r, (n_in,), 0.1),
            "base_weight": normal(r, (out, n_in), 0.5)}


case("af_kan_layer", "basic", "[4,3] -> [4,2], g 2, k 1, SiLU, quad1, global attention, tau 2",
     lambda r: af_case(r))
case("af_kan_layer", "default_grid", "g 5, k 3 (the paper's defaults), tau sqrt(in) = 2",
     lambda r: af_case(r, 3, 4, 2, 5, 3))
case("af_kan_layer", "temperature_clamped", "tau 0.5 is clamped to 1: no gradient reaches tau",
     lambda r: af_case(r, temperature=0.5))
case("af_kan_layer", "batch_of_one", "B = 1: the min-max sees only this row",
     lambda r: af_case(r, batch=1))
case("af_kan_layer", "multistep", "method multistep: h = f w_attn + b_attn (no attention)",
     lambda r: af_case(r), method="multistep")
case("af_kan_layer", "no_func_norm", "func_norm false: no batch coupling",
     lambda r: af_case(r), func_norm=False)
case("af_kan_layer", "constant_features",
     "relu, x far outside every support: features all 0 (reference 0/0); normalized to 0",
     lambda r: af_case(r, 2, x=f64([[5.0, -4.0, 6.0], [7.0, 8.0, -5.0]])), activation="relu")
for _f in ("quad2", "sum", "prod", "sum_prod", "cubic1", "cubic2"):
    case("af_kan_layer", "func_" + _f, "func " + _f, lambda r: af_case(r, 3, 2), func=_f)
for _a in ("relu", "leaky_relu", "elu", "selu", "gelu", "tanh", "sigmoid", "softplus"):
    case("af_kan_layer", "act_" + _a, "activation " + _a + ", inputs off the kinks at the phases",
         lambda r: af_case(r, 3, 2, x=off_knots(r, (3, 2), -1.2, 1.2, 0.5, 0.0, 0.06)),
         activation=_a)

# ---------------------------------------------------------------------------------------------
# The no-gradient spline fits (tests/fixtures/kan/<case>/): efficient-kan's curve2coeff and
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
        arrays["out.residual.npy"] = f64((after - before).abs().max().item())
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


def gradcheck(op_name, name, note, make, attrs, rtol, atol):
    """Finite differences against autograd for the differentiable inputs (buffers held fixed)."""
    spec = legacy.OPS[op_name]
    _, A = spec.resolve(attrs)
    given = make(rng_for(op_name, name))
    names = [n for n, _, _ in spec.inputs if n in given and n not in NOGRAD[op_name]
             and given[n].dtype == np.float64]
    leaves = [torch.from_numpy(np.array(given[n])).requires_grad_(True) for n in names]

    def fn(*ts):
        ins = {k: torch.from_numpy(np.asarray(v)) for k, v in given.items()}
        ins.update(zip(names, ts))
        return spec.ref(ins, A)

    return torch.autograd.gradcheck(fn, tuple(leaves), eps=1e-6, atol=1e-5, rtol=1e-4,
                                    raise_exception=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures"))
    ap.add_argument("--only", default="", help="comma-separated op names (or 'fits')")
    ap.add_argument("--check", action="store_true",
                    help="also compare autograd with finite differences (writes nothing more)")
    args = ap.parse_args()

    own = [o for o in KAN_OPS if o not in REFS]
    cases = [c for c in legacy.CASES if c[0] in own]
    assert {c[0] for c in cases} == set(own), "ops without cases"
    doc = os.path.join(ROOT, "docs", "ops-kan.md")
    listed = legacy.doc_ops(doc)
    assert sorted(listed) == sorted(KAN_OPS), "kan.py and docs/ops-kan.md disagree: %s vs %s" % (
        sorted(listed), sorted(KAN_OPS))

    only = [s for s in args.only.split(",") if s]
    for s in only:
        assert s in own or s == "fits", "unknown op %r (oracle.py writes %s)" % (
            s, ", ".join(sorted(REFS)))
    wanted = [o for o in own if not only or o in only]

    torch.set_num_threads(1)
    oracle = os.path.join(args.out, "oracle")
    for op_name in wanted:
        op_cases = [c for c in cases if c[0] == op_name]
        built = []
        for c in op_cases:
            if args.check and not gradcheck(*c):
                sys.exit("[%s/%s] finite differences disagree with autograd" % c[:2])
            built.append(legacy.build(*c))
        write_op_file(os.path.join(oracle, op_name + ".safetensors"), op_name, built)
        print("%-15s %d" % (op_name, len(op_cases)))

    if not only or "fits" in only:
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
    print("%d bytes in %s" % (legacy.fixture_bytes(oracle, wanted), oracle))


if __name__ == "__main__":
    main()
