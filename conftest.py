"""Collect every notebooks/NN_name.py source and execute it with nbval, twice: as shipped
(exercises unsolved) and as a stuck student solves it (each exercise's `# solution("NAME")`
line uncommented, nothing else changed). Test ids look like notebooks/01_x.py::solved::Cell 12.

Beyond "no cell raises":
- the cell after each exercise is tagged "checker": unsolved it must print a ✗ line (saying
  what is missing), solved it must print ✓ lines and no ✗ line; a checker cell that goes on
  when the answer is right (`if check_...:`) must, solved, print what it goes on to compute;
- the two runs are two fresh-kernel runs of the same notebook, so their check cells must print
  the same "check passed" line (durations aside): a rerun gives the same checked figures;
- every kernel runs with the network switched off (tests/offline.py), loopback excepted, in a
  notebooks/ folder of its own, so that what one run writes (08's checkpoint) the other never reads;
- no wait is a fixed few seconds (nbval waits 5 s for a cell's output and 10-30 s for a new
  kernel): a slow or busy laptop gets course.CELL_TIMEOUT everywhere.

For the notebooks with widgets (07, 08, 10, 11, 12), when tests/test_browser.py runs in the same session
and a Chromium is at hand, the unsolved run is the browser test's own: JupyterLab's Run All
Cells, started beside the solved kernel (tests/browser_session.py). Its cell tests then read
what each cell printed from the page; the run reached its check cell, so no cell raised.

The two runs of a notebook go at once, as "Run All" does in JupyterLab: both kernels start, and
each gets all its cells queued, when the notebook's first test begins; each cell's test then
reads that cell's reply and outputs, in order. Each of the two kernels uses one thread (two
PyTorch threads per kernel would be four on a 2-core laptop, spinning against each other).
"""
import os
import shutil
import sys
import tempfile
import subprocess
import queue
import re
import threading
import time
from collections import defaultdict
from pathlib import Path
from queue import Empty

import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel, start_new_kernel
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

from course import CELL_TIMEOUT, NOTEBOOKS, read_notebook, tags

TESTS = Path(__file__).resolve().parent / "tests"
sys.path.insert(0, str(TESTS))  # the helpers beside the tests: tests/browser_session.py
import browser_session  # noqa: E402

