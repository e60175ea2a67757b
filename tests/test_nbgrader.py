"""The course as an nbgrader course, end to end with notebook 01 (docs/grading.md).

`python course.py nbgrader` writes the course folder; nbgrader itself does the rest, as an
instructor runs it: `generate_assignment`, submissions placed where `nbgrader collect` puts them
(submitted/STUDENT/ASSIGNMENT/), `autograde`, `export` (the gradebook as CSV). Five students:
one solves every exercise by writing the reference code, one hands the stubs back, one edits the
test cells to print ✓ (and the course_lib beside the notebook to pass everything), one writes a
cell that never ends, and one hands in a file that is not a notebook.

Without nbgrader the tests are skipped with a message that says how to install it; under CI
(CI=true) they fail instead, so that CI always runs them.
"""
import csv
import os
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

import course

NOTEBOOK = course.notebook_path("01")
ASSIGNMENT = NOTEBOOK.stem
NO_NBGRADER = 'nbgrader is not installed: python -m pip install -e ".[grade]" (docs/grading.md)'
# The course folder lets a cell of notebook 01 run twice the notebook's budget (60 s). This test sets a
# shorter timeout through nbgrader's config, so that the never-ending cell costs it little: 2/3 of the
# budget, the most the whole notebook may take on a development machine (20 s; its longest cell took
# 7 s on this 2-core machine while other trainings ran).
TEST_TIMEOUT = round(course.BUDGETS["01"] * 2 / 3)
STUDENTS = ["solved", "unsolved", "edited_tests", "never_ending", "not_a_notebook"]


def require_nbgrader():
    if os.environ.get("CI"):
        try:
            import nbgrader  # noqa: F401
        except ImportError:
            pytest.fail(NO_NBGRADER)
    pytest.importorskip("nbgrader", reason=NO_NBGRADER)


def nbgrader(folder, *arguments):
    """Run one nbgrader command in the course folder; return its exit code and everything it printed.
    Each kernel uses one thread, as in the notebook tests (two on a 2-core machine spin against
    whatever else runs)."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=folder, capture_output=True,
                            text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    return result.returncode, result.stdout + result.stderr


def solution_cells(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]


def grade_cells(notebook):
    return [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]


def answered(cell):
    """The stub as released, then the reference solution written below it by the student."""
    return cell.source + (course.SOLUTIONS / f"{cell.metadata.nbgrader.grade_id}.py").read_text(encoding="utf-8")


def submit(folder, student, notebook=None, text=None):
    """Place a submission where `nbgrader collect` does: the whole released folder, as the student had
    it, with their notebook (or a file that is not one) and the time it was collected."""
    release, submitted = folder / "release" / ASSIGNMENT, folder / "submitted" / student / ASSIGNMENT
    shutil.copytree(release, submitted)
    target = submitted / f"{ASSIGNMENT}.ipynb"
    if notebook is not None:
        nbformat.write(notebook, target)
    else:
        target.write_text(text, encoding="utf-8")
    (submitted / "timestamp.txt").write_text("2026-05-04 09:00:00.000000 UTC", encoding="utf-8")
    return submitted


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The course folder after generate_assignment, five submissions, autograde and export."""
    require_nbgrader()
    folder = tmp_path_factory.mktemp("nbgrader") / "course"
    subprocess.run([sys.executable, str(course.ROOT / "course.py"), "nbgrader", str(folder)], check=True,
                   capture_output=True, text=True)
    code, generated = nbgrader(folder, "generate_assignment", ASSIGNMENT)
    assert code == 0 and "ERROR" not in generated, generated
    release = nbformat.read(folder / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)

    def copy():
        return nbformat.reads(nbformat.writes(release), as_version=4)

    solved = copy()
    for cell in solution_cells(solved):
        cell.source = answered(cell)
    edited = copy()
    for cell in grade_cells(edited):
        cell.source = 'print("✓ Exercise: correct")'
    never_ending = copy()
    for cell in solution_cells(never_ending)[:-1]:
        cell.source = answered(cell)
    solution_cells(never_ending)[-1].source += "while True:\n    pass\n"
    submit(folder, "solved", solved)
    submit(folder, "unsolved", copy())
    tampered = submit(folder, "edited_tests", edited)
    library = tampered / "course_lib" / "exercises.py"  # a graded() that never fails: nbgrader puts it back
    library.write_text(library.read_text(encoding="utf-8") + "\n\ndef _never_fails(self, *error):\n    return True\n\n"
                       "graded.__exit__ = _never_fails\n", encoding="utf-8")
    submit(folder, "never_ending", never_ending)
    submit(folder, "not_a_notebook", text="my answers: see the attached photo\n")

    start = time.perf_counter()
    code, autograded = nbgrader(folder, "autograde", ASSIGNMENT, f"--Execute.timeout={TEST_TIMEOUT}")
    seconds = time.perf_counter() - start
    exported = nbgrader(folder, "export")
    assert exported[0] == 0, exported[1]
    assert "Exception while loading config file" not in autograded, autograded  # nbgrader would go on without it
    with open(folder / "grades.csv", newline="", encoding="utf-8") as grades:
        rows = {row["student_id"]: row for row in csv.DictReader(grades)}
    return {"folder": folder, "release": release, "code": code, "log": autograded, "seconds": seconds,
            "grades": rows, "csv": (folder / "grades.csv").read_text(encoding="utf-8")}


