// DistributedDataParallel (see ddp.h): broadcast at start, bucketed mean of the gradients.
#include "distributed/ddp.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/grad_mode.h"

namespace lathe::dist {

DistributedDataParallel::DistributedDataParallel(std::shared_ptr<nn::Module> module,
                                                 std::shared_ptr<ProcessGroup> group,
                                                 DistributedDataParallelOptions options)
    : module_(std::move(module)), group_(std::move(group)), options_(options) {
  LATHE_CHECK(module_ && group_, "[DistributedDataParallel] needs a module and a process group");
  LATHE_CHECK(options_.bucket_bytes > 0, "[DistributedDataParallel] bucket_bytes must be "
              "positive, got ", options_.bucket_bytes);
  plan_buckets();
  broadcast_state();
  hooks_->group = group_;
  if (options_.reduce_in_hooks) attach_hooks();
}

DistributedDataParallel::~DistributedDataParallel() { hooks_->active = false; }

void DistributedDataParallel::attach_hooks() {
  hooks_->active = true;
  for (Slot& s : slots_) {
    std::weak_ptr<TensorImpl> self = s.param.impl_ptr();  // weak: a tensor must not own itself
    std::shared_ptr<HookState> state = hooks_;
    std::string name = s.name;
    s.param.register_hook([self, state, name](const Tensor& g) -> Tensor {
      if (!state->active || !state->sync) return Tensor();
      auto impl = self.lock();
      LATHE_CHECK(!impl || !impl->grad, "[DistributedDataParallel] reduce_in_hooks: parameter '",
                  name, "' already holds a gradient (accumulation); call zero_grad before each "
                  "backward, or use the bucketed sync (reduce_in_hooks = false) with no_sync");
      Tensor mean = g.detach().clone();  // contiguous, and ours to change in place
      state->group->allreduce(mean, ReduceOp::mean);
      return mean;
    });
  }
}

// Parameters in reverse registration order (roughly the order backward finishes them), end to
// end; buckets cut that line every bucket_bytes and wherever the dtype changes.
void DistributedDataParallel::plan_buckets() {
  std::vector<std::pair<std::string, Tensor>> params = module_->named_parameters();
  std::reverse(params.begin(), params.end());
  int64_t line = 0;
  for (auto& [name, p] : params) {
    LATHE_CHECK(p.device() == Device::cpu() || p.device() == Device::reference(),
                "[DistributedDataParallel] parameter '", name, "' is on ", p.device(),
                "; the MPI group moves host tensors only");
    slots_.push_back({name, p, line});
    line += p.numel();
  }
  for (size_t i = 0; i < slots_.size();) {
    DType dtype = slots_[i].param.dtype();
    size_t j = i;
    while (j < slots_.size() && slots_[j].param.dtype() == dtype) ++j;
    int64_t run_begin = slots_[i].begin;
    int64_t run_end = j < slots_.size() ? slots_[j].begin : line;
    int64_t esize = static_cast<int64_t>(dtype_size(dtype));
    int64_t cap = std::max<int64_t>(1, options_.bucket_bytes / esize);
    for (int64_t b = run_begin; b < run_end; b += cap)
      buckets_.push_back({dtype, b, std::min(b + cap, run_end)});
    i = j;
  }
}

void DistributedDataParallel::broadcast_state() {
  NoGradGuard no_grad;
  for (auto& [name, p] : module_->named_parameters()) group_->broadcast(p, 0);
  for (auto& [name, b] : module_->named_buffers()) group_->broadcast(b, 0);
}

void DistributedDataParallel::backward(const Tensor& loss) {
  loss.backward();
  if (hooks_->sync && !options_.reduce_in_hooks) sync_gradients();
}

// Every parameter must have a dense host gradient before any bucket moves.
void DistributedDataParallel::check_grads() {
  std::string missing;
  for (Slot& s : slots_) {
    Tensor g = s.param.grad();
    if (!g.defined()) {
      if (options_.find_unused_parameters) {
        s.param.set_grad(zeros(s.param.shape(), s.param.dtype(), s.param.device()));
        continue;
      }
      missing += (missing.empty() ? "'" : ", '") + s.name + "'";
      continue;
    }
    if (!g.is_contiguous()) s.param.set_grad(g.contiguous());
  }
  LATHE_CHECK(missing.empty(), "[DistributedDataParallel] parameters without a gradient on rank ",
              group_->rank(), ": ", missing, "; they took no part in the loss. Pass "
              "find_unused_parameters = true to treat them as zero, or leave them out of the "
              "module");
}

void DistributedDataParallel::sync_gradients() {
  check_grads();
  if (group_->world_size() == 1) return;  // the mean of one: nothing to pack or send
  std::vector<char> buffer;
  size_t next_slot = 0;  // first slot that may overlap the current bucket
  for (const Bucket& bucket : buckets_) {
    size_t esize = dtype_size(bucket.dtype);
    buffer.resize(static_cast<size_t>(bucket.end - bucket.begin) * esize);
    while (slots_[next_slot].begin + slots_[next_slot].param.numel() <= bucket.begin) ++next_slot;
    // pack: the part of each gradient inside [bucket.begin, bucket.end)
    for (size_t i = next_slot; i < slots_.size() && slots_[i].begin < bucket.end; ++i) {
      const Slot& s = slots_[i];
      int64_t lo = std::max(bucket.begin, s.begin);
      int64_t hi = std::min(bucket.end, s.begin + s.param.numel());
      const char* g = static_cast<const char*>(s.param.grad().data_ptr());
      std::memcpy(buffer.data() + (lo - bucket.begin) * esize, g + (lo - s.begin) * esize,
                  static_cast<size_t>(hi - lo) * esize);
    }
    group_->allreduce(buffer.data(), bucket.end - bucket.begin, bucket.dtype, ReduceOp::mean);
    for (size_t i = next_slot; i < slots_.size() && slots_[i].begin < bucket.end; ++i) {
      const Slot& s = slots_[i];
      int64_t lo = std::max(bucket.begin, s.begin);
      int64_t hi = std::min(bucket.end, s.begin + s.param.numel());
      char* g = static_cast<char*>(s.param.grad().data_ptr());
      std::memcpy(g + (lo - s.begin) * esize, buffer.data() + (lo - bucket.begin) * esize,
                  static_cast<size_t>(hi - lo) * esize);
    }
  }
  if (options_.broadcast_buffers) {
    NoGradGuard no_grad;
    for (auto& [name, b] : module_->named_buffers()) group_->broadcast(b, 0);
  }
}

}  // namespace lathe::dist
