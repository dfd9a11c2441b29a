#!/usr/bin/python3
"""PyTorch oracle for every op of docs/ops-core.md: writes tests/fixtures/oracle/<op>/<case>/.

    /usr/bin/python3 tools/oracle/prims.py [--out DIR] [--only OP[,OP]] [--check]

Each op is a reference function written from the doc's semantics (PyTorch 1.13 calls); each case
is data (inputs, attrs, a note). Forward outputs come from the reference, gradients from
torch.autograd in float64. Output is byte-identical from run to run (see README.md)."""
import argparse
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (away_from_zero, distinct, normal, on_grid, rand_uniform, rng_for,  # noqa: E402
                    small_ints, tensor_key, uniform, write_op_file)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTOL, ATOL = 1e-7, 1e-9
INF = float("inf")
REQUIRED = object()

# ---------------------------------------------------------------------------------------------
# Ops. The name list must equal the doc's tables (checked in main when the doc is present).

OPS = {}
NOGRAD = {}  # op -> inputs that are constants (buffers, class weights, teachers): never perturbed
# Ops whose float32 run cannot match a float64 fixture by construction: op -> why.
NO_F32 = {
    "dropout": "f32 masks draw 24-bit uniforms, the f64 fixture 53-bit ones (docs/ops-core.md)",
    "cast": "the fixture fixes the output dtype",
}


class Op:
    def __init__(self, name, inputs, ref, outputs, attrs):
        # inputs: "x", "xs*" (variadic), "bias?" (optional)
        self.name = name
        self.inputs = [(s.rstrip("*?"), s.endswith("*"), s.endswith("?")) for s in inputs.split()]
        self.ref = ref
        self.outputs = outputs.split()
        self.attrs = attrs  # name -> (type, default); default None = depends on the input

    def resolve(self, given):
        """Checks a case's attrs against the schema; returns (attrs as written, all attrs)."""
        written, full = {}, {}
        for k in given:
            assert k in self.attrs, "[%s] unknown attr %r" % (self.name, k)
        for k, (kind, default) in self.attrs.items():
            if k not in given:
                assert default is not REQUIRED, "[%s] attr %r is required" % (self.name, k)
                full[k] = default
                continue
            v = given[k]
            if kind == "float":
                assert isinstance(v, (int, float)) and not isinstance(v, bool), (self.name, k, v)
                v = float(v)
                assert abs(v) != INF and v == v, "[%s] %s: JSON cannot hold %r" % (self.name, k, v)
            elif kind == "int":
                assert isinstance(v, int) and not isinstance(v, bool), (self.name, k, v)
            elif kind == "bool":
                assert isinstance(v, bool), (self.name, k, v)
            elif kind == "string":
                assert isinstance(v, str), (self.name, k, v)
            elif kind == "ints":
                assert all(isinstance(e, int) and not isinstance(e, bool) for e in v), (self.name, k)
                v = list(v)
            written[k] = full[k] = v
        return written, full


def op(names, inputs, ref, outputs="y", **attrs):
    for name in names.split():
        OPS[name] = Op(name, inputs, ref, outputs, attrs)


def all_dims(x, axes):
    return list(axes) if axes else list(range(x.dim()))


REDUCE = dict(axes=("ints", []), keepdim=("bool", False))
SLICE = dict(axis=("int", 0), start=("int", 0), end=("int", None), step=("int", 1))
DTYPES = {"f32": torch.float32, "f64": torch.float64, "i32": torch.int32, "i64": torch.int64,
          "bool": torch.bool, "f16": torch.float16, "bf16": torch.bfloat16}

UNARY = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
         "rsqrt": torch.rsqrt, "abs": torch.abs, "sign": torch.sign, "sin": torch.sin,
         "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
         "erf": torch.erf}
BINARY = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
          "pow": torch.pow, "maximum": torch.maximum, "minimum": torch.minimum}
COMPARE = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt,
           "ge": torch.ge}

for _n, _f in UNARY.items():
    op(_n, "x", lambda I, A, f=_f: f(I["x"]))
for _n, _f in list(BINARY.items()) + list(COMPARE.items()):
    op(_n, "a b", lambda I, A, f=_f: f(I["a"], I["b"]))
op("logical_and", "a b", lambda I, A: torch.logical_and(I["a"], I["b"]))
op("logical_or", "a b", lambda I, A: torch.logical_or(I["a"], I["b"]))
op("logical_not", "x", lambda I, A: torch.logical_not(I["x"]))
op("softplus", "x", lambda I, A: F.softplus(I["x"], beta=A["beta"], threshold=A["threshold"]),
   beta=("float", 1.0), threshold=("float", 20.0))
op("where", "cond a b", lambda I, A: torch.where(I["cond"], I["a"], I["b"]))
op("clamp", "x", lambda I, A: torch.clamp(I["x"], A["min"], A["max"]),
   min=("float", -INF), max=("float", INF))
op("cast", "x", lambda I, A: I["x"].to(DTYPES[A["dtype"]]), dtype=("string", "f32"))
op("sum", "x", lambda I, A: torch.sum(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]), **REDUCE)
op("mean", "x", lambda I, A: torch.mean(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]),
   **REDUCE)
op("max", "x", lambda I, A: torch.amax(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]),
   **REDUCE)
op("min", "x", lambda I, A: torch.amin(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]),
   **REDUCE)
op("logsumexp", "x",
   lambda I, A: torch.logsumexp(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]), **REDUCE)
