"""JupyterLab on 127.0.0.1 and Debian's Chromium driven by playwright: one of each per test
session, started when a test first needs them, stopped at the session's end (conftest.py).

Each notebook opens in a tab of its own and runs with Run > Run All Cells, as a student runs it.
Its kernel uses one PyTorch thread (the other core is Chromium's, or another run's) and has the
network switched off by an IPython start-up file (tests/offline.py), as the nbval kernels do.

It needs a Chromium: /usr/bin/chromium (Debian, Ubuntu: `apt-get install chromium`), or the
path in $RNN_COURSE_CHROMIUM (e.g. Google Chrome on macOS).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("RNN_COURSE_CHROMIUM", "/usr/bin/chromium")
NO_CHROMIUM = (f"no Chromium at {CHROMIUM}: install it (Debian, Ubuntu: `apt-get install chromium`) "
               "or set RNN_COURSE_CHROMIUM to a Chromium or Chrome executable to run the browser test")
TOKEN = "rnn-course-browser-test"
# One generous limit for every wait (server start, kernel start, a notebook's run, a widget's
# answer): a slow or busy laptop only takes longer, and a passing test never waits for it.
PATIENCE = 2400  # notebook 08 alone took 11 minutes here on one thread, on the slowest machine seen
LAB_SETTINGS = {  # no news popup; the notebook's kernel started without asking; every cell kept
    # in the page so its text can be found
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none", "autoStartDefaultKernel": True},
}
SWITCH_NETWORK_OFF = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import offline
offline.switch_network_off()
sys.path.remove({str(ROOT / "tests")!r})
del offline
"""
# The notebooks with widgets, and the text their check cell prints once every cell has run.
WIDGET_NOTEBOOKS = {
    "07_tao_learns_sums": "check passed: Tao",
    "08_text_generation": "check passed: LSTM",
    "10_what_the_cells_learned": "check passed: held-out",
    "11_attention": "check passed: length",
    "12_which_language": "check passed: reader",
}


def chromium_available():
    return Path(CHROMIUM).exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BrowserSession:
    """JupyterLab serving a scratch copy of the notebooks, and a Chromium showing it."""

    def __init__(self):
        from playwright.sync_api import sync_playwright  # only a browser run needs it

        self.root = Path(tempfile.mkdtemp(prefix="rnn-course-lab-"))
        shutil.copytree(ROOT / "notebooks", self.root / "notebooks")
        shutil.copytree(ROOT / "results", self.root / "results")  # the results files that 11 reads
        settings = self.root / "settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values), encoding="utf-8")
        startup = self.root / "ipython" / "profile_default" / "startup" / "00-network-off.py"
        startup.parent.mkdir(parents=True)
        startup.write_text(SWITCH_NETWORK_OFF, encoding="utf-8")
        port = free_port()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={self.root}",
             f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={self.root / 'workspaces'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "OMP_NUM_THREADS": "1", "IPYTHONDIR": str(self.root / "ipython")})
        self.url = f"http://127.0.0.1:{port}"
        self.pages = {}
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={TOKEN}", timeout=PATIENCE)
                break
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.server.kill()
                    raise RuntimeError(f"JupyterLab did not start within {PATIENCE} s") from None
                time.sleep(0.5)
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}?token={TOKEN}", method=method)
        with urllib.request.urlopen(request, timeout=PATIENCE) as reply:
            return json.loads(reply.read() or "null")

    def kernel_state(self, name):
        """The server's word on the kernel of notebooks/<name>.ipynb: None before it has one."""
        for session in self.api("sessions"):
            if session["path"].endswith(f"{name}.ipynb") and session.get("kernel"):
                return session["kernel"]["execution_state"]
        return None

    def start(self, name):
        """Open notebooks/<name>.ipynb and click Run All Cells (once a session); returns its page."""
        if name in self.pages:
            return self.pages[name]
        page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(PATIENCE * 1000)
        page.goto(f"{self.url}/lab/tree/notebooks/{name}.ipynb?reset&token={TOKEN}")  # only this notebook open
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        wait_until(page, lambda: idle.count() and self.kernel_state(name) == "idle",
                   "the notebook's kernel was not started and idle")
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        self.pages[name] = page
        return page

    def finished(self, name):
        """The page of notebooks/<name>.ipynb once every cell has run (its check cell has
        printed). A cell that raises stops Run All: that fails at once, with the page's
        error output, rather than after PATIENCE."""
        page, finished_text = self.start(name), WIDGET_NOTEBOOKS[name]
        done = page.locator(".jp-OutputArea-output", has_text=finished_text)
        queued = page.locator(".jp-InputPrompt", has_text="[*]")  # a cell waiting or running
        deadline = time.monotonic() + PATIENCE
        while not done.count():
            # a cell's prompt loses its * only after all its outputs are shown
            if queued.count() == 0 and self.kernel_state(name) == "idle" and not done.count():
                self.fail(page, name, "stopped before its check cell")
            if time.monotonic() > deadline:
                self.fail(page, name, f"did not finish within {PATIENCE} s")
            accept_kernel_dialog(page)
            page.wait_for_timeout(500)
        return page

    def fail(self, page, name, what):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}_unfinished.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError(f"{name} {what}; its last error outputs: {errors.all_inner_texts()[-3:]}")

    def printed(self, name):
        """What each code cell of the finished notebook printed to stdout, in order."""
        page = self.finished(name)
        return page.locator(".jp-Notebook .jp-CodeCell").evaluate_all(
            "cells => cells.map(cell => [...cell.querySelectorAll("
            "\".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']\")]"
            ".map(output => output.innerText).join(''))")

    def close(self):
        for kernel in self.api("kernels"):  # stop every kernel, so that none goes on training
            self.api(f"kernels/{kernel['id']}", method="DELETE")
        self.browser.close()
        self.playwright.stop()
        self.server.terminate()
        self.server.wait(timeout=PATIENCE)
        shutil.rmtree(self.root, ignore_errors=True)


def accept_kernel_dialog(page):
    """JupyterLab may ask which kernel to start, though the notebook names its kernel and the
    settings say to start it: accept its choice."""
    select = page.get_by_role("button", name="Select", exact=True)
    if select.is_visible():
        select.click()


def wait_until(page, done, what):
    deadline = time.monotonic() + PATIENCE
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {PATIENCE} s")
        accept_kernel_dialog(page)
        page.wait_for_timeout(500)


_session = None


def session():
    """The session's JupyterLab and Chromium, started on first use."""
    global _session
    if _session is None:
        _session = BrowserSession()
    return _session


def close():
    global _session
    if _session is not None:
        _session.close()
        _session = None
