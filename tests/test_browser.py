"""The widgets in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven by playwright
(tests/browser_session.py).

Opens notebooks 07, 08, 10, 11 and 12 in five tabs, runs every cell of each with Run All Cells, types
into the widgets, clicks, and reads the answers from the page. Screenshots go to test-artifacts/.
When the notebook tests run in the same session, these browser runs stand in for their runs of
the five notebooks as shipped (conftest.py): each starts beside the solved run of its notebook.

Without a Chromium the test is skipped with a message that says how to get one; under CI
(CI=true) it fails instead, so that CI always runs it.
"""
import os
import re

import pytest
from playwright.sync_api import expect

import browser_session
from browser_session import ARTIFACTS, NO_CHROMIUM, PATIENCE, chromium_available, wait_until


@pytest.fixture(scope="module")
def running(request):
    """The notebooks that the selected tests use, each set running in its own tab at once (a
    notebook already started by the notebook tests is not started again)."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    tests = {item.originalname for item in request.session.items if getattr(item, "module", None) is request.module}
    session = browser_session.session()
    for test, name in NOTEBOOK_OF.items():
        if test in tests:
            session.start(name)
    return session


def finished(running, test):
    """The page of `test`'s notebook once every cell has run (its check cell has printed)."""
    return running.finished(NOTEBOOK_OF[test])


def screenshot(page, element, name):
    ARTIFACTS.mkdir(exist_ok=True)
    element.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


NOTEBOOK_OF = {  # test: the notebook it uses
    "test_tao_answers_sums_typed_in_the_browser": "07_tao_learns_sums",
    "test_the_writing_box_writes_in_the_browser": "08_text_generation",
    "test_the_cell_explorer_colours_text_in_the_browser": "10_what_the_cells_learned",
    "test_outputs_and_widgets_read_in_the_dark_theme": "10_what_the_cells_learned",
    "test_the_attention_box_answers_in_the_browser": "11_attention",
    "test_the_language_box_answers_in_the_browser": "12_which_language",
}


def test_tao_answers_sums_typed_in_the_browser(running):
    page = finished(running, "test_tao_answers_sums_typed_in_the_browser")
    question = page.locator("input[placeholder='3+4=?']")
    box = question.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    for typed, answer in [("7+5=?", "7+5=12"), ("9+9", "9+9=18"), ("x", "Tao only reads digits")]:
        question.fill(typed)
        question.press("Enter")  # the box syncs its text on Enter or blur, not on each key
        box.get_by_role("button", name="Ask").click()
        expect(box.locator(".widget-label").last).to_contain_text(answer, timeout=PATIENCE * 1000)
    screenshot(page, box, "07_tao_widget.png")


def test_the_writing_box_writes_in_the_browser(running):
    page = finished(running, "test_the_writing_box_writes_in_the_browser")
    try:
        use_the_writing_box(page)
    finally:
        screenshot(page, page.locator(".writing-prompt"), "08_writing_box.png")


def use_the_writing_box(page):
    prompt = page.locator(".writing-prompt textarea")
    box = prompt.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    written, note = box.locator(".writing-text textarea"), box.locator(".writing-note")
    for slider, value in [("temperature", "0"), ("length", "120")]:
        type_into_slider(page, box, slider, value)
    for typed, expected_text, expected_note in [  # each answer differs from the one before
            ("", "^$", "Type a prompt first"),
            ("The value of ", "^The value of [\\s\\S]{120}$", "greedy"),
            ("café ", "^caf [\\s\\S]{120}$", "Left out 'é'")]:
        prompt.fill(typed)
        box.get_by_role("button", name="Write").click()
        expect(written).to_have_value(re.compile(expected_text), timeout=PATIENCE * 1000)
        expect(note).to_contain_text(expected_note, timeout=PATIENCE * 1000)
    # 20,000 characters take many seconds to write: the text must show while it grows, and
    # Stop must end it there
    type_into_slider(page, box, "length", "20000")
    prompt.fill("The ")
    box.get_by_role("button", name="Write").click()
    page.wait_for_function("area => area.value.startsWith('The ') && area.value.length > 4 "
                           "&& area.value.length < 20004", arg=written.element_handle(),
                           timeout=PATIENCE * 1000)
    stop = box.get_by_role("button", name="Stop")
    stop.click()
    expect(stop).to_be_disabled(timeout=PATIENCE * 1000)
    stopped = written.input_value()
    assert stopped.startswith("The ") and len(stopped) < 20_004, len(stopped)


