"""PyTorch references for the supervised losses of the classification and regression families
that losses.py does not hold (docs/ops-losses.md), run by oracle.py on the C++ cases
(tests/losses/).

Written from the formulas of catalog/regression.md and catalog/classification.md; inputs, attrs
and defaults come from `lathe ops --json` (a target lathe does not differentiate gets no
gradient here either)."""
import math

import torch
import torch.nn.functional as F


def _reduce(rows, reduction):
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[reduction]


def _masked_mae_loss(I, A):
    x, y = I["input"], I["target"]
    w = (y != 0).to(x.dtype)
    w = w / w.mean()
    l = (x - y).abs() * w
    l = torch.where(torch.isnan(l), torch.zeros_like(l), l)
    return _reduce(l, A["reduction"])


def _per_sample_sq(x, y):
    return ((x - y) ** 2).reshape(x.shape[0], -1).sum(1)


def _pseudo_huber_loss(I, A):
    x, y, c = I["input"], I["target"], A["c"]
    if c is None or math.isnan(c):  # nan (the default) reads back as None
        c = 0.00054 * math.sqrt(x[0].numel())
    return _reduce(torch.sqrt(_per_sample_sq(x, y) + c * c) - c, A["reduction"])


def _cauchy_loss(I, A):
    x, y, c = I["input"], I["target"], A["c"]
    return _reduce(torch.log1p(_per_sample_sq(x, y) / (2 * c * c)), A["reduction"])


def _xyxy(b):
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)


def _giou_loss(I, A):
    p, g = _xyxy(I["input"]), _xyxy(I["target"])

    def area(b):
        return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])

    inter = (torch.minimum(p[:, 2:], g[:, 2:]) - torch.maximum(p[:, :2], g[:, :2]))
    inter = inter.clamp(min=0).prod(-1)
    union = area(p) + area(g) - inter
    hull = (torch.maximum(p[:, 2:], g[:, 2:]) - torch.minimum(p[:, :2], g[:, :2]))
    hull = hull.clamp(min=0).prod(-1)
    loss = 1 - (inter / union - (hull - union) / hull)
    if A["num_boxes"] > 0:
        return loss.sum() / A["num_boxes"]
    return _reduce(loss, A["reduction"])


def _mae_norm_pix_loss(I, A):
    p, t, m = I["input"], I["target"], I["mask"]
    if A["norm_pix"]:
        t = (t - t.mean(-1, keepdim=True)) / torch.sqrt(t.var(-1, unbiased=True, keepdim=True)
                                                        + 1e-6)
    per_patch = ((p - t) ** 2).mean(-1)
    w = m.to(per_patch.dtype)
    return (per_patch * w).sum() / w.sum(), per_patch


def _bag_means(f, ids, y):
    nb = y.shape[0]
    sums = torch.zeros(nb, dtype=f.dtype).index_add(0, ids, f)
    counts = torch.zeros(nb, dtype=f.dtype).index_add(0, ids, torch.ones_like(f))
    return sums / counts


def _aggregate_bag_loss(I, A):
    f, ids, y = I["pred"], I["bag_ids"], I["bag_y"]
    return _reduce((y - _bag_means(f, ids, y)) ** 2, A["reduction"])


def _aggregate_instance_loss(I, A):
    f, ids, y = I["pred"], I["bag_ids"], I["bag_y"]
    return _reduce((y[ids] - f) ** 2, A["reduction"])


def _aggregate_interp_loss(I, A):
    f, ids, y, rho = I["pred"], I["bag_ids"], I["bag_y"], A["rho"]
    fbar = _bag_means(f, ids, y)
    l_bag = ((y - fbar) ** 2).mean()
    if A["variant"] == "convex":
        return rho * ((y[ids] - f) ** 2).mean() + (1 - rho) * l_bag
    return l_bag + rho * ((f - fbar[ids]) ** 2).mean()


def _iou_aware_loss(I, A):
    p, g = _xyxy(I["pred_boxes"]), _xyxy(I["target_boxes"])

    def area(b):
        return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])

    inter = (torch.minimum(p[:, 2:], g[:, 2:]) - torch.maximum(p[:, :2], g[:, :2]))
    inter = inter.clamp(min=0).prod(-1)
    iou = inter / (area(p) + area(g) - inter)
    loss = F.binary_cross_entropy_with_logits(I["input"], iou, reduction="none")
    if A["num_boxes"] > 0:
        return loss.sum() / A["num_boxes"]
    return _reduce(loss, A["reduction"])


def _fedld_marginal_log_loss(I, A):
    z, y = I["input"], I["target"]
    p = torch.softmax(z, 1)
    return F.cross_entropy(z, y) + A["lam"] * torch.log1p((p * p).sum())


