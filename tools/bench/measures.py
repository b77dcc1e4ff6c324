"""What ``make bench BASE=<commit>`` measures, in the old and in the new code alike.

Each entry of :data:`MEASURES` is ``(label, setup)``: ``setup()`` builds what the
measurement needs (untimed) and returns ``run(i)``, one timed unit of work. ``i`` is the
repeat's number (negative for warm-ups); where a cache could answer, it picks a value
never used before, so that every call computes. The old and the new tree get the same
``i`` in turn, so both do the same work. ``run.note``, if set, is printed under the line.

Only public names that exist before and after the package's restructuring are used:
``course_utils.widgets.binary_explorer``, ``multinomial_explorer`` and ``compute_binary``,
the explorers' ``controls`` and ``set``, the loss trio of ``course_utils.losses``, the
figures and plotting helpers the notebooks import, ``optim.minibatch_gradient_descent``
and ``data.load_news``.
"""

from __future__ import annotations

import io

import numpy as np

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def learning_rate(i, offset=0, lo=0.01, hi=10.0):
    """A learning rate in [lo, hi], different for every integer ``i + offset`` (a
    golden-ratio walk over log(lr)), so that an explorer's cache never answers; each
    measurement has its own ``offset`` (they share the worker's caches)."""
    return float(lo * (hi / lo) ** (((i + offset) * GOLDEN) % 1.0))


# --------------------------------------------------------------------------- explorers

def _lr_update(factory, offset, **controls):
    def setup():
        from course_utils import widgets
        explorer = getattr(widgets, factory)(backend="image", **controls)

        def run(i):
            explorer.controls["lr"].value = learning_rate(i, offset)
        return run
    return setup


def _lam_and_lr_update():
    from course_utils.widgets import binary_explorer
    explorer = binary_explorer(backend="image")
    lams = (0.0, 0.001, 0.01, 0.1)

    def run(i):
        explorer.set(lr=learning_rate(i, 2000), lam=lams[i % len(lams)])
    return run


def _play_frame():
    from course_utils.widgets import binary_explorer
    explorer = binary_explorer(epochs=500, backend="image")
    explorer.set(lr=0.3)
    frame = explorer.controls["frame"]
    last = frame.max

    def run(i):
        value = (37 * i) % last
        frame.value = value if value != frame.value else (value + 1) % last
    return run


def _compute_binary():
    from course_utils.widgets import compute_binary

    def run(i):
        compute_binary(lr=learning_rate(i, 3000), epochs=500)
    return run


# --------------------------------------------------------------------------- losses

def _problem(kind, K=None, m=10_000, n=300):
    import scipy.sparse as sp

    from course_utils.functions import add_intercept
    rng = np.random.default_rng(0)
    if kind == "sparse":   # (a Generator: with a seed, scipy draws the positions 100 x slower)
        X = add_intercept(sp.random(m, 20_000, density=0.005, format="csr", random_state=rng))
    else:
        X = add_intercept(rng.standard_normal((m, n)))
    if K is None:
        return 0.01 * rng.standard_normal(X.shape[1]), X, rng.integers(0, 2, m)
    return 0.01 * rng.standard_normal((K, X.shape[1])), X, rng.integers(0, K, m)


def _loss(name, kind, K=None):
    def setup():
        from course_utils import losses
        fn = getattr(losses, name)
        theta, X, y = _problem(kind, K)

        def run(i):
            fn(theta, X, y, 1e-3)
        return run
    return setup


# --------------------------------------------------------------------------- capstone

SEED, SCALE, LR, LAM, BATCH = 0, 10.0, 0.3, 0.01, 64   # notebook 08's choices


