"""Tests of the news loader (course_utils.news): archive, scikit-learn cache, synthetic."""

from __future__ import annotations

import bz2
import codecs
import gzip
import hashlib
import io
import lzma
import os
import pickle
import re
import socket
import tarfile
import zlib
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


# The bydate counts the loader checks, kept before the fixture below swaps them.
REAL_COUNTS = dict(news._EXPECTED_COUNTS)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No network, no real archive from the environment, scikit-learn's data home in tmp,
    and the loader's expected counts those of the tiny fake archive below (tests of the
    real archive put the real ones back).

    Returns the list of host names a download tried to resolve.
    """
    monkeypatch.setattr(news, "_EXPECTED_COUNTS", fake_counts())
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


def fake_counts(files=FAKE_FILES):
    counts = {}
    for folder, group, _ in files:
        if group in NEWS_GROUPS:
            counts[(folder, group)] = counts.get((folder, group), 0) + 1
    return counts


def fake_tar_bytes(files=FAKE_FILES) -> bytes:
    """An uncompressed tar of the fake posts (the same member may be listed twice)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:") as tar:
        for folder, group, name in files:
            data = fake_post(group, name).encode("latin-1")
            info = tarfile.TarInfo(f"{folder}/{group}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_fake_archive(path: Path, files=FAKE_FILES) -> Path:
    # mtime=0: the same bytes on every run, so a test can know the archive's checksum.
    path.write_bytes(gzip.compress(fake_tar_bytes(files), mtime=0))
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
    assert not (tmp_path / "empty").exists(), "reading a cache creates no folder"
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
    assert not (tmp_path / "empty").exists(), "a failed download leaves nothing behind"


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

@pytest.fixture
def real_counts(monkeypatch):
    monkeypatch.setattr(news, "_EXPECTED_COUNTS", REAL_COUNTS)


@needs_real_archive
def test_real_archive_counts_per_group(real_counts):
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
def test_cleaning_matches_scikit_learn_on_the_real_archive(real_counts):
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


# --------------------------------------------------------------------------------------
# Damaged archives: detected, reported as damage, raised for archive=, a fallback for the
# environment variable
# --------------------------------------------------------------------------------------

DAMAGE_ADVICE = "Download 20news-bydate.tar.gz again"


def assert_reported_as_damage(exc_info, *needles):
    text = str(exc_info.value)
    assert "names a damaged archive" in text, text
    assert "Expected: the whole archive readable to its end, with 8 train and 4 test" in text
    assert "Found: " in text and DAMAGE_ADVICE in text and "archive= at the good copy" in text
    for needle in needles:
        assert needle in text, (needle, text)


def test_truncated_archive_is_reported_as_truncated(fake_archive, tmp_path):
    for keep in (300, len(fake_archive.read_bytes()) - 4):  # early, and only the end missing
        cut = tmp_path / f"cut{keep}.tar.gz"
        cut.write_bytes(fake_archive.read_bytes()[:keep])
        with pytest.raises(ValueError) as info:
            load_news(archive=cut)
        assert_reported_as_damage(info, "truncated", f"Found: {keep:,} bytes")
    # nothing unpacked or written anywhere
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["archive", f"cut{keep}.tar.gz", "cut300.tar.gz"])


@pytest.mark.parametrize("where", [0.1, 0.5, 0.97])
def test_zeroed_block_in_the_compressed_data(fake_archive, tmp_path, where):
    data = bytearray(fake_archive.read_bytes())
    start = int(len(data) * where)
    data[start:start + 64] = bytes(len(data[start:start + 64]))  # same size, zeros inside
    bad = tmp_path / "zeroed.tar.gz"
    bad.write_bytes(bytes(data))
    with pytest.raises(ValueError) as info:
        load_news("test", archive=bad)
    assert_reported_as_damage(info)
    assert re.search("compressed data is corrupted|ends before the archive does|"
                     "stops being readable", str(info.value))


