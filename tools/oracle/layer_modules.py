#!/usr/bin/python3
"""PyTorch oracle for the layer family's modules (models/layer/layer.h): writes
tests/fixtures/models/layers.safetensors, read by tests/ops/layer/layer_modules_test.cpp (one
group file: tensors <case>/<name>, the metas under the metadata key "cases").

    /usr/bin/python3 tools/oracle/layer_modules.py [--out DIR]

Each case is a PyTorch module with the reference implementation's parameter names, built from
torch.nn layers where the reference uses them (nn.Linear, nn.GRUCell, nn.LayerNorm,
nn.Conv1d), so the state dict has PyTorch's own keys; every parameter is drawn at random in
float64. lathe loads that state dict (strict) and must give the same output and gradients:

| tensor (after `<case>/`) | contents |
|---|---|
| `param.<key>` | the state dict, under the reference's keys |
| `in.x` | the input |
| `out.y` | the module's output |
| `seed.y` | the incoming gradient |
| `grad.x`, `grad.<key>` | d sum(y * seed) / d x and / d parameter |

Modules: Hyp-OC's HyperbolicMLR (a_vals, p_vals; with lathe's projection of the points, the
identity for the points used here), Slot-TTA's SlotAttention, state-spaces/s4's S4D (s4d.py).
The run is deterministic (each case draws from its own generator, torch single-threaded)."""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import module_fixture_main, normal, rng_for  # noqa: E402
from ops_layer import _hyperbolic_mlr  # noqa: E402

nn = torch.nn


class HyperbolicMLRRef(nn.Module):
    def __init__(self, ball_dim, n_classes, c):
        super().__init__()
        self.a_vals = nn.Parameter(torch.empty(n_classes, ball_dim))
        self.p_vals = nn.Parameter(torch.empty(n_classes, ball_dim))
        self.c = c

    def forward(self, x):
        return _hyperbolic_mlr({"x": x, "a": self.a_vals, "p": self.p_vals}, {"c": self.c})


class SlotAttentionRef(nn.Module):
    def __init__(self, num_slots, dim, iters, eps, hidden_dim):
        super().__init__()
        self.iters, self.eps, self.scale = iters, eps, dim ** -0.5
        self.slots_mu = nn.Parameter(torch.empty(1, num_slots, dim))
        self.to_q, self.to_k = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.to_v = nn.Linear(dim, dim)
        self.gru = nn.GRUCell(dim, dim)
        hidden = max(dim, hidden_dim)
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
        self.norm_pre_ff, self.norm_slots, self.norm_input = (nn.LayerNorm(dim), nn.LayerNorm(dim),
                                                              nn.LayerNorm(dim))

    def forward(self, x):
        b, n, d = x.shape
        s = self.slots_mu.repeat(b, 1, 1)
        x = self.norm_input(x)
        k, v = self.to_k(x), self.to_v(x)
        for _ in range(self.iters):
            prev = s
            q = self.to_q(self.norm_slots(s))
            attn = torch.einsum("bid,bjd->bij", q, k).mul(self.scale).softmax(1) + self.eps
            attn = attn / attn.sum(-1, keepdim=True)
            upd = torch.einsum("bjd,bij->bid", v, attn)
            s = self.gru(upd.reshape(-1, d), prev.reshape(-1, d)).reshape(b, -1, d)
            s = s + self.fc2(F.relu(self.fc1(self.norm_pre_ff(s))))
        return s


