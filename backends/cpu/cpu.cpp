// The cpu backend: OpenBLAS for matmul, oneDNN where it beats plain loops, OpenMP loops
// elsewhere; one thread setting for all three (they share libgomp's pool: lathe links the
// OpenMP build of OpenBLAS, and Debian's oneDNN uses the OpenMP runtime). Kernels it does not
// specialize fall back to the reference backend's loops.
#include <omp.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "backends/cpu/cpu.h"
#include "backends/cpu/loops.h"

extern "C" {
int openblas_get_parallel(void);
void openblas_set_num_threads(int);
char* openblas_get_config(void);
}

namespace lathe_cpu {

namespace {

thread_local char last_message[512];

const char* last_error() { return last_message; }

int32_t device_count() { return 1; }

lathe_status check_device(int32_t device) {
  return device == 0 ? LATHE_OK : fail(LATHE_ERR_DEVICE, "cpu: no device %d (only 0)", device);
}

lathe_status alloc(int32_t device, size_t nbytes, void** out) {
  if (lathe_status s = check_device(device)) return s;
  size_t rounded = (nbytes + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  if (rounded < nbytes) return fail(LATHE_ERR_OUT_OF_MEMORY, "cpu: %zu bytes is too large", nbytes);
  *out = std::aligned_alloc(64, rounded);
  return *out ? LATHE_OK : fail(LATHE_ERR_OUT_OF_MEMORY, "cpu: out of memory allocating %zu bytes",
                                nbytes);
}

lathe_status release(int32_t device, void* ptr) {
  if (lathe_status s = check_device(device)) return s;
  std::free(ptr);
  return LATHE_OK;
}

lathe_status host_copy(int32_t device, void* dst, const void* src, size_t nbytes) {
  if (lathe_status s = check_device(device)) return s;
  if (nbytes) std::memcpy(dst, src, nbytes);
  return LATHE_OK;
}

lathe_status synchronize(int32_t device) { return check_device(device); }

int32_t set_num_threads(int32_t n) {
  omp_set_num_threads(n);
  openblas_set_num_threads(n);  // the OpenMP build follows omp anyway; the pthread build needs it
  return omp_get_max_threads();
}

const char* describe() {
  static std::string text;
  const char* config = openblas_get_config();
  text = std::string("cpu: ") + (config ? config : "OpenBLAS") +
         (openblas_get_parallel() == 2 ? " (OpenMP)" : " (not the OpenMP build: pools may compete)") +
         ", oneDNN " + dnnl_version_string() + ", " + std::to_string(omp_get_max_threads()) +
         " threads";
  return text.c_str();
}

// Kernels the cpu backend does not specialize yet run the reference loops.
lathe_status gather(int32_t d, const lathe_view* s, const lathe_view* i, int32_t ax, const lathe_view* o) {
  return from_reference(reference()->gather(d, s, i, ax, o));
}
lathe_status scatter_add(int32_t d, const lathe_view* dst, const lathe_view* i, const lathe_view* s,
                         int32_t ax) {
  return from_reference(reference()->scatter_add(d, dst, i, s, ax));
}
lathe_status scan(int32_t d, lathe_scan_op op, const lathe_view* in, const lathe_view* out,
                  int32_t ax, int32_t rev) {
  return from_reference(reference()->scan(d, op, in, out, ax, rev));
}
lathe_status sort(int32_t d, const lathe_view* in, const lathe_view* v, const lathe_view* i,
                  int32_t ax, int32_t desc) {
  return from_reference(reference()->sort(d, in, v, i, ax, desc));
}
lathe_status rand(int32_t d, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                  const lathe_view* out, double a, double b) {
  return from_reference(reference()->rand(d, dist, seed, offset, out, a, b));
}

lathe_backend make_table() {
  lathe_backend t = {};
  t.abi_version = LATHE_BACKEND_ABI_VERSION;
  t.struct_size = sizeof(lathe_backend);
  t.name = "cpu";
  t.flags = LATHE_BACKEND_HOST_MEMORY;
  t.device_count = device_count;
  t.describe = describe;
  t.alloc = alloc;
  t.free = release;
  t.copy_from_host = host_copy;
  t.copy_to_host = host_copy;
  t.copy = copy;
  t.fill = fill;
  t.unary = unary;
  t.binary = binary;
  t.where = where;
  t.reduce = reduce;
  t.matmul = matmul;
  t.gather = gather;
  t.scatter_add = scatter_add;
  t.scan = scan;
  t.sort = sort;
  t.rand = rand;
  t.synchronize = synchronize;
  t.last_error = last_error;
  t.supports = supports;
  t.run_fused = run_fused;
  t.set_num_threads = set_num_threads;
  return t;
}

}  // namespace

lathe_status fail(lathe_status status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(last_message, sizeof last_message, fmt, args);
  va_end(args);
  return status;
}

lathe_status from_reference(lathe_status status) {
  return status == LATHE_OK ? status : fail(status, "%s", reference()->last_error());
}

size_t dtype_size(lathe_dtype t) {
  switch (t) {
    case LATHE_F32: case LATHE_I32: return 4;
    case LATHE_F64: case LATHE_I64: return 8;
    case LATHE_F16: case LATHE_BF16: return 2;
    case LATHE_BOOL: return 1;
  }
  return 0;
}

Loop make_loop(const lathe_view* const* views, int nops) {
  Loop l;
  l.nops = nops;
  for (int k = 0; k < nops; ++k) {
    l.base[k] = static_cast<char*>(views[k]->data);
    l.itemsize[k] = static_cast<int64_t>(dtype_size(views[k]->dtype));
  }
  // Keep the dims with extent != 1, outermost first.
  const lathe_view& v0 = *views[0];
  for (int d = 0; d < v0.ndim; ++d) {
    if (v0.shape[d] == 1) continue;
    l.shape[l.ndim] = v0.shape[d];
    for (int k = 0; k < nops; ++k) l.strides[k][l.ndim] = views[k]->strides[d];
    ++l.ndim;
  }
  if (l.ndim == 0) {  // a scalar, or all extents 1
    l.ndim = 1;
    l.shape[0] = 1;
    for (int k = 0; k < nops; ++k) l.strides[k][0] = 0;
    return l;
  }
  // Merge dim d into the next inner one when every operand steps through both as one.
  int out = l.ndim - 1;
  for (int d = l.ndim - 2; d >= 0; --d) {
    bool mergeable = true;
    for (int k = 0; k < nops; ++k)
      mergeable = mergeable && l.strides[k][d] == l.strides[k][out] * l.shape[out];
    if (mergeable) {
      l.shape[out] *= l.shape[d];
    } else {
      --out;
      l.shape[out] = l.shape[d];
      for (int k = 0; k < nops; ++k) l.strides[k][out] = l.strides[k][d];
    }
  }
  // Shift the merged dims to the front.
  int ndim = l.ndim - out;
  for (int d = 0; d < ndim; ++d) {
    l.shape[d] = l.shape[d + out];
    for (int k = 0; k < nops; ++k) l.strides[k][d] = l.strides[k][d + out];
  }
  l.ndim = ndim;
  return l;
}

}  // namespace lathe_cpu

extern "C" const lathe_backend* lathe_backend_cpu(void) {
  static const lathe_backend table = lathe_cpu::make_table();
  return &table;
}
