"""PyTorch references for the torch.nn.functional parity losses (issue 17; docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/<op>.cpp).

These ops are defined as PyTorch 1.13's functions, so each reference is the torch.nn.functional
call with lathe's attrs mapped to PyTorch's arguments (same names and defaults). Where lathe
departs on purpose (a batch whose targets are all ignored: 0, not NaN), no case reaches it here;
tests/losses/parity_test.cpp checks those values by hand."""
import torch.nn.functional as F


def _kl_div(I, A):
    return F.kl_div(I["input"], I["target"], reduction=A["reduction"], log_target=A["log_target"])


def _triplet_with_distance(I, A):
    if A["distance_function"] == "cosine":
        def dist(x, y):
            return 1.0 - F.cosine_similarity(x, y, dim=-1)
    else:
        dist = None  # PyTorch's default: pairwise_distance, p 2, eps 1e-6
    return F.triplet_margin_with_distance_loss(
        I["anchor"], I["positive"], I["negative"], distance_function=dist, margin=A["margin"],
        swap=A["swap"], reduction=A["reduction"])


REFS = {
    "nll_loss": lambda I, A: F.nll_loss(I["input"], I["target"], weight=I.get("weight"),
                                        ignore_index=A["ignore_index"],
                                        reduction=A["reduction"]),
    "kl_div": _kl_div,
    "binary_cross_entropy": lambda I, A: F.binary_cross_entropy(
        I["input"], I["target"], weight=I.get("weight"), reduction=A["reduction"]),
    "huber_loss": lambda I, A: F.huber_loss(I["input"], I["target"], reduction=A["reduction"],
                                            delta=A["delta"]),
    "smooth_l1_loss": lambda I, A: F.smooth_l1_loss(I["input"], I["target"],
                                                    reduction=A["reduction"], beta=A["beta"]),
    "poisson_nll_loss": lambda I, A: F.poisson_nll_loss(
        I["input"], I["target"], log_input=A["log_input"], full=A["full"], eps=A["eps"],
        reduction=A["reduction"]),
    "gaussian_nll_loss": lambda I, A: F.gaussian_nll_loss(
        I["input"], I["target"], I["var"], full=A["full"], eps=A["eps"],
        reduction=A["reduction"]),
    "soft_margin_loss": lambda I, A: F.soft_margin_loss(I["input"], I["target"],
                                                        reduction=A["reduction"]),
    "multilabel_soft_margin_loss": lambda I, A: F.multilabel_soft_margin_loss(
        I["input"], I["target"], weight=I.get("weight"), reduction=A["reduction"]),
    "multilabel_margin_loss": lambda I, A: F.multilabel_margin_loss(
        I["input"], I["target"], reduction=A["reduction"]),
    "multi_margin_loss": lambda I, A: F.multi_margin_loss(
        I["input"], I["target"], p=A["p"], margin=A["margin"], weight=I.get("weight"),
        reduction=A["reduction"]),
    "hinge_embedding_loss": lambda I, A: F.hinge_embedding_loss(
        I["input"], I["target"], margin=A["margin"], reduction=A["reduction"]),
    "margin_ranking_loss": lambda I, A: F.margin_ranking_loss(
        I["input1"], I["input2"], I["target"], margin=A["margin"], reduction=A["reduction"]),
    "cosine_embedding_loss": lambda I, A: F.cosine_embedding_loss(
        I["input1"], I["input2"], I["target"], margin=A["margin"], reduction=A["reduction"]),
    "triplet_margin_loss": lambda I, A: F.triplet_margin_loss(
        I["anchor"], I["positive"], I["negative"], margin=A["margin"], p=A["p"], eps=A["eps"],
        swap=A["swap"], reduction=A["reduction"]),
    "triplet_margin_with_distance_loss": _triplet_with_distance,
    "ctc_loss": lambda I, A: F.ctc_loss(
        I["log_probs"], I["targets"], I["input_lengths"], I["target_lengths"], blank=A["blank"],
        reduction=A["reduction"], zero_infinity=A["zero_infinity"]),
}
