"""Instructor commands for the course (run from the repository root).

    python course.py run [--solved] [--out DIR] [NAME ...]
                                                execute notebooks headless, print each one's time and
                                                check result; --out keeps the executed copies
    python course.py sync                       rewrite every notebooks/*.ipynb from its .py source
    python course.py student DIR                a copy for students: no solutions, tests or outputs
    python course.py nbgrader DIR               an nbgrader course folder (nbgrader_config.py, source/):
                                                one graded assignment per notebook (docs/grading.md)
    python course.py images                     redraw the diagrams in images/
    python course.py site [--out DIR] [--executed DIR]
                                                execute the course and build its static website
    python course.py colab                      write course.REPOSITORY into every notebook's Colab cell

The .py percent files in notebooks/ are the source; the .ipynb files are their jupytext pairs.
An exercise cell is tagged "exercise": the student's stub, then as its last line
`# solution("NAME")`. A "solved" run does what a stuck student does: it uncomments that line
and nothing else. The cell after an exercise is tagged "checker" and prints ✓ or ✗ lines.
Each notebook ends with a cell tagged "check" whose assertions prove that its models learned.
"""
import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
SOLUTION_LINE = re.compile(r'^# solution\("(\w+)"\)$', re.MULTILINE)
CELL_TIMEOUT = 1200  # seconds a cell may run, here and in the tests: generous, for slow laptops
# Each notebook's time budget on the slowest laptop the course supports (the course syllabus); on a
# development machine a notebook should take at most 2/3 of it.
BUDGETS = {"01": 30, "02": 60, "03": 60, "04": 90, "05": 120, "06": 180, "07": 60, "08": 240, "09": 150, "10": 180,
           "11": 180, "12": 120}


def notebook_sources():
    """notebooks/NN_name.py, in course order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def exercise_solutions(notebook):
    """The solution names that the exercise cells of `notebook` refer to, in order."""
    names = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and "exercise" in tags(cell):
            match = SOLUTION_LINE.search(cell.source)
            if match is None:
                raise ValueError(f"exercise cell without a '# solution(\"NAME\")' line:\n{cell.source}")
            names.append(match.group(1))
    return names


def read_notebook(path, solved=False):
    """Read a .py source as a notebook; with `solved`, uncomment each exercise's solution line,
    as a stuck student does, and change nothing else."""
    notebook = jupytext.read(path)
    if solved:
        for cell in notebook.cells:
            if cell.cell_type == "code" and "exercise" in tags(cell):
                cell.source = SOLUTION_LINE.sub(r'solution("\1")', cell.source)
    return notebook


def notebook_path(number):
    """notebooks/NN_name.py for "NN"."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.py"))
    if not found:
        raise ValueError(f"no notebook numbered {number!r}: give two digits, like \"05\"")
    return found[0]


def definitions(number, *names, **namespace):
    """Notebook NN's own code for `names`, without running its trainings: its imports, then the
    first top-level statement that binds each of `names` (a def, a class, an assignment), in
    notebook order; `namespace` is set after the imports, before those statements. Returns the
    namespace. Tests and the benchmark use what a notebook teaches this way, not a copy of it."""
    path = notebook_path(number)
    imports, bindings, wanted = [], [], set(names)
    for node in ast.parse(path.read_text(encoding="utf-8")).body:  # a percent-format source is plain Python
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
            continue
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound = {node.name}
        elif isinstance(node, ast.Assign):
            bound = {name.id for target in node.targets for name in ast.walk(target)
                     if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store)}
        else:
            continue
        if bound & wanted:
            bindings.append(node)
            wanted -= bound
    if wanted:
        raise NameError(f"notebook {number} binds no {', '.join(sorted(wanted))} at the top level")
    scope = {"__name__": f"notebook_{number}"}
    exec(compile(ast.Module(imports, type_ignores=[]), str(path), "exec"), scope)
    scope.update(namespace)
    exec(compile(ast.Module(bindings, type_ignores=[]), str(path), "exec"), scope)
    return scope


