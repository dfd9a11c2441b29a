"""PyTorch oracle for models/optim/: optimizers, learning-rate schedulers, gradient clipping.

Writes, under tests/fixtures/optim/ (or --out), one file per group, <group>.safetensors: tensors
<case>/<name>, the metas as a JSON object case -> meta under the metadata key "cases":
  <optimizer>                sgd, adam, adamw (torch.optim, single-tensor path) and adamp, sgdp
                             (the reference steps below, written from catalog/optimizer.md and the
                             official clovaai/AdamP behaviour): initial parameters, 20 gradients,
                             and the parameters and optimizer state after the recorded steps
  lr_scheduler               the lr (and momentum) an optimizer holds over 50 scheduler steps
                             (OneCycleLR at epoch total_steps: the final values, see below)
  clip_grad_norm             gradients before and after torch.nn.utils.clip_grad_norm_, total norm

Everything is float64 and byte-identical from run to run (one generator per case, one thread).
--official DIR replays every adamp/sgdp case through the official AdamP/SGDP classes (a checkout
of clovaai/AdamP, imported from DIR) and stops if they disagree with the reference steps.
"""
import argparse
import importlib
import math
import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import MAX_ELEMENTS, normal, rng_for  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEPS = 20
RECORDED = [1, 2, 5, 10, 20]  # steps after which parameters and state are written
SCHEDULER_STEPS = 50
RTOL, ATOL = 1e-10, 1e-12

# ---------------------------------------------------------------------------------------------
# Reference steps for AdamP and SGDP (Heo et al., ICLR 2021), one parameter at a time, in place.


def projection(p, g, perturb, delta, wd_ratio, eps):
    """Removes the radial component of `perturb` when p looks scale-invariant. Tries the channel
    view [p.size(0), -1], then the layer view [1, -1]; a view is taken when every row's
    |cos(g_row, p_row)| (each norm clamped to eps, as torch 1.13's cosine_similarity does) is below
    delta / sqrt(row length). Modifies `perturb` in place. Returns (weight-decay factor, view)."""
    for view_name, rows in (("channel", p.shape[0]), ("layer", 1)):
        gv, pv = g.reshape(rows, -1), p.reshape(rows, -1)
        g_norm = gv.norm(dim=1).clamp_min(eps)
        p_norm = pv.norm(dim=1).clamp_min(eps)
        cos = ((gv * pv).sum(dim=1) / (g_norm * p_norm)).abs()
        if cos.max() < delta / math.sqrt(pv.shape[1]):
            p_hat = pv / (pv.norm(dim=1, keepdim=True) + eps)          # [rows, n]
            dv = perturb.view(rows, -1)                                 # shares perturb's storage
            dv -= p_hat * (p_hat * dv).sum(dim=1, keepdim=True)
            return wd_ratio, view_name
    return 1.0, "none"


def adamp_step(p, g, st, lr, beta1, beta2, eps, weight_decay, delta, wd_ratio, nesterov):
    if not st:
        st.update(step=0, exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p))
    st["step"] += 1
    m, v, t = st["exp_avg"], st["exp_avg_sq"], st["step"]
    m.mul_(beta1).add_((1 - beta1) * g)
    v.mul_(beta2).add_((1 - beta2) * g * g)
    denom = v.sqrt() / math.sqrt(1 - beta2 ** t) + eps
    step_size = lr / (1 - beta1 ** t)
    perturb = (beta1 * m + (1 - beta1) * g) / denom if nesterov else m / denom
    factor, view = 1.0, "none"
    if p.dim() > 1:
        factor, view = projection(p, g, perturb, delta, wd_ratio, eps)
    if weight_decay > 0:
        p.mul_(1 - lr * weight_decay * factor)
    p.sub_(step_size * perturb)
    return view


