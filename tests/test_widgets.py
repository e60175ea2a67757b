from course_lib.widgets import QuestionBox


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
