#!/usr/bin/python3
"""PyTorch references for the normalization family (ops/norm/, docs/ops-norm.md), and its
multi-step sequences.

    /usr/bin/python3 tools/oracle/norm.py [--out DIR] [--only OP[,OP]]

REFS holds the references; oracle.py runs them on the C++ cases (tests/ops/norm/). This script
writes the sequences, tests/fixtures/sequences/<op>.safetensors (or DIR/<op>.safetensors):
power_norm and unified_norm over >= 50 training steps, per-step inputs, outputs, gradients and
state (tensors <sequence>/<name>, steps on the first axis).
Every reference below is written from catalog/normalization.md's formulas in plain PyTorch calls;
power_norm and unified_norm, whose defined backward is not the derivative of their forward, are
torch.autograd.Functions whose backward updates the state in place, as the official code does.
Output is byte-identical from run to run (each sequence has its own generator, one thread)."""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import normal, rng_for, safetensors_bytes, uniform  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
L1_SCALE = math.sqrt(math.pi / 2)

# ---------------------------------------------------------------------------------------------
# Ops: name -> Op. inputs: "x weight? pad_mask?" ('?' = optional); states are inputs and outputs
# (listed after the plain outputs); backward_states: states the backward writes in place.


class Op:
    def __init__(self, name, inputs, ref, outputs, states, attrs, backward_states=()):
        self.name = name
        self.inputs = [(s.rstrip("?"), s.endswith("?")) for s in inputs.split()]
        self.inputs += [(s, False) for s in states.split()]
        self.ref = ref
        self.outputs = outputs.split() + states.split()
        self.states = set(states.split())
        self.attrs = attrs
        self.backward_states = set(backward_states)

    def resolve(self, given):
        full = {}
        for k in given:
            assert k in self.attrs, "[%s] unknown attr %r" % (self.name, k)
        for k, (kind, default) in self.attrs.items():
            v = given.get(k, default)
            if kind == "float":
                assert isinstance(v, (int, float)) and not isinstance(v, bool), (self.name, k)
                v = float(v)
            elif kind == "int":
                assert isinstance(v, int) and not isinstance(v, bool), (self.name, k)
            elif kind == "bool":
                assert isinstance(v, bool), (self.name, k)
            elif kind == "string":
                assert isinstance(v, str), (self.name, k)
            elif kind == "ints":
                assert all(isinstance(e, int) and not isinstance(e, bool) for e in v), (
                    self.name, k)
                v = list(v)
            full[k] = v
        written = {k: full[k] for k in given}
        return written, full


OPS = {}


def op(name, inputs, ref, outputs="y", states="", backward_states=(), **attrs):
    OPS[name] = Op(name, inputs, ref, outputs, states, attrs, backward_states)


def channel(p, x):
    """A per-channel parameter given as [C] or [1, C, 1, ...], shaped [1, C, 1, ...]."""
    return p.reshape([1, x.shape[1]] + [1] * (x.dim() - 2))


def biased_var(x, dims):
    d = x - x.mean(dims, keepdim=True)
    return (d * d).mean(dims, keepdim=True)


def _layer_norm(I, A):
    x = I["x"]
    shape = A["normalized_shape"] or [x.shape[-1]]
    return F.layer_norm(x, shape, I.get("weight"), I.get("bias"), A["eps"])


def _rms_norm(I, A):
    x = I["x"]
    y = x * torch.rsqrt((x * x).mean(-1, keepdim=True) + A["eps"])
    return y if I.get("weight") is None else y * I["weight"]


def _crms_norm(I, A):
    x = I["x"]
    s = x.sum(-1, keepdim=True)
    q = (x * x).sum(-1, keepdim=True) + s * s
    return x * torch.rsqrt(q / (x.shape[-1] + 1) + A["eps"])


