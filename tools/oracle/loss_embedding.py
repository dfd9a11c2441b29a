"""PyTorch references for the embedding losses (losses/metric_learning/, docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/metric_learning.cpp).

Every reference here is written from the formulas (catalog/metric_learning.md and the ops'
header comments) with plain torch. The ops of the pytorch-metric-learning (PML) standard set
are also run through PML itself when it can be imported (the PML_SET table): the two must agree
to 1e-10 in value and gradient, or the run stops. PML is not in Debian; the committed fixtures
were written with it, from a venv that sees Debian's torch:

    /usr/bin/python3 -m venv --system-site-packages /work/venv-pml
    /work/venv-pml/bin/pip install pytorch-metric-learning          # 2.9.0
    /work/venv-pml/bin/pip uninstall -y numpy scipy scikit-learn    # keep Debian's numpy 1.24
    /work/venv-pml/bin/pip install --no-deps "scipy<1.12"           # a scipy for numpy 1.24
    /work/venv-pml/bin/python tools/oracle/oracle.py --only OP --check

Run with /usr/bin/python3 the PML cross-check is skipped and the fixtures come out the same
(they hold this module's references)."""
import math

import torch
import torch.nn.functional as F

try:
    from pytorch_metric_learning import losses as pml_losses, miners as pml_miners
except Exception:  # noqa: BLE001 - PML absent (or broken): own references only
    pml_losses = pml_miners = None


# ---- pieces ----

def _norm(x):
    return F.normalize(x, dim=1)


def _dist(x):
    """Euclidean distances by direct differences, gradient 0 at 0 (as torch.cdist)."""
    sq = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    pos = sq > 0
    return torch.where(pos, torch.sqrt(torch.where(pos, sq, torch.ones_like(sq))),
                       torch.zeros_like(sq))


def _masks(lab):
    same = lab[:, None] == lab[None, :]
    eye = torch.eye(len(lab), dtype=torch.bool)
    return same & ~eye, ~same


def _avg_nonzero(v):
    keep = v > 0
    return v[keep].mean() if keep.any() else v.sum() * 0


def _reduce(v, reduction):
    return {"none": v, "sum": v.sum(), "mean": v.mean()}[reduction]


def _lse_plus_one(x, keep):
    """log(1 + sum_keep e^x) per row."""
    x = x.masked_fill(~keep, float("-inf"))
    zero = torch.zeros(x.shape[0], 1, dtype=x.dtype)
    return torch.logsumexp(torch.cat([x, zero], 1), 1)


# ---- references ----

def _contrastive_loss(I, A):
    e, lab = I["embeddings"], I["labels"]
    d = _dist(_norm(e))
    pos, neg = _masks(lab)
    return (_avg_nonzero(F.relu(d - A["pos_margin"])[pos]) +
            _avg_nonzero(F.relu(A["neg_margin"] - d)[neg]))


def _batch_triplet_loss(I, A):
    e, lab, m = I["embeddings"], I["labels"], A["margin"]
    d = _dist(_norm(e))
    pos, neg = _masks(lab)
    if A["miner"] == "batch_hard":
        p = d.detach().masked_fill(~pos, float("-inf")).argmax(1)
        n = d.detach().masked_fill(~neg, float("inf")).argmin(1)
        valid = pos.any(1) & neg.any(1)
        i = torch.arange(len(lab))
        ap, an = d[i, p], d[i, n]
        if A["swap"]:
            an = torch.minimum(an, d[p, n])
        return _avg_nonzero(F.relu(ap - an + m)[valid])
    keep = pos[:, :, None] & neg[:, None, :]
    ap, an = d[:, :, None], d[:, None, :]
    if A["miner"] == "semihard":
        gap = (an - ap).detach()
        keep = keep & (gap > 0) & (gap <= A["miner_margin"])
    if A["swap"]:
        an = torch.minimum(an, d[None, :, :])
    return _avg_nonzero(F.relu(ap - an + m).expand(keep.shape)[keep])


def _triplet_margin_loss(I, A):
    # catalog: F.triplet_margin_loss is the definition
    return F.triplet_margin_loss(I["anchor"], I["positive"], I["negative"], margin=A["margin"],
                                 p=A["p"], eps=A["eps"], swap=A["swap"],
                                 reduction=A["reduction"])