def code_cells(number, *markers, **namespace):
    """Run, as they are, the code cells of notebook NN holding each of `markers`, after the
    notebook's imports, in `namespace`; returns the namespace."""
    scope = definitions(number, **namespace)
    cells = [cell.source for cell in jupytext.read(notebook_path(number)).cells if cell.cell_type == "code"]
    for marker in markers:
        source = next((source for source in cells if marker in source), None)
        if source is None:
            raise ValueError(f"no code cell of notebook {number} holds {marker!r}")
        exec(source, scope)
    return scope


def kernel_manager(directory):
    """A kernel manager that talks to its kernel over local sockets in `directory` where the
    system has them (no TCP port, no 'running over TCP without encryption' warning)."""
    if os.name == "posix":
        return KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(directory) / "kernel"))
    return KernelManager(kernel_name="python3")


def execute(notebook):
    """Run every cell of `notebook` in a fresh kernel started in notebooks/; raises CellExecutionError.

    No fixed few-second waits: a slow or busy machine gets the same generous limits everywhere."""
    with tempfile.TemporaryDirectory(prefix="rnn-course-") as sockets:
        manager = kernel_manager(sockets)
        try:
            NotebookClient(notebook, km=manager, timeout=CELL_TIMEOUT, startup_timeout=CELL_TIMEOUT,
                           iopub_timeout=CELL_TIMEOUT, raise_on_iopub_timeout=True,
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)


def run_notebook(path, solved=False):
    """Execute one notebook in a fresh kernel; return (notebook with outputs, seconds, passed, verdict)."""
    notebook = read_notebook(path, solved)
    start = time.perf_counter()
    try:
        execute(notebook)
        error = None
    except CellExecutionError as failure:
        error = failure
    seconds = time.perf_counter() - start
    if error is None:
        return notebook, seconds, True, "check passed"
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                where = "check FAILED" if "check" in tags(cell) else "ERROR before the check"
                return notebook, seconds, False, f"{where}: {output['ename']}: {output['evalue']}"
    return notebook, seconds, False, f"ERROR: {str(error).splitlines()[-1]}"


def run(names, solved, out=None):
    paths = [p for p in notebook_sources() if not names or any(n in p.stem for n in names)]
    if not paths:
        sys.exit(f"no notebook matches {names}; the notebooks are: "
                 + ", ".join(p.stem for p in notebook_sources()))
    print(f"Executing {len(paths)} notebook(s), exercises {'solved' if solved else 'unsolved'}; "
          "time, then the notebook's budget on the slowest laptop (aim: within 2/3 of it):")
    results = []
    for path in paths:
        notebook, seconds, passed, verdict = run_notebook(path, solved)
        results.append(passed)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, out / f"{path.stem}.ipynb")
        print(f"  {path.stem:<28} {seconds:7.1f} s {budget_note(path, seconds)}   {verdict}", flush=True)
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return all(results)


def budget_note(path, seconds):
    """'of 240 s budget (61 %)', marked when over 2/3 of it; empty for a notebook without one."""
    budget = BUDGETS.get(path.stem[:2])
    if budget is None:
        return ""
    share = seconds / budget
    return f"of {budget:3d} s budget ({share:4.0%}){'  OVER 2/3' if share > 2 / 3 else ''}"


def cell_summary(notebook):
    """What must agree between a pair: each cell's type, source and tags."""
    return [(cell.cell_type, cell.source, tags(cell)) for cell in notebook.cells]


def pair_differences(source):
    """Sentences describing how notebooks/NN.ipynb differs from its .py source (empty: in sync)."""
    pair = source.with_suffix(".ipynb")
    if not pair.exists():
        return [f"{pair.name} is missing: run `python course.py sync`"]
    expected, found = cell_summary(jupytext.read(source)), cell_summary(nbformat.read(pair, as_version=4))
    problems = []
    if len(expected) != len(found):
        problems.append(f"{pair.name} has {len(found)} cells, {source.name} has {len(expected)}")
    for number, (want, have) in enumerate(zip(expected, found)):
        if want != have:
            field = ["type", "source", "tags"][next(i for i in range(3) if want[i] != have[i])]
            problems.append(f"cell {number} differs in its {field}")
    outputs = sum(bool(cell.get("outputs")) for cell in nbformat.read(pair, as_version=4).cells)
    if outputs:
        problems.append(f"{pair.name} is committed with outputs in {outputs} cells")
    return problems