def sgdp_step(p, g, st, lr, momentum, dampening, weight_decay, nesterov, eps, delta, wd_ratio):
    if not st:
        st["momentum_buffer"] = torch.zeros_like(p)
    buf = st["momentum_buffer"]
    buf.mul_(momentum).add_((1 - dampening) * g)
    # Official code: without Nesterov the direction *is* the buffer (no copy), so the in-place
    # projection below also projects the momentum buffer.
    d = g + momentum * buf if nesterov else buf
    factor, view = 1.0, "none"
    if p.dim() > 1:
        factor, view = projection(p, g, d, delta, wd_ratio, eps)
    if weight_decay > 0:
        p.mul_(1 - lr * weight_decay * factor / (1 - momentum))
    p.sub_(lr * d)
    return view


class Reference:
    """AdamP / SGDP over a list of parameters with the torch.optim calling convention."""

    def __init__(self, name, params, options):
        self.name, self.params, self.options = name, params, options
        self.state = [dict() for _ in params]
        self.views = []  # per step: the projection each parameter took ("skip" without a grad)

    def step(self):
        views = []
        for p, st in zip(self.params, self.state):
            if p.grad is None:
                views.append("skip")
                continue
            o = self.options
            with torch.no_grad():
                if self.name == "adamp":
                    views.append(adamp_step(p, p.grad, st, o["lr"], o["beta1"], o["beta2"],
                                            o["eps"], o["weight_decay"], o["delta"],
                                            o["wd_ratio"], o["nesterov"]))
                else:
                    views.append(sgdp_step(p, p.grad, st, o["lr"], o["momentum"], o["dampening"],
                                           o["weight_decay"], o["nesterov"], o["eps"], o["delta"],
                                           o["wd_ratio"]))
        self.views.append(views)


# ---------------------------------------------------------------------------------------------
# Optimizer cases.

DEFAULTS = {
    "sgd": dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False),
    "adam": dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False),
    "adamw": dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2, amsgrad=False),
    "adamp": dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, delta=0.1,
                  wd_ratio=0.1, nesterov=False),
    "sgdp": dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, eps=1e-8,
                 delta=0.1, wd_ratio=0.1),
}
STATE_KEYS = {"sgd": ["momentum_buffer"], "adam": ["step", "exp_avg", "exp_avg_sq"],
              "adamw": ["step", "exp_avg", "exp_avg_sq"],
              "adamp": ["step", "exp_avg", "exp_avg_sq"], "sgdp": ["momentum_buffer"]}

# Parameters: (name, shape, gradient kind). Gradient kinds:
#   plain     random normal; for a 2-D+ parameter redrawn until neither view of the projection
#             test is within 1e-3 of its threshold and neither triggers (an ordinary weight)
#   channel   random, minus its component along each output channel of the current p: the
#             channel view triggers (a scale-invariant weight, e.g. a conv followed by BN)
#   layer     random, minus its component along the whole current p, redrawn until the channel
#             view clearly fails: the layer view triggers (a weight followed by layer norm)
PLAIN = [("w", (4, 3), "plain"), ("b", (3,), "plain")]
PROJECTED = [("w", (4, 3), "plain"), ("b", (3,), "plain"), ("conv", (2, 3, 2, 2), "channel"),
             ("fc", (3, 4), "layer")]
# Events: step -> {param: what}. "none": no gradient this step (skipped, its step count lags);
# "zeros": an all-zero gradient; "zero_row": the first row of the gradient is zero.
EVENTS = {3: {"b": "none"}, 4: {"b": "none"}, 6: {"w": "zeros"}, 7: {"w": "none"},
          9: {"w": "zero_row"}}

