"""PyTorch references for the layer family (ops/layer/), run by oracle.py on the C++ cases
(tests/ops/layer/). Written from the formulas of catalog layer.md (and, for hyperbolic_mlr, of
Hyp-OC's hyptorch code with the safety clamps lathe adds, ops/layer/README.md); the random parts
(drop index, style noise, swap mask) are the cases' inputs."""
import torch
import torch.nn.functional as F


def _topk_softmax_gating(I, A):
    h, k = I["h"], A["k"]
    kept = torch.zeros_like(h, dtype=torch.bool).scatter(-1, h.topk(k, -1).indices, True)
    return torch.softmax(h.masked_fill(~kept, float("-inf")), -1)


def _nested_dropout(I, A):
    x, k, axis = I["x"], A["k"], A["axis"] % I["x"].dim()
    shape = [1] * x.dim()
    shape[axis] = x.shape[axis]
    m = (torch.arange(x.shape[axis]) < k).to(x.dtype).view(shape)
    return x * m


def _sq(x):
    return (x * x).sum(-1, keepdim=True)


def _project(x, c):
    r = (1 - 1e-3) / c ** 0.5
    n = _sq(x).clamp_min(1e-10).sqrt()
    return torch.where(n > r, x / n * r, x)


def _hyperbolic_mlr(I, A):
    x, a, p, c = I["x"], I["a"], I["p"], A["c"]
    sc = c ** 0.5
    n = _sq(p).clamp_min(1e-10).sqrt()
    P = _project(torch.tanh((sc * n).clamp(-15, 15)) * p / (sc * n), c)   # [C, D]
    X = _project(x, c).unsqueeze(-2)                                     # [..., 1, D]
    conf = 1 - c * _sq(P)                                                # [C, 1]
    Av = a * conf
    k = 2 / conf.squeeze(-1) * torch.linalg.vector_norm(Av, dim=-1) / sc
    u = -P
    uv = (u * X).sum(-1, keepdim=True)
    m = ((1 + 2 * c * uv + c * _sq(X)) * u + (1 - c * _sq(u)) * X) / \
        (1 + 2 * c * uv + c * c * _sq(u) * _sq(X) + 1e-5)                # [..., C, D]
    num = 2 * sc * (m * Av).sum(-1)
    den = _sq(Av).clamp_min(1e-10).sqrt().squeeze(-1) * \
        (1 - c * _sq(m)).clamp_min(1e-15).squeeze(-1)
    return k * torch.asinh(num / den)


class _Reverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, coeff):
        ctx.coeff = coeff
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return -ctx.coeff * g, None


def _adv_style(I, A):
    x = I["x"]
    dims = tuple(range(2, x.dim()))
    mu = x.mean(dims, keepdim=True)
    sig = (x.var(dims, keepdim=True) + 1e-6).sqrt()
    s_sig = _Reverse.apply(I["s_sigma"], A["coeff"])
    s_mu = _Reverse.apply(I["s_mu"], A["coeff"])
    return (x - mu) / sig * (sig + I["eps_sigma"] * s_sig) + (mu + I["eps_mu"] * s_mu)


def _channel_shuffle(I, A):
    a, b, m = I["y_syn"], I["y_real"], I["mask"]
    m = m.view(-1, *[1] * (a.dim() - 1))
    return torch.where(m, b, a), torch.where(m, a, b)


def _spark_ffn(I, A):
    x, k1, k2, v, k = I["x"], I["k1"], I["k2"], I["v"], A["k"]
    r, f = k1.shape
    pred = x[..., :r] @ k1
    q = torch.special.ndtri(torch.tensor(1.0 - k / f, dtype=x.dtype))
    theta = pred.mean(-1, keepdim=True) + pred.std(-1, unbiased=False, keepdim=True) * q
    return (F.gelu(F.relu(pred - theta)) * (x[..., r:] @ k2)) @ v


def _s4_conv_kernel(I, A):
    dt = I["log_dt"].exp()[:, None]
    a = -I["log_a_real"].exp() + 1j * I["a_imag"]
    c = torch.view_as_complex(I["c"].contiguous())
    dta = a * dt
    ct = c * (torch.exp(dta) - 1) / a
    steps = torch.arange(A["length"], dtype=dt.dtype)
    return 2 * torch.einsum("hn,hnl->hl", ct, torch.exp(dta[..., None] * steps)).real


def _slot_attention(I, A):
    x, s = I["x"], I["slots"]
    b, n, d = x.shape
    s = s.expand(b, -1, -1)
    kk = s.shape[1]

    def ln(t, name):
        return F.layer_norm(t, (d,), I[name + "_weight"], I[name + "_bias"], 1e-5)

    def lin(t, name):
        return F.linear(t, I[name + "_weight"], I[name + "_bias"])

    xn = ln(x, "norm_input")
    k, v = lin(xn, "to_k"), lin(xn, "to_v")
    for _ in range(A["iters"]):
        prev = s
        q = lin(ln(s, "norm_slots"), "to_q")
        attn = torch.softmax(torch.einsum("bid,bjd->bij", q, k) * d ** -0.5, dim=1) + A["eps"]
        attn = attn / attn.sum(-1, keepdim=True)
        upd = torch.einsum("bjd,bij->bid", v, attn)
        s = torch.gru_cell(upd.reshape(-1, d), prev.reshape(-1, d), I["gru_weight_ih"],
                           I["gru_weight_hh"], I["gru_bias_ih"], I["gru_bias_hh"])
        s = s.reshape(b, kk, d)
        s = s + lin(F.relu(lin(ln(s, "norm_pre_ff"), "fc1")), "fc2")
    return s, attn


REFS = {
    "topk_softmax_gating": _topk_softmax_gating,
    "nested_dropout": _nested_dropout,
    "hyperbolic_mlr": _hyperbolic_mlr,
    "adv_style": _adv_style,
    "channel_shuffle": _channel_shuffle,
    "spark_ffn": _spark_ffn,
    "s4_conv_kernel": _s4_conv_kernel,
    "slot_attention": _slot_attention,
}
