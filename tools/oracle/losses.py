"""PyTorch oracle for the losses lathe implements so far (docs/ops-losses.md): writes
tests/fixtures/oracle/<op>.safetensors.

    /usr/bin/python3 tools/oracle/losses.py [--out DIR] [--only OP[,OP]] [--check]

References are written from the catalog's formulas (catalog/classification.md, distillation.md,
regression.md) with PyTorch 1.13 calls where the catalog names one as the definition
(F.cross_entropy, F.kl_div, F.mse_loss, F.l1_loss). Ops and cases use prims.py's tables."""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prims  # noqa: E402
from common import normal, uniform  # noqa: E402
from prims import case, f64, i64  # noqa: E402

LOSS_OPS = []


def loss_op(name, inputs, ref, nograd=(), **attrs):
    prims.op(name, inputs, ref, outputs="loss", **attrs)
    prims.NOGRAD[name] = set(nograd)
    LOSS_OPS.append(name)


def _cross_entropy(I, A):
    z, target, w = I["input"], I["target"], I.get("weight")
    w = None if w is None else w.detach()  # class weights are not differentiated (kNoGrad)
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
    s, t, T = I["student"], I["teacher"].detach(), A["temperature"]
    if A["variant"] == "batchmean":
        return T * T * F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1),
                                reduction="sum") / s.shape[0]
    if A["variant"] == "elementwise":
        s = s[:, :t.shape[1]]
        return T * T * F.kl_div(F.log_softmax(s / T, -1), F.log_softmax(t / T, -1),
                                reduction="mean", log_target=True)
    kd = -A["alpha"] * T * T * (F.softmax(t / T, 1) * torch.log(F.softmax(s / T, 1))).sum(1).mean()
    return kd + (1 - A["alpha"]) * F.cross_entropy(s, I["labels"])


loss_op("cross_entropy", "input target weight?", _cross_entropy, nograd=("weight",),
        ignore_index=("int", -100),
        label_smoothing=("float", 0.0), reduction=("string", "mean"),
        smoothing=("string", "uniform"))
loss_op("kd_kl_loss", "student teacher labels?", _kd_kl_loss, nograd=("teacher",),
        temperature=("float", 4.0),
        variant=("string", "batchmean"), alpha=("float", 0.5))
loss_op("mse_loss", "input target",
        lambda I, A: F.mse_loss(I["input"], I["target"], reduction=A["reduction"]),
        reduction=("string", "mean"))
loss_op("l1_loss", "input target",
        lambda I, A: F.l1_loss(I["input"], I["target"], reduction=A["reduction"]),
        reduction=("string", "mean"))


def probs(r, shape):
    p = uniform(r, shape, 0.1, 1.0)
    return p / p.sum(1, keepdims=True)


case("cross_entropy", "basic", "logits [5,4], class indices",
     lambda r: {"input": normal(r, (5, 4)), "target": i64([0, 3, 1, 2, 2])})
case("cross_entropy", "weight_smoothing", "class weights and label smoothing 0.1",
     lambda r: {"input": normal(r, (5, 4)), "target": i64([0, 3, 1, 2, 2]),
                "weight": uniform(r, (4,), 0.5, 2.0)}, label_smoothing=0.1)
case("cross_entropy", "ignore_weight_smoothing", "ignore_index rows with weights and smoothing",
     lambda r: {"input": normal(r, (6, 5)), "target": i64([0, -100, 3, 4, -100, 2]),
                "weight": uniform(r, (5,), 0.5, 2.0)}, label_smoothing=0.2)
case("cross_entropy", "ignore_255_sum", "ignore_index 255, reduction sum",
     lambda r: {"input": normal(r, (4, 3)), "target": i64([2, 255, 0, 1])},
     ignore_index=255, reduction="sum")
