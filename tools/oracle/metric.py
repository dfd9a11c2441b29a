"""PyTorch references for the metric family (catalog/metric.md, docs/ops-metrics.md): the
image-similarity losses (losses/image/) and the metrics and scores of ops/metric/, run by
oracle.py on the C++ cases (tests/losses/ssim_loss.cpp, ms_ssim_loss.cpp, tests/ops/metric/).

Every reference is written from the formulas in the ops' header comments with plain torch.
ms_ssim_loss is also run through pytorch-msssim (the catalog's reference port) when it can be
imported: the two must agree to 1e-6 relative (the port's own float32 window arithmetic may
differ from the correctly rounded float32 window by an ulp), or the run stops. The port is not
in Debian; the committed fixtures were checked with it from a venv that sees Debian's torch:

    /usr/bin/python3 -m venv --system-site-packages /tmp/venv-msssim
    /tmp/venv-msssim/bin/pip install pytorch-msssim==1.0.0
    /tmp/venv-msssim/bin/python tools/oracle/oracle.py --only ms_ssim_loss --check

Run with /usr/bin/python3 the cross-check is skipped and the fixtures come out the same."""
import math

import torch
import torch.nn.functional as F

try:
    from pytorch_msssim import ms_ssim as port_ms_ssim
except Exception:  # noqa: BLE001 - the port absent: own references only
    port_ms_ssim = None

STANDARD_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _reduce(values, reduction):
    return {"none": values, "sum": values.sum(), "mean": values.mean()}[reduction]


def _window(size, sigma, like):
    """The normalized Gaussian computed in float64 and rounded to float32 once."""
    i = torch.arange(size, dtype=torch.float64) - size // 2
    g = torch.exp(-i * i / (2 * sigma * sigma))
    return (g / g.sum()).float().to(like.dtype)


def _blur(x, g, same):
    """Depthwise blur of x [N, C, *S] with g along each spatial dim, one dim at a time."""
    c, nd, k = x.shape[1], x.dim() - 2, g.numel()
    conv = F.conv2d if nd == 2 else F.conv3d
    for d in range(nd):
        shape = [1, 1] + [1] * nd
        shape[2 + d] = k
        pad = [0] * nd
        if same:
            pad[d] = k // 2
        w = g.reshape(shape).expand([c] + shape[1:])
        x = conv(x, w, padding=pad, groups=c)
    return x


def _stats(x, y, pool):
    mx, my = pool(x), pool(y)
    return mx, my, pool(x * x) - mx * mx, pool(y * y) - my * my, pool(x * y) - mx * my


def _ssim_loss(I, A):
    x, y = I["input"], I["target"]
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    if A["variant"] == "ssim":
        g = _window(11, 1.5, x)
        pool = lambda t: _blur(t, g, True)  # noqa: E731
    else:
        pool = lambda t: F.avg_pool2d(t, 3, 1, 1)  # noqa: E731
    mx, my, sxx, syy, sxy = _stats(x, y, pool)
    s = (2 * mx * my + c1) * (2 * sxy + c2) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    loss = 1 - s if A["variant"] == "ssim" else torch.clamp((1 - s) / 2, 0, 1)
    return _reduce(loss, A["reduction"])


def _ms_ssim_values(x, y, w, A):
    g = _window(A["win_size"], A["win_sigma"], x)
    c1, c2 = (A["k1"] * A["data_range"]) ** 2, (A["k2"] * A["data_range"]) ** 2
    pool = F.avg_pool2d if x.dim() == 4 else F.avg_pool3d
    terms = []
    for j in range(w.numel()):
        mx, my, sxx, syy, sxy = _stats(x, y, lambda t: _blur(t, g, False))
        cs = (2 * sxy + c2) / (sxx + syy + c2)
        if j + 1 < w.numel():
            terms.append(torch.relu(cs.flatten(2).mean(-1)))
            pad = [s % 2 for s in x.shape[2:]]
            x, y = pool(x, 2, padding=pad), pool(y, 2, padding=pad)
        else:
            ss = ((2 * mx * my + c1) / (mx * mx + my * my + c1) * cs).flatten(2).mean(-1)
            terms.append(torch.relu(ss))
    return torch.prod(torch.stack(terms) ** w.view(-1, 1, 1), dim=0)


