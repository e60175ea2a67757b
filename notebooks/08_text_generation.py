# %% [markdown]
# # 08 · Writing like the Python documentation
#
# **The question.** An LSTM reads a text one character at a time and learns to guess the
# next one. Does it learn more than a table that simply counts which character followed
# each run of the last few characters? And once it has learned, how do we make it write?
#
# **You will be able to**
# - cut a long text into contiguous streams and windows, and train a character model on them
#   with truncated backpropagation through time, knowing what the truncation cannot learn;
# - score a language model in bits per character and perplexity on text it has never seen;
# - count an n-gram model, keep it writing on contexts it never saw (backoff), and smooth it
#   so that it can be scored;
# - write with a temperature and a priming text, carrying the hidden state instead of
#   re-reading everything written so far;
# - save and reload a trained model, and train one from the command line.
#
# **You need** notebooks 01 (characters as integers and one-hot vectors), 02 (cross-entropy
# in nats and bits, sampling with a temperature, backpropagation through time) and 04
# (PyTorch's recurrent layers and their shapes). The LSTM is used here as a recurrent layer
# whose state is a pair (h, c); notebook 09 opens it.
#
# **Time.** about 75 minutes with the three exercises; a minute or two of that is the machine
# training the LSTM.
#
# In 2015 Andrej Karpathy's char-rnn made character-level LSTMs famous for writing
# Shakespeare, Linux source code and Wikipedia markup. Yoav Goldberg answered with a
# notebook showing that a plain table of counts, the n-gram model, already writes
# convincing text. We build both on the same text, score both on text neither has seen, and
# then let the better one write, with a widget to play with.
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/08_text_generation.ipynb) and run its first code cell.*

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
import time
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from course_lib.exercises import solution
from course_lib.hardware import pick_device, timed
from course_lib.seeding import seed_everything
from course_lib.vocab import Vocabulary

device = pick_device()
seed_everything(0)

# %% [markdown]
# ## 1. The corpus
#
# The default corpus ships with the course: the help topics that `help("for")` shows in
# Python 3.11, several hundred thousand characters of technical English, saved as a file so
# that every Python trains on the same characters (the printed checksum says which text a run
# read). `course_lib.corpus` has two more ways to get text: a million characters of the
# standard library's own source code, also shipped (Karpathy also trained on code),
# and public-domain books downloaded once and cached, such as H. G. Wells' *The Time
# Machine*. Any text file of your own works too. The last 10 % of the text is held out: the
# models never train on it, and we score them there.

# %%
from course_lib.corpus import python_docs_text, split_text, text_checksum

text = python_docs_text()
vocab = Vocabulary(text)
train_text, validation_text = split_text(text, held_out=0.1)
print(f"{len(text):,} characters (checksum {text_checksum(text)}), {len(vocab)} distinct; training on the first "
      f"{len(train_text):,}, holding out the last {len(validation_text):,}")
print(text[20_000:20_400])

# %%
counts = Counter(text)
print("most common:", [(char, count) for char, count in counts.most_common(12)])
print("rarest:     ", [(char, count) for char, count in counts.most_common()[-8:]])

# %% [markdown]
# To use another text, replace `text` above with one of these, and run on from there:
#
# ```python
# from pathlib import Path
# from course_lib.corpus import python_source_text, book_text
# text = python_source_text(1_000_000)             # a million characters of the standard library
# text = book_text("time_machine")                 # downloaded once into ~/.cache/rnn-course
# text = Path("my_book.txt").read_text(encoding="utf-8")
# ```
#
# *Aside (not needed for the rest): a book that cannot be downloaded, because you are offline
# or because the server sends a file other than the one its checksum names, stops with a
# message that names the offline corpora, and leaves nothing half-written in the cache.*

# %% [markdown]
# ## 2. Windows, and the next-character shift
#
# Every position of the text is a training example: the characters so far are the input,
# the next character is the target. Over a window of the text, the targets are the inputs
# shifted by one.

# %%
window = train_text[1000:1032]
print(f"input : {window[:-1]!r}\ntarget: {window[1:]!r}")

# %% [markdown]
# How should the text be cut into windows? The tutorial this notebook was first written from
# (below, *the original tutorial*) made a window of 100 characters start at every character
# of the text and shuffled them: each epoch read every character 100 times, in windows that
# overlap, each read from a blank state. `overlapping_windows` draws batches of that kind, one
# at a time: each window starts at a character drawn at random, so a batch looks like one
# from the shuffled windows (over many batches, each start comes up about once an epoch
# rather than exactly once).

