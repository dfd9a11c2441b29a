"""PyTorch references for the entropy losses (catalog/entropy.md, docs/ops-losses.md), run by
oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas."""
import math

import torch


def _reduce(values, reduction):
    return {"none": values, "sum": values.sum(), "mean": values.mean()}[reduction]


def _prediction_entropy(I, A):
    z = I["input"]
    log_p = torch.log_softmax(z, dim=1)
    h = -(log_p.exp() * log_p).sum(dim=1)
    if A["normalized"]:
        h = h / math.log(z.shape[1])
    return _reduce(h, A["reduction"])


def _attention_entropy(I, A):
    a = I["attn"]
    return _reduce(-(a * torch.log(a + A["delta"])).sum(dim=-1), A["reduction"])


REFS = {
    "prediction_entropy": _prediction_entropy,
    "attention_entropy": _attention_entropy,
}


def _tsallis_entropy(I, A):
    p = I["probs"] + A["eps"]
    q, e = A["q"], p.shape[-1]
    if abs(q - 1.0) < 1e-12:
        s, s_max = -(p * torch.log(p)).sum(dim=-1), math.log(e)
    else:
        s, s_max = (1 - (p ** q).sum(dim=-1)) / (q - 1), (1 - e ** (1 - q)) / (q - 1)
    return s / s_max if A["normalize"] else s


REFS["tsallis_entropy"] = _tsallis_entropy


def _aem_loss(I, A):
    z, y, a = I["input"], I["target"], I["attn_logits"]
    if A["top_k"] > 0:
        w = torch.softmax(a, dim=-1).topk(A["top_k"], dim=-1).values
        w = w / w.sum(dim=-1, keepdim=True)
        neg_ent = (w * torch.log(w)).sum()
    else:
        log_a = torch.log_softmax(a, dim=-1)
        neg_ent = (log_a.exp() * log_a).sum()
    return torch.nn.functional.cross_entropy(z, y) + A["lam"] * neg_ent


def _happy_entropy_reg(I, A):
    z, k_old = I["input"], A["k_old"]
    p = torch.softmax(z / A["temperature"], dim=1).mean(dim=0)
    old, new = p[:k_old], p[k_old:]
    po, pn = old.sum(), new.sum()
    l_on = po * torch.log(po) + pn * torch.log(pn) + math.log(2)
    qo = old / po
    loss = A["w_on"] * l_on + A["w_o"] * ((qo * torch.log(qo)).sum() + math.log(k_old))
    if new.numel() > 1:
        qn = new / pn
        loss = loss + A["w_n"] * ((qn * torch.log(qn)).sum() + math.log(new.numel()))
    return loss


def _token_entropy_bonus(I, A):
    log_p = torch.log_softmax(I["input"], dim=-1)
    h = -(log_p.exp() * log_p).sum(dim=-1)
    m = I.get("mask")
    if m is None:
        return -A["alpha"] * h.mean()
    m = m.to(h.dtype)
    return -A["alpha"] * (h * m).sum() / m.sum().clamp(min=1.0)


REFS["aem_loss"] = _aem_loss
REFS["happy_entropy_reg"] = _happy_entropy_reg
REFS["token_entropy_bonus"] = _token_entropy_bonus


def _entropy_band_reg(I, A):
    attn, w = I["attn"], I["w_heads"]
    e_max = math.log(attn[0].shape[-1])
    total = 0.0
    for a in attn:
        ent = -(a * torch.log(a + 1e-9)).sum(dim=-1)
        dev = ent - w.view(1, -1, 1) * e_max
        pen = torch.where(dev.abs() > A["tolerance"] * e_max, dev, torch.zeros_like(dev)) ** 2
        total = total + pen.sum(dim=(0, 2)).mean()
    return A["lam"] * total / len(attn)


REFS["entropy_band_reg"] = _entropy_band_reg


def _woc_entropy_min(I, A):
    za, zo = I["input"], I["source"].detach()
    log_pa = torch.log_softmax(za, dim=1)
    pa, po = log_pa.exp(), torch.softmax(zo, dim=1)
    c = po.argmax(dim=1, keepdim=True)
    keep = (pa.gather(1, c).detach() >= po.gather(1, c)).to(za.dtype).squeeze(1)
    h = -(pa * log_pa).sum(dim=1)
    loss = (h * keep).sum() / keep.sum().clamp(min=1.0)
    pbar = pa.mean(dim=0)
    return loss + A["div_weight"] * (pbar * torch.log(pbar)).sum()


REFS["woc_entropy_min"] = _woc_entropy_min


def _cema_sed_loss(I, A):
    zs, zt = I["input"], I["teacher"].detach()

    def ent(z):
        lp = torch.log_softmax(z, dim=1)
        return -(lp.exp() * lp).sum(dim=1)
    hs = ent(zs)
    if A["e_max"] is None or math.isnan(A["e_max"]):
        ws = wt = torch.ones_like(hs)
    else:
        ws, wt = torch.exp(-(hs.detach() - A["e_max"])), torch.exp(-(ent(zt) - A["e_max"]))
    t = A["temperature"]
    pt = torch.softmax(zt / t, dim=1)
    kl = (pt * (torch.log_softmax(zt / t, dim=1) - torch.log_softmax(zs / t, dim=1))).sum(1) * t * t
    ce = torch.nn.functional.cross_entropy(zs, zt.argmax(dim=1), reduction="none")
    return A["alpha"] * (ws * hs).mean() + A["beta"] * (wt * kl).mean() + A["gamma"] * (wt * ce).mean()


REFS["cema_sed_loss"] = _cema_sed_loss


def _deyo_loss(I, A):
    z, zd = I["input"], I["destroyed"].detach()
    log_c = math.log(z.shape[1])
    log_p = torch.log_softmax(z, dim=1)
    p = log_p.exp()
    ent = -(p * log_p).sum(dim=1)
    y = z.argmax(dim=1, keepdim=True)
    plpd = (p.gather(1, y) - torch.softmax(zd, dim=1).gather(1, y)).squeeze(1).detach()
    keep = ((ent.detach() < A["tau_ent"] * log_c) & (plpd > A["tau_plpd"])).to(z.dtype)
    alpha = torch.zeros_like(ent)
    if A["reweight_ent"]:
        alpha = alpha + torch.exp(-(ent.detach() - A["ent0"] * log_c))
    if A["reweight_plpd"]:
        alpha = alpha + torch.exp(plpd)
    if not A["reweight_ent"] and not A["reweight_plpd"]:
        alpha = torch.ones_like(ent)
    return (keep * alpha * ent).sum() / keep.sum().clamp(min=1.0)


REFS["deyo_loss"] = _deyo_loss


def _cross_attention_entropy_loss(I, A):
    p = torch.softmax(I["attn"] / A["temperature"], dim=-1)[:, :, I["token_idx"]]
    lo, hi = p.amin(dim=(0, 1), keepdim=True), p.amax(dim=(0, 1), keepdim=True)
    p = (p - lo) / (hi - lo)
    p = p / p.sum(dim=(0, 1), keepdim=True)
    return -2 * (p * torch.log(p + A["eps"])).sum()


REFS["cross_attention_entropy_loss"] = _cross_attention_entropy_loss
