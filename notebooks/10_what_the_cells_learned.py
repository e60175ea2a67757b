# %% [markdown]
# # 10 · What the cells learned
#
# **The question.** Notebook 08's model writes text that looks like its corpus, and notebook 09
# opened the LSTM cell. A trained cell state $c_t$ holds a few hundred numbers. Do any of them
# mean something a person would name, such as "we are inside a string" or "three brackets are
# open"?
#
# **You will be able to**
# - read an LSTM's cell state after every character of a text
# - measure features of a text by hand (inside a string, bracket depth, position in the line) and correlate every cell with each
# - tell a learned cell from chance, by choosing the best cell on one part of the text, scoring it on another, and comparing with an untrained network
# - show a cell's activation as coloured text, and explore the cells with a widget
#
# **You need** notebook 08 (the character model `CharLM`, trained with truncated
# backpropagation through time) and notebook 09 (the LSTM's cell state $c_t$ and
# $h_t = o_t \odot \tanh(c_t)$). Pearson's correlation $r$ is explained where it is used.
#
# **Time.** about 45 minutes with the two exercises; a minute or two of that is the machine
# training the model.
#
# Karpathy, Johnson and Fei-Fei (2015) found single cells like that in character models trained
# on code. Here we train one on the standard library's Python source, measure features of the
# text ourselves, and look for the cells that follow them.
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/10_what_the_cells_learned.ipynb) and run its first code cell.*

# %% tags=["colab"]
# Google Colab only (anywhere else this cell does nothing): fetch the course, then work in its
# notebooks/ folder with its course_lib. Colab already has every package the notebooks import.
import os, subprocess, sys
if "google.colab" in sys.modules and not os.path.isdir("../course_lib"):
    if not os.path.isdir("rnn-course"):
        subprocess.run(["git", "clone", "--depth", "1", "https://github.com/rnn-course/rnn-course", "rnn-course"], check=True)
    os.chdir("rnn-course/notebooks")
    sys.path.insert(0, os.path.abspath(".."))

# %%
import html

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import HTML, display
from tqdm.auto import tqdm

from course_lib import charlm
from course_lib.corpus import python_source_text, split_text, text_checksum
from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything
from course_lib.vocab import Vocabulary

seed_everything(0)
device = pick_device()

# %% [markdown]
# ## A character model of Python
#
# The first million characters of the standard library's modules, as Python 3.11 has them
# (the text ships with the course, so there is no download, and every Python trains on the same
# characters: the printed checksum says which text a run read), the last 10 % held out. The model is 08's `CharLM` with 256 units
# instead of 512, to keep the training short (its time is printed).

# %%
text = python_source_text(1_000_000)
vocab = Vocabulary(text)
train_text, held_out_text = split_text(text)
model = charlm.CharLM(len(vocab), hidden=256).to(device)
history = charlm.train(model, vocab.encode(train_text), vocab.encode(held_out_text), steps=2000, batch_size=32,
                       length=64, lr=1e-2, validation_sample=20_000, progress=tqdm)
print(f"{len(text):,} characters (checksum {text_checksum(text)}), {len(vocab)} distinct; held-out {history['validation'][-1]:.3f} bits/char after 2,000 steps "
      f"({history['seconds'][-1]:.0f} s of training)")

# %% [markdown]
# ## Features of the text, measured by hand
#
# For each character, the state of the text once that character has been read:
# - **inside a string**: 1 between an opening quote and its closing quote (`'`, `"`, or a
#   triple quote, escapes skipped), else 0; a `#` outside a string starts a comment, where
#   quotes do not count;
# - **bracket depth**: how many `(`, `[` and `{` are open, outside strings and comments;
# - **position in line**: characters since the last newline;
# - **indentation**: the spaces read so far at the start of the current line (it counts up
#   through the indentation, then stays until the newline).

# %%
FEATURES = ("inside a string", "bracket depth", "position in line", "indentation")


