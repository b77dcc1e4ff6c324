"""The maintainer's tools: ``make portability``, ``make test-latest``, ``make bench`` (tools/)
and ``make notebooks`` (.ci/execute_notebooks.py: every notebook run, failures listed,
two runs give the same bytes, edited notebooks skipped unless FORCE=1).

None runs in ``.ci/run`` (each re-runs the notebooks several times, or times code); what
they decide is tested here: the configurations switch what they claim to switch, a
deprecated call planted in a notebook or a test turns ``test-latest`` red, the lock is
read as the tools expect, and ``make bench BASE=<commit>`` really runs that commit's code
and this checkout's in turns (with a stand-in measurement, not the timings).
"""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


def _tool(name):
    return load_script(f"tools/{name}.py", f"tools_{name.replace('/', '_')}")


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


# =========================================================================== make notebooks

def _load_execute_notebooks():
    return load_script(".ci/execute_notebooks.py")


runner = _load_execute_notebooks()


def _repo(tmp_path, notebooks):
    """A git repository in tmp_path holding ``notebooks`` (name -> list of cell sources)."""
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t",
                        *args], check=True, capture_output=True)
    git("init", "-q")
    for name, sources in notebooks.items():
        nbformat.write(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(s) for s in sources]), tmp_path / name)
    git("add", ".")
    git("commit", "-qm", "notebooks")
    return git


def test_make_notebooks_runs_them_all_and_lists_every_failure(tmp_path, capsys):
    git = _repo(tmp_path, {"a.ipynb": ["print('a ran')"],
                           "b.ipynb": ["x = 1", "1 / 0", "print('after')"],
                           "c.ipynb": ["undefined_name"],
                           "d.ipynb": ["print('d ran')"]})
    before_b = (tmp_path / "b.ipynb").read_bytes()
    status = runner.main([str(tmp_path / n) for n in ("a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb")])
    out = capsys.readouterr().out
    assert status == 1
    # every good notebook ran, after the failures too; a failing one is left as it was
    for name in ("a", "d"):
        nb = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4)
        assert nb.cells[0].outputs[0]["text"] == f"{name} ran\n"
    assert (tmp_path / "b.ipynb").read_bytes() == before_b
    summary = out[out.index("2 notebook(s) failed"):]
    assert "b.ipynb cell 2" in summary and "ZeroDivisionError" in summary
    assert "c.ipynb cell 1" in summary and "NameError" in summary


def test_make_notebooks_skips_edited_notebooks_unless_forced(tmp_path, capsys, monkeypatch):
    git = _repo(tmp_path, {"clean.ipynb": ["1"], "edited.ipynb": ["2"]})
    nb = nbformat.read(tmp_path / "edited.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("my own work"))
    nbformat.write(nb, tmp_path / "edited.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "new.ipynb")     # untracked
    assert runner.uncommitted(tmp_path / "clean.ipynb") is None
    assert "uncommitted edits" in runner.uncommitted(tmp_path / "edited.ipynb")
    assert "untracked" in runner.uncommitted(tmp_path / "new.ipynb")
    ran = []
    monkeypatch.setattr(runner, "execute", lambda p, rules=None: ran.append(p.name) or 0.1)
    monkeypatch.delenv("FORCE", raising=False)
    paths = [str(tmp_path / n) for n in ("clean.ipynb", "edited.ipynb", "new.ipynb")]
    assert runner.main(paths) == 0
    err = capsys.readouterr().err
    assert ran == ["clean.ipynb"]
    assert "skipped" in err and "edited.ipynb" in err and "new.ipynb" in err and "FORCE=1" in err
    monkeypatch.setenv("FORCE", "1")
    assert runner.main(paths) == 0
    assert ran[1:] == ["clean.ipynb", "edited.ipynb", "new.ipynb"]
    monkeypatch.setenv("FORCE", "0")
    ran.clear()
    assert runner.main(paths) == 0 and ran == ["clean.ipynb"]
    assert runner.main(["--force", *paths]) == 0 and len(ran) == 4


WIDGET_CELLS = [
    "import ipywidgets as w\n"
    "box = w.VBox([w.IntSlider(value=3, description='n'), w.HTML('<b>readout</b>'),\n"
    "              w.HBox([w.Button(description='go'), w.Label('x')])])\nbox",
    "import time\nprint(f'{time.perf_counter() % 1 * 1000:.1f} ms (timing)')\nw.Text('t')",
]


def test_make_notebooks_twice_gives_the_same_bytes(tmp_path):
    git = _repo(tmp_path, {"w.ipynb": WIDGET_CELLS})
    path = tmp_path / "w.ipynb"
    assert runner.main([str(path)]) == 0
    first = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    state = nb.metadata["widgets"][runner.WIDGET_STATE]["state"]
    assert list(state) == [f"{i:032x}" for i in range(1, len(state) + 1)]
    assert nb.cells[0].outputs[0]["data"][runner.WIDGET_VIEW]["model_id"] == f"{1:032x}"
    git("commit", "-qam", "first run")
    assert runner.main([str(path)]) == 0          # committed: runs again, same bytes
    assert path.read_bytes() == first
    out = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain"],
                         capture_output=True, text=True, check=True).stdout
    assert out == ""


def test_widget_ids_are_renumbered_by_order_of_appearance_whatever_the_stored_order():
    def model(name, **state):
        return {"model_name": name, "model_module": "m", "model_module_version": "1",
                "state": state}
    ids = {k: uuid for k, uuid in zip("box slider layout html extra".split(),
                                      ("f" * 32, "e" * 32, "d" * 32, "c" * 32, "b" * 32))}
    state = {ids["extra"]: model("LayoutModel"),
             ids["layout"]: model("LayoutModel"),
             ids["html"]: model("HTMLModel", value="x", layout=f"IPY_MODEL_{ids['layout']}"),
             ids["slider"]: model("IntSliderModel", layout=f"IPY_MODEL_{ids['layout']}"),
             ids["box"]: model("VBoxModel", children=[f"IPY_MODEL_{ids['slider']}",
                                                      f"IPY_MODEL_{ids['html']}"])}

    def notebook(order):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("box", outputs=[
            nbformat.v4.new_output("display_data", {runner.WIDGET_VIEW: {
                "version_major": 2, "version_minor": 0, "model_id": ids["box"]}})])])
        nb.cells[0].id = "cell-0"
        nb.metadata["widgets"] = {runner.WIDGET_STATE: {
            "version_major": 2, "version_minor": 0, "state": {k: state[k] for k in order}}}
        return nb
    a, b = notebook(list(state)), notebook(list(reversed(state)))
    mapping = runner.renumber_widgets(a)
    runner.renumber_widgets(b)
    assert nbformat.writes(a) == nbformat.writes(b)
    n = {k: mapping[ids[k]] for k in ids}
    assert [n[k] for k in ("box", "slider", "layout", "html", "extra")] == \
        [f"{i:032x}" for i in range(1, 6)]
    new_state = a.metadata["widgets"][runner.WIDGET_STATE]["state"]
    assert new_state[n["box"]]["state"]["children"] == [f"IPY_MODEL_{n['slider']}",
                                                        f"IPY_MODEL_{n['html']}"]
    assert a.cells[0].outputs[0]["data"][runner.WIDGET_VIEW]["model_id"] == n["box"]
    assert not any(uuid in nbformat.writes(a) for uuid in ids.values())


