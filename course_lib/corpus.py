"""Text to learn from: two corpora that ship with the course, books downloaded once and cached.

    python_docs_text()     about 465,000 characters of English (the Python 3.11.7 help topics)
    python_source_text()   up to a million characters of the Python 3.11.7 standard library's
                           source code, Karpathy's "code" corpus
    surnames()             14,633 (language, surname) pairs in 8 languages, from Faker's lists
    book_text("time_machine")   downloaded when online, cached, verified by checksum
    Path("any.txt").read_text() any text file of your own works the same way

The shipped texts are files in course_lib/corpora/ (its README says where they come from
and under which licence), so that every Python reads the same characters and trains the same
figures; each is checked against its SHA-256 whenever it is read.
"""
import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

CORPORA = Path(__file__).resolve().parent / "corpora"
SHIPPED = {  # name: (file in CORPORA, its SHA-256)
    "python_docs": ("python_help_topics.txt",
                    "37d06970fc926e60c16dff401e441b84752446a36b6b64516c229fdec77e992c"),
    "python_source": ("python_stdlib_source.txt",
                      "f0629bfb63e70fb520773a6b72dc3f7c443fc3fe0ccac0b91efa01595d250381"),
    "surnames": ("surnames.tsv", "03cd71d9e2798b7d0478b95921f30837da4fe69d751b398225bf40f4ba86bacf"),
}
BOOKS = {  # name: (address, "algorithm:hex digest" of the exact file)
    "time_machine": ("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt",
                     "sha1:090b5e7e70c295757f55df93cb0a180b9691891a"),
}
OFFLINE_HELP = ("Offline, use python_docs_text() or python_source_text() from course_lib.corpus, "
                "or any text file of your own: Path('book.txt').read_text(encoding='utf-8').")


class CorpusDamaged(RuntimeError):
    """A shipped corpus file that is missing or whose bytes are not the ones the course ships."""


def shipped_text(name):
    """The text of a shipped corpus, after checking its bytes against their SHA-256."""
    filename, sha256 = SHIPPED[name]
    path = CORPORA / filename
    try:
        data = path.read_bytes()  # bytes, not read_text: no newline translation on any platform
    except FileNotFoundError:
        raise CorpusDamaged(f"{path} is missing; get the course again (git clone or the zip)") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise CorpusDamaged(f"{path} is not the file the course ships (its SHA-256 differs): "
                            f"restore it with `git checkout -- {path.name}` in {CORPORA}, or get the course again")
    return data.decode("utf-8")


def text_checksum(text):
    """A short fingerprint of a text (the first 12 hex digits of its UTF-8 SHA-256): two runs that
    print the same one trained on the same characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def python_docs_text():
    """About 465,000 characters of English: the Python 3.11.7 help topics, in topic-name order."""
    return shipped_text("python_docs")


def python_source_text(characters=1_000_000):
    """The first `characters` (at most a million) of the Python 3.11.7 standard library's
    top-level modules, in file-name order."""
    text = shipped_text("python_source")
    if characters > len(text):
        raise ValueError(f"the shipped source has {len(text):,} characters; ask for at most that many")
    return text[:characters]


def surnames():
    """[(language, surname), ...]: 14,633 surnames in 8 languages, each name in one language only
    (the surname lists of the Faker package's locales; course_lib/corpora/README.md)."""
    return [tuple(line.split("\t")) for line in shipped_text("surnames").splitlines()]


def split_text(text, held_out=0.1):
    """(train, validation): the last `held_out` fraction of the text is held out."""
    cut = int(len(text) * (1 - held_out))
    return text[:cut], text[cut:]


class CorpusUnavailable(RuntimeError):
    """A download that could not be done; the message says what to use instead."""


def default_cache():
    return Path(os.environ.get("RNN_COURSE_CACHE", Path.home() / ".cache" / "rnn-course"))


def digest_matches(data, checksum):
    algorithm, expected = checksum.split(":")
    return hashlib.new(algorithm, data).hexdigest() == expected


def cached_download(url, checksum, cache=None, timeout=20):
    """The path of `url`'s file in the cache, downloading it first if it is missing or damaged.

    The file is written under a temporary name and renamed only once its checksum is right,
    so an interrupted or wrong download never leaves a file that looks complete.
    """
    cache = Path(cache) if cache is not None else default_cache()
    target = cache / url.rsplit("/", 1)[-1]
    if target.is_file() and digest_matches(target.read_bytes(), checksum):
        return target
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CorpusUnavailable(f"could not download {url} ({reason}); are you offline? "
                                f"{OFFLINE_HELP}") from error
    if not digest_matches(data, checksum):
        raise CorpusUnavailable(f"{url} sent a file whose checksum is not {checksum}; nothing was "
                                f"saved. {OFFLINE_HELP}")
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def book_text(name, cache=None):
    """A public-domain book from BOOKS, from the cache or downloaded into it."""
    if name not in BOOKS:
        raise KeyError(f"no book called {name!r}; the books are: {', '.join(sorted(BOOKS))}")
    url, checksum = BOOKS[name]
    return cached_download(url, checksum, cache).read_text(encoding="utf-8")
