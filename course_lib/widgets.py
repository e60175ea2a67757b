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


class WritingBox:
    """A prompt, a temperature slider, a length slider, a button, and the text written from them.

    `write(prompt, temperature, length) -> (text, note)` does the work; the note (e.g. why some
    prompt characters were left out) shows above the text. Tests drive it like QuestionBox.
    """

    def __init__(self, write, prompt="", temperature=0.8, length=300, max_length=2000):
        self.write = write
        self.prompt = widgets.Textarea(value=prompt, placeholder="type the start of a text")
        self.temperature = widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.05,
                                               description="temperature")
        self.length = widgets.IntSlider(value=length, min=1, max=max_length, description="length")
        self.button = widgets.Button(description="Write")
        self.note = widgets.Label()
        self.text = widgets.Textarea(layout=widgets.Layout(width="100%", height="16em"))
        for part, name in [(self.prompt, "prompt"), (self.temperature, "temperature"),
                           (self.length, "length"), (self.note, "note"), (self.text, "text")]:
            part.add_class(f"writing-{name}")  # CSS classes a browser test can find
        self.button.on_click(self.run)
        self.widget = widgets.VBox([self.prompt, self.temperature, self.length, self.button,
                                    self.note, self.text])

    def run(self, _button=None):
        """Write from the current settings; a failure becomes a one-line note, never a traceback."""
        try:
            self.text.value, self.note.value = self.write(self.prompt.value, self.temperature.value,
                                                          self.length.value)
        except Exception as error:  # the box must keep working whatever the model does
            self.text.value = ""
            self.note.value = f"Sorry, that failed: {type(error).__name__}: {error}"
