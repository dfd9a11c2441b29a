"""PyTorch references for the "other" family's ops in losses/other/ (docs/ops-layers.md),
run by oracle.py on the C++ cases (tests/losses/<op>.cpp). Written from the formulas of
catalog other.md and the official code each op's header comment names; distances are computed
the plain way ([B, E, d] broadcasts), not by lathe's GEMM expansions, so the two differ in
rounding only."""
import math

import torch
import torch.nn.functional as F


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _sq(a, b):
    return ((a[:, None] - b[None]) ** 2).sum(-1)


def _nfe(I, A):
    h, r, ent, tail = I["head"], I["relation"], I["entities"], I["tail"]
    gamma, d = A["gamma"], r.shape[1] // 2
    r_mu, r_s = r[:, :d], r[:, d:]
    mu1, t_mu = r_s * h[:, :d] + r_mu, ent[:, :d]
    if A["variant"] == "nfe1":
        s1, s2 = (r_s * h[:, d:]).abs(), ent[:, d:].abs()
        scores = gamma - (_sq(mu1, t_mu) + _sq(s1, s2))
    elif A["variant"] == "nfe2":
        s1, s2 = (r_s * h[:, d:2 * d]).abs(), (r_s * h[:, 2 * d:]).abs()
        s3, s4 = ent[:, d:2 * d].abs(), ent[:, 2 * d:].abs()
        diff = mu1[:, None] - t_mu[None]
        shift = (s2 - s1)[:, None] + (s3 - s4)[None]
        scores = gamma - (_sq(mu1, t_mu) + _sq(s1, s3) / 2 + _sq(s2, s4) / 2
                          + math.sqrt(2 / math.pi) * (diff * shift).sum(-1))
    else:
        s1, s2 = F.softplus(r_s) * F.softplus(h[:, d:]), F.softplus(ent[:, d:])[None]
        kl = (s1[:, None] ** 2 / (2 * s2 ** 2)).sum(-1) - torch.log(s1).sum(-1)[:, None] \
            + torch.log(s2[0]).sum(-1)[None] - d / 2 \
            + ((mu1[:, None] - t_mu[None]) ** 2 / (2 * s2 ** 2)).sum(-1)
        scores = gamma - kl
    sign = 1 - 2 * F.one_hot(tail.long(), scores.shape[1]).to(scores.dtype)
    return _reduce(F.softplus(sign * scores).sum(-1), A["reduction"])


def _depict(I, A):
    q = I["target"].detach()
    return _reduce(-(q * F.log_softmax(I["input"], 1)).sum(1), A["reduction"])


def _itta(I, A):
    w, b = I["weight"], I["bias"]
    x = I["z_a"] - I["z_o"]
    for i in range(w.shape[0] - 1):
        x = torch.relu(w[i] * x + b[i])
    x = w[-1] * x + b[-1]
    zero = torch.zeros_like(x)
    return F.mse_loss(x, zero, reduction=A["reduction"])


def _loki(I, A):
    obj = I["probs"] @ I["sq_dist"].t()
    # np.argmin semantics: the first index of the minimum
    m = obj.detach().min(-1, keepdim=True).values
    idx = torch.arange(obj.shape[-1]).expand_as(obj)
    first = torch.where(obj.detach() == m, idx, torch.full_like(idx, obj.shape[-1])).min(-1)
    return obj, first.values


def _datamodel(I, A):
    d = I["input"] - I["target"].detach()
    return _reduce((d * d).sum(-1), A["reduction"])


def _motion(I, A):
    a, b = I["m_video"].reshape(1, -1), I["m_motion"].reshape(1, -1)
    return 1 - F.cosine_similarity(a, b, dim=1, eps=A["eps"])[0]


REFS = {
    "nfe_score_loss": _nfe,
    "depict_cluster_loss": _depict,
    "itta_consistency_loss": _itta,
    "loki_frechet_predict": _loki,
    "datamodel_matching_loss": _datamodel,
    "motion_video_consistency_loss": _motion,
}
