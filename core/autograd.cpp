#include "core/autograd.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/kernel.h"

namespace lathe {

// ---- modes ----

namespace {
thread_local bool grad_enabled = true;
thread_local bool anomaly_enabled = false;
}  // namespace

bool is_grad_enabled() { return grad_enabled; }
void set_grad_enabled(bool enabled) { grad_enabled = enabled; }
NoGradGuard::NoGradGuard() : prev_(grad_enabled) { grad_enabled = false; }
NoGradGuard::~NoGradGuard() { grad_enabled = prev_; }
GradModeGuard::GradModeGuard(bool enabled) : prev_(grad_enabled) { grad_enabled = enabled; }
GradModeGuard::~GradModeGuard() { grad_enabled = prev_; }

bool is_anomaly_enabled() { return anomaly_enabled; }
void set_anomaly_enabled(bool enabled) { anomaly_enabled = enabled; }
AnomalyGuard::AnomalyGuard() : prev_(anomaly_enabled) { anomaly_enabled = true; }
AnomalyGuard::~AnomalyGuard() { anomaly_enabled = prev_; }

namespace {
bool all_finite(const Tensor& t) {
  if (!is_floating(t.dtype())) return true;
  for (double v : t.to_vector<double>())
    if (!std::isfinite(v)) return false;
  return true;
}
}  // namespace

// ---- saved tensors ----

SavedTensor::SavedTensor(const Tensor& t, bool is_output)
    : is_output_(is_output), version_(t.version()) {
  if (is_output) {
    impl_ = t.detach().impl_ptr();
    output_nr_ = t.impl()->output_nr;
  } else {
    impl_ = t.impl_ptr();
  }
}

Tensor SavedTensor::unpack(Node& owner) const {
  LATHE_CHECK(impl_ != nullptr, "[", owner.name(), "] backward through the graph a second time: ",
              "its saved tensors were freed by the first backward (pass retain_graph=true to it)");
  LATHE_CHECK(impl_->storage->version() == version_, "[", owner.name(),
              "] a tensor saved for backward was modified in place (version ", version_,
              " when saved, ", impl_->storage->version(), " now); use an out-of-place op instead");
  if (!is_output_) return Tensor(impl_);
  auto impl = std::make_shared<TensorImpl>(*impl_);
  impl->grad_fn = owner.shared_from_this();
  impl->output_nr = output_nr_;
  return Tensor(std::move(impl));
}

Tensor BackwardCtx::saved(int i) const {
  LATHE_CHECK(!node_.released_, "[", node_.name(), "] backward through the graph a second time: ",
              "its saved tensors were freed by the first backward (pass retain_graph=true to it)");
  return node_.saved_.at(i).unpack(node_);
}

// Dropping the last reference to a long chain of nodes would recurse once per node through
// shared_ptr destructors and overflow the stack; unlink the chain with an explicit stack.
Node::~Node() {
  std::vector<std::shared_ptr<Node>> orphans;
  auto unlink = [&orphans](Node& n) {
    n.saved_.clear();  // saved inputs hold their producers too
    for (Edge& e : n.next_)
      if (e.node && e.node.use_count() == 1) orphans.push_back(std::move(e.node));
  };
  unlink(*this);
  while (!orphans.empty()) {
    std::shared_ptr<Node> n = std::move(orphans.back());
    orphans.pop_back();
    unlink(*n);
  }  // each n is destroyed here with nothing left to recurse into
}

void Node::add_output_hook(int output_nr, GradHook hook) {
  output_hooks_.at(output_nr).push_back(std::move(hook));
}

// ---- recording ----

bool needs_grad(std::initializer_list<Tensor> inputs) {
  if (!grad_enabled) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

bool needs_grad(const std::vector<Tensor>& inputs) {
  if (!grad_enabled) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

namespace {
TensorMeta meta_of(const Tensor& t) {
  if (!t.defined()) return {};
  return {t.shape(), t.dtype(), t.device()};
}

// A hook may replace the gradient, but not with one of another shape, dtype or device: that
// would be stored as .grad or flow into backward rules that assume the forward's metadata.
void run_hooks(std::vector<GradHook>& hooks, Tensor& g) {
  for (GradHook& hook : hooks) {
    Tensor r = hook(g);
    if (!r.defined()) continue;
    LATHE_CHECK(r.shape() == g.shape() && r.dtype() == g.dtype() && r.device() == g.device(),
                "[register_hook] a hook returned a gradient of shape ", r.shape(), " ",
                r.dtype(), " on ", r.device(), "; expected shape ", g.shape(), " ", g.dtype(),
                " on ", g.device());
    g = r;
  }
}

}  // namespace

template <typename List>
void Node::attach(const List& inputs, const List& outputs, const List& save) {
  for (const Tensor& t : inputs) {
    Edge e;
    if (t.defined() && t.requires_grad()) {
      if (t.grad_fn()) {
        e.node = t.grad_fn();
        e.output_nr = t.impl()->output_nr;
      } else {
        e.leaf = t.impl_ptr();
      }
    }
    next_.push_back(std::move(e));
    inputs_.push_back(meta_of(t));
  }
  for (const Tensor& t : save) {
    int nr = -1, j = 0;
    for (const Tensor& o : outputs) {
      if (o.impl() == t.impl()) nr = j;
      ++j;
    }
    // A saved output unpacks as output `nr` of this node (set again below): a node of several
    // outputs that saves them (eigh, svd, qr) routes double-backward gradients to the right one.
    if (nr >= 0) t.impl()->output_nr = nr;
    saved_.emplace_back(t, nr >= 0);  // before outputs point here: no cycle through saved
  }
  int i = 0;
  for (const Tensor& o : outputs) {
    outputs_.push_back(meta_of(o));
    if (is_anomaly_enabled())
      LATHE_CHECK(all_finite(o), "[", name_, "] produced NaN or Inf in output ", i,
                  " (anomaly mode)");
    if (is_floating(o.dtype())) {
      o.impl()->grad_fn = shared_from_this();
      o.impl()->output_nr = i;
    }
    ++i;
  }
  output_hooks_.resize(outputs_.size());
}

void record(const char* name, std::initializer_list<Tensor> inputs,
            std::initializer_list<Tensor> outputs, std::initializer_list<Tensor> save,
            BackwardFn fn) {
  if (!needs_grad(inputs)) return;
  std::make_shared<Node>(name, std::move(fn))->attach(inputs, outputs, save);
}

void record(const char* name, const std::vector<Tensor>& inputs,
            const std::vector<Tensor>& outputs, const std::vector<Tensor>& save, BackwardFn fn) {
  if (!needs_grad(inputs)) return;
  std::make_shared<Node>(name, std::move(fn))->attach(inputs, outputs, save);
}

std::vector<Tensor> composite_backward(
    BackwardCtx& ctx, const std::vector<Tensor>& inputs,
    const std::function<std::vector<Tensor>(const std::vector<Tensor>&)>& composite) {
  // Rules run with grad mode on exactly when the caller asked for create_graph: then the inputs
  // keep their history and the gradient is differentiable again; otherwise fresh leaves suffice.
  bool create = is_grad_enabled();
  std::vector<Tensor> args, wrt;
  std::vector<int> slots;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor t = inputs[i];
    bool wanted = ctx.needs(static_cast<int>(i)) && t.defined() && is_floating(t.dtype());
    if (!create && t.defined()) {
      t = t.detach();
      if (wanted) t.requires_grad_();
    }
    args.push_back(t);
    if (wanted) {
      wrt.push_back(t);
      slots.push_back(static_cast<int>(i));
    }
  }
  std::vector<Tensor> grads(inputs.size());
  if (wrt.empty()) return grads;
  GradModeGuard on(true);
  std::vector<Tensor> ys = composite(args), outs, seeds;
  for (size_t k = 0; k < ys.size(); ++k) {
    if (!ys[k].defined() || !ys[k].requires_grad()) continue;
    outs.push_back(ys[k]);
    seeds.push_back(ctx.grad(static_cast<int>(k)));
  }
  if (outs.empty()) return grads;
  std::vector<Tensor> g = grad(outs, wrt, seeds, {create, create, true});
  for (size_t j = 0; j < slots.size(); ++j) grads[slots[j]] = g[j];
  return grads;
}

// ---- un-broadcasting ----

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  int lead = x.dim() - shape.size();
  LATHE_CHECK(lead >= 0, "[sum_to] cannot reduce ", x.shape(), " to ", shape);
  LATHE_CHECK(is_floating(x.dtype()), "[sum_to] expected a floating tensor, got ", x.dtype());
  uint32_t mask = 0;  // the leading dims, and the dims that `shape` broadcasts from 1
  Shape kept = x.shape();
  for (int i = 0; i < x.dim(); ++i) {
    int j = i - lead;
    LATHE_CHECK(j < 0 || shape[j] == x.shape()[i] || shape[j] == 1, "[sum_to] cannot reduce ",
                x.shape(), " to ", shape);
    if (j < 0 || shape[j] != x.shape()[i]) {
      mask |= 1u << i;
      kept[i] = 1;
    }
  }
  const Backend& be = backend(x.device());
  Tensor summed = kernel::empty(kept, x.dtype(), x.device());  // x's rank, 1 on summed dims
  lathe_view vx = view_of(x), vs = view_of(summed);
  be.check(be.fn().reduce(x.device().index, LATHE_REDUCE_SUM, &vx, &vs, mask), "sum_to");
  Tensor y = make_view(summed, shape, contiguous_strides(shape), summed.offset());  // [shape]
  Shape in_shape = x.shape();
  record("sum_to", {x}, {y}, {}, [in_shape](BackwardCtx& c) -> std::vector<Tensor> {
    return {c.grad().expand(in_shape)};
  });
  return y;
}

// ---- the engine ----

class Engine {
 public:
  Engine(bool retain_graph, bool create_graph)
      : retain_graph_(retain_graph), create_graph_(create_graph) {}

