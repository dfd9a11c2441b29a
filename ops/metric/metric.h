// The catalog's metric family (catalog: metric.md): spectral measures of a representation
// (RankMe, matrix entropy, the nuclear-norm proxy, diffusion spectral entropy), the tolerance of
// a contrastive embedding, and evaluation scores (calibration error, transfer score, data
// selection and unlearning scores), each defined in ops/metric/<name>.cpp. The image-similarity
// losses of the family live in losses/image/image.h. Metrics are not losses: the loss contract
// does not apply. Scores that are not differentiable declare their inputs no-grad; the spectral
// metrics are differentiable through eigvalsh / svdvals (ops/linalg).
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe {

struct RankmeOptions {
  double eps = 1e-7;  // added to each normalized singular value (after normalizing)
};

// RankMe exp(-sum_k p_k log p_k), p = sigma / ||sigma||_1 + eps, sigma the singular values of
// embeddings Z [..., N, D]; one value per matrix [...] (ops/metric/rankme.cpp).
Tensor rankme(const Tensor& z, const RankmeOptions& options = {});

struct MatrixNuclearNormOptions {
  int64_t top = 0;  // D: the number of largest column norms summed; 0 is min(L, d)
};

// Matrix Nuclear-Norm proxy sum top-D ||R_:j||_2 / L of hidden states R [..., L, d], centred
// over tokens and L2-normalized per token; one value per response [...]
// (ops/metric/matrix_nuclear_norm.cpp).
Tensor matrix_nuclear_norm(const Tensor& r, const MatrixNuclearNormOptions& options = {});

// Matrix entropy -sum sigma log sigma / log d of the trace-normalized covariance Z^T Z / L of
// centred, row-normalized R [..., L, d]; one value per matrix [...]
// (ops/metric/matrix_entropy.cpp).
Tensor matrix_entropy(const Tensor& r);

struct DiffusionSpectralEntropyOptions {
  double sigma = 10.0;             // Gaussian kernel bandwidth
  int64_t t = 1;                   // diffusion time: eigenvalues to the power t
  double eps = 2.220446049250313e-16;  // added to p (the API: machine epsilon; the loss: 1e-6)
  bool drop_trivial = true;        // drop the largest eigenvalue (= 1), as the API does
};

// DSE -sum p log2 p, p = |lambda|^t / sum |lambda|^t + eps, lambda the eigenvalues of the
// symmetrically normalized Gaussian kernel of X [N, D]; a scalar
// (ops/metric/diffusion_spectral_entropy.cpp).
Tensor diffusion_spectral_entropy(const Tensor& x,
                                  const DiffusionSpectralEntropyOptions& options = {});

// Tolerance: the mean cosine similarity f_i^T f_j / (||f_i|| ||f_j||) over the pairs i != j of
// the same label, of features [N, D] and integer labels [N]; a scalar
// (ops/metric/tolerance_metric.cpp).
Tensor tolerance_metric(const Tensor& features, const Tensor& labels);

struct EceOptions {
  int64_t n_bins = 15;  // equal-width confidence bins on (0, 1], upper edge inclusive
};

// Expected calibration error sum_b |B_b| / N |mean_b conf - mean_b acc| of logits [N, C]
// against integer labels [N]; a scalar, not differentiable (ops/metric/ece.cpp).
Tensor ece(const Tensor& logits, const Tensor& labels, const EceOptions& options = {});

// OPIS (operating-point inconsistency), the catalog's reading (unverified): the mean over
// classes of the range-averaged (U_c(d) - mean_c U_c(d))^2, U_c the harmonic mean of class c's
// pair TPR and TNR at distance threshold d, from pairwise distances [N, N], integer labels [N]
// and an ascending threshold grid [K]; a scalar, not differentiable (ops/metric/opis.cpp).
Tensor opis(const Tensor& distances, const Tensor& labels, const Tensor& thresholds);

// TransferScore H - IM / log C - U of the classifier weight W [C, D], target features X
// [N, D], target probabilities [B, n, C] (B batches), the Hopkins uniform points [m, D] and
// sampled row indices [m] (int); a scalar, not differentiable (ops/metric/transfer_score.cpp).
Tensor transfer_score(const Tensor& weight, const Tensor& features, const Tensor& probs,
                      const Tensor& uniform_points, const Tensor& sample_index);

struct DcPddScoreOptions {
  double a = 0.01;  // the upper clip of each token's calibrated score
};

// DC-PDD -mean_i min(p(x_i) log(1 / f(x_i)), a) over the first occurrence of each token id, of
// token probabilities [T], token ids [T] (int) and reference-corpus counts [V] (Laplace-smoothed
// frequencies f); a scalar (ops/metric/dc_pdd_score.cpp).
Tensor dc_pdd_score(const Tensor& token_probs, const Tensor& token_ids, const Tensor& counts,
                    const DcPddScoreOptions& options = {});

// EL2N mean_r ||softmax(z_r) - onehot(y)||_2 of logits [R, N, C] over R runs and integer labels
// [N]; one score per example [N], not differentiable (ops/metric/el2n_score.cpp).
Tensor el2n_score(const Tensor& logits, const Tensor& labels);

// Self-supervised prototype score 1 - max_k cos(z, c_k) of embeddings [N, D] against k-means
// centroids [K, D]; one score per example [N], not differentiable
// (ops/metric/ssl_prototype_score.cpp).
Tensor ssl_prototype_score(const Tensor& z, const Tensor& centroids);

struct KlomOptions {
  int64_t bins = 20;   // equal-width histogram bins over both samples
  double eps = 1e-5;   // floor of the oracle's bin probabilities where p > 0
  double clip = 100.0; // margins clipped to [-clip, clip]
};

// KLoM KL(p || q) of the binned margins of unlearned models [M_u, N] and retrained oracle models
// [M_o, N]; one value per example [N], not differentiable (ops/metric/klom.cpp).
Tensor klom(const Tensor& margins_unlearned, const Tensor& margins_oracle,
            const KlomOptions& options = {});

// KLoM's margin f_y(x) - logsumexp_{k != y} f_k(x) of logits [M, N, C] over M models and
// integer labels [N]: [M, N] (ops/metric/klom.cpp).
Tensor klom_margins(const Tensor& logits, const Tensor& labels);

struct ColorFilterScoreOptions {
  int64_t ignore_index = -100;  // label of positions that contribute 0 (still counted)
};

// CoLoR-Filter NLL_prior(x) - NLL_cond(x), each the mean next-token cross-entropy over the
// T - 1 positions of logits [B, T, V] against integer labels [B, T]; one score per sequence
// [B], not differentiable (ops/metric/color_filter_score.cpp).
Tensor color_filter_score(const Tensor& logits_prior, const Tensor& logits_cond,
                          const Tensor& labels, const ColorFilterScoreOptions& options = {});

}  // namespace lathe
