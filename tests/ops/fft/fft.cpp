// Test cases for ops/fft/fft.cpp (gradcheck, conformance, oracle). Complex tensors carry
// (real, imaginary) on a last axis of size 2; lengths cover even, odd and prime.
#include "tests/support/cases.h"

LATHE_CASES(fft) {
  add(Case("fft").normal("x", {3, 8, 2}).note("[3] sequences of 8 along the last axis"));
  add(Case("fft", "axis0_ortho").normal("x", {5, 3, 2}).attr("axis", 0).attr("norm", "ortho")
          .note("length 5 along axis 0, ortho"));
  add(Case("fft", "prime_forward").normal("x", {2, 7, 2}).attr("norm", "forward"));
  add(Case("ifft").normal("x", {3, 6, 2}));
  add(Case("ifft", "axis0_forward").normal("x", {4, 3, 2}).attr("axis", 0)
          .attr("norm", "forward"));
  add(Case("rfft").normal("x", {3, 8}).note("even n: 5 bins"));
  add(Case("rfft", "odd_ortho").normal("x", {2, 9}).attr("norm", "ortho").note("odd n: 5 bins"));
  add(Case("rfft", "axis0").normal("x", {6, 3}).attr("axis", 0));
  add(Case("irfft").normal("x", {3, 5, 2}).note("n = 8 by default"));
  add(Case("irfft", "odd_n").normal("x", {2, 5, 2}).attr("n", 9).attr("norm", "ortho")
          .note("n = 9: no Nyquist bin"));
  add(Case("irfft", "pad_and_cut").normal("x", {2, 3, 2}).attr("n", 10).attr("norm", "forward")
          .note("n = 10 needs 6 bins: zero-padded"));
  add(Case("irfft", "cut").normal("x", {2, 6, 2}).attr("n", 4)
          .note("n = 4 needs 3 bins: the rest gets no gradient"));
  add(Case("fft2").normal("x", {2, 3, 4, 2}));
  add(Case("fft2", "ortho").normal("x", {4, 5, 2}).attr("norm", "ortho"));
  add(Case("rfft2").normal("x", {2, 4, 6}));
  add(Case("rfft2", "odd_forward").normal("x", {3, 5}).attr("norm", "forward"));
  add(Case("irfft2").normal("x", {2, 3, 4, 2}).note("n = 6 on the last axis"));
  add(Case("irfft2", "odd_n").normal("x", {4, 3, 2}).attr("n", 5).attr("norm", "ortho"));
}