OPT_CASES = [
    ("sgd", "plain", "lr only", PLAIN, {}),
    ("sgd", "weight_decay", "L2 weight decay added to the gradient", PLAIN,
     dict(weight_decay=0.05)),
    ("sgd", "momentum", "momentum and dampening (the buffer starts as the first gradient)", PLAIN,
     dict(momentum=0.9, dampening=0.2)),
    ("sgd", "momentum_weight_decay", "momentum with weight decay", PLAIN,
     dict(momentum=0.8, weight_decay=0.05)),
    ("sgd", "nesterov", "Nesterov momentum with weight decay", PLAIN,
     dict(momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam", "plain", "defaults, lr 1e-2", PLAIN, {}),
    ("adam", "weight_decay", "L2 weight decay added to the gradient", PLAIN,
     dict(weight_decay=0.1, beta1=0.8, beta2=0.99)),
    ("adam", "amsgrad", "AMSGrad with weight decay", PLAIN,
     dict(amsgrad=True, weight_decay=0.05, eps=1e-6)),
    ("adamw", "no_weight_decay", "weight_decay 0: the same steps as Adam", PLAIN,
     dict(weight_decay=0.0)),
    ("adamw", "weight_decay", "decoupled weight decay", PLAIN, dict(weight_decay=0.5)),
    ("adamw", "amsgrad", "AMSGrad with decoupled weight decay", PLAIN,
     dict(amsgrad=True, weight_decay=0.1, beta1=0.5)),
    ("adamp", "plain", "no weight decay; projections on conv (channel) and fc (layer)", PROJECTED,
     {}),
    ("adamp", "weight_decay", "decoupled weight decay, wd_ratio on projected steps", PROJECTED,
     dict(weight_decay=0.5)),
    ("adamp", "nesterov", "Nesterov with weight decay and a different delta and wd_ratio",
     PROJECTED, dict(nesterov=True, weight_decay=0.2, delta=0.15, wd_ratio=0.3)),
    ("sgdp", "plain", "momentum 0 (weight-decay factor 1/(1 - 0) = 1)", PROJECTED,
     dict(weight_decay=0.05)),
    ("sgdp", "no_weight_decay", "momentum, no weight decay", PROJECTED, dict(momentum=0.9)),
    ("sgdp", "momentum_weight_decay",
     "momentum 0.9: weight decay divided by 1 - momentum; projected steps project the buffer",
     PROJECTED, dict(momentum=0.9, weight_decay=0.01)),
    ("sgdp", "nesterov", "Nesterov with weight decay", PROJECTED,
     dict(momentum=0.8, nesterov=True, weight_decay=0.02)),
    ("sgdp", "dampening", "momentum with dampening and weight decay", PROJECTED,
     dict(momentum=0.5, dampening=0.3, weight_decay=0.1, wd_ratio=0.5)),
]


def view_cosines(p, g, eps=1e-8):
    out = []
    for rows in (p.shape[0], 1):
        gv, pv = g.reshape(rows, -1), p.reshape(rows, -1)
        cos = ((gv * pv).sum(1) / (gv.norm(dim=1).clamp_min(eps) * pv.norm(dim=1).clamp_min(eps)))
        out.append((cos.abs().max().item(), 0.1 / math.sqrt(pv.shape[1])))
    return out


def clear(p, g, deltas):
    """No view's decision is within 1e-3 (relative) of its threshold, for every delta used."""
    return all(abs(c - thr * d / 0.1) > 1e-3 * thr * d / 0.1
               for d in deltas for c, thr in view_cosines(p, g))


def draw_grad(r, p, kind, deltas):
    shape = tuple(p.shape)
    while True:
        g = torch.from_numpy(normal(r, shape))
        if kind == "plain":
            if p.dim() == 1:
                return g
            cos = view_cosines(p, g)
            if clear(p, g, deltas) and all(c > thr * max(deltas) / 0.1 for c, thr in cos):
                return g
        elif kind == "channel":
            gv, pv = g.reshape(shape[0], -1), p.reshape(shape[0], -1)
            gv = gv - (gv * pv).sum(1, keepdim=True) / (pv * pv).sum(1, keepdim=True) * pv
            return gv.reshape(shape)
        else:  # layer
            g = g - (g * p).sum() / (p * p).sum() * p
            (c_channel, thr), _ = view_cosines(p, g)
            if c_channel > thr * max(deltas) / 0.1 * 1.001:
                return g


def make_torch_optimizer(name, params, o):
    if name == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"],
                               dampening=o["dampening"], weight_decay=o["weight_decay"],
                               nesterov=o["nesterov"], foreach=False)
    if name in ("adam", "adamw"):
        cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        return cls(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                   weight_decay=o["weight_decay"], amsgrad=o["amsgrad"], foreach=False)
    return Reference(name, params, o)


def state_of(opt, p, i):
    return opt.state[p] if not isinstance(opt, Reference) else opt.state[i]


def run_optimizer_case(name, case, note, spec, overrides):
    o = dict(DEFAULTS[name])
    for k in overrides:
        assert k in o, "[%s/%s] unknown option %r" % (name, case, k)
    o.update(overrides)
    r = rng_for("optim", name, case)
    params = [torch.from_numpy(normal(r, shape)).requires_grad_() for _, shape, _ in spec]
    arrays = {"init.%d" % i: p.detach().numpy().copy() for i, p in enumerate(params)}
    opt = make_torch_optimizer(name, params, o)
    keys = list(STATE_KEYS[name])
    if o.get("amsgrad"):
        keys.append("max_exp_avg_sq")
    if name == "sgd" and o["momentum"] == 0:
        keys = []
    deltas = [o["delta"]] if "delta" in o else [0.1]
    grads = [[] for _ in spec]
    has_grad = [[] for _ in spec]
    per_step = {}
    for s in range(1, STEPS + 1):
        for i, ((pname, shape, kind), p) in enumerate(zip(spec, params)):
            event = EVENTS.get(s, {}).get(pname)
            g = draw_grad(r, p.detach(), kind, deltas)
            if event == "zeros":
                g = torch.zeros_like(g)
            elif event == "zero_row":
                g[0] = 0.0
            grads[i].append(g.numpy() if event != "none" else np.zeros(shape))
            has_grad[i].append(event != "none")
            p.grad = None if event == "none" else g.clone()
        opt.step()
        if s in RECORDED:
            for i, p in enumerate(params):
                per_step.setdefault("param.%d" % i, []).append(p.detach().numpy().copy())
                st = state_of(opt, p, i)
                for k in keys:
                    v = st[k]
                    v = np.array(int(v), dtype=np.int64) if k == "step" else v.numpy().copy()
                    per_step.setdefault("state.%d.%s" % (i, k), []).append(v)
    for i in range(len(spec)):
        arrays["grad.%d" % i] = np.stack(grads[i])
        arrays["has_grad.%d" % i] = np.array(has_grad[i])
    for k, v in per_step.items():
        arrays[k] = np.stack(v)
    meta = {"optimizer": name, "case": case, "note": note, "options": o, "steps": STEPS,
            "recorded": RECORDED, "params": [s[0] for s in spec],
            "gradients": [s[2] for s in spec], "state": keys, "rtol": RTOL, "atol": ATOL,
            "files": sorted("%s.npy" % k for k in arrays)}
    if isinstance(opt, Reference):
        views = {pname: [v[i] for v in opt.views] for i, (pname, _, _) in enumerate(spec)}
        check_projections(name, case, views)
        meta["projection"] = {k: " ".join(v) for k, v in views.items()}
    return meta, arrays


def check_projections(name, case, views):
    """Each gradient kind reaches the branch it was built for."""
    for pname, got in views.items():
        for s, v in enumerate(got, start=1):
            event = EVENTS.get(s, {}).get(pname)
            if event == "none":
                want = "skip"
            elif pname == "b":
                want = "none"  # 1-D: never projected
            elif pname == "w":
                # an all-zero gradient has cosine 0 with every row: the channel view triggers
                want = "channel" if event == "zeros" else "none"
            elif pname == "conv":
                want = "channel"
            else:
                want = "layer"
            if event == "zero_row" and pname == "w":
                continue  # recorded as it falls
            assert v == want, "[%s/%s] %s step %d took %s, expected %s" % (
                name, case, pname, s, v, want)


def check_official(directory, meta, arrays):
    """Replays the recorded gradients through clovaai/AdamP's classes."""
    sys.path.insert(0, directory)
    adamp = importlib.import_module("adamp")
    o = meta["options"]
    params = [torch.from_numpy(arrays["init.%d" % i].copy()).requires_grad_()
              for i in range(len(meta["params"]))]
    if meta["optimizer"] == "adamp":
        opt = adamp.AdamP(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                          weight_decay=o["weight_decay"], delta=o["delta"],
                          wd_ratio=o["wd_ratio"], nesterov=o["nesterov"])
    else:
        opt = adamp.SGDP(params, lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                         weight_decay=o["weight_decay"], nesterov=o["nesterov"], eps=o["eps"],
                         delta=o["delta"], wd_ratio=o["wd_ratio"])
    worst = 0.0
    for s in range(1, STEPS + 1):
        for i, p in enumerate(params):
            has = arrays["has_grad.%d" % i][s - 1]
            p.grad = torch.from_numpy(arrays["grad.%d" % i][s - 1].copy()) if has else None
        opt.step()
        if s in RECORDED:
            k = RECORDED.index(s)
            for i, p in enumerate(params):
                worst = max(worst, np.abs(p.detach().numpy() - arrays["param.%d" % i][k]).max())
    assert worst < 1e-12, "[%s/%s] official code differs by %g" % (
        meta["optimizer"], meta["case"], worst)
    return worst


# ---------------------------------------------------------------------------------------------
# Learning-rate schedulers: the lr after construction and after each of 50 steps.


def cosine_warmup_factor(t, warmup_steps, total_steps, min_lr, base_lr):
    """Linear warmup from 0 over warmup_steps, then a half cosine down to min_lr at total_steps,
    min_lr after that."""
    if t < warmup_steps:
        return t / warmup_steps
    progress = min(1.0, (t - warmup_steps) / (total_steps - warmup_steps))
    floor = min_lr / base_lr
    return floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))


