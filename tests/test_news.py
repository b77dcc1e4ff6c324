"""Tests of the news loader (course_utils.news): archive, scikit-learn cache, synthetic."""

from __future__ import annotations

import codecs
import io
import os
import pickle
import re
import socket
import tarfile
from pathlib import Path

import numpy as np
import pytest

from course_utils import news
from course_utils.news import (
    NEWS_GROUPS, SOURCE_ARCHIVE, SOURCE_CACHE, SOURCE_SYNTHETIC, TOPICS, NewsData,
    load_news, synthetic_news,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
# The real archive: from the environment (CI sets it) or beside the project.
REAL_ARCHIVE = Path(os.environ.get(news.ARCHIVE_ENV, "").strip()
                    or REPO_ROOT.parent / "shared" / "data" / "20news-bydate.tar.gz")
needs_real_archive = pytest.mark.skipif(
    not REAL_ARCHIVE.is_file(),
    reason=(f"20news-bydate.tar.gz not found at {REAL_ARCHIVE}: set {news.ARCHIVE_ENV} to the "
            f"archive's path to check the real per-group counts (CI sets it)."),
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No network, no real archive from the environment, scikit-learn's data home in tmp.

    Returns the list of host names a download tried to resolve.
    """
    lookups = []

    def no_network(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "network blocked by the test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.delenv(news.ARCHIVE_ENV, raising=False)
    monkeypatch.delenv(news.OFFLINE_ENV, raising=False)
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "sklearn_home"))
    return lookups


# --------------------------------------------------------------------------------------
# A tiny fake archive with the bydate layout
# --------------------------------------------------------------------------------------

def fake_post(group: str, name: str) -> str:
    return (
        f"From: poster@{group}.example.org\n"
        f"Subject: a note\n"
        f"Newsgroups: {group}\n"
        f"Organization: Example\n"
        f"\n"
        f"BODY {group}/{name} opening line.\n"
        f"In article <1@example.org>, someone writes:\n"
        f"> QUOTED line from an earlier post\n"
        f"| also QUOTED\n"
        f"BODY closing line.\n"
        f"\n"
        f"-- \n"
        f"SIGNATURE of a regular poster\n"
    )


# (split folder, group, file name); names out of order on purpose; alt.atheism is ignored.
FAKE_FILES = [
    (folder, group, name)
    for folder, names in (("20news-bydate-train", ("200", "100")), ("20news-bydate-test", ("300",)))
    for group in ("sci.med", "alt.atheism", "comp.graphics", "talk.politics.misc",
                  "rec.sport.hockey")
    for name in names
]


def write_fake_archive(path: Path, files=FAKE_FILES) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for folder, group, name in files:
            data = fake_post(group, name).encode("latin-1")
            info = tarfile.TarInfo(f"{folder}/{group}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def fake_archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    return write_fake_archive(folder / "20news-bydate.tar.gz")


def expected_order(folders):
    """(group, name) in the loader's documented order: split, topic, file name."""
    return [(group, name) for folder in folders for group in NEWS_GROUPS
            for name in sorted(n for f, g, n in FAKE_FILES if f == folder and g == group)]


def test_constants_map_groups_to_topics_in_label_order():
    assert list(NEWS_GROUPS.items()) == [
        ("talk.politics.misc", "politics"), ("rec.sport.hockey", "sports"),
        ("comp.graphics", "technology"), ("sci.med", "health")]
    assert TOPICS == ["politics", "sports", "technology", "health"]


def test_fake_archive_is_read_offline_cleaned_and_labelled(fake_archive, isolated):
    data = load_news("train", archive=fake_archive)
    assert isinstance(data, NewsData)
    assert data.source == SOURCE_ARCHIVE and not data.is_synthetic
    assert data.target_names == TOPICS
    assert data.y.dtype == np.int64
    assert data.y.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    order = expected_order(["20news-bydate-train"])
    for text, (group, name), label in zip(data.texts, order, data.y):
        assert f"BODY {group}/{name} opening line." in text
        assert TOPICS[label] == NEWS_GROUPS[group]
        assert "BODY closing line." in text
        for leaked in ("Newsgroups:", "poster@", "Organization", "QUOTED", "writes:",
                       "SIGNATURE"):
            assert leaked not in text
    assert not any("alt.atheism" in t for t in data.texts)
    assert "20news-bydate.tar.gz" in data.message and "offline" in data.message
    # nothing unpacked beside the archive, no network touched
    assert sorted(p.name for p in fake_archive.parent.iterdir()) == ["20news-bydate.tar.gz"]
    assert isolated == []


def test_fake_archive_raw_posts_and_all_split(fake_archive):
    raw = load_news("train", archive=fake_archive, remove=())
    assert all(t.startswith("From: poster@") and "SIGNATURE" in t and "QUOTED" in t
               for t in raw.texts)
    only_headers = load_news("train", archive=fake_archive, remove=("headers",))
    assert all(t.startswith("BODY") and "SIGNATURE" in t for t in only_headers.texts)

    both = load_news("all", archive=fake_archive)
    test = load_news("test", archive=fake_archive)
    assert len(both) == 12 and len(test) == 4
    assert both.y.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 0, 1, 2, 3]
    order = expected_order(["20news-bydate-train", "20news-bydate-test"])
    assert all(f"{g}/{n} " in t for t, (g, n) in zip(both.texts, order))
    assert both.texts[8:] == test.texts


def test_archive_from_environment_variable(fake_archive, monkeypatch):
    monkeypatch.setenv(news.ARCHIVE_ENV, str(fake_archive))
    data = load_news("train")
    assert data.source == SOURCE_ARCHIVE
    assert news.ARCHIVE_ENV in data.message
    assert data.texts == load_news("train", archive=fake_archive).texts


def test_archive_argument_overrides_environment(fake_archive, monkeypatch, tmp_path):
    monkeypatch.setenv(news.ARCHIVE_ENV, str(tmp_path / "nowhere.tar.gz"))
    assert load_news("test", archive=fake_archive).source == SOURCE_ARCHIVE


def test_shuffle_with_rng_keeps_pairs_and_is_reproducible(fake_archive):
    fixed = load_news("all", archive=fake_archive)
    a = load_news("all", archive=fake_archive, rng=0)
    b = load_news("all", archive=fake_archive, rng=np.random.default_rng(0))
    assert a.texts == b.texts and a.y.tolist() == b.y.tolist()
    assert a.texts != fixed.texts
    assert sorted(zip(a.texts, a.y.tolist())) == sorted(zip(fixed.texts, fixed.y.tolist()))


# --------------------------------------------------------------------------------------
# scikit-learn's cache (a fake one, in scikit-learn's own layout) and the no-data path
# --------------------------------------------------------------------------------------

def write_fake_sklearn_cache(data_home: Path):
    """A cache as fetch_20newsgroups stores it (zlib-compressed pickle of two Bunches).

    This mirrors a private format of scikit-learn: if a new version changes it, this
    test fails and the layout needs a look.
    """
    from sklearn.utils import Bunch

    rng = np.random.default_rng(3)
    cache = {}
    for split, folder in (("train", "20news-bydate-train"), ("test", "20news-bydate-test")):
        files = [(g, n) for f, g, n in FAKE_FILES if f == folder]
        names = sorted({g for g, _ in files})
        order = rng.permutation(len(files))  # load_files shuffles
        files = [files[i] for i in order]
        cache[split] = Bunch(
            data=[fake_post(g, n) for g, n in files],
            filenames=np.array([str(data_home / "20news_home" / folder / g / n)
                                for g, n in files]),
            target_names=names,
            target=np.array([names.index(g) for g, _ in files]),
            DESCR="",
        )
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "20news-bydate_py3.pkz").write_bytes(
        codecs.encode(pickle.dumps(cache), "zlib_codec"))


