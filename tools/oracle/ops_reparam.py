"""PyTorch references for the weight reparameterizations (ops/reparam/) and the reparam-family
quantizers of ops/quant/ (shiftquant, jlcm_codebook_ste), run by oracle.py on the C++ cases (tests/ops/reparam/,
tests/ops/quant/). Written anew from the formulas of catalog/reparam.md and the official code
each op's header cites; stop-gradients (DoRA's row norm, sigmaReparam's power-iteration
vectors) are the references' own `torch.no_grad()` / `.detach()`, so the fixtures hold the
defined gradients, not the forward's derivative."""
import math

import torch
import torch.nn.functional as F


def _lora_linear(I, A):
    x, w, a, b = I["x"], I["weight"], I["lora_a"], I["lora_b"]
    bias, m = I.get("bias"), I.get("magnitude")
    r = a.shape[0]
    scale = A["alpha"] / (math.sqrt(r) if A["rs"] else r)
    adapter = scale * ((F.dropout(x, A["p"], A["training"]) @ a.t()) @ b.t())
    if m is None:
        y = x @ w.t() + adapter
        return y if bias is None else y + bias
    with torch.no_grad():
        row_norm = torch.linalg.vector_norm(w + scale * (b @ a), dim=1)
    y = (m / row_norm) * (x @ w.t() + adapter)
    return y if bias is None else y + bias


def _zero_mean_linear(I, A):
    w, bias = I["weight"], I.get("bias")
    centered = w - w.mean(dim=0, keepdim=True)
    y = I["x"] @ centered.t()
    return y if bias is None else y + (bias - bias.mean())


def _sigma_reparam(I, A):
    w, gamma, u = I["weight"], I["gamma"], I["u"]
    flat = w.reshape(w.shape[0], -1)
    with torch.no_grad():
        v = F.normalize(flat @ u, dim=0)
        u_next = F.normalize(flat.t() @ v, dim=0)
    sigma = torch.dot(v, flat @ u_next)
    return gamma.reshape([1] * w.dim()) * w / sigma, sigma, (u_next if A["training"] else u)


def _mip_hypernet(I, A):
    z = I["z"]
    if A["encoding"] == "cos|sin":
        enc = torch.cat([torch.cos(math.pi * z / 2), torch.sin(math.pi * z / 2)], dim=-1)
    else:
        enc = torch.cat([z, 1 - z], dim=-1)
    h = F.leaky_relu(F.linear(enc, I["w_hidden"], I.get("b_hidden")), A["negative_slope"])
    return F.linear(h, I["w_out"], I["theta0"])


def _orthogonal_linear(I, A):
    """torch.nn.utils.parametrizations.orthogonal's forward, from its definition."""
    x, base, kind = I["x"], I.get("base"), A["kind"]
    transposed = x.shape[0] < x.shape[1]
    if transposed:
        x = x.t()
    n, k = x.shape
    if kind == "householder":
        low = x.tril(-1)
        tau = 2.0 / (1.0 + (low * low).sum(dim=0))
        q = torch.linalg.householder_product(low, tau)
        q = q * x.detach().diagonal().trunc().unsqueeze(0)
    else:
        low = x.tril()
        if n != k:
            low = torch.cat([low, low.new_zeros(n, n - k)], dim=1)
        a = low - low.t()
        if kind == "matrix_exp":
            q = torch.matrix_exp(a)
        else:
            eye = torch.eye(n, dtype=x.dtype)
            q = torch.linalg.solve(eye - a / 2, eye + a / 2)
        q = q[:, :k]
    if base is not None:
        q = base @ q
    return q.t() if transposed else q


def _ost_equivalent_transform(I, A):
    low = I["s"].tril(-1)
    rot = torch.matrix_exp(low - low.t())
    lam = I["log_scale"].exp()
    return (I["x"] / lam) @ rot, rot.t() @ (lam[:, None] * I["w"])


def _dkm_cluster_weights(I, A):
    w, c = I["w"], I["centroids"].detach()  # the state: the start centroids
    if not A["training"]:
        nearest = ((w[:, None, :] - c[None]) ** 2).sum(-1).argmin(-1)
        return c[nearest], c
    previous = None
    for _ in range(A["max_iter"]):
        dist = ((w[:, None, :] - c[None]) ** 2).sum(-1)
        attn = torch.softmax(-dist / A["tau"], dim=-1).clamp(min=A["floor"])
        c = (attn.t() @ w) / attn.sum(0)[:, None]
        inertia = float(dist.min(-1).values.sum())
        if previous is not None and previous != 0 and abs(previous - inertia) <= A["tol"]:
            break
        previous = inertia
    return attn @ c, c.detach()


def _shiftquant(I, A):
    x = I["x"]
    qmax = 2 ** (A["bits"] - 1) - 1
    groups = x.detach().reshape(-1, A["group"])
    peak = groups.abs().amax(dim=1, keepdim=True).clamp(min=1e-12)
    scale = torch.exp2(torch.ceil(torch.log2(peak / qmax)))
    quantized = (torch.clamp(torch.round(groups / scale), -qmax, qmax) * scale).reshape(x.shape)
    return x + (quantized - x).detach()


def _weight_compander(I, A):
    w, a, b = I["w"], I["a"].reshape(()), I["b"].reshape(())
    positive = w >= 0  # one branch per half-line: the slope at 0 is a b / ln(1 + b)
    up = torch.log1p(b * torch.where(positive, w, torch.zeros_like(w)))
    down = -torch.log1p(-b * torch.where(positive, torch.zeros_like(w), w))
    return a * torch.where(positive, up, down) / torch.log1p(b)


def _jlcm_codebook_ste(I, A):
    w, codebook = I["w"], I["codebook"]
    nearest = (w.detach().reshape(-1, 1) - codebook.detach()[None]).abs().argmin(dim=1)
    quantized = codebook[nearest].reshape(w.shape)
    return (w - w.detach()) + quantized


REFS = {
    "lora_linear": _lora_linear,
    "zero_mean_linear": _zero_mean_linear,
    "sigma_reparam": _sigma_reparam,
    "mip_hypernet": _mip_hypernet,
    "orthogonal_linear": _orthogonal_linear,
    "ost_equivalent_transform": _ost_equivalent_transform,
    "dkm_cluster_weights": _dkm_cluster_weights,
    "shiftquant": _shiftquant,
    "weight_compander": _weight_compander,
    "jlcm_codebook_ste": _jlcm_codebook_ste,
}