def text_features(text):
    """(len(text), 4) array: for each character, the four FEATURES after reading it."""
    rows = []
    quote, comment, escaped, skip = None, False, False, 0
    depth = column = indent = 0
    at_line_start = True
    for i, char in enumerate(text):
        if skip:                                  # the rest of a triple quote
            skip -= 1
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif text.startswith(quote, i):
                quote, skip = None, len(quote) - 1
        elif comment:
            comment = char != "\n"
        elif char == "#":
            comment = True
        elif char in "'\"":
            quote = char * 3 if text.startswith(char * 3, i) else char
            skip = len(quote) - 1
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        if char == "\n":
            column, indent, at_line_start = 0, 0, True
        else:
            column += 1
            at_line_start = at_line_start and char == " "
            indent += at_line_start
        rows.append((quote is not None, depth, column, indent))
    return np.array(rows, dtype=float)


# %%
example = 'def f(x):\n    return g("a(", [x])  # )\n'
rows = {"text": list(example.replace("\n", "⏎"))}                          # ⏎ stands for the newline
rows.update(zip(FEATURES, text_features(example).T.astype(int).tolist()))  # one row per feature
for name, row in rows.items():
    print(f"{name:>16}: " + "".join(f"{value:>3}" for value in row))

# %% [markdown]
# In the example, the `(` inside `"a("` and the `)` in the comment do not move the bracket
# depth, and the indentation row counts the four spaces of the second line.
#
# ## Reading the cells
#
# We run the trained LSTM over 20,000 held-out characters (from the first line that starts with
# `import`, so that the sample begins outside any string or bracket) one at a time, carrying the
# state as 08's generation did, and keep $\tanh(c_t)$ after every character: the cell state
# squashed the way the output uses it ($h_t = o_t \odot \tanh(c_t)$, notebook 09). Then, for
# every cell and every feature, **Pearson's correlation** $r$ over the characters: the average
# product of the two series once each is shifted to mean 0 and scaled to standard deviation 1.
# $r = 1$ means the cell rises and falls exactly with the feature, $r = -1$ exactly against it,
# $r = 0$ no straight-line relation. The sign is arbitrary: nothing asks a cell to be high
# rather than low inside a string, so $r = -0.7$ follows a feature as closely as $r = +0.7$.
#
# ![How a cell is read: the LSTM reads the text one character at a time; one cell's tanh(c_t) after each character is set beside the bracket depth counted by hand, and Pearson's r over all the characters says how closely it follows (the values in the picture are made up)](../images/reading_a_cell.svg)
#
# With 256 cells, the one that happens to correlate best with a feature on some text will look
# better there than it really is: picking the best of many is itself a fit. So we pick each
# feature's best cell on the first half of the sample and measure its $r$ on the second, as a
# model is chosen on validation data and scored on test data. A cell that follows its feature
# less closely on the second half than on the first can have two reasons. One is the choosing:
# among 256 cells, the winner on the first half was partly lucky there. The other is a harder
# half: the two halves are different code (other modules, other kinds of strings), and a
# feature can be harder to follow in one than in the other. To tell them apart, the table also
# chooses a best cell on the second half itself: the most closely any cell follows the feature
# there. That figure is not a fair score (it is chosen on the data it is scored on), but it is
# a yardstick: if even the second half's own best cell does no better than the one the first
# half chose, the half is harder; if it does much better, the choosing was the reason.

# %%
def cell_states(model, text, vocab):
    """(len(text), H) array: tanh(c_t) of the first layer after each character, read one at a time."""
    model.eval()
    with torch.no_grad():
        inputs, state, cells = model.embed(vocab.encode(text).to(model.device))[None], None, []  # (1, T, E)
        for t in range(inputs.shape[1]):
            _, state = model.lstm(inputs[:, t:t + 1], state)
            cells.append(torch.tanh(state[1][0, 0]))                 # c of layer 0, batch 0: (H,)
    return torch.stack(cells).cpu().numpy()


def correlations(cells, features):
    """(H, F): Pearson's r between every cell's activation and every feature, over the T characters."""
    z_cells = (cells - cells.mean(0)) / (cells.std(0) + 1e-12)
    z_features = (features - features.mean(0)) / (features.std(0) + 1e-12)
    return z_cells.T @ z_features / len(cells)


