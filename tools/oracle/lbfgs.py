"""PyTorch oracle for models/optim/lbfgs.cpp: torch.optim.LBFGS trajectories on the Rosenbrock
function f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, on a small nonlinear least-squares fit and on
a small KAN fit (one efficient-kan KANLinear layer 2 -> 1, three parameter tensors).

Writes tests/fixtures/optim/lbfgs.safetensors (or --out DIR/lbfgs.safetensors), one group file
(tools/oracle/README.md): per case the starting parameters `x0.<i>`, the KAN fit's data
(`data.x`, `data.y`, `data.grid`), and for each of the case's step() calls (stacked on the
first axis) the parameters after the call (`param.<i>`), the loss step() returned (the
closure's first value, `loss`) and torch's state counters (`func_evals`, `n_iter`). The metas
hold the options. Everything is float64, one thread, byte-identical from
run to run. tests/models/lbfgs_test.cpp replays each case through lathe's LBFGS.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from kan import bases, kan_grid  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rosenbrock(ps):
    p = ps[0]
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


# The fit: y = a tanh(b x + c) + d on 8 fixed points (4 parameters, one tensor).
FIT_X = torch.linspace(-2.0, 2.0, 8, dtype=torch.float64)
FIT_Y = 1.5 * torch.tanh(0.8 * FIT_X - 0.3) + 0.2 + 0.05 * torch.sin(5 * FIT_X)


def tanh_fit(ps):
    p = ps[0]
    return ((p[0] * torch.tanh(p[1] * FIT_X + p[2]) + p[3] - FIT_Y) ** 2).mean()


# The KAN fit: y = sin(pi x0) + x1^2 + x0 x1 (the product is out of reach of one additive
# layer) at 32 scattered points of [-0.9, 0.9]^2, one KANLinear (grid size 5, order 3, silu
# base) with base_weight [1, 2], spline_weight [1, 2, 8] and spline_scaler [1, 2].
_k = torch.arange(32, dtype=torch.float64)
KAN_X = 0.9 * torch.stack([torch.sin(1.7 * _k + 0.3), torch.cos(2.3 * _k + 1.1)], -1)
KAN_Y = (torch.sin(torch.pi * KAN_X[:, 0]) + KAN_X[:, 1] ** 2 + KAN_X[:, 0] * KAN_X[:, 1])[:, None]
KAN_GRID = torch.tensor(kan_grid(2), dtype=torch.float64)


def kan_fit(ps):
    base_weight, spline_weight, spline_scaler = ps
    w = spline_weight * spline_scaler[..., None]
    y = torch.nn.functional.silu(KAN_X) @ base_weight.T + \
        bases(KAN_X, KAN_GRID, 3).reshape(32, -1) @ w.reshape(1, -1).T
    return ((y - KAN_Y) ** 2).mean()


KAN_X0 = [[[0.3, -0.2]], (0.1 * np.sin(np.arange(16.0))).reshape(1, 2, 8).tolist(), [[1.0, 0.8]]]
PROBLEMS = {"rosenbrock": rosenbrock, "tanh_fit": tanh_fit, "kan_fit": kan_fit}

# name, problem, x0 (one list per parameter tensor), steps (step() calls), options
CASES = [
    ("rosenbrock_wolfe_20x1", "rosenbrock", [[-1.5, 2.0]], 20,
     dict(lr=1.0, max_iter=1, line_search_fn="strong_wolfe")),
    ("rosenbrock_wolfe_1x20", "rosenbrock", [[-1.2, 1.0]], 1,
     dict(lr=1.0, max_iter=20, line_search_fn="strong_wolfe")),
    ("rosenbrock_wolfe_history3", "rosenbrock", [[0.0, 0.0]], 4,
     dict(lr=1.0, max_iter=5, history_size=3, line_search_fn="strong_wolfe")),
    ("rosenbrock_fixed_lr", "rosenbrock", [[-0.5, 0.5]], 20,
     dict(lr=0.1, max_iter=1)),
    ("tanh_fit_wolfe", "tanh_fit", [[1.0, 1.0, 0.0, 0.0]], 3,
     dict(lr=1.0, max_iter=20, line_search_fn="strong_wolfe")),
    ("tanh_fit_default", "tanh_fit", [[0.5, 0.5, 0.5, 0.5]], 2,
     dict(lr=0.5, max_iter=10)),
    ("kan_fit_wolfe", "kan_fit", KAN_X0, 4,
     dict(lr=1.0, max_iter=5, line_search_fn="strong_wolfe")),
]


def run_case(name, problem, x0, steps, options):
    f = PROBLEMS[problem]
    ps = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in x0]
    opt = torch.optim.LBFGS(ps, **options)

    def closure():
        opt.zero_grad()
        loss = f(ps)
        loss.backward()
        return loss

    params, losses, evals, iters = [[] for _ in ps], [], [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        for i, p in enumerate(ps):
            params[i].append(p.detach().clone().numpy())
        st = opt.state[ps[0]]
        evals.append(st["func_evals"])
        iters.append(st["n_iter"])
    meta = dict(options, problem=problem, steps=steps, params=len(ps),
                note="torch.optim.LBFGS, %d step() call(s)" % steps)
    arrays = {
        "loss": np.array(losses, dtype=np.float64),
        "func_evals": np.array(evals, dtype=np.int64),
        "n_iter": np.array(iters, dtype=np.int64),
    }
    for i, x in enumerate(x0):
        arrays["x0.%d" % i] = np.array(x, dtype=np.float64)
        arrays["param.%d" % i] = np.stack(params[i])
        assert np.isfinite(arrays["param.%d" % i]).all(), name
    if problem == "kan_fit":
        arrays.update({"data.x": KAN_X.numpy(), "data.y": KAN_Y.numpy(),
                       "data.grid": KAN_GRID.numpy()})
    return meta, arrays


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "optim"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    cases = {c[0]: run_case(*c) for c in CASES}
    for name, (meta, arrays) in cases.items():
        print("%-28s loss %.6g -> params %s (evals %d, iters %d)" % (
            name, arrays["loss"][-1], np.array2string(arrays["param.0"][-1].ravel(), precision=6),
            arrays["func_evals"][-1], arrays["n_iter"][-1]))
    common.write_group(os.path.join(args.out, "lbfgs.safetensors"), cases)


if __name__ == "__main__":
    main()
