"""PyTorch references for the embedding losses of the second slice (losses/*/..._more.h), run
by oracle.py on the C++ cases (tests/losses/embedding2.cpp). Each reference is written from
the formulas of the ops' opening comments, with plain torch."""
import math

import torch
import torch.nn.functional as F


def _reduce(v, reduction):
    return {"none": v, "sum": v.sum(), "mean": v.mean()}[reduction]


def _hyp_pc_loss(I, A):
    f, c = I["f"], A["c"]
    h = f.shape[0] // 2
    x, y = -f[:h], f[h:]
    x2, y2 = (x * x).sum(1, keepdim=True), (y * y).sum(1, keepdim=True)
    xy = (x * y).sum(1, keepdim=True)
    m = ((1 + 2 * c * xy + c * y2) * x + (1 - c * x2) * y) / (1 + 2 * c * xy + c * c * x2 * y2
                                                             + 1e-5)
    n = c ** 0.5 * torch.linalg.vector_norm(m, dim=1)
    d = torch.atanh(n.clamp(max=1 - 1e-5)) if A["true_distance"] else torch.atan(n)
    per_pair = 2 / c ** 0.5 * d
    # the reference's sum / B is a mean over pairs of d / 2
    return _reduce(per_pair / 2, A["reduction"])


def _unpg_loss(I, A):
    cm, x, y = I["cos_margin"], I["x"], I["labels"]
    xn = F.normalize(x, dim=1)
    s = xn @ xn.t()
    b = len(y)
    neg = [s[i, j] for i in range(b) for j in range(i + 1, b) if y[i] != y[j]]
    logits = cm
    if neg:
        sn = torch.stack(neg)
        srt = sn.detach().sort().values
        q1, q3 = srt[int(0.25 * len(srt))], srt[int(0.75 * len(srt))]
        lo, hi = q1 - A["wisk"] * (q3 - q1), q3 + A["wisk"] * (q3 - q1)
        kept = sn[(sn >= lo) & (sn <= hi)]
        logits = torch.cat([cm, kept[None, :].expand(b, -1)], 1)
    return _reduce(F.cross_entropy(A["s"] * logits, y, reduction="none"), A["reduction"])


def _group_symmetric_triplet_loss(I, A):
    f = I["features"]
    n = f.shape[0] // 2
    a, b = f[:n], f[n:]
    h = n // 2
    la = F.triplet_margin_loss(a[:h], a[n - h:], b[:h], margin=A["margin"])
    lb = F.triplet_margin_loss(b[:h], b[len(b) - h:], a[:h], margin=A["margin"])
    return A["weight"] * (la + lb)


def _energy_confusion_loss(I, A):
    f, y = I["embeddings"], I["labels"]
    d2 = ((f[:, None, :] - f[None, :, :]) ** 2).sum(-1)
    neg = y[:, None] != y[None, :]
    return d2[neg].mean() if neg.any() else f.sum() * 0


def _soft_dtw(x, y, g):
    cost = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    n, m = cost.shape
    r = {}
    for i in range(n):
        for j in range(m):
            prev = [r[k] for k in ((i - 1, j), (i, j - 1), (i - 1, j - 1)) if k in r]
            if not prev:
                r[i, j] = cost[i, j]
            else:
                r[i, j] = cost[i, j] - g * torch.logsumexp(-torch.stack(prev) / g, 0)
    return r[n - 1, m - 1]


def _soft_dtw_triplet_loss(I, A):
    a, p, n, g = I["anchor"], I["positive"], I["negative"], A["gamma"]
    per = torch.stack([F.relu(_soft_dtw(a[t], p[t], g) - _soft_dtw(a[t], n[t], g) + A["margin"])
                       for t in range(a.shape[0])])
    return _reduce(per, A["reduction"])


