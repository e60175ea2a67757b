"""Boxes for the notebooks' interactive models.

QuestionBox: a text field, a button, an answer line. WritingBox: a prompt, two sliders, Write
and Stop buttons, and text that appears while it is being written. CellExplorer: a cell number,
a menu of features, and a text coloured by the chosen cell. AnswerAndPicture: a text field, a
button, the answer and a picture under it; AttentionBox draws where the model looked while
writing its answer, ProbabilityBox a bar per possible answer. The work is a plain function, so
tests drive a box headless: set its fields, call `box.button.click()`, then (for a WritingBox)
`box.wait()`, and read the result.
"""
import html
import threading
import time

import ipywidgets as widgets

WIDE_LABEL = {"description_width": "initial"}  # the whole label, never "temperat..."


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
    """A prompt, a temperature slider, a length slider, Write and Stop, and the text written.

    `write(prompt, temperature, length) -> (pieces, note)` does the work: `pieces` are strings
    (a plain string works too) whose concatenation is the text, and the note (e.g. why some
    prompt characters were left out) shows above it. Write draws the pieces in a background
    thread, so the text grows on screen while the kernel stays free to hear Stop.
    """

    def __init__(self, write, prompt="", temperature=0.8, length=300, max_length=2000, refresh=0.1):
        self.write, self.refresh = write, refresh
        self.prompt = widgets.Textarea(value=prompt, placeholder="type the start of a text")
        self.temperature = widgets.FloatSlider(value=temperature, min=0.0, max=2.0, step=0.05,
                                               description="temperature", style=WIDE_LABEL)
        self.length = widgets.IntSlider(value=length, min=1, max=max_length, description="length",
                                        style=WIDE_LABEL)
        self.button = widgets.Button(description="Write")
        self.stop_button = widgets.Button(description="Stop", disabled=True)
        self.note = widgets.Label()
        self.text = widgets.Textarea(layout=widgets.Layout(width="100%", height="16em"))
        for part, name in [(self.prompt, "prompt"), (self.temperature, "temperature"),
                           (self.length, "length"), (self.note, "note"), (self.text, "text")]:
            part.add_class(f"writing-{name}")  # CSS classes a browser test can find
        self.button.on_click(self.run)
        self.stop_button.on_click(self.stop)
        self.stopping, self.writer = threading.Event(), None
        self.widget = widgets.VBox([self.prompt, self.temperature, self.length,
                                    widgets.HBox([self.button, self.stop_button]), self.note, self.text])

    def run(self, _button=None):
        """Stop any writing under way, then start writing from the current settings."""
        self.stop()
        self.text.value = ""
        try:
            pieces, self.note.value = self.write(self.prompt.value, self.temperature.value, self.length.value)
        except Exception as error:  # the box must keep working whatever the model does
            self.note.value = f"Sorry, that failed: {type(error).__name__}: {error}"
            return
        self.stopping.clear()
        self.stop_button.disabled = False
        self.writer = threading.Thread(target=self.write_out, args=(iter(pieces),), daemon=True)
        self.writer.start()

    def write_out(self, pieces):
        """Append the pieces to the text, showing it every `refresh` seconds, until done or stopped."""
        written, shown = [], time.monotonic()
        try:
            for piece in pieces:
                written.append(piece)
                if self.stopping.is_set():
                    break
                if time.monotonic() - shown >= self.refresh:
                    self.text.value, shown = "".join(written), time.monotonic()
        except Exception as error:  # the box must keep working whatever the model does
            self.note.value = f"Sorry, that failed: {type(error).__name__}: {error}"
        finally:
            self.text.value = "".join(written)
            self.stop_button.disabled = True

    def stop(self, _button=None):
        """Stop the writing under way (if any) and wait until it has stopped."""
        self.stopping.set()
        self.wait()

    def wait(self):
        """Wait until the writing under way (if any) is done."""
        if self.writer is not None:
            self.writer.join()


class CellExplorer:
    """A cell number, a menu that jumps to a feature's best cell, and the text coloured by that cell.

    `render(cell) -> html` does the colouring; `best_cell` maps a feature's name to (cell, r).
    Typing another cell number resets the menu, so that a feature can be picked again.
    """

    def __init__(self, render, n_cells, best_cell):
        self.render = render
        self.cells = {f"{name}: cell {cell} (r = {r:+.2f})": cell for name, (cell, r) in best_cell.items()}
        self.cell = widgets.BoundedIntText(value=0, min=0, max=n_cells - 1, description="cell", style=WIDE_LABEL)
        self.feature = widgets.Dropdown(options=[("pick a feature", None)] + [(label, label) for label in self.cells],
                                        value=None, description="or the best cell for", style=WIDE_LABEL)
        self.view = widgets.HTML()
        for part, name in [(self.cell, "cell"), (self.feature, "feature"), (self.view, "view")]:
            part.add_class(f"explorer-{name}")  # CSS classes a browser test can find
        self.cell.observe(self.show, names="value")
        self.feature.observe(self.jump, names="value")
        self.feature.value = next(iter(self.cells))
        self.widget = widgets.VBox([widgets.HBox([self.cell, self.feature]), self.view])

    def jump(self, change):
        if change["new"] is not None:
            self.cell.value = self.cells[change["new"]]

    def show(self, _change=None):
        if self.feature.value is not None and self.cells[self.feature.value] != self.cell.value:
            self.feature.value = None
        self.view.value = self.render(self.cell.value)


