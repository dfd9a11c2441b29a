"""PyTorch references for the generative losses (catalog/generative.md, docs/ops-losses.md) and
dim_timestep_shift (docs/ops-core.md), run by oracle.py on the C++ cases (tests/losses/).
Written from the catalog's formulas; the bilinear resize of attention_refocusing_loss is
F.interpolate itself (lathe builds it from interpolation matrices)."""
import math

import torch
import torch.nn.functional as F


def _reduce(x, reduction):
    if reduction == "none":
        return x
    return x.sum() if reduction == "sum" else x.mean()


def _rectified_flow_loss(I, A):
    v = I["eps"] - I["x0"]
    return _reduce((I["input"] - v) ** 2, A["reduction"])


def _dim_timestep_shift(I, A):
    a = math.sqrt(A["m"] / A["n_base"])
    t = I["t"]
    return a * t / (1 + (a - 1) * t)


def _adc_gan_classifier_loss(I, A):
    z, y, lam = I["input"], I["target"], A["lam"]
    if A["role"] == "generator":
        return lam * (F.cross_entropy(z, 2 * y) - F.cross_entropy(z, 2 * y + 1))
    return lam * (F.cross_entropy(I["real_input"], 2 * I["real_target"])
                  + F.cross_entropy(z, 2 * y + 1))


def _semantic_preservation_loss(I, A):
    return _reduce(1 - F.cosine_similarity(I["input"], I["target"], dim=-1, eps=A["eps"]),
                   A["reduction"])


def _semantic_consistency_loss(I, A):
    c = F.cosine_similarity(I["target"].detach(), I["input"], dim=-1, eps=A["eps"])
    l = -A["lam"] * c if A["form"] == "code" else A["lam"] * (1 - c)
    return _reduce(l, A["reduction"])


def _ddpm_eps_loss(I, A):
    pos = F.mse_loss(I["input"], I["target"])
    if "negative" not in I:
        return pos
    neg = F.mse_loss(I["negative"], I["target"])
    return (pos + torch.relu(pos - neg + A["margin"])) / 2


def _compositional_nll(I, A):
    e_noise, log_q, beta = I["e_noise"], I["log_q"], A["beta"]
    log_g = torch.logsumexp(-e_noise - log_q, 0) - math.log(e_noise.numel())
    lu = I["log_u"].detach()
    with torch.no_grad():
        if torch.isinf(lu).all() or beta == 1.0:
            nxt = log_g.detach().reshape(lu.shape)
        else:
            nxt = torch.logaddexp(math.log(1 - beta) + lu, math.log(beta) + log_g.detach())
    loss = I["e_data"].mean() + torch.exp(log_g - nxt.reshape(()))
    return loss, nxt.clone()


def _mam_self_consistency_loss(I, A):
    r = I["logp_prefix"] + I["logp_cond"] - I["logp_extended"]
    pen = (r ** 2).mean()
    if A["num_vars"] == 0:
        return pen
    out = A["num_vars"] * pen
    if "logp_empty" in I:
        out = out + (I["logp_empty"] ** 2).mean()
    return out


def _multiplicative_dsm_loss(I, A):
    x, eps, sigma, s = I["x"], I["eps"], I["sigma"], I["input"]
    xt = x * torch.exp(sigma * eps - sigma ** 2 / 2)
    score = -(1 + (torch.log(xt) - torch.log(x) + sigma ** 2 / 2) / sigma ** 2) / xt
    per = ((xt * (s - score)) ** 2).flatten(1).sum(1) if x.dim() > 1 else (xt * (s - score)) ** 2
    return _reduce(per, A["reduction"])


def _semantic_binding_noise_loss(I, A):
    return _reduce((I["input"] - I["target"].detach()) ** 2, A["reduction"])


def _attention_refocusing_loss(I, A):
    maps_all, masks = I["input"], I["target"]
    per = []
    for b in range(maps_all.shape[0]):
        m = F.interpolate(maps_all[b], size=tuple(masks.shape[-2:]), mode="bilinear",
                          align_corners=False)                     # (K, L, H, W)
        m = m - m.detach().amin(dim=(-1, -2), keepdim=True)
        m = m / m.detach().amax(dim=(-1, -2), keepdim=True).clamp_min(1e-12)
        m = torch.where(masks[b][:, None] >= 0.5, torch.ones_like(m), m)
        per.append(((m.mean(1) - masks[b]) ** 2).mean((-1, -2)).mean())
    return _reduce(A["weight"] * torch.stack(per), A["reduction"])


def _occsdf_feature_render_loss(I, A):
    sigma, z, f = I["sigma"], I["z_vals"].detach(), I["feats"]
    w_dec, b_dec, c = I["dec_w"], I["dec_b"], I["target"]
    delta = torch.cat([z[:, 1:] - z[:, :-1], torch.full_like(z[:, :1], 1e10)], 1)
    fe = sigma * delta
    acc = torch.cumsum(torch.cat([torch.zeros_like(fe[:, :1]), fe[:, :-1]], 1), 1)
    w = (1 - torch.exp(-fe)) * torch.exp(-acc)

    def dec(x):
        return 0.5 * torch.tanh(x @ w_dec.t() + b_dec) + 0.5

    l = (dec((w[..., None] * f).sum(1)) - c).abs() \
        + A["lam_dec"] * ((w[..., None] * dec(f)).sum(1) - c).abs()
    return _reduce(l, A["reduction"])


REFS = {
    "rectified_flow_loss": _rectified_flow_loss,
    "dim_timestep_shift": _dim_timestep_shift,
    "adc_gan_classifier_loss": _adc_gan_classifier_loss,
    "semantic_preservation_loss": _semantic_preservation_loss,
    "semantic_consistency_loss": _semantic_consistency_loss,
    "ddpm_eps_loss": _ddpm_eps_loss,
    "compositional_nll": _compositional_nll,
    "mam_self_consistency_loss": _mam_self_consistency_loss,
    "multiplicative_dsm_loss": _multiplicative_dsm_loss,
    "semantic_binding_noise_loss": _semantic_binding_noise_loss,
    "attention_refocusing_loss": _attention_refocusing_loss,
    "occsdf_feature_render_loss": _occsdf_feature_render_loss,
}
