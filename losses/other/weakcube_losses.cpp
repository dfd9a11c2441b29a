// weakcube_losses: the 3D-box losses of Weak Cube R-CNN, which trains Cube R-CNN's 3D head
// from 2D boxes only (a procedure: the detector, the depth model and the ground-plane fit are
// the caller's; tests/losses/other_procedures_test.cpp runs it on a tiny cube head). For n
// predicted cubes (center [n, 3] in camera coordinates, dims [n, 3], rotation R [n, 3, 3]) and
// intrinsics K [n, 3, 3]:
//   proj   = the 2D box (x0, y0, x1, y1) enclosing the 8 projected corners c + R (+-dims / 2);
//   L_iou  = GIoU loss(gt_box, proj) per cube (torchvision's generalized_box_iou_loss,
//            eps 1e-7);
//   L_pose = pose consistency within an image: mean over pairs i < j of 1 - |cos angle(R_i,
//            R_j)|, cos angle = (trace(R_i R_j^T) - 1) / 2; summed over the images that hold
//            two or more cubes and divided by (number of one-cube images + 1), as the code
//            writes it; undefined when every image holds one cube;
//   L_norm = 1 - |cos(n_ground, R[:, 1, :])| per cube, the predicted up axis (R's second row)
//            against the ground normal fitted to the depth map (weight 0.1 without a ground
//            segmentation);
//   total  = w_3d (w_iou mean(L_iou) + w_pose L_pose + w_normal conf mean(L_norm)).
// Paper: "Weak Cube R-CNN: Weakly Supervised 3D Object Detection using only 2D Bounding Box
// Annotations" (catalog: other.md, confidence paper text: abstract only). Verified against the
// authors' code (luchsonice/3dod, cubercnn/modeling/roi_heads/roi_heads.py: `loss_iou`,
// `pose_loss`, `ground_rot_loss` of the weak ROI head's _forward_cube; the README names it the
// "weak Cube R-CNN" that replaces the 3D losses by 2D-based ones). NOTE: that file also holds
// a segmentation loss (BCE of the cube's projected convex hull against a SAM mask) and a depth
// search loss, both commented out in the version read, and an uncertainty scaling of L_iou
// (sqrt(2) exp(-u), Cube R-CNN's); they are not offered. The loss weights come from the
// configs, which were not read: all default to 1 here. The corner order of the code's Cubes
// class does not matter for the enclosing box. Composites (autograd; min/max subgradients).
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

namespace {

void check_cubes(const char* op, const Tensor& center, const Tensor& dims, const Tensor& R) {
  check_floating(op, "center", center);
  check_floating(op, "dims", dims);
  check_floating(op, "R", R);
  int64_t n = center.dim() == 2 ? center.shape()[0] : -1;
  LATHE_CHECK(n >= 0 && center.shape()[1] == 3, "[", op, "] center must be [n, 3], got ",
              center.shape());
  check_shape(op, "dims", dims, {n, 3});
  check_shape(op, "R", R, {n, 3, 3});
}

}  // namespace

Tensor weakcube_project_box(const Tensor& center, const Tensor& dims, const Tensor& R,
                            const Tensor& K) {
  const char* op = "weakcube_losses";
  check_cubes(op, center, dims, R);
  int64_t n = center.shape()[0];
  check_shape(op, "K", K, {n, 3, 3});
  std::vector<double> signs;                                          // [3, 8] corner signs
  for (int64_t axis = 0; axis < 3; ++axis)
    for (int64_t c = 0; c < 8; ++c) signs.push_back((c >> axis) & 1 ? 0.5 : -0.5);
  Tensor s = from_vector(signs, {1, 3, 8}, center.dtype(), center.device());
  Tensor offsets = matmul(R, unsqueeze(dims, -1) * s);                // [n, 3, 8]
  Tensor corners = unsqueeze(center, -1) + offsets;                   // [n, 3, 8]
  Tensor p = matmul(K, corners);                                      // [n, 3, 8]
  Tensor z = narrow(p, 1, 2, 1);                                      // [n, 1, 8]
  LATHE_CHECK(min(z).item() > 0, "[", op, "] a cube corner lies at or behind the camera "
              "(z <= 0): its projection is undefined");
  Tensor uv = narrow(p, 1, 0, 2) / z;                                 // [n, 2, 8]
  return concat({min(uv, {-1}), max(uv, {-1})}, 1);                   // [n, 4]
}

