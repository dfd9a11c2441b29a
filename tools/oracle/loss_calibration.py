"""PyTorch references for the calibration folder (catalog/calibration.md): temperature scaling
(registered in family nn, docs/ops-core.md) and the calibration losses. Run by oracle.py on the
C++ cases (tests/losses/). Written from the catalog's formulas."""
import torch
import torch.nn.functional as F


def _correctness_aware_loss(I, A):
    z, y, t = I["logits"], I["target"], I["temperature"]
    k = (z.argmax(1) == y).to(z.dtype)
    acc = k.mean()
    w = torch.where(k > 0, 1 - acc, acc)
    conf = F.softmax(z / t, 1).max(1).values
    rows = w * (conf - k) ** 2
    return {"none": rows, "sum": rows.sum(), "mean": rows.sum() / w.sum()}[A["reduction"]]


def _mixup_cross_entropy(I, A):
    z, y, perms, w = I["input"], I["target"], I["perms"], I["weights"]
    rows = w[0] * F.cross_entropy(z, y, reduction="none")
    for k in range(perms.shape[0]):
        rows = rows + w[k + 1] * F.cross_entropy(z, y[perms[k]], reduction="none")
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


REFS = {
    "temperature_scaling": lambda I, A: I["logits"] / I["temperature"],
    "mixup_cross_entropy": _mixup_cross_entropy,
    "correctness_aware_loss": _correctness_aware_loss,
}
