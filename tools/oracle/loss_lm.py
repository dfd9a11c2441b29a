"""PyTorch references for the language-modelling losses (catalog/lm.md, docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas; where
every token is ignored lathe returns 0 (the loss contract), which these cases do not reach."""
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


REFS = {
    "logit_z_loss": _logit_z_loss,
    "unlikelihood_loss": _unlikelihood_loss,
    "margin_rank_calibration_loss": _margin_rank_calibration_loss,
}
