"""PyTorch references for the distillation objectives beyond kd_kl_loss (whose reference stays
in losses.py), run by oracle.py on the C++ cases (tests/losses/).

Written from the formulas (catalog/distillation.md and the op files' opening comments), not
from the authors' code: DKD drops the target column by boolean indexing (mdistiller subtracts
1000 from it, which fails for logits of 1e4); the token-level divergences go through F.kl_div.
Teachers are inputs lathe does not differentiate (kNoGrad), so they get no gradient here."""
import math

import torch
import torch.nn.functional as F


def _kl_rows(log_p, log_q):
    """KL(p || q) summed over the last axis, from log-probabilities (p log p is 0 at p = 0)."""
    return F.kl_div(log_q, log_p, reduction="none", log_target=True).sum(-1)


def _tokens(rows, I, A):
    keep = torch.ones_like(rows)
    if "labels" in I:
        keep = (I["labels"] != A["ignore_index"]).to(rows.dtype)
    rows = rows * keep
    red = A["reduction"]
    if red == "none":
        return rows
    if red == "sum":
        return rows.sum()
    return rows.sum() / keep.sum().clamp(min=1)


def _dkd_loss(I, A):
    s, t, y, T = I["student"], I["teacher"], I["target"], A["temperature"]
    B, C = s.shape
    gt = F.one_hot(y, C).bool()

    def parts(z):
        lp = F.log_softmax(z / T, 1)
        binary = torch.stack([lp[gt], torch.logsumexp(lp[~gt].view(B, C - 1), 1)], 1)
        return binary, F.log_softmax(z[~gt].view(B, C - 1) / T, 1)

    bs, ns = parts(s)
    bt, nt = parts(t)
    tckd, nckd = _kl_rows(bt, bs).sum(), _kl_rows(nt, ns).sum()
    return T * T * (A["alpha"] * tckd + A["beta"] * nckd) / B


def _log_probs(I, A):
    T = A["temperature"]
    return F.log_softmax(I["student"] / T, -1), F.log_softmax(I["teacher"] / T, -1)


def _forward_kl_loss(I, A):
    ls, lt = _log_probs(I, A)
    return _tokens(_kl_rows(lt, ls), I, A)


def _reverse_kl_loss(I, A):
    ls, lt = _log_probs(I, A)
    return _tokens(_kl_rows(ls, lt), I, A)


def _generalized_jsd_loss(I, A):
    ls, lt = _log_probs(I, A)
    beta = A["beta"]
    if beta == 0:
        rows = _kl_rows(lt, ls)
    elif beta == 1:
        rows = _kl_rows(ls, lt)
    else:
        # m = beta p_t + (1 - beta) p_s, in log space
        lm = torch.logaddexp(lt + math.log(beta), ls + math.log(1 - beta))
        rows = beta * _kl_rows(lt, lm) + (1 - beta) * _kl_rows(ls, lm)
    return _tokens(rows, I, A)


def _topk_kd_loss(I, A):
    T, ids = A["temperature"], I["teacher_indices"]
    if "labels" in I:  # ignored tokens' ids are never read
        ids = ids.masked_fill((I["labels"] == A["ignore_index"])[..., None], 0)
    ls = F.log_softmax(I["student"] / T, -1).gather(-1, ids)
    lq = F.log_softmax(I["teacher"] / T, -1)
    return _tokens(_kl_rows(lq, ls), I, A)


def _nkd_loss(I, A):
    s, t, y, temp = I["student"], I["teacher"], I["target"], A["temp"]
    if y.is_floating_point():
        y = y.argmax(1)
    B, C = s.shape
    gt = F.one_hot(y, C).bool()
    target = -(F.softmax(t, 1)[gt] * F.log_softmax(s, 1)[gt]).mean()
    sn, tn = s[~gt].view(B, C - 1), t[~gt].view(B, C - 1)
    rest = (F.softmax(tn / temp, 1) * F.log_softmax(sn / temp, 1)).sum(1).mean()
    return target - A["gamma"] * temp ** 2 * rest


def _bernoulli_kl(p, log_p, log_1p, log_q, log_1q):
    return p * (log_p - log_q) + (1 - p) * (log_1p - log_1q)