def as_shipped(notebook):
    """`notebook` with a kernelspec and stable cell ids (regenerated pairs stay diff-free)."""
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
    return notebook


# Where the course is published. A fork changes this one line and runs `python course.py colab`,
# which writes it into every notebook's Colab link and Colab cell.
REPOSITORY = "https://github.com/rnn-course/rnn-course"
COLAB_LINK = "*Or in Google Colab: [open this notebook there]({url}) and run its first code cell.*"
COLAB_CELL = """\
# Google Colab only (anywhere else this cell does nothing): fetch the course, then work in its
# notebooks/ folder with its course_lib. Colab already has every package the notebooks import.
import os, subprocess, sys
if "google.colab" in sys.modules and not os.path.isdir("../course_lib"):
    if not os.path.isdir("rnn-course"):
        subprocess.run(["git", "clone", "--depth", "1", "{repository}", "rnn-course"], check=True)
    os.chdir("rnn-course/notebooks")
    sys.path.insert(0, os.path.abspath(".."))"""


def colab_url(path):
    """The address that opens notebooks/NN_name.ipynb of REPOSITORY in Google Colab."""
    return f"https://colab.research.google.com/github/{REPOSITORY.split('github.com/', 1)[1]}/blob/main/notebooks/{path.stem}.ipynb"


def with_colab(notebook, path):
    """`notebook` whose opening ends with the Colab link and whose first code cell is the Colab cell."""
    opening = notebook.cells[0]
    kept = [line for line in opening.source.splitlines() if not line.startswith(COLAB_LINK.split("[", 1)[0])]
    while kept and not kept[-1].strip():
        kept.pop()
    opening.source = "\n".join(kept + ["", COLAB_LINK.format(url=colab_url(path))])
    cell = nbformat.v4.new_code_cell(COLAB_CELL.format(repository=REPOSITORY), metadata={"tags": ["colab"]})
    notebook.cells = [opening, cell] + [c for c in notebook.cells[1:] if "colab" not in tags(c)]
    return notebook


def colab():
    """Give every notebook source its Colab link and cell (for REPOSITORY), then sync the pairs."""
    for path in notebook_sources():
        jupytext.write(with_colab(jupytext.read(path), path), path, fmt="py:percent")
    sync()


def sync():
    """Write each .py source's .ipynb pair, without outputs."""
    for path in notebook_sources():
        notebook = as_shipped(jupytext.read(path))
        pair = path.with_suffix(".ipynb")
        nbformat.write(notebook, pair)
        print(f"wrote {pair.relative_to(ROOT)}")


STUDENT_FILES = {"README.student.md": "README.md", "pyproject.toml": "pyproject.toml", "jupytext.toml": "jupytext.toml",
                 "LICENSE": "LICENSE", "LICENSE-CONTENT.md": "LICENSE-CONTENT.md", "CITATION.cff": "CITATION.cff",
                 "course_lib": "course_lib", "images": "images", "results": "results"}  # in the repository: in the copy
STUDENT_REQUIREMENTS = """\
# The course's runtime packages, pinned in pyproject.toml (no test tools).
# On Linux this installs PyTorch's CUDA build; for the small CPU build, first run
#   python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
-e .
"""
SOLUTION_HINT = re.compile(r"^# (Stuck\?.*|solution\(.*\))(\n|$)", re.MULTILINE)


def student_stub(exercise_source):
    """An exercise cell as a class gets it: without the lines that load a solution."""
    return SOLUTION_HINT.sub("", exercise_source) or "# Your answer here"


def copy_files(names, out):
    """Copy each of `names` (a file or folder of the course; a dict maps it to a new name) into `out`."""
    for name in names:
        copy_name = names[name] if isinstance(names, dict) else name
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, out / copy_name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "draw_diagrams.py"))
        else:
            shutil.copy2(ROOT / name, out / copy_name)