# %%
def overlapping_windows(ids, length, batch_size, generator):
    """The original tutorial's batches: (inputs, targets) of `batch_size` windows of `length`
    characters, each starting at a random character: windows overlap, and each character is in many."""
    starts = torch.randint(len(ids) - length - 1, (batch_size,), generator=generator)
    rows = torch.stack([ids[start:start + length + 1] for start in starts.tolist()])
    return rows[:, :-1], rows[:, 1:]


alphabet_windows, _ = overlapping_windows(vocab.encode("abcdefghijklmnopqrstuvwxyz"), 5, 6,
                                          torch.Generator().manual_seed(0))
print("windows of 5 from random starts:", [vocab.decode(row) for row in alphabet_windows])
original_epoch_chars = 100 * len(train_text)
print(f"an epoch of the original tutorial: {len(train_text):,} windows of 100, "
      f"{original_epoch_chars:,} characters read")

# %% [markdown]
# Instead, cut the text into `B` long **contiguous streams**, one per row of a batch, and
# walk along them window by window, as the picture shows. Each character is read once per
# pass over the text, and window `k+1` of a row continues exactly where window `k` ended, so
# the LSTM's state at the end of one window is the right state to start the next. In the
# letters below, B = 3 streams are read in windows of 3. The 26 letters make three rows of 8
# (`y` and `z`, left over, are dropped); the first row reads `abc`, then `def`, then `g`, and
# its last letter, `h`, is only ever a target.
#
# ![The text cut into three contiguous streams, one per row; each row read in windows of T characters, the state passed on from each window to the next while the gradient stops at every window edge](../images/tbptt_streams.svg)
#
# We carry the state over, but **detach** it first: `detach()` keeps a tensor's values and
# forgets how they were computed, so the gradient of a window's loss flows back through that
# window's `T` characters only and stops at its left edge. That is **truncated
# backpropagation through time** (truncated BPTT): notebook 02's backpropagation through
# time, cut into pieces of `T` steps, so that a training step costs the same however long
# the text is.

# %%
def contiguous_streams(ids, batch_size):
    """(N,) -> (batch_size, N // batch_size), row b the b-th consecutive slice."""
    length = len(ids) // batch_size
    return ids[: length * batch_size].view(batch_size, length)


def windows(rows, length):
    """(inputs, targets) windows along the rows; targets are the inputs shifted by one."""
    for start in range(0, rows.shape[1] - 1, length):
        end = min(start + length, rows.shape[1] - 1)
        yield rows[:, start:end], rows[:, start + 1:end + 1]


letters = Vocabulary("abcdefghijklmnopqrstuvwxyz")
for inputs, targets in windows(contiguous_streams(letters.encode("abcdefghijklmnopqrstuvwxyz"), 3), 3):
    print([letters.decode(row) for row in inputs], "->", [letters.decode(row) for row in targets])

# %% [markdown]
# The cut is real. A small LSTM reads two windows of random inputs one after the other, and
# the loss depends on the second window's outputs only. How much gradient reaches the first
# window's inputs, once with the state passed on whole, once with it detached?

# %%
probe = nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
first, second = torch.randn(1, 4, 3, requires_grad=True), torch.randn(1, 4, 3)  # two windows, (B=1, T=4, 3)
for detached in (False, True):
    first.grad = None
    _, state = probe(first)
    if detached:
        state = tuple(s.detach() for s in state)
    outputs, _ = probe(second, state)
    outputs.sum().backward()                      # a loss on the second window only
    reached = "none" if first.grad is None else f"norm {first.grad.norm():.3f}"
    print(f"state {'detached' if detached else 'passed on whole'}: gradient reaching window 1: {reached}")

# %% [markdown]
# **What truncated BPTT cannot learn.** The state still crosses the edge: whatever the LSTM
# stored while reading window 1 is there to be read in window 2. What stops is the training
# signal. No gradient connects a character to one more than `T` characters before it, so
# nothing teaches the model to store something now because it will be needed more than `T`
# characters later; a link that long is learned only if what the model stores for shorter
# reasons happens to serve it. The **horizon** of truncated BPTT, how far back a loss's
# gradient reaches, is thus `T` characters at most, and inside a window it is shorter still:
# the loss at a window's first character reaches back one step, the loss at its last all `T`.
# We train with `T` = 64.