@pytest.mark.parametrize("header", [bytes(512), b"garbage " * 64])
def test_a_bad_member_header_is_not_taken_for_the_end(tmp_path, header):
    # Intact compression around a tar whose 5th member header is unreadable: tarfile
    # stops there as if the archive had ended; the loader must notice what follows.
    raw = bytearray(fake_tar_bytes())
    offsets = [m.offset for m in tarfile.open(fileobj=io.BytesIO(bytes(raw)))]
    raw[offsets[4]:offsets[4] + 512] = header
    bad = tmp_path / "badheader.tar.gz"
    bad.write_bytes(gzip.compress(bytes(raw), mtime=0))
    with pytest.raises(ValueError) as info:
        load_news("train", archive=bad)
    assert_reported_as_damage(info, f"stops being readable at byte {offsets[4]:,}",
                              "articles of the four groups readable before")


def test_duplicated_members(tmp_path):
    twice = write_fake_archive(tmp_path / "twice.tar.gz", FAKE_FILES + FAKE_FILES[:1])
    with pytest.raises(ValueError) as info:
        load_news(archive=twice)
    assert_reported_as_damage(info, "appears twice", repr("/".join(FAKE_FILES[0])))


def test_missing_articles_are_counted_per_group_and_split(tmp_path):
    files = [f for f in FAKE_FILES if f != ("20news-bydate-train", "sci.med", "100")]
    fewer = write_fake_archive(tmp_path / "fewer.tar.gz", files)
    with pytest.raises(ValueError) as info:
        load_news("test", archive=fewer)  # damage anywhere counts, whatever the split
    assert_reported_as_damage(info, "expected 2 in 20news-bydate-train/sci.med/ but found 1",
                              "Found: ", "7 train and 4 test articles of the four groups read.")


def test_wrong_layout_is_reported_as_layout(tmp_path):
    moved = [("news", g, n) for _, g, n in FAKE_FILES]
    flat = write_fake_archive(tmp_path / "flat.tar.gz", moved)
    with pytest.raises(ValueError, match=r"archive: .*does not have the 20 Newsgroups "
                                         r"'bydate' layout: no documents"):
        load_news(archive=flat)


@pytest.mark.parametrize("compress", [lambda b: b, bz2.compress, lzma.compress],
                         ids=["tar", "bz2", "xz"])
def test_other_compressions_of_an_intact_archive_load(tmp_path, compress):
    other = tmp_path / "20news-bydate.tar"
    other.write_bytes(compress(fake_tar_bytes()))
    assert len(load_news("all", archive=other)) == 12


def test_known_size_with_another_checksum_is_damage(fake_archive, monkeypatch):
    # The course's copy is known by size and SHA-256; bytes changed in place (here the gzip
    # header's time stamp, which no decompressor checks) keep the size, not the checksum.
    good = fake_archive.read_bytes()
    monkeypatch.setattr(news, "_KNOWN_ARCHIVES", {
        hashlib.sha256(good).hexdigest(): (len(good), "the course's copy")})
    assert len(load_news("train", archive=fake_archive)) == 8
    fake_archive.write_bytes(good[:4] + b"\x01\x02\x03\x04" + good[8:])
    with pytest.raises(ValueError) as info:
        load_news("train", archive=fake_archive)
    assert_reported_as_damage(info, "size of the course's copy but not its checksum",
                              f"{len(good):,} bytes (the size of the course's copy)")


def test_damaged_archive_from_the_environment_falls_back_and_says_why(
        fake_archive, tmp_path, monkeypatch, isolated):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(fake_archive.read_bytes()[:-4])
    monkeypatch.setenv(news.ARCHIVE_ENV, str(cut))
    data = load_news("train", data_home=tmp_path / "empty", download=False)
    assert data.source == SOURCE_SYNTHETIC and data.message.startswith("SYNTHETIC corpus")
    assert (f"Why: the environment variable {news.ARCHIVE_ENV} names a damaged archive"
            in data.message)
    for needle in ("truncated", f"point {news.ARCHIVE_ENV} at the good copy",
                   "Then: downloads are switched off (download=False)"):
        assert needle in data.message
    # with scikit-learn's cache at hand the real articles are used, the damage still told
    write_fake_sklearn_cache(tmp_path / "sk")
    cached = load_news("train", data_home=tmp_path / "sk", download=False)
    assert cached.source == SOURCE_CACHE and "names a damaged archive" in cached.message
    assert isolated == []