def student_copy(out):
    """Copy the course for students: notebooks (both formats) without outputs and without the
    lines that load a solution, the library, the diagrams, a short README and runtime-only
    requirements; no solutions/, tests/ or instructor tools."""
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty; give a new folder")
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    copy_files(STUDENT_FILES, out)
    (out / "requirements.txt").write_text(STUDENT_REQUIREMENTS, encoding="utf-8")
    for path in notebook_sources():
        notebook = as_shipped(jupytext.read(path))
        for cell in notebook.cells:
            if cell.cell_type == "code" and "exercise" in tags(cell):
                cell.source = student_stub(cell.source)
        jupytext.write(notebook, out / "notebooks" / path.name, fmt="py:percent")
        nbformat.write(notebook, out / "notebooks" / f"{path.stem}.ipynb")
    print(f"wrote a student copy of {len(notebook_sources())} notebooks to {out}")


# ---- nbgrader: the course as a graded class ------------------------------------------------
NBGRADER_FILES = ["course_lib", "images", "results", "LICENSE", "LICENSE-CONTENT.md"]  # beside each notebook
NBGRADER_POINTS = 1  # each exercise's test cell (an instructor may change them in source/ before generating)
NBGRADER_TIMEOUT_FACTOR = 2  # a submission's cell may run twice its notebook's whole budget (BUDGETS)
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
# Folders beside notebooks/ in the course, and beside the notebook in an assignment.
SHARED_FOLDER = re.compile(r"\.\./(images|results|checkpoints)/")
NBGRADER_CONFIG = '''\
# nbgrader's configuration for the course, written by `python course.py nbgrader` (docs/grading.md).
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute

c = get_config()
c.CourseDirectory.course_id = {course_id!r}

# A released exercise cell is the course's own stub: the solution region of the source becomes
# nothing, not nbgrader's default "# YOUR CODE HERE / raise NotImplementedError()".
c.ClearSolutions.code_stub = {{"python": ""}}

# How long one cell of a submission may run before nbgrader interrupts it (and goes on with the next
# cell, and the next submission): {factor} times its notebook's whole time budget on the slowest laptop the
# course supports (course.BUDGETS), in seconds. Give cells longer here. A c.Execute.timeout set below or
# on the command line (--Execute.timeout=SECONDS) applies where it is shorter.
CELL_TIMEOUTS = {timeouts}
c.Execute.timeout = max(CELL_TIMEOUTS.values())  # for `nbgrader validate`, which runs no assignment


class BudgetedExecute(Execute):
    """nbgrader's Execute with the cell timeout of the assignment it grades."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.configured_timeout = self.timeout

    def preprocess(self, nb, resources, km=None):
        assignment = resources["nbgrader"]["assignment"]
        self.timeout = min(self.configured_timeout, CELL_TIMEOUTS.get(assignment, self.configured_timeout))
        return super().preprocess(nb, resources, km=km)


c.Autograde.autograde_preprocessors = [
    BudgetedExecute if step is Execute else step
    for step in Autograde.autograde_preprocessors.default()]
'''


def nbgrader_metadata(grade_id, solution=False, grade=False, points=None):
    """A cell's nbgrader metadata (schema 3): a solution cell, a test cell (grade, with points), or a
    read-only ("locked") cell."""
    metadata = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                "solution": solution, "task": False}
    if grade:
        metadata["points"] = points
    return metadata