# torch.argmax documents first-index ties, which is the doc's rule.
op("argmax", "x", lambda I, A: torch.argmax(I["x"], A["axis"], A["keepdim"]),
   axis=("int", -1), keepdim=("bool", False))
op("argmin", "x", lambda I, A: torch.argmin(I["x"], A["axis"], A["keepdim"]),
   axis=("int", -1), keepdim=("bool", False))
op("matmul", "a b", lambda I, A: torch.matmul(I["a"], I["b"]))
op("gather", "x index", lambda I, A: torch.gather(I["x"], A["axis"], I["index"]),
   axis=("int", 0))
op("scatter_add", "x index src",
   lambda I, A: I["x"].scatter_add(A["axis"], I["index"], I["src"]), axis=("int", 0))
op("index_select", "x index", lambda I, A: torch.index_select(I["x"], A["axis"], I["index"]),
   axis=("int", 0))
op("concat", "xs*", lambda I, A: torch.cat(I["xs"], A["axis"]), axis=("int", 0))
op("stack", "xs*", lambda I, A: torch.stack(I["xs"], A["axis"]), axis=("int", 0))
op("pad", "x", lambda I, A: F.pad(I["x"], A["pads"], mode="constant", value=A["value"]),
   pads=("ints", REQUIRED), value=("float", 0.0))


def _cumsum(I, A):
    x, ax = I["x"], A["axis"]
    if A["reverse"]:
        return torch.flip(torch.cumsum(torch.flip(x, [ax]), ax), [ax])
    return torch.cumsum(x, ax)


op("cumsum", "x", _cumsum, axis=("int", -1), reverse=("bool", False))
op("sort", "x", lambda I, A: torch.sort(I["x"], dim=A["axis"], descending=A["descending"],
                                        stable=True), outputs="values indices",
   axis=("int", -1), descending=("bool", False))


def _topk(I, A):
    # torch.topk leaves the order of tied elements unspecified (CPU 1.13 returns [2, 0, 5] for
    # the top 3 of [3, 1, 3, 2, 1, 3]); the doc's topk is a composite of the stable sort, so ties
    # come out first index first. Values must agree with torch.topk either way.
    x, ax, k = I["x"], A["axis"], A["k"]
    v, i = torch.sort(x, dim=ax, descending=A["largest"], stable=True)
    v, i = v.narrow(ax, 0, k), i.narrow(ax, 0, k)
    tv, _ = torch.topk(x.detach(), k, dim=ax, largest=A["largest"], sorted=True)
    assert torch.equal(tv, v.detach()), "[topk] stable-sort values differ from torch.topk"
    return v, i


op("topk", "x", _topk, outputs="values indices", k=("int", 1), axis=("int", -1),
   largest=("bool", True))
op("reshape", "x", lambda I, A: I["x"].reshape(A["shape"]), shape=("ints", REQUIRED))
op("permute", "x", lambda I, A: I["x"].permute(A["dims"]), dims=("ints", REQUIRED))
op("expand", "x", lambda I, A: I["x"].expand(A["shape"]), shape=("ints", REQUIRED))


def _slice_end(x, A):
    return x.shape[A["axis"]] if A["end"] is None else A["end"]


def _slice(I, A):
    x = I["x"]
    index = [slice(None)] * x.dim()
    index[A["axis"]] = slice(A["start"], _slice_end(x, A), A["step"])
    return x[tuple(index)]


op("slice", "x", _slice, **SLICE)
op("slice_scatter", "x src",
   lambda I, A: torch.slice_scatter(I["x"], I["src"], A["axis"], A["start"],
                                    _slice_end(I["x"], A), A["step"]), **SLICE)


def _squeeze(I, A):
    x = I["x"]
    if not A["axes"]:
        return torch.squeeze(x)
    # torch 1.13 squeezes one dim per call; going from the last keeps the others' numbering.
    for ax in sorted((a % x.dim() for a in A["axes"]), reverse=True):
        x = x.squeeze(ax)
    return x


op("squeeze", "x", _squeeze, axes=("ints", []))
op("unsqueeze", "x", lambda I, A: torch.unsqueeze(I["x"], A["axis"]), axis=("int", 0))
op("clone", "x", lambda I, A: torch.clone(I["x"]))
op("softmax", "x", lambda I, A: torch.softmax(I["x"], A["axis"]), axis=("int", -1))
op("log_softmax", "x", lambda I, A: torch.log_softmax(I["x"], A["axis"]), axis=("int", -1))
op("transpose", "x", lambda I, A: torch.transpose(I["x"], A["dim0"], A["dim1"]),
   dim0=("int", 0), dim1=("int", 1))
op("narrow", "x", lambda I, A: torch.narrow(I["x"], A["axis"], A["start"], A["length"]),
   axis=("int", 0), start=("int", 0), length=("int", 1))
op("softmax_backward", "g y",
   lambda I, A: I["y"] * (I["g"] - (I["g"] * I["y"]).sum(A["axis"], keepdim=True)),
   outputs="dx", axis=("int", -1))
op("log_softmax_backward", "g y",
   lambda I, A: I["g"] - I["y"].exp() * I["g"].sum(A["axis"], keepdim=True),
   outputs="dx", axis=("int", -1))
op("softmax_cross_entropy", "x labels",
   lambda I, A: F.cross_entropy(I["x"], I["labels"], reduction="none"), outputs="loss")
