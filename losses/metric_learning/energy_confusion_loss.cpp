// energy_confusion_loss: the energy-confusion term of ECAML, the mean squared Euclidean
// distance over different-label pairs of embeddings f [B, D]:
//   E = (1 / |N|) sum_{(i, j) in N} ||f_i - f_j||^2,   N = {(i, j): y_i != y_j} (ordered)
// It is minimized with weight lambda against a discriminative metric loss, adversarially
// (pulling classes together); the schedule is the caller's.
// Paper: "Energy Confused Adversarial Metric Learning for Zero-Shot Image Retrieval and
// Clustering" (Chen and Deng, AAAI 2019). NOTE: confidence 'memory'. The catalog's form is
// kept; only the abstract (arXiv 1901.07169) could be read, which names an "Energy Confusion"
// regularizer trained adversarially but not its normalization; no public code was found.
// A batch with a single label (no negative pair) gives 0 with a graph.
// Reduction: mean over ordered negative pairs (a scalar). Gradients: autograd, by direct
// differences (exact at duplicates; the [B, B, D] difference is fine at embedding-batch size).
#include "losses/metric_learning/metric_learning_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor energy_confusion_loss(const Tensor& embeddings, const Tensor& labels,
                             const EnergyConfusionLossOptions&) {
  const char* op = "energy_confusion_loss";
  pairs::check_embeddings(op, "embeddings", embeddings);
  pairs::check_labels(op, "labels", labels, embeddings.size(0));
  Tensor diff = embeddings.unsqueeze(1) - embeddings.unsqueeze(0);     // [B, B, D]
  Tensor d2 = sum(diff * diff, {2});                                   // [B, B]
  return pairs::masked_mean(d2, pairs::negative_mask(labels));
}

LATHE_REGISTER_OPS(energy_confusion_loss) {
  registry.add(OpDef("energy_confusion_loss", "metric_learning")
                   .summary("ECAML energy confusion: mean squared distance of negative pairs")
                   .paper("Energy Confused Adversarial Metric Learning for Zero-Shot Image "
                          "Retrieval and Clustering")
                   .input("embeddings")
                   .input("labels", Kind::integer)
                   .options<EnergyConfusionLossOptions>()
                   .output("loss")
                   .own_reduction("mean over the different-label pairs (a scalar)")
                   .run(energy_confusion_loss));
}

}  // namespace lathe
