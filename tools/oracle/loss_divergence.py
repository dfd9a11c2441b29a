"""PyTorch references for the divergence losses (catalog/divergence.md, docs/ops-losses.md), run
by oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas."""
import math

import torch


def _kl(log_q, p, log_p):
    # sum-free elementwise p (log p - log q), 0 where p = 0
    return torch.where(p > 0, p * (log_p - log_q), torch.zeros_like(p))


def _kl_divergence(I, A):
    x, t = I["input"], I["target"]
    if A["log_target"]:
        log_p, p = t, t.exp()
    else:
        p = t
        log_p = torch.where(t > 0, t, torch.ones_like(t)).log()
    terms = _kl(x, p, log_p)
    if A["symmetric"]:
        terms = terms + x.exp() * (x - log_p)
    r = A["reduction"]
    if r == "none":
        return terms
    if r == "sum":
        return terms.sum()
    if r == "mean":
        return terms.mean()
    return terms.sum() / x.shape[0]  # batchmean


REFS = {
    "kl_divergence": _kl_divergence,
}


def _kl_estimator(I, A):
    r = I["ref"].detach() - I["input"]
    if A["which"] == "k1":
        return -r
    if A["which"] == "k2":
        return 0.5 * r * r
    if A["clamp"]:
        r = torch.clamp(r, -20.0, 20.0)
        return torch.clamp(torch.exp(r) - 1 - r, -10.0, 10.0)
    return torch.exp(r) - 1 - r


REFS["kl_estimator"] = _kl_estimator


def _gram(a, b, s):
    d2 = (a * a).sum(-1)[:, None] + (b * b).sum(-1)[None, :] - 2 * a @ b.t()
    return torch.exp(-d2.abs() / (2 * s * s))


def _cs_divergence(I, A):
    x, y, s = I["x"], I["y"], A["sigma"]
    n, m = x.shape[0], y.shape[0]
    return (-2 * torch.log(_gram(x, y, s).sum() / (n * m))
            + torch.log(_gram(x, x, s).sum() / n ** 2) + torch.log(_gram(y, y, s).sum() / m ** 2))


def _cs_divergence_conditional(I, A):
    x, y, yh, s = I["x"], I["target"], I["input"], A["sigma"]
    x = x.reshape(x.shape[0], -1)
    k = _gram(x, x, s)
    r = (k * k).sum(-1)

    def f(l):
        return ((k * l).sum(-1) / r).sum()
    return (-2 * torch.log2(f(_gram(yh, y, s))) + torch.log2(f(_gram(y, y, s)))
            + torch.log2(f(_gram(yh, yh, s))))


def _qmi(a, b, s):
    n = a.shape[0]
    ka, kb = _gram(a, a, s), _gram(b, b, s)
    t1 = torch.trace(ka @ kb.t()) / n ** 2
    t2 = ka.sum() * kb.sum() / n ** 4
    t3 = (ka.sum(1) @ kb.sum(1)) / n ** 3
    return -2 * torch.log2(t3) + torch.log2(t1) + torch.log2(t2)


def _cs_qmi(I, A):
    x, z, s = I["x"], I["z"], A["sigma"]
    x, z = x.reshape(x.shape[0], -1), z.reshape(z.shape[0], -1)
    i = _qmi(x, z, s)
    return i / torch.sqrt(_qmi(x, x, s) * _qmi(z, z, s)) if A["normalized"] else i


REFS["cs_divergence"] = _cs_divergence
REFS["cs_divergence_conditional"] = _cs_divergence_conditional
REFS["cs_qmi"] = _cs_qmi


def _cs_ib_loss(I, A):
    s = A["sigma"]
    pred = _cs_divergence_conditional(I, {"sigma": s})
    x = I["x"].reshape(I["x"].shape[0], -1)
    z = I["z"].reshape(I["z"].shape[0], -1)
    return pred + A["beta"] * _qmi(x, z, s) / torch.sqrt(_qmi(x, x, s) * _qmi(z, z, s))


REFS["cs_ib_loss"] = _cs_ib_loss


def _energy_dist(a, b):
    d2 = (a * a).sum(-1)[..., :, None] - 2 * a @ b.transpose(-1, -2) + (b * b).sum(-1)[..., None, :]
    return torch.sqrt(torch.clamp(d2, min=1e-8))


def _energy(x, y):
    m = (-2, -1)
    return (_energy_dist(x, y).mean(m) - 0.5 * _energy_dist(x, x).mean(m)
            - 0.5 * _energy_dist(y, y).mean(m))


def _hausdorff_divergence(I, A):
    x, y = I["x"], I["y"]
    x = x.reshape(x.shape[0], x.shape[1], -1)
    y = y.reshape(y.shape[0], y.shape[1], -1)
    return _energy(x, y).mean()


