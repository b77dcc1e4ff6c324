"""`make bench`: timings printed as ratios; nothing here is asserted.

Each section prints ``ours``, the reference, and ``ratio = ours / reference``
(below 1.0 means we are faster). Sections that belong to other parts of the course
(explorers, the capstone) are run when their modules are present.

``make bench BASE=<commit>`` runs ``compare.py`` instead: this checkout against an older
commit, measured in turns (see there).
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("MPLBACKEND", "Agg")   # before anything imports matplotlib


def median_time(fn, repeat=15, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved_median_times(*fns, repeat=41, warmup=3):
    """Median time of each function, measured in turns (f1, f2, ..., f1, f2, ...), so
    that a busy spell of the machine slows all of them alike and the ratios stay fair."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) for ts in times]


def row(label, ours, ref, ref_label):
    print(f"  {label:58s} ours {ours * 1e3:8.2f} ms   {ref_label} {ref * 1e3:8.2f} ms   "
          f"ratio {ours / ref:5.2f}")


def bench_multinomial_loss():
    from sklearn._loss.loss import HalfMultinomialLoss
    from sklearn.linear_model._linear_loss import LinearModelLoss

    from course_utils.functions import add_intercept
    from course_utils.losses import multinomial_cross_entropy_and_grad, multinomial_objective

    print("Multinomial loss + gradient vs scikit-learn's LinearModelLoss (median of 41, interleaved)")
    rng = np.random.default_rng(0)
    K, lam = 4, 1e-3
    problems = {
        "dense 10,000 x 300, K = 4": rng.standard_normal((10_000, 300)),
        "sparse 10,000 x 20,000 (0.5% filled), K = 4":
            # a Generator: with an integer seed, scipy draws the positions 100 x slower
            sp.random(10_000, 20_000, density=0.005, format="csr", random_state=rng),
    }
    for label, X in problems.items():
        m, n = X.shape
        y = rng.integers(0, K, m)
        Xd = add_intercept(X)
        Theta = 0.01 * rng.standard_normal((K, n + 1))
        ref = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=K), fit_intercept=True)
        coef = np.ascontiguousarray(np.c_[Theta[:, 1:], Theta[:, 0]])  # intercept last
        yf = y.astype(np.float64)
        t_public, t_kernel, t_ref = interleaved_median_times(
            lambda: multinomial_cross_entropy_and_grad(Theta, Xd, y, lam),
            lambda: multinomial_objective(Theta, Xd, y, lam),
            lambda: ref.loss_gradient(coef, X, yf, l2_reg_strength=2 * lam))
        row(label + " (checked call)", t_public, t_ref, "sklearn")
        row(label + " (multinomial_objective)", t_kernel, t_ref, "sklearn")
    print("  checked call = the public function: shapes, labels and lam checked; X is scanned")
    print("  for NaN and inf only when the result is not finite (a bad entry always shows there);")
    print("  multinomial_objective = the same arithmetic without the checks, as the optimiser")
    print("  runs it each step.")


def run_optional(module_name):
    path = HERE / f"{module_name}.py"
    if not path.exists():
        print(f"({module_name}: not present, skipped)")
        return
    importlib.import_module(module_name).run()


def main():
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(f"make bench on {os.cpu_count()} cores, NumPy {np.__version__}\n")
    bench_multinomial_loss()
    for name in ("bench_widgets", "bench_news"):
        print()
        run_optional(name)


if __name__ == "__main__":
    main()
