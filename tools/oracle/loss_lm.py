"""PyTorch references for the language-modelling losses (catalog/lm.md, docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas; where
every token is ignored lathe returns 0 (the loss contract), which these cases do not reach."""
import math

import torch
import torch.nn.functional as F


def _logit_z_loss(I, A):
    x, y = I["input"], I["target"]
    valid = (y != A["ignore_index"]).to(x.dtype)
    lse = torch.logsumexp(x * valid[:, None], -1)
    if A["mode"] == "masked":
        lse = lse * valid
    rows = A["eps"] * lse ** 2
    return {"none": rows, "sum": rows.sum(), "mean": rows.sum() / valid.sum()}[A["reduction"]]


def _unlikelihood_loss(I, A):
    p, y, eps = I["probs"], I["target"], A["eps"]
    lp = torch.log(torch.clamp(1.0 - p, min=1e-20))
    keep = y != A["ignore_index"]
    lp_y = lp.gather(1, torch.where(keep, y, torch.zeros_like(y))[:, None]).squeeze(1)
    rows = -((1 - eps) * lp_y + eps * lp.sum(1) / p.shape[-1]) * keep.to(p.dtype)
    return {"none": rows, "sum": rows.sum(), "mean": rows.sum() / keep.sum()}[A["reduction"]]


def _margin_rank_calibration_loss(I, A):
    f, m = I["scores"], I["scores"].shape[1]
    loss = f.sum() * 0
    for g in range(1, m):
        loss = loss + F.relu(f[:, g:] - f[:, :-g] + g * A["margin"]).mean()
    if "gold_scores" in I:
        loss = loss + F.relu(f - I["gold_scores"][:, None]).mean()
    return loss


def _tempnet_dro_ce_loss(I, A):
    z, y, tau = I["input"], I["target"], I["tau"]
    t = tau.squeeze(-1)
    ce = F.cross_entropy(z / tau, y, reduction="none")
    rows = t * ce + (A["rho"] - math.log(z.shape[-1])) * t
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


def _emo_loss(I, A):
    z, y, e = I["input"], I["target"], I["cost_embedding"]
    mask = (y != A["ignore_index"]).to(z.dtype)
    lab = torch.where(y != A["ignore_index"], y, torch.zeros_like(y))
    mle = F.cross_entropy(z, lab, reduction="none")
    en = F.normalize(e, dim=1)
    oh = F.one_hot(lab, z.shape[-1]).to(z.dtype) + 1e-15
    oh = oh / oh.sum(-1, keepdim=True)
    emo = 1 - ((oh @ en) * (F.softmax(z, -1) @ en)).sum(-1)
    rows = 0.5 * ((mle / (emo + 1e-10)).detach() * emo + mle) * mask
    return {"none": rows, "sum": rows.sum(), "mean": rows.sum() / (mask.sum() + 1e-15)}[
        A["reduction"]]


def _log1mexp(x):
    c = -math.log(2.0)
    near = torch.log(-torch.expm1(torch.clamp(x, min=c)))
    far = torch.log1p(-torch.exp(torch.clamp(x, max=c)))
    return torch.where(x > c, near, far)


def _dco_factor(p, n):
    if n == 1:
        return torch.ones_like(p)
    small = ((1 - (n - 1) * p + (n - 1) * (n - 2) * p * p / 2)
             / (1 - (n - 1) / 2 * p + (n - 1) * (n - 2) / 6 * p * p))
    big = n * (1 - p) ** (n - 1) * p / (1 - (1 - p) ** n)
    return torch.where(p * n < 0.1, small, big)


def _dco_loss(I, A):
    lp, m, n = I["token_logp"], I["mask"], A["N"]
    seq = (lp * m).sum(-1)
    if A["variant"] == "reference":
        rows = _dco_factor(seq.detach().exp(), n) * -seq / m.sum(-1).clamp(min=1)
    else:
        l1m = _log1mexp(seq.clamp(max=-1e-12)).clamp(min=-1e4)
        k = torch.arange(n, dtype=seq.dtype)
        rows = -(seq + torch.logsumexp(k * l1m[..., None], -1))
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