def _png(pixels):
    import base64
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", compress_level=1)
    return base64.b64encode(buf.getvalue()).decode()


def test_stored_outputs_are_kept_when_only_timings_or_last_bits_differ():
    import numpy as np
    picture = np.zeros((40, 60, 3), np.uint8)
    picture[10:30, 20:40] = 200
    nudged = picture.copy()
    nudged[5, 5] = 3                                # a few levels in one pixel
    shifted = np.roll(picture, 3, axis=1)           # a real change

    def nb(timing, png, text="loss 0.25"):
        return nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("run()", id="cell-0", outputs=[
                nbformat.v4.new_output("stream", name="stdout", text=f"{timing} s (timing)\n"),
                nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
                nbformat.v4.new_output("display_data", {"image/png": png,
                                                        "text/plain": "<Figure>"})])])
    stored = nb("1.25", _png(picture))
    fresh = nb("0.93", _png(nudged))
    assert runner.keep_stored(stored, fresh) == 2
    assert nbformat.writes(fresh) == nbformat.writes(stored)
    fresh = nb("0.93", _png(shifted), text="loss 0.26")
    assert runner.keep_stored(stored, fresh) == 1          # the timing only
    outs = fresh.cells[0].outputs
    assert outs[0]["text"] == "1.25 s (timing)\n" and outs[1]["text"] == "loss 0.26\n"
    assert outs[2]["data"]["image/png"] == _png(shifted)


def test_a_widget_image_that_shows_the_same_picture_keeps_its_stored_buffer():
    import numpy as np
    picture = np.full((30, 30, 3), 255, np.uint8)
    nudged = picture.copy()
    nudged[3, 3] = 252

    def nb(png):
        nb = nbformat.v4.new_notebook()
        nb.metadata["widgets"] = {runner.WIDGET_STATE: {"version_major": 2, "version_minor": 0,
            "state": {f"{1:032x}": {"model_name": "ImageModel", "model_module": "m",
                                    "model_module_version": "1", "state": {"format": "png"},
                                    "buffers": [{"path": ["value"], "encoding": "base64",
                                                 "data": png}]}}}}
        return nb
    stored = nb(_png(picture))
    fresh = nb(_png(nudged))
    assert runner.keep_stored(stored, fresh) == 1 and fresh == stored
    moved = nb(_png(np.roll(picture, 5, axis=0) * 0))
    assert runner.keep_stored(stored, moved) == 0 and moved != stored


def test_printed_text_is_stored_in_one_piece_whatever_the_kernel_sent():
    cell = nbformat.v4.new_code_cell("print('a:', True)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a:"),
                    nbformat.v4.new_output("stream", name="stdout", text=" True\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="b\n")]
    runner.coalesce_streams(cell)
    assert [(o.name, o.text) for o in cell.outputs] == [
        ("stdout", "a: True\n"), ("stderr", "warn\n"), ("stdout", "b\n")]
    markdown = nbformat.v4.new_markdown_cell("text")
    runner.coalesce_streams(markdown)          # nothing to do, no error
    assert "outputs" not in markdown
