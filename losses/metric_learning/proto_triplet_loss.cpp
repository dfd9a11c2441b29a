// proto_triplet_loss: the prototype triplet loss of few-shot episodes. Queries q [Q, D] with
// labels, prototypes c [W, D] (class means of the support set) with labels:
//   d_ik = sqrt(||q_i - c_k||^2 + 1e-6)
//   d+_i = max over same-label prototypes, d-_i = min over the others
//   l_i = max(0, d+_i - d-_i + margin)
// A query with no other-label prototype (a 1-way episode) has d- = inf: l = 0. A query with no
// same-label prototype has d+ = 0 (the reference's max over dist * same).
// Paper: "SuSana Distancia is all you need" (Mendez-Ruiz et al.); code: the authors' ICNN
// module, proto_triplet_loss, as the catalog quotes it. The 1e-6 keeps the square root
// differentiable when a query equals a prototype (cdist would lose it).
// Defaults: margin 0.5. Reduction 'mean' over queries ('none' gives [Q]).
// Gradients: autograd; the max/min pick single entries (the first on ties, as torch), the
// hinge and ties are kinks.
#include "losses/metric_learning/metric_learning.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

Tensor proto_triplet_loss(const Tensor& query, const Tensor& query_labels, const Tensor& protos,
                          const Tensor& proto_labels, const ProtoTripletLossOptions& o) {
  const char* op = "proto_triplet_loss";
  pairs::check_embeddings(op, "query", query);
  pairs::check_labels(op, "query_labels", query_labels, query.size(0));
  pairs::check_embeddings(op, "protos", protos);
  check_shape(op, "protos", protos, {protos.size(0), query.size(1)});
  pairs::check_labels(op, "proto_labels", proto_labels, protos.size(0));
  Reduction r = parse_reduction(op, o.reduction);
  Tensor dist = sqrt(pairs::squared_distances(query, protos, false) + 1e-6);   // [Q, W]
  Tensor same = pairs::same_label(query_labels, proto_labels);                 // [Q, W]
  Tensor any_same, any_other;
  Tensor p = pairs::hardest_index(dist, same, true, &any_same);                // [Q]
  Tensor n = pairs::hardest_index(dist, logical_not(same), false, &any_other); // [Q]
  Tensor d_pos = where(any_same, pairs::take_rows(dist, p), 0.0);              // [Q]
  Tensor hinge = relu(d_pos - pairs::take_rows(dist, n) + o.margin);           // [Q]
  return apply_reduction(where(any_other, hinge, 0.0), r);
}

LATHE_REGISTER_OPS(proto_triplet_loss) {
  registry.add(OpDef("proto_triplet_loss", "metric_learning")
                   .summary("hinge between a query's own and nearest other prototype distance")
                   .paper("SuSana Distancia is all you need")
                   .input("query")
                   .input("query_labels", Kind::integer)
                   .input("protos")
                   .input("proto_labels", Kind::integer)
                   .options<ProtoTripletLossOptions>()
                   .attr("margin", &ProtoTripletLossOptions::margin, "the hinge's margin")
                   .attr("reduction", &ProtoTripletLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(proto_triplet_loss));
}

}  // namespace lathe
