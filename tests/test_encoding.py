"""Every text file is read and written as UTF-8, whatever the laptop's locale (Windows laptops
default to cp1252, which cannot decode the notebooks' ·, ✓ or ≥)."""
import ast
import os
import subprocess
import sys

import pytest

import course

PYTHON_FILES = sorted(p for folder in ("course_lib", "tests", "solutions", "images", "notebooks")
                      for p in (course.ROOT / folder).glob("*.py")) + \
    sorted(course.ROOT.glob("*.py"))


def text_calls_without_an_encoding(source):
    """(line, call) of each open/read_text/write_text call in `source` that names no encoding
    and is not binary."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        method = isinstance(node.func, ast.Attribute)
        if not (name == "open" or (method and name in ("read_text", "write_text"))):
            continue
        if any(keyword.arg == "encoding" for keyword in node.keywords):
            continue
        mode = node.args[1] if name == "open" and len(node.args) > 1 else None
        if isinstance(mode, ast.Constant) and "b" in str(mode.value):
            continue
        if name == "open" and isinstance(node.func, ast.Attribute) and node.func.attr == "open" \
                and getattr(node.func.value, "id", None) in ("tarfile", "zipfile", "webbrowser"):
            continue
        found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def test_the_scan_finds_a_missing_encoding():
    assert text_calls_without_an_encoding("open('a.txt')\nPath('b').read_text()\n") != []
    assert text_calls_without_an_encoding("open('a', 'rb')\nPath('b').write_text('x', encoding='utf-8')\n") == []


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(course.ROOT)))
def test_every_text_file_access_names_utf8(path):
    assert text_calls_without_an_encoding(path.read_text(encoding="utf-8")) == []


def test_notebook_code_and_solutions_load_under_an_ascii_locale():
    """What Windows' cp1252 does to a missing encoding, an ASCII locale does here too."""
    script = ("import course, contextlib, io\n"
              "from course_lib import exercises\n"
              "for source in course.notebook_sources():\n"
              "    course.definitions(source.stem[:2])\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    try:\n"
              "        exercises.solution('03_two_frequencies')\n"
              "    except NameError:\n"
              "        pass  # it needs the notebook's names; reading and showing it is what is tested\n"
              "print('read', len(course.notebook_sources()))\n")
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
                   "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-c", script], cwd=course.ROOT, env=environment,
                            capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("read ")