def test_sklearn_cache_gives_the_same_documents_as_the_archive(fake_archive, tmp_path,
                                                               isolated):
    data_home = tmp_path / "sk"
    write_fake_sklearn_cache(data_home)
    cached = load_news("all", data_home=data_home, download=False)
    from_archive = load_news("all", archive=fake_archive)
    assert cached.source == SOURCE_CACHE
    assert cached.texts == from_archive.texts
    assert cached.y.tolist() == from_archive.y.tolist()
    assert isolated == []


def test_no_data_offline_gives_labelled_synthetic_corpus(tmp_path, isolated):
    data = load_news("train", data_home=tmp_path / "empty", download=False)
    assert data.source == SOURCE_SYNTHETIC and data.is_synthetic
    assert isolated == [], "download=False must not touch the network"
    assert data.counts() == {t: 150 for t in TOPICS}
    for needed in ("SYNTHETIC", "download=False", news.ARCHIVE_ENV, "20news-bydate.tar.gz",
                   "network"):
        assert needed in data.message
    assert data.texts == synthetic_news("train").texts


def test_offline_environment_variable_blocks_the_download(tmp_path, monkeypatch, isolated):
    monkeypatch.setenv(news.OFFLINE_ENV, "1")
    data = load_news("test", data_home=tmp_path / "empty")
    assert data.source == SOURCE_SYNTHETIC
    assert isolated == []
    assert f"{news.OFFLINE_ENV}=1" in data.message


def test_failed_download_falls_back_with_the_reason(tmp_path, isolated):
    data = load_news("train", data_home=tmp_path / "empty", download=True)
    assert isolated, "with download=True a download should have been tried"
    assert data.source == SOURCE_SYNTHETIC
    assert "download failed" in data.message and "network blocked by the test" in data.message
    assert news.ARCHIVE_ENV in data.message


# --------------------------------------------------------------------------------------
# The synthetic corpus
# --------------------------------------------------------------------------------------

def test_synthetic_corpus_is_deterministic_and_balanced():
    train, again, test = synthetic_news("train"), synthetic_news("train"), synthetic_news("test")
    both = synthetic_news("all")
    assert train.texts == again.texts
    assert set(train.texts).isdisjoint(test.texts)
    assert both.texts == train.texts + test.texts
    assert both.counts() == {t: 300 for t in TOPICS}
    assert train.y.tolist() == sorted(train.y.tolist())
    assert "SYNTHETIC" in train.message and "source='synthetic'" in repr(train)