op("softmax_cross_entropy_backward", "g x labels lse",
   lambda I, A: (torch.exp(I["x"] - I["lse"][:, None])
                 - F.one_hot(I["labels"], I["x"].shape[1]).to(I["x"].dtype)) * I["g"][:, None],
   outputs="dx")
op("one_hot", "labels", lambda I, A: F.one_hot(I["labels"], A["num_classes"]),
   num_classes=("int", -1))
op("linear", "x weight bias?", lambda I, A: F.linear(I["x"], I["weight"], I.get("bias")))
op("gelu", "x", lambda I, A: F.gelu(I["x"], approximate=A["approximate"]),
   approximate=("string", "none"))
op("silu", "x", lambda I, A: F.silu(I["x"]))


def _dropout(I, A):
    x, p = I["x"], A["p"]
    if not A["training"]:
        return x
    assert A["seed"] >= 0, "[dropout] the global generator cannot be reproduced here"
    bits = 53 if x.dtype == torch.float64 else 24
    keep = rand_uniform(A["seed"], 0, tuple(x.shape), bits) >= p
    # The mask is a constant, so autograd gives grad = seed * keep / (1 - p).
    return x * torch.from_numpy(keep).to(x.dtype) / (1.0 - p)


op("dropout", "x", _dropout, p=("float", 0.5), training=("bool", True), seed=("int", -1))

# ---------------------------------------------------------------------------------------------
# Cases: (op, name, note, make(rng) -> {input: array or [arrays]}, attrs, rtol, atol).

CASES = []


def case(op_name, name, note, make, rtol=RTOL, atol=ATOL, **attrs):
    assert op_name in OPS, op_name
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert all(c[0] != op_name or c[1] != name for c in CASES), (op_name, name)
    CASES.append((op_name, name, note, make, attrs, rtol, atol))


def f64(v):
    return np.array(v, dtype=np.float64)


def i64(v):
    return np.array(v, dtype=np.int64)


def with_zeros(rng, shape):
    x = away_from_zero(rng, shape)
    x.flat[::3] = 0.0
    x.flat[1] = -0.0  # neg(0) makes -0.0 in practice; its gradient is 0 as well
    return x


UNARY_DOMAIN = {
    "log": (lambda r, s: uniform(r, s, 0.5, 2.0), "inputs in [0.5, 2]"),
    "sqrt": (lambda r, s: uniform(r, s, 0.5, 2.0), "inputs in [0.5, 2]"),
    "rsqrt": (lambda r, s: uniform(r, s, 0.5, 2.0), "inputs in [0.5, 2]"),
    "abs": (away_from_zero, "|x| >= 0.2, away from the kink"),
    "sign": (away_from_zero, "|x| >= 0.2; gradient is 0 everywhere"),
    "relu": (away_from_zero, "|x| >= 0.2, away from the kink"),
}
for _n in UNARY:
    _gen, _why = UNARY_DOMAIN.get(_n, (normal, "standard normal inputs"))
    case(_n, "basic", "3-D input, " + _why, lambda r, g=_gen: {"x": g(r, (2, 3, 4))})
for _n in ("abs", "sign", "relu"):
    case(_n, "at_zero", "exact 0 and -0.0 among nonzeros: PyTorch's gradient at 0 is 0",
         lambda r: {"x": with_zeros(r, (3, 4))})

case("softplus", "basic", "default beta 1, threshold 20", lambda r: {"x": normal(r, (3, 4), 2.0)})
case("softplus", "beta2", "beta 2", lambda r: {"x": normal(r, (3, 4), 2.0)}, beta=2.0)
case("softplus", "threshold", "beta 2, threshold 4: x on both sides of 2 (linear branch above)",
     lambda r: {"x": f64([[-3.0, -1.1, 0.4, 1.7], [2.3, 3.1, 4.6, 1.2], [2.9, -0.3, 1.85, 2.15]])},
     beta=2.0, threshold=4.0)
case("softplus", "default_threshold", "beta 2, x around 10 where beta*x crosses 20",
     lambda r: {"x": f64([[8.5, 9.6, 9.9, 10.1], [10.4, 11.5, -9.0, 0.5]])}, beta=2.0)

# Binary arithmetic: operand domains keep every op smooth (div: |b| >= 0.5, pow: a in
# [0.5, 2], maximum/minimum: integer grid vs half-integer grid so |a - b| >= 0.1).
BINARY_DOMAIN = {
    "div": (normal, lambda r, s: away_from_zero(r, s, 0.5, 2.0)),
    "pow": (lambda r, s: uniform(r, s, 0.5, 2.0), normal),
    "maximum": (on_grid, lambda r, s: on_grid(r, s, half=True)),
    "minimum": (on_grid, lambda r, s: on_grid(r, s, half=True)),
}
for _n in BINARY:
    _ga, _gb = BINARY_DOMAIN.get(_n, (normal, normal))
    case(_n, "basic", "same shapes [3,4]", lambda r, a=_ga, b=_gb: {"a": a(r, (3, 4)),
                                                                   "b": b(r, (3, 4))})
    case(_n, "broadcast", "a [3,1,4] with b [2,4] -> [3,2,4]; gradients reduce back",
         lambda r, a=_ga, b=_gb: {"a": a(r, (3, 1, 4)), "b": b(r, (2, 4))})
    case(_n, "scalar", "b of shape [] broadcast over a [2,3]",
         lambda r, a=_ga, b=_gb: {"a": a(r, (2, 3)), "b": b(r, ())})