def _multi_similarity_loss(I, A):
    f, lab = I["embeddings"], I["labels"]
    al, be, lam = A["alpha"], A["beta"], A["lam"]
    if A["variant"] == "pml":
        x = _norm(f)
        s = x @ x.t()
        pos, neg = _masks(lab)
        rows = _lse_plus_one(al * (lam - s), pos) / al + _lse_plus_one(be * (s - lam), neg) / be
        return _reduce(rows, A["reduction"])
    s = f @ f.t()
    rows = []
    for i in range(len(lab)):
        pmask = (lab == lab[i]) & (s[i].detach() < 1 - 1e-5)
        nmask = lab != lab[i]
        zero = s[i].sum() * 0
        if not pmask.any() or not nmask.any():
            rows.append(zero)
            continue
        negm = nmask & (s[i].detach() + A["margin"] > s[i].detach()[pmask].min())
        posm = pmask & (s[i].detach() - A["margin"] < s[i].detach()[nmask].max())
        if not negm.any() or not posm.any():
            rows.append(zero)
            continue
        rows.append(F.softplus(torch.logsumexp(-al * (s[i][posm] - lam), 0)) / al +
                    F.softplus(torch.logsumexp(be * (s[i][negm] - lam), 0)) / be)
    return _reduce(torch.stack(rows), A["reduction"])


def _circle_loss(I, A):
    e, lab, m, g = I["embeddings"], I["labels"], A["m"], A["gamma"]
    x = _norm(e)
    s = x @ x.t()
    pos, neg = _masks(lab)
    lp = -g * F.relu(1 + m - s.detach()) * (s - (1 - m))
    ln = g * F.relu(s.detach() + m) * (s - m)
    rows = []
    for i in range(len(lab)):
        if pos[i].any() and neg[i].any():
            rows.append(F.softplus(torch.logsumexp(lp[i][pos[i]], 0) +
                                   torch.logsumexp(ln[i][neg[i]], 0)))
    return _avg_nonzero(torch.stack(rows)) if rows else e.sum() * 0


def _npairs_loss(I, A):
    e, lab = I["embeddings"], I["labels"]
    a, p = [], []
    for c in sorted(set(lab.tolist())):
        idx = (lab == c).nonzero().flatten().tolist()
        if len(idx) >= 2:
            a.append(idx[0])
            p.append(idx[1])
    if not a:
        return e.sum() * 0
    x = _norm(e)
    sim = x[a] @ x[p].t()
    return F.cross_entropy(sim, torch.arange(len(a)), reduction=A["reduction"])


def _proxy_nca_loss(I, A):
    x, q = _norm(I["embeddings"]), _norm(I["proxies"])
    d2 = ((x[:, None, :] - q[None, :, :]) ** 2).sum(-1)
    return F.cross_entropy(-A["softmax_scale"] * d2, I["labels"], reduction=A["reduction"])


def _proxy_anchor_loss(I, A):
    lab, al, m = I["labels"], A["alpha"], A["margin"]
    s = _norm(I["embeddings"]) @ _norm(I["proxies"]).t()
    C = s.shape[1]
    pos = F.one_hot(lab, C).bool()
    lp = _lse_plus_one((-al * (s - m)).t(), pos.t())
    ln = _lse_plus_one((al * (s + m)).t(), (~pos).t())
    with_pos = pos.any(0)
    return lp[with_pos].sum() / with_pos.sum() + ln.sum() / C


def _lifted_structure_loss(I, A):
    e, lab = I["embeddings"], I["labels"]
    d = _dist(_norm(e))
    pos, neg = _masks(lab)
    if not pos.any() or not neg.any():
        return e.sum() * 0
    out = []
    for i, j in pos.nonzero().tolist():
        negs = torch.cat([A["neg_margin"] - d[i][neg[i]], A["neg_margin"] - d[j][neg[j]]])
        out.append(F.relu(torch.logsumexp(negs, 0) + d[i, j] - A["pos_margin"]) ** 2 / 2)
    return torch.stack(out).mean()


