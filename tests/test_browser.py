"""The widgets in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven by playwright.

Opens notebooks 06, 07 and 09 in three tabs, runs every cell of the three at once, types into
the widgets, clicks, and reads the answers from the page. Screenshots go to test-artifacts/.

It needs a Chromium: /usr/bin/chromium (Debian, Ubuntu: `apt-get install chromium`), or the
path in $RNN_COURSE_CHROMIUM (e.g. Google Chrome on macOS). Without one the test is skipped
with a message saying so; under CI (CI=true) it fails instead, so that CI always runs it.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("RNN_COURSE_CHROMIUM", "/usr/bin/chromium")
NO_CHROMIUM = (f"no Chromium at {CHROMIUM}: install it (Debian, Ubuntu: `apt-get install chromium`) "
               "or set RNN_COURSE_CHROMIUM to a Chromium or Chrome executable to run the browser test")
TOKEN = "rnn-course-browser-test"
# One generous limit for every wait (server start, kernel start, a notebook's run, a widget's
# answer): a slow or busy laptop only takes longer, and a passing test never waits for it.
PATIENCE = 2400  # notebook 07 alone took 11 minutes here on one thread, on the slowest machine seen
LAB_SETTINGS = {  # no news popup; the notebook's kernel started without asking; every cell kept
    # in the page so its text can be found
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none", "autoStartDefaultKernel": True},
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a scratch copy of the notebooks; yields its address."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    settings = root / "settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={root / 'workspaces'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # one thread for the kernel's torch, the other core for Chromium: sharing both makes torch crawl
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=PATIENCE)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start within {PATIENCE} s")
            time.sleep(0.5)
    yield url
    kernels = json.load(urllib.request.urlopen(f"{url}/api/kernels?token={TOKEN}"))
    for kernel in kernels:  # stop every kernel, so that none goes on training after the test
        urllib.request.urlopen(urllib.request.Request(
            f"{url}/api/kernels/{kernel['id']}?token={TOKEN}", method="DELETE"))
    server.terminate()
    server.wait(timeout=PATIENCE)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def kernel_state(lab, name):
    """The server's word on the kernel of notebooks/<name>.ipynb: None before it has one."""
    sessions = json.load(urllib.request.urlopen(f"{lab}/api/sessions?token={TOKEN}"))
    for session in sessions:
        if session["path"].endswith(f"{name}.ipynb") and session.get("kernel"):
            return session["kernel"]["execution_state"]
    return None


def wait_until(page, done, what):
    """Until `done()`, accepting JupyterLab's 'Select Kernel' dialog whenever it asks (it may,
    though the notebook names its kernel and the settings say to start it)."""
    select = page.get_by_role("button", name="Select", exact=True)
    deadline = time.monotonic() + PATIENCE
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {PATIENCE} s")
        if select.is_visible():
            select.click()
        page.wait_for_timeout(500)


