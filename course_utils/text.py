"""Helpers for the capstone's text classifier (notebook 08).

* :func:`top_words`: the words with the largest weight in each class's row of Theta;
* :func:`word_evidence`: the words of one document that pushed it towards a class;
* :func:`snippet`: a short, one-line excerpt of a document for display;
* :class:`TrainingProgress`: a progress display to pass as ``callback=`` to
  :func:`course_utils.optim.gradient_descent` (tqdm's progress bar in Jupyter, one
  printed line per run elsewhere).

Conventions as everywhere in the course: ``Theta`` has shape ``(K, n + 1)``, column 0
holds the intercepts (the weights of the dummy feature), and column ``j + 1`` belongs to
word ``vocabulary[j]``.
"""

from __future__ import annotations

import re
import time

import numpy as np
import scipy.sparse as sp

from ._checks import as_float_array, check_magnitude, check_scalar
from .printing import stable_text

__all__ = ["top_words", "word_evidence", "snippet", "TrainingProgress"]


# --------------------------------------------------------------------------- checks

def _check_Theta_vocabulary(Theta, vocabulary):
    Theta = check_magnitude(as_float_array(Theta, "Theta", ndim=2), "Theta")
    if isinstance(vocabulary, (str, bytes, set, frozenset, dict)) or not hasattr(vocabulary,
                                                                              "__len__"):
        raise TypeError(f"vocabulary must be a sequence of words (e.g. the vectorizer's "
                        f"get_feature_names_out()); got {type(vocabulary).__name__}.")
    words = [str(w) for w in vocabulary]
    n = Theta.shape[1] - 1
    if len(words) != n:
        raise ValueError(
            f"vocabulary must have one word per column of Theta after the intercept column: "
            f"Theta has shape {Theta.shape}, so {n} words; got {len(words)}. Pass the "
            f"vocabulary of the vectorizer that built X (and Theta from add_intercept(X)).")
    return Theta, words


def _check_class(value, name, K):
    return check_scalar(value, name, low=0, high=K - 1, integer=True,
                        hint=f"Classes are numbered 0..{K - 1}, one per row of Theta.")


def _check_k(k):
    return check_scalar(k, "k", low=1, integer=True, hint="k is how many words to return.")


# --------------------------------------------------------------------------- words

def top_words(Theta, vocabulary, k=10):
    """The ``k`` words with the largest weight in each class, largest first.

    For class c the score of word j is Theta[c, j + 1], its weight in theta_c (column 0,
    the intercept, is not a word and is skipped). A large positive weight means that the
    word, when present, raises the score z_c = theta_c . x of class c.

    Parameters
    ----------
    Theta : array_like, shape (K, n + 1)
        Weights of a multinomial model; column 0 is the intercept.
    vocabulary : sequence of str, length n
        ``vocabulary[j]`` is the word of feature column j + 1 of X.
    k : int >= 1
        Words per class (all n if k > n).

    Returns
    -------
    list of K lists of (str, float)
        ``result[c]`` holds (word, weight) pairs, by decreasing weight; ties keep the
        vocabulary order.

    Examples
    --------
    >>> Theta = [[0.5, 2.0, -1.0, 0.3],
    ...          [0.1, -2.0, 1.5, 0.0]]
    >>> top_words(Theta, ["vote", "puck", "senate"], k=2)
    [[('vote', 2.0), ('senate', 0.3)], [('puck', 1.5), ('senate', 0.0)]]
    """
    Theta, words = _check_Theta_vocabulary(Theta, vocabulary)
    k = min(_check_k(k), len(words))
    result = []
    for row in Theta[:, 1:]:
        order = np.argsort(-row, kind="stable")[:k]
        result.append([(words[j], float(row[j])) for j in order])
    return result


