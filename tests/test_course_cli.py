"""The main job reports a notebook's time and whether its check cell passed."""
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest

import course


def write_notebook(path, check_source):
    path.write_text("# %%\nx = 41 + 1\n\n# %% tags=[\"check\"]\n" + check_source + "\n", encoding="utf-8")
    return path


def test_run_notebook_reports_a_passing_and_a_failing_check(tmp_path):
    _, seconds, passed, verdict = course.run_notebook(write_notebook(tmp_path / "good.py", "assert x == 42"))
    assert passed and verdict == "check passed" and seconds > 0
    _, _, passed, verdict = course.run_notebook(write_notebook(tmp_path / "bad.py", "assert x == 0, 'x is off'"))
    assert not passed and verdict == "check FAILED: AssertionError: x is off"


def test_student_copy_has_exercises_but_no_solutions_tests_or_outputs(tmp_path):
    course.main(["student", str(tmp_path / "class")])
    copy = tmp_path / "class"
    assert not (copy / "solutions").exists() and not (copy / "tests").exists()
    assert (copy / "course_lib" / "charlm.py").exists() and (copy / "images" / "one_hot.svg").exists()
    assert (copy / "results" / "adder_ablation.json").exists()  # notebook 06 reads it
    assert not (copy / "images" / "draw_diagrams.py").exists() and not (copy / "course.py").exists()
    assert (copy / "README.md").read_text(encoding="utf-8") == (course.ROOT / "README.student.md").read_text(encoding="utf-8")
    named = re.findall(r"`([\w.-]+/[\w./-]*|LICENSE[\w.-]*)`", (copy / "README.md").read_text(encoding="utf-8"))
    assert "course_lib/corpora/" in named and [name for name in named if not (copy / name).exists()] == []
    assert (copy / "course_lib" / "corpora" / "python_help_topics.txt").exists()  # notebooks 02, 08 and 10 read them
    assert (copy / "LICENSE").exists() and (copy / "LICENSE-CONTENT.md").exists()
    requirements = [line for line in (copy / "requirements.txt").read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith("#")]
    assert requirements == ["-e ."]  # pyproject.toml's runtime dependencies, without the test extra
    for source in course.notebook_sources():
        shipped = course.read_notebook(source)
        student = nbformat.read(copy / "notebooks" / f"{source.stem}.ipynb", as_version=4)
        assert course.cell_summary(jupytext.read(copy / "notebooks" / source.name)) == course.cell_summary(student)
        assert len(student.cells) == len(shipped.cells)
        assert not any(cell.get("outputs") for cell in student.cells)
        exercises = [cell.source for cell in student.cells if "exercise" in course.tags(cell)]
        assert len(exercises) == len(course.exercise_solutions(shipped)) >= 1
        assert not any("solution" in source_text for source_text in exercises)


def test_student_copy_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="not empty"):
        course.main(["student", str(tmp_path)])
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_quick_benchmark_fills_every_row_and_writes_the_file(tmp_path):
    out = tmp_path / "results.md"
    result = subprocess.run([sys.executable, str(course.ROOT / "benchmark.py"), "--quick", "--out", str(out)],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 6 + 4 and all(cell.strip() for row in rows for cell in row.strip("|").split("|"))
    assert "| `python -m course_lib.charlm train" in out.read_text(encoding="utf-8")
    assert "GFLOP/s" in result.stdout and "of the matmul rate" in out.read_text(encoding="utf-8")


def test_definitions_take_a_notebooks_own_code_and_run_nothing_else():
    defined = course.definitions("08", "CharLM", "overlapping_windows", device="cpu")
    assert defined["CharLM"].__module__ == "notebook_08"   # the one built by hand, not course_lib's twin
    assert defined["device"] == "cpu" and "train_text" not in defined and "lstm" not in defined
    with pytest.raises(NameError, match="binds no nothing_here"):
        course.definitions("08", "nothing_here")
    with pytest.raises(ValueError, match="give two digits"):
        course.definitions(7, "CharLM")
    with pytest.raises(ValueError, match="no code cell of notebook 09 holds"):
        course.code_cells("09", "def nothing_here")