for _n in ("sub", "div", "pow"):
    _ga, _gb = BINARY_DOMAIN.get(_n, (normal, normal))
    case(_n, "scalar_lhs", "a of shape [] broadcast over b [2,3]",
         lambda r, a=_ga, b=_gb: {"a": a(r, ()), "b": b(r, (2, 3))})
for _n in ("maximum", "minimum"):
    case(_n, "ties", "values in {-1, 0, 1}, many a == b: those split the gradient 0.5/0.5",
         lambda r: {"a": small_ints(r, (3, 4), -1, 2), "b": small_ints(r, (3, 4), -1, 2)})

for _n in COMPARE:
    case(_n, "basic", "small integers, so equal elements occur",
         lambda r: {"a": small_ints(r, (3, 4)), "b": small_ints(r, (3, 4))})
    case(_n, "broadcast", "a [3,1,4] with b [2,4]",
         lambda r: {"a": small_ints(r, (3, 1, 4)), "b": small_ints(r, (2, 4))})
    case(_n, "scalar", "b = 0.0 of shape []",
         lambda r: {"a": small_ints(r, (2, 3)), "b": f64(0.0)})

_TT = np.array([[False, False, True, True], [False, True, False, True]])
for _n in ("logical_and", "logical_or"):
    case(_n, "basic", "all four combinations", lambda r: {"a": _TT[0:1].repeat(2, 0),
                                                          "b": _TT[1:2].repeat(2, 0)})
    case(_n, "broadcast", "a [3,1,4] with b [2,4]",
         lambda r: {"a": r.random((3, 1, 4)) < 0.5, "b": r.random((2, 4)) < 0.5})
case("logical_not", "basic", "[3,4] bools", lambda r: {"x": r.random((3, 4)) < 0.5})

case("where", "basic", "same shapes [3,4]", lambda r: {
    "cond": r.random((3, 4)) < 0.5, "a": normal(r, (3, 4)), "b": normal(r, (3, 4))})
case("where", "broadcast", "cond [2,1], a [3,1,4], b [2,4] -> [3,2,4]", lambda r: {
    "cond": np.array([[True], [False]]), "a": normal(r, (3, 1, 4)), "b": normal(r, (2, 4))})
case("where", "scalar", "b of shape [] fills where cond is false", lambda r: {
    "cond": r.random((2, 3)) < 0.5, "a": normal(r, (2, 3)), "b": f64(0.75)})

case("clamp", "basic", "min -1.5, max 1.5, inputs >= 0.3 from either bound",
     lambda r: {"x": on_grid(r, (3, 4))}, min=-1.5, max=1.5)
case("clamp", "min_only", "min -0.5, max left at +inf", lambda r: {"x": on_grid(r, (3, 4))},
     min=-0.5)
case("clamp", "max_only", "max 0.5, min left at -inf", lambda r: {"x": on_grid(r, (3, 4))},
     max=0.5)
case("clamp", "at_bounds", "inputs exactly at min -1 and max 1 pass the gradient (bounds included)",
     lambda r: {"x": small_ints(r, (3, 4))}, min=-1.0, max=1.0)


def _f32_exact(r):
    # Outputs are written in their own dtype; a comparison at 1e-7 of a float32 result needs
    # inputs that float32 holds exactly, so the case tests the cast, not the rounding mode.
    return {"x": normal(r, (3, 4)).astype(np.float32).astype(np.float64)}


case("cast", "to_f32", "f64 -> f32 of f32-exact values; gradient flows back as f64",
     _f32_exact, dtype="f32")
case("cast", "f32_rounding", "f64 -> f32 of arbitrary values: round to nearest even",
     lambda r: {"x": normal(r, (3, 4))}, dtype="f32")
case("cast", "to_i64", "f64 -> i64 truncates toward zero; no gradient",
     lambda r: {"x": normal(r, (3, 4), 3.0)}, dtype="i64")
case("cast", "to_bool", "f64 -> bool is x != 0 (zeros and -0.0 included); no gradient",
     lambda r: {"x": with_zeros(r, (3, 4))}, dtype="bool")

for _n in ("sum", "mean"):
    case(_n, "all", "every axis, keepdim false", lambda r: {"x": normal(r, (2, 3, 4))})
    case(_n, "all_keepdim", "every axis, keepdim true -> [1,1,1]",
         lambda r: {"x": normal(r, (2, 3, 4))}, keepdim=True)
    case(_n, "axis_keepdim", "axes [1], keepdim true", lambda r: {"x": normal(r, (2, 3, 4))},
         axes=[1], keepdim=True)
    case(_n, "two_axes", "axes [0, 2], keepdim false", lambda r: {"x": normal(r, (2, 3, 4))},
         axes=[0, 2])

_TIES = f64([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 0.5, 4.0, 0.25]])
for _n in ("max", "min"):
    _t = _TIES if _n == "max" else -_TIES
    case(_n, "all", "every axis, distinct values", lambda r: {"x": distinct(r, (2, 3, 4))})
    case(_n, "axis_keepdim", "axes [2], keepdim true", lambda r: {"x": distinct(r, (2, 3, 4))},
         axes=[2], keepdim=True)
    case(_n, "two_axes", "axes [0, 1]", lambda r: {"x": distinct(r, (2, 3, 4))}, axes=[0, 1])
    case(_n, "ties", "axes [1]: rows with a 2-way and a 4-way tie share the gradient evenly",
         lambda r, t=_t: {"x": t}, axes=[1])
    case(_n, "ties_all", "every axis, keepdim true, extreme value appears twice",
         lambda r, t=_t: {"x": np.concatenate([t, t[2:3]])}, keepdim=True)

