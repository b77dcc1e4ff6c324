"""The maintainer's tools: ``make portability``, ``make test-latest`` and ``make bench`` (tools/).

None runs in ``.ci/run`` (each re-runs the notebooks several times, or times code); what
they decide is tested here: the configurations switch what they claim to switch, a
deprecated call planted in a notebook or a test turns ``test-latest`` red, the lock is
read as the tools expect, and ``make bench BASE=<commit>`` really runs that commit's code
and this checkout's in turns (with a stand-in measurement, not the timings).
"""

import importlib.util
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name):
    spec = importlib.util.spec_from_file_location(f"tools_{name.replace('/', '_')}",
                                                  ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


portability = _tool("portability")
latest = _tool("test_latest")
bench = _tool("bench/compare")


# =========================================================================== portability

def test_each_configuration_proves_it_took_effect():
    default = portability._proof_of({})
    assert default["blas"], "threadpoolctl should see numpy's BLAS"
    one = portability._proof_of(portability.CONFIGS["one-thread"])
    assert all(" 1 threads" in b for b in one["blas"])
    for name in ("no-avx512", "no-avx2"):
        proof = portability._proof_of(portability.CONFIGS[name])
        off = set(portability.CONFIGS[name]["NPY_DISABLE_CPU_FEATURES"].split())
        assert not off & set(proof["dispatch_enabled"]), (name, proof["dispatch_enabled"])
        if "X86_V4" in default["dispatch_enabled"]:
            # numpy's AVX-512 exp differs from its other paths in the last bits
            assert proof["canary"]["exp"] != default["canary"]["exp"], name
    if "X86_V3" in default["dispatch_enabled"]:
        no_avx2 = portability._proof_of(portability.CONFIGS["no-avx2"])
        no_avx512 = portability._proof_of(portability.CONFIGS["no-avx512"])
        assert no_avx2["canary"]["tanh"] != no_avx512["canary"]["tanh"]


def test_our_variables_do_not_leak_in_from_the_shell(monkeypatch):
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", "X86_V3")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "7")
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")   # a machine's own choice: passed on
    env = portability._env({})
    assert "NPY_DISABLE_CPU_FEATURES" not in env and "OPENBLAS_NUM_THREADS" not in env
    assert env["OPENBLAS_CORETYPE"] == "Haswell"
    for extra in portability.CONFIGS.values():
        assert "OPENBLAS_CORETYPE" not in extra
        assert portability._env(extra)["OPENBLAS_CORETYPE"] == "Haswell"


def test_notebook_selection_by_prefix_or_name():
    assert portability._notebooks("04") == ["notebooks/04_gradient_descent.ipynb"]
    assert portability._notebooks("06_softmax.ipynb") == ["notebooks/06_softmax.ipynb"]
    every = portability._notebooks(None)
    assert "notebooks/apps/explorers.ipynb" in every and len(every) >= 10
    with pytest.raises(SystemExit, match="matches no notebook"):
        portability._notebooks("99")


def test_the_figure_test_it_runs_exists():
    path, name = portability.FIGURE_TEST.split("::")
    assert f"def {name}(" in (ROOT / path).read_text()


# =========================================================================== test-latest

def test_lock_is_read_with_normalised_names(tmp_path):
    lock = tmp_path / "r.lock"
    lock.write_text("Jupyter_Server==2.1.0\n# a comment\nnumpy==2.4.6  # pinned\n\n")
    assert latest.read_lock(lock) == {"jupyter-server": "2.1.0", "numpy": "2.4.6"}
    assert latest.read_lock_text("scipy==1.18.1 ; python_version >= '3.12'\n") == {"scipy": "1.18.1"}
    pins = latest.read_lock()
    assert pins["numpy"] and "course-utils" not in pins


def _notebook(tmp_path, source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(source))]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "planted.ipynb"
    nbformat.write(nb, path)
    return path


PLANTED = """
    import warnings

    def old_api():
        warnings.warn("old_api() is deprecated; use new_api()", {category}, stacklevel=2)
        return 1

    assert old_api() == 1     # the call the notebook makes
"""


@pytest.mark.parametrize("category", ["DeprecationWarning", "FutureWarning"])
def test_a_deprecated_call_in_a_notebook_cell_turns_test_latest_red(tmp_path, category):
    why = latest.execute_strict(_notebook(tmp_path, PLANTED.format(category=category)))
    assert why is not None and category in why and "old_api() is deprecated" in why


def test_a_clean_notebook_passes_and_its_own_assertions_still_count(tmp_path):
    assert latest.execute_strict(_notebook(tmp_path, "import numpy as np\nassert np.exp(0) == 1\n")) is None
    why = latest.execute_strict(_notebook(tmp_path, "assert 1 + 1 == 3, 'arithmetic'\n"))
    assert why is not None and "arithmetic" in why
    # a deprecation raised inside a library, about the library's own call, is not ours
    library = "import warnings\nwarnings.warn_explicit('x', DeprecationWarning, 'lib.py', 1, module='somelib')\n"
    assert latest.execute_strict(_notebook(tmp_path, library)) is None