def type_into_slider(page, box, slider, value):
    """Type a value into a slider's readout, as a person who wants an exact value does."""
    box.locator(f".writing-{slider} .widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_the_cell_explorer_colours_text_in_the_browser(running):
    page = finished(running, "test_the_cell_explorer_colours_text_in_the_browser")
    coloured_characters = ("view => [...view.querySelectorAll('pre span')].filter(span => !['rgb(255, 255, 255)', "
                           "'rgba(0, 0, 0, 0)'].includes(getComputedStyle(span).backgroundColor)).length")
    printed = page.locator(".jp-OutputArea-output[data-mime-type='text/html']").first
    assert printed.evaluate(coloured_characters) > 100       # the notebook's coloured text renders coloured
    cell, view = page.locator(".explorer-cell input"), page.locator(".explorer-view")
    menu = page.locator(".explorer-feature select")
    try:
        for index in range(1, 5):  # each feature's best cell, from the menu (its labels use no-break spaces)
            menu.select_option(index=index)
            best = re.search(r"cell\s(\d+)", menu.locator("option").nth(index).text_content()).group(1)
            expect(cell).to_have_value(best, timeout=PATIENCE * 1000)
        shown = view.inner_html()
        cell.fill("3")
        cell.press("Enter")
        expect(cell).to_have_value("3")
        wait_until(page, lambda: view.inner_html() != shown, "typing a cell number did not recolour the text")
        assert view.evaluate(coloured_characters) > 100
    finally:
        screenshot(page, view, "10_cell_explorer.png")


# The contrast of an element's text with the first opaque background behind it (WCAG's formula).
CONTRAST = """element => {
    const rgb = text => text.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map(c => c / 255)
        .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    let behind = element;
    while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
    const [text, back] = [getComputedStyle(element).color, getComputedStyle(behind || document.body).backgroundColor];
    const [a, b] = [luminance(rgb(text)), luminance(rgb(back))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


FIGURE_BACKGROUNDS = """images => images.map(image => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return [Array.from(context.getImageData(0, 0, 1, 1).data), getComputedStyle(image).backgroundColor];
})"""  # each figure: its top-left pixel (RGBA) and the page's background behind it


def test_outputs_and_widgets_read_in_the_dark_theme(running):
    page = finished(running, "test_the_cell_explorer_colours_text_in_the_browser")
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile("^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Theme$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^JupyterLab Dark$")).click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=PATIENCE * 1000)
    try:
        texts = page.locator(".jp-OutputArea-output pre, .jp-OutputArea-output .widget-label, "
                             ".jp-OutputArea-output .widget-html-content, .jp-OutputArea-output select")
        contrasts = texts.evaluate_all(f"elements => elements.map({CONTRAST})")
        assert len(contrasts) > 10 and min(contrasts) >= 4.5, sorted(contrasts)[:5]
        # a figure reads on a dark page when it is drawn on white, or is transparent and JupyterLab puts white behind it
        figures = page.locator(".jp-RenderedImage img").evaluate_all(FIGURE_BACKGROUNDS)
        white = [255, 255, 255, 255]
        assert figures and all(corner == white or css == "rgb(255, 255, 255)" for corner, css in figures), figures
        screenshot(page, page.locator(".explorer-view"), "10_cell_explorer_dark.png")
        screenshot(page, page.locator(".jp-RenderedImage img").first, "10_figure_dark.png")
    finally:
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile("^Settings$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Theme$")).hover()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^JupyterLab Light$")).click()


def test_the_attention_box_answers_in_the_browser(running):
    page = finished(running, "test_the_attention_box_answers_in_the_browser")
    question = page.locator(".attention-text input")
    box = question.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    answer, rows = box.locator(".attention-answer"), box.locator(".attention-map tr")
    try:
        for typed, expected, written in [("abcdefgh", "reversed: hgfedcba", 9), ("4821+907", "4821+907 = 5728", 5),
                                         ("hello", "Type 5 to 30 letters from a to h", 0)]:
            question.fill(typed)
            question.press("Enter")  # the box syncs its text on Enter or blur, not on each key
            box.get_by_role("button", name="Answer").click()
            expect(answer).to_contain_text(expected, timeout=PATIENCE * 1000)
            expect(rows).to_have_count(written + 1 if written else 0)   # a header row, then one per symbol written
    finally:
        screenshot(page, box, "11_attention_box.png")


def test_the_language_box_answers_in_the_browser(running):
    page = finished(running, "test_the_language_box_answers_in_the_browser")
    question = page.locator(".probability-text input")
    box = question.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    answer, bars = box.locator(".probability-answer"), box.locator(".probability-bars tr")
    expect(answer).to_contain_text("Szymański: Polish", timeout=PATIENCE * 1000)   # the cell's own example
    try:
        for typed, expected, rows in [("Ó Súilleabháin", "Ó Súilleabháin: Irish", 8), ("", "Type a surname first", 0),
                                      ("Smith2", "Names have no digits", 0), ("Øster", "never saw 'Ø'", 0),
                                      ("Kozłowski", "Kozłowski: Polish", 8)]:
            question.fill(typed)
            question.press("Enter")  # the box syncs its text on Enter or blur, not on each key
            box.get_by_role("button", name="Which language?").click()
            expect(answer).to_contain_text(expected, timeout=PATIENCE * 1000)
            expect(bars).to_have_count(rows)
    finally:
        screenshot(page, box, "12_language_box.png")