def word_evidence(Theta, x, vocabulary, favour, against=None, k=5):
    """The words of one document that pushed its prediction towards class ``favour``.

    Each word j of the document adds x_j * Theta[c, j + 1] to the score z_c of every class
    c. Its evidence for ``favour`` over ``against`` is the difference

        e_j = x_j * (Theta[favour, j + 1] - Theta[against, j + 1]),

    or x_j * Theta[favour, j + 1] when ``against`` is None. The sum of e_j over all words,
    plus the difference of the intercepts, is z_favour - z_against, so the largest e_j
    are the words most responsible for the model preferring ``favour``.

    Parameters
    ----------
    Theta : array_like, shape (K, n + 1)
    x : array_like of shape (n + 1,), or a sparse row of shape (1, n + 1)
        One document with the dummy feature first (a row of ``add_intercept(X)``).
    vocabulary : sequence of str, length n
    favour, against : int
        Class indices 0..K-1 (``against`` optional).
    k : int >= 1
        At most this many words, only those with e_j > 0.

    Returns
    -------
    list of (str, float)
        (word, e_j) pairs by decreasing evidence.

    Examples
    --------
    >>> Theta = [[0.0, 2.0, -1.0, 0.3],
    ...          [0.0, -2.0, 1.5, 0.0]]
    >>> x = [1.0, 0.5, 0.5, 0.0]          # the document has 'vote' and 'puck'
    >>> word_evidence(Theta, x, ["vote", "puck", "senate"], favour=1, against=0)
    [('puck', 1.25)]
    """
    Theta, words = _check_Theta_vocabulary(Theta, vocabulary)
    K, d = Theta.shape
    if sp.issparse(x):
        if x.shape != (1, d):
            raise ValueError(f"x must be one row of shape (1, {d}) (a row of add_intercept(X)); "
                             f"got a sparse matrix of shape {x.shape}.")
        row = check_magnitude(as_float_array(x, "x", allow_sparse=True), "x")
        cols, vals = row.indices, row.data
    else:
        arr = check_magnitude(as_float_array(x, "x", ndim=(1, 2)), "x")
        if arr.ndim == 2 and arr.shape[0] == 1:
            arr = arr[0]
        if arr.shape != (d,):
            raise ValueError(f"x must have shape ({d},), the dummy feature then one entry per "
                             f"word, like Theta's columns; got shape {np.shape(x)}.")
        cols = np.flatnonzero(arr)
        vals = arr[cols]
    favour = _check_class(favour, "favour", K)
    weights = Theta[favour]
    if against is not None:
        weights = weights - Theta[_check_class(against, "against", K)]
    k = _check_k(k)
    keep = cols > 0                      # column 0 is the dummy feature, not a word
    cols, vals = cols[keep], vals[keep]
    evidence = vals * weights[cols]
    order = np.lexsort((cols, -evidence))
    return [(words[cols[i] - 1], float(evidence[i])) for i in order[:k] if evidence[i] > 0]


_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def snippet(text, max_chars=200, *, hide_emails=True):
    """A one-line excerpt: whitespace collapsed, cut at a word boundary, "…" if shortened.

    Parameters
    ----------
    text : str
    max_chars : int >= 10
        Length limit of the result, the "…" included.
    hide_emails : bool, default True
        Replace e-mail addresses by ``<e-mail>`` (posts quote their writers' addresses;
        a displayed excerpt has no need for them).

    Examples
    --------
    >>> snippet("The goalie stopped\\n\\n  41 shots in overtime.", max_chars=30)
    'The goalie stopped 41 shots …'
    >>> snippet("Ask jane.doe@example.org about it.")
    'Ask <e-mail> about it.'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (one document); got {type(text).__name__}.")
    max_chars = check_scalar(max_chars, "max_chars", low=10, integer=True,
                             hint="Allow at least a few words.")
    if not isinstance(hide_emails, bool):
        raise TypeError(f"hide_emails must be True or False; got {type(hide_emails).__name__}.")
    if hide_emails:
        text = _EMAIL.sub("<e-mail>", text)
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars - 2]           # room for " …"
    space = cut.rfind(" ")
    if space >= max_chars // 2:
        cut = cut[:space + 1]
    return cut.rstrip() + " …"


# --------------------------------------------------------------------------- progress

def _in_kernel() -> bool:
    """True inside a running Jupyter (IPython) kernel, where widgets can be shown."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


# tqdm's widget splits this at {bar}: the run's line on the left (the same words that are
# printed outside a kernel), the epochs and the time so far on the right.
_BAR_FORMAT = "{desc}{bar}{n:g}/{total:g} epochs [{elapsed}]"


def _widget_bar(widget, in_kernel):
    """The tqdm class that draws the bar as a widget, or None for printed text."""
    if widget is False or (widget is None and not in_kernel):
        return None
    try:
        import ipywidgets  # noqa: F401  (tqdm's widget is made of ipywidgets)
    except ImportError:
        if widget:
            raise ImportError("widget=True needs ipywidgets (pip install ipywidgets); "
                              "use widget=None to fall back to text.") from None
        return None
    from tqdm.notebook import tqdm as widget_tqdm
    if widget:
        return widget_tqdm
    # tqdm.auto picks the widget in a Jupyter kernel and its text bar elsewhere (a Qt
    # console, say); the text bar would print timings, so there we print our line.
    from tqdm import auto
    return auto.tqdm if issubclass(auto.tqdm, widget_tqdm) else None


