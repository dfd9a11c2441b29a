"""PyTorch references for the resampling ops of ops/nn/resample.h (issue 14): unfold, fold,
interpolate, adaptive_avg_pool2d, adaptive_max_pool2d, einsum; run by oracle.py on the C++
cases (tests/ops/nn/unfold.cpp, interpolate.cpp, adaptive_pool.cpp, einsum.cpp).

The references are PyTorch 1.13's own functions; lathe's attributes are translated only where
they differ in form (an empty list or 0 for "not given")."""
import torch
import torch.nn.functional as F

REFS = {}


def _size2(v):
    return v * 2 if len(v) == 1 else v


def _geometry(A):
    return {k: _size2(A[k]) for k in ("kernel_size", "dilation", "padding", "stride")}


def _unfold(I, A):
    x = I["x"]
    unbatched = x.dim() == 3
    y = F.unfold(x.unsqueeze(0) if unbatched else x, **_geometry(A))
    return y.squeeze(0) if unbatched else y


def _fold(I, A):
    return F.fold(I["cols"], _size2(A["output_size"]), **_geometry(A))


def _interpolate(I, A):
    x = I["x"]
    d = x.dim() - 2
    size = A["size"] or None
    if size is not None and len(size) == 1:
        size = size * d
    linear = A["mode"] != "nearest"
    return F.interpolate(x, size=size, scale_factor=A["scale_factor"] or None, mode=A["mode"],
                         align_corners=A["align_corners"] if linear else None)


def _adaptive_max(I, A):
    return F.adaptive_max_pool2d(I["x"], _size2(A["output_size"]), return_indices=True)


REFS["unfold"] = _unfold
REFS["fold"] = _fold
REFS["interpolate"] = _interpolate
REFS["adaptive_avg_pool2d"] = lambda I, A: F.adaptive_avg_pool2d(I["x"], _size2(A["output_size"]))
REFS["adaptive_max_pool2d"] = _adaptive_max
REFS["einsum"] = lambda I, A: torch.einsum(A["equation"], *I["operands"])
