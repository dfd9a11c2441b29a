#!/usr/bin/python3
"""PyTorch oracle for the reparam family's modules (models/reparam.h): writes
tests/fixtures/models/reparam.safetensors, read by tests/ops/reparam/reparam_test.cpp (one group
file: tensors <case>/<name>, the metas under the metadata key "cases").

    /usr/bin/python3 tools/oracle/models_reparam.py [--out DIR]

- `orthogonal_*`: torch.nn.utils.parametrizations.orthogonal(nn.Linear(in, out)) in float64
  (PyTorch's own module: its default map, trivialization and keys), `original` moved off its
  initial -I by random off-diagonal entries so the map is not the identity.
- `sn_linear`: sigmaReparam's SNLinear written here from the official definition
  (apple/ml-sigma-reparam vision/layers.py: a child `spectral_normed_weight` holding the weight
  again, buffers `u` and `spectral_norm`; a learnable `sigma` [1]; `effective_spectral_norm`),
  its u moved off the singular vector so the power iteration has work to do, one training
  forward: the output, the new u, and the gradients.

| tensor (after `<case>/`) | contents |
|---|---|
| `param.<key>` | the state dict before the forward, under PyTorch's keys |
| `in.x`, `out.y`, `seed.y` | input, output, incoming gradient |
| `grad.x`, `grad.<key>` | d sum(y * seed) / d x and / d parameter |
| `after.<key>` | buffers after the forward (sn_linear: u, spectral_norm) |

The run is deterministic (each case draws from its own generator)."""
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import module_fixture_main, normal, rng_for  # noqa: E402


def _record(module, x, seed, meta, after=()):
    state = {k: v.detach().clone().numpy() for k, v in module.state_dict().items()}
    y = module(x)
    (y * torch.from_numpy(seed)).sum().backward()
    arrays = {"in.x": x.detach().numpy(), "out.y": y.detach().numpy(), "seed.y": seed,
              "grad.x": x.grad.numpy()}
    for key, value in state.items():
        arrays["param.%s" % key] = value
    for key, p in module.named_parameters():
        arrays["grad.%s" % key] = p.grad.numpy()
    for key in after:
        arrays["after.%s" % key] = module.state_dict()[key].detach().numpy()
    return meta, arrays


def orthogonal(name, in_features, out_features):
    r = rng_for("models_reparam", name)
    torch.manual_seed(0)
    layer = torch.nn.utils.parametrizations.orthogonal(
        torch.nn.Linear(in_features, out_features).double())
    with torch.no_grad():
        original = layer.parametrizations.weight.original
        noise = torch.from_numpy(normal(r, tuple(original.shape), 0.3))
        eye_mask = torch.zeros_like(original)
        eye_mask.diagonal().fill_(1.0)
        original.add_(noise * (1 - eye_mask))  # the diagonal stays -1 (householder's signs)
    x = torch.from_numpy(normal(r, (2, in_features))).requires_grad_()
    seed = normal(r, (2, out_features))
    square = in_features == out_features
    meta = {"module": "OrthogonalLinear", "in": in_features, "out": out_features,
            "map": "matrix_exp" if square else "householder",
            "note": "torch.nn.utils.parametrizations.orthogonal(nn.Linear), float64"}
    return _record(layer, x, seed, meta)


class _SpectralNormedWeight(torch.nn.Module):
    def __init__(self, weight):
        super().__init__()
        self.weight = weight
        with torch.no_grad():
            _, s, vh = torch.linalg.svd(weight, full_matrices=False)
        self.register_buffer("u", vh[0])
        self.register_buffer("spectral_norm", s[0] * torch.ones(1, dtype=weight.dtype))

    def forward(self):
        with torch.no_grad():
            v = F.normalize(self.weight.mv(self.u), dim=0)
            u = F.normalize(self.weight.t().mv(v), dim=0)
            if self.training:
                self.u.copy_(u)
        sigma = torch.einsum("c,cd,d->", v, self.weight, u)
        if self.training:
            self.spectral_norm.data.copy_(sigma.detach())
        return self.weight / sigma


class _SNLinear(torch.nn.Linear):
    def __init__(self, in_features, out_features):
        super().__init__(in_features, out_features)
        self.spectral_normed_weight = _SpectralNormedWeight(self.weight)
        sn = self.spectral_normed_weight.spectral_norm
        self.sigma = torch.nn.Parameter(sn.clone())
        self.register_buffer("effective_spectral_norm", sn.clone())

    def forward(self, x):
        weight = self.spectral_normed_weight() * self.sigma
        with torch.no_grad():
            self.effective_spectral_norm.copy_(self.sigma)
        return F.linear(x, weight, self.bias)


def sn_linear(name):
    r = rng_for("models_reparam", name)
    torch.manual_seed(0)
    layer = _SNLinear(5, 4).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(normal(r, (4, 5), 0.5)))
        layer.bias.copy_(torch.from_numpy(normal(r, (4,), 0.3)))
        layer.sigma.fill_(1.7)
        u = torch.from_numpy(normal(r, (5,)))
        layer.spectral_normed_weight.u.copy_(u / u.norm())
    x = torch.from_numpy(normal(r, (3, 5))).requires_grad_()
    seed = normal(r, (3, 4))
    meta = {"module": "SNLinear", "in": 5, "out": 4,
            "note": "sigmaReparam SNLinear from the official definition, float64, one training "
                    "forward from a random unit u"}
    return _record(layer, x, seed, meta,
                   after=("spectral_normed_weight.u", "spectral_normed_weight.spectral_norm"))


CASES = {
    "orthogonal_square": lambda: orthogonal("orthogonal_square", 4, 4),
    "orthogonal_tall": lambda: orthogonal("orthogonal_tall", 3, 5),
    "orthogonal_wide": lambda: orthogonal("orthogonal_wide", 5, 3),
    "sn_linear": lambda: sn_linear("sn_linear"),
}


def main():
    module_fixture_main(__doc__, CASES, "reparam.safetensors")


if __name__ == "__main__":
    main()