def _soft_triple_loss(I, A):
    e, lab, K = I["embeddings"], I["labels"], A["centers_per_class"]
    s = _norm(e) @ _norm(I["centers"]).t()
    s = s.view(len(lab), -1, K)
    sc = (F.softmax(s / A["gamma"], 2) * s).sum(2)
    delta = A["margin"] * F.one_hot(lab, sc.shape[1]).to(s.dtype)
    return F.cross_entropy(A["la"] * (sc - delta), lab, reduction=A["reduction"])


def _arcface_loss(I, A):
    lab = I["labels"]
    cos = _norm(I["embeddings"]) @ _norm(I["weight"]).t()
    m = math.radians(A["margin"])
    c = cos.gather(1, lab[:, None]).squeeze(1)
    theta = torch.acos(c.clamp(-1, 1))
    mod = torch.where(theta <= math.pi - m, torch.cos(theta + m),
                      torch.cos(theta) - m * math.sin(m))
    logits = cos + F.one_hot(lab, cos.shape[1]).to(cos.dtype) * (mod - c)[:, None]
    return F.cross_entropy(A["scale"] * logits, lab, reduction=A["reduction"])


# ---- PML itself (the standard set) ----

def _pml_with(loss, name, t):
    """Replace PML's parameter `name` by the tensor t (kept in our graph)."""
    delattr(loss, name)
    setattr(loss, name, t)
    loss.cast_types = lambda *_: None
    return loss


def _pml_contrastive(I, A):
    return pml_losses.ContrastiveLoss(pos_margin=A["pos_margin"],
                                      neg_margin=A["neg_margin"])(I["embeddings"], I["labels"])


def _pml_triplet(I, A):
    e, lab = I["embeddings"], I["labels"]
    loss = pml_losses.TripletMarginLoss(margin=A["margin"], swap=A["swap"])
    if A["miner"] == "all":
        return loss(e, lab)
    miner = (pml_miners.BatchHardMiner() if A["miner"] == "batch_hard" else
             pml_miners.TripletMarginMiner(margin=A["miner_margin"],
                                           type_of_triplets="semihard"))
    return loss(e, lab, miner(e, lab))


def _pml_ms(I, A):
    if A["variant"] != "pml":
        return None
    loss = pml_losses.MultiSimilarityLoss(alpha=A["alpha"], beta=A["beta"], base=A["lam"])
    return loss(I["embeddings"], I["labels"])


def _pml_proxy(cls, name, key, transpose, **kw):
    def run(I, A):
        C, D = I[key].shape
        if cls is pml_losses.SoftTripleLoss:
            C = C // A["centers_per_class"]
        loss = cls(num_classes=C, embedding_size=D, **{k: A[v] for k, v in kw.items()})
        t = I[key].t() if transpose else I[key]
        return _pml_with(loss, name, t)(I["embeddings"], I["labels"])
    return run


def _mean_scaled(ref):
    """PML reduces by the mean: compare it with our 'mean'."""
    return lambda I, A: ref(I, dict(A, reduction="mean"))


PML_SET = {} if pml_losses is None else {
    "contrastive_loss": (_contrastive_loss, _pml_contrastive),
    "batch_triplet_loss": (_batch_triplet_loss, _pml_triplet),
    "multi_similarity_loss": (_mean_scaled(_multi_similarity_loss), _pml_ms),
    "circle_loss": (_circle_loss, lambda I, A: pml_losses.CircleLoss(
        m=A["m"], gamma=A["gamma"])(I["embeddings"], I["labels"])),
    "npairs_loss": (_mean_scaled(_npairs_loss), lambda I, A: pml_losses.NPairsLoss()(
        I["embeddings"], I["labels"])),
    "proxy_nca_loss": (_mean_scaled(_proxy_nca_loss), _pml_proxy(
        pml_losses.ProxyNCALoss, "proxies", "proxies", False, softmax_scale="softmax_scale")),
    "proxy_anchor_loss": (_proxy_anchor_loss, _pml_proxy(
        pml_losses.ProxyAnchorLoss, "proxies", "proxies", False, margin="margin",
        alpha="alpha")),
    "lifted_structure_loss": (_lifted_structure_loss, lambda I, A: pml_losses.LiftedStructureLoss(
        neg_margin=A["neg_margin"], pos_margin=A["pos_margin"])(I["embeddings"], I["labels"])),
    "soft_triple_loss": (_mean_scaled(_soft_triple_loss), _pml_proxy(
        pml_losses.SoftTripleLoss, "fc", "centers", True, centers_per_class="centers_per_class",
        la="la", gamma="gamma", margin="margin")),
    "arcface_loss": (_mean_scaled(_arcface_loss), _pml_proxy(
        pml_losses.ArcFaceLoss, "W", "weight", True, margin="margin", scale="scale")),
}


