// Internal declarations of the cpu backend: its kernels (one file per group), the oneDNN glue,
// and the reference backend it falls back to for cases it does not specialize (f16/bf16,
// unusual dtype pairs): those stay correct, only slower.
#pragma once

#include "backends/backend.h"
#include "backends/fused_ops.h"

// Hot loops are compiled twice, for AVX2+FMA (x86-64-v3) and for the baseline, and picked at
// load time, so one binary is fast on current CPUs and still runs on older ones.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LATHE_CPU_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define LATHE_CPU_CLONES
#endif

extern "C" const lathe_backend* lathe_backend_reference(void);

namespace lathe_cpu {

inline const lathe_backend* reference() { return lathe_backend_reference(); }

// A call passed on to the reference backend: on failure its message becomes this backend's
// last_error, so the core never reports a stale one.
lathe_status from_reference(lathe_status status);

// Records a message for last_error() and returns `status`.
lathe_status fail(lathe_status status, const char* fmt, ...);

lathe_status unary(int32_t device, lathe_unary_op op, const lathe_view* in, const lathe_view* out,
                   double a, double b);
lathe_status binary(int32_t device, lathe_binary_op op, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out);
lathe_status where(int32_t device, const lathe_view* c, const lathe_view* a, const lathe_view* b,
                   const lathe_view* out);
lathe_status copy(int32_t device, const lathe_view* src, const lathe_view* dst);
lathe_status fill(int32_t device, const lathe_view* dst, double value);
lathe_status reduce(int32_t device, lathe_reduce_op op, const lathe_view* in,
                    const lathe_view* out, uint32_t axes);
lathe_status matmul(int32_t device, const lathe_view* a, const lathe_view* b,
                    const lathe_view* out);
int32_t supports(int32_t device, const lathe_fused_call* call);
// layer_norm, rms_norm and their backwards (fused_norm.cpp); `op` is call->op looked up once.
bool norm_supports(lathe_fused_op op, const lathe_fused_call* call);
bool norm_run(lathe_fused_op op, const lathe_fused_call* call);
// conv_forward, conv_backward_data, conv_backward_weights through oneDNN, f32 (fused_conv.cpp).
// conv_run returns false for other ops, else true with the call's status in *status.
bool conv_supports(lathe_fused_op op, const lathe_fused_call* call);
bool conv_run(lathe_fused_op op, const lathe_fused_call* call, lathe_status* status);
// The depthwise case of the three (groups = C = O, contiguous, f32/f64) as direct loops
// (fused_depthwise.cpp); depthwise_run returns false, running nothing, for any other call.
bool depthwise_supports(lathe_fused_op op, const lathe_fused_call* call);
bool depthwise_run(lathe_fused_op op, const lathe_fused_call* call);
// max_pool, max_pool_backward, avg_pool, avg_pool_backward, f32/f64 (fused_pool.cpp).
bool pool_supports(lathe_fused_op op, const lathe_fused_call* call);
bool pool_run(lathe_fused_op op, const lathe_fused_call* call);
// KAN bases (fused_kan.cpp).
bool kan_supports(lathe_fused_op op, const lathe_fused_call* call);
bool kan_run(lathe_fused_op op, const lathe_fused_call* call);
// The log-domain Sinkhorn softmin and its gradient (fused_sinkhorn.cpp).
bool sinkhorn_supports(lathe_fused_op op, const lathe_fused_call* call);
bool sinkhorn_run(lathe_fused_op op, const lathe_fused_call* call);
// exp(x[i] - shift) into out (may be null), returning their sum; AVX2 for f32 (fused.cpp).
float exp_shift_sum(const float* x, float shift, float* out, int64_t n);
double exp_shift_sum(const double* x, double shift, double* out, int64_t n);
// The largest of x[0..n), NaN when one is; AVX2 for f32 (fused.cpp).
float row_maximum(const float* x, int64_t n);
double row_maximum(const double* x, int64_t n);
// The linear-algebra kernels through LAPACK (linalg.cpp; contract in backends/linalg.h).
bool linalg_supports(const lathe_fused_call* call);
lathe_status linalg_run(const lathe_fused_call* call);
// The DFT of the FFT ops through kissfft (fft.cpp; contract in backends/fft.h).
bool fft_supports(const lathe_fused_call* call);
lathe_status fft_run(const lathe_fused_call* call);
lathe_status run_fused(int32_t device, const lathe_fused_call* call);

// oneDNN eltwise for contiguous f32 views above a size where it beats a plain loop; false when
// it does not apply (the caller then loops).
bool dnnl_unary(lathe_unary_op op, const lathe_view* in, const lathe_view* out, double a,
                double b);
const char* dnnl_version_string();

}  // namespace lathe_cpu