def nbgrader_notebook(path):
    """Notebook `path` as the source of an nbgrader assignment.

    Each exercise cell is a solution cell: the student copy's stub (the same cell without its
    "Stuck?" and `# solution(...)` lines: no solutions/ ships to a class), then the reference
    solution between nbgrader's markers, so that `nbgrader generate_assignment` releases exactly that
    stub. Each checker cell is a test cell worth NBGRADER_POINTS: its code unchanged, run inside
    `with graded():`, which raises when the checker prints ✗. Every other cell (the lesson, the check
    cell) is read-only. The Colab cell and link are left out (a class works in its own folder), and
    paths to ../images, ../results and ../checkpoints point beside the notebook, where they are."""
    notebook = as_shipped(jupytext.read(path))
    notebook.metadata.pop("jupytext", None)
    colab_link = COLAB_LINK.split("[", 1)[0]
    cells, exercise = [], None
    for cell in notebook.cells:
        if "colab" in tags(cell):
            continue
        cell.metadata = {key: value for key, value in cell.metadata.items() if key == "tags"}  # not jupytext's
        if "exercise" in tags(cell):
            exercise = SOLUTION_LINE.search(cell.source).group(1)
            stub = student_stub(cell.source)
            reference = (SOLUTIONS / f"{exercise}.py").read_text(encoding="utf-8").rstrip("\n")
            stub += "" if stub.endswith("\n") else "\n"
            cell.source = f"{stub}{BEGIN_SOLUTION}\n{reference}\n{END_SOLUTION}"
            cell.metadata["nbgrader"] = nbgrader_metadata(exercise, solution=True)
        elif "checker" in tags(cell):
            if exercise is None:
                raise ValueError(f"{path.name}: a checker cell that follows no exercise cell:\n{cell.source}")
            body = "\n".join("    " + line if line.strip() else "" for line in cell.source.splitlines())
            cell.source = f"from course_lib.exercises import graded\n\nwith graded():\n{body}"
            cell.metadata["nbgrader"] = nbgrader_metadata(f"{exercise}_test", grade=True, points=NBGRADER_POINTS)
            exercise = None
        else:
            if cell.cell_type == "markdown":
                kept = [line for line in cell.source.splitlines() if not line.startswith(colab_link)]
                while kept and not kept[-1].strip():
                    kept.pop()
                cell.source = "\n".join(kept)
            cell.source = SHARED_FOLDER.sub(r"\1/", cell.source)
            cell.metadata["nbgrader"] = nbgrader_metadata(cell.id)
        cells.append(cell)
    notebook.cells = cells
    return notebook


def nbgrader_course(out):
    """Write an nbgrader course folder: nbgrader_config.py and source/, one assignment per notebook
    (named after it) holding the notebook and what it needs beside it (NBGRADER_FILES); no solutions/,
    tests or instructor tools. docs/grading.md says how to run a graded class with it."""
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty; give a new folder")
    timeouts = {path.stem: NBGRADER_TIMEOUT_FACTOR * BUDGETS[path.stem[:2]] for path in notebook_sources()}
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(
        course_id=REPOSITORY.rstrip("/").rsplit("/", 1)[1], factor=NBGRADER_TIMEOUT_FACTOR,
        timeouts="{\n" + "".join(f"    {name!r}: {seconds},\n" for name, seconds in timeouts.items()) + "}"),
        encoding="utf-8")
    for path in notebook_sources():
        assignment = out / "source" / path.stem
        assignment.mkdir(parents=True)
        copy_files(NBGRADER_FILES, assignment)
        nbformat.write(nbgrader_notebook(path), assignment / f"{path.stem}.ipynb")
    print(f"wrote an nbgrader course of {len(timeouts)} assignments to {out}; next, in that folder: "
          f"nbgrader generate_assignment {notebook_sources()[0].stem} (docs/grading.md)")


SITE_CONF = """\
# Sphinx configuration of the course's website, written by `python course.py site`.
project = "Recurrent neural networks, from one-hot vectors to attention"
extensions = ["myst_nb"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # links to a section of a page, as on GitHub: page.md#section-title
nb_execution_mode = "off"  # the notebooks arrive executed
nb_ipywidgets_js = {}  # no widget scripts from the web: a static page shows the widgets' text instead
html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_theme_options = {"use_download_button": False, "use_fullscreen_button": False}
# MathJax served with the site (from the jupyter-server-mathjax package), so maths renders offline.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {"tex2jax": {"inlineMath": [["\\\\(", "\\\\)"]], "displayMath": [["\\\\[", "\\\\]"]],
                               "processClass": "math|output_area", "ignoreClass": "document"},
                   "HTML-CSS": {"availableFonts": [], "imageFont": None, "preferredFont": None, "webFont": "STIX-Web"}}
exclude_patterns = ["_build"]
"""