def _fresh(I):
    return {k: (v.detach().clone().requires_grad_(True) if v.is_floating_point() else v)
            for k, v in I.items()}


def _checked(name, ref):
    """ref, and where PML is available the same case through PML: value and gradients agree."""
    if name not in PML_SET:
        return ref
    mine, theirs = PML_SET[name]

    def run(I, A):
        I1, I2 = _fresh(I), _fresh(I)
        want = theirs(I2, A)
        if want is not None:
            got = mine(I1, A)
            assert torch.allclose(got, want, rtol=1e-10, atol=1e-12), (name, got, want)
            fl = [k for k, v in I1.items() if v.is_floating_point()]
            g1 = torch.autograd.grad(got, [I1[k] for k in fl], allow_unused=True)
            g2 = torch.autograd.grad(want, [I2[k] for k in fl], allow_unused=True)
            for k, a, b in zip(fl, g1, g2):
                a = torch.zeros_like(I1[k]) if a is None else a
                b = torch.zeros_like(I2[k]) if b is None else b
                assert torch.allclose(a, b, rtol=1e-8, atol=1e-10), (name, k, a, b)
        return ref(I, A)
    return run


_REFS = {
    "contrastive_loss": _contrastive_loss,
    "batch_triplet_loss": _batch_triplet_loss,
    "triplet_margin_loss": _triplet_margin_loss,
    "multi_similarity_loss": _multi_similarity_loss,
    "circle_loss": _circle_loss,
    "npairs_loss": _npairs_loss,
    "proxy_nca_loss": _proxy_nca_loss,
    "proxy_anchor_loss": _proxy_anchor_loss,
    "lifted_structure_loss": _lifted_structure_loss,
    "soft_triple_loss": _soft_triple_loss,
    "arcface_loss": _arcface_loss,
}

REFS = {name: _checked(name, ref) for name, ref in _REFS.items()}


# ---- the contrastive family (catalog/contrastive.md) ----

def _inbatch_infonce_loss(I, A):
    s = _norm(I["z1"]) @ _norm(I["z2"]).t() / A["tau"]
    t = torch.arange(s.shape[0])
    rows = F.cross_entropy(s, t, reduction="none")
    if A["symmetric"]:
        rows = 0.5 * (rows + F.cross_entropy(s.t(), t, reduction="none"))
    return _reduce(rows, A["reduction"])


def _info_nce_loss(I, A):
    q, kp, kn, tau = _norm(I["query"]), _norm(I["positive_key"]), I.get("negatives"), A["tau"]
    if kn is None:
        logits, y = q @ kp.t(), torch.arange(q.shape[0])
    else:
        kn = F.normalize(kn, dim=-1)
        pos = (q * kp).sum(-1, keepdim=True)
        neg = q @ kn.t() if A["negative_mode"] == "unpaired" else (q[:, None, :] * kn).sum(-1)
        logits, y = torch.cat([pos, neg], 1), torch.zeros(q.shape[0], dtype=torch.long)
    return F.cross_entropy(logits / tau, y, reduction=A["reduction"])


def _nt_xent_loss(I, A):
    z = _norm(torch.cat([I["z1"], I["z2"]]))
    B, tau = I["z1"].shape[0], A["tau"]
    s = (z @ z.t() / tau).masked_fill(torch.eye(2 * B, dtype=torch.bool), float("-inf"))
    rows = F.cross_entropy(s, (torch.arange(2 * B) + B) % (2 * B), reduction="none")
    if A["base_temperature"] > 0:
        rows = rows * tau / A["base_temperature"]
    return _reduce(rows, A["reduction"])


