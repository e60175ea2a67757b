"""The repository's promises: dependency lists agree, notebook pairs are in sync,
every notebook ends with a check, every solution file is used, CI runs the README's command,
the README is a short front page whose links, and those of the pages in docs/, lead somewhere."""
import ast
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
    assert requirements == environment_packages == ["-e .[test,site,grade]"]


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


README = (ROOT / "README.md").read_text(encoding="utf-8")
DOC_PAGES = course.doc_pages()
LINK = re.compile(r"\]\(([^)\s]+)\)")


def readme_command(title, text=README):
    """The shell command in the ```bash block that follows a line containing `title` (in the README)."""
    match = re.search(re.escape(title) + r".*?```bash\n(.*?)\n```", text, flags=re.DOTALL)
    assert match, f"no bash block after {title!r}"
    return match.group(1).strip()


def test_ci_runs_the_readme_ci_command_and_the_matrix_runs_the_readme_test_command():
    """CI runs only what the README says: its CI line, which installs nox and runs the matrix; the
    matrix's `tests` sessions install the course as the README's test command does, and run pytest."""
    test_command = readme_command("Run the tests")
    assert test_command == "python -m pip install -r requirements.txt && python -m pytest"
    ci_command = readme_command("CI (Debian, as root)")
    nox_pin = re.fullmatch(r".* && python -m pip install (nox==[\d.]+) && python -m nox", ci_command)
    assert nox_pin, ci_command
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert ci_command in ci_lines
    assert readme_command("CI (Debian, as root)", (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")) == ci_command
    assert f"`{nox_pin.group(1)}`" in (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    tests_session = noxfile.split("def tests(session):", 1)[1].split("\n\n\n", 1)[0]
    assert 'session.install("-r", "requirements.txt")' in tests_session and '"pytest"' in tests_session


def test_the_readme_says_what_the_matrix_runs_by_default():
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    pythons = ast.literal_eval(re.search(r"^PYTHONS = (\[.*\])$", noxfile, flags=re.MULTILINE).group(1))
    assert 'nox.options.sessions = [f"tests-{PYTHONS[0]}", f"notebooks-{PYTHONS[-1]}"]' in noxfile
    said = f"the whole suite on Python {pythons[0]}, then every notebook both ways on Python {pythons[-1]}"
    assert said in " ".join(README.split())


def test_readme_is_a_front_page_with_the_install_command_near_the_top():
    lines = README.splitlines()
    assert len(lines) < 150, f"README.md has {len(lines)} lines: move detail to docs/"
    top = lines[:40]
    assert "python -m pip install -r requirements.txt && python course.py run" in top
    assert "jupyter lab" in top
    text = " ".join(top)  # the CUDA warning and its link come before the command that installs torch
    warning = text.index("CUDA build")
    assert "(docs/platforms.md#the-cpu-build-on-linux)" in text[warning:warning + 300]
    assert warning < text.index("python -m pip install -r requirements.txt")


def test_readme_lists_every_notebook_with_a_link_its_time_and_run_times():
    for source in SOURCES:
        row = next((line for line in README.splitlines() if f"](notebooks/{source.stem}.ipynb)" in line), None)
        assert row, f"no row links notebooks/{source.stem}.ipynb"
        assert re.search(r"\| \d+ minutes \| \d+ s / \d+ s \|$", row), row


def test_the_instructors_page_says_what_every_check_cell_proves():
    page = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    table = page.split("## What each check cell proves", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [re.match(r"\| `(\w+)` \| .{20,}\|$", row).group(1) for row in rows] == [s.stem for s in SOURCES]


def test_readme_links_every_docs_page_and_the_site_builds_each():
    assert {"instructors", "testing", "platforms", "dependencies", "corpora"} <= {page.stem for page in DOC_PAGES}
    for page in DOC_PAGES:
        assert f"](docs/{page.name}" in README, f"README.md does not link docs/{page.name}"
        assert page.read_text(encoding="utf-8").startswith("# "), f"docs/{page.name} has no title"


def github_slug(heading):
    """The anchor GitHub (and the site, with myst_heading_anchors) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(path):
    prose = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)
    return {github_slug(title) for title in re.findall(r"^#+ (.+)$", prose, flags=re.MULTILINE)}


@pytest.mark.parametrize("document", [ROOT / "README.md", *DOC_PAGES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading(document):
    """On GitHub and on the website: a page of docs/ links only to what the site builds (docs/ and
    course.SITE_EXTRAS), since the site is built with -W and any link that leads nowhere fails it."""
    built = {page.resolve() for page in DOC_PAGES} | {(ROOT / extra).resolve() for extra in course.SITE_EXTRAS}
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path, _, anchor = target.partition("#")
        file = (document.parent / path).resolve()
        assert file.exists(), f"{target} leads nowhere"
        if anchor:
            assert anchor in headings(file), f"{target}: no such heading"
        if document in DOC_PAGES:
            assert file in built, f"{target} is not a page of the website"