def _group_scaling(I, A):
    x, g = I["x"], A["groups"]
    xg = x.reshape(x.shape[:-1] + (g, x.shape[-1] // g))
    return (xg / torch.sqrt((xg * xg).mean(-1, keepdim=True) + A["eps"])).reshape(x.shape)


def _power_norm_vanilla(I, A):
    x = I["x"]
    rows = x.reshape(-1, x.shape[-1])
    psi2 = (rows * rows).mean(0)
    return (I["weight"] * rows / torch.sqrt(psi2 + A["eps"]) + I["bias"]).reshape(x.shape)


def _rows_and_keep(x, pad_mask):
    rows = x.reshape(-1, x.shape[-1])
    keep = None if pad_mask is None else ~pad_mask.reshape(-1)
    return rows, keep


def _quadratic_mean(rows, keep):
    kept = rows if keep is None else rows[keep]
    return (kept * kept).mean(0)


class _DefinedBackward(torch.autograd.Function):
    """y = w * z + b with z precomputed; backward = rule(dy) (which may update state)."""

    @staticmethod
    def forward(ctx, x, w, b, z, rule):
        ctx.rule, ctx.shape = rule, x.shape
        return (w * z + b).reshape(x.shape)

    @staticmethod
    def backward(ctx, dy):
        dx, dw, db = ctx.rule(dy.reshape(-1, dy.shape[-1]))
        return dx.reshape(ctx.shape), dw, db, None, None


def _power_norm(I, A):
    x, w, b, phi, ema = I["x"], I["weight"], I["bias"], I["running_phi"], I["ema_gz"]
    eps = A["eps"]
    if not A["training"]:
        return w * x / torch.sqrt(phi + eps) + b, phi, ema
    t, warm = A["step"], A["warmup_iters"]
    with torch.no_grad():
        rows, keep = _rows_and_keep(x.detach(), I.get("pad_mask"))
        var = _quadratic_mean(rows, keep)
        batch_denom = torch.sqrt(var + eps)
        denom = batch_denom if t <= warm else torch.sqrt(phi + eps)
        z = rows / denom
        backward_denom = batch_denom if A["code_faithful"] else denom
        new_phi = phi.clone()
        if (t < warm) if A["code_faithful"] else (t <= warm):
            new_phi = new_phi * (t - 1) / t + var / t
        new_phi = A["alpha_fwd"] * new_phi + (1 - A["alpha_fwd"]) * var
    w_now = w.detach().clone()

    def rule(dy):
        g = dy * w_now
        approx = g - (1 - A["alpha_bkw"]) * ema * z
        ema.add_((approx * z).mean(0))
        return approx / backward_denom, (dy * z).sum(0), dy.sum(0)

    return _DefinedBackward.apply(x, w, b, z, rule), new_phi, ema


def _unified_norm(I, A):
    x, w, b = I["x"], I["weight"], I["bias"]
    rv, bx2, ema, bgz = I["running_var"], I["buffer_x2"], I["ema_gz"], I["buffer_gz"]
    eps, m = A["eps"], A["momentum"]
    if not A["training"]:
        return w * x / torch.sqrt(rv + eps) + b, torch.tensor(False), rv, bx2, ema, bgz
    t, warm, mf, mb = A["step"], A["warmup_iters"], bx2.shape[0], bgz.shape[0]
    with torch.no_grad():
        rows, keep = _rows_and_keep(x.detach(), I.get("pad_mask"))
        x2 = _quadratic_mean(rows, keep)
        skip = mf <= 1
        rec = torch.var(torch.sqrt(bx2))  # one unbiased scalar over the whole window, pre-write
        new_bx2 = bx2.clone()
        new_bx2[t % mf] = x2
        if t >= warm and A["outlier_filtration"]:
            am = new_bx2.mean(0)
            gm = torch.exp(torch.log(new_bx2).mean(0))
            if bool((am - gm > rec * mf).any()):
                new_bx2[t % mf] = rv
                skip = True
        var = x2 if (t <= mf or t < warm or skip) else torch.exp(torch.log(new_bx2).mean(0))
        denom = torch.sqrt(var + eps)
        r = denom / torch.sqrt(rv + eps)
        r = torch.ones_like(r) if (t <= max(1000, warm) or skip) else r.clamp(1 / 5, 5)
        z = rows / denom
        new_rv = m * rv + (1 - m) * var
    w_now = w.detach().clone()

    def rule(dy):
        g = dy * w_now * r
        gz = (g * z).mean(0)
        bgz[t % mb] = ema if skip else gz
        mean_gz = gz if (t <= mb or t < warm or skip) else bgz.mean(0)
        ema.copy_(m * ema + (1 - m) * mean_gz)
        approx = g - (mean_gz if skip else ema) * z
        return approx / denom, (dy * r * z).sum(0), dy.sum(0)

    y = _DefinedBackward.apply(x, w, b, z, rule)
    return y, torch.tensor(skip), new_rv, new_bx2, ema, bgz


def _evonorm_b0(I, A):
    x, mv = I["x"], I["moving_var"]
    gamma, beta, v = channel(I["gamma"], x), channel(I["beta"], x), channel(I["v"], x)
    if not A["nonlinearity"]:
        return x * gamma + beta, mv
    eps = A["eps"]
    if A["training"]:
        var_b = biased_var(x, (0,) + tuple(range(2, x.dim())))
        new_mv = (channel(mv, x) - (channel(mv, x) - var_b.detach()) * (1 - A["decay"]))
        new_mv = new_mv.reshape(mv.shape)
    else:
        var_b, new_mv = channel(mv, x), mv
    right = v * x + torch.sqrt(biased_var(x, tuple(range(2, x.dim()))) + eps)
    return x / torch.maximum(torch.sqrt(var_b + eps), right) * gamma + beta, new_mv


def _evonorm_s0(I, A):
    x = I["x"]
    gamma, beta, v = channel(I["gamma"], x), channel(I["beta"], x), channel(I["v"], x)
    if not A["nonlinearity"]:
        return x * gamma + beta
    n, c = x.shape[:2]
    g = A["groups"]
    while g > 1 and c % g:
        g -= 1
    xg = x.reshape((n, g, c // g) + tuple(x.shape[2:]))
    std = torch.sqrt(biased_var(xg, tuple(range(2, xg.dim()))) + A["eps"])
    num = (x * torch.sigmoid(v * x)).reshape(xg.shape)
    return (num / std).reshape(x.shape) * gamma + beta


def _l1_norm(I, A):
    x, dims = I["x"], tuple(A["axes"])
    d = x - x.mean(dims, keepdim=True)
    s = A["c"] * d.abs().mean(dims, keepdim=True) + A["eps"]
    return d / s * I["weight"] + I["bias"]


def _non_scaling_layernorm(I, A):
    x, beta = I["x"], I.get("bias")
    if A["variant"] == "standardize":
        y = F.layer_norm(x, (x.shape[-1],), None, None, A["eps"])
    else:
        y = x - x.mean(-1, keepdim=True)
    return y if beta is None else y + beta


def _batch_norm(I, A):
    rm, rv = I["running_mean"].clone(), I["running_var"].clone()  # F.batch_norm updates them
    y = F.batch_norm(I["x"], rm, rv, I.get("weight"), I.get("bias"), A["training"],
                     A["momentum"], A["eps"])
    return y, rm, rv


def _group_norm(I, A):
    return F.group_norm(I["x"], A["groups"], I.get("weight"), I.get("bias"), A["eps"])


EPS_VALUE = 1e-5
EPS = ("float", EPS_VALUE)
op("layer_norm", "x weight? bias?", _layer_norm, normalized_shape=("ints", []), eps=EPS)
op("rms_norm", "x weight?", _rms_norm, eps=EPS)


def _layer_norm_backward(I, A):
    """dx, dweight, dbias given the row statistics, written from the formulas (the fused
    kernel's contract); mean and rstd are free inputs here."""
    g, x, w = I["g"], I["x"], I.get("weight")
    dims = A["normalized_shape"] or [x.shape[-1]]
    k = len(dims)
    axes = list(range(x.dim() - k, x.dim()))
    row = list(x.shape[:x.dim() - k]) + [1] * k
    r = I["rstd"].reshape(row)
    x_hat = (x - I["mean"].reshape(row)) * r
    gw = g if w is None else g * w
    dx = r * (gw - gw.mean(axes, keepdim=True) - x_hat * (gw * x_hat).mean(axes, keepdim=True))
    lead = list(range(x.dim() - k))
    return dx, (g * x_hat).sum(lead), g.sum(lead)


def _rms_norm_backward(I, A):
    g, x, w = I["g"], I["x"], I.get("weight")
    r = I["rstd"].reshape(list(x.shape[:-1]) + [1])
    x_hat = x * r
    gw = g if w is None else g * w
    dx = r * (gw - x_hat * (gw * x_hat).mean(-1, keepdim=True))
    return dx, (g * x_hat).sum(list(range(x.dim() - 1)))


op("layer_norm_backward", "g x weight? mean rstd", _layer_norm_backward,
   outputs="dx dweight dbias", normalized_shape=("ints", []))
op("rms_norm_backward", "g x weight? rstd", _rms_norm_backward, outputs="dx dweight")
op("crms_norm", "x", _crms_norm, eps=EPS)
op("group_scaling", "x", _group_scaling, groups=("int", 4), eps=EPS)
op("power_norm_vanilla", "x weight bias", _power_norm_vanilla, eps=EPS)
op("power_norm", "x weight bias pad_mask?", _power_norm, states="running_phi ema_gz",
   backward_states=("ema_gz",), eps=EPS, alpha_fwd=("float", 0.9), alpha_bkw=("float", 0.9),
   warmup_iters=("int", 10000), step=("int", 1), training=("bool", True),
   code_faithful=("bool", True))
op("unified_norm", "x weight bias pad_mask?", _unified_norm, outputs="y skipped",
   states="running_var buffer_x2 ema_gz buffer_gz", backward_states=("ema_gz", "buffer_gz"),
   step=("int", 1), warmup_iters=("int", 4000), outlier_filtration=("bool", False), eps=EPS,
   momentum=("float", 0.9), training=("bool", True))
op("evonorm_b0", "x gamma beta v", _evonorm_b0, states="moving_var", training=("bool", True),
   decay=("float", 0.9), eps=EPS, nonlinearity=("bool", True))
op("evonorm_s0", "x gamma beta v", _evonorm_s0, groups=("int", 32), eps=EPS,
   nonlinearity=("bool", True))
op("l1_norm", "x weight bias", _l1_norm, axes=("ints", [-1]), eps=EPS, c=("float", L1_SCALE))
op("non_scaling_layernorm", "x bias?", _non_scaling_layernorm,
   variant=("string", "standardize"), eps=("float", 1e-6))
op("batch_norm", "x weight? bias?", _batch_norm, states="running_mean running_var",
   training=("bool", True), momentum=("float", 0.1), eps=EPS)
op("group_norm", "x weight? bias?", _group_norm, groups=("int", 1), eps=EPS)

# The cases are the C++ ones (tests/ops/norm/): oracle.py runs these references with the attrs
# of `lathe ops --json`. The table above stays for the sequences below (states, attr defaults).
REFS = {name: op.ref for name, op in OPS.items()}

# ---------------------------------------------------------------------------------------------
# Sequences: many training (and some eval) steps of power_norm / unified_norm, state carried
# from step to step. Each array stacks the steps on a new first axis.


def pads(rng, shape, rate=0.3):
    """A pad mask (true = padding) that keeps at least one row."""
    m = rng.random(shape) < rate
    m.flat[0] = False
    return m


# ---------------------------------------------------------------------------------------------


def to_torch(spec, given):
    """Input tensors (differentiable float inputs as leaves) and the leaves' names."""
    tensors, leaves = {}, []
    for name, _ in spec.inputs:
        if name not in given:
            continue
        t = torch.from_numpy(np.array(given[name]))
        if t.dtype == torch.float64 and name not in spec.states:
            t.requires_grad_(True)
            leaves.append((name, t))
        tensors[name] = t
    return tensors, leaves


SEQUENCES = []


def sequence(op_name, name, note, steps, first_step, init, schedule, **attrs):
    SEQUENCES.append((op_name, name, note, steps, first_step, init, schedule, attrs))


def run_sequence(op_name, name, note, steps, first_step, init, schedule, attrs):
    """Returns (meta, files, branch counts)."""
    spec = OPS[op_name]
    r = rng_for("sequence", op_name, name)
    state = {k: torch.from_numpy(np.array(v)) for k, v in init(r).items()}
    arrays = {"init.%s" % k: v.numpy().copy() for k, v in state.items()}
    per_step = {}
    branches = {}
    t = first_step
    for s in range(steps):
        given, training = schedule(r, s)
        A_in = dict(attrs, step=t, training=training)
        _, A = spec.resolve(A_in)
        for k, b in branch_names(op_name, A, state, given).items():
            branches[k] = branches.get(k, 0) + b
        ins = dict(given)
        ins.update({k: v.clone() for k, v in state.items()})
        tensors, leaves = to_torch(spec, ins)
        for k in state:
            tensors[k] = ins[k]
        outs = spec.ref(tensors, A)
        seed = torch.from_numpy(r.normal(size=tuple(outs[0].shape)))
        grads = torch.autograd.grad((outs[0] * seed).sum(), [v for _, v in leaves])
        record = {"in.x": given["x"], "in.weight": given["weight"], "in.bias": given["bias"],
                  "in.pad_mask": given["pad_mask"], "in.training": np.array(training),
                  "in.step": np.array(t, dtype=np.int64), "seed.y": seed.numpy(),
                  "out.y": outs[0].detach().numpy()}
        for (iname, _), g in zip(leaves, grads):
            record["grad.%s" % iname] = g.numpy()
        for oname, o in zip(spec.outputs[1:], outs[1:]):
            record["out.%s" % oname] = o.detach().clone().numpy()
            if oname in spec.states:
                state[oname] = o.detach().clone()
        for k, v in record.items():
            per_step.setdefault(k, []).append(np.array(v))
        if training:
            t += 1
    for k, v in per_step.items():
        arrays[k] = np.stack(v)
    _, A = spec.resolve(attrs)
    meta = {"op": op_name, "sequence": name, "note": note, "steps": steps,
            "first_step": first_step, "attrs": {k: v for k, v in A.items()
                                                if k not in ("step", "training")},
            "states": [o for o in spec.outputs if o in spec.states],
            "outputs": [o for o in spec.outputs if o not in spec.states],
            "branches": dict(sorted(branches.items())), "rtol": 1e-9, "atol": 1e-12}
    return meta, arrays, branches


def branch_names(op_name, A, state, given):
    """Which branches of the op one step takes (counted to prove every branch is covered)."""
    t, warm = A["step"], A["warmup_iters"]
    if not A["training"]:
        return {"eval": 1}
    if op_name == "power_norm":
        b = {"batch_forward": t <= warm, "running_forward": t > warm,
             "cumulative_average": (t < warm) if A["code_faithful"] else (t <= warm),
             "at_warmup": t == warm, "pad_rows": bool(given["pad_mask"].any())}
        return {k: int(v) for k, v in b.items()}
    mf, mb = state["buffer_x2"].shape[0], state["buffer_gz"].shape[0]
    rows = torch.from_numpy(given["x"]).reshape(-1, given["x"].shape[-1])
    keep = ~torch.from_numpy(given["pad_mask"]).reshape(-1)
    x2 = (rows[keep] ** 2).mean(0)
    rec = torch.var(torch.sqrt(state["buffer_x2"]))
    bx2 = state["buffer_x2"].clone()
    bx2[t % mf] = x2
    skip_window = mf <= 1
    skip_filter = False
    if t >= warm and A["outlier_filtration"]:
        gm = torch.exp(torch.log(bx2).mean(0))
        skip_filter = bool((bx2.mean(0) - gm > rec * mf).any())
        if skip_filter:
            bx2[t % mf] = state["running_var"]
    skip = skip_window or skip_filter
    var = x2 if (t <= mf or t < warm or skip) else torch.exp(torch.log(bx2).mean(0))
    ratio = torch.sqrt(var + A["eps"]) / torch.sqrt(state["running_var"] + A["eps"])
    gated = t <= max(1000, warm) or skip
    b = {"window_not_full": t <= mf, "warmup": t < warm and t > mf,
         "geometric_mean": not (t <= mf or t < warm or skip), "skip_filter": skip_filter,
         "skip_window_one": skip_window, "r_one": gated,
         "r_clamped_high": (not gated) and bool((ratio > 5).any()),
         "r_clamped_low": (not gated) and bool((ratio < 0.2).any()),
         "r_inside": (not gated) and bool(((ratio >= 0.2) & (ratio <= 5)).any()),
         "backward_window": not (t <= mb or t < warm or skip)}
    return {k: int(v) for k, v in b.items()}


def batch(r, shape, scale, rate=0.25, eval_every=0, s=0):
    c = shape[-1]
    given = {"x": normal(r, shape) * scale * uniform(r, (c,), 0.7, 1.3),
             "weight": uniform(r, (c,), 0.5, 1.5), "bias": normal(r, (c,), 0.2),
             "pad_mask": pads(r, shape[:-1], rate)}
    return given, not (eval_every and s % eval_every == eval_every - 1)


def pn_init(c=3):
    return lambda r: {"running_phi": np.ones(c), "ema_gz": np.zeros(c)}


def pn_schedule(s_shape=(4, 2, 3), eval_every=12):
    def schedule(r, s):
        scale = 1.0 + 0.8 * math.sin(s / 5.0)
        return batch(r, s_shape, scale, eval_every=eval_every, s=s)
    return schedule


sequence("power_norm", "code", "official code path: warmup 20 crossed at step 20, eval every 12th",
         60, 1, pn_init(), pn_schedule(), warmup_iters=20)
sequence("power_norm", "paper", "code_faithful false (Algorithm 1 with a consistent warmup)",
         60, 1, pn_init(), pn_schedule(), warmup_iters=20, code_faithful=False)
sequence("power_norm", "paper_no_warmup", "code_faithful false, warmup 0: Algorithm 1 literally",
         50, 1, pn_init(), pn_schedule(eval_every=0), warmup_iters=0, code_faithful=False)
sequence("power_norm", "alphas", "alpha_fwd 0.8, alpha_bkw 0.95, warmup 10, [6,4] rows",
         50, 1, pn_init(4), pn_schedule((6, 4), eval_every=10), warmup_iters=10,
         alpha_fwd=0.8, alpha_bkw=0.95)


def un_init(c=3, mf=4, mb=4, filled=False):
    def init(r):
        if not filled:
            return {"running_var": np.ones(c), "buffer_x2": np.zeros((mf, c)),
                    "ema_gz": np.zeros(c), "buffer_gz": np.zeros((mb, c))}
        return {"running_var": uniform(r, (c,), 0.8, 1.2),
                "buffer_x2": uniform(r, (mf, c), 0.8, 1.2),
                "ema_gz": normal(r, (c,), 0.1), "buffer_gz": normal(r, (mb, c), 0.1)}
    return init


def un_schedule(shape=(4, 2, 3), scales=None, eval_every=0, jitter=0.0):
    def schedule(r, s):
        scale = scales(s) if scales else 1.0
        scale *= math.exp(jitter * r.normal())
        return batch(r, shape, scale, eval_every=eval_every, s=s)
    return schedule


def ramps(s):
    """Sustained scale changes so the window mean drifts far from running_var: r leaves [1/5, 5]."""
    return [1.0, 20.0, 1.0, 0.05, 1.0][(s // 12) % 5]


sequence("unified_norm", "nlp", "filtration off, window 4, warmup 8: first steps, warmup, GM",
         60, 1, un_init(), un_schedule(eval_every=15), warmup_iters=8)
sequence("unified_norm", "cv", "filtration on, window 4, warmup 6, jittered scales: skips",
         60, 1, un_init(), un_schedule(jitter=0.8), warmup_iters=6, outlier_filtration=True)
sequence("unified_norm", "compensation", "steps 991-1050, filtration off, scale ramps: r gated, "
         "inside and clamped on both sides", 60, 991, un_init(filled=True),
         un_schedule(scales=ramps, eval_every=20), warmup_iters=4)
sequence("unified_norm", "compensation_filter", "steps 991-1050, filtration on, scale ramps",
         60, 991, un_init(filled=True), un_schedule((8, 2, 3), scales=ramps, jitter=0.1),
         warmup_iters=4, outlier_filtration=True)
sequence("unified_norm", "windows", "forward window 3, backward window 5, filtration on",
         50, 1, un_init(mf=3, mb=5), un_schedule((8, 2, 3), jitter=0.1), warmup_iters=2,
         outlier_filtration=True)
sequence("unified_norm", "window_one", "forward window 1: every step skips (batch statistics)",
         50, 1, un_init(mf=1, mb=2), un_schedule(), warmup_iters=2)

# Every branch a sequence set must reach at least once.
REQUIRED_BRANCHES = {
    "power_norm": {"batch_forward", "running_forward", "cumulative_average", "at_warmup",
                   "pad_rows", "eval"},
    "unified_norm": {"window_not_full", "warmup", "geometric_mean", "skip_filter",
                     "skip_window_one", "r_one", "r_clamped_high", "r_clamped_low", "r_inside",
                     "backward_window", "eval"},
}


def algorithm1_check(meta, arrays):
    """Algorithm 1 in the paper's own variables (psi, nu), written independently of
    _power_norm: the code_faithful=false, warmup=0 sequence must match it."""
    A = meta["attrs"]
    eps, a = A["eps"], A["alpha_fwd"]
    assert A["alpha_bkw"] == a and A["warmup_iters"] == 0 and not A["code_faithful"]
    psi2 = torch.from_numpy(arrays["init.running_phi"])
    nu = (1 - a) * torch.from_numpy(arrays["init.ema_gz"])
    for s in range(meta["steps"]):
        x = torch.from_numpy(arrays["in.x"][s]).reshape(-1, psi2.shape[0])
        keep = ~torch.from_numpy(arrays["in.pad_mask"][s]).reshape(-1)
        w, b = torch.from_numpy(arrays["in.weight"][s]), torch.from_numpy(arrays["in.bias"][s])
        dy = torch.from_numpy(arrays["seed.y"][s]).reshape(x.shape)
        psi_prev = torch.sqrt(psi2 + eps)
        x_hat = x / psi_prev
        y = w * x_hat + b
        psi2 = a * psi2 + (1 - a) * (x[keep] ** 2).mean(0)
        d_x_hat = w * dy
        x_tilde = d_x_hat - nu * x_hat
        dx = x_tilde / psi_prev
        gamma_t, lambda_t = (x_hat * x_hat).mean(0), (x_hat * d_x_hat).mean(0)
        nu = nu * (1 - (1 - a) * gamma_t) + (1 - a) * lambda_t
        for want, got in ((y, arrays["out.y"][s]), (dx, arrays["grad.x"][s]),
                          (psi2, arrays["out.running_phi"][s]),
                          (nu / (1 - a), arrays["out.ema_gz"][s])):
            assert np.allclose(want.numpy().reshape(got.shape), got, rtol=1e-10, atol=1e-12), (
                "Algorithm 1 and the code_faithful=false path disagree at step %d" % s)


def write_sequences(out_root, only):
    """One file per op, out_root/<op>.safetensors: tensors <sequence>/<name> (steps stacked on
    the first axis), the sequences' metas as one JSON array in the metadata."""
    counts = {}
    for op_name in sorted({s[0] for s in SEQUENCES}):
        if only and op_name not in only:
            continue
        seen, metas, tensors = set(), [], {}
        for seq in (s for s in SEQUENCES if s[0] == op_name):
            meta, arrays, branches = run_sequence(*seq)
            seen |= {k for k, v in branches.items() if v}
            if seq[1] == "paper_no_warmup":
                algorithm1_check(meta, arrays)
            metas.append(meta)
            tensors.update({"%s/%s" % (seq[1], k): v for k, v in arrays.items()})
            counts[(op_name, seq[1])] = meta["steps"]
        missing = REQUIRED_BRANCHES[op_name] - seen
        assert not missing, "[%s] sequences never reach %s" % (op_name, sorted(missing))
        text = json.dumps(metas, sort_keys=True, separators=(",", ":"), allow_nan=False)
        os.makedirs(out_root, exist_ok=True)
        with open(os.path.join(out_root, op_name + ".safetensors"), "wb") as f:
            f.write(safetensors_bytes(tensors, {"op": op_name, "sequences": text}))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "sequences"))
    ap.add_argument("--only", default="", help="power_norm, unified_norm or both (comma)")
    args = ap.parse_args()
    only = [s for s in args.only.split(",") if s]
    for s in only:
        assert s in {q[0] for q in SEQUENCES}, "no sequence of %r" % s

    torch.set_num_threads(1)  # one summation order, whatever the machine
    counts = write_sequences(args.out, only)
    for (op_name, name), steps in sorted(counts.items()):
        print("sequence %s/%s: %d steps" % (op_name, name, steps))
    files = [os.path.join(args.out, n + ".safetensors") for n in sorted({op for op, _ in counts})]
    print("%d sequences, %d bytes in %s" % (len(counts), sum(map(os.path.getsize, files)),
                                            args.out))


if __name__ == "__main__":
    main()
