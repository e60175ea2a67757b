"""Drive Tao's widget in notebook 06's own kernel, headless: set the text, click, read the answer."""
import nbformat

import course

DRIVE_THE_WIDGET = '''
def ask_through_the_box(text):
    tao_box.text.value = text
    tao_box.button.click()
    return tao_box.answer.value

assert ask_through_the_box("3+4=?") == "3+4=7"
assert ask_through_the_box(" 9 + 9 = ") == "9+9=18"
assert ask_through_the_box("0+0") == "0+0=0"
assert ask_through_the_box("") == "Type a sum such as 3+4=?"
assert ask_through_the_box("   ") == "Type a sum such as 3+4=?"
assert ask_through_the_box("3x4=?") == "Tao only reads digits, '+', '=' and '?', not 'x'"
assert ask_through_the_box("é+1") == "Tao only reads digits, '+', '=' and '?', not 'é'"
assert ask_through_the_box("1+1=?" * 5) == "That is too long: Tao answers one-digit sums such as 3+4=?"
assert ask_through_the_box("3+4+5") == "Tao needs a sum such as 3+4=?"
assert ask_through_the_box("=?") == "Tao needs a sum such as 3+4=?"
assert ask_through_the_box("12+3=?") == "Tao learned one-digit sums only (0 to 9)"
assert ask_through_the_box("__import__('os')") .startswith("Tao only reads digits")
'''


def test_tao_widget_answers_sums_and_explains_bad_input():
    notebook = course.read_notebook(course.NOTEBOOKS / "06_learning_to_add.py")
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVE_THE_WIDGET))
    course.execute(notebook)