# %%
def best_cells(cells, features):
    """{feature: the cell whose |r| with it is largest} on these characters."""
    r = correlations(cells, features)
    return {name: int(np.abs(r[:, k]).argmax()) for k, name in enumerate(FEATURES)}


start = held_out_text.index("\nimport ") + 1
sample = held_out_text[start:start + 20_000]
features = text_features(sample)                                   # (T, 4)
cells = cell_states(model, sample, vocab)                          # (T, H)
half = sample.index("\n", 10_000) + 1                             # the second half starts on a new line
first, second = slice(0, half), slice(half, None)
best_cell = best_cells(cells[first], features[first])              # chosen on the first half
own_best_cell = best_cells(cells[second], features[second])        # chosen on the second: the yardstick
r_first = correlations(cells[first], features[first])
r = correlations(cells[second], features[second])                  # (H, 4): scored on the second
print(f"{'':16}  {'chosen on the first half':<29}  the second half's own best")
print(f"{'feature':>16}  cell  r on first  r on second  cell  r on second")
for k, name in enumerate(FEATURES):
    cell, own = best_cell[name], own_best_cell[name]
    print(f"{name:>16}  {cell:4d}  {r_first[cell, k]:+10.2f}  {r[cell, k]:+11.2f}  {own:4d}  {r[own, k]:+11.2f}")

# %% [markdown]
# The yardstick settles it for the string cell: on the second half no cell follows strings
# noticeably more closely than the one the first half chose. So its drop from about 0.7 to about
# 0.5 is not the choosing: strings are harder to follow in the second half's code. The same holds
# for bracket depth and the position in the line. Indentation, which no cell follows closely, is
# too weak a feature to tell.

# %% [markdown]
# ## Against chance: a network that learned nothing
#
# A correlation of 0.7 means little until we know what chance gives: with 256 cells and smooth
# features such as the position in the line, some cell of a random network may follow a feature
# too. The same model, untrained: built right after `seed_everything(0)`, as the trained one
# was, so it holds exactly the weights that training started from. On the same sample, its best
# cells chosen and scored the same way:

# %%
seed_everything(0)
untrained_cells = cell_states(charlm.CharLM(len(vocab), hidden=256).to(device), sample, vocab)
untrained_best = best_cells(untrained_cells[first], features[first])
untrained_r = correlations(untrained_cells[second], features[second])
best_r = {name: abs(r[best_cell[name], k]) for k, name in enumerate(FEATURES)}
untrained_best_r = {name: abs(untrained_r[untrained_best[name], k]) for k, name in enumerate(FEATURES)}
for name in FEATURES:
    print(f"{name:>16}: |r| of the best cell {best_r[name]:.2f} trained, {untrained_best_r[name]:.2f} untrained")

# %% [markdown]
# Inside a string and bracket depth are learned: the trained model's best cell follows them far
# more closely than the untrained one's. Position in the line and indentation are a different
# story: there the untrained network, whose cells react to the characters only through random
# weights, already has a cell not far behind the trained model's best, or level with it. For
# those two, the trained cells' correlations show little that training added.
#
# **Exercise 10.1 — does the bracket cell count?** A cell could only say "inside a bracket or
# not" (a *switch*: the same activation at every depth from 1 up) or count the open brackets (a
# *counter*: a different activation at each depth). Store in `depth_profile` the mean activation
# of the best cell for bracket depth at the characters of the second half whose depth is 0, 1
# and 2: a list of three numbers. The activations are `cells[second, best_cell["bracket depth"]]`,
# the depths `features[second, FEATURES.index("bracket depth")]`. Whatever its sign, a counter
# moves by a similar step from each depth to the next; a switch makes one step and stays. Look at
# the steps, at how many characters each mean rests on, and at the spread of the activations
# around each mean (the checker prints all three): which of the two kinds of cell is it, and
# does the cell hold one level at each depth?

# %% tags=["exercise"]
depth_profile = None  # [mean activation of the bracket cell at depth 0, 1, 2]

# Stuck? Uncomment the next line: it shows solutions/10_depth_profile.py and runs it here (in JupyterLab, `%load ../solutions/10_depth_profile.py` also works).
# solution("10_depth_profile")