def _clip_contrastive_loss(I, A):
    s = I["logit_scale"].exp() * _norm(I["img"]) @ _norm(I["txt"]).t()
    y, eps = torch.arange(s.shape[0]), A["label_smoothing"]
    rows = 0.5 * (F.cross_entropy(s, y, label_smoothing=eps, reduction="none") +
                  F.cross_entropy(s.t(), y, label_smoothing=eps, reduction="none"))
    return _reduce(rows, A["reduction"])


def _supcon_loss(I, A):
    f, lab, tau = I["features"], I["labels"], A["tau"]
    B, V, D = f.shape
    z = _norm(f.transpose(0, 1).reshape(-1, D))
    lab = lab.repeat(V)
    s = z @ z.t() / tau
    eye = torch.eye(len(z), dtype=torch.bool)
    pos = ((lab[:, None] == lab[None, :]) & ~eye).to(s.dtype)
    logp = s - torch.logsumexp(s.masked_fill(eye, float("-inf")), 1, keepdim=True)
    npos = pos.sum(1)
    rows = -(tau / A["base_tau"]) * (logp * pos).sum(1) / npos.clamp(min=1)
    if A["no_positive"] == "zero":
        return rows.mean()
    has = npos > 0
    return rows[has].mean() if has.any() else (s * 0).sum()


REFS.update({
    "inbatch_infonce_loss": _inbatch_infonce_loss,
    "info_nce_loss": _info_nce_loss,
    "nt_xent_loss": _nt_xent_loss,
    "clip_contrastive_loss": _clip_contrastive_loss,
    "supcon_loss": _supcon_loss,
})


def _pml_supcon(I, A):
    f, lab = I["features"], I["labels"]
    if A["no_positive"] != "exclude" or A["tau"] != A["base_tau"] or len(set(lab.tolist())) < 2:
        return None  # PML has no such reading (or returns 0 for one label)
    V, D = f.shape[1], f.shape[2]
    return pml_losses.SupConLoss(temperature=A["tau"])(f.transpose(0, 1).reshape(-1, D),
                                                      lab.repeat(V))


def _pml_nt_xent(I, A):
    if A["base_temperature"] > 0:
        return None
    B = I["z1"].shape[0]
    return pml_losses.NTXentLoss(temperature=A["tau"])(torch.cat([I["z1"], I["z2"]]),
                                                      torch.arange(B).repeat(2))


if pml_losses is not None:
    PML_SET.update({
        "supcon_loss": (_supcon_loss, _pml_supcon),
        "nt_xent_loss": (_mean_scaled(_nt_xent_loss), _pml_nt_xent),
    })
    REFS.update({n: _checked(n, REFS[n]) for n in ("supcon_loss", "nt_xent_loss")})


def _hard_contrastive_loss(I, A):
    s = _norm(I["z1"]) @ _norm(I["z2"]).t() / A["tau"]
    pos = s.diag()
    neg = s.masked_fill(torch.eye(s.shape[0], dtype=torch.bool), float("-inf"))
    if A["k"] > 0:
        neg = neg.topk(A["k"], 1).values
    return _reduce(torch.logsumexp(torch.cat([pos[:, None], neg], 1), 1) - pos, A["reduction"])


def _simple_contrastive_loss(I, A):
    s = _norm(I["z1"]) @ _norm(I["z2"]).t()
    return _reduce(-s.diag() + A["lam"] * (s.sum(1) - s.diag()), A["reduction"])


def _uniformity_loss(I, A):
    z = _norm(I["z"]) if A["normalize"] else I["z"]
    i, j = torch.triu_indices(len(z), len(z), 1)
    d2 = ((z[i] - z[j]) ** 2).sum(1)
    return torch.logsumexp(-A["t"] * d2, 0) - math.log(len(d2))


def _decoupled_softmax_loss(I, A):
    s, p, w = I["logits"], I["positive_mask"], I.get("weights")
    lse_neg = torch.logsumexp(s.masked_fill(p, float("-inf")), 1, keepdim=True)
    logp = s - torch.logaddexp(lse_neg.expand_as(s), s)
    w = p.to(s.dtype) if w is None else w * p
    return -((logp * w).sum(1) / p.sum(1).clamp(min=1)).sum() / s.shape[0]