REFS["energy_distance"] = lambda I, A: _energy(I["x"], I["y"])
REFS["hausdorff_divergence"] = _hausdorff_divergence


def _frechet_distance(I, A):
    f1, f2 = I["f1"], I["f2"]
    eye = A["eps"] * torch.eye(f1.shape[1], dtype=f1.dtype)

    def cov(f):
        c = f - f.mean(0, keepdim=True)
        return c.t() @ c / (f.shape[0] - 1) + eye
    s1, s2 = cov(f1), cov(f2)
    w, v = torch.linalg.eigh(s1)
    r = v @ torch.diag(w.clamp(min=0).sqrt()) @ v.t()
    tr_sqrt = torch.linalg.eigvalsh(r @ s2 @ r).clamp(min=0).sqrt().sum()
    dmu = f1.mean(0) - f2.mean(0)
    return (dmu * dmu).sum() + torch.trace(s1) + torch.trace(s2) - 2 * tr_sqrt


REFS["frechet_distance"] = _frechet_distance


def _sinkhorn_divergence(I, A):
    x, y, blur, scaling = I["x"], I["y"], A["blur"], A["scaling"]
    p = A["p"]

    def cost(u, v):
        return ((u * u).sum(-1)[:, None] - 2 * u @ v.t() + (v * v).sum(-1)[None, :]) / 2

    def softmin(eps, c, h):
        return -eps * torch.logsumexp(h[None, :] - c / eps, dim=1)
    n, m = x.shape[0], y.shape[0]
    la = torch.full((n,), -math.log(n), dtype=x.dtype)
    lb = torch.full((m,), -math.log(m), dtype=x.dtype)
    if A.get("iterations", 0) > 0:
        return _sinkhorn_iterated(x, y, blur ** p, la, lb, A["iterations"], A["tolerance"],
                                  cost, softmin)
    both = torch.cat([x.detach(), y.detach()])
    diam = (both.max(0).values - both.min(0).values).norm().item()
    steps = torch.arange(p * math.log(diam), p * math.log(blur), p * math.log(scaling),
                         dtype=torch.float64).tolist()
    eps_list = [diam ** p] + [math.exp(e) for e in steps] + [blur ** p]
    xd, yd = x.detach(), y.detach()
    with torch.no_grad():
        cxy, cyx, cxx, cyy = cost(xd, yd), cost(yd, xd), cost(xd, xd), cost(yd, yd)
        e = eps_list[0]
        g_ab, f_ba = softmin(e, cyx, la), softmin(e, cxy, lb)
        f_aa, g_bb = softmin(e, cxx, la), softmin(e, cyy, lb)
        for e in eps_list:
            new = (softmin(e, cxy, lb + g_ab / e), softmin(e, cyx, la + f_ba / e),
                   softmin(e, cxx, la + f_aa / e), softmin(e, cyy, lb + g_bb / e))
            f_ba, g_ab, f_aa, g_bb = [(o + t) / 2 for o, t in zip((f_ba, g_ab, f_aa, g_bb), new)]
    e = eps_list[-1]
    fl_ba, gl_ab = softmin(e, cost(x, yd), lb + g_ab / e), softmin(e, cost(y, xd), la + f_ba / e)
    fl_aa, gl_bb = softmin(e, cost(x, xd), la + f_aa / e), softmin(e, cost(y, yd), lb + g_bb / e)
    return (fl_ba - fl_aa).mean() + (gl_ab - gl_bb).mean()


def _sinkhorn_iterated(x, y, eps, la, lb, iterations, tol, cost, softmin):
    # fixed eps, potentials from zero; alternating updates for (f_ba, g_ab), averaged symmetric
    # updates for f_aa, g_bb; autograd through every sweep; stop when no potential moves more
    # than tol (tol > 0)
    cxy, cxx, cyy = cost(x, y), cost(x, x), cost(y, y)
    f_ba = softmin(eps, cxy, lb)
    g_ab = softmin(eps, cxy.t(), la + f_ba / eps)
    f_aa, g_bb = softmin(eps, cxx, la), softmin(eps, cyy, lb)
    for _ in range(1, iterations):
        f = softmin(eps, cxy, lb + g_ab / eps)
        g = softmin(eps, cxy.t(), la + f / eps)
        ff = (f_aa + softmin(eps, cxx, la + f_aa / eps)) / 2
        gg = (g_bb + softmin(eps, cyy, lb + g_bb / eps)) / 2
        change = max((new - old).abs().max().item()
                     for new, old in ((f, f_ba), (g, g_ab), (ff, f_aa), (gg, g_bb)))
        f_ba, g_ab, f_aa, g_bb = f, g, ff, gg
        if tol > 0 and change <= tol:
            break
    return (f_ba - f_aa).mean() + (g_ab - g_bb).mean()


REFS["sinkhorn_divergence"] = _sinkhorn_divergence