# %% [markdown]
# ## 3. The model, by hand
#
# Three layers. An **embedding** turns each character index into a small learned vector. An
# LSTM reads the vectors; its state is a pair: h, the hidden state it outputs at each step,
# and c, a second memory it keeps inside (notebook 09 opens the cell). A linear layer, the
# *head*, turns each hidden state into one score per character of the alphabet. Between the
# LSTM and the head sits dropout, explained below.

# %%
class CharLM(nn.Module):
    def __init__(self, vocab_size, embedding=64, hidden=512, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, ids, state=None):
        """ids (B, T) -> scores (B, T, V), state ((1, B, H), (1, B, H))."""
        outputs, state = self.lstm(self.embed(ids), state)
        return self.head(self.drop(outputs)), state


model = CharLM(len(vocab)).to(device)
scores, (h, c) = model(vocab.encode("print(")[None].to(device))
print(f"{sum(p.numel() for p in model.parameters()):,} parameters; scores {tuple(scores.shape)}, "
      f"h {tuple(h.shape)}, c {tuple(c.shape)}")

# %% [markdown]
# An embedding is a one-hot vector (notebook 01) times a learned matrix of `V` rows: the
# product picks the matrix's row for that character. `nn.Embedding` skips the multiplication
# and looks the row up, which gives the same vector without building the one-hot vectors:

# %%
ids = vocab.encode("print(").to(device)                        # (6,)
one_hot_rows = F.one_hot(ids, len(vocab)).float()               # (6, V)
multiplied = one_hot_rows @ model.embed.weight                  # (6, V) @ (V, 64) -> (6, 64)
print(f"one-hot @ weight {tuple(multiplied.shape)} equals the lookup: "
      f"{torch.allclose(multiplied, model.embed(ids))}")

# %% [markdown]
# **Dropout** (Srivastava et al., 2014) keeps a large model from leaning on a few of its units
# to memorise the training text. While training, each number that passes through
# `nn.Dropout(p)` is set to zero with probability `p`, drawn afresh every time, and the
# survivors are multiplied by 1 / (1 - p), so that the sum stays the same on average: the head
# cannot count on any single unit of the LSTM being there. When the model is scored or writes,
# nothing is dropped. A module knows which of the two it is doing from its *mode*:
# `model.train()` puts it and every layer inside it in training mode, `model.eval()` in
# evaluation mode. Our model drops 10 %; here is `p` = 0.5 on a row of ones:

# %%
drop = nn.Dropout(p=0.5)
ones = torch.ones(8)
drop.train()
print("train():", drop(ones))
drop.eval()
print("eval(): ", drop(ones))

# %% [markdown]
# We score in **bits per character**: the mean cross-entropy of the next character (in nats,
# what `F.cross_entropy` returns) divided by ln 2. The same figure is often given as the
# **perplexity**, 2 ** bits: the number of characters among which a uniform guess would be as
# unsure. A model that knows nothing spreads its bets evenly over all `V` characters: log2(V)
# bits, perplexity `V`. A model at 2 bits per character is as unsure as a fair pick among 4
# characters, and every bit less halves that number.

# %%
train_ids, validation_ids = vocab.encode(train_text), vocab.encode(validation_text)


@torch.no_grad()
def bits_per_char(model, ids, batch_size=16, length=256):
    model.eval()                                  # score the whole model: no dropout
    total, count, state = 0.0, 0, None
    for inputs, targets in windows(contiguous_streams(ids, batch_size).to(device), length):
        scores, state = model(inputs, state)
        total += F.cross_entropy(scores.flatten(0, 1), targets.flatten(), reduction="sum").item()
        count += targets.numel()
    return total / count / np.log(2)


untrained_bits = bits_per_char(model, validation_ids)
print(f"untrained: {untrained_bits:.2f} bits/char, perplexity {2 ** untrained_bits:.0f}; a uniform guess: "
      f"log2({len(vocab)}) = {np.log2(len(vocab)):.2f} bits, perplexity {len(vocab)}")

# %% [markdown]
# The untrained model scores about log2(V), a hair worse than the uniform guess: its random
# scores are nearly, not exactly, even.
#
# The training loop, by hand: training mode, then walk the streams, carry and detach the
# state, clip the gradient (as in notebooks 02 and 03: scale it down when its norm exceeds 1),
# take an Adam step. Forty steps are enough to see the loop work; section 5 trains for real.