def opening_facts(notebook):
    """(title, question, time) from a notebook's opening cell."""
    opening = notebook.cells[0].source
    title = opening.splitlines()[0].lstrip("# ").strip()
    paragraph = opening.split("**The question.**", 1)[-1].split("\n\n", 1)[0]
    question = re.search(r"\s*(.+?\?)(\s|$)", paragraph, flags=re.DOTALL)  # up to its first question mark
    time_taken = re.search(r"\*\*Time\.\*\*\s*(about \d+ minutes)", opening)
    return (title, " ".join(question.group(1).split()) if question else "",
            time_taken.group(1) if time_taken else "")


def landing_page(notebooks, pages=()):
    """index.md: what the course is, its syllabus (a row per notebook), the set-up, and the hidden tables of
    contents that make the navigation: the notebooks, then `pages` (docs/*.md) under "For instructors"."""
    student_readme = (ROOT / "README.student.md").read_text(encoding="utf-8")
    intro = student_readme.split("\n\n", 2)[1]
    set_up = student_readme.split("## Set up (once)", 1)[1].split("\n## ", 1)[0].strip()
    rows = []
    for path, notebook in notebooks:
        title, question, time_taken = opening_facts(notebook)
        rows.append(f"| [{title}](notebooks/{path.name}) | {question} | {time_taken} |")
    return "\n".join([
        "# Recurrent neural networks, from one-hot vectors to attention", "", intro, "",
        "## Syllabus", "", "| notebook | the question | a student's time |", "|---|---|---|", *rows, "",
        "## Set up", "", set_up, "",
        "Licence: the code is MIT, the text and diagrams CC BY 4.0, and the texts the models learn from are "
        "CPython 3.11.7's, under the PSF License Agreement.", "",
        "```{toctree}", ":hidden:", ":caption: Notebooks", *[f"notebooks/{path.stem}" for path, _ in notebooks], "```", "",
        *(["```{toctree}", ":hidden:", f":caption: {DOCS_CAPTION}", *[f"docs/{page.stem}" for page in pages], "```", ""]
          if pages else [])])


DOCS = ROOT / "docs"
DOCS_CAPTION = "For instructors"
DOCS_ORDER = ["instructors", "grading", "testing", "platforms", "dependencies", "corpora", "contributing"]
# Files outside docs/ that its pages link to: the site builds each as a page at the same path, so the links
# work both on GitHub and on the website.
SITE_EXTRAS = ["course_lib/corpora/README.md"]


def doc_pages():
    """docs/*.md in the website's order: DOCS_ORDER, then any other page by name."""
    rank = {name: number for number, name in enumerate(DOCS_ORDER)}
    return sorted(DOCS.glob("*.md"), key=lambda page: (rank.get(page.stem, len(rank)), page.stem))


# What a reader of the website does not need: myst-nb's tag added to each cell with the course's tag.
SITE_TAGS = {"colab": "remove-cell",  # the Colab-only first code cell: left out
             "check": "hide-input"}   # the closing asserts: folded behind a toggle, their printed line shown


def for_the_site(notebook):
    """`notebook` with myst-nb's tags added after the course's (SITE_TAGS); its cells stay as they are."""
    for cell in notebook.cells:
        added = [SITE_TAGS[tag] for tag in tags(cell) if tag in SITE_TAGS and SITE_TAGS[tag] not in tags(cell)]
        if added:
            cell.setdefault("metadata", {})["tags"] = tags(cell) + added
    return notebook


WIDGET_OUTPUT = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "[an interactive widget: run this notebook in JupyterLab to use it]"