for _n in ("argmax", "argmin"):
    case(_n, "basic", "[3,5] distinct values, default axis -1",
         lambda r: {"x": distinct(r, (3, 5))})
    case(_n, "axis_keepdim", "[2,3,4], axis 1, keepdim true",
         lambda r: {"x": distinct(r, (2, 3, 4))}, axis=1, keepdim=True)
    case(_n, "ties", "ties pick the first index",
         lambda r, s=(1 if _n == "argmax" else -1): {"x": s * _TIES})

case("matmul", "mm", "[3,4] @ [4,2]", lambda r: {"a": normal(r, (3, 4)), "b": normal(r, (4, 2))})
case("matmul", "batched", "[2,3,4] @ [2,4,2]",
     lambda r: {"a": normal(r, (2, 3, 4)), "b": normal(r, (2, 4, 2))})
case("matmul", "batch_broadcast", "[2,1,3,4] @ [3,4,2] -> [2,3,3,2]",
     lambda r: {"a": normal(r, (2, 1, 3, 4)), "b": normal(r, (3, 4, 2))})
case("matmul", "vec_mat", "[4] @ [4,3] -> [3]",
     lambda r: {"a": normal(r, (4,)), "b": normal(r, (4, 3))})
case("matmul", "mat_vec", "[3,4] @ [4] -> [3]",
     lambda r: {"a": normal(r, (3, 4)), "b": normal(r, (4,))})
case("matmul", "vec_vec", "[4] @ [4] -> []", lambda r: {"a": normal(r, (4,)), "b": normal(r, (4,))})

case("gather", "axis0", "x [3,4], index [2,4] on axis 0",
     lambda r: {"x": normal(r, (3, 4)), "index": r.integers(0, 3, (2, 4))})
case("gather", "axis1", "x [3,4], index [2,5] on axis 1: repeats accumulate in the gradient",
     lambda r: {"x": normal(r, (3, 4)), "index": r.integers(0, 4, (2, 5))}, axis=1)
case("scatter_add", "axis0", "index [5,4] into x [3,4] on axis 0, repeated indices",
     lambda r: {"x": normal(r, (3, 4)), "index": r.integers(0, 3, (5, 4)),
                "src": normal(r, (5, 4))})
case("scatter_add", "axis1", "index [2,6] into x [3,4] on axis 1, repeated indices; row 2 untouched",
     lambda r: {"x": normal(r, (3, 4)), "index": r.integers(0, 4, (2, 6)),
                "src": normal(r, (2, 6))}, axis=1)
case("index_select", "axis0", "rows [2, 0, 2]",
     lambda r: {"x": normal(r, (3, 4)), "index": i64([2, 0, 2])})
case("index_select", "axis1", "columns [3, 1, 1, 0, 2]",
     lambda r: {"x": normal(r, (3, 4)), "index": i64([3, 1, 1, 0, 2])}, axis=1)

case("concat", "middle_axis", "[2,1,3], [2,2,3], [2,3,3] on axis 1", lambda r: {
    "xs": [normal(r, (2, k, 3)) for k in (1, 2, 3)]}, axis=1)
case("concat", "axis0", "[1,4], [2,4], [3,4] on the default axis 0", lambda r: {
    "xs": [normal(r, (k, 4)) for k in (1, 2, 3)]})
case("stack", "middle_axis", "three [2,3] on axis 1 -> [2,3,3]", lambda r: {
    "xs": [normal(r, (2, 3)) for _ in range(3)]}, axis=1)
case("stack", "axis0", "three [2,3] on the default axis 0", lambda r: {
    "xs": [normal(r, (2, 3)) for _ in range(3)]})
case("stack", "last_axis", "two [2,3] on axis 2 (= rank): new last dim", lambda r: {
    "xs": [normal(r, (2, 3)) for _ in range(2)]}, axis=2)

case("pad", "last_two", "[2,3,4], pads [1,2,0,1] (last dim 1|2, middle 0|1), value 0.5",
     lambda r: {"x": normal(r, (2, 3, 4))}, pads=[1, 2, 0, 1], value=0.5)
case("pad", "last_dim", "[3,4], pads [2,1], default value 0", lambda r: {"x": normal(r, (3, 4))},
     pads=[2, 1])

case("cumsum", "basic", "default axis -1", lambda r: {"x": normal(r, (3, 4))})
case("cumsum", "reverse", "axis -1, reverse: suffix sums", lambda r: {"x": normal(r, (3, 4))},
     reverse=True)
case("cumsum", "axis0_reverse", "[3,2,4], axis 0, reverse", lambda r: {"x": normal(r, (3, 2, 4))},
     axis=0, reverse=True)

case("sort", "ascending", "[3,5] distinct, default axis -1",
     lambda r: {"x": distinct(r, (3, 5))})
case("sort", "descending", "[4,3] distinct, axis 0, descending",
     lambda r: {"x": distinct(r, (4, 3))}, axis=0, descending=True)
case("sort", "ties", "ascending with ties: stable, equal keys keep input order",
     lambda r: {"x": small_ints(r, (3, 6))})