class AnswerAndPicture:
    """A text field, a button, an answer line and a picture (HTML) under it.

    `respond(text) -> (answer, *what_to_draw)`; `draw(*what_to_draw) -> html`. A ValueError from
    `respond` says what to type instead: its message is shown in place of the answer, with no
    picture. The picture is also the attribute `picture_name` (CSS class `PREFIX-PICTURE_NAME`).
    """
    prefix = picture_name = None

    def __init__(self, respond, placeholder, button):
        self.respond = respond
        self.text = widgets.Text(placeholder=placeholder, continuous_update=False)
        self.button = widgets.Button(description=button)
        self.answer = widgets.Label()
        self.picture = widgets.HTML()
        setattr(self, self.picture_name, self.picture)
        for part, name in [(self.text, "text"), (self.answer, "answer"), (self.picture, self.picture_name)]:
            part.add_class(f"{self.prefix}-{name}")  # CSS classes a browser test can find
        self.button.on_click(self.ask)
        self.widget = widgets.VBox([widgets.HBox([self.text, self.button]), self.answer, self.picture])

    def draw(self, *what_to_draw):
        raise NotImplementedError

    def ask(self, _button=None):
        """Answer the text box's content; bad input or a failure becomes a message, never a traceback."""
        try:
            answer, *what_to_draw = self.respond(self.text.value)
        except ValueError as problem:  # the input: the message says what to type
            self.answer.value, self.picture.value = str(problem), ""
        except Exception as error:  # the box must keep working whatever the model does
            self.answer.value, self.picture.value = f"Sorry, that failed: {type(error).__name__}: {error}", ""
        else:
            self.answer.value, self.picture.value = answer, self.draw(*what_to_draw)


class AttentionBox(AnswerAndPicture):
    """The model's answer and where it looked while writing it: a table with a row per symbol
    written and a column per symbol read, deeper blue where it looked more.

    `respond(text) -> (answer, weights, read, written)`: the answer line, a (len(written),
    len(read)) table of attention weights, and the labels of its columns and rows.
    """
    prefix, picture_name = "attention", "map"

    def __init__(self, respond, placeholder="", button="Answer"):
        super().__init__(respond, placeholder, button)

    def draw(self, weights, read, written):
        return attention_table(weights, read, written)


def attention_table(weights, read, written):
    """HTML table of (len(written), len(read)) weights between 0 and 1, each cell as blue as its weight."""
    cell = "width: 1.3em; height: 1.3em; border: 1px solid #bbb; padding: 0"
    header = "".join(f"<th>{html.escape(label)}</th>" for label in read)
    rows = "".join(f"<tr><th>{html.escape(label)}</th>" + "".join(
        f'<td title="{weight:.2f}" style="{cell}; background: rgba(46, 134, 193, {weight:.2f})"></td>'
        for weight in row) + "</tr>" for label, row in zip(written, weights.tolist()))
    return (f'<table class="attention-table" style="border-collapse: collapse">'
            f"<tr><th></th>{header}</tr>{rows}</table>")


class ProbabilityBox(AnswerAndPicture):
    """The model's answer and a bar for each possible answer, as long as its probability.

    `respond(text) -> (answer, probabilities)`: the answer line and a dict {label: probability}.
    """
    prefix, picture_name = "probability", "bars"

    def __init__(self, respond, placeholder="", button="Which?"):
        super().__init__(respond, placeholder, button)

    def draw(self, probabilities):
        return probability_bars(probabilities)


def probability_bars(probabilities):
    """HTML table: a row per label, its probability as a number and as a bar (the largest green)."""
    best = max(probabilities.values())
    rows = "".join(
        f"<tr><th style='text-align: right; padding-right: 0.5em'>{html.escape(label)}</th>"
        f"<td style='width: 4em; text-align: right'>{p:.1%}</td><td style='width: 16em'>"
        f"<div style='width: {100 * p:.1f}%; height: 1em; background: {'#6aa84f' if p == best else '#999'}'>"
        f"</div></td></tr>" for label, p in probabilities.items())
    return f'<table class="probability-table">{rows}</table>'