def _icnn_score_loss(I, A):
    o, yo = I["origin"], I["labels"]
    t, yt = (I["target"], I["target_labels"]) if "target" in I else (o, yo)
    n = t.shape[0]
    k = n - 2 if A["k"] + 2 >= n else A["k"]
    ipc = k + 1 if A["ipc"] == 0 else A["ipc"]
    eps = 1e-7
    dist = (((o[:, None, :] - t[None, :, :]) ** 2).sum(2) + 1e-6).sqrt()
    d, idx = dist.topk(ipc + 1, largest=False)
    d, idx = d[:, 1:], idx[:, 1:]
    sc = yo[:, None] == yt[idx]
    dcnd = d * (~sc)
    nn_dc = dcnd.masked_fill(dcnd == 0, float("inf")).min(1, keepdim=True).values
    nd = d[:, :k] / (nn_dc + eps)
    nd = nd / nd.max(1, keepdim=True).values.clamp(min=1)
    sck, dck = sc[:, :k].to(d.dtype), (~sc[:, :k]).to(d.dtype)
    sc_cnt, dc_cnt = sck.sum(1), dck.sum(1)
    lam_sc = 1 - (((nd * sck).sum(1) / (sc_cnt + eps)).sum()
                  / ((sc_cnt > 0).sum() + eps))
    dk = dcnd[:, :k]
    dk = dk / (dk.max() + eps)
    dcop = -1.0 if bool((dc_cnt == 0).all()) else 0.0
    lam_dc = ((dk.sum(1) / (dc_cnt + eps)).sum() / ((dc_cnt > 0).sum() + eps) + dcop).abs()
    gamma = sc_cnt.sum() / (k * o.shape[0]) if k + 2 < n else 1.0
    return -torch.log(((lam_sc + lam_dc) / 2 + gamma) / 2)


def _amcl_loss(I, A):
    a, p, ng = F.normalize(I["anchor"], dim=-1), F.normalize(I["positive"], dim=-1), \
        F.normalize(I["negatives"], dim=-1)
    tp, tn, beta = I["tau_pos"], I["tau_neg"], A["beta"]
    pos = (a * p).sum(-1)
    sneg = (a[:, None, :] * ng).sum(-1)
    vals, idx = sneg.topk(min(A["topk"], ng.shape[1]), dim=1)
    tt = tn.gather(1, idx)
    dim = a.shape[1]
    per = (-pos / tp + (vals / tt).mean(1) + beta * (0.5 * dim * torch.log(tp) + 1 / tp)
           - beta * (torch.log(tt) + 1 / tt).sum(1))
    return _reduce(per, A["reduction"])


def _nspt_contrastive_loss(I, A):
    zs, zt, y, tau = F.normalize(I["zs"], dim=1), F.normalize(I["zt"].detach(), dim=1), \
        I["labels"], A["tau"]
    pos, neg = zs @ zt.t() / tau, zs @ zs.t() / tau
    same = y[:, None] == y[None, :]
    lse = torch.logsumexp(neg.masked_fill(same, float("-inf")), 1, keepdim=True)
    logp = pos - torch.logaddexp(pos, lse.expand_as(pos))
    p = same.to(zs.dtype)
    return _reduce(-(logp * p).sum(1) / p.sum(1), A["reduction"])


def _mm_supcon_loss(I, A):
    s = F.normalize(I["za"], dim=1) @ F.normalize(I["zt"], dim=1).t() / A["tau"]
    y = I["labels"]
    p = (y[:, None] == y[None, :]).to(s.dtype)
    logp = s - torch.logsumexp(s, 1, keepdim=True)
    return _reduce(-(logp * p).sum(1) / p.sum(1), A["reduction"])


