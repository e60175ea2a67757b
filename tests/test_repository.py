"""The repository's promises: dependency lists agree, notebook pairs are in sync,
every notebook ends with a check, every solution file is used, CI runs the README's command."""
import re
import tomllib

import jupytext
import nbformat
import pytest

import course

ROOT = course.ROOT
SOURCES = course.notebook_sources()


def pip_lines(text):
    return sorted(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def test_environment_and_requirements_list_the_same_packages():
    requirements = pip_lines((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pip_section = environment.split("- pip:", 1)[1]
    environment_packages = sorted(re.findall(r"^\s+- (\S.*)$", pip_section, flags=re.MULTILINE))
    assert requirements == environment_packages == ["-e .[test,site]"]


def test_pyproject_pins_torch_and_declares_the_test_tools_as_an_extra():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "torch==2.13.0" in pyproject["dependencies"]
    assert all("==" in requirement for requirement in pyproject["dependencies"])
    runtime = {requirement.split("==")[0] for requirement in pyproject["dependencies"]}
    assert {"pytest", "nbval", "playwright"} & runtime == set()
    assert {"pytest", "nbval", "playwright"} == {r.split("==")[0] for r in pyproject["optional-dependencies"]["test"]}
    assert all("==" in requirement for extra in pyproject["optional-dependencies"].values() for requirement in extra)


def test_there_are_notebooks():
    assert [p.name[:2] for p in SOURCES][:1] == ["01"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_ipynb_pair_is_in_sync_and_has_no_outputs(source):
    assert course.pair_differences(source) == []


def test_every_ipynb_has_a_py_source():
    orphans = [p.name for p in (ROOT / "notebooks").glob("*.ipynb") if not p.with_suffix(".py").exists()]
    assert orphans == []


def test_a_desynced_pair_is_detected(tmp_path):
    source = tmp_path / SOURCES[0].name
    source.write_text(SOURCES[0].read_text(encoding="utf-8"), encoding="utf-8")
    nbformat.write(jupytext.read(source), source.with_suffix(".ipynb"))
    assert course.pair_differences(source) == []
    source.write_text(SOURCES[0].read_text(encoding="utf-8").replace("import math", "import math  # edited", 1), encoding="utf-8")
    assert any("source" in problem for problem in course.pair_differences(source))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_ends_with_a_check_cell_that_asserts(source):
    code_cells = [cell for cell in jupytext.read(source).cells if cell.cell_type == "code"]
    last = code_cells[-1]
    assert "check" in course.tags(last), "the last code cell must be tagged 'check'"
    assert "assert " in last.source


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_has_exercises_with_solutions(source):
    names = course.exercise_solutions(jupytext.read(source))
    assert 2 <= len(names) <= 4, names
    for name in names:
        assert name.startswith(source.name[:2]), f"{name} should be named after its notebook"
        assert (course.SOLUTIONS / f"{name}.py").is_file(), f"solutions/{name}.py is missing"


def test_every_solution_file_is_used_by_exactly_one_exercise():
    used = [name for source in SOURCES for name in course.exercise_solutions(jupytext.read(source))]
    files = sorted(p.stem for p in course.SOLUTIONS.glob("*.py"))
    assert sorted(used) == files, "every solutions/*.py must be named by one exercise cell (and only one)"


def test_solved_reading_uncomments_the_solution_line_and_changes_nothing_else():
    for source in SOURCES:
        shipped, solved = course.read_notebook(source), course.read_notebook(source, solved=True)
        for before, after in zip(shipped.cells, solved.cells):
            if "exercise" not in course.tags(before):
                assert after.source == before.source
                continue
            changed = [(old, new) for old, new in zip(before.source.splitlines(), after.source.splitlines())
                       if old != new]
            assert len(changed) == 1 and changed[0][0] == "# " + changed[0][1], changed
            assert re.fullmatch(r'solution\("\w+"\)', changed[0][1])


def readme_command(title):
    """The shell command in the README's ```bash block that follows a line containing `title`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(title) + r".*?```bash\n(.*?)\n```", readme, flags=re.DOTALL)
    assert match, f"README has no bash block after {title!r}"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command():
    test_command = readme_command("Run the tests")
    ci_command = readme_command("CI (Debian, as root)")
    assert ci_command.endswith(test_command)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert ci_command in ci_lines


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(source.stem in readme for source in SOURCES)
