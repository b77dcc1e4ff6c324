"""What code may pass to the explorers' controls: ``.set()`` and the factories' keywords.

A value given by code is checked as its slider would offer it, before any control
moves: type first (our TypeError, never traitlets' TraitError or a failed comparison),
then the range the slider offers (a ValueError naming the control, the range and the
fix; nothing is moved to a slider's end), then the whole new control set together
(the run's record and its step limit, see :meth:`course_utils.explore.BinaryControls.check_steps`).
Only then are the controls given their values, in one update. A refused call leaves
every control, every slider's options and the readout as they were.

A value inside the range that a selection slider does not offer (``epochs=150``) is
run exactly and added to the slider's options; each slider keeps the last
:data:`MAX_EXTRA` such values (the oldest drops out first).
"""

from __future__ import annotations

import math
import numbers

import ipywidgets as widgets

from .explore import MAX_STEPS

__all__ = ["SLIDER_OPTIONS", "SLIDER_RANGES", "MAX_EXTRA", "CONTROL_HINTS", "option_label",
           "slider_options", "check_control", "check_widget_value", "CodeControls"]

#: What the explorers' selection sliders offer: lambda (0, then a log range up to 10),
#: patience (0 turns early stopping off) and epoch budgets.
SLIDER_OPTIONS = {"lam": (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0),
                  "patience": (0, 1, 2, 3, 5, 10, 20, 50),
                  "epochs": (5, 10, 20, 50, 100, 200, 500)}
#: What code may pass to those sliders: a value in range that is not offered is added.
SLIDER_RANGES = {"lam": (0.0, 10.0), "patience": (0, MAX_STEPS), "epochs": (1, MAX_STEPS)}
#: How many values added by code a selection slider keeps offering (oldest dropped first).
MAX_EXTRA = 3
#: One sentence per control: the range its slider offers and how to stay in it.
CONTROL_HINTS = {
    "lr": "The learning rate slider runs from 0.001 to 100 (log scale).",
    "lam": "The lambda slider runs from 0 (no penalty) to 10.",
    "epochs": f"The slider offers 5 to 500; a whole number from 1 to {MAX_STEPS} is added.",
    "patience": "Use 0 to turn early stopping off.",
    "batch_size": "The batch size runs from 2 to the number of training points; for one "
                  "row per step use method='sgd'.",
    "seed": "The seed slider runs from 0 to 99.",
}


def option_label(name, value):
    """The text a selection slider shows for ``value`` ("off" for patience 0)."""
    if name == "patience" and value == 0:
        return "off"
    return f"{value:g}" if name == "lam" else str(value)


def check_control(name, value, *, low=None, high=None, integer=False, choices=None, hint=""):
    """One control value given by code, checked as its slider would offer it.

    Type first (a TypeError for text, booleans, a fraction where a whole number is
    needed), then the value: one of ``choices``, or a finite number from ``low`` to
    ``high``. Nothing is moved to a slider's end: a value outside is a ValueError that
    names the control, the range and the fix. A float end overshot by rounding only
    (relative 1e-9, e.g. ``10 ** 2.0000000001``) counts as that end.

    Returns the value as int, float or the choice.

    Examples
    --------
    >>> check_control("epochs", 150, low=1, high=500, integer=True)
    150
    >>> check_control("lr", 1e308, low=1e-3, high=100.0)
    Traceback (most recent call last):
    ...
    ValueError: lr = 1e+308 is outside the range 0.001 to 100; pass a value in that range.
    """
    tail = f" {hint}" if hint else ""
    if choices is not None:
        if isinstance(value, str) and value in choices:
            return value
        err = ValueError if isinstance(value, str) else TypeError
        raise err(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}. "
                  f"Pass one of those, e.g. {name}={choices[0]!r}.{tail}")
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:    # a number written as text: show it as a number
            example = (int if integer else float)(value) if isinstance(value, str) else None
        except ValueError:
            example = None
        example = example if example is not None else (low if low is not None else 1)
        raise TypeError(f"{name} must be {kind}; got {value!r} ({type(value).__name__}). "
                        f"Pass a number without quotes, e.g. {name}={example!r}.{tail}")
    if integer and not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {kind}; got {value!r}. Pass an int such as "
                        f"{name}={max(int(value), int(low or 0)) if math.isfinite(value) else 1}."
                        f"{tail}")
    if not isinstance(value, numbers.Integral) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}.{tail}")
    # compared as given: Python compares ints and floats exactly, so 10**400 cannot overflow
    for end, outside in ((low, low is not None and value < low),
                         (high, high is not None and value > high)):
        if outside:
            if isinstance(value, float) and abs(value - end) <= 1e-9 * abs(end):
                return float(end)
            span = (f"the range {low:g} to {high:g}" if None not in (low, high) else
                    f"the range >= {low:g}" if high is None else f"the range <= {high:g}")
            shown = repr(value) if len(repr(value)) <= 25 else f"a {len(repr(value))}-digit number"
            raise ValueError(f"{name} = {shown} is outside {span}; pass a value in that "
                             f"range.{tail}")
    return int(value) if integer else float(value)


