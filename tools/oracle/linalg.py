"""PyTorch references for the linear-algebra ops of docs/ops-linalg.md (ops/linalg/), run by
oracle.py on the C++ cases (tests/ops/linalg/).

Written from the ops' definitions in torch.linalg calls (PyTorch 1.13). Where lathe fixes what
LAPACK leaves open, the reference applies the same rule with torch ops (backends/linalg.h):
each eigenvector and each left singular vector has its largest entry positive (the first entry
within a relative 1e-6 of the largest magnitude; Vh's row flips with U's column), and R of a QR
has a non-negative diagonal. The ops that read a symmetric matrix read (a + a^T) / 2."""
import torch

REFS = {}


def ref(names, fn):
    for name in names.split():
        REFS[name] = fn


def sym(a):
    return (a + a.transpose(-1, -2)) / 2


def column_signs(x):
    """+-1 per column of x [.., rows, cols]: the sign of the column's first entry within a
    relative 1e-6 of its largest magnitude (computed without gradient: it is locally constant)."""
    with torch.no_grad():
        mag = x.abs()
        big = mag.amax(dim=-2, keepdim=True)
        first = (mag >= big * (1 - 1e-6)).to(torch.int64).argmax(dim=-2, keepdim=True)
        pivot = torch.gather(x, -2, first)
        return torch.where(pivot < 0, -torch.ones_like(pivot), torch.ones_like(pivot))


def eigh(a):
    w, v = torch.linalg.eigh(sym(a))
    return w, v * column_signs(v)


def svd(a):
    u, s, vh = torch.linalg.svd(a, full_matrices=False)
    d = column_signs(u)  # [.., 1, k]
    return u * d, s, vh * d.transpose(-1, -2)


def qr(a):
    q, r = torch.linalg.qr(a)
    with torch.no_grad():
        diag = torch.diagonal(r, dim1=-2, dim2=-1)
        d = torch.where(diag < 0, -torch.ones_like(diag), torch.ones_like(diag))
    return q * d.unsqueeze(-2), r * d.unsqueeze(-1)


def sqrtm_psd(a):
    w, v = torch.linalg.eigh(sym(a))
    return (v * w.clamp(min=0).sqrt().unsqueeze(-2)) @ v.transpose(-1, -2)


ref("cholesky", lambda I, A: torch.linalg.cholesky(sym(I["a"])))
ref("solve_triangular",
    lambda I, A: torch.linalg.solve_triangular(I["a"], I["b"], upper=bool(A["upper"])))
ref("solve", lambda I, A: torch.linalg.solve(I["a"], I["b"]))
ref("inv", lambda I, A: torch.linalg.inv(I["a"]))
ref("det", lambda I, A: torch.linalg.det(I["a"]))
ref("slogdet", lambda I, A: tuple(torch.linalg.slogdet(I["a"])))
ref("eigh", lambda I, A: eigh(I["a"]))
ref("eigvalsh", lambda I, A: torch.linalg.eigvalsh(sym(I["a"])))
ref("sqrtm_psd", lambda I, A: sqrtm_psd(I["a"]))
ref("svd", lambda I, A: svd(I["a"]))
ref("svdvals", lambda I, A: torch.linalg.svdvals(I["a"]))
ref("matrix_norm", lambda I, A: torch.linalg.matrix_norm(
    I["a"], ord=2 if A["ord"] == "2" else A["ord"]))
ref("pinv", lambda I, A: torch.linalg.pinv(I["a"]))
ref("qr", lambda I, A: qr(I["a"]))