  // Gradients flowing into these tensors are returned instead of accumulated (lathe::grad).
  void capture(const std::vector<Tensor>& inputs) {
    capturing_ = true;
    captured_.resize(inputs.size());
    for (size_t k = 0; k < inputs.size(); ++k) {
      const Tensor& t = inputs[k];
      LATHE_CHECK(t.defined() && t.requires_grad(), "[grad] input ", k,
                  " does not require grad");
      if (t.grad_fn())
        node_targets_[{t.grad_fn().get(), t.impl()->output_nr}].push_back(k);
      else
        leaf_targets_[t.impl()].push_back(k);
    }
  }

  std::vector<Tensor>& captured() { return captured_; }

  void run(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs) {
    LATHE_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "[backward] got ",
                grad_outputs.size(), " gradients for ", outputs.size(), " outputs");
    GradModeGuard mode(create_graph_);
    std::vector<Node*> roots;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Tensor& out = outputs[i];
      LATHE_CHECK(out.defined() && out.requires_grad(), "[backward] output ", i,
                  " does not require grad: nothing to differentiate");
      Tensor g = grad_outputs.empty() ? Tensor() : grad_outputs[i];
      if (!g.defined()) {
        LATHE_CHECK(out.numel() == 1, "[backward] a gradient can be implied only for an output "
                    "with one element; output ", i, " has shape ", out.shape(),
                    ": pass its gradient");
        g = ones_like(out.detach());
      }
      LATHE_CHECK(g.shape() == out.shape(), "[backward] gradient of shape ", g.shape(),
                  " given for output ", i, " of shape ", out.shape());
      if (out.grad_fn()) {
        add_to_node(out.grad_fn().get(), out.impl()->output_nr, g);
        roots.push_back(out.grad_fn().get());
      } else {
        add_to_leaf(out.impl_ptr(), g);
      }
    }
    std::vector<std::shared_ptr<Node>> order = topological_order(roots);
    if (capturing_) mark_needed(order);
    for (const std::shared_ptr<Node>& node : order) run_node(*node);
    finish_leaves();
  }

 private:
  // Consumers before producers: reversed DFS post-order from the roots, iterative so deep
  // graphs (long RNN-style chains) cannot overflow the stack.
  static std::vector<std::shared_ptr<Node>> topological_order(const std::vector<Node*>& roots) {
    std::vector<std::shared_ptr<Node>> post;
    std::unordered_set<Node*> seen;
    std::vector<std::pair<Node*, size_t>> stack;
    for (Node* root : roots) {
      if (!seen.insert(root).second) continue;
      stack.push_back({root, 0});
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->next().size()) {
          Node* child = node->next()[next++].node.get();
          if (child && seen.insert(child).second) stack.push_back({child, 0});
        } else {
          post.push_back(node->shared_from_this());
          stack.pop_back();
        }
      }
    }
    std::reverse(post.begin(), post.end());
    return post;
  }

  // lathe::grad runs only the nodes that lead to a requested input.
  void mark_needed(const std::vector<std::shared_ptr<Node>>& order) {
    for (auto it = order.rbegin(); it != order.rend(); ++it) {  // producers first
      bool needed = false;
      for (const Edge& e : (*it)->next()) {
        if (e.leaf) needed = needed || leaf_targets_.count(e.leaf.get());
        if (e.node)
          needed = needed || node_targets_.count({e.node.get(), e.output_nr}) ||
                   needed_.count(e.node.get());
      }
      if (needed) needed_.insert(it->get());
    }
  }

  void run_node(Node& node) {
    auto found = buffers_.find(&node);
    if (found == buffers_.end()) return;  // no gradient reached it
    std::vector<Tensor> grads = std::move(found->second);
    buffers_.erase(found);
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined()) continue;
      run_hooks(node.output_hooks_[i], grads[i]);
      auto target = node_targets_.find({&node, static_cast<int>(i)});
      if (target != node_targets_.end())
        for (size_t k : target->second) captured_[k] = grads[i];
    }
    if (capturing_ && !needed_.count(&node)) return;
    for (size_t i = 0; i < grads.size(); ++i) {
      const TensorMeta& m = node.outputs_[i];
      if (!grads[i].defined() && is_floating(m.dtype)) grads[i] = zeros(m.shape, m.dtype, m.device);
    }
    BackwardCtx ctx(node, grads);
    std::vector<Tensor> input_grads = node.fn_(ctx);
    LATHE_CHECK(input_grads.size() == node.next_.size(), "[", node.name(), "] backward returned ",
                input_grads.size(), " gradients for ", node.next_.size(), " inputs");
    if (!retain_graph_) {
      node.released_ = true;
      for (SavedTensor& s : node.saved_) s.release();
    }
    for (size_t j = 0; j < input_grads.size(); ++j) {
      const Edge& edge = node.next_[j];
      if (!edge.valid() || !input_grads[j].defined()) continue;
      Tensor g = conform(node, j, input_grads[j]);
      if (is_anomaly_enabled())
        LATHE_CHECK(all_finite(g), "[", node.name(), "] backward produced NaN or Inf in the "
                    "gradient of input ", j, " (anomaly mode)");
      if (edge.node)
        add_to_node(edge.node.get(), edge.output_nr, g);
      else
        add_to_leaf(edge.leaf, g);
    }
  }

  // The one place broadcast gradients are reduced back to the input's shape (and dtype).
  static Tensor conform(const Node& node, size_t j, Tensor g) {
    const TensorMeta& m = node.inputs_[j];
    if (g.shape() != m.shape) g = sum_to(g, m.shape);
    g = g.to(m.dtype);
    LATHE_CHECK(g.device() == m.device, "[", node.name(), "] backward gave input ", j,
                " a gradient on ", g.device(), ", expected ", m.device);
    return g;
  }

  void add_to_node(Node* node, int output_nr, const Tensor& g) {
    std::vector<Tensor>& slots = buffers_[node];
    if (slots.empty()) slots.resize(node->outputs_.size());
    Tensor& slot = slots[output_nr];
    slot = slot.defined() ? add(slot, g) : g;
  }

  void add_to_leaf(const std::shared_ptr<TensorImpl>& leaf, const Tensor& g) {
    auto [it, fresh] = leaf_index_.emplace(leaf.get(), leaf_grads_.size());
    if (fresh) {
      leaf_grads_.push_back({leaf, g});
    } else {
      Tensor& sum = leaf_grads_[it->second].second;
      sum = add(sum, g);
    }
  }

  // Leaves get their total gradient once: hooks, then capture or accumulation into .grad.
  void finish_leaves() {
    for (auto& [leaf, g] : leaf_grads_) {
      run_hooks(leaf->hooks, g);
      if (capturing_) {
        auto target = leaf_targets_.find(leaf.get());
        if (target != leaf_targets_.end())
          for (size_t k : target->second) captured_[k] = g;
        continue;
      }
      accumulate(*leaf, std::move(g));
    }
  }

  // .grad never aliases another tensor's memory (optimizers update it in place): take the
  // gradient when nothing else holds it and it is dense, otherwise copy it.
  void accumulate(TensorImpl& leaf, Tensor g) {
    if (leaf.grad) {
      leaf.grad = add(Tensor(leaf.grad), g).impl_ptr();
      return;
    }
    bool exclusive = g.impl_ptr().use_count() == 1 && g.impl()->storage.use_count() == 1;
    if (!exclusive || !g.is_contiguous()) g = g.clone();
    leaf.grad = create_graph_ ? g.impl_ptr() : g.detach().impl_ptr();
  }

  struct PairHash {
    size_t operator()(const std::pair<Node*, int>& p) const {
      return std::hash<Node*>()(p.first) ^ static_cast<size_t>(p.second);
    }
  };

  bool retain_graph_;
  bool create_graph_;
  bool capturing_ = false;
  std::unordered_map<Node*, std::vector<Tensor>> buffers_;
  std::unordered_map<TensorImpl*, size_t> leaf_index_;
  std::vector<std::pair<std::shared_ptr<TensorImpl>, Tensor>> leaf_grads_;
  std::unordered_map<std::pair<Node*, int>, std::vector<size_t>, PairHash> node_targets_;
  std::unordered_map<TensorImpl*, std::vector<size_t>> leaf_targets_;
  std::unordered_set<Node*> needed_;
  std::vector<Tensor> captured_;
};