SCHEDULER_CASES = [
    ("step_lr", "StepLR step_size 7, gamma 0.5", "sgd",
     dict(scheduler="step_lr", step_size=7, gamma=0.5)),
    ("step_lr_default_gamma", "StepLR step_size 10, gamma 0.1 (default)", "sgd",
     dict(scheduler="step_lr", step_size=10, gamma=0.1)),
    ("linear_default", "LinearLR defaults: start_factor 1/3, end_factor 1, total_iters 5", "sgd",
     dict(scheduler="linear", start_factor=1.0 / 3.0, end_factor=1.0, total_iters=5)),
    ("linear_warmup", "LinearLR as a warmup: 0.01 -> 1 over 10 steps", "sgd",
     dict(scheduler="linear", start_factor=0.01, end_factor=1.0, total_iters=10)),
    ("linear_decay", "LinearLR as a decay: 1 -> 0.1 over 30 steps", "adam",
     dict(scheduler="linear", start_factor=1.0, end_factor=0.1, total_iters=30)),
    ("cosine_warmup", "warmup 10, cosine to 0 at step 40, flat after", "sgd",
     dict(scheduler="cosine_warmup", warmup_steps=10, total_steps=40, min_lr=0.0)),
    ("cosine_warmup_min_lr", "warmup 5, cosine to min_lr 0.01 at step 30", "adam",
     dict(scheduler="cosine_warmup", warmup_steps=5, total_steps=30, min_lr=0.01)),
    ("cosine_no_warmup", "no warmup: CosineAnnealingLR(T_max 50, eta_min 0.001)", "sgd",
     dict(scheduler="cosine_warmup", warmup_steps=0, total_steps=50, min_lr=0.001)),
    ("one_cycle", "OneCycleLR defaults, max_lr 0.5, total_steps 50, SGD momentum cycled", "sgd",
     dict(scheduler="one_cycle", max_lr=0.5, total_steps=50, pct_start=0.3,
          anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
          div_factor=25.0, final_div_factor=1e4, three_phase=False)),
    ("one_cycle_adam", "OneCycleLR on Adam: beta1 cycled, max_lr 0.01, total_steps 40, pct_start "
     "0.45; 40 steps (the 41st is an error)", "adam",
     dict(scheduler="one_cycle", max_lr=0.01, total_steps=40, pct_start=0.45,
          anneal_strategy="cos", cycle_momentum=True, base_momentum=0.8, max_momentum=0.9,
          div_factor=25.0, final_div_factor=1e4, three_phase=False)),
    ("one_cycle_linear_three_phase", "linear anneal, three phases, pct_start 0.25, no momentum",
     "sgd", dict(scheduler="one_cycle", max_lr=1.0, total_steps=50, pct_start=0.25,
                 anneal_strategy="linear", cycle_momentum=False, base_momentum=0.85,
                 max_momentum=0.95, div_factor=10.0, final_div_factor=100.0, three_phase=True)),
]
SCHED_BASE = {"sgd": dict(lr=0.1, momentum=0.9), "adam": dict(lr=0.1, beta1=0.9)}