def _news_problem():
    """Notebook 08's training data: four groups, TF-IDF scaled by 10, an intercept column.
    The real articles when COURSE_NEWS_ARCHIVE (or scikit-learn's cache) has them, else
    the synthetic stand-in corpus."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from course_utils.data import load_news
    from course_utils.functions import add_intercept
    train = load_news("train", download=False)
    words = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(
        train.texts)
    return add_intercept(SCALE * words), np.asarray(train.y), not train.is_synthetic


def _capstone_sgd():
    from threadpoolctl import threadpool_limits

    from course_utils.optim import minibatch_gradient_descent
    X, y, real = _news_problem()
    threadpool_limits(1)     # as in notebook 08

    def run(i):
        minibatch_gradient_descent(X, y, n_classes=4, lr=LR, lam=LAM, batch_size=BATCH,
                                   max_epochs=3, rng=SEED)
    run.note = (f"{X.shape[0]} articles, {X.shape[1] - 1} words" if real else
                "the synthetic stand-in corpus: the real archive is not available here")
    return run


def _png(fig):
    import matplotlib.pyplot as plt
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _capstone_figure():
    import matplotlib.pyplot as plt

    from course_utils.data import make_blobs
    from course_utils.functions import add_intercept
    from course_utils.optim import minibatch_gradient_descent
    from course_utils.plotting import plot_confusion_matrix, plot_loss_curves, use_style
    X, y = make_blobs(100, 4, rng=0)
    A = add_intercept(X)
    run_record = minibatch_gradient_descent(A, y, n_classes=4, lr=0.3, lam=0.01, batch_size=BATCH,
                                            max_epochs=10, X_val=A, y_val=y, rng=SEED)
    C = np.array([[290, 8, 7, 5], [3, 390, 4, 2], [9, 6, 361, 13], [10, 4, 17, 365]])
    topics = ["politics", "sports", "technology", "health"]
    use_style()

    def run(i):
        fig, (ax_loss, ax_confusion) = plt.subplots(1, 2, figsize=(11.0, 4.4))
        plot_loss_curves(run_record, ax=ax_loss, x="steps")
        plot_confusion_matrix(C, labels=topics, ax=ax_confusion)
        _png(fig)
    return run


def _figure(name):
    def setup():
        from course_utils import figures
        make = getattr(figures, name)

        def run(i):
            _png(make())
        return run
    return setup


MEASURES = {
    "explorer-lr": ("update: new learning rate, binary explorer (epochs 200)",
                    _lr_update("binary_explorer", 0)),
    "explorer-lr-500": ("update: new learning rate, binary explorer (epochs 500)",
                        _lr_update("binary_explorer", 1000, epochs=500)),
    "explorer-lam": ("update: new lambda and learning rate, binary explorer", _lam_and_lr_update),
    "explorer-frame": ("update: Play frame, binary explorer (epochs 500)", _play_frame),
    "explorer-multinomial": ("update: new learning rate, multinomial explorer",
                             _lr_update("multinomial_explorer", 4000)),
    "compute-binary": ("compute_binary, 500 epochs (no drawing)", _compute_binary),
    "loss-binary": ("loss: binary_cross_entropy, dense 10,000 x 301",
                    _loss("binary_cross_entropy", "dense")),
    "grad-binary": ("loss: binary_cross_entropy_grad, dense 10,000 x 301",
                    _loss("binary_cross_entropy_grad", "dense")),
    "loss-grad-binary": ("loss: binary_cross_entropy_and_grad, dense 10,000 x 301",
                         _loss("binary_cross_entropy_and_grad", "dense")),
    "loss-multinomial": ("loss: multinomial_cross_entropy, dense 10,000 x 301, K = 4",
                         _loss("multinomial_cross_entropy", "dense", 4)),
    "grad-multinomial": ("loss: multinomial_cross_entropy_grad, dense 10,000 x 301, K = 4",
                         _loss("multinomial_cross_entropy_grad", "dense", 4)),
    "loss-grad-multinomial": ("loss: multinomial_cross_entropy_and_grad, dense, K = 4",
                              _loss("multinomial_cross_entropy_and_grad", "dense", 4)),
    "loss-grad-multinomial-sparse": (
        "loss: multinomial_cross_entropy_and_grad, sparse 10,000 x 20,001, K = 4",
        _loss("multinomial_cross_entropy_and_grad", "sparse", 4)),
    "capstone-sgd": ("capstone: minibatch SGD, 3 epochs on the news (notebook 08)", _capstone_sgd),
    "capstone-figure": ("capstone figure: loss curves + confusion matrix, PNG", _capstone_figure),
    "figure-learning-rate": ("figure: figures.make_learning_rate_figure, PNG",
                             _figure("make_learning_rate_figure")),
    "figure-lambda-path": ("figure: figures.make_lambda_path_figure, PNG",
                           _figure("make_lambda_path_figure")),
}
