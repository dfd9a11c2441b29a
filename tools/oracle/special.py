"""PyTorch references for the special functions, rounding, index and shape ops and distances
of issue 14 (ops/prim/<name>.cpp for the elementwise primitives, ops/special/ for the
composites; cases in tests/ops/prim/ and tests/ops/special/), run by oracle.py.

Written from the doc's semantics in PyTorch 1.13 calls: ref(I, A) returns the output, or a
tuple in the op's output order. Where a composite's rule is ours (tie order), the reference
computes that rule and asserts agreement with PyTorch on what PyTorch does define."""
import torch

REFS = {}


def ref(names, fn):
    for name in names.split():
        REFS[name] = fn


UNARY = {"log1p": torch.log1p, "expm1": torch.expm1, "sinh": torch.sinh, "cosh": torch.cosh,
         "atanh": torch.atanh, "asinh": torch.asinh, "acosh": torch.acosh,
         "lgamma": torch.lgamma, "digamma": torch.digamma, "erfinv": torch.erfinv,
         "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc}
for _n, _f in UNARY.items():
    ref(_n, lambda I, A, f=_f: f(I["x"]))
ref("polygamma", lambda I, A: torch.polygamma(A["n"], I["x"]))
ref("atan2", lambda I, A: torch.atan2(I["a"], I["b"]))
ref("hypot", lambda I, A: torch.hypot(I["a"], I["b"]))


def _dims(x, dims):
    return list(dims) if dims else list(range(x.dim()))


ref("logit", lambda I, A: torch.logit(I["x"], eps=A["eps"] if A["eps"] >= 0 else None))
ref("xlogy", lambda I, A: torch.xlogy(I["x"], I["b"]))
ref("masked_fill", lambda I, A: I["x"].masked_fill(I["mask"], A["value"]))
ref("flip", lambda I, A: torch.flip(I["x"], A["dims"]))
ref("roll", lambda I, A: torch.roll(I["x"], A["shifts"], A["dims"] or None))
ref("tril", lambda I, A: torch.tril(I["x"], A["diagonal"]))
ref("triu", lambda I, A: torch.triu(I["x"], A["diagonal"]))
ref("diagonal", lambda I, A: torch.diagonal(I["x"], A["offset"], A["dim1"], A["dim2"]))
ref("diag", lambda I, A: torch.diag(I["x"], A["diagonal"]))
ref("repeat_interleave", lambda I, A: torch.repeat_interleave(I["x"], A["repeats"], A["dim"]))
ref("cumprod", lambda I, A: torch.cumprod(I["x"], A["dim"]))
ref("cummax", lambda I, A: tuple(torch.cummax(I["x"], A["dim"])))
ref("kthvalue", lambda I, A: tuple(torch.kthvalue(I["x"], A["k"], A["dim"], A["keepdim"])))
ref("median", lambda I, A: tuple(torch.median(I["x"], A["dim"], A["keepdim"])))
ref("quantile", lambda I, A: torch.quantile(I["x"], A["q"], A["dim"], A["keepdim"]))


def _norm(I, A):
    x = I["x"]
    return torch.linalg.vector_norm(x, A["p"], _dims(x, A["dims"]), A["keepdim"])


ref("norm", _norm)
ref("cdist", lambda I, A: torch.cdist(I["a"], I["b"], A["p"]))
ref("pdist", lambda I, A: torch.pdist(I["x"], A["p"]))
ref("cosine_similarity",
    lambda I, A: torch.cosine_similarity(I["a"], I["b"], A["dim"], A["eps"]))
ref("normalize",
    lambda I, A: torch.nn.functional.normalize(I["x"], A["p"], A["dim"], A["eps"]))
def _var(I, A):
    # from the formula, since torch 1.13 takes an integer correction only; checked against
    # torch.var where the correction is an integer
    x, dims = I["x"], _dims(I["x"], A["dims"])
    count = 1
    for d in dims:
        count *= x.shape[d]
    centered = x - x.mean(dims, keepdim=True)
    v = (centered * centered).sum(dims, keepdim=A["keepdim"]) / max(count - A["correction"], 0)
    if A["correction"] == int(A["correction"]):
        t = torch.var(x.detach(), dims, correction=int(A["correction"]), keepdim=A["keepdim"])
        assert torch.allclose(t, v.detach(), rtol=1e-12, atol=1e-14), "[var] torch.var differs"
    return v


ref("var", _var)
ref("std", lambda I, A: _var(I, A).sqrt())