def run_scheduler_case(case, note, opt_name, s):
    p = torch.zeros(2, requires_grad=True)
    base = SCHED_BASE[opt_name]
    if opt_name == "sgd":
        opt = torch.optim.SGD([p], lr=base["lr"], momentum=base["momentum"])
    else:
        opt = torch.optim.Adam([p], lr=base["lr"], betas=(base["beta1"], 0.999))
    kind = s["scheduler"]
    if kind == "step_lr":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=s["step_size"], gamma=s["gamma"])
    elif kind == "linear":
        sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=s["start_factor"],
                                                  end_factor=s["end_factor"],
                                                  total_iters=s["total_iters"])
    elif kind == "cosine_warmup":
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: cosine_warmup_factor(
            t, s["warmup_steps"], s["total_steps"], s["min_lr"], base["lr"]))
    else:
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=s["max_lr"], total_steps=s["total_steps"], pct_start=s["pct_start"],
            anneal_strategy=s["anneal_strategy"], cycle_momentum=s["cycle_momentum"],
            base_momentum=s["base_momentum"], max_momentum=s["max_momentum"],
            div_factor=s["div_factor"], final_div_factor=s["final_div_factor"],
            three_phase=s["three_phase"])
    group = opt.param_groups[0]

    def momentum():
        return group["momentum"] if opt_name == "sgd" else group["betas"][0]

    lrs, momenta = [group["lr"]], [momentum()]
    steps = min(SCHEDULER_STEPS, s.get("total_steps", SCHEDULER_STEPS)) if kind == "one_cycle" \
        else SCHEDULER_STEPS
    for _ in range(steps):
        opt.step()  # no gradients: nothing moves, but torch wants step() before sched.step()
        sched.step()
        lrs.append(group["lr"])
        momenta.append(momentum())
    if case == "cosine_no_warmup":  # the formula against torch's own cosine schedule
        q = torch.zeros(2, requires_grad=True)
        o2 = torch.optim.SGD([q], lr=base["lr"])
        c = torch.optim.lr_scheduler.CosineAnnealingLR(o2, T_max=50, eta_min=s["min_lr"])
        ref = [o2.param_groups[0]["lr"]]
        for _ in range(SCHEDULER_STEPS):
            o2.step()
            c.step()
            ref.append(o2.param_groups[0]["lr"])
        assert max(abs(a - b) for a, b in zip(lrs, ref)) < 1e-15, "cosine formula drifted"
    meta = {"case": case, "note": note, "optimizer": opt_name, "optimizer_options": base,
            "scheduler": s, "steps": steps, "lrs": lrs, "momenta": momenta,
            "rtol": 1e-12, "atol": 1e-15}
    if kind == "one_cycle" and steps == s["total_steps"]:
        # At epoch total_steps torch extrapolates the last phase (pct > 1); lathe holds the final
        # lr and momentum there (models/optim/lr_scheduler.h). Keep torch's values for the record.
        meta["torch_at_total_steps"] = {"lr": lrs[-1], "momentum": momenta[-1]}
        meta["note"] += "; epoch total_steps holds the final values (torch extrapolates)"
        lrs[-1], momenta[-1] = lrs[-2], momenta[-2]
    return meta, {}