case("sort", "ties_descending", "descending with ties: still stable (first index first)",
     lambda r: {"x": small_ints(r, (3, 6))}, descending=True)

case("topk", "largest", "k 2 of [3,5], default axis -1", lambda r: {"x": distinct(r, (3, 5))},
     k=2)
case("topk", "smallest", "k 3 of [4,3] on axis 0, largest false",
     lambda r: {"x": distinct(r, (4, 3))}, k=3, axis=0, largest=False)
case("topk", "ties", "k 3 with ties: first index first (stable sort; torch.topk leaves it open)",
     lambda r: {"x": f64([[3.0, 1.0, 3.0, 2.0, 1.0, 3.0], [0.0, 2.0, 1.0, 2.0, 0.5, -1.0]])}, k=3)

case("reshape", "infer", "[2,3,4] -> [4,-1]", lambda r: {"x": normal(r, (2, 3, 4))}, shape=[4, -1])
case("reshape", "flatten", "[3,4] -> [-1]", lambda r: {"x": normal(r, (3, 4))}, shape=[-1])
case("permute", "basic", "[2,3,4] dims [2,0,1]", lambda r: {"x": normal(r, (2, 3, 4))},
     dims=[2, 0, 1])
case("expand", "new_dim", "[3,1] -> [2,-1,4]: new leading dim, -1 keeps 3, 1 grows to 4",
     lambda r: {"x": normal(r, (3, 1))}, shape=[2, -1, 4])
case("expand", "basic", "[1,4] -> [3,4]", lambda r: {"x": normal(r, (1, 4))}, shape=[3, 4])
case("slice", "step2", "[4,6] axis 1, start 1, step 2, end left at the size",
     lambda r: {"x": normal(r, (4, 6))}, axis=1, start=1, step=2)
case("slice", "range", "[4,6] rows 1:3", lambda r: {"x": normal(r, (4, 6))}, start=1, end=3)
case("slice_scatter", "step2", "src [4,3] into columns 1::2 of x [4,6]",
     lambda r: {"x": normal(r, (4, 6)), "src": normal(r, (4, 3))}, axis=1, start=1, step=2)
case("slice_scatter", "range", "src [2,6] into rows 1:3 of x [4,6]",
     lambda r: {"x": normal(r, (4, 6)), "src": normal(r, (2, 6))}, start=1, end=3)
case("squeeze", "all", "[1,3,1,4] -> [3,4]", lambda r: {"x": normal(r, (1, 3, 1, 4))})
case("squeeze", "axes", "[1,3,1,4,1] axes [0, 2] -> [3,4,1]",
     lambda r: {"x": normal(r, (1, 3, 1, 4, 1))}, axes=[0, 2])
case("unsqueeze", "last", "[3,4] axis -1 -> [3,4,1]", lambda r: {"x": normal(r, (3, 4))}, axis=-1)
case("unsqueeze", "first", "[3,4] default axis 0 -> [1,3,4]", lambda r: {"x": normal(r, (3, 4))})
case("narrow", "basic", "[3,5] axis 1, start 1, length 3", lambda r: {"x": normal(r, (3, 5))},
     axis=1, start=1, length=3)
case("transpose", "basic", "[3,4], default dims 0 and 1", lambda r: {"x": normal(r, (3, 4))})
case("transpose", "outer", "[2,3,4], dims 0 and 2", lambda r: {"x": normal(r, (2, 3, 4))},
     dim0=0, dim1=2)
case("clone", "basic", "[3,4] copy", lambda r: {"x": normal(r, (3, 4))})

_EXTREME = f64([[0.3, -1.2, 0.8, 2.0], [1e4, -1e4, 0.0, 1.0], [-1e4, -1e4, -1e4, -1e4]])
for _n in ("softmax", "log_softmax"):
    case(_n, "last", "[3,4], default axis -1", lambda r: {"x": normal(r, (3, 4), 2.0)})
    case(_n, "axis0", "[3,4], axis 0", lambda r: {"x": normal(r, (3, 4), 2.0)}, axis=0)
    case(_n, "extreme", "rows with +-1e4 and all -1e4: max-shifted, stays finite",
         lambda r: {"x": _EXTREME})
    case(_n, "extreme_axis0", "the same logits transposed, axis 0",
         lambda r: {"x": _EXTREME.T.copy()}, axis=0)
case("logsumexp", "all", "every axis", lambda r: {"x": normal(r, (2, 3, 4))})
case("logsumexp", "axis_keepdim", "axes [1], keepdim true", lambda r: {"x": normal(r, (2, 3, 4))},
     axes=[1], keepdim=True)
case("logsumexp", "two_axes", "axes [0, 2]", lambda r: {"x": normal(r, (2, 3, 4))}, axes=[0, 2])
case("logsumexp", "extreme", "axes [1] over rows with +-1e4 and all -1e4",
     lambda r: {"x": _EXTREME}, axes=[1])

case("gelu", "none", "exact erf form", lambda r: {"x": normal(r, (3, 4), 2.0)}, approximate="none")
case("gelu", "tanh", "tanh approximation", lambda r: {"x": normal(r, (3, 4), 2.0)},
     approximate="tanh")
case("silu", "basic", "[3,4]", lambda r: {"x": normal(r, (3, 4), 2.0)})
case("linear", "bias", "x [3,4], weight [5,4], bias [5]",
     lambda r: {"x": normal(r, (3, 4)), "weight": normal(r, (5, 4)), "bias": normal(r, (5,))})