def _sdm_loss(I, A):
    lab = I["labels"]
    q = (lab[:, None] == lab[None, :]).to(I["v"].dtype)
    q = q / q.sum(1)
    t2i = A["scale"] * _norm(I["t"]) @ _norm(I["v"]).t()

    def kl(x):
        return (F.softmax(x, 1) * (F.log_softmax(x, 1) - torch.log(q + A["eps"]))).sum(1).mean()
    return kl(t2i.t()) + kl(t2i)


REFS.update({
    "hard_contrastive_loss": _hard_contrastive_loss,
    "simple_contrastive_loss": _simple_contrastive_loss,
    "uniformity_loss": _uniformity_loss,
    "decoupled_softmax_loss": _decoupled_softmax_loss,
    "sdm_loss": _sdm_loss,
})


def _proto_triplet_loss(I, A):
    q, yq, c, yp = I["query"], I["query_labels"], I["protos"], I["proto_labels"]
    dist = torch.sqrt(((q[:, None, :] - c[None, :, :]) ** 2).sum(-1) + 1e-6)
    same = yq[:, None] == yp[None, :]
    dpos = (dist * same).max(1).values
    dneg = dist.masked_fill(same, float("inf")).min(1).values
    return _reduce(F.relu(dpos - dneg + A["margin"]), A["reduction"])


def _sface_loss(I, A):
    # catalog face.md: the weights under no_grad, acos of the clamped cosines
    x, w, y, s, k = I["x"], I["weight"], I["labels"], A["s"], A["k"]
    cos = _norm(x) @ _norm(w).t()
    oh = F.one_hot(y, w.shape[0]).to(cos.dtype)
    cy = (cos * oh).sum(1)
    with torch.no_grad():
        wi = torch.sigmoid(k * (torch.acos(cy.clamp(-1, 1)) - A["a"]))
        wj = torch.sigmoid(-k * (torch.acos(cos.clamp(-1, 1)) - A["b"]))
    return -(wi * s * cy).mean() + (wj * s * cos * (1 - oh)).sum(1).mean()


REFS.update({"proto_triplet_loss": _proto_triplet_loss, "sface_loss": _sface_loss})


def _dsml_snr_contrastive_loss(I, A):
    h, lab = I["embeddings"], I["labels"]
    d = torch.var(h[None, :, :] - h[:, None, :], dim=2) / torch.var(h, dim=1)[:, None]
    pos, neg = _masks(lab)
    lp, ln = F.relu(d[pos] - A["pos_margin"]), F.relu(A["neg_margin"] - d[neg])

    def red(v):
        if v.numel() == 0:
            return h.sum() * 0
        return _avg_nonzero(v) if A["avg_non_zero_only"] else v.mean()
    return red(lp) + red(ln) + A["reg_weight"] * h.sum(1).abs().mean()


def _tcm_loss(I, A):
    p, n = I["pos_sims"], I["neg_sims"]
    mp, mn = p <= A["m_pos"], n >= A["m_neg"]
    lp = (A["m_pos"] - p)[mp].mean() if mp.any() else p.sum() * 0
    ln = (n - A["m_neg"])[mn].mean() if mn.any() else n.sum() * 0
    return A["l_pos"] * lp + A["l_neg"] * ln


def _batch_balanced_contrastive_loss(I, A):
    d, y = I["distance"], I["target"]
    u, c = (y == 0).to(d.dtype), (y == 1).to(d.dtype)
    m = u * d ** 2 + c * F.relu(A["margin"] - d) ** 2
    if A["reduction"] != "mean":
        return _reduce(m, A["reduction"])
    return ((u * d ** 2).sum() / (u.sum() + 1e-4) +
            (c * F.relu(A["margin"] - d) ** 2).sum() / (c.sum() + 1e-4))


def _bt2_cosine_alignment_loss(I, A):
    def cos(a, b):
        return (_norm(a) * _norm(b.detach())).sum(1).mean()
    y = I["labels"]
    loss = (10 * (1 - cos(I["f_old"], I["phi_old"])) + (1 - cos(I["f_new"], I["phi_new"])) +
            F.cross_entropy(I["out"], y))
    if "pseudo_out" in I:
        loss = loss + 10 * F.cross_entropy(I["pseudo_out"], y)
    return loss


