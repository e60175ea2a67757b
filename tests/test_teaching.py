"""What every notebook gives a student besides its code (COURSE.md, "How a notebook teaches"):
an opening, a closing with references, a diagram of its mechanism, and prose that explains
rather than narrates its own assertions. The diagrams in images/ are the ones the code draws."""
import filecmp
import re
import subprocess
import sys

import jupytext
import pytest

import course

SOURCES = course.notebook_sources()
IMAGE = re.compile(r"!\[([^\]]*)\]\(\.\./images/([\w.-]+)\)")
# Sentences about the notebook's own proof belong to the cell that introduces the check cell.
NARRATION = re.compile(r"\bthis run\b|\bassert|\bcheck cell\b|printed above|seed-style", re.IGNORECASE)


def markdown_cells(source):
    return [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "markdown"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_opening_says_the_question_the_outcomes_the_prerequisites_and_the_time(source):
    opening = markdown_cells(source)[0]
    assert opening.startswith(f"# {source.stem[:2]} · ")
    for heading in ("**The question.**", "**You will be able to**", "**You need**", "**Time.**"):
        assert heading in opening, f"the opening has no {heading}"
    outcomes = opening.split("**You will be able to**", 1)[1].split("**You need**", 1)[0]
    assert 3 <= len(re.findall(r"^- ", outcomes, flags=re.MULTILINE)) <= 5
    assert re.search(r"about \d+ minutes", opening.split("**Time.**", 1)[1])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_closing_states_conclusions_and_links_the_references(source):
    text = "\n".join(markdown_cells(source))
    assert "## What we learned" in text
    going_further = text.split("## Going further", 1)
    assert len(going_further) == 2, "no '## Going further' section"
    assert len(re.findall(r"\]\(https?://", going_further[1])) >= 2


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_a_diagram_drawn_by_the_repository_with_alt_text_that_says_what_it_shows(source):
    images = IMAGE.findall("\n".join(markdown_cells(source)))
    assert images, "no diagram from ../images/"
    for alt, name in images:
        assert (course.ROOT / "images" / name).is_file(), name
        assert len(alt.split()) >= 6, f"alt text of {name} says too little: {alt!r}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_prose_does_not_narrate_the_check(source):
    cells = jupytext.read(source).cells
    check = max(i for i, cell in enumerate(cells) if "check" in course.tags(cell))
    introduction = max(i for i in range(check) if cells[i].cell_type == "markdown")
    offending = [match.group(0) + ": " + cell.source[:80]
                 for i, cell in enumerate(cells) if cell.cell_type == "markdown" and i != introduction
                 for match in [NARRATION.search(cell.source)] if match]
    assert offending == []


def test_the_diagrams_in_images_are_what_draw_diagrams_draws(tmp_path):
    subprocess.run([sys.executable, str(course.ROOT / "images" / "draw_diagrams.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    drawn = sorted(p.name for p in tmp_path.iterdir())
    shipped = sorted(p.name for p in (course.ROOT / "images").glob("*.svg"))
    assert drawn == shipped
    assert [name for name in drawn if not filecmp.cmp(tmp_path / name, course.ROOT / "images" / name, shallow=False)] == []