def _kv_cache_prediction_loss(I, A):
    labels = I["labels"]
    b, t = labels.shape
    keep = (labels != A["ignore_index"]).to(I["k_hat"][0].dtype).view(b, 1, t, 1)
    total, rows, n = 0, 0, keep.sum()
    for p, q in list(zip(I["k_hat"], I["k"])) + list(zip(I["v_hat"], I["v"])):
        err = (p - q).abs() * keep
        total = total + err.sum() / (n * p.shape[1] * p.shape[3])
        rows = rows + err.sum((1, 3))
    return {"mean": total, "sum": rows.sum(), "none": rows}[A["reduction"]]


def _linear_cross_entropy(I, A):
    e, c, y, k = I["hidden"], I["weight"], I["target"], A["shift"]
    if k:
        e, y = e[..., :-k, :], y[..., k:]
    z = e @ c.t()
    if "bias" in I:
        z = z + I["bias"]
    if A["softcap"] > 0:
        z = A["softcap"] * torch.tanh(z / A["softcap"])
    z = z.to(torch.promote_types(z.dtype, torch.float32))
    l = F.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1), ignore_index=A["ignore_index"],
                        label_smoothing=A["label_smoothing"], reduction=A["reduction"])
    return l.view(y.shape) if A["reduction"] == "none" else l


def _causal_lm_cross_entropy(I, A):
    z, y = I["logits"], I["labels"]
    if A["shift"]:
        z, y = z[:, :-1], y[:, 1:]
    l = F.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1), ignore_index=A["ignore_index"],
                        reduction=A["reduction"])
    return l.view(y.shape) if A["reduction"] == "none" else l


def _set_order_loss(I, A):
    rows = I["nll"].amin(-1)  # ties share the gradient evenly, as lathe's min
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


def _faithfulness_contrastive_loss(I, A):
    h, lab, n_pos = I["h"], I["labels"], A["n_pos"]
    keep = (lab != A["ignore_index"]).unsqueeze(-1).to(h.dtype)
    pooled = (h * keep).sum(2) / keep.sum(2)
    z = pooled / pooled.norm(dim=-1, keepdim=True)
    c = z.shape[1]
    e = (z @ z.transpose(1, 2)).exp() * (1 - torch.eye(c, dtype=z.dtype))
    a, b = torch.triu_indices(n_pos, n_pos, 1)
    rows = (-torch.log(e[:, a, b] / e.sum(-1)[:, a])).mean(-1)
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


def _tempnet_head(I, A):
    x = I["logits"].detach()
    x = x / x.norm(dim=-1, keepdim=True)
    h = F.linear(torch.sigmoid(F.linear(x, I["w1"], I["b1"])), I["w2"], I["b2"])
    w = torch.softmax(h / I["s"].exp(), -1)
    g = F.linear((w - 1.0 / h.shape[-1]) * h, I["w3"], I["b3"])
    return (A["tau_max"] - A["tau_min"]) * torch.sigmoid(g) + A["tau_min"]


REFS = {
    "set_order_loss": _set_order_loss,
    "faithfulness_contrastive_loss": _faithfulness_contrastive_loss,
    "tempnet_head": _tempnet_head,
    "linear_cross_entropy": _linear_cross_entropy,
    "causal_lm_cross_entropy": _causal_lm_cross_entropy,
    "logit_z_loss": _logit_z_loss,
    "unlikelihood_loss": _unlikelihood_loss,
    "margin_rank_calibration_loss": _margin_rank_calibration_loss,
    "tempnet_dro_ce_loss": _tempnet_dro_ce_loss,
    "emo_loss": _emo_loss,
    "dco_loss": _dco_loss,
    "kv_cache_prediction_loss": _kv_cache_prediction_loss,
}
