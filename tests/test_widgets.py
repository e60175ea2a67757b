import itertools
import threading
import time

import pytest

import course
import torch

from course_lib.widgets import AttentionBox, CellExplorer, ProbabilityBox, QuestionBox, WritingBox


def test_clicking_answers_the_text_box_content():
    box = QuestionBox(lambda text: text.upper())
    box.text.value = "hello"
    box.button.click()
    assert box.answer.value == "HELLO"


def test_a_failing_answer_becomes_a_message_and_the_box_keeps_working():
    box = QuestionBox(lambda text: str(1 // int(text)))
    box.text.value = "0"
    box.button.click()
    assert box.answer.value.startswith("Sorry, that failed: ZeroDivisionError")
    box.text.value = "1"
    box.button.click()
    assert box.answer.value == "1"


READ_SUM = course.definitions("07", "read_sum")["read_sum"]  # notebook 07's reader for Tao's box


@pytest.mark.parametrize("typed, operands", [("3+4=?", (3, 4)), (" 9 + 9 = ", (9, 9)), ("0+0", (0, 0))])
def test_tao_reads_a_one_digit_sum_however_it_is_typed(typed, operands):
    assert READ_SUM(typed) == operands


@pytest.mark.parametrize("typed, message", [
    ("", "Type a sum such as 3+4=?"), ("   ", "Type a sum such as 3+4=?"),
    ("3x4=?", "Tao only reads digits, '+', '=' and '?', not 'x'"),
    ("é+1", "Tao only reads digits, '+', '=' and '?', not 'é'"),
    ("1+1=?" * 5, "That is too long: Tao answers one-digit sums such as 3+4=?"),
    ("3+4+5", "Tao needs a sum such as 3+4=?"), ("=?", "Tao needs a sum such as 3+4=?"),
    ("12+3=?", "Tao learned one-digit sums only (0 to 9)"),
    ("__import__('os')", "Tao only reads digits, '+', '=' and '?', not \"'()_imoprst\"")])
def test_tao_explains_bad_input_in_a_sentence(typed, message):
    with pytest.raises(ValueError) as explained:
        READ_SUM(typed)
    assert str(explained.value) == message


def click_and_wait(box):
    box.button.click()
    box.wait()


def until(condition, seconds=120):
    """Poll `condition` until it holds; fail after `seconds` (a limit, not a wait)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_writing_box_passes_its_settings_and_shows_text_and_note():
    box = WritingBox(lambda prompt, temperature, length: (prompt * length, f"t={temperature}"),
                     prompt="ab", temperature=0.5, length=3)
    click_and_wait(box)
    assert (box.text.value, box.note.value) == ("ababab", "t=0.5")
    box.temperature.value = 0.0
    click_and_wait(box)
    assert box.note.value == "t=0.0"


def test_a_failing_writer_becomes_a_note_and_clears_the_text():
    box = WritingBox(lambda prompt, temperature, length: (str(1 // len(prompt)), ""))
    box.prompt.value = "x"
    click_and_wait(box)
    assert box.text.value == "1"
    box.prompt.value = ""
    click_and_wait(box)
    assert box.text.value == "" and box.note.value.startswith("Sorry, that failed: ZeroDivisionError")


def test_the_text_shows_while_it_is_written_and_stop_stops_it():
    go_on = threading.Event()

    def endless(prompt, temperature, length):
        def pieces():
            yield from prompt
            go_on.wait()          # the writer pauses here until the test has seen the prompt
            yield from itertools.repeat("x")
        return pieces(), ""

    box = WritingBox(endless, prompt="The ", refresh=0)
    box.button.click()
    until(lambda: box.text.value == "The ")    # shown before the writing has ended
    assert box.writer.is_alive() and not box.stop_button.disabled
    go_on.set()
    until(lambda: len(box.text.value) > 100)
    box.stop_button.click()
    assert not box.writer.is_alive() and box.stop_button.disabled
    stopped_at = box.text.value
    assert stopped_at.startswith("The xxx") and set(stopped_at[4:]) == {"x"}
    box.prompt.value = "Again "
    box.length.value = 5                          # Write again after Stop: a fresh text
    box.button.click()
    until(lambda: box.text.value.startswith("Again x"))
    box.stop()
    assert not box.writer.is_alive()


def test_slider_labels_are_shown_whole():
    box = WritingBox(lambda prompt, temperature, length: ("", ""))
    assert box.temperature.style.description_width == "initial"
    assert box.length.style.description_width == "initial"


def test_the_cell_explorer_shows_the_cell_typed_or_the_best_cell_of_the_feature_picked():
    explorer = CellExplorer(lambda cell: f"<pre>cell {cell}</pre>", 256,
                            best_cell={"inside a string": (12, 0.68), "bracket depth": (200, -0.75)})
    string, depth = "inside a string: cell 12 (r = +0.68)", "bracket depth: cell 200 (r = -0.75)"
    assert explorer.feature.value == string and explorer.view.value == "<pre>cell 12</pre>"
    explorer.feature.value = depth
    assert explorer.cell.value == 200 and explorer.view.value == "<pre>cell 200</pre>"
    explorer.cell.value = 7                            # a cell typed in: the menu no longer names a feature
    assert explorer.view.value == "<pre>cell 7</pre>" and explorer.feature.value is None
    explorer.feature.value = depth                     # so the same feature can be picked again
    assert explorer.cell.value == 200 and explorer.view.value == "<pre>cell 200</pre>"
    explorer.cell.value = 999                          # past the last cell: the box keeps it in range
    assert explorer.cell.value == 255 and explorer.view.value == "<pre>cell 255</pre>"


def test_the_attention_box_shows_the_answer_and_a_row_of_weights_per_symbol_written():
    def respond(text):
        if not text.isalpha():
            raise ValueError("Type letters")
        if text == "boom":
            raise RuntimeError("the model broke")
        return f"reversed: {text[::-1]}", torch.eye(len(text)).flip(1), text, list(text[::-1])

    box = AttentionBox(respond)
    box.text.value = "abc"
    box.button.click()
    assert box.answer.value == "reversed: cba"
    assert box.map.value.count("<tr>") == 1 + 3 and box.map.value.count("<td ") == 9
    assert box.map.value.count("rgba(46, 134, 193, 1.00)") == 3 and "<th>a</th>" in box.map.value
    box.text.value = "a<b"                                  # a ValueError is a message; the table goes
    box.button.click()
    assert (box.answer.value, box.map.value) == ("Type letters", "")
    box.text.value = "boom"                                 # any other failure too, and the box goes on
    box.button.click()
    assert box.answer.value == "Sorry, that failed: RuntimeError: the model broke" and box.map.value == ""
    box.text.value = "<b>"[1:2] * 2
    box.button.click()
    assert box.answer.value == "reversed: bb"


def test_the_attention_table_escapes_what_it_shows():
    box = AttentionBox(lambda text: ("", torch.ones(1, 1), "<", [">"]))
    box.button.click()
    assert "<th>&lt;</th>" in box.map.value and "<th>&gt;</th>" in box.map.value


def test_the_probability_box_shows_the_answer_and_a_bar_per_language():
    def respond(text):
        if not text:
            raise ValueError("Type a surname first")
        if text == "boom":
            raise RuntimeError("the model broke")
        return f"{text}: A", {"A": 0.75, "B<": 0.25}

    box = ProbabilityBox(respond)
    box.text.value = "Nowak"
    box.button.click()
    assert box.answer.value == "Nowak: A"
    assert box.bars.value.count("<tr>") == 2 and "75.0%" in box.bars.value and "width: 25.0%" in box.bars.value
    assert "B&lt;" in box.bars.value and "B<" not in box.bars.value          # labels are escaped
    box.text.value = ""                                                     # a ValueError is a message; the bars go
    box.button.click()
    assert (box.answer.value, box.bars.value) == ("Type a surname first", "")
    box.text.value = "boom"                                                 # any other failure too, and the box goes on
    box.button.click()
    assert box.answer.value == "Sorry, that failed: RuntimeError: the model broke" and box.bars.value == ""


def notebook_12_reader():
    """Notebook 12's which_language, answering with an untrained reader."""
    scope = course.definitions("12", "which_language", "language_probabilities", "alphabet", "names", "LANGUAGES", "NameReader",
                               "PAD", device=torch.device("cpu"))
    torch.manual_seed(0)
    scope["reader"] = scope["NameReader"](len(scope["alphabet"]), len(scope["LANGUAGES"]))
    return scope


@pytest.mark.parametrize("typed, message", [
    ("", "Type a surname first"), ("   ", "Type a surname first"),
    ("Smith2", "Names have no digits"), ("Øster", "The reader never saw 'Ø' in a name")])
def test_the_language_box_explains_bad_input_in_a_sentence(typed, message):
    with pytest.raises(ValueError, match=message):
        notebook_12_reader()["which_language"](typed)


def test_the_language_box_answers_a_name_with_a_probability_per_language():
    scope = notebook_12_reader()
    answer, probabilities = scope["which_language"]("  Mac Cárthaigh ")
    assert answer.startswith("Mac Cárthaigh: ") and list(probabilities) == scope["LANGUAGES"]
    assert abs(sum(probabilities.values()) - 1) < 1e-5 and max(probabilities, key=probabilities.get) in answer
