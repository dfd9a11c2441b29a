"""PyTorch references for the convolution and pooling ops of ops/nn/conv.h (issue 14), run by
oracle.py on the C++ cases (tests/ops/nn/conv.cpp, conv_transpose.cpp, pool.cpp).

The references are torch.nn.functional's own ops; only lathe's extra spellings are translated:
per-side padding (lo, hi) pairs in F.pad order become an F.pad before an unpadded conv, and
auto_pad 'same' / 'valid' becomes F.conv's string padding."""
import warnings

import torch.nn.functional as F

# F.conv warns that an even kernel under padding="same" copies the input; expected here.
warnings.filterwarnings("ignore", message="Using padding=.same. with even kernel")

REFS = {}


def _conv(fn, d):
    def ref(I, A):
        x, w, b = I["x"], I["weight"], I.get("bias")
        pad = A["padding"]
        if A["auto_pad"]:
            pad = A["auto_pad"]
        elif len(pad) == 2 * d:
            x = F.pad(x, pad)
            pad = 0
        return fn(x, w, b, stride=A["stride"], padding=pad, dilation=A["dilation"],
                  groups=A["groups"])
    return ref


REFS["conv1d"] = _conv(F.conv1d, 1)
REFS["conv2d"] = _conv(F.conv2d, 2)
REFS["conv3d"] = _conv(F.conv3d, 3)


def _conv_transpose(fn):
    def ref(I, A):
        return fn(I["x"], I["weight"], I.get("bias"), stride=A["stride"], padding=A["padding"],
                  output_padding=A["output_padding"], groups=A["groups"],
                  dilation=A["dilation"])
    return ref


REFS["conv_transpose1d"] = _conv_transpose(F.conv_transpose1d)
REFS["conv_transpose2d"] = _conv_transpose(F.conv_transpose2d)


def _max_pool(fn):
    def ref(I, A):
        return fn(I["x"], A["kernel_size"], stride=A["stride"] or None, padding=A["padding"],
                  dilation=A["dilation"], ceil_mode=A["ceil_mode"], return_indices=True)
    return ref


def _avg_pool2d(I, A):
    return F.avg_pool2d(I["x"], A["kernel_size"], stride=A["stride"] or None,
                        padding=A["padding"], ceil_mode=A["ceil_mode"],
                        count_include_pad=A["count_include_pad"],
                        divisor_override=A["divisor_override"] or None)


def _avg_pool1d(I, A):
    if not A["divisor_override"]:
        return F.avg_pool1d(I["x"], A["kernel_size"], stride=A["stride"] or None,
                            padding=A["padding"], ceil_mode=A["ceil_mode"],
                            count_include_pad=A["count_include_pad"])
    # F.avg_pool1d has no divisor_override: the 2-d pool over a unit axis.
    unit = dict(A, kernel_size=[1] + A["kernel_size"], stride=[1] + (A["stride"] or
                A["kernel_size"]), padding=[0] + A["padding"])
    return _avg_pool2d({"x": I["x"].unsqueeze(-2)}, unit).squeeze(-2)


REFS["max_pool1d"] = _max_pool(F.max_pool1d)
REFS["max_pool2d"] = _max_pool(F.max_pool2d)
REFS["avg_pool1d"] = _avg_pool1d
REFS["avg_pool2d"] = _avg_pool2d