case("linear", "no_bias_3d", "x [2,3,4], weight [5,4], no bias",
     lambda r: {"x": normal(r, (2, 3, 4)), "weight": normal(r, (5, 4))})
case("linear", "bias_3d", "x [2,3,4], weight [2,4], bias [2]",
     lambda r: {"x": normal(r, (2, 3, 4)), "weight": normal(r, (2, 4)), "bias": normal(r, (2,))})
case("one_hot", "explicit", "labels [6], num_classes 5 (above the largest label)",
     lambda r: {"labels": i64([0, 3, 1, 3, 2, 0])}, num_classes=5)
case("one_hot", "infer", "labels [3,4], num_classes -1 = max + 1 = 5",
     lambda r: {"labels": i64([[0, 4, 1, 2], [2, 2, 0, 3], [1, 0, 4, 3]])}, num_classes=-1)

# Backward ops take g and y as free inputs; y in the range softmax (log_softmax) outputs have.
case("softmax_backward", "basic", "g [3,5], y in [0.05, 0.5], last axis",
     lambda r: {"g": normal(r, (3, 5)), "y": uniform(r, (3, 5), 0.05, 0.5)})
case("softmax_backward", "axis0", "g, y [4,3], axis 0",
     lambda r: {"g": normal(r, (4, 3)), "y": uniform(r, (4, 3), 0.05, 0.5)}, axis=0)
case("log_softmax_backward", "basic", "g [3,5], y in [-3, -0.1], last axis",
     lambda r: {"g": normal(r, (3, 5)), "y": uniform(r, (3, 5), -3.0, -0.1)})
case("log_softmax_backward", "axis0", "g, y [4,3], axis 0",
     lambda r: {"g": normal(r, (4, 3)), "y": uniform(r, (4, 3), -3.0, -0.1)}, axis=0)
case("softmax_cross_entropy", "basic", "logits [5,4], labels [5]",
     lambda r: {"x": normal(r, (5, 4), 2.0), "labels": i64([0, 3, 1, 3, 2])})
case("softmax_cross_entropy", "extreme", "logits near +-1e4: no overflow, no NaN",
     lambda r: {"x": f64([[1e4, 1e4 - 1, -1e4], [-1e4, 3.0, 1e4 - 2]]), "labels": i64([1, 0])})
case("softmax_cross_entropy_backward", "basic", "g [5], logits [5,4], labels, lse = logsumexp",
     lambda r: (lambda x: {"g": normal(r, (5,)), "x": x, "labels": i64([0, 3, 1, 3, 2]),
                           "lse": np.log(np.exp(x).sum(1))})(normal(r, (5, 4), 2.0)))
case("dropout", "train", "p 0.3, seed 1234: keep iff Philox u53 >= p, scale 1/(1-p)",
     lambda r: {"x": normal(r, (4, 8))}, p=0.3, training=True, seed=1234)
case("dropout", "eval", "training false: y = x", lambda r: {"x": normal(r, (3, 4))},
     p=0.3, training=False)
case("dropout", "p_zero", "p 0, training: every u >= 0, so y = x",
     lambda r: {"x": normal(r, (3, 4))}, p=0.0, training=True, seed=1234)

# ---------------------------------------------------------------------------------------------


def build(op_name, name, note, make, attrs, rtol, atol):
    """Runs one case: returns (meta, {tensor key: array})."""
    spec = OPS[op_name]
    written, A = spec.resolve(attrs)
    given = make(rng_for(op_name, name))
    known = {n for n, _, _ in spec.inputs}
    assert set(given) <= known, "[%s/%s] unknown inputs %s" % (op_name, name, set(given) - known)

    files, meta_in, tensors, leaves = {}, {}, {}, []
    for iname, variadic, optional in spec.inputs:
        if iname not in given:
            assert optional, "[%s/%s] missing input %s" % (op_name, name, iname)
            continue
        if variadic:
            assert isinstance(given[iname], list), "[%s/%s] %s is variadic: give a list" % (
                op_name, name, iname)
        arrays = given[iname] if variadic else [given[iname]]
        ts, meta_in[iname] = [], []
        for i, a in enumerate(arrays):
            a = np.asarray(a)
            assert a.dtype in (np.float64, np.int64, np.bool_), (op_name, name, iname, a.dtype)
            fname = tensor_key(name, "in", iname, i if variadic else None)
            files[fname] = a
            meta_in[iname].append(fname)
            t = torch.from_numpy(a.copy())
            if a.dtype == np.float64:
                t.requires_grad_(True)
                leaves.append((iname, i if variadic else None, t))
            ts.append(t)
        tensors[iname] = ts if variadic else ts[0]

    outs = spec.ref(tensors, A)
    outs = outs if isinstance(outs, tuple) else (outs,)
    assert len(outs) == len(spec.outputs), op_name
    seed_rng = rng_for(op_name, name, "seed")
    meta_out, meta_seed, loss = {}, {}, None
    for oname, o in zip(spec.outputs, outs):
        meta_out[oname] = tensor_key(name, "out", oname)
        files[meta_out[oname]] = o.detach().contiguous().numpy()
        if not o.dtype.is_floating_point:
            continue
        assert torch.isfinite(o).all(), "[%s/%s] non-finite output" % (op_name, name)
        # Seeds hold values the output dtype represents exactly, so a runner may feed them in
        # either dtype and get the same gradient.
        s = torch.from_numpy(seed_rng.normal(size=tuple(o.shape))).to(o.dtype).to(torch.float64)
        meta_seed[oname] = tensor_key(name, "seed", oname)
        files[meta_seed[oname]] = s.numpy()
        if o.requires_grad:
            term = (o.to(torch.float64) * s).sum()
            loss = term if loss is None else loss + term

    meta_grad = {}
    if loss is not None and leaves:
        grads = torch.autograd.grad(loss, [t for _, _, t in leaves], allow_unused=True)
        for (iname, i, _), g in zip(leaves, grads):
            if g is None:
                continue
            fname = tensor_key(name, "grad", iname, i)
            files[fname] = g.numpy()
            meta_grad.setdefault(iname, []).append(fname)

    meta = {"case": name, "attrs": written, "inputs": meta_in,
            "outputs": meta_out, "seeds": meta_seed, "grads": meta_grad,
            "rtol": rtol, "atol": atol, "note": note}
    if op_name in NO_F32:
        meta["f32"], meta["f32_note"] = False, NO_F32[op_name]
    return meta, files