# %%
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
model.train()
state, hand_losses = None, []
hand_start = time.perf_counter()
HAND_STEPS = 40
for step, (inputs, targets) in enumerate(windows(contiguous_streams(train_ids, 32).to(device), 64)):
    scores, state = model(inputs, state)
    state = tuple(s.detach() for s in state)  # keep the values, cut the graph
    loss = F.cross_entropy(scores.flatten(0, 1), targets.flatten())
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    hand_losses.append(loss.item() / np.log(2))
    if step + 1 == HAND_STEPS:
        break
hand_chars_per_second = HAND_STEPS * 32 * 64 / (time.perf_counter() - hand_start)
print(f"after {HAND_STEPS} steps by hand: {hand_losses[-1]:.2f} bits/char on the last batch, "
      f"{bits_per_char(model, validation_ids):.2f} held out; {hand_chars_per_second:,.0f} characters/s")
print(f"at that speed an epoch of the original tutorial takes "
      f"{original_epoch_chars / hand_chars_per_second / 3600:.1f} hours, one pass along the streams "
      f"{len(train_text) / hand_chars_per_second / 60:.1f} minutes")

# %% [markdown]
# Forty steps take the held-out score from about 6.7 bits per character to about 3.2. The
# speed line shows what the streams cost and save: an epoch of windows starting at every
# character reads each character 100 times, so at the same speed it takes 100 times as long as
# one pass along the streams. Whether it also learns less per second is another question,
# which this notebook does not measure: that would take training both ways for the same time
# and comparing their held-out scores.
#
# `course_lib.charlm` holds these same pieces (`CharLM`, `contiguous_streams`, `windows`,
# `bits_per_char`), and a `train` that adds a progress bar, a learning-rate schedule and
# periodic scoring on the held-out text; the command-line tool uses them too. Given the hand
# model's weights, the library's model scores the same:

# %%
from course_lib import charlm

library_model = charlm.CharLM(len(vocab)).to(device)
library_model.load_state_dict(model.state_dict())
print(f"library {charlm.bits_per_char(library_model, validation_ids):.4f} bits/char, "
      f"by hand {bits_per_char(model, validation_ids):.4f}")

from course_lib.charlm import CharLM, bits_per_char, contiguous_streams, windows  # from here on, the library's

# %% [markdown]
# ## 4. The baseline: counting what comes next
#
# The n-gram model of order `k`, as Yoav Goldberg wrote it in answer to Karpathy: for every
# run of `k` characters in the training text, count which characters followed it. To write, look up the last `k`
# characters and draw the next one in proportion to the counts.

# %%
def count_followers(text, order):
    followers = {}
    for i in range(order, len(text)):
        context = text[i - order:i]
        followers.setdefault(context, Counter())[text[i]] += 1
    return followers


def counted_next(followers, context, rng):
    counts = followers[context]
    chars = list(counts)
    return chars[rng.choice(len(chars), p=np.array([counts[c] for c in chars]) / counts.total())]


rng = np.random.default_rng(0)
order4 = count_followers(train_text, 4)
written = "The "
for _ in range(300):
    written += counted_next(order4, written[-4:], rng)
print(written)

# %% [markdown]
# It reads surprisingly well. But it has two holes. It gives probability **zero** to any
# character it never saw after a context, so one surprise in the held-out text costs
# infinitely many bits; and a prompt whose last four characters never occurred has no
# counts at all (the original tutorial's generator crashed here with a `KeyError`).

# %%
unseen = sum(1 for i in range(4, len(validation_text))
             if validation_text[i] not in order4.get(validation_text[i - 4:i], {}))
print(f"{unseen:,} of {len(validation_text):,} held-out characters were never seen after "
      "their context: probability 0, infinite bits")
try:
    counted_next(order4, "xqzj", rng)
except KeyError as error:
    print("KeyError:", error)

# %% [markdown]
# Goldberg's notebook never falls into the second hole by itself: it pads the start of its
# text with `~` characters and writes from that padding, so every context it reaches while
# writing is one it has counted. Give its table a prompt of your own with an ending it never
# saw, though, and it raises the same `KeyError`.
#
# **Backoff** mends the second hole: when the last four characters were never seen, fall
# back to the last three, then two, then one, and in the end to the plain character counts
# (order 0), which hold every character of the training text. (This is the idea of Katz's
# backoff, 1987, without the discounting that makes his a proper probability.) The counts
# after every context of every order from 0 to 4:

# %%
order_counts = [count_followers(train_text, k) for k in range(5)]  # order_counts[k][context]: a Counter
print({k: len(followers) for k, followers in enumerate(order_counts)}, "contexts seen, by order")