def test_the_course_folder_holds_a_config_and_one_assignment_per_notebook_without_solutions(tmp_path):
    """Without nbgrader: what `python course.py nbgrader` writes, and that it refuses a folder in use."""
    course.main(["nbgrader", str(tmp_path / "class")])
    folder = tmp_path / "class"
    assert sorted(path.name for path in folder.iterdir()) == ["nbgrader_config.py", "source"]
    config = (folder / "nbgrader_config.py").read_text(encoding="utf-8")
    compile(config, "nbgrader_config.py", "exec")
    assert f"'{ASSIGNMENT}': {course.NBGRADER_TIMEOUT_FACTOR * course.BUDGETS['01']}," in config
    assert sorted(path.name for path in (folder / "source").iterdir()) == [p.stem for p in course.notebook_sources()]
    assert not [path for pattern in ["solutions", "tests", "*.py[co]"] for path in folder.rglob(pattern)]
    for path in course.notebook_sources():
        notebook = nbformat.read(folder / "source" / path.stem / f"{path.stem}.ipynb", as_version=4)
        names = course.exercise_solutions(course.read_notebook(path))
        answers = solution_cells(notebook)
        assert [cell.metadata.nbgrader["grade_id"] for cell in answers] == names
        for cell, name in zip(answers, names):
            reference = (course.SOLUTIONS / f"{name}.py").read_text(encoding="utf-8").rstrip("\n")
            assert cell.source.endswith(f"\n### BEGIN SOLUTION\n{reference}\n### END SOLUTION")
        assert [cell.metadata.nbgrader["grade_id"] for cell in grade_cells(notebook)] == [f"{n}_test" for n in names]
        assert all("nbgrader" in cell.metadata for cell in notebook.cells)
        assert not any("colab" in course.tags(cell) for cell in notebook.cells)
    with pytest.raises(SystemExit, match="not empty"):
        course.main(["nbgrader", str(folder)])


def test_every_notebook_releases_the_student_copys_stubs(tmp_path):
    """nbgrader's own ClearSolutions, configured by the course folder's nbgrader_config.py, turns each
    exercise cell of every notebook into the stub of the student copy (without running anything)."""
    require_nbgrader()
    from nbgrader.preprocessors import ClearSolutions
    from traitlets.config.loader import PyFileConfigLoader

    course.main(["nbgrader", str(tmp_path / "class")])
    clear = ClearSolutions(config=PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "class")).load_config())
    for path in course.notebook_sources():
        notebook = nbformat.read(tmp_path / "class" / "source" / path.stem / f"{path.stem}.ipynb", as_version=4)
        released, _ = clear.preprocess(notebook, {})
        shipped = course.as_shipped(course.read_notebook(path))
        stubs = [course.SOLUTION_HINT.sub("", cell.source) for cell in shipped.cells if "exercise" in course.tags(cell)]
        assert [cell.source for cell in solution_cells(released)] == stubs, path.stem


