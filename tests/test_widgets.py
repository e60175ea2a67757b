import itertools
import threading
import time

from course_lib.widgets import QuestionBox, WritingBox


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