def test_a_deprecated_call_in_course_utils_fails_the_package_tests(tmp_path):
    # pyproject.toml's filterwarnings (used by make test and make test-latest): a
    # DeprecationWarning attributed to a course_utils module is an error.
    planted = tmp_path / "test_planted.py"
    planted.write_text(textwrap.dedent("""
        import warnings

        def test_calls_something_deprecated():
            code = "import warnings; warnings.warn('going away', DeprecationWarning)"
            exec(compile(code, "course_utils/fake.py", "exec"), {"__name__": "course_utils.fake"})
    """))
    run = subprocess.run([sys.executable, "-m", "pytest", str(planted), "-q", "-p", "no:cacheprovider",
                          "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-2000:]
    assert "DeprecationWarning: going away" in run.stdout


def test_notebook_preamble_names_both_categories_and_both_sources():
    pre = latest.NOTEBOOK_PREAMBLE
    assert "DeprecationWarning" in pre and "FutureWarning" in pre
    assert "course_utils" in pre and "__main__" in pre
    compile(pre, "preamble", "exec")


# =========================================================================== bench BASE=

def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout


def test_bench_base_is_a_temporary_worktree_of_that_commit():
    with bench.worktree("HEAD") as tree:
        assert str(tree) in _git("worktree", "list", "--porcelain")
        assert _git("-C", str(tree), "rev-parse", "HEAD") == _git("rev-parse", "HEAD")
        committed = subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:course_utils/__init__.py"],
                                   capture_output=True, check=True).stdout
        assert (tree / "course_utils" / "__init__.py").read_bytes() == committed
    assert not tree.exists() and not tree.parent.exists()
    assert str(tree) not in _git("worktree", "list", "--porcelain")


def test_bench_base_names_a_commit_git_does_not_know():
    with pytest.raises(ValueError, match="BASE='no-such-commit' is not a commit"):
        bench.resolve("no-such-commit")
    with pytest.raises(SystemExit):
        bench.main(["--base", "HEAD", "--repeat", "3"])   # fewer than 15 repeats


def test_make_bench_with_base_runs_the_comparison():
    dry = subprocess.run(["make", "-n", "bench", "BASE=HEAD~1"], cwd=ROOT, capture_output=True,
                         text=True)
    assert "tools/bench/compare.py --base HEAD~1" in dry.stdout
    dry = subprocess.run(["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert "tools/bench/benchmarks.py" in dry.stdout


FAKE_MEASURES = """
import os
from pathlib import Path


def fake():
    import course_utils
    tree = Path(course_utils.__file__).resolve().parents[1]
    log = Path(os.environ["FAKE_BENCH_LOG"])

    def run(i):
        with log.open("a") as f:
            f.write(f"{tree} {i}\\n")
    run.note = "a stand-in"
    return run


def broken():
    from course_utils import a_name_no_version_has   # noqa: F401


MEASURES = {"fake": ("update: fake slider", fake), "broken": ("loss: broken", broken)}
"""


def test_bench_base_runs_old_and_new_code_in_turns(tmp_path, monkeypatch):
    measures = tmp_path / "fake_measures.py"
    measures.write_text(FAKE_MEASURES)
    log = tmp_path / "runs.log"
    monkeypatch.setenv("FAKE_BENCH_LOG", str(log))
    printed = []
    with bench.worktree("HEAD") as old_tree:
        results = bench.compare(old_tree, ROOT, measures=measures, repeat=15, warmup=2,
                                out=printed.append)
    runs = [line.rsplit(" ", 1) for line in log.read_text().splitlines()]
    old, new = str(old_tree.resolve()), str(ROOT)
    assert {tree for tree, _ in runs} == {old, new}    # each worker ran its own tree's package
    # in turns: old, new, then new, old, ...; both sides get the same repeat numbers
    assert [int(i) for _, i in runs] == [i for i in range(-2, 15) for _ in (0, 1)]
    assert [tree for tree, _ in runs][:4] == [old, new, new, old]
    assert set(results["fake"]) == {"old", "new", "note"} and results["fake"]["old"] > 0
    assert printed[0].lstrip().startswith("update: fake slider ")
    assert re.search(r"update: fake slider \d+\.\d ms +\(old +\d+\.\d\d ms, new +\d+\.\d\d ms, "
                     r"ratio +\d+\.\d\d\)$", printed[0])
    assert printed[1].strip() == "(a stand-in)"
    assert "loss: broken" in printed[2] and "skipped (old code: ImportError" in printed[2]
