"""Opened in Google Colab, a notebook's Colab cell fetches the course and makes course_lib, the
solutions and the diagrams available, installing nothing. Simulated here: a Python that sees the
installed packages but not the installed course_lib (no site.py, so no .pth files), a stand-in
`google.colab` module, a fresh folder as Colab's /content, and the course fetched by git from
this repository's folder instead of its web address."""
import os
import site
import subprocess
import sys

import jupytext
import pytest

import course

SOURCES = course.notebook_sources()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_notebook_has_the_colab_link_and_cell_for_the_one_repository_address(source):
    notebook = jupytext.read(source)
    assert notebook.cells[1].cell_type == "code" and "colab" in course.tags(notebook.cells[1])
    assert course.cell_summary(notebook) == course.cell_summary(course.with_colab(jupytext.read(source), source))
    assert course.REPOSITORY in notebook.cells[1].source
    assert course.colab_url(source) in notebook.cells[0].source


def run_as_in_colab(tmp_path, script):
    standins = tmp_path / "standins"
    (standins / "google" / "colab").mkdir(parents=True)
    (standins / "google" / "__init__.py").write_text("", encoding="utf-8")
    (standins / "google" / "colab" / "__init__.py").write_text("", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    packages = [str(standins)] + site.getsitepackages() + [site.getusersitepackages()]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(packages), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-S", "-c", script], cwd=content, env=environment, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)


def test_without_the_cell_the_simulated_colab_has_no_course_lib(tmp_path):
    result = run_as_in_colab(tmp_path, "import torch, numpy, matplotlib, ipywidgets\nimport course_lib")
    assert "No module named 'course_lib'" in result.stderr


def test_the_colab_cell_fetches_the_course_and_the_notebook_runs_on_from_there(tmp_path):
    source = course.notebook_path("01")
    cells = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"]
    colab_cell = cells[0].replace(course.REPOSITORY, str(course.ROOT))  # fetched from here, not the web
    script = f"""
import google.colab, os, sys
from pathlib import Path
exec({colab_cell!r})
fetched = Path.cwd().parent
exec({colab_cell!r})  # a second run changes nothing
assert Path.cwd().parent == fetched and Path.cwd().name == "notebooks", Path.cwd()
exec({cells[1]!r})  # the notebook's imports
import course_lib
from course_lib.exercises import solution_path
assert Path(course_lib.__file__).resolve().is_relative_to(fetched.resolve()), course_lib.__file__
assert solution_path("01_decode").resolve().is_relative_to(fetched.resolve())
assert Path("../images/one_hot.svg").is_file()
print("fetched into", fetched.name)
"""
    result = run_as_in_colab(tmp_path, script)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "fetched into rnn-course" in result.stdout
    assert (tmp_path / "content" / "rnn-course" / "course_lib").is_dir()
