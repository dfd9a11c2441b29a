"""PyTorch references for the ops of docs/ops-core.md, run by oracle.py on the C++ cases
(tests/ops/prim/, tests/ops/nn/).

Each reference is written from the doc's semantics in PyTorch 1.13 calls: ref(I, A) returns the
output, or a tuple in the op's output order, with I the input tensors (a list for a variadic
input) and A every attr, defaults filled in from `lathe ops --json`. Where PyTorch leaves
something open (tie order in torch.topk), the reference implements the doc's rule and asserts
agreement on what PyTorch does define."""
import torch
import torch.nn.functional as F

from common import rand_uniform

REFS = {}
DTYPES = {"f32": torch.float32, "f64": torch.float64, "i32": torch.int32, "i64": torch.int64,
          "bool": torch.bool, "f16": torch.float16, "bf16": torch.bfloat16}


def ref(names, fn):
    for name in names.split():
        REFS[name] = fn


def all_dims(x, axes):
    return list(axes) if axes else list(range(x.dim()))


UNARY = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
         "rsqrt": torch.rsqrt, "abs": torch.abs, "sign": torch.sign, "sin": torch.sin,
         "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
         "erf": torch.erf}
BINARY = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
          "pow": torch.pow, "maximum": torch.maximum, "minimum": torch.minimum,
          "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt,
          "ge": torch.ge, "logical_and": torch.logical_and, "logical_or": torch.logical_or}

for _n, _f in UNARY.items():
    ref(_n, lambda I, A, f=_f: f(I["x"]))
for _n, _f in BINARY.items():
    ref(_n, lambda I, A, f=_f: f(I["a"], I["b"]))
ref("logical_not", lambda I, A: torch.logical_not(I["x"]))
ref("softplus", lambda I, A: F.softplus(I["x"], beta=A["beta"], threshold=A["threshold"]))
ref("where", lambda I, A: torch.where(I["cond"], I["a"], I["b"]))
ref("clamp", lambda I, A: torch.clamp(I["x"], A["min"], A["max"]))
ref("cast", lambda I, A: I["x"].to(DTYPES[A["dtype"]]))
ref("sum", lambda I, A: torch.sum(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]))
ref("mean", lambda I, A: torch.mean(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]))
ref("max", lambda I, A: torch.amax(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]))
ref("min", lambda I, A: torch.amin(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]))
ref("logsumexp",
    lambda I, A: torch.logsumexp(I["x"], all_dims(I["x"], A["axes"]), A["keepdim"]))
# torch.argmax documents first-index ties, which is the doc's rule.
ref("argmax", lambda I, A: torch.argmax(I["x"], A["axis"], A["keepdim"]))
ref("argmin", lambda I, A: torch.argmin(I["x"], A["axis"], A["keepdim"]))
ref("matmul", lambda I, A: torch.matmul(I["a"], I["b"]))
ref("gather", lambda I, A: torch.gather(I["x"], A["axis"], I["index"]))
ref("scatter_add", lambda I, A: I["x"].scatter_add(A["axis"], I["index"], I["src"]))
ref("index_select", lambda I, A: torch.index_select(I["x"], A["axis"], I["index"]))
ref("concat", lambda I, A: torch.cat(I["xs"], A["axis"]))
ref("stack", lambda I, A: torch.stack(I["xs"], A["axis"]))
ref("pad", lambda I, A: F.pad(I["x"], A["pads"], mode="constant", value=A["value"]))


def _cumsum(I, A):
    x, ax = I["x"], A["axis"]
    if A["reverse"]:
        return torch.flip(torch.cumsum(torch.flip(x, [ax]), ax), [ax])
    return torch.cumsum(x, ax)


ref("cumsum", _cumsum)
ref("sort", lambda I, A: torch.sort(I["x"], dim=A["axis"], descending=A["descending"],
                                    stable=True))


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


ref("topk", _topk)
ref("reshape", lambda I, A: I["x"].reshape(A["shape"]))
ref("permute", lambda I, A: I["x"].permute(A["dims"]))
ref("expand", lambda I, A: I["x"].expand(A["shape"]))


def _slice_end(x, A):
    # lathe's default end is INT64_MAX ("the end of the axis")
    return min(A["end"], x.shape[A["axis"]])


def _slice(I, A):
    x = I["x"]
    index = [slice(None)] * x.dim()
    index[A["axis"]] = slice(A["start"], _slice_end(x, A), A["step"])
    return x[tuple(index)]


ref("slice", _slice)
ref("slice_scatter",
    lambda I, A: torch.slice_scatter(I["x"], I["src"], A["axis"], A["start"],
                                     _slice_end(I["x"], A), A["step"]))


def _squeeze(I, A):
    x = I["x"]
    if not A["axes"]:
        return torch.squeeze(x)
    # torch 1.13 squeezes one dim per call; going from the last keeps the others' numbering.
    for ax in sorted((a % x.dim() for a in A["axes"]), reverse=True):
        x = x.squeeze(ax)
    return x


ref("squeeze", _squeeze)
ref("unsqueeze", lambda I, A: torch.unsqueeze(I["x"], A["axis"]))
ref("clone", lambda I, A: torch.clone(I["x"]))
ref("softmax", lambda I, A: torch.softmax(I["x"], A["axis"]))
ref("log_softmax", lambda I, A: torch.log_softmax(I["x"], A["axis"]))
ref("transpose", lambda I, A: torch.transpose(I["x"], A["dim0"], A["dim1"]))
ref("narrow", lambda I, A: torch.narrow(I["x"], A["axis"], A["start"], A["length"]))
ref("softmax_backward",
    lambda I, A: I["y"] * (I["g"] - (I["g"] * I["y"]).sum(A["axis"], keepdim=True)))
ref("log_softmax_backward",
    lambda I, A: I["g"] - I["y"].exp() * I["g"].sum(A["axis"], keepdim=True))
ref("softmax_cross_entropy",
    lambda I, A: F.cross_entropy(I["x"], I["labels"], reduction="none"))
ref("softmax_cross_entropy_backward",
    lambda I, A: (torch.exp(I["x"] - I["lse"][:, None])
                  - F.one_hot(I["labels"], I["x"].shape[1]).to(I["x"].dtype)) * I["g"][:, None])
ref("one_hot", lambda I, A: F.one_hot(I["labels"], A["num_classes"]))
ref("linear", lambda I, A: F.linear(I["x"], I["weight"], I.get("bias")))
ref("gelu", lambda I, A: F.gelu(I["x"], approximate=A["approximate"]))
ref("silu", lambda I, A: F.silu(I["x"]))


def _dropout(I, A):
    x, p = I["x"], A["p"]
    if not A["training"]:
        return x
    assert A["seed"] >= 0, "[dropout] the global generator cannot be reproduced here"
    bits = 53 if x.dtype == torch.float64 else 24
    keep = rand_uniform(A["seed"], 0, tuple(x.shape), bits) >= p
    # The mask is a constant, so autograd gives grad = seed * keep / (1 - p).
    return x * torch.from_numpy(keep).to(x.dtype) / (1.0 - p)


ref("dropout", _dropout)