# %% tags=["checker"]
from course_lib.checkers import check_depth_profile

check_depth_profile(depth_profile, cells[second, best_cell["bracket depth"]],
                    features[second, FEATURES.index("bracket depth")])

# %%
depth = features[second, FEATURES.index("bracket depth")]
bracket_cell = cells[second, best_cell["bracket depth"]]
towards = np.sign(r[best_cell["bracket depth"], FEATURES.index("bracket depth")])   # + means "more brackets"
levels = [level for level in range(5) if (depth == level).sum() >= 20]   # depths seen at least 20 times
fig, ax = plt.subplots(figsize=(6, 3))
ax.boxplot([towards * bracket_cell[depth == level] for level in levels], showfliers=False)
ax.set_xticks(range(1, len(levels) + 1), [f"{level}\n({int((depth == level).sum()):,} chars)" for level in levels])
ax.set_xlabel("bracket depth")
ax.set_ylabel(f"cell {best_cell['bracket depth']}, sign set\nso that up is deeper")
ax.set_title("the bracket cell at each depth (second half)")
plt.show()

# %% [markdown]
# Outside brackets the cell sits at one end of its range, and with two brackets open at the
# other. With one bracket open it can be anywhere: the mean at depth 1 of exercise 10.1 lands
# between the two ends, as a counter's would, but it is the average of a wide spread (the
# largest of the three spreads the exercise's checker gives), not a level the cell holds. So far
# the cell is neither a crisp switch nor a counter. One guess at what spreads it: a bracket can
# stay open across a line break, as a call spread over several lines does. Split the depth-1
# characters by whether their bracket was opened on the current line, with the cell's sign set
# so that + means "more brackets":

# %%
def opened_on_this_line(text, depth):
    """1 where the innermost open bracket was opened on the current line, else 0; `depth` from text_features."""
    openings, marks, line, previous = [], [], 0, 0   # openings: the line of each bracket still open
    for char, level in zip(text, depth):
        if level > previous:
            openings.append(line)
        elif level < previous:
            openings.pop()
        previous = level
        marks.append(bool(openings) and openings[-1] == line)
        line += char == "\n"
    return np.array(marks, dtype=float)


this_line = opened_on_this_line(sample, features[:, FEATURES.index("bracket depth")])[second]
groups = {"depth 0": depth == 0, "depth 1, opened on this line": (depth == 1) & (this_line == 1),
          "depth 1, opened on an earlier line": (depth == 1) & (this_line == 0), "depth 2": depth == 2}
group_means = {name: towards * bracket_cell[where].mean() for name, where in groups.items()}
for name, where in groups.items():
    print(f"{name:>35}: mean {group_means[name]:+.2f} over {int(where.sum()):,} characters")

# %% [markdown]
# Split that way, the spread comes apart. The cell is at one end outside brackets and near the
# other inside a bracket opened on the current line, while a bracket carried over from an
# earlier line leaves it in between. So it behaves like a switch rather than a counter, and a
# switch for something a little different from the feature we measured: "a bracket opened on
# this line is still open". A line break pulls it part of the way back towards where it sits
# outside brackets. Two cautions keep the switch from being settled: what we read is
# $\tanh(c_t)$, which flattens near $\pm 1$ and could hide a count in the raw cell $c_t$, and
# depth 2 rests on few characters (see the counts beside each mean). Reading the raw cell on a
# text with many more nested brackets would settle it. A correlation with a feature we chose is
# a first guess at what a cell does; looking at where it disagrees refines the guess.

# %% [markdown]
# **Exercise 10.2 — a feature of your own: inside a comment.** Write `inside_comment(text)`: an
# array with one number per character, 1 from a `#` up to the end of its line (the newline
# itself gets 0), else 0. A `#` inside a string starts no comment (`text_features(text)[:, 0]`
# says where the strings are). Then find its cell the fair way: store in `comment_cell` the
# cell whose |r| with `inside_comment(sample)` is largest on the first half of the sample
# (`correlations` wants the feature as a column, shape (T, 1)). The checker tries your function
# on a few lines, then scores your cell on the second half, beside the untrained network's best
# cell chosen the same way, and says whether it is the string cell. Did the model learn a
# comment cell?

