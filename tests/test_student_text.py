"""Students read no authoring vocabulary: not in docstrings, not in a widget.

Students have no "seed" files and no design notes; "seed" also collides with the random
seeds used everywhere. Text a student reads says "the exam question" and "the
handwritten derivation". The notebooks are checked in tests/test_notebook_structure.py
(sources and stored outputs), the static site's pages in tests/test_site.py; here the
package's docstrings, and the text of every widget the course builds, read from the
live widget objects (labels, descriptions, tooltips, options, HTML values), after each
possible answer of the multiple-choice questions.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets
import pytest

import course_utils

from conftest import AUTHORING_WORDS as AUTHORING


def _modules():
    names = [course_utils.__name__] + [
        m.name for m in pkgutil.walk_packages(course_utils.__path__, course_utils.__name__ + ".")]
    return [importlib.import_module(n) for n in names]


def _docstrings(module):
    """(where, text) for the module, its functions and classes, and their methods."""
    yield module.__name__, module.__doc__ or ""
    for name, obj in vars(module).items():
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield f"{module.__name__}.{name}", obj.__doc__ or ""
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                doc = getattr(member, "__doc__", None)
                if callable(member) or isinstance(member, property):
                    yield f"{module.__name__}.{name}.{attr}", doc or ""


MODULES = _modules()


def test_the_walk_reaches_every_module_and_finds_a_planted_word():
    names = {m.__name__ for m in MODULES}
    assert {"course_utils.exam", "course_utils.quiz", "course_utils.symbolic.multinomial",
            "course_utils.exercises", "course_utils.widgets"} <= names
    assert AUTHORING.search("as in seed 002") and AUTHORING.search("the design notes say")
    assert AUTHORING.search("seed002_gradient_check") and not AUTHORING.search("seed = 0")
    assert not AUTHORING.search("rng = np.random.default_rng(seed=0)")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstrings_speak_to_students(module):
    found = {where: hit.group(0) for where, text in _docstrings(module)
             if (hit := AUTHORING.search(text))}
    assert not found, f"say 'the exam question' / 'the handwritten derivation': {found}"


def _texts(widget, seen=None):
    """Every string a widget shows, walking its children and contents."""
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    if not isinstance(widget, widgets.Widget):       # an explorer: its .widget, .readout, ...
        for part in vars(widget).values():
            if isinstance(part, widgets.Widget):
                yield from _texts(part, seen)
        return
    for key in widget.keys:
        if key.startswith("_") and key != "_options_labels":    # the labels a menu shows
            continue
        value = getattr(widget, key, None)
        if isinstance(value, str):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, str):
                    yield item
                elif isinstance(item, (tuple, list)) and item and isinstance(item[0], str):
                    yield item[0]                        # (label, value) options
                elif isinstance(item, widgets.Widget):
                    yield from _texts(item, seen)
        elif isinstance(value, widgets.Widget):
            yield from _texts(value, seen)


def _course_widgets():
    from course_utils import quiz, selfcheck
    from course_utils.data import lecture_points
    from course_utils.widgets import (binary_explorer, decision_boundary_widget,
                                      multinomial_explorer, sigmoid_slider)
    built = [("sigmoid_slider", sigmoid_slider()),
             ("decision_boundary_widget", decision_boundary_widget(*lecture_points())),
             ("binary_explorer", binary_explorer()),
             ("multinomial_explorer", multinomial_explorer())]
    exam = quiz.exam_question_widget()
    built.append(("exam_question_widget", exam))
    return built, exam, selfcheck


def test_every_widget_speaks_to_students():
    built, exam, _ = _course_widgets()
    found = {}
    for name, w in built:
        texts = list(_texts(w))
        assert texts, f"{name}: no text found; the walk is broken"
        found.update({name: hit.group(0) for t in texts if (hit := AUTHORING.search(t))})
    # the quiz's feedback after each possible answer
    buttons = [b for b in _all(exam) if isinstance(b, widgets.Button)]
    assert len(buttons) >= 5
    for b in buttons:
        b.click()
        found.update({f"exam after {b.description!r}": hit.group(0)
                      for t in _texts(exam) if (hit := AUTHORING.search(t))})
    assert not found, found


def _all(widget, seen=None):
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child, seen)


def test_the_widget_walk_sees_a_planted_word():
    box = widgets.VBox([widgets.HTML("fine"), widgets.Dropdown(options=[("see seed 000", 1)])])
    assert any(AUTHORING.search(t) for t in _texts(box))
