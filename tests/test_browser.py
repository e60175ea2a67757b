"""The widgets in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven by playwright.

Opens notebooks 06 and 07, runs every cell, types into the widgets, clicks, and reads the
answers from the page. Screenshots go to test-artifacts/. About 5 minutes on 2 cores.
Needs /usr/bin/chromium (the README's test command installs it: `apt-get install chromium`).
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
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
TOKEN = "rnn-course-browser-test"
LAB_SETTINGS = {  # no news popup; every cell kept in the page so its text can be found
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a scratch copy of the notebooks; yields its address."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `apt-get install -y chromium`"
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
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url
    kernels = json.load(urllib.request.urlopen(f"{url}/api/kernels?token={TOKEN}"))
    for kernel in kernels:  # stop every kernel, so that none goes on training after the test
        urllib.request.urlopen(urllib.request.Request(
            f"{url}/api/kernels/{kernel['id']}?token={TOKEN}", method="DELETE"))
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def run_all_cells(browser, lab, name, finished_text, seconds):
    """Open notebooks/<name>.ipynb in JupyterLab, run every cell, wait for `finished_text`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab}/lab/tree/notebooks/{name}.ipynb?reset&token={TOKEN}")  # only this notebook open
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    try:  # JupyterLab sometimes asks which kernel to start, though the notebook names one
        page.get_by_role("button", name="Select", exact=True).click(timeout=10_000)
    except PlaywrightTimeout:
        pass
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first).to_be_attached(
        timeout=60_000)
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    finished = page.locator(".jp-OutputArea-output", has_text=finished_text)
    try:
        expect(finished).to_have_count(1, timeout=seconds * 1000)
    except AssertionError:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}_unfinished.png"))
        errors = page.locator(".jp-OutputArea-output [data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError(f"{name} did not finish in {seconds} s; stderr outputs: "
                             f"{errors.all_inner_texts()[-3:]}") from None
    return page


def screenshot(page, element, name):
    ARTIFACTS.mkdir(exist_ok=True)
    element.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_tao_answers_sums_typed_in_the_browser(browser, lab):
    page = run_all_cells(browser, lab, "06_learning_to_add", "check passed: LSTM", 400)
    question = page.locator("input[placeholder='3+4=?']")
    box = question.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    for typed, answer in [("7+5=?", "7+5=12"), ("9+9", "9+9=18"), ("x", "Tao only reads digits")]:
        question.fill(typed)
        question.press("Enter")  # the box syncs its text on Enter or blur, not on each key
        box.get_by_role("button", name="Ask").click()
        expect(box.locator(".widget-label").last).to_contain_text(answer, timeout=20_000)
    screenshot(page, box, "06_tao_widget.png")
    page.close()


def test_the_writing_box_writes_in_the_browser(browser, lab):
    page = run_all_cells(browser, lab, "07_text_generation", "check passed: LSTM", 600)
    try:
        use_the_writing_box(page)
    finally:
        screenshot(page, page.locator(".writing-prompt"), "07_writing_box.png")
    page.close()


def use_the_writing_box(page):
    prompt = page.locator(".writing-prompt textarea")
    box = prompt.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    written, note = box.locator(".writing-text textarea"), box.locator(".writing-note")
    for slider, value in [("temperature", "0"), ("length", "120")]:  # type into the readouts
        box.locator(f".writing-{slider} .widget-readout").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    for typed, expected_text, expected_note in [  # each answer differs from the one before
            ("", "^$", "Type a prompt first"),
            ("The value of ", "^The value of [\\s\\S]{120}$", "greedy"),
            ("café ", "^caf [\\s\\S]{120}$", "Left out 'é'")]:
        prompt.fill(typed)
        box.get_by_role("button", name="Write").click()
        expect(written).to_have_value(re.compile(expected_text), timeout=30_000)
        expect(note).to_contain_text(expected_note, timeout=30_000)
