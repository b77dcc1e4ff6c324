"""Run the stored-output tests as other processors would (``make portability``).

CI machines differ from this one in the last bits of floating point: numpy picks
its SIMD code path (AVX-512, AVX2, SSE) from the processor, OpenBLAS picks a kernel
and a thread count. A stored output or a committed figure that depends on those bits
passes here and fails there. This script re-runs nbval strict on the notebooks, the
committed-figure test and a fresh export of the notebooks' lecture figures (compared as
pictures with the committed ones; ``tests/test_lecture_figures.py`` with
``COURSE_LECTURE_FIGURES`` set to the notebook chosen, or ``all``) in four
configurations that change those bits on this machine:

=============  =========================================================
default        as the machine is
no-avx512      ``NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"``
no-avx2        the same and ``X86_V3`` (AVX2 and FMA off too)
one-thread     ``OPENBLAS_NUM_THREADS=1``, ``OMP_NUM_THREADS=1``
=============  =========================================================

On numpy 2.4 only these group names change numpy's dispatch; the old per-feature
names (``AVX512F``, ``AVX512_SKX``) are accepted and change nothing. Each
configuration first proves that it took effect: it prints numpy's enabled dispatch
groups, threadpoolctl's BLAS threads and a canary, the bytes of a few fixed
computations (``np.exp``, ``np.log``, ``np.tanh``, a tall matrix-vector product, a
matrix product), marked where they differ from the default run. ``OPENBLAS_CORETYPE`` is
never set (some machines set it on purpose; it is passed on as found). This covers
x86-64 SIMD levels and BLAS threads, not ARM.

Usage::

    python tools/portability.py            # every notebook, four configurations
    python tools/portability.py --nb 04    # one notebook (a prefix or a file name)
    python tools/portability.py --proof    # only print the proof of this process
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# numpy 2.4 still reports its AVX-512 dispatch targets AVX512_ICL and AVX512_SPR as
# enabled when only X86_V4 is disabled; they are switched off with it.
CONFIGS = {
    "default": {},
    "no-avx512": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
    "no-avx2": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR X86_V3"},
    "one-thread": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
}
# Variables of ours that must not leak in from the caller's shell.
OWN_VARIABLES = ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                 "COURSE_LECTURE_FIGURES")
FIGURE_TEST = "tests/test_site.py::test_committed_figures_match_a_fresh_build"
LECTURE_FIGURE_TEST = "tests/test_lecture_figures.py::test_a_fresh_export_draws_the_committed_pictures"


def proof() -> dict:
    """What this process computes with: dispatch groups, BLAS threads, canary digests."""
    import numpy as np
    from threadpoolctl import threadpool_info

    from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__

    rng = np.random.default_rng(0)
    x = np.linspace(-30.0, 30.0, 100_003)
    tall = rng.standard_normal((200_000, 4))
    r = rng.standard_normal(200_000)
    A, B = rng.standard_normal((300, 300)), rng.standard_normal((300, 300))
    canary = {
        "exp": np.exp(x),
        "log": np.log1p(np.abs(x)),
        "tanh": np.tanh(x / 10.0),            # numpy has an AVX2 tanh, so X86_V3 shows here
        "tall X.T @ r": tall.T @ r,
        "A @ B": A @ B,
    }
    digest = {name: hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()[:12]
              for name, v in canary.items()}
    blas = [f"{i.get('internal_api')} {i.get('architecture', '?')} {i.get('num_threads')} threads"
            for i in threadpool_info() if i.get("user_api") == "blas"]
    groups = [g for g in __cpu_dispatch__ if __cpu_features__.get(g)]
    return {"baseline": list(__cpu_baseline__), "dispatch_enabled": groups,
            "dispatch_available": list(__cpu_dispatch__), "blas": blas, "canary": digest}


def _env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    env.update(extra)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _proof_of(extra: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--proof"], env=_env(extra), cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _notebooks(nb: str | None) -> list[str]:
    every = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))
    every += sorted(p.relative_to(ROOT).as_posix()
                    for p in (ROOT / "notebooks" / "apps").glob("*.ipynb"))
    if nb is None:
        return every
    chosen = [p for p in every if Path(p).name.startswith(nb) or Path(p).name == nb or p == nb]
    if not chosen:
        raise SystemExit(f"NB={nb!r} matches no notebook; give a prefix such as 04 or a file "
                         f"name such as 04_gradient_descent.ipynb.")
    return chosen


def _print_proof(name: str, p: dict, default: dict | None) -> list[str]:
    """Print the proof; return the problems (a configuration that did not take effect)."""
    print(f"  numpy dispatch groups enabled: {' '.join(p['dispatch_enabled']) or 'none'} "
          f"(baseline {' '.join(p['baseline'])})")
    print(f"  BLAS: {'; '.join(p['blas'])}")
    changed = []
    for op, h in p["canary"].items():
        mark = ""
        if default is not None:
            same = default["canary"][op] == h
            mark = "  same as default" if same else "  DIFFERS from default"
            if not same:
                changed.append(op)
        print(f"  canary {op:13s} {h}{mark}")
    if default is None:
        return []
    problems = []
    wanted = CONFIGS[name]
    if "NPY_DISABLE_CPU_FEATURES" in wanted:
        off = set(wanted["NPY_DISABLE_CPU_FEATURES"].split())
        still = off & set(p["dispatch_enabled"])
        present = off & set(default["dispatch_enabled"])
        if still:
            problems.append(f"{name}: {' '.join(sorted(still))} still enabled")
        if not present:
            print(f"  (this machine has none of {' '.join(sorted(off))}: the same as default here)")
    if "OPENBLAS_NUM_THREADS" in wanted and any(" 1 threads" not in b for b in p["blas"]):
        problems.append(f"{name}: BLAS not on one thread ({'; '.join(p['blas'])})")
    if not changed:
        print("  (no canary changed on this machine)")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nb", help="one notebook: a prefix such as 04, or a file name")
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help="comma-separated subset of " + ", ".join(CONFIGS))
    parser.add_argument("--proof", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.proof:
        print(json.dumps(proof()))
        return 0
    names = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in names if c not in CONFIGS]
    if unknown:
        raise SystemExit(f"--configs: unknown {unknown}; choose from {list(CONFIGS)}.")
    notebooks = _notebooks(args.nb)
    default = _proof_of({})
    results, problems = {}, []
    for name in names:
        extra = CONFIGS[name]
        shown = " ".join(f'{k}="{v}"' for k, v in extra.items()) or "(nothing set)"
        print(f"\n=== {name}: {shown}", flush=True)
        p = _proof_of(extra)
        problems += _print_proof(name, p, None if name == "default" else default)
        cmd = [sys.executable, "-m", "pytest", *notebooks, FIGURE_TEST, LECTURE_FIGURE_TEST,
               "-q", "-p", "no:cacheprovider",
               "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
               "-o", "addopts=", "--no-header"]
        start = time.perf_counter()
        figures = {"COURSE_LECTURE_FIGURES": args.nb or "all"}
        run = subprocess.run(cmd, env=_env({**extra, **figures}), cwd=ROOT, capture_output=True,
                             text=True)
        seconds = time.perf_counter() - start
        tail = [line for line in run.stdout.splitlines() if line.strip()][-25:]
        if run.returncode != 0:
            print("\n".join("  | " + line for line in tail))
        summary = tail[-1] if tail else "(no output)"
        print(f"  -> {'green' if run.returncode == 0 else 'RED'}: {summary.strip('= ')} "
              f"({seconds:.0f} s)", flush=True)
        results[name] = run.returncode == 0
    print("\nportability:", ", ".join(f"{n} {'green' if ok else 'RED'}" for n, ok in results.items()))
    for problem in problems:
        print("  configuration did not take effect:", problem)
    return 0 if all(results.values()) and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
