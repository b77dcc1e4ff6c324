"""The sentences a careful read of the course found wrong are gone.

Each entry is a sentence (or its telling part) that was false or unqualified, with what
makes it wrong; the corrected statements are tested per notebook in
tests/test_content_NN.py. Matching ignores line breaks and repeated spaces, so
re-wrapping a paragraph cannot hide a sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + \
    [ROOT / "notebooks" / "apps" / "explorers.ipynb"]

#: (where it was, the wrong sentence, why it is wrong)
WRONG = [
    ("06", "The L2 penalty of notebook 07 picks one of these equivalent solutions",
     "with unpenalised intercepts the minimiser is a line, not a point"),
    ("04", "batch gradient descent comes closer to the minimum in every step",
     "only for a learning rate below the stability bound"),
    ("04", "every step overshoots but by less than it moved",
     "the criterion is |1 - alpha J''| < 1, not overshoot < move"),
    ("05", "the loss curves upward at least twice as steeply as before",
     "the penalty adds 2 lambda to the curvature; it does not double it"),
    ("05", "the model relies more on x2 and the line turns towards it",
     "relying more on x2 makes the boundary flatter"),
    ("08", "it changes nothing about what the model can express: the weights simply come out "
           "10 times smaller",
     "only with lambda rescaled by 1/100"),
    ("06", "scores in the hundreds are not unusual",
     "not for regularised models on normalised TF-IDF"),
    ("07", "The slides call it the Jacobian matrix of the loss.",
     "the gradient arranged like Theta is not a Jacobian"),
    ("08", "whose gradient is the exam's answer 3 divided by m",
     "only if the exam's lambda is m times the course's and the intercepts are penalised"),
    ("07", "The exam (seed 000) and the handwritten derivation (seed 002) penalise every weight",
     "the exam has no intercept; authoring vocabulary"),
    ("apps", "between about 1 and 10 it reaches the minimum in a few dozen steps",
     "at lr = 1 the explorer needs about 141 steps"),
]


def _flat(text):
    return " ".join(text.split())


def _notebook_text(path):
    nb = nbformat.read(path, as_version=4)
    parts = [c.source for c in nb.cells]
    for c in nb.cells:
        for out in c.get("outputs", []):
            parts.append(out.get("text", "") if isinstance(out.get("text", ""), str)
                         else "".join(out["text"]))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return _flat("\n".join(parts))


TEXTS = {p.name: _notebook_text(p) for p in NOTEBOOKS}


@pytest.mark.parametrize("where, sentence, why", WRONG, ids=[w[1][:40] for w in WRONG])
def test_the_wrong_sentence_is_gone(where, sentence, why):
    found = [name for name, text in TEXTS.items() if _flat(sentence).lower() in text.lower()]
    assert not found, f"{found} still says {sentence!r}: {why}"


def test_the_search_would_find_a_sentence_that_is_still_there():
    # the matching is not vacuous: a sentence every version of notebook 04 keeps is found
    text = TEXTS[next(p.name for p in NOTEBOOKS if p.name.startswith("04"))]
    assert "gradient descent" in text.lower()
    assert _flat("a\n  b") == "a b"
    assert re.search("learning rate", text)
