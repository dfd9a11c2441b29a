#!/usr/bin/python3
"""PyTorch oracle for the modules of models/ whose PyTorch counterpart exists: writes
tests/fixtures/models/transformer.safetensors, read by tests/models/transformer_test.cpp (one
group file: tensors <case>/<name>, the metas under the metadata key "cases").

    /usr/bin/python3 tools/oracle/models.py [--out DIR]

nn::TransformerBlock against torch.nn.TransformerEncoderLayer(dim, heads, mlp_ratio dim,
dropout 0, activation "gelu", batch_first, norm_first) in float64, with every parameter drawn at
random (biases and norm affines included, so none of them hides behind its initial value):

| tensor (after `<case>/`) | contents |
|---|---|
| `param.<key>` | the state dict, under PyTorch's keys |
| `in.x` | x [B, T, dim] |
| `out.y` | the layer's output |
| `seed.y` | the incoming gradient |
| `grad.x`, `grad.<key>` | d sum(y * seed) / d x and / d parameter |

and the meta of each case: `module`, `dim`, `heads`, `mlp_ratio`, `causal`, `note`.

The run is deterministic (each case draws from its own generator, torch runs single-threaded)."""
import os
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import module_fixture_main, normal, rng_for  # noqa: E402


def transformer_block(name, causal, dim=4, heads=2, mlp_ratio=4, batch=2, tokens=3):
    r = rng_for("models", name)
    layer = torch.nn.TransformerEncoderLayer(dim, heads, dim_feedforward=mlp_ratio * dim,
                                             dropout=0.0, activation="gelu", batch_first=True,
                                             norm_first=True).double()
    params = {}
    with torch.no_grad():
        for key, p in layer.named_parameters():
            scale = 0.3 if key.endswith("bias") else 0.5
            value = normal(r, tuple(p.shape), scale)
            if key.startswith("norm") and key.endswith("weight"):
                value = 1.0 + value
            p.copy_(torch.from_numpy(value))
            params[key] = value
    x = torch.from_numpy(normal(r, (batch, tokens, dim))).requires_grad_()
    seed = normal(r, (batch, tokens, dim))
    mask = None
    if causal:
        mask = torch.triu(torch.full((tokens, tokens), float("-inf"), dtype=torch.float64), 1)
    layer.train()  # dropout is 0; training mode keeps PyTorch off its fused inference path
    y = layer(x, src_mask=mask)
    (y * torch.from_numpy(seed)).sum().backward()

    arrays = {"in.x": x.detach().numpy(), "out.y": y.detach().numpy(),
              "seed.y": seed, "grad.x": x.grad.numpy()}
    for key, p in layer.named_parameters():
        arrays["param.%s" % key] = params[key]
        arrays["grad.%s" % key] = p.grad.numpy()
    meta = {"module": "TransformerBlock", "dim": dim, "heads": heads, "mlp_ratio": mlp_ratio,
            "causal": causal,
            "note": "torch.nn.TransformerEncoderLayer(norm_first=True, activation='gelu', "
                    "batch_first=True, dropout=0), float64, random parameters"
                    + (", src_mask upper-triangular -inf" if causal else "")}
    return meta, arrays


CASES = {
    "transformer_block": lambda: transformer_block("transformer_block", causal=False),
    "transformer_block_causal": lambda: transformer_block("transformer_block_causal", causal=True),
}


def main():
    module_fixture_main(__doc__, CASES, "transformer.safetensors")


if __name__ == "__main__":
    main()
