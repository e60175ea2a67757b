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


def test_writing_box_passes_its_settings_and_shows_text_and_note():
    box = WritingBox(lambda prompt, temperature, length: (prompt * length, f"t={temperature}"),
                     prompt="ab", temperature=0.5, length=3)
    box.button.click()
    assert (box.text.value, box.note.value) == ("ababab", "t=0.5")
    box.temperature.value = 0.0
    box.button.click()
    assert box.note.value == "t=0.0"


def test_a_failing_writer_becomes_a_note_and_clears_the_text():
    box = WritingBox(lambda prompt, temperature, length: (str(1 // len(prompt)), ""))
    box.prompt.value = "x"
    box.button.click()
    assert box.text.value == "1"
    box.prompt.value = ""
    box.button.click()
    assert box.text.value == "" and box.note.value.startswith("Sorry, that failed: ZeroDivisionError")