# %% [markdown]
# **Exercise 8.1 — backoff.** Write `backoff_next(context, rng)`: it draws the next character
# from the counts after the longest ending of `context` (at most 4 characters) that was seen
# in training, using `order_counts[k]` and `counted_next`. It must never raise `KeyError`.

# %% tags=["exercise"]
def backoff_next(context, rng):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/08_backoff.py and runs it here (in JupyterLab, `%load ../solutions/08_backoff.py` also works).
# solution("08_backoff")

# %% tags=["checker"]
from course_lib.checkers import check_backoff

check_backoff(backoff_next, order_counts)

# %% [markdown]
# Backoff keeps the writer going, but it leaves the first hole open: after a context it has
# seen, a character that never followed it still has probability zero, and held-out text
# cannot be scored. **Smoothing** closes both holes. Interpolated Witten-Bell smoothing
# mixes each order with the one below it, trusting a context's counts more the more often it
# was seen, and less the more different characters followed it (T(h) of them):
#
# $$P(c \mid h) = \frac{\mathrm{count}(h, c) + T(h)\, P(c \mid h')}{\mathrm{count}(h) + T(h)}$$
#
# where h' is h without its first character, and below the empty context sits the uniform
# 1/V. A context never seen simply passes its shorter context's probability through. Where
# backoff uses one order, smoothing mixes them all. By hand, recursively:

# %%
def smoothed(context, char):
    """P(char | context), interpolated Witten-Bell, recursively on ever shorter contexts."""
    shorter = smoothed(context[1:], char) if context else 1 / len(vocab)
    counts = order_counts[len(context)].get(context)
    if counts is None:
        return shorter
    return (counts[char] + len(counts) * shorter) / (counts.total() + len(counts))


print({char: round(smoothed("for ", char), 4) for char in "eixQ"})

# %% [markdown]
# `course_lib.markov.MarkovModel` is the same model, counted for all orders up to `order`
# at once (and with a `generate` that draws from the smoothed distribution, so it never
# meets a context it cannot continue). It gives the same probabilities:

# %%
from course_lib.markov import MarkovModel

markov4 = MarkovModel(train_text, order=4, alphabet=vocab.chars)
print({char: round(markov4.probability("for ", char), 4) for char in "eixQ"})

# %% [markdown]
# `Q` shows 0.0 only because it is rounded to four places: by the formula every character
# gets at least a share of the uniform 1/V, so its probability after `"for "` is tiny, not zero.
#
# Held-out bits per character, orders 1 to 8. The order-8 model has counted every shorter
# context too, so `with_order(k)` reads its counts up to order k without counting again.

# %%
start = time.perf_counter()
markov8 = MarkovModel(train_text, 8, vocab.chars)
markov_bits = {}
for order in range(1, 9):
    markov_bits[order] = markov8.with_order(order).bits_per_char(validation_text)
best_order = min(markov_bits, key=markov_bits.get)
print({order: round(bits, 3) for order, bits in markov_bits.items()})
print(f"best: order {best_order}, {markov_bits[best_order]:.3f} bits/char, perplexity "
      f"{2 ** markov_bits[best_order]:.1f} ({time.perf_counter() - start:.0f} s for all eight)")

# %% [markdown]
# The bits fall as the context grows, then rise again: a longer context says more about what
# comes next, but each long context was seen fewer times in training, so its counts are a
# poorer guide, and more of the held-out contexts were never seen at all. The best order sits
# where the two balance. Here it writes:

# %%
best_markov = markov8.with_order(best_order)
print(best_markov.generate("The ", 300, np.random.default_rng(0)))

# %% [markdown]
# ## 5. Training the LSTM for real
#
# `course_lib.charlm.train` runs the loop above for a fixed number of steps with batches of
# 32 streams and windows of 64 characters, a learning rate that warms up (rises from zero
# over the first 2 % of the steps, as in notebook 05) and then follows a cosine down to
# zero, and a scoring on held-out text ten times along the way (on its first
# 10,000 characters; the last scoring reads all of it). On 2 cores this takes from under a
# minute to about two, depending on the laptop.

# %%
from course_lib.charlm import train

seed_everything(0)
lstm = CharLM(len(vocab), embedding=64, hidden=512, dropout=0.1).to(device)
history = train(lstm, train_ids, validation_ids, steps=700, batch_size=32, length=64, lr=1e-2,
                validation_sample=10_000, progress=tqdm)