def score(graded_class, student):
    return float(graded_class["grades"][student]["score"])


def test_the_released_exercises_are_the_student_copys_stubs_and_no_solution_ships(graded_class):
    source = course.as_shipped(course.read_notebook(NOTEBOOK))
    stubs = {cell.id: course.SOLUTION_HINT.sub("", cell.source)
             for cell in source.cells if "exercise" in course.tags(cell)}
    released = {cell.id: cell.source for cell in solution_cells(graded_class["release"])}
    assert released == stubs and len(released) == len(course.exercise_solutions(source))
    release = graded_class["folder"] / "release" / ASSIGNMENT
    assert {path.name for path in release.iterdir()} == {f"{ASSIGNMENT}.ipynb", *course.NBGRADER_FILES}
    assert (release / "course_lib" / "corpora" / "python_help_topics.txt").exists()
    assert not any(path.name in {"solutions", "tests", "draw_diagrams.py"} for path in release.rglob("*"))
    for cell in graded_class["release"].cells:
        assert "BEGIN SOLUTION" not in cell.source and "solution(" not in cell.source.replace("import solution", "")
        assert "../" not in cell.source, cell.source  # images/ and results/ are beside the notebook
        if not cell.metadata.nbgrader["solution"]:
            assert cell.metadata.nbgrader["locked"] and cell.metadata["editable"] is False


def test_each_checker_is_a_test_cell_with_points(graded_class):
    tests = grade_cells(graded_class["release"])
    assert len(tests) == len(solution_cells(graded_class["release"])) == 3
    assert all(cell.metadata.nbgrader["points"] == course.NBGRADER_POINTS for cell in tests)
    assert all(cell.source.startswith("from course_lib.exercises import graded\n\nwith graded():\n") for cell in tests)


def test_the_gradebook_scores_each_submission(graded_class):
    full_marks = course.NBGRADER_POINTS * 3
    assert {student: float(row["max_score"]) for student, row in graded_class["grades"].items()} == \
        dict.fromkeys(STUDENTS, full_marks), graded_class["csv"]
    assert score(graded_class, "solved") == full_marks, graded_class["log"]
    assert score(graded_class, "unsolved") == 0
    assert score(graded_class, "edited_tests") == score(graded_class, "unsolved"), graded_class["log"]
    assert "Attribute 'checksum' for cell 01_decode_test has changed!" in graded_class["log"]


def test_a_cell_that_never_ends_is_stopped_by_the_timeout_and_the_rest_is_graded(graded_class):
    assert f"Timeout waiting for execute reply ({TEST_TIMEOUT}s)" in graded_class["log"]
    assert score(graded_class, "never_ending") == course.NBGRADER_POINTS * 2, graded_class["log"]
    autograded = nbformat.read(graded_class["folder"] / "autograded" / "never_ending" / ASSIGNMENT
                               / f"{ASSIGNMENT}.ipynb", as_version=4)
    stopped = [cell for cell in autograded.cells if "while True" in cell.source]
    assert [output.ename for output in stopped[0].outputs if output.output_type == "error"], stopped[0].outputs
    checks = [cell for cell in autograded.cells if "assert prediction == phrase[1:]" in cell.source]
    assert not [output for output in checks[0].outputs if output.output_type == "error"]  # the rest ran on


def test_a_file_that_is_not_a_notebook_is_reported_and_the_others_are_graded(graded_class):
    log = graded_class["log"]
    assert f"error processing assignment '{ASSIGNMENT}' for student 'not_a_notebook'" in log, log
    assert "JSONDecodeError" in log
    assert score(graded_class, "not_a_notebook") == 0
    assert graded_class["code"] != 0  # nbgrader says that a submission failed, after grading the others
    for student in ["solved", "unsolved", "edited_tests", "never_ending"]:
        assert (graded_class["folder"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
