// Reverse-mode autograd over a dynamic graph.
//
// Every primitive that has a backward rule calls record() after computing its outputs. If grad
// mode is on and an input requires grad, record() builds a Node holding: an edge to each input
// (its producer node, or the leaf itself), the inputs' metadata (to reduce broadcast gradients
// back in one place), the tensors the rule needs, and the rule. The rule maps output gradients
// to input gradients using public differentiable ops, so running it with grad mode on
// (create_graph) yields a differentiable gradient: double backward needs nothing else.
//
// backward() walks the nodes reachable from the outputs in reverse topological order, sums the
// gradients arriving at each node, calls its rule, and finally accumulates into leaves' .grad.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/grad_mode.h"
#include "core/tensor.h"

namespace lathe {

// ---- modes (thread-local; grad mode itself is in core/grad_mode.h) ----

// Anomaly mode: every recorded op checks its outputs, and every backward rule its gradients, for
// NaN/Inf and throws an Error naming the op. Slow (a host sync per op); for debugging.
bool is_anomaly_enabled();
void set_anomaly_enabled(bool enabled);

class AnomalyGuard {
 public:
  AnomalyGuard();
  ~AnomalyGuard();
  AnomalyGuard(const AnomalyGuard&) = delete;
  AnomalyGuard& operator=(const AnomalyGuard&) = delete;

 private:
  bool prev_;
};

// ---- graph ----

// Where an input's gradient goes: to output `output_nr` of the node that produced it, or to a
// leaf's .grad. Neither (an input that needs no gradient): invalid.
struct Edge {
  std::shared_ptr<Node> node;
  int output_nr = 0;
  std::shared_ptr<TensorImpl> leaf;
  bool valid() const { return node || leaf; }
};

struct TensorMeta {
  Shape shape;
  DType dtype = DType::f32;
  Device device;
};

// A tensor kept for the backward rule, with the storage version it had when saved, so a later
// in-place change is caught instead of producing a wrong gradient. A node's own output is kept
// without a reference back to the node (no cycles) and re-attached to it when unpacked.
class SavedTensor {
 public:
  SavedTensor(const Tensor& t, bool is_output);
  Tensor unpack(Node& owner) const;
  void release() { impl_.reset(); }

 private:
  std::shared_ptr<TensorImpl> impl_;
  bool is_output_;
  int output_nr_ = 0;
  uint64_t version_;
};

class Node;
class BackwardCtx;
// Returns one gradient per input (an undefined Tensor for "no gradient").
using BackwardFn = std::function<std::vector<Tensor>(BackwardCtx&)>;

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node(const char* name, BackwardFn fn) : name_(name), fn_(std::move(fn)) {}
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const char* name() const { return name_; }
  const std::vector<Edge>& next() const { return next_; }
  const std::vector<TensorMeta>& inputs() const { return inputs_; }
  const std::vector<TensorMeta>& outputs() const { return outputs_; }
  size_t num_saved() const { return saved_.size(); }
  bool released() const { return released_; }

  // Hooks on the gradient of output i (a non-leaf tensor's register_hook).
  void add_output_hook(int output_nr, GradHook hook);

 private:
  friend class BackwardCtx;
  friend class Engine;
  friend void record(const char*, std::initializer_list<Tensor>, std::initializer_list<Tensor>,
                     std::initializer_list<Tensor>, BackwardFn);
  friend void record(const char*, const std::vector<Tensor>&, const std::vector<Tensor>&,
                     const std::vector<Tensor>&, BackwardFn);

  // Wires edges to the inputs, saves tensors, and makes this node the outputs' grad_fn.
  template <typename List>
  void attach(const List& inputs, const List& outputs, const List& save);

  const char* name_;
  BackwardFn fn_;
  std::vector<Edge> next_;
  std::vector<TensorMeta> inputs_;
  std::vector<TensorMeta> outputs_;
  std::vector<SavedTensor> saved_;
  std::vector<std::vector<GradHook>> output_hooks_;
  bool released_ = false;
};

// What a backward rule sees.
class BackwardCtx {
 public:
  BackwardCtx(Node& node, std::vector<Tensor>& grads) : node_(node), grads_(grads) {}
  // Gradient of output i (zeros when only other outputs received one).
  const Tensor& grad(int i = 0) const { return grads_[i]; }
  int num_outputs() const { return static_cast<int>(grads_.size()); }
  // Saved tensor i, in the order given to record(). Throws if it was modified in place or the
  // graph was already freed by an earlier backward.
  Tensor saved(int i) const;
  int saved_count() const { return static_cast<int>(node_.saved_.size()); }
  // Whether input i wants a gradient (rules may skip work for the others).
  bool needs(int input) const { return node_.next_[input].valid(); }
  const TensorMeta& input(int i) const { return node_.inputs_[i]; }

 private:
  Node& node_;
  std::vector<Tensor>& grads_;
};

// True when grad mode is on and a tensor requires grad.
bool needs_grad(std::initializer_list<Tensor> inputs);
bool needs_grad(const std::vector<Tensor>& inputs);

// Records `outputs` as computed by op `name` from `inputs` when needs_grad(inputs). `save` lists
// inputs and/or outputs for the rule, read back by ctx.saved(i). Only floating outputs get a
// grad_fn; integer outputs (indices) never require grad.
void record(const char* name, std::initializer_list<Tensor> inputs,
            std::initializer_list<Tensor> outputs, std::initializer_list<Tensor> save,
            BackwardFn fn);
void record(const char* name, const std::vector<Tensor>& inputs,
            const std::vector<Tensor>& outputs, const std::vector<Tensor>& save, BackwardFn fn);

// The backward rule of a fused kernel: the gradient of `composite` (the ops the kernel replaces,
// evaluated on `inputs`, one result per output of the node) applied to the incoming gradients.
// Only higher-order gradients reach it: a fused op's first-order backward is its own (fast) op.
std::vector<Tensor> composite_backward(
    BackwardCtx& ctx, const std::vector<Tensor>& inputs,
    const std::function<std::vector<Tensor>(const std::vector<Tensor>&)>& composite);

// ---- the two ops the engine itself calls on gradients ----

// Reduces a broadcast gradient back to `shape` (sums the dims that broadcasting added or grew
// from 1): where the engine conforms every input gradient, and expand's backward. Floating
// tensors only. Its own backward is expand, so conforming stays differentiable.
Tensor sum_to(const Tensor& x, const Shape& shape);

// a + b, the add primitive (ops/prim/add.cpp, also in ops/ops.h): the engine sums the gradients
// that reach one tensor with it, so under create_graph the sum is part of the new graph.
// Declared here so that core/ needs no header from ops/.
Tensor add(const Tensor& a, const Tensor& b);

// ---- running backward ----

// Accumulates d(outputs)/d(leaf) . grad_outputs into every leaf's .grad. grad_outputs may be
// empty (each output must then have one element) or give one gradient per output.
void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs = {},
              bool retain_graph = false, bool create_graph = false);

struct GradOptions {
  bool retain_graph = false;  // always true when create_graph is
  bool create_graph = false;  // make the returned gradients differentiable
  bool allow_unused = false;  // an input the outputs do not depend on gets an undefined Tensor
};

// Returns d(outputs)/d(inputs) . grad_outputs without touching any .grad. Inputs may be leaves
// or intermediate tensors.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, GradOptions options = {});

// The graph behind `outputs` in Graphviz DOT: ops as boxes (name, saved tensors), leaves as
// ellipses (name, shape, dtype), outputs double-bordered.
std::string to_dot(const std::vector<Tensor>& outputs);

}  // namespace lathe