class S4DKernelRef(nn.Module):
    def __init__(self, h, n):
        super().__init__()
        self.C = nn.Parameter(torch.empty(h, n // 2, 2))
        self.log_dt = nn.Parameter(torch.empty(h))
        self.log_A_real = nn.Parameter(torch.empty(h, n // 2))
        self.A_imag = nn.Parameter(torch.empty(h, n // 2))

    def forward(self, length):
        dt = self.log_dt.exp()
        c = torch.view_as_complex(self.C)
        a = -self.log_A_real.exp() + 1j * self.A_imag
        dta = a * dt[:, None]
        steps = dta[..., None] * torch.arange(length, dtype=dt.dtype)
        return 2 * torch.einsum("hn,hnl->hl", c * (dta.exp() - 1) / a, steps.exp()).real


class S4DRef(nn.Module):
    def __init__(self, h, n):
        super().__init__()
        self.D = nn.Parameter(torch.empty(h))
        self.kernel = S4DKernelRef(h, n)
        self.output_linear = nn.Sequential(nn.Conv1d(h, 2 * h, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):
        length = u.shape[-1]
        k = self.kernel(length)
        y = torch.fft.irfft(torch.fft.rfft(u, n=2 * length) * torch.fft.rfft(k, n=2 * length),
                            n=2 * length)[..., :length]
        y = y + u * self.D[:, None]
        return self.output_linear(F.gelu(y))


def module_case(name, module, x_shape, x_scale, fill, meta):
    r = rng_for("layer_modules", name)
    module = module.double()
    params = {}
    with torch.no_grad():
        for key, p in module.named_parameters():
            value = fill(key, r, tuple(p.shape))
            p.copy_(torch.from_numpy(value))
            params[key] = value
    x = torch.from_numpy(normal(r, x_shape, x_scale)).requires_grad_()
    y = module(x)
    seed = normal(r, tuple(y.shape))
    (y * torch.from_numpy(seed)).sum().backward()
    arrays = {"in.x": x.detach().numpy(), "out.y": y.detach().numpy(), "seed.y": seed,
              "grad.x": x.grad.numpy()}
    for key, p in module.named_parameters():
        arrays["param.%s" % key] = params[key]
        arrays["grad.%s" % key] = p.grad.numpy()
    return meta, arrays


def generic_fill(key, r, shape):
    value = normal(r, shape, 0.3 if key.endswith("bias") else 0.5)
    if key.startswith("norm") and key.endswith("weight"):
        value = 1.0 + value
    return value


def s4d_fill(key, r, shape):
    if key == "kernel.log_dt":
        return r.uniform(math.log(1e-3), math.log(1e-1), size=shape)
    if key == "kernel.log_A_real":
        return math.log(0.5) + normal(r, shape, 0.2)
    if key == "kernel.A_imag":
        return math.pi * torch.arange(shape[1]).repeat(shape[0], 1).numpy() + normal(r, shape, 0.1)
    return generic_fill(key, r, shape)


CASES = {
    "hyperbolic_mlr": lambda: module_case(
        "hyperbolic_mlr", HyperbolicMLRRef(5, 3, 0.1), (4, 5), 0.5,
        lambda key, r, shape: normal(r, shape, 0.6),
        {"module": "HyperbolicMLR", "ball_dim": 5, "n_classes": 3, "c": 0.1,
         "note": "Hyp-OC's HyperbolicMLR(5, 3, c 0.1) keys a_vals, p_vals"}),
    "slot_attention": lambda: module_case(
        "slot_attention", SlotAttentionRef(3, 4, 3, 1e-8, 4), (2, 5, 4), 1.0, generic_fill,
        {"module": "SlotAttention", "num_slots": 3, "dim": 4, "iters": 3, "hidden_dim": 4,
         "note": "Slot-TTA's SlotAttention(3, 4, iters 3, hidden_dim 4) with nn.Linear, "
                 "nn.GRUCell and nn.LayerNorm"}),
    "s4d": lambda: module_case(
        "s4d", S4DRef(3, 8), (2, 3, 12), 1.0, s4d_fill,
        {"module": "S4D", "h": 3, "n": 8,
         "note": "s4d.py's S4D(3, d_state 8): kernel, FFT convolution, D, GELU, "
                 "Conv1d(3, 6, 1) + GLU"}),
}


def main():
    module_fixture_main(__doc__, CASES, "layers.safetensors")


if __name__ == "__main__":
    main()
