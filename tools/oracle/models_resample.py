#!/usr/bin/python3
"""PyTorch oracle for the resampling modules (models/resample.h): writes
tests/fixtures/models/resample.safetensors, read by tests/ops/nn/resample_test.cpp (one group
file: tensors <case>/<name>, the metas under the metadata key "cases").

    /usr/bin/python3 tools/oracle/models_resample.py [--out DIR]

- `batchnorm2d*`: torch.nn.BatchNorm2d in float64 with random affine parameters and running
  statistics: two training forwards (the second one's output and gradients recorded) and one
  eval forward, with the buffers after training.
- `upsample_*`: torch.nn.Upsample, one forward and backward.

| tensor (after `<case>/`) | contents |
|---|---|
| `param.<key>` | the state dict before the first forward, under PyTorch's keys |
| `in.x0`, `in.x`, `out.y`, `seed.y` | first and second training inputs, output, seed |
| `grad.x`, `grad.<key>` | d sum(y * seed) / d x and / d parameter |
| `after.<key>` | buffers after the two training forwards |
| `in.x_eval`, `out.y_eval` | an eval-mode input and output |

The run is deterministic (each case draws from its own generator)."""
import os
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import module_fixture_main, normal, rng_for  # noqa: E402


def batchnorm2d(name, channels, momentum, eps, affine):
    r = rng_for("models_resample", name)
    bn = torch.nn.BatchNorm2d(channels, eps=eps, momentum=momentum, affine=affine).double()
    with torch.no_grad():
        if affine:
            bn.weight.copy_(torch.from_numpy(normal(r, (channels,), 0.5)) + 1)
            bn.bias.copy_(torch.from_numpy(normal(r, (channels,), 0.5)))
        bn.running_mean.copy_(torch.from_numpy(normal(r, (channels,))))
        bn.running_var.copy_(torch.from_numpy(r.uniform(0.5, 2.0, size=(channels,))))
        bn.num_batches_tracked.fill_(3)
    state = {k: v.detach().clone().numpy() for k, v in bn.state_dict().items()}
    x0 = torch.from_numpy(normal(r, (2, channels, 3, 4), 2.0) + 0.5)
    x = torch.from_numpy(normal(r, (3, channels, 2, 3))).requires_grad_()
    seed = normal(r, (3, channels, 2, 3))
    bn.train()
    bn(x0)
    y = bn(x)
    (y * torch.from_numpy(seed)).sum().backward()
    arrays = {"in.x0": x0.numpy(), "in.x": x.detach().numpy(), "out.y": y.detach().numpy(),
              "seed.y": seed, "grad.x": x.grad.numpy()}
    for key, value in state.items():
        arrays["param.%s" % key] = value
    for key, p in bn.named_parameters():
        arrays["grad.%s" % key] = p.grad.numpy()
    for key, b in bn.named_buffers():
        arrays["after.%s" % key] = b.detach().numpy()
    bn.eval()
    x_eval = torch.from_numpy(normal(r, (2, channels, 2, 2)))
    arrays["in.x_eval"] = x_eval.numpy()
    arrays["out.y_eval"] = bn(x_eval).detach().numpy()
    meta = {"module": "BatchNorm2d", "channels": channels, "momentum": momentum, "eps": eps,
            "affine": affine, "note": "torch.nn.BatchNorm2d, float64: two training forwards, "
                                      "then eval"}
    return meta, arrays


def upsample(name, shape, size, scale_factor, mode, align_corners):
    r = rng_for("models_resample", name)
    up = torch.nn.Upsample(size=size, scale_factor=scale_factor, mode=mode,
                           align_corners=align_corners)
    x = torch.from_numpy(normal(r, shape)).requires_grad_()
    y = up(x)
    seed = normal(r, tuple(y.shape))
    (y * torch.from_numpy(seed)).sum().backward()
    meta = {"module": "Upsample", "size": list(size) if size else [],
            "scale_factor": scale_factor or 0.0, "mode": mode,
            "align_corners": bool(align_corners), "note": "torch.nn.Upsample, float64"}
    arrays = {"in.x": x.detach().numpy(), "out.y": y.detach().numpy(), "seed.y": seed,
              "grad.x": x.grad.numpy()}
    return meta, arrays


CASES = {
    "batchnorm2d": lambda: batchnorm2d("batchnorm2d", 3, 0.1, 1e-5, True),
    "batchnorm2d_momentum_eps": lambda: batchnorm2d("batchnorm2d_momentum_eps", 2, 0.3, 1e-2,
                                                    True),
    "batchnorm2d_no_affine": lambda: batchnorm2d("batchnorm2d_no_affine", 2, 0.1, 1e-5, False),
    "upsample_bilinear": lambda: upsample("upsample_bilinear", (1, 2, 3, 4), None, 2.0,
                                          "bilinear", True),
    "upsample_nearest": lambda: upsample("upsample_nearest", (2, 1, 3, 3), (5, 7), None,
                                         "nearest", None),
}


def main():
    module_fixture_main(__doc__, CASES, "resample.safetensors")


if __name__ == "__main__":
    main()