# Cases that sit on a kink on purpose: finite differences cannot confirm their gradients.
KINKS = {"at_zero", "ties", "ties_all", "ties_descending", "at_bounds"}


def gradcheck(op_name, name, note, make, attrs, rtol, atol):
    """Finite differences against autograd: proves a smooth case really is away from kinks."""
    spec = OPS[op_name]
    _, A = spec.resolve(attrs)
    given = make(rng_for(op_name, name))
    slots, leaves = [], []  # where each float leaf goes back into the input dict
    for iname, variadic, _ in spec.inputs:
        if iname not in given:
            continue
        if iname in NOGRAD.get(op_name, ()):
            continue
        for i, a in enumerate(given[iname] if variadic else [given[iname]]):
            if a.dtype == np.float64:
                slots.append((iname, i if variadic else None))
                leaves.append(torch.from_numpy(np.array(a)).requires_grad_(True))
    if not leaves:
        return True

    def fn(*ts):
        ins = {k: (list(map(torch.from_numpy, v)) if isinstance(v, list)
                   else torch.from_numpy(np.asarray(v))) for k, v in given.items()}
        for (iname, i), t in zip(slots, ts):
            if i is None:
                ins[iname] = t
            else:
                ins[iname][i] = t
        outs = spec.ref(ins, A)
        outs = outs if isinstance(outs, tuple) else (outs,)
        # float32 outputs (cast) are too coarse for differences at eps 1e-6: skipped.
        return tuple(o for o in outs if o.dtype == torch.float64 and o.requires_grad)

    if not fn(*leaves):
        return True
    return torch.autograd.gradcheck(fn, tuple(leaves), eps=1e-6, atol=1e-5, rtol=1e-4,
                                    raise_exception=False)


def doc_ops(path):
    """Op names of the doc's tables: first cell of each row, several names per cell."""
    names = []
    with open(path) as f:
        for line in f:
            cells = line.split("|")
            if not line.startswith("|") or len(cells) < 3:
                continue
            first = cells[1].strip()
            if first == "op" or set(first) <= set("-: "):
                continue
            names += first.split()
    return names


def write_op_fixtures(op_names, out, check=False):
    """Writes every case of op_names to out/<op>.safetensors (the whole file, so stale cases
    go); with check, first proves each smooth case with finite differences.
    Returns op -> count."""
    torch.set_num_threads(1)  # one summation order, whatever the machine
    counts = {}
    for op_name in op_names:
        cases = [c for c in CASES if c[0] == op_name]
        built = []
        for c in cases:
            if check and c[1] not in KINKS and not gradcheck(*c):
                sys.exit("[%s/%s] finite differences disagree with autograd" % c[:2])
            built.append(build(*c))
        write_op_file(os.path.join(out, op_name + ".safetensors"), op_name, built)
        counts[op_name] = len(cases)
    return counts


def fixture_bytes(out, op_names):
    """Total size of the op files of op_names under out."""
    paths = [os.path.join(out, n + ".safetensors") for n in op_names]
    return sum(os.path.getsize(p) for p in paths if os.path.exists(p))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "oracle"))
    ap.add_argument("--only", default="", help="comma-separated op names")
    ap.add_argument("--check", action="store_true",
                    help="also compare autograd with finite differences (writes nothing more)")
    args = ap.parse_args()

    covered = {c[0] for c in CASES}
    assert covered == set(OPS), "ops without cases: %s" % sorted(set(OPS) - covered)
    doc = os.path.join(ROOT, "docs", "ops-core.md")
    if os.path.exists(doc):
        listed = doc_ops(doc)
        assert sorted(listed) == sorted(OPS), "prims.py and docs/ops-core.md disagree: " \
            "only in doc %s, only here %s" % (sorted(set(listed) - set(OPS)),
                                              sorted(set(OPS) - set(listed)))

    only = [s for s in args.only.split(",") if s]
    for s in only:
        assert s in OPS, "unknown op %r" % s
    wanted = only or sorted(OPS)

    counts = write_op_fixtures(wanted, args.out, args.check)

    for op_name in wanted:
        print("%-14s %d" % (op_name, counts[op_name]))
    print("%d ops, %d cases, %d bytes in %s" % (
        len(counts), sum(counts.values()), fixture_bytes(args.out, wanted), args.out))


if __name__ == "__main__":
    main()
