import hashlib
import http.server
import socket
import threading

import pytest

import course_lib.corpus
from course_lib.corpus import (CORPORA, SHIPPED, CorpusDamaged, CorpusUnavailable, book_text, cached_download,
                               python_docs_text, python_source_text, split_text, surnames, text_checksum)

BOOK = "It was the best of times, it was the worst of times.\n".encode() * 100
CHECKSUM = "sha256:" + hashlib.sha256(BOOK).hexdigest()


def test_offline_corpora_are_large_and_the_same_every_time():
    text = python_docs_text()
    assert len(text) > 400_000 and text == python_docs_text()
    code = python_source_text(200_000)
    assert len(code) == 200_000 and "def " in code and code == python_source_text(200_000)


def test_shipped_corpora_are_the_files_the_course_names():
    """The bytes on disk, hashed here independently of the loader, are the ones SHIPPED names,
    and the corpora README states the same digests."""
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    for filename, sha256 in SHIPPED.values():
        assert hashlib.sha256((CORPORA / filename).read_bytes()).hexdigest() == sha256
        assert f"`{filename}`" in readme and sha256 in readme
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in (CORPORA / "LICENSE-PSF.txt").read_text(encoding="utf-8")
    assert "Copyright (c) 2012 Daniele Faraglia" in (CORPORA / "LICENSE-FAKER.txt").read_text(encoding="utf-8")


def test_the_surnames_are_eight_languages_of_at_least_a_thousand_names_each_and_no_name_in_two():
    names = surnames()
    per_language = {}
    for language, name in names:
        per_language.setdefault(language, set()).add(name)
    assert len(per_language) == 8 and min(map(len, per_language.values())) >= 1000
    assert len({name for _, name in names}) == len(names) == 14_633      # each name once, in one language
    assert all(name.strip() == name and 2 <= len(name) <= 20 and not any(c.isdigit() for c in name)
               for _, name in names)


def test_the_texts_do_not_depend_on_the_interpreter():
    """The checksums the notebooks print are the same on every Python: nothing is read from it."""
    assert text_checksum(python_docs_text()) == "37d06970fc92"
    assert text_checksum(python_source_text()) == "f0629bfb63e7"
    assert len(python_docs_text()) == 464_970 and len(python_source_text()) == 1_000_000
    with pytest.raises(ValueError, match="at most"):
        python_source_text(1_000_001)


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_damaged_corpus_is_refused_with_a_way_to_restore_it(tmp_path, monkeypatch, damage):
    filename = SHIPPED["python_docs"][0]
    if damage == "changed":
        (tmp_path / filename).write_bytes((CORPORA / filename).read_bytes().replace(b"for", b"fur", 1))
    monkeypatch.setattr(course_lib.corpus, "CORPORA", tmp_path)
    with pytest.raises(CorpusDamaged, match="missing" if damage == "missing" else "git checkout"):
        python_docs_text()


def test_split_holds_out_the_end():
    train, validation = split_text("abcdefghij", held_out=0.2)
    assert (train, validation) == ("abcdefgh", "ij")


@pytest.fixture
def server():
    """A local HTTP server that serves BOOK at /book.txt and counts the requests."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(BOOK)))
            self.end_headers()
            self.wfile.write(BOOK)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/book.txt", requests
    httpd.shutdown()


def test_download_is_verified_cached_and_fetched_once(server, tmp_path):
    url, requests = server
    path = cached_download(url, CHECKSUM, cache=tmp_path)
    assert path.read_bytes() == BOOK
    assert cached_download(url, CHECKSUM, cache=tmp_path) == path
    assert len(requests) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["book.txt"]


def test_a_damaged_cached_file_is_downloaded_again(server, tmp_path):
    url, requests = server
    (tmp_path / "book.txt").write_bytes(BOOK[:100])
    assert cached_download(url, CHECKSUM, cache=tmp_path).read_bytes() == BOOK
    assert len(requests) == 1


def test_a_wrong_checksum_saves_nothing(server, tmp_path):
    url, _ = server
    with pytest.raises(CorpusUnavailable, match="checksum"):
        cached_download(url, "sha256:" + "0" * 64, cache=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_offline_download_names_the_offline_corpora(tmp_path):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CorpusUnavailable, match="python_docs_text"):
        cached_download(f"http://127.0.0.1:{port}/book.txt", CHECKSUM, cache=tmp_path, timeout=2)
    assert list(tmp_path.iterdir()) == []


def test_unknown_book_lists_the_known_ones(tmp_path):
    with pytest.raises(KeyError, match="time_machine"):
        book_text("moby_dick", cache=tmp_path)