def _binary_kl_loss(I, A):
    T, eps = A["T"], A["eps"]
    s, t = I["student"] / T, I["teacher"] / T
    if A["clamp"]:
        qs, qt = torch.sigmoid(s).clamp(eps, 1 - eps), torch.sigmoid(t).clamp(eps, 1 - eps)
        kl = _bernoulli_kl(qt, qt.log(), (1 - qt).log(), qs.log(), (1 - qs).log())
    else:
        kl = _bernoulli_kl(torch.sigmoid(t), F.logsigmoid(t), F.logsigmoid(-t),
                           F.logsigmoid(s), F.logsigmoid(-s))
    return T * T * kl.sum() / s.shape[0]


def _binary_kl_norm_loss(I, A):
    T, eps = A["T"], A["eps"]
    d = torch.sigmoid((I["student"] - I["teacher"]) / T).clamp(eps, 1 - eps)
    half = torch.full_like(d, 0.5)
    kl = _bernoulli_kl(half, half.log(), half.log(), d.log(), (1 - d).log())
    return T * T * kl.sum() / d.shape[0]


def _gpg_loss(I, A):
    s, t, T, a = I["student"], I["teacher"], A["T"], A["alpha"]
    kl = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean")
    return a * T * T * kl + (1 - a) * F.cross_entropy(s, I["target"])


def _bdkd_loss(I, A):
    T = A["T"]
    ls, lt = F.log_softmax(I["student"] / T, 1), F.log_softmax(I["teacher"] / T, 1)
    kd = (I["w_f"] * _kl_rows(lt, ls) + I["w_r"] * _kl_rows(ls, lt)).mean()
    return F.cross_entropy(I["student"], I["target"]) + T * T * kd


def _kl_top_loss(I, A):
    lf, lq = F.log_softmax(I["teacher"], -1), F.log_softmax(I["input"], -1)
    idx = lf.topk(A["k"], -1).indices
    a, b = lf.gather(-1, idx), lq.gather(-1, idx)
    if A["renormalize"]:
        a, b = a.log_softmax(-1), b.log_softmax(-1)
    return _kl_rows(a, b).mean()


def _fitnet_hint_loss(I, A):
    s, t, w, b = I["student"], I["teacher"], I.get("weight"), I.get("bias")
    if w is not None:  # a 1x1 convolution over the channel axis
        s = torch.einsum("oc,bc...->bo...", w, s)
        if b is not None:
            s = s + b.view(-1, *[1] * (s.dim() - 2))
    return F.mse_loss(s, t, reduction=A["reduction"])


def _attention_transfer_loss(I, A):
    p = A["p"]

    def at(f):
        return F.normalize(f.abs().pow(p).mean(1).view(f.shape[0], -1))

    return (at(I["student"]) - at(I["teacher"])).pow(2).mean()


def _rkd_loss(I, A):
    s, t = I["student"].flatten(1), I["teacher"].flatten(1)
    B = s.shape[0]
    off = ~torch.eye(B, dtype=torch.bool)

    def distances(e):
        d = torch.cdist(e, e)  # exact zeros on the diagonal
        return d / d[off].mean()

    def angles(e):
        diff = e[None, :, :] - e[:, None, :]
        n = F.normalize(diff, p=2, dim=2)
        a = torch.bmm(n, n.transpose(1, 2))
        return a * (off[:, :, None] & off[:, None, :])  # j = i or k = i: 0

    loss_d = F.smooth_l1_loss(distances(s), distances(t))
    loss_a = F.smooth_l1_loss(angles(s), angles(t))
    return A["w_d"] * loss_d + A["w_a"] * loss_a


def _pkt_loss(I, A):
    eps = A["eps"]

    def conditional(x):
        x = x.flatten(1)
        x = x / (x.norm(dim=1, keepdim=True) + eps)
        k = (x @ x.t() + 1) / 2
        return k / k.sum(1, keepdim=True)

    ps, pt = conditional(I["student"]), conditional(I["teacher"])
    return (pt * torch.log((pt + eps) / (ps + eps))).mean()


def _similarity_preserving_loss(I, A):
    s, t = I["student"].flatten(1), I["teacher"].flatten(1)
    gs, gt = F.normalize(s @ s.t()), F.normalize(t @ t.t())
    return ((gt - gs) ** 2).sum() / s.shape[0] ** 2