def without_widgets(notebook):
    """`notebook` with each widget's output replaced by a note: a static page has no kernel to drive it."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if WIDGET_OUTPUT in output.get("data", {}):
                output["data"] = {"text/plain": WIDGET_NOTE}
    return notebook


def build_site(executed, out):
    """A static website of the executed notebooks in `executed`, at out/index.html: every notebook with its
    outputs and figures (its Colab cell left out, its check cell's code folded), maths rendered by a MathJax
    served with the site, navigation, a landing page, and the pages of docs/."""
    import jupyter_server_mathjax  # the site tools are the "site" extra: see docs/dependencies.md
    from sphinx.cmd.build import build_main

    notebooks = [(path, nbformat.read(path, as_version=4)) for path in sorted(Path(executed).glob("[0-9][0-9]_*.ipynb"))]
    if not notebooks:
        sys.exit(f"no executed notebooks (NN_name.ipynb) in {executed}")
    with tempfile.TemporaryDirectory(prefix="rnn-course-site-") as source:
        source = Path(source)
        (source / "notebooks").mkdir()
        for path, notebook in notebooks:
            nbformat.write(for_the_site(without_widgets(notebook)), source / "notebooks" / path.name)
        (source / "docs").mkdir()
        for page in doc_pages():
            shutil.copy2(page, source / "docs" / page.name)
        for extra in SITE_EXTRAS:  # pages that only docs/ links to: out of the navigation ("orphan")
            (source / extra).parent.mkdir(parents=True, exist_ok=True)
            (source / extra).write_text("---\norphan: true\n---\n\n" + (ROOT / extra).read_text(encoding="utf-8"),
                                        encoding="utf-8")
        shutil.copytree(ROOT / "images", source / "images", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", source / "_static" / "mathjax")
        (source / "conf.py").write_text(SITE_CONF, encoding="utf-8")
        (source / "index.md").write_text(landing_page(notebooks, doc_pages()), encoding="utf-8")
        if build_main(["-b", "html", "-q", "-W", "--keep-going", str(source), str(out)]):
            sys.exit("the site did not build: see the messages above")
    print(f"wrote the course's website to {out / 'index.html'} ({len(notebooks)} notebooks)")
    return out / "index.html"


def site(out, executed=None, solved=False):
    """Execute the course (unless `executed` holds executed notebooks already) and build its website."""
    if executed is None:
        executed = out / "executed"
        if not run([], solved, executed):
            sys.exit("a notebook failed: the site is built only from a course whose checks pass")
    return build_site(executed, out / "html")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="execute notebooks headless")
    run_parser.add_argument("names", nargs="*", help="part of a notebook name, e.g. 01 (default: all)")
    run_parser.add_argument("--solved", action="store_true", help="run every exercise's solution")
    run_parser.add_argument("--out", type=Path, help="write the executed notebooks (with outputs) here")
    commands.add_parser("sync", help="rewrite the .ipynb pairs from the .py sources")
    commands.add_parser("images", help="redraw the diagrams in images/")
    site_parser = commands.add_parser("site", help="build the course's static website")
    site_parser.add_argument("--out", type=Path, default=ROOT / "published" / "site", help="folder for the site")
    site_parser.add_argument("--executed", type=Path, help="build from these executed notebooks instead of running them")
    site_parser.add_argument("--solved", action="store_true", help="execute with every exercise's solution")
    commands.add_parser("colab", help="write course.REPOSITORY into every notebook's Colab link and cell")
    student_parser = commands.add_parser("student", help="write a copy for students")
    student_parser.add_argument("out", type=Path, help="a new folder")
    nbgrader_parser = commands.add_parser("nbgrader", help="write an nbgrader course folder, for graded classes")
    nbgrader_parser.add_argument("out", type=Path, help="a new folder")
    args = parser.parse_args(argv)
    if args.command == "run":
        return 0 if run(args.names, args.solved, args.out) else 1
    if args.command == "sync":
        sync()
    if args.command == "student":
        student_copy(args.out)
    if args.command == "nbgrader":
        nbgrader_course(args.out)
    if args.command == "site":
        site(args.out, args.executed, args.solved)
    if args.command == "colab":
        colab()
    if args.command == "images":
        subprocess.run([sys.executable, str(ROOT / "images" / "draw_diagrams.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