# ---------------------------------------------------------------------------------------------
# Gradient clipping: torch.nn.utils.clip_grad_norm_.

CLIP_SHAPES = [(4, 3), (3,), (2, 2, 2)]
CLIP_CASES = [
    ("l2_clipped", "total 2-norm above max_norm: every gradient scaled", 1.0, 2.0, {}),
    ("l2_not_clipped", "max_norm above the total norm: coefficient clamped to 1", 100.0, 2.0, {}),
    ("inf", "infinity norm: the largest |g|", 0.5, "inf", {}),
    ("p3", "3-norm", 1.0, 3.0, {}),
    ("p1", "1-norm", 2.0, 1.0, {}),
    ("zero_grads", "all gradients zero: total 0, nothing scaled", 1.0, 2.0, {"zeros": True}),
    ("missing_grad", "the second parameter has no gradient and is skipped", 0.7, 2.0,
     {"missing": 1}),
    ("single_inf", "one parameter, infinity norm", 0.25, "inf", {"only": 1}),
]


def run_clip_case(case, note, max_norm, norm_type, how):
    r = rng_for("optim", "clip_grad_norm", case)
    shapes = CLIP_SHAPES[:how["only"]] if "only" in how else CLIP_SHAPES
    params = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in shapes]
    arrays = {}
    has = []
    for i, p in enumerate(params):
        g = torch.from_numpy(normal(r, p.shape))
        if how.get("zeros"):
            g = torch.zeros_like(g)
        if how.get("missing") == i:
            p.grad = None
            has.append(False)
            arrays["grad.%d" % i] = np.zeros(p.shape)
            continue
        has.append(True)
        arrays["grad.%d" % i] = g.numpy().copy()
        p.grad = g.clone()
    nt = float("inf") if norm_type == "inf" else norm_type
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=nt)
    for i, p in enumerate(params):
        arrays["clipped.%d" % i] = p.grad.numpy().copy() if has[i] else np.zeros(p.shape)
    meta = {"case": case, "note": note, "max_norm": max_norm, "norm_type": norm_type,
            "total_norm": float(total), "has_grad": has, "shapes": [list(s) for s in shapes],
            "rtol": 1e-12, "atol": 1e-15, "files": sorted("%s.npy" % k for k in arrays)}
    return meta, arrays