REFS.update({
    "dsml_snr_contrastive_loss": _dsml_snr_contrastive_loss,
    "tcm_loss": _tcm_loss,
    "asl_norm_ratio_loss": lambda I, A: _reduce(
        torch.exp(1 - I["f_big"].norm(dim=1) / I["f_small"].norm(dim=1)), A["reduction"]),
    "batch_balanced_contrastive_loss": _batch_balanced_contrastive_loss,
    "bct_influence_loss": lambda I, A: (
        F.cross_entropy(I["out"], I["labels"]) +
        A["alpha"] * F.cross_entropy(I["feat"] @ I["old_weight"].t(), I["labels"])),
    "bt2_cosine_alignment_loss": _bt2_cosine_alignment_loss,
})


def _taco_bilinear_infonce(I, A):
    logits = I["g"] @ I["w"] @ I["z_pos"].detach().t()
    logits = logits - logits.max(1, keepdim=True).values
    return F.cross_entropy(logits, torch.arange(logits.shape[0]), reduction=A["reduction"])


def _mixco_nce_loss(I, A):
    s = _norm(I["m"]) @ _norm(I["f"]).t() / A["tau"]
    B, beta = s.shape[0], I["beta"].to(s.dtype)
    pi = torch.diag(beta)
    pi[torch.arange(B), I["perm"]] = 1 - beta
    rows = -(pi * F.log_softmax(s, 1)).sum(1)
    cols = -(pi.t() * F.log_softmax(s.t(), 1)).sum(1)
    return _reduce(0.5 * (rows + cols), A["reduction"])


def _soft_clip_loss(I, A):
    p, t, tau = _norm(I["p"]), _norm(I["t"]), A["tau"]
    target = (t @ t.t() / tau).softmax(-1)
    z = p @ t.t() / tau
    rows = -(z.log_softmax(-1) * target).sum(-1)
    cols = -(z.t().log_softmax(-1) * target).sum(-1)
    return _reduce(0.5 * (rows + cols), A["reduction"])


REFS.update({
    "taco_bilinear_infonce": _taco_bilinear_infonce,
    "mixco_nce_loss": _mixco_nce_loss,
    "soft_clip_loss": _soft_clip_loss,
})


def _barlip_loss(I, A):
    z1, z2 = I["z1"], I["z2"]
    c = z1.t() @ z2 / z1.shape[0]
    on = (1 - c.diagonal()).pow(2).sum()
    off = c.pow(2).sum() - c.diagonal().pow(2).sum()
    return A["scale"] * (on + A["lam"] * off)


def _sigreg(proj, a, knots, t_max):
    t = torch.linspace(0, t_max, knots, dtype=proj.dtype)
    dt = t_max / (knots - 1)
    w = torch.full((knots,), 2 * dt, dtype=proj.dtype)
    w[[0, -1]] = dt
    phi = torch.exp(-t ** 2 / 2)
    w = w * phi
    xt = (proj @ a.detach()).unsqueeze(-1) * t
    err = (xt.cos().mean(-3) - phi) ** 2 + xt.sin().mean(-3) ** 2
    return ((err @ w) * proj.shape[-2]).mean()


def _lejepa_loss(I, A):
    proj = I["proj"]
    sig = _sigreg(proj, I["directions"], A["knots"], A["t_max"])
    return A["lam"] * sig + (1 - A["lam"]) * (proj.mean(0) - proj).square().mean()


REFS.update({
    "barlip_loss": _barlip_loss,
    "siamlip_loss": lambda I, A: _reduce(
        2 - 2 * (_norm(I["p"]) * _norm(I["v"].detach())).sum(-1), A["reduction"]),
    "sigreg_loss": lambda I, A: _sigreg(I["proj"], I["directions"], A["knots"], A["t_max"]),
    "lejepa_loss": _lejepa_loss,
})


def _clipn_binary_opposite_loss(I, A):
    u, t, tn = _norm(I["image"]), _norm(I["text_yes"]), _norm(I["text_no"])
    d = A["scale"] * (u @ t.t() - u @ tn.t())
    off = ~torch.eye(d.shape[0], dtype=torch.bool)
    no = -F.logsigmoid(-d[off]).mean() if off.any() else d.sum() * 0
    return -F.logsigmoid(d.diagonal()).mean() + no