DURATION = re.compile(r"\d[\d,.]* ?(s|ms|seconds|minutes|chars/s|characters/s)\b")
checked_figures = {}  # notebook path -> (variant, its "check passed" line, durations masked)
SWITCH_NETWORK_OFF = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
import offline
offline.switch_network_off()
sys.path.remove({str(TESTS)!r})
"""


class PatientKernel(RunningKernel):
    """nbval's kernel, started with the course's timeout and with the network switched off.
    Cells may be queued ahead (`queue_cells`); a thread keeps reading the kernel's output
    channel, so that no output is lost while the tests read another kernel."""

    def __init__(self, cwd, threads=None):
        threading_option = {"env": {**os.environ, "OMP_NUM_THREADS": str(threads)}} if threads else {}
        self.outputs = None  # read directly until the reader thread starts
        self.km, self.kc = start_new_kernel(startup_timeout=CELL_TIMEOUT, kernel_name=CURRENT_ENV_KERNEL_NAME,
                                            stderr=subprocess.DEVNULL, cwd=cwd, **threading_option)
        self._ensure_iopub_up()
        self.run_quietly(SWITCH_NETWORK_OFF)
        self.queued = []  # (source, msg_id) of cells sent ahead, in order
        self.outputs = queue.Queue()
        self.reading = True
        self.reader = threading.Thread(target=self._read_outputs, daemon=True)
        self.reader.start()

    def _read_outputs(self):
        while self.reading:
            try:
                self.outputs.put(self.kc.get_iopub_msg(timeout=0.2))  # a polling period, not a limit
            except Empty:
                continue
            except Exception as error:  # handed to the test that reads next, not lost with the thread
                self.outputs.put(error)
                return

    def get_message(self, stream, timeout=None):
        if stream == "iopub" and self.outputs is not None:
            message = self.outputs.get(timeout=timeout)
            if isinstance(message, Exception):
                raise RuntimeError("reading the kernel's output failed") from message
            return message
        return super().get_message(stream, timeout)

    def queue_cells(self, sources):
        send = super().execute_cell_input
        self.queued = [(source, send(source, allow_stdin=False)) for source in sources]

    def execute_cell_input(self, cell_input, allow_stdin=None):
        if not self.queued:
            return super().execute_cell_input(cell_input, allow_stdin)
        source, msg_id = self.queued.pop(0)
        assert source == cell_input, "cells must be read in the order they were queued"
        return msg_id

    def stop(self):
        self.reading = False
        self.reader.join()
        super().stop()

    def _ensure_iopub_up(self):
        deadline = time.monotonic() + CELL_TIMEOUT
        while time.monotonic() < deadline:
            msg_id = self.kc.kernel_info()
            self.await_reply(msg_id, timeout=CELL_TIMEOUT)
            try:
                self.await_idle(msg_id, 1)  # not a limit: until the deadline, ask again
                return
            except Empty:
                continue
        raise RuntimeError(f"the kernel's output channel did not open in {CELL_TIMEOUT} s")

    def run_quietly(self, code):
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = self.kc.get_shell_msg(timeout=CELL_TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")


class NotebookCell(IPyNbCell):
    """One cell, run in its notebook's kernel; checker cells must give the right verdict."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_timeout = CELL_TIMEOUT  # nbval's own is 5 s after the cell ends

    def runtest(self):
        if self.parent.kernel is None and self.parent.in_browser:
            printed = browser_session.session().printed(self.parent.parent.path.stem)[self.cell_num]
        else:
            super().runtest()
            printed = "".join(out.get("text", "") for out in self.test_outputs if out.get("name") == "stdout")
        if "check" in tags(self.cell):
            self.compare_with_the_other_run(printed)
        if "checker" in tags(self.cell):
            verdicts = [line[0] for line in printed.splitlines() if line[:1] in ("✓", "✗")]
            if self.parent.solved and (not verdicts or "✗" in verdicts):
                self.raise_cell_error("with the solution loaded, the checker must print only ✓ lines",
                                      printed)
            if not self.parent.solved and "✗" not in verdicts:
                self.raise_cell_error("with the exercise unsolved, the checker must print a ✗ line",
                                      printed)
            runs_on = re.search(r"^if check_\w+\(", self.cell.source, flags=re.MULTILINE)
            if self.parent.solved and runs_on and not [line for line in printed.splitlines()
                                                       if line.strip() and line[:1] not in ("✓", "✗")]:
                self.raise_cell_error("with the solution loaded, a checker cell that goes on when the answer "
                                      "is right (`if check_...:`) must print what it goes on to compute", printed)


    def compare_with_the_other_run(self, printed):
        lines = [line for line in printed.splitlines() if line.startswith("check passed")]
        if len(lines) != 1:
            self.raise_cell_error("the check cell must print one line starting 'check passed'", printed)
        variant = "solved" if self.parent.solved else "unsolved"
        figures = DURATION.sub("<duration>", lines[0])
        other = checked_figures.setdefault(self.parent.path, (variant, figures))
        if other[0] != variant and other[1] != figures:
            self.raise_cell_error("a second run of the notebook printed other checked figures",
                                  f"{other[0]} run: {other[1]}\n{variant} run: {figures}")