void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs,
              bool retain_graph, bool create_graph) {
  for (const Tensor& t : outputs) LATHE_CHECK(t.defined(), "[backward] undefined output tensor");
  Engine engine(retain_graph || create_graph, create_graph);
  engine.run(outputs, grad_outputs);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, GradOptions options) {
  for (const Tensor& t : outputs) LATHE_CHECK(t.defined(), "[grad] undefined output tensor");
  for (const Tensor& t : inputs) LATHE_CHECK(t.defined(), "[grad] undefined input tensor");
  Engine engine(options.retain_graph || options.create_graph, options.create_graph);
  engine.capture(inputs);
  engine.run(outputs, grad_outputs);
  std::vector<Tensor> result = std::move(engine.captured());
  for (size_t k = 0; k < result.size(); ++k) {
    if (result[k].defined()) {
      if (!options.create_graph) result[k] = result[k].detach();
      continue;
    }
    LATHE_CHECK(options.allow_unused, "[grad] input ", k, " (shape ", inputs[k].shape(),
                ") was not used to compute the outputs; pass allow_unused to get an undefined "
                "gradient for it");
  }
  return result;
}

// ---- DOT export ----

namespace {
std::string describe(const TensorImpl& t) {
  std::ostringstream os;
  if (!t.name.empty()) os << t.name << "\\n";
  os << t.shape << ' ' << dtype_name(t.dtype);
  return os.str();
}
}  // namespace

