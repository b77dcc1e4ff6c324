"""`make bench`, capstone section: course_utils minibatch SGD vs scikit-learn on the news data.

Called by tools/bench/benchmarks.py (``run()``); also runnable on its own. Nothing is asserted.

What it measures, on the notebook's data and features (four 20 Newsgroups groups, TF-IDF
scaled by 10, the notebook's validation choice lr = 0.3, lam = 0.01, batches of 64):

* scikit-learn: ``LogisticRegression(C = 1 / (2 lam m)).fit`` time (median of 5) and its
  test accuracy;
* ours: wall time of ``minibatch_gradient_descent`` from the call until the first record
  point (every quarter epoch) whose weights reach scikit-learn's test accuracy minus 1
  point; median of 3 runs. The time includes everything the optimiser does on the way
  (input checks, the full training loss and the validation loss at each record point);
* ratio = ours / scikit-learn (goal: <= 1.0);
* memory: peak of traced allocations (tracemalloc) during one SGD run and during one
  scikit-learn fit, and the process's peak resident size (a high-water mark: inside
  ``make bench`` earlier sections may have set it).

Both run with one BLAS thread (as in the notebook): the arrays are small, and on a shared
2-core machine two threads mostly wait for each other. Needs the real data (the archive
named by COURSE_NEWS_ARCHIVE, or scikit-learn's cache); without it the section is skipped
with the reason printed. It never downloads.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np

SEED = 0
SCALE = 10.0
LR, LAM, BATCH, MAX_EPOCHS = 0.3, 0.01, 64, 10
RECORDS_PER_EPOCH = 4


def _prepare():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import train_test_split

    from course_utils.functions import add_intercept
    from course_utils.news import load_news

    train = load_news("train", download=False)
    if train.is_synthetic:
        return None, train.message
    test = load_news("test", download=False)
    idx_train, idx_val = train_test_split(np.arange(len(train)), test_size=0.15,
                                          stratify=train.y, random_state=SEED)
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
    words_train = vectorizer.fit_transform([train.texts[i] for i in idx_train])
    words_val = vectorizer.transform([train.texts[i] for i in idx_val])
    words_test = vectorizer.transform(test.texts)
    data = {
        "X_train": add_intercept(SCALE * words_train), "y_train": train.y[idx_train],
        "X_val": add_intercept(SCALE * words_val), "y_val": train.y[idx_val],
        "X_test": add_intercept(SCALE * words_test), "y_test": test.y,
    }
    return data, train.message


def _sgd(data, callback=None):
    from course_utils.optim import minibatch_gradient_descent

    m = data["X_train"].shape[0]
    steps_per_epoch = int(np.ceil(m / BATCH))
    return minibatch_gradient_descent(
        data["X_train"], data["y_train"], n_classes=4, lr=LR, lam=LAM, batch_size=BATCH,
        max_epochs=MAX_EPOCHS, X_val=data["X_val"], y_val=data["y_val"],
        record_every=max(1, steps_per_epoch // RECORDS_PER_EPOCH), rng=SEED,
        callback=callback)


def _time_to_target(data, target):
    """Seconds from the call until the first record point at or above ``target``."""
    from course_utils.metrics import accuracy

    stamps = []
    start = time.perf_counter()
    run = _sgd(data, callback=lambda record: stamps.append(time.perf_counter() - start))
    total = time.perf_counter() - start
    accs = [accuracy(data["y_test"], np.asarray(data["X_test"] @ Theta.T).argmax(axis=1))
            for Theta in run.thetas]
    hit = next((i for i, a in enumerate(accs) if a >= target), None)
    epochs = run.steps / np.ceil(data["X_train"].shape[0] / BATCH)
    if hit is None:
        return None, None, total, max(accs)
    return stamps[hit], float(epochs[hit]), total, accs[hit]


def _peak_mb(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run():
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    from course_utils.metrics import accuracy

    print("Capstone (notebook 08): minibatch SGD vs scikit-learn LogisticRegression on news")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    data, message = _prepare()
    if data is None:
        print("  skipped: the real 20 Newsgroups data is not available here "
              "(set COURSE_NEWS_ARCHIVE to 20news-bydate.tar.gz).")
        print(f"  loader: {message[:160]}...")
        return
    m, d = data["X_train"].shape
    print(f"  {m} training documents, {d - 1} words (CSR), lr = {LR:g}, lam = {LAM:g}, "
          f"batch {BATCH}, one BLAS thread")
    with threadpool_limits(1):
        C = 1 / (2 * LAM * m)
        X_words = data["X_train"][:, 1:]

        def fit_sklearn():
            return LogisticRegression(C=C, max_iter=1000).fit(X_words, data["y_train"])

        clf = fit_sklearn()   # warm-up
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            fit_sklearn()
            times.append(time.perf_counter() - t0)
        t_sklearn = statistics.median(times)
        acc_sklearn = accuracy(data["y_test"], clf.predict(data["X_test"][:, 1:]))
        target = acc_sklearn - 0.01

        _sgd(data)            # warm-up
        results = [_time_to_target(data, target) for _ in range(3)]
        seconds = [r[0] for r in results]
        totals = [r[2] for r in results]

        peak_sgd = _peak_mb(lambda: _sgd(data))
        peak_sklearn = _peak_mb(fit_sklearn)

    print(f"  scikit-learn fit (median of 5): {t_sklearn * 1e3:8.1f} ms   "
          f"test accuracy {acc_sklearn:.3f}")
    if any(s is None for s in seconds):
        print(f"  ours: never reached {target:.3f} in {MAX_EPOCHS} epochs "
              f"(best {results[0][3]:.3f}); ratio undefined")
    else:
        t_ours = statistics.median(seconds)
        print(f"  ours to reach {target:.3f} (median of 3):  {t_ours * 1e3:8.1f} ms   "
              f"after {results[0][1]:.2f} epochs, test accuracy {results[0][3]:.3f}")
        print(f"  ratio ours / scikit-learn = {t_ours / t_sklearn:.2f}   (goal <= 1.0)")
    print(f"  ours, whole run of {MAX_EPOCHS} epochs (median of 3): "
          f"{statistics.median(totals) * 1e3:8.1f} ms")
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    grew = (f", +{rss_after - rss_before:.0f} MB in this section" if rss_after > rss_before
            else ", set earlier in the process")
    print(f"  peak traced memory (tracemalloc): SGD run {peak_sgd:.1f} MB, scikit-learn fit "
          f"{peak_sklearn:.1f} MB")
    print(f"  process peak RSS (high-water mark): {rss_after:.0f} MB{grew}")


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    run()
