"""Instructor commands for the course (run from the repository root).

    python course.py run [--solved] [--out DIR] [NAME ...]
                                                execute notebooks headless, print each one's time and
                                                check result; --out keeps the executed copies
    python course.py sync                       rewrite every notebooks/*.ipynb from its .py source
    python course.py student DIR                a copy for students: no solutions, tests or outputs
    python course.py images                     redraw the diagrams in images/

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
           "11": 180}


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
    for node in ast.parse(path.read_text()).body:  # a percent-format source is plain Python
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


def sync():
    """Write each .py source's .ipynb pair, without outputs."""
    for path in notebook_sources():
        notebook = as_shipped(jupytext.read(path))
        pair = path.with_suffix(".ipynb")
        nbformat.write(notebook, pair)
        print(f"wrote {pair.relative_to(ROOT)}")


STUDENT_FILES = ["README.md", "requirements.txt", "environment.yml", "pyproject.toml",
                 "jupytext.toml", "course_lib", "images"]
SOLUTION_HINT = re.compile(r"^# (Stuck\?.*|solution\(.*\))(\n|$)", re.MULTILINE)


def student_copy(out):
    """Copy the course for students: notebooks (both formats) without outputs and without the
    lines that load a solution; no solutions/ and no tests/."""
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty; give a new folder")
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    for name in STUDENT_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, out / name)
    for path in notebook_sources():
        notebook = as_shipped(jupytext.read(path))
        for cell in notebook.cells:
            if cell.cell_type == "code" and "exercise" in tags(cell):
                cell.source = SOLUTION_HINT.sub("", cell.source) or "# Your answer here"
        jupytext.write(notebook, out / "notebooks" / path.name, fmt="py:percent")
        nbformat.write(notebook, out / "notebooks" / f"{path.stem}.ipynb")
    print(f"wrote a student copy of {len(notebook_sources())} notebooks to {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="execute notebooks headless")
    run_parser.add_argument("names", nargs="*", help="part of a notebook name, e.g. 01 (default: all)")
    run_parser.add_argument("--solved", action="store_true", help="run every exercise's solution")
    run_parser.add_argument("--out", type=Path, help="write the executed notebooks (with outputs) here")
    commands.add_parser("sync", help="rewrite the .ipynb pairs from the .py sources")
    commands.add_parser("images", help="redraw the diagrams in images/")
    student_parser = commands.add_parser("student", help="write a copy for students")
    student_parser.add_argument("out", type=Path, help="a new folder")
    args = parser.parse_args(argv)
    if args.command == "run":
        return 0 if run(args.names, args.solved, args.out) else 1
    if args.command == "sync":
        sync()
    if args.command == "student":
        student_copy(args.out)
    if args.command == "images":
        subprocess.run([sys.executable, str(ROOT / "images" / "draw_diagrams.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