std::string to_dot(const std::vector<Tensor>& outputs) {
  std::ostringstream os;
  os << "digraph lathe {\n  rankdir=BT;\n  node [fontname=\"monospace\", fontsize=10];\n";
  std::map<const void*, int> ids;
  auto id_of = [&](const void* p) {
    auto [it, fresh] = ids.emplace(p, static_cast<int>(ids.size()));
    (void)fresh;
    return it->second;
  };
  std::vector<Node*> stack;
  std::unordered_set<Node*> seen;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    os << "  out" << i << " [label=\"output " << i << "\\n" << describe(*out.impl())
       << "\", shape=doubleoctagon];\n";
    if (out.grad_fn()) {
      os << "  n" << id_of(out.grad_fn().get()) << " -> out" << i << ";\n";
      if (seen.insert(out.grad_fn().get()).second) stack.push_back(out.grad_fn().get());
    }
  }
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    int id = id_of(node);
    os << "  n" << id << " [label=\"" << node->name();
    if (node->num_saved()) os << "\\nsaves " << node->num_saved();
    if (node->released()) os << " (freed)";
    os << "\", shape=box];\n";
    for (size_t j = 0; j < node->next().size(); ++j) {
      const Edge& e = node->next()[j];
      if (e.node) {
        os << "  n" << id_of(e.node.get()) << " -> n" << id << ";\n";
        if (seen.insert(e.node.get()).second) stack.push_back(e.node.get());
      } else if (e.leaf) {
        int leaf = id_of(e.leaf.get());
        os << "  l" << leaf << " [label=\"" << describe(*e.leaf) << "\", shape=ellipse];\n";
        os << "  l" << leaf << " -> n" << id << ";\n";
      }
    }
  }
  os << "}\n";
  return os.str();
}

}  // namespace lathe
