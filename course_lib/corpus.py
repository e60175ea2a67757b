"""Text to learn from: two corpora that ship with every Python, books downloaded once and cached.

    python_docs_text()     about 465,000 characters of English (the Python help topics)
    python_source_text()   the standard library's own source code, Karpathy's "code" corpus
    book_text("time_machine")   downloaded when online, cached, verified by checksum
    Path("any.txt").read_text() any text file of your own works the same way
"""
import hashlib
import os
import sysconfig
import urllib.error
import urllib.request
from pathlib import Path

import pydoc_data.topics

BOOKS = {  # name: (address, "algorithm:hex digest" of the exact file)
    "time_machine": ("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt",
                     "sha1:090b5e7e70c295757f55df93cb0a180b9691891a"),
}
OFFLINE_HELP = ("Offline, use python_docs_text() or python_source_text() from course_lib.corpus, "
                "or any text file of your own: Path('book.txt').read_text(encoding='utf-8').")


def python_docs_text():
    """About 465,000 characters of English: the Python help topics, in a fixed order."""
    topics = pydoc_data.topics.topics
    return "".join(topics[name] for name in sorted(topics))


def python_source_text(characters=1_000_000):
    """The first `characters` of the standard library's top-level modules, in name order."""
    parts, total = [], 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        parts.append(path.read_text(encoding="utf-8", errors="replace"))
        total += len(parts[-1])
        if total >= characters:
            break
    return "".join(parts)[:characters]


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