lstm_bits = history["validation"][-1]
print(f"held out: {lstm_bits:.3f} bits/char, perplexity {2 ** lstm_bits:.1f}, after "
      f"{history['seconds'][-1]:.0f} s ({history['chars_per_second']:,.0f} characters/s); best Markov: "
      f"{markov_bits[best_order]:.3f} bits/char, perplexity {2 ** markov_bits[best_order]:.1f}")

# %%
plt.figure(figsize=(7, 3.5))
plt.plot(history["step"], history["train"], "o-", label="LSTM, training batches")
plt.plot(history["step"], history["validation"], "o-", label="LSTM, held out")
plt.axhline(markov_bits[best_order], color="gray", ls="--", label=f"Markov order {best_order}, held out")
plt.xlabel("step"), plt.ylabel("bits per character"), plt.ylim(1, 3.5), plt.legend()
plt.show()

# %% [markdown]
# Read the held-out curve with care: its last point is scored on all the held-out text, the
# earlier points on its first 10,000 characters only, and the gray line on all of it. Only
# the last point compares with the line, and the step down into it mixes a better model with
# a different text.
#
# The LSTM ends below the best count table on text neither has seen. Why is not measured
# here, but the two differ in what they can use: the table looks only at its last few
# characters, and it must have seen those exact characters to know anything; the LSTM's
# state can hold a summary of everything it has read, and what it learned in one context
# can serve in similar ones. Notebook 10 looks inside that state for what it tracks.

# %% [markdown]
# ## 6. Writing: temperature and a priming text
#
# To write, read a priming text, then repeatedly turn the last scores into probabilities,
# draw a character, and feed it back in. The **temperature** divides the scores before the
# softmax: below 1 it sharpens the distribution (safer, more repetitive text), above 1 it
# flattens it (more surprising, more mistakes), and at 0 it becomes "always take the
# likeliest character", which is greedy decoding.
#
# **Exercise 8.2 — sampling with a temperature.** Notebook 02 wrote this for its hand-made
# GRU; write it again without looking. `sample_next(scores, temperature, generator)`:
# `scores` is a (V,) tensor; return the index (an `int`) of the next character: the argmax
# when `temperature` is 0, else a draw from softmax(scores / temperature) with
# `torch.multinomial(..., 1, generator=generator)`.

# %% tags=["exercise"]
def sample_next(scores, temperature, generator):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/08_sample_next.py and runs it here (in JupyterLab, `%load ../solutions/08_sample_next.py` also works).
# solution("08_sample_next")

# %% tags=["checker"]
from course_lib.checkers import check_sample_next

check_sample_next(sample_next)

# %% [markdown]
# `course_lib.charlm.generate` is the library's writer. It reads the priming text once, then
# draws each character with `course_lib.sampling.sample_next` (notebook 02's, the same as this
# exercise's) and feeds it back in with the carried state.

# %%
from course_lib.charlm import generate

for temperature in [0, 0.5, 0.8, 1.2]:
    written = generate(lstm, vocab, "The ", 250, temperature, torch.Generator().manual_seed(0))
    print(f"--- temperature {temperature} ---\n{written}\n")

# %% [markdown]
# Greedy writing (temperature 0) falls into a loop, one phrase over and over. Around 0.5
# the text is fluent and bland; at 0.8 prose and code-like lines mix, with more slips; at
# 1.2 the model makes up words.

# %% [markdown]
# ## 7. Carrying the state, or re-reading everything
#
# The original tutorial wrote each new character by feeding the **whole text so far** back
# through the network: the n-th character costs n steps, so writing n characters costs
# about n²/2. Carrying the hidden state makes each new character cost one step. Same text,
# very different clocks:

# %%
@torch.no_grad()
def generate_by_rereading(model, vocab, prime, length):
    model.eval()
    written = prime
    for _ in range(length):
        scores, _ = model(vocab.encode(written)[None].to(device))
        written += vocab.chars[scores[0, -1].argmax()]
    return written


reread_lengths = [50, 100, 200, 300]
reread_seconds = [timed(generate_by_rereading, lstm, vocab, "The ", n)[0] for n in reread_lengths]
carry_lengths = [250, 500, 1000]
carry_seconds = [timed(generate, lstm, vocab, "The ", n, 0)[0] for n in carry_lengths]
same = generate_by_rereading(lstm, vocab, "The ", 100) == generate(lstm, vocab, "The ", 100, 0)
print(f"same greedy text both ways: {same}")
print(f"carrying the state: 1,000 characters in {carry_seconds[-1]:.2f} s; re-reading: "
      f"{reread_lengths[-1]} characters in {reread_seconds[-1]:.2f} s")

