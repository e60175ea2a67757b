"""A question box for the notebooks' interactive models: a text field, a button, an answer line.

The answering is a plain function `respond(text) -> str`, so tests drive the box headless:
set `box.text.value`, call `box.button.click()`, read `box.answer.value`.
"""
import ipywidgets as widgets


class QuestionBox:
    def __init__(self, respond, placeholder="", button="Ask"):
        self.respond = respond
        self.text = widgets.Text(placeholder=placeholder)
        self.button = widgets.Button(description=button)
        self.answer = widgets.Label()
        self.button.on_click(self.ask)
        self.text.continuous_update = False
        self.widget = widgets.VBox([widgets.HBox([self.text, self.button]), self.answer])

    def ask(self, _button=None):
        """Answer the text box's content; a failure becomes a one-line message, never a traceback."""
        try:
            self.answer.value = self.respond(self.text.value)
        except Exception as error:  # the box must keep working whatever the model does
            self.answer.value = f"Sorry, that failed: {type(error).__name__}: {error}"