def _dual_head_kd(I, A):
    bkn = _binary_kl_norm_loss({"student": I["aux"], "teacher": I["teacher"]}, A)
    return A["gamma"] * F.cross_entropy(I["main"], I["target"]) + A["alpha"] * bkn


def _sinkhorn_kd_loss(I, A):
    T, eps = A["T"], A["eps"]
    ps, pt = F.softmax(I["student"] / T, 1), F.softmax(I["teacher"] / T, 1)
    W = (ps[:, None, :] - pt[None, :, :]).abs().sum(-1)  # cdist(p=1), without its kernels
    P = torch.exp(-W / eps)
    for _ in range(A["n_iters"]):
        P = P / P.sum(1, keepdim=True)
        P = P / P.sum(0, keepdim=True)
    return A["scale"] * (P * W).sum()


def _pld_loss(I, A):
    s, t, y = I["student"], I["teacher"], I["target"]
    order = t.clone().scatter_(1, y[:, None], float("inf")).argsort(1, descending=True)
    alpha = F.softmax(t / A["tau_t"], 1).gather(1, order)
    sp = s.gather(1, order)
    tail = torch.logcumsumexp(sp.flip(1), 1).flip(1)
    return (alpha * (tail - sp)).sum(1).mean()


def _crkd_loss(I, A):
    old, new = I["teacher"], I["student"]
    n, scale, T = old.shape[-1], A["tau"] * A["T"], A["T"]
    P = F.softmax(old / scale, -1)
    Q = F.softmax(new[..., :n] / scale, -1)
    w = F.softmax(new / scale, -1)[..., :n].sum(-1, keepdim=True)
    w = w / w.mean()
    heads = torch.mean(torch.sum(-torch.log(Q) * P * T * T * w, dim=-1), dim=[0, 2])
    return {"none": heads, "sum": heads.sum(), "mean": heads.mean()}[A["reduction"]]


def _nd_loss(I, A):
    s, t = I["student"], I["teacher"]
    e = F.normalize(I["centers"][I["target"]], dim=1)
    cos = (s * e).sum(1) / torch.maximum(s.norm(dim=1), t.norm(dim=1))
    return A["factor"] * (1 - cos).mean()


def _self_distill_weighted_mse(I, A):
    f, y, prev, a = I["pred"], I["target"], I["teacher"], A["a"]
    if A["probs"]:
        f, prev = F.softmax(f, -1), F.softmax(prev, -1)
    rows = a * (f - y) ** 2 + (1 - a) * (f - prev) ** 2
    return {"none": rows, "sum": rows.sum(), "mean": rows.mean()}[A["reduction"]]


def _aph_recon_loss(I, A):
    return ((I["pred"] - I["teacher"]) ** 2 * I["hessian"].abs()).mean()


def _w2s_product_loss(I, A):
    z, w = I["logits"], I["teacher"]
    q = torch.softmax(z, -1) ** A["beta"] * w ** A["alpha"]
    q = (q / q.sum(-1, keepdim=True)).detach()
    return F.cross_entropy(z, q)


def _saf_trajectory_loss(I, A):
    z, past, T = I["logits"], I["teacher"], A["T"]
    kl = F.kl_div(torch.log(F.softmax(z / T, 1)), F.softmax(past / T, 1),
                  reduction="none").sum(-1).mean() * T * T
    return F.cross_entropy(z, I["target"]) + A["lam"] * kl


def _mi_alpha_loss(I, A):
    S, a, alpha = I["scores"], I["log_baseline"], A["alpha"]
    K = S.shape[0]
    eye = torch.eye(K, dtype=torch.bool)
    off = ~eye
    loo = S[:, None, :].expand(K, K, K).masked_fill(eye[None], float("-inf")).logsumexp(-1)
    loo = loo - math.log(K - 1)
    la = torch.tensor(alpha, dtype=S.dtype).log()
    l1a = torch.tensor(1 - alpha, dtype=S.dtype).log()
    B = torch.logaddexp(la + loo, l1a + a[:, None])
    joint = (S.diagonal()[:, None] - B)[off].mean()
    marg = torch.exp(S - B.diagonal()[:, None])[off].mean()
    return -(1 + joint - marg)


