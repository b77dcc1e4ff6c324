"""The package's layout, as the README's "How the code is organised" describes it.

* every name the notebooks imported when the package was reorganised still imports
  (students' own copies of older notebooks keep running);
* layering: the core imports only NumPy and SciPy; the explorers' compute part no
  ipywidgets or matplotlib; the blitting engine no pyplot; nothing imports ``tools/``;
* no module over 900 lines, and no module reaches into another's private names;
* the README lists exactly the package's modules.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_utils"

# What notebooks 00-08 and the app notebook imported on 2026-12-06, before the
# reorganisation (collected from their code cells with ast). Frozen on purpose.
NOTEBOOK_IMPORTS = {
    "course_utils": ["add_intercept", "logsumexp", "multinomial_cross_entropy",
                     "multinomial_cross_entropy_grad", "one_hot", "sigmoid", "softmax", "symbolic"],
    "course_utils.data": ["LECTURE_THETA", "lecture_points", "load_news", "make_blobs",
                          "train_val_test_split"],
    "course_utils.figures": ["lambda_path", "lambda_path_data", "learning_rate_iterates",
                             "line_data", "make_lambda_path_figure", "make_learning_rate_figure",
                             "one_weight_grad", "one_weight_loss", "one_weight_minimum"],
    "course_utils.functions": ["add_intercept", "log_sigmoid", "sigmoid"],
    "course_utils.gradcheck": ["check_gradient", "numerical_gradient", "relative_error"],
    "course_utils.losses": ["binary_cross_entropy", "binary_cross_entropy_and_grad",
                            "binary_cross_entropy_grad"],
    "course_utils.metrics": ["accuracy", "confusion_matrix", "f1_score", "precision", "recall"],
    "course_utils.optim": ["batch_gradient_descent", "gradient_descent",
                           "minibatch_gradient_descent", "stochastic_gradient_descent"],
    "course_utils.plotting": ["COLORS", "MARKERS", "plot_confusion_matrix", "plot_data",
                              "plot_decision_boundary", "plot_decision_regions",
                              "plot_loss_contours", "plot_loss_curves", "plot_trajectory",
                              "use_style"],
    "course_utils.printing": ["rounded", "stable"],
    "course_utils.quiz": ["exam_feedback", "exam_question_widget"],
    "course_utils.selfcheck": ["check_answer", "check_choice", "expect"],
    "course_utils.symbolic": ["binary_ce_gradient_steps", "binary_from_softmax", "binary_symbols",
                              "check_steps", "exam_answers", "exam_verdicts", "lambdify_gradient",
                              "multinomial_symbols", "seed002_gradient_check",
                              "sigmoid_derivative_identity", "update_equivalence"],
    "course_utils.text": ["TrainingProgress", "snippet", "top_words", "word_evidence"],
    "course_utils.widgets": ["binary_explorer", "compute_binary", "decision_boundary_widget",
                             "multinomial_explorer", "sigmoid_slider"],
}


@pytest.mark.parametrize("module", sorted(NOTEBOOK_IMPORTS))
def test_every_name_the_notebooks_imported_still_imports(module):
    mod = importlib.import_module(module)

    def offers(name):      # `from course_utils import symbolic` may import a submodule
        if hasattr(mod, name):
            return True
        try:
            importlib.import_module(f"{module}.{name}")
        except ModuleNotFoundError:
            return False
        return True

    missing = [name for name in NOTEBOOK_IMPORTS[module] if not offers(name)]
    assert missing == [], f"{module} no longer offers {missing}"


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """(imported module, imported names) for every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            yield target, names
            for name in names:                 # `from . import losses` imports a module
                yield f"{target}.{name}", []


def _module_aliases(path: Path):
    """Local names under which ``path`` holds other modules of the package."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or node.module == "course_utils"):
            for a in node.names:
                target = (PACKAGE / a.name)
                if target.with_suffix(".py").exists() or (target / "__init__.py").exists():
                    yield a.asname or a.name
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("course_utils.") and a.asname:
                    yield a.asname


CORE = ["functions", "losses", "optim", "metrics", "gradcheck", "_checks"]


def _top(target: str) -> str:
    return target.split(".")[0]


@pytest.mark.parametrize("name", CORE)
def test_the_core_imports_only_numpy_scipy_and_the_core(name):
    path = PACKAGE / f"{name}.py"
    allowed_own = {f"course_utils.{m}" for m in CORE} | {"course_utils", "course_utils.printing"}
    bad = set()
    for target, _ in _imports(path):
        if _top(target) == "course_utils":
            if target not in allowed_own and not any(target.startswith(m + ".") for m in allowed_own):
                bad.add(target)
        elif _top(target) not in {"numpy", "scipy", "__future__", "math", "numbers", "dataclasses",
                                  "typing", "functools", "warnings", "collections", "itertools",
                                  "operator", "re", "textwrap"}:
            bad.add(target)
    assert not bad, f"{name}.py imports {sorted(bad)}"


def test_explorer_compute_imports_no_ipywidgets_and_no_matplotlib():
    targets = {t for t, _ in _imports(PACKAGE / "explore.py")}
    assert not {t for t in targets if _top(t) in {"ipywidgets", "matplotlib", "ipympl", "IPython"}}
    assert "course_utils.widgets" not in targets and "course_utils._blit" not in targets


def test_blitting_engine_never_imports_pyplot():
    src = (PACKAGE / "_blit.py").read_text(encoding="utf-8")
    targets = {t for t, _ in _imports(PACKAGE / "_blit.py")}
    assert "matplotlib.pyplot" not in targets and "pyplot" not in src.replace("# pyplot", "")


def test_nothing_in_the_package_imports_tools():
    offenders = [p.name for p in _modules() for t, _ in _imports(p) if _top(t) == "tools"]
    assert offenders == []
    assert not (PACKAGE / "publish.py").exists(), "the site builder lives in tools/, not in the package"


def test_no_module_over_900_lines():
    sizes = {_dotted(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    assert {m: n for m, n in sizes.items() if n > 900} == {}


def test_no_module_reaches_into_another_modules_private_names():
    bad = []
    for path in _modules():
        own = _dotted(path)
        src = path.read_text(encoding="utf-8")
        for target, names in _imports(path):
            if _top(target) != "course_utils" or target == own:
                continue
            bad += [f"{own}: from {target} import {n}" for n in names
                    if n.startswith("_") and not n.startswith("__")]
        # `module._name` on a package module imported by name (e.g. `losses._binary_kernel`)
        for alias in _module_aliases(path):
            bad += [f"{own}: {hit}" for hit in re.findall(rf"\b{re.escape(alias)}\._[a-z]\w*", src)]
    assert bad == []


def test_the_readme_lists_exactly_the_package_modules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is organised", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(course_utils/[\w/]+(?:\.py|/))`", section))
    actual = {str(p.relative_to(ROOT)) for p in _modules()
              if p.parent == PACKAGE}
    actual |= {str(p.relative_to(ROOT)) + "/" for p in PACKAGE.iterdir()
               if p.is_dir() and (p / "__init__.py").exists()}
    assert listed == actual, (f"README lists but missing: {sorted(listed - actual)}; "
                              f"in the package but not in the README: {sorted(actual - listed)}")