def _clipn_text_semantic_opposite_loss(I, A):
    c = (_norm(I["text_yes"]) * _norm(I["text_no"])).sum(-1)
    rows = 2 - torch.sqrt(2 - 2 * c + 1e-4) if A["mode"] == "L2" else c + 1
    return _reduce(rows, A["reduction"])


def _compa_contrastive_loss(I, A):
    a, t = _norm(I["audio"]), _norm(I["text"])
    B, G = a.shape[0], 1 + A["n_neg"]
    s = A["scale"] * t @ a.t()
    pos_rows = torch.arange(B) * G
    t2a = F.cross_entropy(s[pos_rows], torch.arange(B), reduction="none")
    allowed = torch.zeros(B, B * G, dtype=torch.bool)
    allowed[:, pos_rows] = True
    for j in range(B):
        allowed[j, j * G + 1:(j + 1) * G] = True
    a2t = F.cross_entropy(s.t().masked_fill(~allowed, float("-inf")), pos_rows, reduction="none")
    return _reduce(0.5 * (a2t + t2a), A["reduction"])


REFS.update({
    "clipn_binary_opposite_loss": _clipn_binary_opposite_loss,
    "clipn_text_semantic_opposite_loss": _clipn_text_semantic_opposite_loss,
    "compa_contrastive_loss": _compa_contrastive_loss,
})


def _sinkhorn_knopp(logits, eps, iters):
    with torch.no_grad():
        q = torch.exp(logits / eps).t()
        q = q / q.sum()
        K, B = q.shape
        for _ in range(iters):
            q = q / q.sum(1, keepdim=True) / K
            q = q / q.sum(0, keepdim=True) / B
        return (q * B).t()


def _swalip_loss(I, A):
    def soft_ce(z, q):
        return -(q * F.log_softmax(z, -1)).sum(-1).mean()
    hi, ht, h, eps, it = I["h_img"], I["h_txt"], A["h_scale"], A["eps"], A["iters"]
    lg = [[_norm(hi[a]) @ _norm(ht[b]).t() for b in (0, 1)] for a in (0, 1)]
    tot = 0
    for a in (0, 1):
        for b in (0, 1):
            src = lg[1 - a][1 - b]
            tot = tot + 0.5 * (soft_ce(h * lg[a][b], _sinkhorn_knopp(src, eps, it)) +
                               soft_ce(h * lg[a][b].t(), _sinkhorn_knopp(src.t(), eps, it)))
    return tot / 4


def _stssdl_prototype_loss(I, A):
    q_t, q_a, p = I["q_t"], I["q_a"], I["prototypes"]
    it = (q_t @ p.t()).softmax(-1).topk(2, -1).indices
    ia = (q_a @ p.t()).softmax(-1).topk(2, -1).indices
    pos_t, neg_t, pos_a = p[it[..., 0]], p[it[..., 1]], p[ia[..., 0]]
    d = q_t.shape[-1]
    lc = F.triplet_margin_loss(q_t.detach().reshape(-1, d), pos_t.reshape(-1, d),
                               neg_t.reshape(-1, d), margin=A["margin"])
    ld = F.l1_loss((q_t - q_a).abs().sum(-1).detach(), (pos_t - pos_a).abs().sum(-1))
    return A["lam_c"] * lc + A["lam_d"] * ld


REFS.update({"swalip_loss": _swalip_loss, "stssdl_prototype_loss": _stssdl_prototype_loss})


def _wpc_loss(I, A):
    x, y = I["x"], I["y"]
    if not x.requires_grad:
        x = x.detach().requires_grad_(True)
    if not y.requires_grad:
        y = y.detach().requires_grad_(True)
    s = torch.tanh(x @ I["wx"].t()) @ torch.tanh(y @ I["wy"].t()).t()
    n = s.shape[0]
    nce = -(s.diagonal() - torch.logsumexp(s, 1) + math.log(n)).mean()
    gx, gy = torch.autograd.grad(s.diagonal().sum(), (x, y), create_graph=True)
    gp = ((torch.cat([gx, gy], 1).norm(dim=1) - 1) ** 2).mean()
    return nce + A["lam_gp"] * gp


REFS["wpc_loss"] = _wpc_loss