def slider_options(name, extras=()):
    """Options ``(label, value)`` of selection slider ``name``: its own and ``extras``."""
    return [(option_label(name, v), v) for v in sorted(set(SLIDER_OPTIONS[name]) | set(extras))]


def check_widget_value(name, w, value):
    """A value for control ``name`` (its widget ``w``), checked against what ``w`` offers."""
    if isinstance(w, widgets.ToggleButtons):
        return check_control(name, value, choices=tuple(v for _, v in w.options))
    if isinstance(w, widgets.SelectionSlider):
        low, high = SLIDER_RANGES[name]
    elif isinstance(w, widgets.FloatLogSlider):
        low, high = w.base ** w.min, w.base ** w.max
    else:
        low, high = w.min, w.max
    widen = "; decision_boundary_widget(X, y, limit=...) widens it" if name in (
        "theta0", "theta1", "theta2") else ""
    return check_control(name, value, low=low, high=high, hint=CONTROL_HINTS.get(
        name, f"The slider runs from {low:g} to {high:g}{widen}."), integer=isinstance(
        w, (widgets.IntSlider, widgets.Play)) or name in ("epochs", "patience"))


class CodeControls:
    """The explorers' ``set()``: check everything, then move the controls, then update.

    Expects ``self.controls`` (widgets by name), ``self.values`` (the control values),
    ``self._suspended`` (observers do nothing while True) and ``self._refresh()``.
    """

    _extras = None      # per selection slider: values given by code, oldest first

    def set(self, **values):
        """Set several controls at once, with a single update.

        Example: ``explorer.set(lr=0.1, lam=0.0)``. Every value is checked first, all
        together; a refused one (wrong type, outside the slider's range, too many
        steps) raises a ValueError or TypeError and leaves every control as it was.
        A value inside the range that a selection slider does not offer (say
        ``epochs=150``) is added to its options; each slider keeps the last three.
        """
        self._apply(self._checked(values, self.controls))
        return self

    def _checked(self, values, names):
        """``values`` checked and normalised, as a dict; touches nothing."""
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise TypeError(f"unknown control(s) {unknown}; the controls are "
                            f"{sorted(names)}.")
        new = {n: check_widget_value(n, self.controls[n], v) for n, v in values.items()}
        self._check_together({**self.values, **new})
        return new

    def _check_together(self, values):
        """Checks of the whole control set (run explorers: the run's record)."""

    def _put(self, new):
        """Give the controls checked values (options first), without updates. Every
        value of a selection slider stays among its own options or ``self._extras``."""
        if self._extras is None:
            self._extras = {}
        self._suspended = True
        try:
            for name, v in new.items():
                w = self.controls[name]
                if isinstance(w, widgets.SelectionSlider):
                    extras = self._extras.setdefault(name, [])
                    if v not in SLIDER_OPTIONS[name] and v not in extras:
                        extras.append(v)
                        del extras[:-MAX_EXTRA]
                    options = slider_options(name, extras)
                    if list(w.options) != options:
                        w.options = options
                w.value = v
        finally:
            self._suspended = False

    def _apply(self, new):
        values = {n: w.value for n, w in self.controls.items()}
        extras = {n: list(v) for n, v in (self._extras or {}).items()}
        try:
            self._put(new)
            self._refresh()
        except BaseException:      # e.g. an interrupt: back to the state before, shown
            self._extras = extras
            self._put(values)
            self._refresh()
            raise
