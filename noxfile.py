"""The test suite on every Python the course names, each in a virtual environment of its own (nox).

    nox                        what CI runs: the whole suite on the oldest Python (3.11), then
                               every notebook, unsolved and solved, on the newest (3.13)
    nox -s tests               the whole suite on 3.11, 3.12 and 3.13
    nox -s notebooks           every notebook, unsolved and solved, on 3.11, 3.12 and 3.13
    nox -s tests-3.12          one session; pytest's arguments go after "--":
    nox -s notebooks-3.13 -- notebooks/08_text_generation.py

A Python that is not installed is skipped with a message, except where the CI variable is set,
as CI services set it: there it fails the run. The environments, in .nox/, are kept for the next
run, which installs into them again (`nox -N` starts them afresh; a fresh clone always does).
Each session installs the course as the README does (`pip install -r requirements.txt`, or
only the test extra for the notebooks), so each gets the PyTorch build that a student's pip
would pick (on Linux, the CUDA build from the public index, which also runs on the CPU).
"""
import os
import re
import shutil
import subprocess

import nox

PYTHONS = ["3.11", "3.12", "3.13"]
nox.options.sessions = [f"tests-{PYTHONS[0]}", f"notebooks-{PYTHONS[-1]}"]
nox.options.reuse_venv = "yes"


def let_pyenv_find_every_python():
    """pyenv's shims answer only for the versions pyenv was told to use (PYENV_VERSION, which pyenv
    sets for the `python` that runs nox, or its global version), so `python3.13` fails while 3.13
    is installed: add the newest installed patch release of each Python of the matrix after
    them. Without pyenv nothing changes."""
    if not shutil.which("pyenv"):
        return
    installed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True).stdout.split()
    told = [version for version in os.environ.get("PYENV_VERSION", "").split(":") if version]
    for python in PYTHONS:
        patches = [v for v in installed if re.fullmatch(re.escape(python) + r"\.\d+", v)]
        if patches and not any(version.startswith(python + ".") for version in told):
            told.append(max(patches, key=lambda version: int(version.rsplit(".", 1)[1])))
    if told:
        os.environ["PYENV_VERSION"] = ":".join(told)


let_pyenv_find_every_python()


@nox.session(python=PYTHONS)
def tests(session):
    """The whole suite: library, repository, checker, site and browser tests, every notebook both ways."""
    session.install("-r", "requirements.txt")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHONS)
def notebooks(session):
    """Every notebook executed twice by nbval, as shipped and with every solution line uncommented."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *(session.posargs or ["notebooks"]))
