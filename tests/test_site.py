"""`python course.py site` builds a website that works offline, looked at in the real Chromium of
the browser test: every page loads, maths is typeset, images show, pages link to each other, and
no request leaves the machine. Built from notebook 01 executed here and notebook 02 as shipped,
not from a second run of the whole course."""
import functools
import http.server
import os
import threading
from urllib.parse import urlparse

import nbformat
import pytest

import browser_session
import course
from browser_session import NO_CHROMIUM, chromium_available


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    executed = tmp_path_factory.mktemp("executed")
    notebook, _, passed, verdict = course.run_notebook(course.notebook_path("01"))
    assert passed, verdict
    nbformat.write(notebook, executed / "01_sequences_and_one_hot.ipynb")
    second = course.notebook_path("02").with_suffix(".ipynb")
    (executed / second.name).write_bytes(second.read_bytes())
    return course.build_site(executed, tmp_path_factory.mktemp("site") / "html")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site.parent)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return browser_session.session().browser


def outside(requested):
    """The requested addresses that are not this machine's (about:blank and data: are the page's own)."""
    return [url for url in requested if urlparse(url).scheme in ("http", "https", "ws", "wss")
            and urlparse(url).hostname != "127.0.0.1"]


def visit(browser, url):
    """The page at `url` once loaded and typeset, and every address it asked for."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="load")
    uses_mathjax = "document.querySelector(\"script[src*='MathJax.js']\")"  # pages without maths load none
    page.wait_for_function(f"() => !{uses_mathjax} || (window.MathJax && MathJax.Hub && MathJax.Hub.Register)",
                           timeout=browser_session.PATIENCE * 1000)
    page.evaluate(f"() => new Promise(done => {uses_mathjax} ? MathJax.Hub.Register.StartupHook('End', done) : done())")
    return page, requested


def test_the_landing_page_lists_every_notebook_with_its_question_and_time(site, server, browser):
    page, requested = visit(browser, f"{server}/index.html")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "01 · Sequences and one-hot encoding" in rows.nth(0).inner_text()
    assert "minutes" in rows.nth(0).inner_text() and "?" in rows.nth(0).inner_text()
    assert "pip install" in page.locator("body").inner_text()
    page.locator("table a", has_text="01 ·").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("notebooks/01_sequences_and_one_hot.html")
    assert outside(requested) == []
    page.close()


def test_a_notebook_page_has_its_outputs_figures_diagrams_typeset_maths_and_a_next_link(site, server, browser):
    page, requested = visit(browser, f"{server}/notebooks/01_sequences_and_one_hot.html")
    assert outside(requested) == []
    assert page.locator(".MathJax").count() >= 10  # typeset formulas
    assert page.locator(".MathJax_Error, .MathJax .merror").count() == 0
    images = page.locator("article img").evaluate_all(
        "images => images.map(image => [image.getAttribute('src'), image.complete && image.naturalWidth > 0])")
    assert [src for src, shown in images if not shown] == []
    assert any(src.endswith(".svg") for src, _ in images)  # the diagrams
    assert sum(src.endswith(".png") for src, _ in images) >= 2  # matplotlib figures from the outputs
    assert "check passed" in page.locator("article").inner_text()
    next_link = page.locator(".prev-next-area a.right-next")
    assert "02" in next_link.inner_text()
    next_link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("notebooks/02_gru_by_hand.html")
    page.close()


def test_widget_outputs_become_a_note_since_a_static_page_has_no_kernel():
    notebook = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    widget = nbformat.v4.new_output("display_data", data={course.WIDGET_OUTPUT: {"model_id": "x"}, "text/plain": "VBox()"})
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})
    notebook.cells = [nbformat.v4.new_code_cell("show()", outputs=[widget, figure])]
    cleaned = course.without_widgets(notebook)
    assert "widgets" not in cleaned.metadata
    assert [output["data"] for output in cleaned.cells[0].outputs] == [{"text/plain": course.WIDGET_NOTE},
                                                                       {"image/png": "iVBOR"}]