def test_synthetic_corpus_is_learnable_but_not_trivially_separable():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    train, test = synthetic_news("train"), synthetic_news("test")
    vec = CountVectorizer()
    model = LogisticRegression(C=0.1, max_iter=2000).fit(vec.fit_transform(train.texts), train.y)
    acc = model.score(vec.transform(test.texts), test.y)
    assert 0.7 < acc < 0.97, acc


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("subset, exc", [("validation", ValueError), ("TRAIN", ValueError),
                                         (1, TypeError), (None, TypeError)])
def test_bad_subset(subset, exc):
    with pytest.raises(exc, match="subset"):
        load_news(subset, download=False)
    with pytest.raises(exc, match="subset"):
        synthetic_news(subset)


def test_missing_archive_names_the_argument(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"archive must be the path .*no file at"):
        load_news(archive=tmp_path / "missing.tar.gz")


def test_missing_archive_from_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(news.ARCHIVE_ENV, str(tmp_path / "missing.tar.gz"))
    with pytest.raises(FileNotFoundError, match=f"{news.ARCHIVE_ENV}.*unset"):
        load_news()


def test_archive_that_is_not_a_tar_file(tmp_path):
    bogus = tmp_path / "20news-bydate.tar.gz"
    bogus.write_text("this is not an archive\n")
    with pytest.raises(ValueError, match="archive must be a tar archive"):
        load_news(archive=bogus)
    with pytest.raises(ValueError, match="archive must be the path of the file"):
        load_news(archive=tmp_path)


def test_truncated_archive(fake_archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(fake_archive.read_bytes()[:300])
    with pytest.raises(ValueError, match="archive .*(damaged|not one)"):
        load_news(archive=cut)


def test_archive_without_the_four_groups(tmp_path):
    partial = write_fake_archive(
        tmp_path / "partial.tar.gz",
        [f for f in FAKE_FILES if f[1] != "sci.med" and f[0] == "20news-bydate-train"])
    with pytest.raises(ValueError, match=r"archive: .*20news-bydate-train/sci\.med/"):
        load_news("train", archive=partial)
    with pytest.raises(ValueError, match=r"archive: .*20news-bydate-test/"):
        load_news("test", archive=partial)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"remove": "headers"}, TypeError, "remove"),
    ({"remove": ("signatures",)}, ValueError, "remove"),
    ({"download": "yes"}, TypeError, "download"),
    ({"rng": "seed"}, TypeError, "rng"),
    ({"rng": -1}, ValueError, "rng"),
    ({"archive": 3}, TypeError, "archive"),
    ({"data_home": 3.5}, TypeError, "data_home"),
])
def test_bad_arguments_name_the_argument(kwargs, exc, name):
    with pytest.raises(exc, match=name):
        load_news("train", **{"download": False, **kwargs})


def test_bad_offline_environment_variable(monkeypatch):
    monkeypatch.setenv(news.OFFLINE_ENV, "maybe")
    with pytest.raises(ValueError, match=news.OFFLINE_ENV):
        load_news("train")


# --------------------------------------------------------------------------------------
# The real archive (runs where it is available; CI sets COURSE_NEWS_ARCHIVE)
# --------------------------------------------------------------------------------------

@needs_real_archive
def test_real_archive_counts_per_group():
    train = load_news("train", archive=REAL_ARCHIVE)
    test = load_news("test", archive=REAL_ARCHIVE)
    assert train.source == SOURCE_ARCHIVE
    # bydate counts: talk.politics.misc, rec.sport.hockey, comp.graphics, sci.med
    assert train.counts() == {"politics": 465, "sports": 600, "technology": 584,
                              "health": 594}
    assert test.counts() == {"politics": 310, "sports": 399, "technology": 389,
                             "health": 396}
    assert train.y.tolist() == sorted(train.y.tolist())
    # Raw posts open with their header ("From: ..."); cleaned ones only rarely, where the
    # body itself starts by citing a poster.
    raw = load_news("train", archive=REAL_ARCHIVE, remove=())
    assert all(re.match(r"[A-Za-z-]+: ", t) for t in raw.texts)
    assert sum(t.startswith("From:") for t in train.texts) < 0.01 * len(train)


@needs_real_archive
def test_cleaning_matches_scikit_learn_on_the_real_archive():
    twenty = pytest.importorskip(
        "sklearn.datasets._twenty_newsgroups",
        reason="scikit-learn's private strip functions moved; nothing to compare with")
    strips = [getattr(twenty, f"strip_newsgroup_{part}", None)
              for part in ("header", "footer", "quoting")]
    if None in strips:
        pytest.skip("scikit-learn's private strip functions were renamed; nothing to compare")
    raw = load_news("train", archive=REAL_ARCHIVE, remove=())
    cleaned = load_news("train", archive=REAL_ARCHIVE)
    theirs = []
    for text in raw.texts:
        for strip in strips:
            text = strip(text)
        theirs.append(text)
    assert cleaned.texts == theirs