def _bpkd_edge_body_loss(I, A):
    s, t, M, T = I["student"], I["teacher"], I["edge_mask"], A["T"]
    B, C = s.shape[:2]
    lt, ls = F.log_softmax(t * M / T, 1), F.log_softmax(s * M / T, 1)
    phi = (T * T * lt.exp() * (lt - ls)).sum(1, keepdim=True)
    edge = A["alpha"] * ((phi * M).sum((2, 3)) / M.sum((2, 3)).clamp_min(1.0)).sum(1).mean()
    lt = F.log_softmax((t * (1 - M)).flatten(2) / T, -1)
    ls = F.log_softmax((s * (1 - M)).flatten(2) / T, -1)
    body = T * T * _kl_rows(lt, ls).sum(1).mean() / C
    return A["lam_body"] * body + A["lam_edge"] * edge


def _w2s_logconf_loss(I, A):
    z, w = I["logits"], I["teacher"]
    coef = A["aux_coef"] * (1.0 if A["step_frac"] > A["warmup_frac"] else A["step_frac"])
    p0 = torch.softmax(z, -1)[:, 0].detach()
    tau = torch.quantile(p0, w.mean(0)[1].item())
    h = torch.stack([p0 >= tau, p0 < tau], 1).to(z.dtype)
    return F.cross_entropy(z, (1 - coef) * w + coef * h)


def _uskd_loss(I, A):
    s, w, y = I["student"], I["weak_logits"], I["target"]
    N, C = s.shape
    gt = F.one_hot(y, C).bool()
    ls = F.log_softmax(s, 1)
    st2 = F.softmax(s, 1)[gt] ** 2
    p_t = (st2 + 1 - st2.mean()).detach()
    loss_t = -(p_t * ls[gt]).mean()
    smooth = 0.9 * gt.to(s.dtype) + 0.1 / C
    loss_weak = -(A["mu"] * smooth * F.log_softmax(w, 1)).sum(1).mean()
    wp = F.softmax(w, 1)
    rank = wp / (1 - wp[gt][:, None] + 1e-6) + ls / (1 - ls[gt][:, None] + 1e-6)
    position = rank.argsort(1, descending=True).argsort(1)  # rank position of each class
    zipf = (1.0 / (position + 1).to(s.dtype)).detach()
    nz = zipf[~gt].view(N, C - 1)
    nz = nz / nz.sum(1, keepdim=True)
    loss_nt = -(nz * F.log_softmax(s[~gt].view(N, C - 1), 1)).sum(1).mean()
    return A["alpha"] * loss_t + A["beta"] * loss_nt + loss_weak


def _landmark_kd_loss(I, A):
    x, g, Th, Tl = I["input"], I["target"], I["teacher"], I["tolerant"]
    sg, dt = torch.sign, x.dtype

    def reflect(T):
        s = sg(x.detach() - g)
        return g + s * (T - g).abs(), g + 0.15 * s * (T - g).abs()

    def weight(t, b, a, am):
        return (a * (sg(x - t) * sg(t - g) > 0).to(dt) + am * (sg(t - x) * sg(x - b) >= 0).to(dt))

    th, bh = reflect(Th)
    tl, bl = reflect(Tl)
    Wh, Wl = weight(th, bh, A["ah"], A["amh"]), weight(tl, bl, A["al"], A["aml"])
    low = ((g - x).abs() <= (g - tl).abs()).to(dt)
    M = ((1 - low) * ((g - x) ** 2 + 3 * (g - tl).abs() - (g - tl) ** 2)).mean() \
        + (low * 3 * (g - x).abs()).mean()
    return (A["wm"] * M + A["wh"] * (Wh.detach() * (th - x).abs()).mean()
            + A["wl"] * (Wl.detach() * (tl - x).abs()).mean())


def _mtard_kl(z, u, tau):
    a, b = F.log_softmax(z, 1), F.softmax(u / tau, 1)
    return (-a * b + torch.log(b + 1e-5) * b).mean()


def _mtard_loss(I, A):
    return (A["w_adv"] * _mtard_kl(I["student_adv"], I["teacher"], A["tau_adv"])
            + A["w_nat"] * _mtard_kl(I["student_nat"], I["teacher_nat"], A["tau_nat"]))