def _anyloss(I, A):
    p, m, s = I["input"], A["metric"], 1e-5
    a = torch.sigmoid(A["L"] * (p - 0.5))
    y = I["target"].to(p.dtype)
    n = float(p.numel())
    y1 = y.sum()
    y0 = n - y1
    tp = (y * a).sum()
    tn = n - y1 - a.sum() + tp
    if m == "fbeta":
        b2 = A["beta"] ** 2
        metric = (1 + b2) * tp / (b2 * y1 + a.sum() + s)
    elif m == "gmean":
        metric = tp * tn / (y1 * y0 + s)
    elif m == "gmean_sqrt":
        metric = torch.sqrt(tp / (y1 + s) * tn / (y0 + s))
    elif m == "bacc":
        metric = (y0 * tp + y1 * tn) / (2 * y1 * y0 + s)
    else:
        metric = (tp + tn) / n
    return 1 - metric


def _normalized_softmax_loss(I, A):
    x, w = I["input"], I["proxies"]
    if A["pre_layernorm"]:
        x = F.layer_norm(x, x.shape[-1:])
    s = F.normalize(x, dim=1) @ F.normalize(w, dim=1).t() / A["temperature"]
    return F.cross_entropy(s, I["target"], reduction=A["reduction"])


def _ebv_generation_loss(I, A):
    w = F.normalize(I["weight"], dim=1)
    m = (w @ w.t()).abs() - torch.eye(w.shape[0], dtype=w.dtype)
    return _reduce(F.relu(m - A["thr"]), A["reduction"])


def _uao_uncertainty_loss(I, A):
    s = I["log_sigma"].squeeze(-1)
    return _reduce((I["target"] - I["input"]).norm(dim=-1) * torch.exp(-s) + s, A["reduction"])


def _joint_sample_loss(I, A):
    pred, gt, mask = I["input"], I["target"], I["mask"].to(I["input"].dtype)
    d = ((mask[:, None, :, None] * (pred - gt[:, None])) ** 2).sum((-1, -2))
    return d.mean(0).min() if A["joint"] else d.min(1).values.mean()


def _binary_kl_regression_loss(I, A):
    z, r = I["input"] + I["xi"], I["target"]
    if A["variant"] == "squared":
        return _reduce((z - r) ** 2, A["reduction"])
    entropy = -(torch.xlogy(r, r) + torch.xlogy(1 - r, 1 - r))
    l = F.binary_cross_entropy_with_logits(z, r, reduction="none") - entropy
    return _reduce(l, A["reduction"])


def _tals_loss(I, A):
    pred, gt, conf, thresh = I["input"], I["target"], I["conf"], I["thresh"]
    valid = ((((pred - gt) ** 2).sum(-1) * conf) > thresh).to(pred.dtype)
    weight = conf * (valid + A["w"] * (1 - valid))
    return _reduce(weight[..., None] * (pred - gt).abs(), A["reduction"])


def _sparse_objective(penalty):
    def ref(I, A):
        x, y, m = I["input"], I["measurements"], I["matrix"]
        rows = 0.5 * ((y - x @ m.t()) ** 2).sum(-1) + A["lam"] * penalty(x)
        return _reduce(rows, A["reduction"])
    return ref


def _running_sum_probe_loss(I, A):
    pred = torch.einsum("bkhd,hd->bkh", I["head_out"], I["weight"])
    return _reduce((pred - I["target"][..., None]) ** 2, A["reduction"])


def _fixmatch_confidence_ce(I, A):
    s, w, ignore = I["input"], I["weak"], I["ignore"]
    conf, yhat = w.softmax(1).max(1)
    l = F.cross_entropy(s, yhat, reduction="none")
    valid = (ignore != A["ignore_value"]).to(l.dtype)
    n = valid.sum()
    hi = (conf >= A["tau"]).to(l.dtype) * valid
    if A["mode"] == "pixelwise":
        return (l * hi).sum() / n
    if A["mode"] == "pixelratio":
        r = hi.sum((1, 2), keepdim=True) / valid.sum((1, 2), keepdim=True)
        return (l * r).sum() / n
    a = (conf * valid).sum((1, 2), keepdim=True) / valid.sum((1, 2), keepdim=True)
    return (l.sum() * a).sum() / n


def _temporal_smoothness_loss(I, A):
    pred, target = I["input"], I["target"]
    mask = I.get("mask", torch.ones(pred.shape[:2], dtype=pred.dtype))
    err = ((pred[:, 1:] - pred[:, :-1]) - (target[:, 1:] - target[:, :-1])) * mask[:, 1:, None]
    init = pred[:, 0] - target[:, 0]
    return (err.pow(2).sum() + init.pow(2).sum()) / (mask.sum() * pred.shape[-1])