def _isogclr_loss(I, A):
    z1, z2 = F.normalize(I["z1"], dim=1), F.normalize(I["z2"], dim=1)
    idx = I["index"]
    s_bar, tau_s, u = I["s_bar"].clone(), I["tau"].clone(), I["u"].clone()
    b = z1.shape[0]
    keep = ~torch.eye(b, dtype=torch.bool).repeat(1, 2)
    pos = (z1 * z2).sum(1)
    negs = [torch.cat([z1 @ z1.t(), z1 @ z2.t()], 1)[keep].view(b, -1),
            torch.cat([z2 @ z2.t(), z2 @ z1.t()], 1)[keep].view(b, -1)]
    tau = tau_s[idx]
    per, sbars, gtau = [], [], 0
    for v, neg in enumerate(negs):
        e = torch.exp(neg.detach() / tau[:, None])
        g = e.mean(1)
        sb = g if A["first"] else (1 - A["gamma"]) * s_bar[idx, v] + A["gamma"] * g
        w = e / sb[:, None]
        per.append((w * neg).mean(1) - pos)
        sbars.append(sb)
        gtau = gtau + (torch.log(sb) + A["rho"]
                       - (w * neg.detach() / tau[:, None]).mean(1)).clamp(-3, 3) / 2
    u_rows = (1 - A["beta_u"]) * u[idx] + A["beta_u"] * gtau
    tau_rows = (tau - A["eta"] * u_rows).clamp(A["tau_min"], A["tau_max"])
    for i, k in enumerate(idx.tolist()):  # in order: a repeated index keeps its last row
        s_bar[k, 0], s_bar[k, 1] = sbars[0][i].detach(), sbars[1][i].detach()
        u[k], tau_s[k] = u_rows[i].detach(), tau_rows[i].detach()
    return _reduce(torch.cat(per), A["reduction"]), s_bar, tau_s, u


def _metrix_loss(I, A):
    d = torch.linalg.vector_norm(F.normalize(I["anchor"], dim=1) - F.normalize(I["mixed"], dim=1),
                                 dim=1)
    lam = A["lam"]

    def avg_nz(v):
        return v.sum() / (v > 0).sum() if (v > 0).any() else v.sum() * 0
    return avg_nz(lam * F.relu(d)) + avg_nz((1 - lam) * F.relu(A["neg_margin"] - d))


def _temporal_cycle_consistency_loss(I, A):
    u, v = I["u"], I["v"]
    scale = 1.0 / u.shape[1] / A["temperature"]

    def sim(a, b):
        if A["similarity"] == "cosine":
            return a @ b.t() * scale
        sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.t()
        return -sq.clamp(min=0) * scale
    logits = sim(torch.softmax(sim(u, v), 1) @ v, u)
    n = u.shape[0]
    var = A["variant"]
    if var == "classification":
        per = F.cross_entropy(logits, torch.arange(n), label_smoothing=A["label_smoothing"],
                              reduction="none")
        return _reduce(per, A["reduction"])
    t = torch.arange(n, dtype=u.dtype)
    if A["seq_len"] > 0:
        t = t / A["seq_len"]
    beta = torch.softmax(logits, 1)
    mu = beta @ t
    if var == "regression_mse_var":
        logvar = torch.log((beta * (t[None, :] - mu[:, None]) ** 2).sum(1))
        per = torch.exp(-logvar) * (t - mu) ** 2 + A["lam"] * logvar
    elif var == "regression_mse":
        per = (t - mu) ** 2
    else:
        per = F.huber_loss(mu, t, delta=A["huber_delta"], reduction="none")
    return _reduce(per, A["reduction"])


def _symface_loss(I, A):
    return _reduce(1 - F.cosine_similarity(I["e_left"], I["e_right"], dim=-1), A["reduction"])


def _glocal_alignment_loss(I, A):
    p_obs, z_ori = I["p_obs"], I["z_ori"]
    if A["variant"] == "cos":
        return 1 - F.cosine_similarity(p_obs, z_ori.detach(), dim=1, eps=1e-8).mean()
    a = F.normalize(p_obs, dim=-1)
    c = F.normalize(I["p_ori"], dim=-1).detach()
    logits = a @ c.transpose(-1, -2)
    t = logits.shape[1]
    return F.cross_entropy(logits, torch.arange(t).repeat(logits.shape[0], 1))