class NotebookRun(IPyNbFile):
    """One execution of a .py notebook source in a fresh kernel (nbval's file collector)."""

    def __init__(self, *args, solved, **kwargs):
        super().__init__(*args, **kwargs)
        self.solved = solved
        self.compare_outputs = False  # outputs are not stored; the check cell asserts

    def setup(self):
        # None when the run is in the browser, or when every selected cell is skipped
        self.kernel = self.parent.kernels.get(self.name)
        self.in_browser = self.name == "unsolved" and self.parent.in_browser

    def collect(self):
        self.nb = read_notebook(self.path, solved=self.solved)
        code_cells = [cell for cell in self.nb.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(find_comment_markers(cell.source))
            options.setdefault("check", False)
            yield NotebookCell.from_parent(self, name=f"Cell {number}", cell_num=number,
                                           cell=cell, options=options)


class NotebookSource(pytest.File):
    """A notebook source: its unsolved and solved runs, executed at once in two kernels."""

    def setup(self):
        cells_to_run = defaultdict(list)  # run name -> sources of its selected cells, in order
        for item in self.session.items:
            if item.parent.parent is self and not item.options["skip"]:
                cells_to_run[item.parent.name].append(item.cell.source)
        self.in_browser = "unsolved" in cells_to_run and self.runs_in_the_browser()
        if self.in_browser:  # the browser test's run of the notebook as shipped stands in for nbval's
            browser_session.session().start(self.path.stem)
            del cells_to_run["unsolved"]
        threads = 1 if len(cells_to_run) > 1 or self.in_browser else None
        self.kernels, self.folders = {}, []
        for name, sources in cells_to_run.items():
            # each run in a notebooks/ folder of its own, so that what one writes beside it
            # (08's ../checkpoints/) is not what the other reads
            self.folders.append(Path(tempfile.mkdtemp(prefix=f"{self.path.stem}-{name}-")))
            (self.folders[-1] / "notebooks").mkdir()
            shutil.copytree(NOTEBOOKS.parent / "results", self.folders[-1] / "results")  # what 06 and 09 read
            self.kernels[name] = PatientKernel(cwd=str(self.folders[-1] / "notebooks"), threads=threads)
            self.kernels[name].queue_cells(sources)

    def runs_in_the_browser(self):
        """True for a notebook with widgets when the browser test runs in this session too: its
        run in JupyterLab then proves what nbval's unsolved run would (every cell runs, each
        checker prints a ✗ line, the check cell prints the solved run's figures)."""
        return (self.path.stem in browser_session.WIDGET_NOTEBOOKS and browser_session.chromium_available()
                and any(Path(str(item.fspath)).name == "test_browser.py" for item in self.session.items))

    def teardown(self):
        for kernel in self.kernels.values():
            if hasattr(kernel, "km"):  # not stopped yet, alive or dead
                kernel.stop()
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)

    def collect(self):
        for variant in ("unsolved", "solved"):
            yield NotebookRun.from_parent(self, path=self.path, name=variant,
                                          nodeid=f"{self.nodeid}::{variant}",
                                          solved=variant == "solved")


class NotAModule(pytest.File):
    """A notebook source named on the command line, seen by pytest's Python plugin: collects
    nothing, since importing the source as a test module would run the whole notebook in pytest."""

    def collect(self):
        return []


def is_notebook_source(file_path):
    return file_path.parent == NOTEBOOKS and file_path.suffix == ".py" and file_path.name[:2].isdigit()


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if is_notebook_source(module_path):
        return NotAModule.from_parent(parent, path=module_path)


def pytest_collection_modifyitems(items):
    """The browser test after the notebook tests (pytest's sort is stable): a notebook with
    widgets then runs in the browser beside its solved run, and the browser test uses the
    widgets of the finished page."""
    items.sort(key=lambda item: Path(str(item.fspath)).name == "test_browser.py")


def reliability_module(session):
    return next((item.module for item in session.items if Path(str(item.fspath)).name == "test_reliability.py"),
                None)


def pytest_collection_finish(session):
    """Start the reliability trainings now (tests/test_reliability.py), beside the tests before
    them, when those are plain tests that run in this process on one core; not when a notebook
    comes first (its two kernels take both cores), and not when nothing will run."""
    module = reliability_module(session)
    option = session.config.option
    if module is None or session.testsfailed or option.collectonly or option.setuponly or option.setupplan:
        return
    first = next(index for index, item in enumerate(session.items) if getattr(item, "module", None) is module)
    if all(isinstance(item, pytest.Function) for item in session.items[:first]):
        module.start_trainings(session.items)


def pytest_sessionfinish(session):
    browser_session.close()
    module = reliability_module(session)
    if module is not None:
        module.stop_trainings()


def pytest_configure(config):
    config.option.nbval_cell_timeout = CELL_TIMEOUT


def pytest_collect_file(file_path, parent):
    if is_notebook_source(file_path):
        return NotebookSource.from_parent(parent, path=file_path)