def start_all_cells(browser, lab, name):
    """Open notebooks/<name>.ipynb in JupyterLab and click Run All Cells; returns its page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PATIENCE * 1000)
    page.goto(f"{lab}/lab/tree/notebooks/{name}.ipynb?reset&token={TOKEN}")  # only this notebook open
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    wait_until(page, lambda: idle.count() and kernel_state(lab, name) == "idle",
               "the notebook's kernel was not started and idle")
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    return page


@pytest.fixture(scope="module")
def running(request, lab, browser):  # lab first: it skips when there is no Chromium
    """The notebooks that the selected tests use, each opened in its own tab and set running at
    once, so that their kernels share the machine: notebook name -> page."""
    tests = {item.originalname for item in request.session.items if getattr(item, "module", None) is request.module}
    return {name: start_all_cells(browser, lab, name) for test, (name, _) in NOTEBOOK_OF.items() if test in tests}


def finished(running, test):
    """The page of `test`'s notebook once every cell has run (its check cell has printed)."""
    name, finished_text = NOTEBOOK_OF[test]
    page = running[name]
    try:
        wait_until(page, page.locator(".jp-OutputArea-output", has_text=finished_text).count,
                   f"{name} did not finish")
    except AssertionError as error:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}_unfinished.png"))
        errors = page.locator(".jp-OutputArea-output [data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError(f"{error}; stderr outputs: {errors.all_inner_texts()[-3:]}") from None
    return page


def screenshot(page, element, name):
    ARTIFACTS.mkdir(exist_ok=True)
    element.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


NOTEBOOK_OF = {  # test: the notebook it runs, and the text its check cell prints at the end
    "test_tao_answers_sums_typed_in_the_browser": ("06_learning_to_add", "check passed: text GRU"),
    "test_the_writing_box_writes_in_the_browser": ("07_text_generation", "check passed: LSTM"),
    "test_the_cell_explorer_colours_text_in_the_browser": ("09_what_the_cells_learned", "check passed: held-out"),
}


def test_tao_answers_sums_typed_in_the_browser(running):
    page = finished(running, "test_tao_answers_sums_typed_in_the_browser")
    question = page.locator("input[placeholder='3+4=?']")
    box = question.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    for typed, answer in [("7+5=?", "7+5=12"), ("9+9", "9+9=18"), ("x", "Tao only reads digits")]:
        question.fill(typed)
        question.press("Enter")  # the box syncs its text on Enter or blur, not on each key
        box.get_by_role("button", name="Ask").click()
        expect(box.locator(".widget-label").last).to_contain_text(answer, timeout=PATIENCE * 1000)
    screenshot(page, box, "06_tao_widget.png")
    page.close()


def test_the_writing_box_writes_in_the_browser(running):
    page = finished(running, "test_the_writing_box_writes_in_the_browser")
    try:
        use_the_writing_box(page)
    finally:
        screenshot(page, page.locator(".writing-prompt"), "07_writing_box.png")
    page.close()


def use_the_writing_box(page):
    prompt = page.locator(".writing-prompt textarea")
    box = prompt.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    written, note = box.locator(".writing-text textarea"), box.locator(".writing-note")
    for slider, value in [("temperature", "0"), ("length", "120")]:
        type_into_slider(page, box, slider, value)
    for typed, expected_text, expected_note in [  # each answer differs from the one before
            ("", "^$", "Type a prompt first"),
            ("The value of ", "^The value of [\\s\\S]{120}$", "greedy"),
            ("café ", "^caf [\\s\\S]{120}$", "Left out 'é'")]:
        prompt.fill(typed)
        box.get_by_role("button", name="Write").click()
        expect(written).to_have_value(re.compile(expected_text), timeout=PATIENCE * 1000)
        expect(note).to_contain_text(expected_note, timeout=PATIENCE * 1000)
    # 20,000 characters take many seconds to write: the text must show while it grows, and
    # Stop must end it there
    type_into_slider(page, box, "length", "20000")
    prompt.fill("The ")
    box.get_by_role("button", name="Write").click()
    page.wait_for_function("area => area.value.startsWith('The ') && area.value.length > 4 "
                           "&& area.value.length < 20004", arg=written.element_handle(),
                           timeout=PATIENCE * 1000)
    stop = box.get_by_role("button", name="Stop")
    stop.click()
    expect(stop).to_be_disabled(timeout=PATIENCE * 1000)
    stopped = written.input_value()
    assert stopped.startswith("The ") and len(stopped) < 20_004, len(stopped)


def type_into_slider(page, box, slider, value):
    """Type a value into a slider's readout, as a person who wants an exact value does."""
    box.locator(f".writing-{slider} .widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_the_cell_explorer_colours_text_in_the_browser(running):
    page = finished(running, "test_the_cell_explorer_colours_text_in_the_browser")
    coloured_characters = ("view => [...view.querySelectorAll('pre span')].filter(span => !['rgb(255, 255, 255)', "
                           "'rgba(0, 0, 0, 0)'].includes(getComputedStyle(span).backgroundColor)).length")
    printed = page.locator(".jp-OutputArea-output[data-mime-type='text/html']").first
    assert printed.evaluate(coloured_characters) > 100       # the notebook's coloured text renders coloured
    cell, view = page.locator(".explorer-cell input"), page.locator(".explorer-view")
    menu = page.locator(".explorer-feature select")
    try:
        for index in range(1, 5):  # each feature's best cell, from the menu (its labels use no-break spaces)
            menu.select_option(index=index)
            best = re.search(r"cell\s(\d+)", menu.locator("option").nth(index).text_content()).group(1)
            expect(cell).to_have_value(best, timeout=PATIENCE * 1000)
        shown = view.inner_html()
        cell.fill("3")
        cell.press("Enter")
        expect(cell).to_have_value("3")
        wait_until(page, lambda: view.inner_html() != shown, "typing a cell number did not recolour the text")
        assert view.evaluate(coloured_characters) > 100
    finally:
        screenshot(page, view, "09_cell_explorer.png")
    page.close()