def _pamc_meta_node_contrastive(I, A):
    z, adj, q, tau = I["z"], I["adj"], I["q"], A["tau"]

    def cos_offdiag(x):
        n = torch.sqrt((x * x).sum(1, keepdim=True))
        return (1 - torch.eye(x.shape[0], dtype=x.dtype)) * ((x @ x.t()) / (n @ n.t()))
    x_pos = (torch.exp(tau * cos_offdiag(z)) * adj.detach()).sum(1)
    c = F.one_hot(q.detach().argmax(1)).to(z.dtype).t() @ z
    x_neg = torch.exp(tau * cos_offdiag(c)).sum(1)
    return -torch.log(x_pos + 1e-10).mean() + torch.log(x_neg + 1e-10).mean()


def _subspace_margin_loss(I, A):
    e, a, p, n, beta = I["emb"], I["anchor"], I["positive"], I["negative"], I["beta"]
    d_ap = torch.sqrt(((e[p] - e[a]) ** 2).sum(1) + 1e-8)
    d_an = torch.sqrt(((e[n] - e[a]) ** 2).sum(1) + 1e-8)
    lp, ln = F.relu(d_ap - beta + A["margin"]), F.relu(beta - d_an + A["margin"])
    cnt = ((lp > 0) | (ln > 0)).sum()
    total = (lp + ln).sum()
    return (total + A["nu"] * beta.abs().sum()) / cnt if cnt > 0 else total


def _uvos_consistency_loss(I, A):
    q = I["s_q"].detach()[:, None, :]
    cp = F.cosine_similarity(I["s_pos"], q, dim=-1)
    cn = F.cosine_similarity(I["s_neg"], q, dim=-1)
    return F.relu(A["pos_thresh"] - cp).mean() + F.relu(cn - A["neg_thresh"]).mean()


def _snr_distance(I, A):
    a, b = I["a"], I["b"]
    return torch.var(b[None, :, :] - a[:, None, :], dim=2) / torch.var(a, dim=1)[:, None]


def _cosine_linear(I, A):
    return F.linear(F.normalize(I["x"], dim=-1), F.normalize(I["weight"], dim=-1))


def _additive_margin_logits(I, A):
    cos, y, m = I["cosine"], I["labels"], A["m"]
    oh = F.one_hot(y, cos.shape[1]).to(cos.dtype)
    if A["kind"] == "arcface":
        sin = torch.sqrt((1 - cos * cos).clamp(0, 1))
        phi = cos * math.cos(m) - sin * math.sin(m)
        if A["easy_margin"]:
            phi = torch.where(cos > 0, phi, cos)
        else:
            phi = torch.where(cos > math.cos(math.pi - m), phi,
                              cos - math.sin(math.pi - m) * m)
    else:
        phi = cos - m
    return A["s"] * (oh * phi + (1 - oh) * cos)


REFS = {
    "cosine_linear": _cosine_linear,
    "additive_margin_logits": _additive_margin_logits,
    "snr_distance": _snr_distance,
    "uvos_consistency_loss": _uvos_consistency_loss,
    "subspace_margin_loss": _subspace_margin_loss,
    "pamc_meta_node_contrastive": _pamc_meta_node_contrastive,
    "symface_loss": _symface_loss,
    "glocal_alignment_loss": _glocal_alignment_loss,
    "metrix_loss": _metrix_loss,
    "temporal_cycle_consistency_loss": _temporal_cycle_consistency_loss,
    "isogclr_loss": _isogclr_loss,
    "nspt_contrastive_loss": _nspt_contrastive_loss,
    "mm_supcon_loss": _mm_supcon_loss,
    "icnn_score_loss": _icnn_score_loss,
    "amcl_loss": _amcl_loss,
    "hyp_pc_loss": _hyp_pc_loss,
    "unpg_loss": _unpg_loss,
    "group_symmetric_triplet_loss": _group_symmetric_triplet_loss,
    "energy_confusion_loss": _energy_confusion_loss,
    "soft_dtw_triplet_loss": _soft_dtw_triplet_loss,
}