@needs_real_archive
def test_real_archive_with_a_zeroed_kibibyte_at_97_percent(tmp_path, real_counts):
    good = REAL_ARCHIVE.read_bytes()
    cut = int(len(good) * 0.97)
    bad = tmp_path / "20news-bydate.tar.gz"
    bad.write_bytes(good[:cut] + bytes(1024) + good[cut + 1024:])
    with pytest.raises(ValueError, match="names a damaged archive") as info:
        load_news("test", archive=bad)
    text = str(info.value)
    assert "2,243 train and 1,494 test" in text and "14,495,921 bytes" in text
    # what it used to return without a word is now the "found" part of the message
    assert "2,243 train and 1,340 test articles of the four groups readable" in text
    assert "49bc32e6482d2ded" in text and DAMAGE_ADVICE in text


# --------------------------------------------------------------------------------------
# scikit-learn's cache: damaged ones moved aside, downloads atomic, interrupts clean
# --------------------------------------------------------------------------------------

CACHE = "20news-bydate_py3.pkz"


def damaged_files(home: Path):
    return sorted(p.name for p in home.iterdir() if ".damaged-" in p.name)


def half_cache(home: Path) -> bytes:
    write_fake_sklearn_cache(home)
    whole = (home / CACHE).read_bytes()
    (home / CACHE).write_bytes(whole[:len(whole) // 2])
    return whole[:len(whole) // 2]


def wrong_shape_cache(home: Path) -> bytes:
    home.mkdir(parents=True, exist_ok=True)
    blob = zlib.compress(pickle.dumps({"train": {"data": ["x"]}, "test": 1}))
    (home / CACHE).write_bytes(blob)
    return blob


def wrong_counts_cache(home: Path) -> bytes:
    write_fake_sklearn_cache(home)
    cache = pickle.loads(zlib.decompress((home / CACHE).read_bytes()))
    for key in ("data", "filenames", "target"):
        cache["train"][key] = cache["train"][key][1:]
    blob = zlib.compress(pickle.dumps(cache))
    (home / CACHE).write_bytes(blob)
    return blob


@pytest.mark.parametrize("damage, said", [
    (half_cache, "cannot be read back"),
    (wrong_shape_cache, "does not have the shape scikit-learn writes"),
    (wrong_counts_cache, "other numbers of articles"),
], ids=["half-written", "wrong-shape", "wrong-counts"])
def test_damaged_cache_is_reported_and_moved_aside(tmp_path, isolated, damage, said):
    home = tmp_path / "sk"
    blob = damage(home)
    data = load_news("train", data_home=home, download=False)
    assert data.source == SOURCE_SYNTHETIC
    assert "holds no copy" not in data.message
    assert f"scikit-learn's cache {str(home / CACHE)!r} was damaged: " in data.message
    assert said in data.message
    assert "moved aside to 20news-bydate_py3.pkz.damaged-" in data.message
    (aside,) = damaged_files(home)
    assert re.fullmatch(r"20news-bydate_py3\.pkz\.damaged-\d{8}-\d{4}", aside)
    assert (home / aside).read_bytes() == blob, "moved, never changed or deleted"
    assert not (home / CACHE).exists()
    # the next run finds no cache (and could download one); the damaged copy stays
    again = load_news("train", data_home=home, download=False)
    assert "scikit-learn's cache holds no copy" in again.message
    # a second damage within the same minute gets its own name
    damage(home)
    load_news("train", data_home=home, download=False)
    assert len(damaged_files(home)) == 2 and (home / aside).read_bytes() == blob
    assert isolated == []


@pytest.fixture
def fake_download(monkeypatch, fake_archive):
    """scikit-learn's download replaced by a copy of the fake archive (no network)."""
    twenty = pytest.importorskip("sklearn.datasets._twenty_newsgroups")
    if not hasattr(twenty, "_fetch_remote"):
        pytest.skip("scikit-learn's private _fetch_remote moved; cannot fake its download")
    calls = []

    def fetch_remote(remote, dirname=None, n_retries=3, delay=1):
        target = Path(dirname) / remote.filename
        target.write_bytes(fake_archive.read_bytes())
        calls.append(target)
        return target

    monkeypatch.setattr(twenty, "_fetch_remote", fetch_remote)
    return twenty, calls


def test_download_replaces_a_damaged_cache_atomically(tmp_path, fake_download, fake_archive):
    _, calls = fake_download
    home = tmp_path / "sk"
    blob = half_cache(home)
    (home / "mine.txt").write_text("a file of the user's")
    data = load_news("all", data_home=home, download=True)
    assert calls and data.source == SOURCE_CACHE
    assert data.texts == load_news("all", archive=fake_archive).texts
    assert "was damaged" in data.message and "a fresh copy was downloaded" in data.message
    (aside,) = damaged_files(home)
    assert (home / aside).read_bytes() == blob
    # only the cache, the damaged copy and the user's file: no download folder left
    assert sorted(p.name for p in home.iterdir()) == sorted([CACHE, aside, "mine.txt"])
    assert load_news("train", data_home=home, download=False).source == SOURCE_CACHE


@pytest.mark.parametrize("existed", [False, True], ids=["fresh", "with-older-files"])
@pytest.mark.parametrize("moment", ["writing-the-cache", "after-unpacking"])
def test_an_interrupted_download_leaves_nothing_half_done(tmp_path, monkeypatch,
                                                          fake_download, existed, moment):
    twenty, calls = fake_download
    home = tmp_path / "sk"
    before = {}
    if existed:  # a previous run's leftovers and the user's files are never touched
        (home / "20news_home" / "20news-bydate-train").mkdir(parents=True)
        (home / "20news_home" / "note").write_text("left by an older run")
        (home / "mine.txt").write_text("a file of the user's")
        before = {p: p.read_bytes() if p.is_file() else None for p in home.rglob("*")}
    interrupted = []

    def open_then_interrupt(path, mode="r", *args, **kwargs):
        handle = open(path, mode, *args, **kwargs)
        if "w" in mode:
            real_write = handle.write

            def write(data):
                real_write(data[:len(data) // 2])  # half the cache on disk, then Ctrl-C
                interrupted.append(Path(path))
                raise KeyboardInterrupt
            handle.write = write
        return handle

    def unpacked_then_interrupt(folder, *args, **kwargs):
        # the archive is unpacked (the 34 MiB of the real one) when Ctrl-C comes
        interrupted.append(sorted(p.name for p in Path(folder).iterdir()))
        raise KeyboardInterrupt

    if moment == "writing-the-cache":
        monkeypatch.setattr(twenty, "open", open_then_interrupt, raising=False)
    else:
        monkeypatch.setattr(twenty, "load_files", unpacked_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_news("train", data_home=home, download=True)
    assert calls and interrupted, "the download ran and was interrupted"
    if existed:
        assert {p: p.read_bytes() if p.is_file() else None for p in home.rglob("*")} == before
    else:
        assert not home.exists(), "the folder this run created is gone again"


def test_a_damaged_cache_that_cannot_be_moved_is_left_alone(tmp_path, monkeypatch, isolated):
    home = tmp_path / "sk"
    blob = half_cache(home)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied (refused by the test)")

    monkeypatch.setattr(news.os, "link", refuse)
    monkeypatch.setattr(news.os, "rename", refuse)
    data = load_news("train", data_home=home, download=True)
    assert data.source == SOURCE_SYNTHETIC
    assert "is damaged" in data.message and "could not be moved aside" in data.message
    assert "move or delete it yourself" in data.message and "download failed" not in data.message
    # not used, not replaced by a download, not deleted
    assert isolated == [] and (home / CACHE).read_bytes() == blob
    assert sorted(p.name for p in home.iterdir()) == [CACHE]
