# %% [markdown]
# # 10 · What the cells learned
#
# **The question.** Notebook 08's model writes text that looks like its corpus, and notebook 09
# opened the LSTM cell. A trained cell state $c_t$ holds a few hundred numbers. Do any of them
# mean something a person would name, such as "we are inside a string" or "three brackets are
# open"? Karpathy, Johnson and Fei-Fei (2015) found single cells like that in character models
# trained on code. Here we train one on the standard library's Python source, measure features
# of the text ourselves, and look for the cells that follow them.
#
# It comes last because it needs the character model of 08 and the cell state of 08.

# %%
import html

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import HTML, display
from tqdm.auto import tqdm

from course_lib import charlm
from course_lib.corpus import python_source_text, split_text
from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything
from course_lib.vocab import Vocabulary

seed_everything(0)
device = pick_device()

# %% [markdown]
# ## A character model of Python
#
# The first million characters of the standard library's modules (they ship with every Python,
# so no download), the last 10 % held out. The model is 08's `CharLM` with 256 units instead of
# 512, to keep the training short (its time is printed).

# %%
text = python_source_text(1_000_000)
vocab = Vocabulary(text)
train_text, held_out_text = split_text(text)
model = charlm.CharLM(len(vocab), hidden=256).to(device)
history = charlm.train(model, vocab.encode(train_text), vocab.encode(held_out_text), steps=2000, batch_size=32,
                       length=64, lr=1e-2, validation_sample=20_000, progress=tqdm)