plt.figure(figsize=(6, 3.5))
plt.plot(reread_lengths, reread_seconds, "o-", label="re-reading the whole prefix")
plt.plot(carry_lengths, carry_seconds, "o-", label="carrying the hidden state")
plt.xlabel("characters written"), plt.ylabel("seconds"), plt.legend()
plt.show()

# %% [markdown]
# ## 8. Saving, loading, and the command line
#
# A checkpoint holds the weights, the model's sizes and its alphabet, so that a model
# trained before class can write during it. It is read with `torch.load(...,
# weights_only=True)`, which loads tensors and never runs code that a file from elsewhere
# might hide.
#
# *Aside (not needed for the rest): `save_checkpoint` writes under a temporary name and
# renames the file when it is complete, so a run killed halfway leaves no broken checkpoint,
# and `load_checkpoint` refuses, with a message, a checkpoint made for another alphabet or
# another model size.*

# %%
from pathlib import Path

from course_lib.charlm import load_checkpoint, save_checkpoint

checkpoint = Path("../checkpoints/python_docs_lstm.pt")
save_checkpoint(checkpoint, lstm, vocab)
loaded, loaded_vocab = load_checkpoint(checkpoint, vocab=vocab, config=lstm.config)
loaded_bits = bits_per_char(loaded, validation_ids)
print(f"saved {checkpoint.stat().st_size / 1e6:.1f} MB; reloaded: {loaded_bits:.3f} bits/char")

# %% [markdown]
# The same code runs from a terminal, in the manner of Karpathy's char-rnn. Instructors can
# train a model on any text before class and sample from it (or load it here) during class:
#
# ```bash
# python -m course_lib.charlm train --text my_book.txt --minutes 5 --out checkpoints/book.pt
# python -m course_lib.charlm sample checkpoints/book.pt --prime "The " --temperature 0.8 --length 500
# ```

# %%
from course_lib.charlm import main

exit_code = main(["sample", str(checkpoint), "--prime", "Return ", "--temperature", "0.5",
                  "--length", "200"])

# %% [markdown]
# ## 9. Play with it
#
# Type the start of a text, pick a temperature and a length, press **Write**: the text
# appears as it is written, and **Stop** ends it where it is. Characters the model never saw
# are left out (and named), and temperature 0 writes greedily.

# %%
from IPython.display import display

from course_lib.charlm import continue_prompt
from course_lib.widgets import WritingBox

writer_rng = torch.Generator().manual_seed(0)
writing_box = WritingBox(lambda prompt, temperature, length:
                         continue_prompt(lstm, vocab, prompt, temperature, length, writer_rng),
                         prompt="The ", temperature=0.7, length=300, max_length=20_000)
display(writing_box.widget)
writing_box.run()

# %% [markdown]
# **Exercise 8.3 — which order for code?** Is Python source code easier to predict than the
# prose of its documentation, and does it reward longer contexts? Guess first, then measure.
# Take `code = python_source_text(300_000)` (from `course_lib.corpus`), hold out its last 10 %
# with `split_text`, count Markov models on the rest with the whole text's alphabet,
# `set(code)`, and store their held-out bits per character for orders 1 to 8 in `code_bits`
# as `{order: bits}`, and the best order in `best_code_order`. One `MarkovModel` of order 8
# and its `with_order(k)` give all eight. Then compare with the prose figures in
# `markov_bits`: which text is easier, does the best order move, and what decides where it
# lands? (How often is a given context of 8 characters seen in 270,000?)

# %% tags=["exercise"]
code_bits = {}          # {Markov order: held-out bits per character of Python source}
best_code_order = None

# Stuck? Uncomment the next line: it shows solutions/08_code_orders.py and runs it here (in JupyterLab, `%load ../solutions/08_code_orders.py` also works).
# solution("08_code_orders")

# %% tags=["checker"]
from course_lib.checkers import check_code_orders

check_code_orders(best_code_order, code_bits, markov_bits)