class TrainingProgress:
    """Progress of gradient-descent runs: pass the object as ``callback=``.

    In a Jupyter kernel it shows a progress bar of :mod:`tqdm.auto`: the run's name,
    epoch, training loss J and validation loss on the left, the epochs done out of
    ``max_epochs`` and the time so far on the right, updated at every record point of
    :func:`course_utils.optim.gradient_descent`. One bar serves all runs: :meth:`start`
    resets it. Anywhere else (a script, a test, no ipywidgets) it shows nothing while
    training and :meth:`done` prints one summary line per run, without timings, so that
    printed output stays the same from run to run.

    Parameters
    ----------
    max_epochs : int >= 1
        Length of the bar: the epoch budget of one run.
    description : str
        Name of the first run, e.g. ``"lr=0.3, lam=0.01"``.
    widget : bool or None
        None (default): a widget when running in a kernel and ipywidgets is installed,
        text otherwise. True: build the widget (shown only in a kernel; it can be
        inspected anywhere). False: text only.

    Attributes
    ----------
    runs : list of dict
        One entry per finished run: ``description``, ``epochs``, ``status``, ``loss``,
        ``val_loss`` and ``seconds`` (wall time from :meth:`start` to :meth:`done`).
    widget : ipywidgets.HBox or None
        tqdm's display (the run's line, the bar, epochs and time), if one was built.

    Examples
    --------
    >>> progress = TrainingProgress(max_epochs=2, description="demo", widget=False)
    >>> progress({"step": 0, "epoch": 0.0, "loss": 1.3863, "val_loss": 1.3863, "grad_norm": 0.2})
    >>> progress({"step": 5, "epoch": 1.0, "loss": 0.9120, "val_loss": 0.9871, "grad_norm": 0.1})
    >>> progress.done()
    demo: 1 epoch, training loss J 0.9120, validation loss 0.9871
    >>> progress.runs[0]["epochs"]
    1.0
    """

    def __init__(self, max_epochs, *, description="training", widget=None):
        self.max_epochs = check_scalar(max_epochs, "max_epochs", low=1, integer=True,
                                       hint="Pass the max_epochs of the runs.")
        if widget is not None and not isinstance(widget, bool):
            raise TypeError(f"widget must be True, False or None (automatic); got "
                            f"{type(widget).__name__} {widget!r}.")
        self.runs: list[dict] = []
        self.widget = self._bar = None
        in_kernel = _in_kernel()
        bar = _widget_bar(widget, in_kernel)
        if bar is not None:
            self._bar = bar(total=self.max_epochs, bar_format=_BAR_FORMAT, dynamic_ncols=True,
                            display=False)
            self.widget = self._bar.container
        self._shown = self.widget is not None and in_kernel
        self.start(description)
        if self._shown:
            from IPython.display import display
            display(self.widget)

    # -- one run ------------------------------------------------------------------
    def start(self, description):
        """Begin a new run called ``description`` (the bar starts again at 0)."""
        if not isinstance(description, str):
            raise TypeError(f"description must be a str naming the run; got "
                            f"{type(description).__name__} {description!r}.")
        self.description = description
        self.last = None
        self._t0 = time.perf_counter()
        if self._bar is not None:
            self._bar.disable = False            # done() switched it off
            self._bar.set_description_str(f"{description}: starting", refresh=False)
            self._bar.reset()                    # 0 epochs, clock and colour cleared

    def __call__(self, record):
        """Take one record from the optimiser (a dict with epoch, loss, val_loss)."""
        if not isinstance(record, dict) or "epoch" not in record or "loss" not in record:
            raise TypeError("record must be the dict gradient_descent passes to its callback, "
                            "with keys 'epoch', 'loss' and 'val_loss'; got "
                            f"{type(record).__name__}.")
        self.last = dict(record)
        if self._bar is not None:
            self._bar.n = min(float(record["epoch"]), self.max_epochs)
            self._bar.set_description_str(self._line())

    def _line(self, status=None):
        rec = self.last
        if rec is None:
            return f"{self.description}: no record yet"
        epochs = float(rec["epoch"])
        unit = "epoch" if epochs == 1 else "epochs"
        line = f"{self.description}: {epochs:g} {unit}, training loss J {stable_text(rec['loss'], '.4f')}"
        if rec.get("val_loss") is not None:
            line += f", validation loss {stable_text(rec['val_loss'], '.4f')}"
        if status:
            line += f" ({status})"
        return line

    def done(self, trajectory=None):
        """Close the current run; print its summary line when no widget is shown.

        With the run's ``trajectory`` the line adds its status (converged, max_steps,
        early_stopped, diverged).
        """
        status = getattr(trajectory, "status", None) if trajectory is not None else None
        if trajectory is not None and status is None:
            raise TypeError(f"trajectory must be the Trajectory returned by gradient_descent "
                            f"or None; got {type(trajectory).__name__}.")
        seconds = time.perf_counter() - self._t0
        line = self._line(status)
        rec = self.last or {}
        self.runs.append({"description": self.description,
                          "epochs": float(rec.get("epoch", 0.0)), "status": status,
                          "loss": rec.get("loss"), "val_loss": rec.get("val_loss"),
                          "seconds": seconds})
        if self._bar is not None:
            self._bar.set_description_str(line, refresh=False)
            self._bar.display(bar_style="danger" if status == "diverged" else "success")
            # Off until the next start(): tqdm closes a bar when it is garbage-collected
            # and paints one that stopped short of max_epochs red, but a run that
            # converged or stopped early is a success.
            self._bar.disable = True
        if not self._shown:
            print(line)