def _dequity_focal_loss(I, A):
    w = (A["eta"] + (1 - I["likelihood"]) ** A["gamma"]) / (A["eta"] + 1)
    return _reduce(w * I["losses"], A["reduction"])


def _cox_ph_loss(I, A):
    # Breslow ties: for each event, the risk set is every sample whose time is >= its own
    r, t, e = I["risk"], I["time"], I["event"].to(I["risk"].dtype)
    at_risk = (t[None, :] >= t[:, None]).to(r.dtype)
    log_risk = torch.logsumexp(r[None, :] + torch.log(at_risk), 1)
    total = -((r - log_risk) * e).sum()
    z = {"samples": float(r.numel()), "events": e.sum().clamp(min=1), "sum": 1.0}[A["reduction"]]
    return total / z


def _ensloss(I, A):
    f, u = I["input"], I["u"]
    y = 2 * I["target"].to(f.dtype) - 1
    m = y * f
    md = m.detach()
    g = (-torch.exp(u)).sort().values.clamp(min=-1.0)
    g = torch.empty_like(g).scatter_(0, md.argsort(stable=True), g)
    g = torch.where(md > 1, g / md, g)
    return ((g.detach() - 1e-6) * m).mean()


def _deep_supervision_loss(I, A):
    y, w = I["target"], I["weights"]
    rows = sum(w[i] * F.cross_entropy(z, y, reduction="none")
               for i, z in enumerate(I["head_logits"]))
    return _reduce(rows, A["reduction"])


REFS = {
    "fedld_marginal_log_loss": _fedld_marginal_log_loss,
    "anyloss": _anyloss,
    "normalized_softmax_loss": _normalized_softmax_loss,
    "ebv_generation_loss": _ebv_generation_loss,
    "fixmatch_confidence_ce": _fixmatch_confidence_ce,
    "ebv_logits": lambda I, A: F.normalize(I["features"], dim=1) @ I["basis"].t() / A["tau"],
    "masked_mae_loss": _masked_mae_loss,
    "pseudo_huber_loss": _pseudo_huber_loss,
    "cauchy_loss": _cauchy_loss,
    "giou_loss": _giou_loss,
    "iou_aware_loss": _iou_aware_loss,
    "mae_norm_pix_loss": _mae_norm_pix_loss,
    "aggregate_bag_loss": _aggregate_bag_loss,
    "aggregate_instance_loss": _aggregate_instance_loss,
    "aggregate_interp_loss": _aggregate_interp_loss,
    "uao_uncertainty_loss": _uao_uncertainty_loss,
    "joint_sample_loss": _joint_sample_loss,
    "binary_kl_regression_loss": _binary_kl_regression_loss,
    "tals_loss": _tals_loss,
    "lasso_objective_loss": _sparse_objective(lambda x: x.abs().sum(-1)),
    "l0_objective_loss": _sparse_objective(lambda x: (x != 0).sum(-1).to(x.dtype)),
    "running_sum_probe_loss": _running_sum_probe_loss,
    "temporal_smoothness_loss": _temporal_smoothness_loss,
    "dequity_focal_loss": _dequity_focal_loss,
    "cox_ph_loss": _cox_ph_loss,
    "ensloss": _ensloss,
    "deep_supervision_loss": _deep_supervision_loss,
}


def _pinn_schrodinger_loss(I, A):
    x = I["x"].detach().requires_grad_(True)
    net = F.linear(torch.tanh(F.linear(x, I["w1"], I["b1"])), I["w2"], I["b2"])
    psi = x * (1 - x) * net
    d1 = torch.autograd.grad(psi.sum(), x, create_graph=True)[0]
    d2 = torch.autograd.grad(d1.sum(), x, create_graph=True)[0]
    e = I["energy"].reshape(())
    res = -d2 + I["v"] * psi - e * psi
    norm = torch.trapz(psi.squeeze(-1) ** 2, x.detach().squeeze(-1))
    return res.pow(2).mean() + A["lambda_norm"] * (norm - 1) ** 2


def _impact_synth_loss(I, A):
    fs, fc = I.get("feats_sct", []), I.get("feats_ct", [])
    w = I["layer_weights"].tolist() if "layer_weights" in I else [1.0] * len(fs)
    loss = A["pix_weight"] * F.l1_loss(I["sct"], I["ct"].detach())
    for wl, a, b in zip(w, fs, fc):
        # a skipped layer still gets its (zero) gradient, as in lathe
        loss = loss + (wl * F.l1_loss(a, b.detach()) if wl != 0 else 0 * a.sum())
    return loss


REFS["pinn_schrodinger_loss"] = _pinn_schrodinger_loss
REFS["impact_synth_loss"] = _impact_synth_loss