# %% tags=["exercise"]
def inside_comment(text):
    raise NotImplementedError("your code here")


comment_cell = None  # the cell that follows inside_comment(sample) best on the first half

# Stuck? Uncomment the next line: it shows solutions/10_inside_comment.py and runs it here (in JupyterLab, `%load ../solutions/10_inside_comment.py` also works).
# solution("10_inside_comment")

# %% tags=["checker"]
from course_lib.checkers import check_inside_comment

check_inside_comment(inside_comment, comment_cell, sample, cells, untrained_cells, first, second,
                     best_cell["inside a string"], correlations)

# %% [markdown]
# ## Each best cell beside its feature
#
# Each feature (scaled to 0-1) with its best cell laid over it, for the first 1,500 characters
# of the second half, the cell's sign flipped where its r is negative, so that both lines rise
# together. Where a bracket stays open over several lines, watch what the bracket cell does at
# each line break. And compare the position cell with its feature: does it ramp up along each
# line as the feature does, or jump once, near the start of the line?

# %%
fig, axes = plt.subplots(len(FEATURES), 1, figsize=(10, 8), sharex=True, layout="constrained")
window = slice(half, half + 1500)
for ax, (k, name) in zip(axes, enumerate(FEATURES)):
    cell = best_cell[name]
    ax.plot(features[window, k] / max(features[window, k].max(), 1), label=f"{name} (scaled to 0-1)")
    ax.plot(np.sign(r[cell, k]) * cells[window, cell], label=f"cell {cell}" + (" (sign flipped)" if r[cell, k] < 0 else ""))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, fontsize=8, frameon=False, borderaxespad=0.2)
fig.supylabel("feature / cell activation")
axes[-1].set_xlabel("character of the held-out sample (second half)")
plt.show()

# %% [markdown]
# ## Text coloured by a cell
#
# A cell's activation after each character, as that character's background: red for positive,
# blue for negative, white near zero. A cell with a positive r turns red where its feature grows,
# one with a negative r turns blue: the r beside each cell's number says which to expect.

# %%
def coloured(text, activations):
    """HTML: each character of `text`, in black, on a background coloured by its activation in [-1, 1]."""
    spans = []
    for char, value in zip(text, activations):
        red, blue = (255, 255 - int(200 * value)) if value > 0 else (255 + int(200 * value), 255)
        green = 255 - int(200 * abs(value))
        spans.append(f'<span style="background-color: rgb({red},{green},{blue})">{html.escape(char)}</span>')
    # black on white whatever the theme: a dark theme's light letters would not read on light cells
    return '<pre style="color: black; background-color: white; line-height: 1.35; font-size: 12px">' + \
        "".join(spans) + "</pre>"


shown = slice(half, half + 700)
for name in ("inside a string", "bracket depth"):
    cell = best_cell[name]
    print(f"cell {cell}, the best for {name} (r = {r[cell, FEATURES.index(name)]:+.2f}):")
    display(HTML(coloured(sample[shown], cells[shown, cell])))

# %% [markdown]
# ## Explore
#
# Pick a cell by number, or a feature to see its best cell, and scroll through the text. Try a
# few cells at random too: what do they follow?

# %%
from course_lib.widgets import CellExplorer

explored = slice(half, half + 2000)
explorer = CellExplorer(lambda cell: coloured(sample[explored], cells[explored, cell]), cells.shape[1],
                        best_cell={name: (best_cell[name], r[best_cell[name], k]) for k, name in enumerate(FEATURES)})
display(explorer.widget)

