"""PyTorch references for the rl_alignment family (catalog/rl_alignment.md, docs/ops-losses.md)
and the preference-optimization losses (DPO, SimPO, ORPO, CPO, KTO), run by oracle.py on the
C++ cases (tests/losses/). Written here from the papers' formulas and the argument semantics of
TRL / the authors' code (read, not imported: TRL needs transformers, datasets and accelerate,
which this machine's Debian PyTorch 1.13 setup does not carry); the catalog's snippets were not
used."""
import torch
import torch.nn.functional as F


def _reduce(values, reduction):
    return {"none": values, "sum": values.sum(), "mean": values.mean()}[reduction]


def _pref(h, A, allow_ipo=True):
    beta, ls, kind = A["beta"], A["label_smoothing"], A["loss_type"]
    if kind == "sigmoid":
        return -(1 - ls) * F.logsigmoid(beta * h) - ls * F.logsigmoid(-beta * h)
    if kind == "hinge":
        return torch.relu(1 - beta * h)
    assert kind == "ipo" and allow_ipo
    return (h - 1 / (2 * beta)) ** 2


def _dpo_loss(I, A):
    h = I["policy_chosen_logps"] - I["policy_rejected_logps"]
    if not A["reference_free"]:
        h = h - (I["reference_chosen_logps"] - I["reference_rejected_logps"])
    return _reduce(_pref(h, A), A["reduction"])


def _simpo_loss(I, A):
    h = I["policy_chosen_logps"] - I["policy_rejected_logps"] - A["gamma_beta_ratio"]
    return _reduce(_pref(h, A, allow_ipo=False), A["reduction"])


def _nll(I):
    return I["chosen_nll"] if "chosen_nll" in I else -I["policy_chosen_logps"]


def _orpo_loss(I, A):
    c, r = I["policy_chosen_logps"], I["policy_rejected_logps"]
    # odds(y) = p / (1 - p); the log odds ratio of chosen over rejected
    log_odds = (c - r) - (torch.log1p(-torch.exp(c)) - torch.log1p(-torch.exp(r)))
    loss = _nll(I) - A["beta"] * F.logsigmoid(log_odds)
    return _reduce(loss.expand(c.shape), A["reduction"])


def _cpo_loss(I, A):
    c, r = I["policy_chosen_logps"], I["policy_rejected_logps"]
    loss = _pref(c - r, A) + A["cpo_alpha"] * _nll(I)
    return _reduce(loss, A["reduction"])


def _kto_loss(I, A):
    beta = A["beta"]
    z = torch.zeros((), dtype=I["policy_chosen_logps"].dtype)
    if "policy_kl_logps" in I:
        z = (I["policy_kl_logps"] - I["reference_kl_logps"]).mean().clamp(min=0).detach()
    chosen = 1 - torch.sigmoid(beta * (I["policy_chosen_logps"] - I["reference_chosen_logps"] - z))
    rejected = 1 - torch.sigmoid(
        beta * (z - (I["policy_rejected_logps"] - I["reference_rejected_logps"])))
    losses = torch.cat([A["desirable_weight"] * chosen, A["undesirable_weight"] * rejected])
    return _reduce(losses, A["reduction"])


def _pcpg_loss(I, A):
    k = I["kernel"]
    w = k.numel()
    smooth = lambda v: F.conv1d(v[:, None, :], k.view(1, 1, w), padding=w // 2)[:, 0]
    return _reduce(-(smooth(I["rewards"]) * smooth(I["logp"])).sum(1), A["reduction"])


def _martingale_loss(I, A):
    J, r, h, dt = I["J"], I["r"], I["h_T"], A["dt"]
    # return from t_i: the terminal reward plus the rewards of steps i..K-1
    tail = torch.flip(torch.cumsum(torch.flip(r, [1]), 1), [1]) * dt
    g = h[:, None] + tail
    return _reduce(0.5 * dt * ((g - J) ** 2).sum(1), A["reduction"])


def _dynamic_anchor_kl(I, A):
    z, step = I["logits"], I["step"]
    if int(step.item()) % A["every"] == 0:  # the anchor is the policy: KL(pi || pi) = 0
        return (z * 0).sum(), step + 1
    lp = torch.log_softmax(z, -1)
    lq = torch.log_softmax(I["anchor_logits"], -1)
    kl = (lp.exp() * (lp - lq)).sum(-1)
    m = I["mask"].to(kl.dtype) if "mask" in I else torch.ones_like(kl)
    return A["beta"] * (kl * m).sum() / m.sum().clamp(min=1), step + 1


def _superhf_loss(I, A):
    lp = torch.log_softmax(I["logits"], -1)
    lp0 = torch.log_softmax(I["prior_logits"], -1)
    m = I["mask"].to(lp.dtype) if "mask" in I else torch.ones(lp.shape[:2], dtype=lp.dtype)
    tok = lp.gather(-1, I["labels"][..., None])[..., 0]
    ce = -(tok * m).sum() / m.sum().clamp(min=1)
    if A["inv_c"] > 0:
        ce = ce + A["inv_c"] / ce
    kl = (lp0.exp() * (lp0 - lp)).sum(-1)
    kl_b = (kl * m).sum(1) / m.sum(1).clamp(min=1)
    return ce + A["beta"] * kl_b.clamp(min=0).sum()


def _kdrl_objective(I, A):
    logp, r, g = I["logp"], I["rewards"], I["group"]
    adv = torch.zeros_like(r)
    for gid in g.unique():
        sel = g == gid
        dev = r[sel] - r[sel].mean()
        adv[sel] = dev / ((dev ** 2).mean().sqrt() + 1e-6)
    ratio = torch.exp(logp - I["logp_old"])
    a = adv[:, None]
    surr = torch.min(ratio * a, ratio.clamp(1 - A["clip"], 1 + A["clip"]) * a)
    d = I["logp_teacher"] - logp
    kd = 0.5 * d ** 2 if A["k"] == "k2" else torch.exp(d) - 1 - d
    m = I["mask"].to(logp.dtype) if "mask" in I else torch.ones_like(logp)
    return -((surr - A["beta"] * kd) * m).sum() / m.sum().clamp(min=1)


REFS = {
    "dpo_loss": _dpo_loss,
    "simpo_loss": _simpo_loss,
    "orpo_loss": _orpo_loss,
    "cpo_loss": _cpo_loss,
    "kto_loss": _kto_loss,
    "pcpg_loss": _pcpg_loss,
    "martingale_loss": _martingale_loss,
    "dynamic_anchor_kl": _dynamic_anchor_kl,
    "superhf_loss": _superhf_loss,
    "kdrl_objective": _kdrl_objective,
}
