"""PyTorch references for the layer family (ops/layer/), run by oracle.py on the C++ cases
(tests/ops/layer/). Written from the formulas of catalog layer.md (and, for hyperbolic_mlr, of
Hyp-OC's hyptorch code with the safety clamps lathe adds, ops/layer/README.md); the random parts
(drop index, style noise, swap mask) are the cases' inputs."""
import math

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


def _gabor(m, n, sigma, theta, xi, slant=1.0):
    """Kymatio's gabor_2d in float64: envelope times plane wave, periodized over 5 x 5."""
    c, s = math.cos(theta), math.sin(theta)
    k00 = (c * c + slant * slant * s * s) / (2 * sigma * sigma)
    k01 = (c * s - slant * slant * s * c) / (2 * sigma * sigma)
    k11 = (s * s + slant * slant * c * c) / (2 * sigma * sigma)
    g = torch.zeros(m, n, dtype=torch.complex128)
    i = torch.arange(m, dtype=torch.float64)[:, None]
    j = torch.arange(n, dtype=torch.float64)[None, :]
    for ex in range(-2, 3):
        for ey in range(-2, 3):
            x, y = i + ex * m, j + ey * n
            arg = torch.complex(-(k00 * x * x + 2 * k01 * x * y + k11 * y * y),
                                x * xi * c + y * xi * s)
            g = g + torch.exp(arg)
    return g / (2 * 3.1415 * sigma * sigma / slant)


def _periodize(f, res):
    m, n = f.shape
    k = 2 ** res
    mask = torch.ones_like(f)
    sx, lx = int(m * 2 ** (-res - 1)), int(m * (1 - 2 ** -res))
    sy, ly = int(n * 2 ** (-res - 1)), int(n * (1 - 2 ** -res))
    mask[sx:sx + lx, :] = 0
    mask[:, sy:sy + ly] = 0
    return (f * mask).reshape(k, m // k, k, n // k).sum((0, 2))


def scattering_filters(m, n, J, L):
    """{'phi': [levels], 'psi': [(j, [levels])]} as kymatio.scattering2d.filter_bank builds
    them (real parts of the filters' 2-D DFTs, periodized per resolution), in float64."""
    psi = []
    for j in range(J):
        for t in range(L):
            sigma, xi = 0.8 * 2 ** j, 3.0 / 4.0 * math.pi / 2 ** j
            theta = (int(L - L / 2 - 1) - t) * math.pi / L
            wave = _gabor(m, n, sigma, theta, xi, 4.0 / L)
            env = _gabor(m, n, sigma, theta, 0.0, 4.0 / L)
            f = torch.fft.fft2(wave - wave.sum() / env.sum() * env).real
            psi.append((j, [_periodize(f, r) for r in range(min(j + 1, max(J - 1, 1)))]))
    f = torch.fft.fft2(_gabor(m, n, 0.8 * 2 ** (J - 1), 0.0, 0.0)).real
    return {"phi": [_periodize(f, r) for r in range(J)], "psi": psi}


def _subsample(z, k):
    b, m, n = z.shape
    return z.reshape(b, k, m // k, k, n // k).mean((1, 3))


def _scattering_transform_2d(I, A):
    x, J, L, order = I["x"], A["j"], A["l"], A["max_order"]
    m, n = x.shape[-2:]
    k = 2 ** J
    mp, np_ = ((m + k) // k + 1) * k, ((n + k) // k + 1) * k
    xr = x.reshape(-1, 1, m, n)
    xr = F.pad(xr, [(np_ - n) // 2, (np_ - n + 1) // 2, (mp - m) // 2, (mp - m + 1) // 2],
               mode="reflect")[:, 0]
    filt = scattering_filters(mp, np_, J, L)
    phi = [p.to(x.dtype) for p in filt["phi"]]
    psi = [(j, [p.to(x.dtype) for p in lv]) for j, lv in filt["psi"]]

    def low(u, j):
        return torch.fft.ifft2(_subsample(u * phi[j], 2 ** (J - j))).real[:, 1:-1, 1:-1]

    u0 = torch.fft.fft2(xr.to(torch.complex128))
    out = [low(u0, 0)]
    u1 = []
    for j1, lv in psi:
        u = torch.fft.fft2(torch.fft.ifft2(_subsample(u0 * lv[0], 2 ** j1)).abs().to(u0.dtype))
        u1.append(u)
        out.append(low(u, j1))
    if order == 2:
        for (j1, _), u in zip(psi, u1):
            for j2, lv in psi:
                if j2 <= j1:
                    continue
                u2 = torch.fft.fft2(
                    torch.fft.ifft2(_subsample(u * lv[j1], 2 ** (j2 - j1))).abs().to(u0.dtype))
                out.append(low(u2, j2))
    s = torch.stack(out, 1)
    return s.reshape(x.shape[:-2] + s.shape[1:])


def check_against_kymatio():
    """Compares _scattering_transform_2d with kymatio.torch.Scattering2D (its filters are
    float32, so about 1e-6 relative). By hand, with kymatio installed, from the repository root
    (inside this folder a module here shadows one kymatio imports):
    python3 -c "import sys; sys.path.append('tools/oracle'); import ops_layer as m;
    m.check_against_kymatio()". kymatio 0.3.0 gave max relative errors 1.1e-7 to 3.8e-7."""
    from kymatio.torch import Scattering2D
    torch.manual_seed(0)
    for shape, J, L in [((2, 3, 16, 16), 2, 8), ((1, 12, 10), 1, 4), ((2, 8, 8), 2, 2),
                        ((1, 32, 32), 3, 4)]:
        x = torch.randn(shape, dtype=torch.float64)
        ours = _scattering_transform_2d({"x": x}, {"j": J, "l": L, "max_order": 2})
        ref = Scattering2D(J, shape[-2:], L=L)(x.float()).double()
        err = ((ours - ref).abs().max() / ref.abs().max()).item()
        print(f"shape {shape} J {J} L {L}: out {tuple(ours.shape)}, max rel error {err:.2e}")
        assert ours.shape == ref.shape and err < 1e-5


REFS = {
    "topk_softmax_gating": _topk_softmax_gating,
    "nested_dropout": _nested_dropout,
    "hyperbolic_mlr": _hyperbolic_mlr,
    "adv_style": _adv_style,
    "channel_shuffle": _channel_shuffle,
    "spark_ffn": _spark_ffn,
    "s4_conv_kernel": _s4_conv_kernel,
    "slot_attention": _slot_attention,
    "scattering_transform_2d": _scattering_transform_2d,
}
