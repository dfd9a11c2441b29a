"""PyTorch references for the losses (docs/ops-losses.md), run by oracle.py on the C++ cases
(tests/losses/).

References are written from the catalog's formulas (catalog/classification.md, distillation.md,
regression.md) with PyTorch 1.13 calls where the catalog names one as the definition
(F.cross_entropy, F.binary_cross_entropy_with_logits, F.kl_div, F.mse_loss, F.l1_loss). Inputs, attrs and their defaults come from
`lathe ops --json`: a class-weight or teacher input that lathe does not differentiate
(kNoGrad) gets no gradient here either."""
import torch
import torch.nn.functional as F


def _cross_entropy(I, A):
    z, target, w = I["input"], I["target"], I.get("weight")
    eps = A["label_smoothing"]
    if A["smoothing"] == "uniform":
        return F.cross_entropy(z, target, weight=w, ignore_index=A["ignore_index"],
                               label_smoothing=eps, reduction=A["reduction"])
    # fairseq >= 0.10: eps spread over the C - 1 other classes; rows of ignored targets give 0
    lp = F.log_softmax(z, 1)
    c = z.shape[1]
    keep = (target != A["ignore_index"]).to(z.dtype)
    nll = -lp.gather(1, target.clamp(min=0)[:, None]).squeeze(1)
    eps_i = eps / (c - 1)
    rows = ((1 - eps - eps_i) * nll + eps_i * (-lp.sum(1))) * keep
    return {"none": rows, "sum": rows.sum(), "mean": rows.sum() / keep.sum()}[A["reduction"]]


def _kd_kl_loss(I, A):
    s, t, T = I["student"], I["teacher"], A["temperature"]
    if A["variant"] == "batchmean":
        return T * T * F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1),
                                reduction="sum") / s.shape[0]
    if A["variant"] == "elementwise":
        s = s[:, :t.shape[1]]
        return T * T * F.kl_div(F.log_softmax(s / T, -1), F.log_softmax(t / T, -1),
                                reduction="mean", log_target=True)
    kd = -A["alpha"] * T * T * (F.softmax(t / T, 1) * torch.log(F.softmax(s / T, 1))).sum(1).mean()
    return kd + (1 - A["alpha"]) * F.cross_entropy(s, I["labels"])


def _reduce(rows, reduction, denominator=None):
    mean = rows.sum() / denominator if denominator is not None else rows.mean()
    return {"none": rows, "sum": rows.sum(), "mean": mean}[reduction]


def _focal_loss(I, A):
    # catalog focal_loss; ignored rows leave the mean's denominator (catalog convention)
    z, y = I["input"], I["target"]
    ce = F.cross_entropy(z, y, ignore_index=A["ignore_index"], reduction="none")
    rows = A["alpha"] * (1 - torch.exp(-ce)) ** A["gamma"] * ce
    keep = (y != A["ignore_index"]).sum().clamp(min=1).to(z.dtype)
    return _reduce(rows, A["reduction"], keep)


def _sigmoid_focal_loss(I, A):
    x, t, alpha, gamma = I["input"], I["target"], A["alpha"], A["gamma"]
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    if A["num_boxes"] > 0:
        return loss.mean(1).sum() / A["num_boxes"]
    return _reduce(loss, A["reduction"])


def _comp_sum_loss(I, A):
    # s = -log p_y = log(1 + u), then expm1((1 - tau) s) / (1 - tau): (p_y^(tau-1) - 1)/(1 - tau)
    z, y, tau = I["input"], I["target"], A["tau"]
    s = F.cross_entropy(z, y, reduction="none")
    rows = s if tau == 1.0 else torch.expm1((1.0 - tau) * s) / (1.0 - tau)
    return _reduce(rows, A["reduction"])


def _z_loss(I, A):
    # centered population variance; eps added to sigma, outside the square root
    o, y, a = I["input"], I["target"], A["a"]
    mu = o.mean(1, keepdim=True)
    sigma = o.var(1, unbiased=False, keepdim=True).sqrt()
    z_y = ((o - mu) / (sigma + A["eps"])).gather(1, y[:, None]).squeeze(1)
    return _reduce(F.softplus(a * (A["b"] - z_y)) / a, A["reduction"])


REFS = {
    "cross_entropy": _cross_entropy,
    "bce_with_logits": lambda I, A: F.binary_cross_entropy_with_logits(
        I["input"], I["target"], weight=I.get("weight"), pos_weight=I.get("pos_weight"),
        reduction=A["reduction"]),
    "focal_loss": _focal_loss,
    "sigmoid_focal_loss": _sigmoid_focal_loss,
    "logistic_loss": lambda I, A: _reduce(
        F.softplus(-I["labels"] * (I["data"] @ I["weights"])), A["reduction"]),
    "comp_sum_loss": _comp_sum_loss,
    "z_loss": _z_loss,
    "kd_kl_loss": _kd_kl_loss,
    "mse_loss": lambda I, A: F.mse_loss(I["input"], I["target"], reduction=A["reduction"]),
    "l1_loss": lambda I, A: F.l1_loss(I["input"], I["target"], reduction=A["reduction"]),
}