# ---------------------------------------------------------------------------------------------


# Per-step arrays are stacked along a leading step axis; the size limit holds per step.
STACKED = ("grad.", "has_grad.", "param.", "state.")


def write_group(path, cases):
    """cases: name -> (meta, arrays), written by common.write_group once the size limit is
    checked (per step for stacked arrays)."""
    for case, (_, arrays) in cases.items():
        for name, arr in arrays.items():
            size = arr[0].size if name.startswith(STACKED) else arr.size
            assert size <= MAX_ELEMENTS, "%s/%s: %d elements per step (max %d)" % (
                case, name, size, MAX_ELEMENTS)
    common.write_group(path, cases)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "optim"))
    ap.add_argument("--official", default="",
                    help="directory holding clovaai/AdamP's adamp package: cross-check adamp/sgdp")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)

    groups = {}
    for name, case, note, spec, overrides in OPT_CASES:
        meta, arrays = run_optimizer_case(name, case, note, spec, overrides)
        if args.official and name in ("adamp", "sgdp"):
            worst = check_official(args.official, meta, arrays)
            print("official %s/%s: max |diff| %.3g" % (name, case, worst))
        groups.setdefault(name, {})[case] = (meta, arrays)
    for name in sorted(DEFAULTS):
        assert name in groups, "optimizer %s has no case" % name
    groups["lr_scheduler"] = {c[0]: run_scheduler_case(*c) for c in SCHEDULER_CASES}
    groups["clip_grad_norm"] = {c[0]: run_clip_case(*c) for c in CLIP_CASES}

    os.makedirs(args.out, exist_ok=True)
    total = 0
    for group, cases in sorted(groups.items()):
        path = os.path.join(args.out, group + ".safetensors")
        write_group(path, cases)
        total += os.path.getsize(path)
        print("%-16s %d cases" % (group, len(cases)))
    print("%d bytes in %s" % (total, args.out))


if __name__ == "__main__":
    main()
