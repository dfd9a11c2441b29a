#!/usr/bin/env python3
"""The torch CUDA peer of `lathe bench --device cuda`: the GPU cases of tools/lathe/bench.cpp
written the way a PyTorch user would, timed the way lathe times its own (a warm-up, then
samples of `inner` steps followed by one synchronize, median over --seconds).

Prints one JSON object: {"peer": "torch 2.x (GPU name)", "ms": {case: median ms per step}}.
Run by `lathe bench`; by hand: python3 tools/peer/bench_cuda.py --cases matmul_4096 --seconds 1
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def add8():
    a = torch.ones(8, device="cuda", requires_grad=True)
    b = torch.ones(8, device="cuda", requires_grad=True)
    return lambda: a + b, 1000


def mlp_train_step():
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 10)).cuda()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(64, 784, device="cuda")
    y = torch.randint(0, 10, (64,), device="cuda")

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    return step, 10


def matmul(n):
    a = torch.randn(n, n, device="cuda")
    b = torch.randn(n, n, device="cuda")
    return lambda: a @ b, 20 if n < 1024 else 1


def softmax_xent():
    x = torch.randn(4096, 1000, device="cuda", requires_grad=True)
    y = torch.randint(0, 1000, (4096,), device="cuda")

    def step():
        x.grad = None
        F.cross_entropy(x, y).backward()
    return step, 1


def norm(rms, rows=4096, d=1024):
    x = torch.randn(rows, d, device="cuda", requires_grad=True)
    w = torch.ones(d, device="cuda", requires_grad=True)
    b = torch.zeros(d, device="cuda", requires_grad=True)
    g = torch.randn(rows, d, device="cuda")

    def step():
        x.grad = w.grad = b.grad = None
        if rms:
            y = F.rms_norm(x, (d,), w, eps=1e-6)
        else:
            y = F.layer_norm(x, (d,), w, b)
        y.backward(g)
    return step, 1


CASES = {
    "add8_fwd": add8,
    "mlp_train_step": mlp_train_step,
    "matmul_512": lambda: matmul(512),
    "matmul_4096": lambda: matmul(4096),
    "softmax_xent_fwd_bwd": softmax_xent,
    "layer_norm_fwd_bwd": lambda: norm(False),
    "rms_norm_fwd_bwd": lambda: norm(True),
    "layer_norm_fwd_bwd_32768x4096": lambda: norm(False, 32768, 4096),
    "rms_norm_fwd_bwd_32768x4096": lambda: norm(True, 32768, 4096),
}


def median_ms(step, inner, seconds):
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    samples = []
    start = time.perf_counter()
    while len(samples) < 10 or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        torch.cuda.synchronize()
        samples.append((time.perf_counter() - t0) * 1e3 / inner)
        if len(samples) >= 1000:
            break
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("torch sees no CUDA device")
    torch.backends.cuda.matmul.allow_tf32 = False  # lathe's default: full f32
    torch.manual_seed(0)
    ms = {}
    for name in args.cases.split(","):
        if name in CASES:
            step, inner = CASES[name]()
            ms[name] = median_ms(step, inner, args.seconds)
    peer = f"torch {torch.__version__} ({torch.cuda.get_device_name()})"
    print(json.dumps({"peer": peer, "ms": ms}))


if __name__ == "__main__":
    main()
