"""`python course.py site` builds a website that works offline, looked at in the real Chromium of
the browser test: every page loads, maths is typeset, images show, pages link to each other, the
Colab cell is left out and the check cell's code folded, the pages of docs/ are in the navigation,
and no request leaves the machine. Built from notebook 01 executed here and notebook 02 as shipped,
not from a second run of the whole course."""
import functools
import http.server
import os
import threading
from urllib.parse import urlparse

import jupytext
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


def tagged_source(tag):
    """The source of notebook 01's cell tagged `tag`."""
    return next(cell.source for cell in jupytext.read(course.notebook_path("01")).cells if tag in course.tags(cell))


def words(text):
    return " ".join(text.split())


def test_a_notebook_page_leaves_out_the_colab_cell_and_folds_the_check_cells_code(site, server, browser):
    page, requested = visit(browser, f"{server}/notebooks/01_sequences_and_one_hot.html")
    everything = words(page.locator("article").text_content())  # hidden text included
    colab = tagged_source("colab").splitlines()
    assert colab[0].startswith("# Google Colab only")
    assert [line for line in colab if line.strip() and words(line) in everything] == []
    check = page.locator(".cell.tag_check")
    assert check.count() == 1
    toggle = check.locator("details")  # the code, folded: a closed toggle
    assert toggle.count() == 1 and toggle.get_attribute("open") is None
    code = toggle.locator(".cell_input")
    assert words(code.text_content()) == words(tagged_source("check")) and not code.is_visible()
    printed = check.locator(".cell_output")
    assert printed.is_visible() and printed.inner_text().startswith("check passed")
    assert printed.evaluate("output => !output.closest('details')")  # the printed line is not folded
    toggle.locator("summary").click()
    assert code.is_visible()
    assert outside(requested) == []
    page.close()


def test_the_docs_pages_are_in_the_navigation_and_their_links_lead_on(site, server, browser):
    pages = course.doc_pages()
    assert {"instructors", "testing", "platforms", "dependencies", "corpora"} <= {page.stem for page in pages}
    page, requested = visit(browser, f"{server}/index.html")
    navigation = page.get_by_role("navigation", name="Main")
    assert course.DOCS_CAPTION in navigation.inner_text()
    linked = navigation.locator("a[href^='docs/']").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert linked == [f"docs/{doc.stem}.html" for doc in pages]
    for doc in pages:
        page.goto(f"{server}/index.html", wait_until="load")
        page.get_by_role("navigation", name="Main").locator(f"a[href='docs/{doc.stem}.html']").click()
        page.wait_for_load_state("load")
        title = doc.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").replace("'", "’")  # typographic quotes
        assert page.url.endswith(f"docs/{doc.stem}.html") and title in page.locator("article h1").inner_text()
    page.close()
    page, more = visit(browser, f"{server}/docs/corpora.html")
    page.locator("article a[href$='course_lib/corpora/README.html']").first.click()
    page.wait_for_load_state("load")
    assert "python_help_topics.txt" in page.locator("article").inner_text()
    assert outside(requested + more) == []
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


def test_the_site_tags_fold_the_check_and_drop_the_colab_cell_and_leave_the_rest():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("fetch()", metadata={"tags": ["colab"]}),
                      nbformat.v4.new_code_cell("x = 1"),
                      nbformat.v4.new_code_cell("assert x", metadata={"tags": ["check"]})]
    sources = [cell.source for cell in notebook.cells]
    marked = course.for_the_site(notebook)
    assert [course.tags(cell) for cell in marked.cells] == [["colab", "remove-cell"], [], ["check", "hide-input"]]
    assert [cell.source for cell in marked.cells] == sources
    assert [course.tags(cell) for cell in course.for_the_site(marked).cells][2] == ["check", "hide-input"]