print(f"{len(vocab)} characters; held-out {history['validation'][-1]:.3f} bits/char after 2,000 steps "
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
# - **indentation**: the spaces at the start of the current line.

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
for name, row in zip(["text"] + list(FEATURES), [list(example.replace("\n", "⏎"))] + text_features(example).T.astype(int).tolist()):
    print(f"{name:>16}: " + "".join(f"{value:>3}" for value in row))

# %% [markdown]
# Read the rows above against the example: the `(` inside `"a("` and the `)` in the comment do
# not move the bracket depth, and the indentation row counts the four spaces of the second line.
#
# ## Reading the cells
#
# We run the trained LSTM over 10,000 held-out characters (from the first line that starts with
# `import`, so that the sample begins outside any string or bracket) one at a time, carrying
# the state as 08's generation did, and keep $\tanh(c_t)$ after every character: the cell state squashed the
# way the output uses it ($h_t = o_t \odot \tanh(c_t)$, notebook 09).

# %%
def cell_states(model, text):
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
start = held_out_text.index("\nimport ") + 1
sample = held_out_text[start:start + 10_000]
features = text_features(sample)                                   # (T, 4)
cells = cell_states(model, sample)                                 # (T, H)
r = correlations(cells, features)                                  # (H, 4)
best_cell = {name: int(np.abs(r[:, k]).argmax()) for k, name in enumerate(FEATURES)}
for k, name in enumerate(FEATURES):
    cell = best_cell[name]
    print(f"{name:>16}: cell {cell:3d}, r = {r[cell, k]:+.2f}")

# %% [markdown]
# ## Against chance: a network that learned nothing
#
# A correlation of 0.7 means little until we know what chance gives: with 256 cells and smooth
# features such as the position in the line, some cell of a random network may follow a feature
# too. The same model, untrained (built right after `seed_everything(0)`), on the same sample:

# %%
seed_everything(0)
untrained_r = correlations(cell_states(charlm.CharLM(len(vocab), hidden=256).to(device), sample), features)
best_r = {name: np.abs(r[:, k]).max() for k, name in enumerate(FEATURES)}
untrained_best_r = {name: np.abs(untrained_r[:, k]).max() for k, name in enumerate(FEATURES)}
for name in FEATURES:
    print(f"{name:>16}: best |r| {best_r[name]:.2f} trained, {untrained_best_r[name]:.2f} untrained")

# %% [markdown]
# Inside a string and bracket depth are learned: the best trained cell follows them far more
# closely than any untrained one (printed above; the check cell asserts a gap of at least 0.3).
# Position in the line and indentation are a different story: an untrained network, its cells
# driven by the characters alone, already has a cell within 0.3 of the trained model's best
# (printed above, also asserted). For those two, the trained cells' correlations prove little.
#
# **Exercise 10.1 — does the bracket cell count?** A cell could only say "inside a bracket or
# not" (the same activation at every depth from 1 up) or count the open brackets (a different
# activation at each depth). Store in `depth_profile` the mean activation of the best cell for
# bracket depth at the characters of `sample` whose depth is 0, 1 and 2: a list of three
# numbers. The activations are `cells[:, best_cell["bracket depth"]]`, the depths
# `features[:, FEATURES.index("bracket depth")]`. Its r is negative, so expect it to fall as the
# depth grows. Look at the step from each depth to the next, and at how many characters each
# mean rests on (the checker prints both): which of the two kinds of cell is it?

# %% tags=["exercise"]
depth_profile = None  # [mean activation of the bracket cell at depth 0, 1, 2]

# Stuck? Uncomment the next line: it shows solutions/10_depth_profile.py and runs it here (in JupyterLab, `%load ../solutions/10_depth_profile.py` also works).
# solution("10_depth_profile")

# %% tags=["checker"]
from course_lib.checkers import check_depth_profile

check_depth_profile(depth_profile, cells[:, best_cell["bracket depth"]], features[:, FEATURES.index("bracket depth")])

# %% [markdown]
# **Exercise 10.2 — a feature of your own: inside a comment.** Write `inside_comment(text)`: an
# array with one number per character, 1 from a `#` up to the end of its line (the newline
# itself gets 0), else 0. A `#` inside a string starts no comment (`text_features(text)[:, 0]`
# says where the strings are). The checker tries it on a few lines, then tells you which cell of
# the trained model follows comments best.

# %% tags=["exercise"]
def inside_comment(text):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/10_inside_comment.py and runs it here (in JupyterLab, `%load ../solutions/10_inside_comment.py` also works).
# solution("10_inside_comment")

# %% tags=["checker"]
from course_lib.checkers import check_inside_comment

check_inside_comment(inside_comment, cells, sample, correlations)

# %%
fig, axes = plt.subplots(len(FEATURES), 1, figsize=(10, 7), sharex=True)
window = slice(0, 1500)
for ax, (k, name) in zip(axes, enumerate(FEATURES)):
    cell = best_cell[name]
    ax.plot(features[window, k] / max(features[window, k].max(), 1), label=f"{name} (scaled to 0-1)")
    ax.plot(np.sign(r[cell, k]) * cells[window, cell], label=f"cell {cell}" + (" (sign flipped)" if r[cell, k] < 0 else ""))
    ax.legend(loc="upper right", fontsize=8)
axes[-1].set_xlabel("character of the held-out sample")
plt.show()

# %% [markdown]
# The plot lays each feature's best cell (its sign flipped where r < 0: nothing tells a cell
# which sign to use) over the feature, for the first 1,500 characters.
#
# ## Text coloured by a cell
#
# A cell's activation after each character, as that character's background: red for positive,
# blue for negative, white near zero. The bracket cell's r is negative, so it turns blue as
# brackets open.

# %%
def coloured(text, activations):
    """HTML: each character of `text` on a background coloured by its activation in [-1, 1]."""
    spans = []
    for char, value in zip(text, activations):
        red, blue = (255, 255 - int(200 * value)) if value > 0 else (255 + int(200 * value), 255)
        green = 255 - int(200 * abs(value))
        spans.append(f'<span style="background-color: rgb({red},{green},{blue})">{html.escape(char)}</span>')
    return '<pre style="line-height: 1.35; font-size: 12px">' + "".join(spans) + "</pre>"


for name in ("inside a string", "bracket depth"):
    cell = best_cell[name]
    print(f"cell {cell}, the best for {name}:")
    display(HTML(coloured(sample[:700], cells[:700, cell])))

# %% [markdown]
# ## Explore
#
# Pick a cell by number, or a feature to see its best cell, and scroll through the text. Try a
# few cells at random too: what do they follow?

# %%
from course_lib.widgets import CellExplorer

explorer = CellExplorer(lambda cell: coloured(sample[:2000], cells[:2000, cell]), cells.shape[1],
                        best_cell={name: (best_cell[name], r[best_cell[name], k]) for k, name in enumerate(FEATURES)})
display(explorer.widget)

# %% [markdown]
# ## Check
#
# The model learned its text: below 2.3 bits per character held out. The best cell for bracket
# depth follows it with |r| of at least 0.7; for inside a string and bracket depth the best
# trained cell's |r| is at least 0.3 above the best untrained cell's, for position in line and
# indentation less than 0.3 above. The explorer shows the cell it is asked for.

# %% tags=["check"]
held_out_bits = history["validation"][-1]
assert held_out_bits < 2.3, held_out_bits
assert best_r["bracket depth"] >= 0.7, best_r
gaps = {name: best_r[name] - untrained_best_r[name] for name in FEATURES}
assert gaps["inside a string"] >= 0.3 and gaps["bracket depth"] >= 0.3, gaps
assert gaps["position in line"] < 0.3 and gaps["indentation"] < 0.3, gaps
explorer.cell.value = best_cell["bracket depth"]
assert explorer.view.value == coloured(sample[:2000], cells[:2000, best_cell["bracket depth"]])
print(f"check passed: held-out {held_out_bits:.3f} bits/char; best |r| trained (untrained): "
      + ", ".join(f"{name} {best_r[name]:.2f} ({untrained_best_r[name]:.2f})" for name in FEATURES))