def _lsskd_loss(I, A):
    aux, T = I["aux_logits"], A["T"]
    loss = F.cross_entropy(I["final_logits"], I["target"])
    loss = loss + sum(F.cross_entropy(z, I["joint_target"]) for z in aux)
    for lo, hi in zip(aux[:-1], aux[1:]):
        loss = loss + T * T * F.kl_div(F.log_softmax(lo / T, 1), F.softmax(hi.detach() / T, 1),
                                       reduction="batchmean")
    return loss


def _span_correlation_loss(I, A):
    ps, pt = I["input"], I["teacher"]
    terms = []
    for a, b in I["spans"].tolist():
        if b - a < 2:
            continue
        cs, ct = ps[a:b - 1] * ps[a + 1:b], pt[a:b - 1] * pt[a + 1:b]
        terms.append(F.mse_loss(cs, ct))
    return torch.stack(terms).mean() if terms else ps.sum() * 0


def _dac_kl_loss(I, A):
    s, t = I["student"], I["teacher"]
    pt = F.softmax(t, -1)
    vals, order = pt.sort(-1, descending=True)
    before = vals.cumsum(-1) - vals
    keep_sorted = (before >= I["lower"]) & (before < I["upper"])
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    lt = F.log_softmax(t.masked_fill(~keep, float("-inf")), -1)
    ls = F.log_softmax(s.masked_fill(~keep, float("-inf")), -1)
    return (lt.exp() * (lt - ls)).masked_fill(~keep, 0).sum(-1).mean()


REFS = {
    "dkd_loss": _dkd_loss,
    "forward_kl_loss": _forward_kl_loss,
    "reverse_kl_loss": _reverse_kl_loss,
    "generalized_jsd_loss": _generalized_jsd_loss,
    "topk_kd_loss": _topk_kd_loss,
    "nkd_loss": _nkd_loss,
    "binary_kl_loss": _binary_kl_loss,
    "binary_kl_norm_loss": _binary_kl_norm_loss,
    "gpg_loss": _gpg_loss,
    "bdkd_loss": _bdkd_loss,
    "kl_top_loss": _kl_top_loss,
    "fitnet_hint_loss": _fitnet_hint_loss,
    "attention_transfer_loss": _attention_transfer_loss,
    "rkd_loss": _rkd_loss,
    "pkt_loss": _pkt_loss,
    "similarity_preserving_loss": _similarity_preserving_loss,
    "dual_head_kd": _dual_head_kd,
    "sinkhorn_kd_loss": _sinkhorn_kd_loss,
    "pld_loss": _pld_loss,
    "crkd_loss": _crkd_loss,
    "nd_loss": _nd_loss,
    "self_distill_weighted_mse": _self_distill_weighted_mse,
    "aph_recon_loss": _aph_recon_loss,
    "w2s_product_loss": _w2s_product_loss,
    "saf_trajectory_loss": _saf_trajectory_loss,
    "mi_alpha_loss": _mi_alpha_loss,
    "bpkd_edge_body_loss": _bpkd_edge_body_loss,
    "w2s_logconf_loss": _w2s_logconf_loss,
    "uskd_loss": _uskd_loss,
    "landmark_kd_loss": _landmark_kd_loss,
    "mtard_loss": _mtard_loss,
    "lsskd_loss": _lsskd_loss,
    "span_correlation_loss": _span_correlation_loss,
    "dac_kl_loss": _dac_kl_loss,
}


def _f_distill_weight(I, A):
    d = I["logit"].detach()
    r = torch.exp(d.clamp(max=A["max_logit"]))
    h = {"reverse_kl": torch.ones_like(r), "softened_rkl": torch.sigmoid(-d),
         "js": torch.sigmoid(d), "hellinger": 0.25 * r.sqrt(), "forward_kl": r,
         "jeffreys": r + 1}[A["kind"]]
    return h / h.mean() if A["normalize"] else h


REFS["f_distill_weight"] = _f_distill_weight


def _lelp_kd(I, A):
    return F.cross_entropy(I["student"], I["target"], reduction=A["reduction"])


REFS["lelp_kd"] = _lelp_kd