case("cross_entropy", "soft_targets", "probability targets with smoothing 0.1 and weights",
     lambda r: {"input": normal(r, (4, 3)), "target": probs(r, (4, 3)),
                "weight": uniform(r, (3,), 0.5, 2.0)}, label_smoothing=0.1)
case("cross_entropy", "dense", "logits [2,3,2,2], targets [2,2,2], reduction none",
     lambda r: {"input": normal(r, (2, 3, 2, 2)),
                "target": i64([[[0, 2], [1, 1]], [[2, 0], [0, 1]]])}, reduction="none")
case("cross_entropy", "extreme", "logits of +-1e4: finite, no overflow",
     lambda r: {"input": f64([[1e4, 0.0, -1e4], [-1e4, 1e4 - 1, 1e4]]), "target": i64([1, 2])})
case("cross_entropy", "c1", "a single class: loss 0",
     lambda r: {"input": normal(r, (3, 1)), "target": i64([0, 0, 0])})
case("cross_entropy", "exclusive", "fairseq's exclusive smoothing with an ignored row",
     lambda r: {"input": normal(r, (5, 4)), "target": i64([0, 3, -100, 2, 1])},
     label_smoothing=0.1, smoothing="exclusive")
case("kd_kl_loss", "batchmean", "T 4, student and teacher [4,5]",
     lambda r: {"student": normal(r, (4, 5)), "teacher": normal(r, (4, 5), 2.0)})
case("kd_kl_loss", "t1", "T 1", lambda r: {"student": normal(r, (3, 4)),
                                         "teacher": normal(r, (3, 4))}, temperature=1.0)
case("kd_kl_loss", "extreme_teacher", "teacher logits +-1e4: p^t has exact zeros",
     lambda r: {"student": normal(r, (2, 3)), "teacher": f64([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])},
     temperature=1.0)
case("kd_kl_loss", "elementwise", "student [3,6] (first 4 classes used), teacher [3,4]",
     lambda r: {"student": normal(r, (3, 6)), "teacher": normal(r, (3, 4))}, variant="elementwise")
case("kd_kl_loss", "cls_kd", "alpha 0.3 plus the student's cross-entropy",
     lambda r: {"student": normal(r, (4, 5)), "teacher": normal(r, (4, 5)),
                "labels": i64([0, 4, 2, 1])}, variant="cls_kd", alpha=0.3)
case("mse_loss", "mean", "[3,4]", lambda r: {"input": normal(r, (3, 4)), "target": normal(r, (3, 4))})
case("mse_loss", "none", "[5], reduction none",
     lambda r: {"input": normal(r, (5,)), "target": normal(r, (5,))}, reduction="none")
case("l1_loss", "sum", "[3,4], away from equality",
     lambda r: {"input": normal(r, (3, 4)), "target": normal(r, (3, 4)) + 5.0}, reduction="sum")
case("l1_loss", "at_zero", "input == target in two places: subgradient 0",
     lambda r: {"input": f64([1.0, 2.0, 3.0, -1.0]), "target": f64([1.0, 0.5, 3.0, 2.0])})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(prims.ROOT, "tests", "fixtures", "oracle"))
    ap.add_argument("--only", default="", help="comma-separated op names")
    ap.add_argument("--check", action="store_true",
                    help="also compare autograd with finite differences (writes nothing more)")
    args = ap.parse_args()
    listed = prims.doc_ops(os.path.join(prims.ROOT, "docs", "ops-losses.md"))
    assert sorted(listed) == sorted(LOSS_OPS), "losses.py and docs/ops-losses.md disagree"
    only = [s for s in args.only.split(",") if s]
    for s in only:
        assert s in LOSS_OPS, "unknown op %r" % s
    counts = prims.write_op_fixtures(only or LOSS_OPS, args.out, args.check)
    for op_name, n in counts.items():
        print("%-14s %d" % (op_name, n))
    print("%d bytes in %s" % (prims.fixture_bytes(args.out, only or LOSS_OPS), args.out))


if __name__ == "__main__":
    main()