def _ms_ssim_loss(I, A):
    x, y = I["input"], I["target"]
    w = I.get("weights", torch.tensor(STANDARD_WEIGHTS, dtype=torch.float64)).to(x.dtype)
    ms = _ms_ssim_values(x, y, w, A)
    if port_ms_ssim is not None:
        theirs = port_ms_ssim(x.detach(), y.detach(), data_range=A["data_range"],
                              size_average=False, win_size=A["win_size"],
                              win_sigma=A["win_sigma"], weights=w.tolist(),
                              K=(A["k1"], A["k2"])) if min(x.shape[-2:]) > (
                                  A["win_size"] - 1) * 16 else None
        if theirs is not None:
            ours = ms.detach().mean(1)
            assert torch.allclose(ours, theirs, rtol=1e-6, atol=1e-9), (ours, theirs)
    return _reduce(1 - ms, A["reduction"])


REFS = {"ssim_loss": _ssim_loss, "ms_ssim_loss": _ms_ssim_loss}


# ---- spectral metrics ----

def _rankme(I, A):
    s = torch.linalg.svdvals(I["z"])
    p = s / s.sum(-1, keepdim=True) + A["eps"]
    return torch.exp(-(p * torch.log(p)).sum(-1))


def _centred_rows(r):
    c = r - r.mean(-2, keepdim=True)
    return c / c.norm(dim=-1, keepdim=True).clamp_min(1e-12)


def _matrix_nuclear_norm(I, A):
    r = I["r"]
    l, d = r.shape[-2], r.shape[-1]
    col = _centred_rows(r).norm(dim=-2)
    top = A["top"] if A["top"] > 0 else min(l, d)
    return col.sort(dim=-1, descending=True).values[..., :top].sum(-1) / l


def _matrix_entropy(I, A):
    z = _centred_rows(I["r"])
    a = z.transpose(-1, -2) @ z / z.shape[-2]
    tr = a.diagonal(dim1=-2, dim2=-1).sum(-1)
    s = torch.linalg.svdvals(a / tr[..., None, None])
    return -(s * torch.log(s)).nansum(-1) / math.log(a.shape[-1])


def _diffusion_spectral_entropy(I, A):
    x, sigma = I["x"], A["sigma"]
    diff = x[:, None, :] - x[None, :, :]
    d2 = (diff * diff).sum(-1)  # exact pairwise squared distances (0 on the diagonal)
    g = torch.exp(-d2 / (2 * sigma ** 2)) / (sigma * math.sqrt(2 * math.pi))
    deg = g.sum(1) ** -0.5
    k = deg[:, None] * g * deg[None, :]
    ev = torch.linalg.eigvalsh(k)
    if A["drop_trivial"]:
        ev = ev.sort(descending=True).values[1:]
    e = ev.abs() ** A["t"]
    p = e / e.sum() + A["eps"]
    return -(p * torch.log2(p)).sum()


def _tolerance_metric(I, A):
    f = F.normalize(I["features"], dim=1)
    lab = I["labels"]
    n = f.shape[0]
    same = (lab[:, None] == lab[None, :]) & ~torch.eye(n, dtype=torch.bool)
    return (f @ f.t())[same].mean()


REFS.update({
    "rankme": _rankme,
    "matrix_nuclear_norm": _matrix_nuclear_norm,
    "matrix_entropy": _matrix_entropy,
    "diffusion_spectral_entropy": _diffusion_spectral_entropy,
    "tolerance_metric": _tolerance_metric,
})


# ---- evaluation scores (no gradient) ----

def _ece(I, A):
    z, y, bins = I["logits"], I["labels"], A["n_bins"]
    conf, pred = F.softmax(z, 1).max(1)
    acc = (pred == y).to(torch.float64)
    edges = torch.linspace(0, 1, bins + 1, dtype=torch.float64)
    conf64 = conf.to(torch.float64)
    out = torch.zeros((), dtype=torch.float64)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf64 > lo) & (conf64 <= hi)
        if m.any():
            out = out + m.to(torch.float64).mean() * (conf64[m].mean() - acc[m].mean()).abs()
    return out.to(z.dtype)


def _transfer_score(I, A):
    w, x, probs = I["weight"], I["features"], I["probs"]
    pts, idx = I["uniform_points"], I["sample_index"]
    c = w.shape[0]
    wn = F.normalize(w, dim=1)
    cos = (wn @ wn.t())[~torch.eye(c, dtype=torch.bool)].clamp(-1, 1)
    u_term = ((torch.acos(cos) - math.acos(-1 / (c - 1))) ** 2).mean()
    u = torch.cdist(pts, x).min(1).values
    near = torch.cdist(x[idx], x).sort(dim=1).values[:, 1]
    h = u.sum() / (u.sum() + near.sum())
    ims = []
    for p in probs:
        pbar = p.mean(0)
        ims.append(-(p * torch.log(p + 1e-5)).sum(1).mean() + (pbar * torch.log(pbar + 1e-6)).sum())
    return h - torch.stack(ims).mean() / math.log(c) - u_term