# %% [markdown]
# ## What we learned
#
# - Next-character training pairs every position of a text with the character after it: the
#   targets are the inputs shifted by one. Cut into contiguous streams, the text is read once
#   per pass, and each window's state is the right start for the next window.
# - Truncated BPTT carries the state across window edges and detaches it there: memory
#   crosses the edge, the gradient does not, so no link longer than the window is ever
#   trained directly.
# - An embedding is a one-hot vector times a matrix, looked up instead of multiplied.
#   Dropout zeroes random units while training and nothing while scoring; `train()` and
#   `eval()` switch between the two.
# - Bits per character and perplexity (2 ** bits) score a language model on text it never
#   saw; a uniform guess among `V` characters scores log2(V) bits, perplexity `V`.
# - A table of counts writes plausible text, needs backoff to keep writing after a context
#   it never saw, and smoothing to give every character a probability; its best order
#   balances knowing more against having seen each context less often.
# - The LSTM beats the best table on held-out text. To write, carry its state: each new
#   character then costs one step, where re-reading the text so far costs ever more.
#
# ## Going further
#
# - Andrej Karpathy, [The Unreasonable Effectiveness of Recurrent Neural
#   Networks](https://karpathy.github.io/2015/05/21/rnn-effectiveness/) (2015): char-rnn on
#   Shakespeare, Wikipedia, LaTeX and Linux source.
# - Yoav Goldberg, [The unreasonable effectiveness of Character-level Language Models (and
#   why RNNs are still cool)](https://nbviewer.org/gist/yoavg/d76121dfde2618422139): the count
#   table, unsmoothed, and what it cannot do (nest brackets, for one).
# - Karpathy, Johnson & Fei-Fei, [Visualizing and Understanding Recurrent
#   Networks](https://arxiv.org/abs/1506.02078) (2015): what the cells of a character LSTM
#   track, and where it beats n-grams; notebook 10 does the same here.
# - Alex Graves, [Generating Sequences With Recurrent Neural
#   Networks](https://arxiv.org/abs/1308.0850) (2013): character-level LSTMs for text and
#   handwriting.
# - Srivastava et al., [Dropout: A Simple Way to Prevent Neural Networks from
#   Overfitting](https://jmlr.org/papers/v15/srivastava14a.html) (2014).
# - Paul Werbos, [Backpropagation through time: what it does and how to do
#   it](https://doi.org/10.1109/5.58337) (1990).
# - Slava M. Katz, [Estimation of probabilities from sparse data for the language model component
#   of a speech recognizer](https://doi.org/10.1109/TASSP.1987.1165125) (1987): backoff.
# - Ian H. Witten and Timothy C. Bell, [The zero-frequency problem: estimating the probabilities
#   of novel events in adaptive text compression](https://doi.org/10.1109/18.87000) (1991): the
#   smoothing of this notebook's table.
# - Notebook 09 opens the LSTM cell this notebook used as a box.

# %% [markdown]
# ## Check
#
# The check cell below proves what this notebook's models learned: the LSTM beats the best
# Markov order on held-out text and reaches 1.75 bits/char or better (at least 0.15 bits below
# the best table); writing while carrying
# the state gives the same text as re-reading and is faster; the reloaded checkpoint scores
# the same; and the widget writes, stops when asked, and explains bad input.

# %% tags=["check"]
writing_box.wait()  # the box above writes in the background; let it finish first
assert lstm_bits <= 1.75, lstm_bits
assert lstm_bits < min(markov_bits.values()), (lstm_bits, markov_bits)
assert abs(loaded_bits - lstm_bits) < 1e-6, (loaded_bits, lstm_bits)
assert same and carry_seconds[-1] < reread_seconds[-1], (carry_seconds, reread_seconds)
writing_box.prompt.value, writing_box.temperature.value, writing_box.length.value = "The ", 0.0, 80
writing_box.button.click()
writing_box.wait()
assert writing_box.text.value == generate(lstm, vocab, "The ", 80, 0), writing_box.text.value
assert "greedy" in writing_box.note.value, writing_box.note.value
writing_box.length.value = 20_000
writing_box.button.click()
writing_box.stop_button.click()  # at once: Stop ends the writing where it is
assert not writing_box.writer.is_alive() and len(writing_box.text.value) < 4 + 20_000, len(writing_box.text.value)
writing_box.prompt.value = "é"
writing_box.button.click()
writing_box.wait()
assert writing_box.text.value == "" and "'é'" in writing_box.note.value, writing_box.note.value
print(f"check passed: LSTM {lstm_bits:.3f} bits/char held out, best Markov (order {best_order}) "
      f"{markov_bits[best_order]:.3f}; 1,000 characters in {carry_seconds[-1]:.2f} s")