# %% [markdown]
# ## What we learned
#
# - Some single cells of a character LSTM trained on code follow features a person would name:
#   one cell follows whether a bracket is open, another, less closely, whether the text is inside
#   a string. Nobody labelled these features: predicting the next character was reason enough
#   to learn them.
# - A correlation needs a baseline. Chosen on one part of the text and scored on another, the
#   trained model's best cells for strings and brackets follow them far more closely than the
#   best cell of the same network untrained; for position in the line and indentation, the
#   untrained network's best cell comes close, so those correlations show little that training
#   added.
# - The sign of a cell's $r$ carries no meaning: a cell can follow a feature by falling as well
#   as by rising.
# - Looking inside says *how* a cell follows a feature, and sometimes that it follows a slightly
#   different one: read through $\tanh$, on this text, the bracket cell behaves like a switch,
#   not a counter, and what it switches on is "a bracket opened on this line is still open".
#
# ## Going further
#
# - Karpathy, Johnson & Fei-Fei (2015), [Visualizing and Understanding Recurrent
#   Networks](https://arxiv.org/abs/1506.02078): the cells of character LSTMs trained on Linux
#   source and on novels (quotes, brackets, line length), and where LSTMs beat n-grams.
# - Andrej Karpathy (2015), [The Unreasonable Effectiveness of Recurrent Neural
#   Networks](https://karpathy.github.io/2015/05/21/rnn-effectiveness/): char-rnn, and text
#   coloured by a cell, as here.
# - Radford, Jozefowicz & Sutskever (2017), [Learning to Generate Reviews and Discovering
#   Sentiment](https://arxiv.org/abs/1704.01444): a single unit of a character LSTM trained on
#   reviews that tracks their sentiment.
# - Chris Olah, [Understanding LSTM Networks](https://colah.github.io/posts/2015-08-Understanding-LSTMs/):
#   the cell state and its gates, in pictures.

# %% [markdown]
# ## Check
#
# The check cell below asserts what this notebook teaches. The model learned its text: below 2.3
# bits per character held out. Chosen on the first half of the sample and scored on the second,
# the best cell for bracket depth follows it with |r| of at least 0.6 (CPUs round floats a
# little differently, so each trains a slightly different network and this figure differs from
# one to another; the comparison with the untrained network is the firmer evidence); for inside
# a string and
# bracket depth the best trained cell's |r| is at least 0.3 above the best untrained cell's, for
# position in line and indentation less than 0.3 above. The string cell's |r| is at least 0.1
# lower on the second half than on the first, and for inside a string, bracket depth and
# position in line no cell's |r| on the second half beats the chosen cell's by 0.05 or more:
# the drop comes from a harder half, not from the choosing. On the second half, the bracket cell
# (its sign set so that + means more brackets) is higher at depth 1 than at depth 0, and at
# depth 1 at least 0.3 higher when the bracket was opened on the current line than when it was
# opened on an earlier line. The explorer shows the cell it is asked for.

# %% tags=["check"]
held_out_bits = history["validation"][-1]
assert held_out_bits < 2.3, held_out_bits
assert best_r["bracket depth"] >= 0.6, best_r
gaps = {name: best_r[name] - untrained_best_r[name] for name in FEATURES}
assert gaps["inside a string"] >= 0.3 and gaps["bracket depth"] >= 0.3, gaps
assert gaps["position in line"] < 0.3 and gaps["indentation"] < 0.3, gaps
string_column = FEATURES.index("inside a string")
assert abs(r_first[best_cell["inside a string"], string_column]) - best_r["inside a string"] >= 0.1, best_r
own_best_r = {name: abs(r[own_best_cell[name], k]) for k, name in enumerate(FEATURES)}     # the yardstick
assert all(own_best_r[name] - best_r[name] < 0.05 for name in FEATURES[:3]), (own_best_r, best_r)
outside, carried, this_line_open = (group_means[name] for name in ("depth 0", "depth 1, opened on an earlier line",
                                                                     "depth 1, opened on this line"))
assert outside < carried and this_line_open - carried >= 0.3, group_means
explorer.cell.value = best_cell["bracket depth"]
assert explorer.view.value == coloured(sample[explored], cells[explored, best_cell["bracket depth"]])
print(f"check passed: held-out {held_out_bits:.3f} bits/char; best |r| on the second half, trained (untrained): "
      + ", ".join(f"{name} {best_r[name]:.2f} ({untrained_best_r[name]:.2f})" for name in FEATURES)
      + "; the bracket cell: " + ", ".join(f"{name} {value:+.2f}" for name, value in group_means.items()))
