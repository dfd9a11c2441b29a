"""PyTorch references for the FFT ops of docs/ops-linalg.md (ops/fft/), run by oracle.py on the
C++ cases (tests/ops/fft/).

lathe's complex tensors are float tensors with (real, imaginary) on a last axis of size 2
(docs/complex.md), which is torch.view_as_real's layout: each reference views the input as
complex, calls torch.fft and views the result as real again. The `axis` of lathe counts the
complex (logical) axes, as torch's `dim` does on the complex tensor."""
import torch

REFS = {}


def c(x):
    return torch.view_as_complex(x.contiguous())


def r(z):
    return torch.view_as_real(z)


def n_or_none(A):
    return None if A["n"] < 0 else A["n"]


REFS["fft"] = lambda I, A: r(torch.fft.fft(c(I["x"]), dim=A["axis"], norm=A["norm"]))
REFS["ifft"] = lambda I, A: r(torch.fft.ifft(c(I["x"]), dim=A["axis"], norm=A["norm"]))
REFS["rfft"] = lambda I, A: r(torch.fft.rfft(I["x"], dim=A["axis"], norm=A["norm"]))
REFS["irfft"] = lambda I, A: torch.fft.irfft(c(I["x"]), n=n_or_none(A), dim=A["axis"],
                                             norm=A["norm"])
REFS["fft2"] = lambda I, A: r(torch.fft.fft2(c(I["x"]), norm=A["norm"]))
REFS["rfft2"] = lambda I, A: r(torch.fft.rfft2(I["x"], norm=A["norm"]))


def _irfft2(I, A):
    x = c(I["x"])
    s = None if A["n"] < 0 else (x.shape[-2], A["n"])
    return torch.fft.irfft2(x, s=s, norm=A["norm"])


REFS["irfft2"] = _irfft2