def _dc_pdd_score(I, A):
    p, ids, counts = I["token_probs"], I["token_ids"], I["counts"]
    f = (counts + 1) / (counts.sum() + counts.numel())
    first = [i for i, t in enumerate(ids.tolist()) if t not in ids.tolist()[:i]]
    keep = torch.tensor(first)
    ce = torch.clamp(p[keep] * -torch.log(f[ids[keep]]), max=A["a"])
    return -ce.mean()


def _el2n_score(I, A):
    z, y = I["logits"], I["labels"]
    err = F.softmax(z, -1) - F.one_hot(y, z.shape[-1]).to(z.dtype)
    return err.norm(dim=-1).mean(0)


def _ssl_prototype_score(I, A):
    s = F.normalize(I["z"], dim=1) @ F.normalize(I["centroids"], dim=1).t()
    return 1 - s.max(1).values


def _klom(I, A):
    pu, po = I["margins_unlearned"], I["margins_oracle"]
    bins, eps, clip = A["bins"], A["eps"], A["clip"]
    out = []
    for j in range(pu.shape[1]):
        p = pu[:, j].to(torch.float64).clamp(-clip, clip)
        q = po[:, j].to(torch.float64).clamp(-clip, clip)
        lo, hi = min(p.min().item(), q.min().item()), max(p.max().item(), q.max().item())
        hi = lo + 1 if lo >= hi else hi
        edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64)

        def count(v):
            b = torch.bucketize(v, edges, right=True)  # np.digitize: e[b-1] <= v < e[b]
            return torch.stack([(b == i).sum() for i in range(1, bins + 1)]).to(torch.float64)

        pc, qc = count(p), count(q)
        pp = pc / pc.sum() if pc.sum() > 0 else pc
        qp = qc / qc.sum() if qc.sum() > 0 else qc
        qs = torch.where(pp > 0, qp.clamp(min=eps), qp)
        pp = pp / pp.sum() if pp.sum() > 0 else pp
        qs = qs / qs.sum() if qs.sum() > 0 else qs
        m = pp > 0
        out.append((pp[m] * torch.log(pp[m] / qs[m])).sum())
    return torch.stack(out).to(pu.dtype)


def _klom_margins(I, A):
    z, y = I["logits"], I["labels"]
    hot = F.one_hot(y, z.shape[-1]).bool().expand_as(z)
    fy = torch.where(hot, z, torch.zeros_like(z)).sum(-1)
    return fy - z.masked_fill(hot, float("-inf")).logsumexp(-1)


def _color_filter_score(I, A):
    y, ignore = I["labels"], A["ignore_index"]

    def nll(lg):
        v = lg.shape[-1]
        ce = F.cross_entropy(lg[:, :-1].reshape(-1, v), y[:, 1:].reshape(-1),
                             ignore_index=ignore, reduction="none")
        return ce.view(y.shape[0], -1).mean(1)

    return nll(I["logits_prior"]) - nll(I["logits_cond"])


REFS.update({
    "ece": _ece,
    "transfer_score": _transfer_score,
    "dc_pdd_score": _dc_pdd_score,
    "el2n_score": _el2n_score,
    "ssl_prototype_score": _ssl_prototype_score,
    "klom": _klom,
    "klom_margins": _klom_margins,
    "color_filter_score": _color_filter_score,
})


def _opis(I, A):
    dist, lab, d = I["distances"], I["labels"].tolist(), I["thresholds"].to(torch.float64)
    n = dist.shape[0]
    iu = torch.triu_indices(n, n, 1)
    v = dist[iu[0], iu[1]].to(torch.float64)
    li, lj = torch.tensor(lab)[iu[0]], torch.tensor(lab)[iu[1]]
    curves = []
    for c in sorted(set(lab)):
        pos = (li == c) & (lj == c)
        neg = (li == c) ^ (lj == c)
        if pos.sum() == 0 or neg.sum() == 0:
            continue
        tpr = (v[pos][:, None] <= d[None, :]).to(torch.float64).mean(0)
        tnr = (v[neg][:, None] > d[None, :]).to(torch.float64).mean(0)
        s = tpr + tnr
        curves.append(torch.where(s > 0, 2 * tpr * tnr / torch.where(s > 0, s, 1.0), 0.0 * s))
    u = torch.stack(curves)
    var = ((u - u.mean(0)) ** 2).mean(0)
    return (torch.trapz(var, d) / (d[-1] - d[0])).to(dist.dtype)


REFS["opis"] = _opis
