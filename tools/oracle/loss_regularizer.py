"""PyTorch references for the regularizer losses (catalog/regularizer.md, docs/ops-losses.md),
run by oracle.py on the C++ cases (tests/losses/). Written from the catalog's formulas."""
import torch
import torch.nn.functional as F


def _switch_load_balance_loss(I, A):
    r, k, coef = I["router_logits"], A["k"], A["coef"]
    n, e = r.shape
    p = torch.softmax(r, dim=-1)
    chosen = torch.zeros(n, e, dtype=r.dtype)
    chosen.scatter_(1, torch.topk(r.detach(), k, dim=-1).indices, 1.0)  # F_e per token
    m = I.get("mask")
    m = torch.ones(n, dtype=r.dtype) if m is None else m.to(r.dtype)
    total = m.sum().clamp(min=1.0)
    f = (chosen * m[:, None]).sum(0) / total
    pbar = (p * m[:, None]).sum(0) / total
    return coef * e * (f * pbar).sum()


REFS = {
    "switch_load_balance_loss": _switch_load_balance_loss,
}


def _wdr_loss(I, A):
    zs = [(w - w.mean()) / w.std() for w in I["weights"]]
    kurt = torch.stack([((z ** 4).mean() - A["kurt_target"]) ** 2 for z in zs]).mean()
    skew = torch.stack([((z ** 3).mean() - A["skew_target"]) ** 2 for z in zs]).mean()
    return A["kurt_rate"] * kurt + A["skew_rate"] * skew


REFS["wdr_loss"] = _wdr_loss


def _dynmole_router_loss(I, A):
    r = I["router_logits"]
    p = torch.softmax(r, dim=-1)
    e, q = p.shape[-1], A["q"]
    s = (1 - ((p + A["eps"]) ** q).sum(-1)) / (q - 1) / ((1 - e ** (1 - q)) / (q - 1))
    sp, si = p.detach().sort(dim=-1, descending=True)
    keep = (sp.cumsum(dim=-1) <= A["top_p"]).to(p.dtype)
    keep[:, :A["keep_top_k"]] = 1.0
    mask = torch.zeros_like(p).scatter(-1, si, keep)
    mask[s.detach() > A["entropy_threshold"]] = 1.0
    f, pbar = (p * mask).mean(dim=0), p.mean(dim=0)
    return A["lam_ent"] * s.mean() + A["lam_lb"] * e * (f * pbar).sum()


REFS["dynmole_router_loss"] = _dynmole_router_loss


def _contractive_recon_loss(I, A):
    # the Jacobian by autograd (create_graph), not by the closed form the op uses
    x, we, be, wd, bd = I["x"], I["w_enc"], I["b_enc"], I["w_dec"], I["b_dec"]
    act = torch.sigmoid if A["activation"] == "sigmoid" else torch.tanh

    def r(v):
        return act(v @ we.t() + be) @ wd.t() + bd
    rec = ((r(x) - x) ** 2).sum(dim=1).mean()
    xs = x.detach().clone().requires_grad_(True) if not x.requires_grad else x
    jac = torch.autograd.functional.jacobian(lambda v: r(v).sum(0), xs, create_graph=True)
    return rec + A["sigma2"] * jac.pow(2).sum() / x.shape[0]


REFS["contractive_recon_loss"] = _contractive_recon_loss


def _sae_aux_k_loss(I, A):
    x, x_hat, pre, w_dec = I["x"], I["x_hat"], I["pre"], I["w_dec"]
    idx, vals, counter = I["main_idx"], I["main_vals"], I["counter"]
    active = torch.zeros_like(counter).scatter_add(
        0, idx.reshape(-1), (vals > A["active_threshold"]).to(counter.dtype).reshape(-1))
    counter = counter * (1 - active.clamp(max=1)) + 1
    dead = counter > A["dead_tokens"] // x.shape[0]
    e = (x - x_hat).detach()
    k = min(A["k_aux"], pre.shape[1])
    v, i = (pre * dead[None, :].to(pre.dtype)).topk(k, -1)
    z = torch.zeros_like(pre).scatter(-1, i, F.relu(v))
    e_hat = z @ w_dec.t()
    loss = (((e_hat - e) ** 2).mean() / ((e.mean(0, keepdim=True) - e) ** 2).mean()).nan_to_num(0.0)
    return loss, counter


def _gradient_norm_penalty(I, A):
    sq = sum((g ** 2).sum() for g in I["grads"])
    sharp = A["rho"] * torch.sqrt(sq)
    return I["loss"].reshape(()) + A["lam"] * (sharp - A["eps"]), sharp


REFS["sae_aux_k_loss"] = _sae_aux_k_loss
REFS["gradient_norm_penalty"] = _gradient_norm_penalty