Tensor weakcube_giou_loss(const Tensor& boxes, const Tensor& proj) {
  const char* op = "weakcube_losses";
  check_floating(op, "gt_boxes", boxes);
  check_same_shape(op, "gt_boxes", boxes, "projected boxes", proj);
  auto col = [](const Tensor& b, int64_t i) { return squeeze(narrow(b, 1, i, 1), {1}); };
  Tensor x1 = col(boxes, 0), y1 = col(boxes, 1), x2 = col(boxes, 2), y2 = col(boxes, 3);
  Tensor a1 = col(proj, 0), b1 = col(proj, 1), a2 = col(proj, 2), b2 = col(proj, 3);
  Tensor inter = clamp(minimum(x2, a2) - maximum(x1, a1), 0.0) *
                 clamp(minimum(y2, b2) - maximum(y1, b1), 0.0);        // [n]
  Tensor uni = (x2 - x1) * (y2 - y1) + (a2 - a1) * (b2 - b1) - inter;  // [n]
  Tensor iou = inter / (uni + 1e-7);
  Tensor area_c = (maximum(x2, a2) - minimum(x1, a1)) * (maximum(y2, b2) - minimum(y1, b1));
  return 1.0 - (iou - (area_c - uni) / (area_c + 1e-7));              // [n]
}

Tensor weakcube_pose_loss(const Tensor& R, const std::vector<int64_t>& boxes_per_image) {
  const char* op = "weakcube_losses";
  check_floating(op, "R", R);
  int64_t total = 0;
  for (int64_t k : boxes_per_image) total += k;
  LATHE_CHECK(R.dim() == 3 && R.shape()[0] == total, "[", op, "] R must be [", total,
              ", 3, 3] for the boxes per image given, got ", R.shape());
  std::vector<Tensor> terms;
  int64_t single = 0, start = 0;
  for (int64_t k : boxes_per_image) {
    if (k < 2) {
      ++single;
      start += k;
      continue;
    }
    Tensor r = narrow(R, 0, start, k);                                // [k, 3, 3]
    Tensor flat = reshape(r, {k, 9});                                 // [k, 9]
    Tensor tr = matmul(flat, transpose(flat, 0, 1));                  // [k, k] trace(Ri Rj^T)
    Tensor cosang = (tr - 1.0) / 2.0;
    std::vector<bool> lower(k * k);
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < i; ++j) lower[i * k + j] = true;
    Tensor m = from_vector(lower, {k, k}, R.device());
    Tensor pair_loss = where(m, 1.0 - abs(cosang), zeros_like(cosang));
    terms.push_back(sum(pair_loss) / static_cast<double>(k * (k - 1) / 2));
    start += k;
  }
  if (terms.empty()) return Tensor();
  return sum(stack(terms)) / static_cast<double>(single + 1);
}

Tensor weakcube_normal_loss(const Tensor& ground_normal, const Tensor& R) {
  const char* op = "weakcube_losses";
  check_floating(op, "ground_normal", ground_normal);
  LATHE_CHECK(R.dim() == 3 && ground_normal.dim() == 2 &&
                  ground_normal.shape()[0] == R.shape()[0] && ground_normal.shape()[1] == 3,
              "[", op, "] ground_normal must be [n, 3] for R ", R.shape(), ", got ",
              ground_normal.shape());
  Tensor up = squeeze(narrow(R, 1, 1, 1), {1});                       // [n, 3]
  return 1.0 - abs(cosine_similarity(ground_normal, up, 1));          // [n]
}

WeakCubeLosses weakcube_losses(const Tensor& center, const Tensor& dims, const Tensor& R,
                               const Tensor& K, const Tensor& gt_boxes,
                               const Tensor& ground_normal,
                               const std::vector<int64_t>& boxes_per_image,
                               const WeakCubeOptions& o) {
  WeakCubeLosses out;
  out.iou = weakcube_giou_loss(gt_boxes, weakcube_project_box(center, dims, R, K));
  out.pose = weakcube_pose_loss(R, boxes_per_image);
  out.normal = weakcube_normal_loss(ground_normal, R);
  double conf = o.has_ground_map ? 1.0 : 0.1;
  Tensor total = o.w_iou * mean(out.iou) + o.w_normal * conf * mean(out.normal);
  if (out.pose.defined()) total = total + o.w_pose * out.pose;
  out.total = o.w_3d * total;
  return out;
}

}  // namespace lathe
