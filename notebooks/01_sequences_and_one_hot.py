# %% [markdown]
# # 01 · Sequences and one-hot encoding
#
# **The question.** Feed a network the characters `" learned deep learnin"` one at a time.
# Can it say, after each one, which character comes next, all the way to the final `g`?
# To answer we need three things: a way to turn text into numbers, a network that reads
# a sequence step by step and remembers what it has seen, and a training loop. We build
# each by hand first, then use PyTorch's built-in version.
#
# ## Sequential data
#
# Data is *sequential* when order carries meaning:
#
# - **time series**: a temperature every hour, a stock price every minute, a sensor's signal;
# - **text**: characters or words, where "dog bites man" and "man bites dog" differ;
# - also audio, video, DNA, the moves of a game.
#
# Tasks come in a few shapes, named by how many inputs map to how many outputs:
#
# | shape | example |
# |---|---|
# | many-to-one | classify a review as positive or negative |
# | one-to-many | write a caption for an image |
# | many-to-many, aligned | predict the next character after each character (this notebook) |
# | many-to-many, encoder-decoder | translate a sentence; answer in a dialog |
#
# ![many-to-many](../images/many_to_many.svg)
#
# ## A very short history
#
# - **1986-1990**: recurrent networks (Jordan, Elman) feed their hidden state back as an input.
# - **1991-1994**: Hochreiter and Bengio et al. show why they forget: gradients through many
#   steps shrink (or blow up) geometrically, the *vanishing gradient* problem.
# - **1997**: Hochreiter and Schmidhuber's **LSTM** adds a gated memory cell that gradients
#   can flow through; **2014**: the lighter **GRU** (Cho et al.), and sequence-to-sequence
#   encoder-decoders for translation (Sutskever et al.).
# - **2015**: **attention** (Bahdanau et al.) lets a decoder look back at every encoder step
#   instead of one summary vector; by 2017 Transformers drop the recurrence altogether.
#
# RNNs remain the clearest way to learn how a model can carry state through time, and they
# are still used where memory and latency are tight.
#
# ![unrolled RNN](../images/unrolled_rnn.svg)
#
# An RNN applies **the same** function at every step:
# $h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$, and reads its prediction
# $y_t$ off the hidden state $h_t$.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything

seed_everything(0)
device = pick_device()
print("device:", device)

# %% [markdown]
# ## Integer encoding
#
# A network computes with numbers, so each character gets an integer: its position in the
# alphabet of characters that occur in the text. We **sort** the alphabet. Python's `set()`
# has no fixed order for strings (it changes from one interpreter run to the next), so an
# alphabet built as `list(set(text))` would give different numbers each run, and a model
# saved in one run would decode garbage in the next.

# %%
phrase = " learned deep learning"

chars = sorted(set(phrase))           # the alphabet, in a fixed order
index = {char: i for i, char in enumerate(chars)}
encoded = torch.tensor([index[char] for char in phrase])

print("alphabet:", chars)
print("indices: ", encoded.tolist())

# %% [markdown]
# ## One-hot encoding, three ways
#
# An integer suggests an order that means nothing (`'e'` is not "less than" `'g'`). A
# **one-hot** vector has one entry per alphabet character, all zero except a 1 at the
# character's index. The word "hello", over its alphabet of four letters:
#
# ![one-hot encoding of "hello": one row per character, a single 1 in each row](../images/one_hot.svg)
#
# Three ways to build the `(T, V)` matrix for a text of `T` characters and an alphabet of `V`:

# %%
V = len(chars)

# 1. a loop: clear, slow in Python for long texts
one_hot_loop = torch.zeros(len(encoded), V)
for t, i in enumerate(encoded):
    one_hot_loop[t, i] = 1.0

# 2. pick rows of the identity matrix: row i of eye(V) is the one-hot vector of i
one_hot_eye = torch.eye(V)[encoded]

# 3. broadcasting: compare a (T, 1) column of indices with a (V,) row 0..V-1 -> (T, V)
one_hot_broadcast = (encoded[:, None] == torch.arange(V)).float()

assert torch.equal(one_hot_loop, one_hot_eye) and torch.equal(one_hot_eye, one_hot_broadcast)
print(one_hot_broadcast.shape)

# %% [markdown]
# The broadcasting version works for any leading shape: a `(batch, T)` tensor of indices
# becomes `(batch, T, V)`. Seen as an image, a one-hot matrix has exactly one lit cell per row:

# %%
fig, ax = plt.subplots(figsize=(5, 6))
ax.imshow(one_hot_broadcast, cmap="Blues")
ax.set_xticks(range(V), [repr(c) for c in chars])
ax.set_yticks(range(len(phrase)), [repr(c) for c in phrase])
ax.set_xlabel("alphabet")
ax.set_ylabel("character of the phrase")
ax.set_title("one-hot encoding of the phrase")
plt.show()

# %% [markdown]
# ## Decoding back to text
#
# Going back is one `argmax` per row: the index of the largest entry. The same line works
# for a network's scores, which are not one-hot but whose largest entry is its best guess.
#
# **Exercise 1.1.** Write `decode(rows, chars)` that turns a `(T, V)` tensor of one-hot rows
# (or scores) into a string.

# %% tags=["exercise"]
def decode(rows, chars):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/01_decode.py and runs it here (in JupyterLab, `%load ../solutions/01_decode.py` also works).
# solution("01_decode")

# %% tags=["checker"]
from course_lib.checkers import check_decode

check_decode(decode)

# %% [markdown]
# From here on we use the course library's versions of what we just built:
# `Vocabulary` (sorted alphabet, `encode`, `decode`) and `one_hot` (the broadcasting one).

# %%
from course_lib.vocab import Vocabulary, decode_scores, one_hot

vocab = Vocabulary(phrase)
assert vocab.chars == chars and torch.equal(vocab.encode(phrase), encoded)
assert torch.equal(one_hot(encoded, V), one_hot_broadcast)
print(vocab, "->", vocab.decode(vocab.encode("deep")))

# %% [markdown]
# ## `torch.nn.RNN`: what goes in, what comes out
#
# Three words over the alphabet `h, e, l, o`, each 5 characters long, one-hot encoded:
# a batch of shape `(batch, time, features) = (3, 5, 4)`. With `batch_first=True` the
# RNN takes that layout; without it, it expects `(time, batch, features)`.

# %%
words = Vocabulary("helo")
batch = one_hot(torch.stack([words.encode(w) for w in ["hello", "eolll", "lleel"]]), len(words))
print("input:", tuple(batch.shape), "= (batch, time, features)")

rnn = nn.RNN(input_size=4, hidden_size=2, batch_first=True)
for name, parameter in rnn.named_parameters():
    print(f"{name:14} {tuple(parameter.shape)}")

# %% [markdown]
# `weight_ih` maps the 4 input features to the 2 hidden units, `weight_hh` maps the previous
# hidden state to the next. There are **two bias vectors**, `bias_ih` and `bias_hh`, though
# the equation needs one: they always appear as a sum, so only `bias_ih + bias_hh` matters.
# PyTorch keeps both to match NVIDIA's cuDNN kernels, which define the RNN that way.

# %%
output, h_n = rnn(batch)
print("output:", tuple(output.shape), "= (batch, time, hidden): the hidden state at every step")
print("h_n:   ", tuple(h_n.shape), "= (layers, batch, hidden): the last hidden state of each layer")
print("output[:, -1] == h_n[0]?", torch.equal(output[:, -1], h_n[0]))

# %% [markdown]
# With one layer, the last step of `output` *is* `h_n`. With several stacked layers, `output`
# holds the **top** layer's states, while `h_n` holds the last state of **every** layer:

# %%
deep_rnn = nn.RNN(input_size=4, hidden_size=2, num_layers=3, batch_first=True)
deep_output, deep_h_n = deep_rnn(batch)
print("h_n:", tuple(deep_h_n.shape))
for layer in range(3):
    print(f"output[:, -1] == h_n[{layer}]?", torch.equal(deep_output[:, -1], deep_h_n[layer]))

# %% [markdown]
# **Exercise 1.2.** Compute one step of `nn.RNN` by hand from its parameters:
# $h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$.
# `x_t` has shape `(batch, input)`, `h_prev` `(batch, hidden)`; the weights are stored
# `(out, in)`, so multiply by their transpose. Then the loop below unrolls it over time
# and compares with the built-in.

# %% tags=["exercise"]
def rnn_step(x_t, h_prev, rnn):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/01_rnn_step.py and runs it here (in JupyterLab, `%load ../solutions/01_rnn_step.py` also works).
# solution("01_rnn_step")

# %% tags=["checker"]
from course_lib.checkers import check_rnn_step

check_rnn_step(rnn_step)

# %% [markdown]
# ## First training: the hidden state as the prediction
#
# Now the question from the top. Input: the phrase without its last character; target: the
# phrase without its first, so at every step the target is the *next* character.
#
# The simplest model makes the hidden state as wide as the alphabet and reads it directly
# as the scores (logits) of the next character, as the tutorial this course grew from did.

# %%
inputs = one_hot(vocab.encode(phrase[:-1]), V)[None].to(device)  # (1, T, V)
targets = vocab.encode(phrase[1:]).to(device)                     # (T,)
print(f"input  {phrase[:-1]!r}\ntarget {phrase[1:]!r}")


def train(model, epochs, lr, verbose=True):
    """Full-batch Adam on the phrase; returns the loss after each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        logits = model(inputs)[0]                # (T, V)
        loss = F.cross_entropy(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if verbose and (epoch % (epochs // 5) == 0 or epoch == epochs - 1):
            print(f"epoch {epoch:3d}  loss {loss.item():.4f}  {decode_scores(logits, vocab)!r}")
    return losses


class HiddenIsOutput(nn.Module):
    """An RNN whose V hidden units are used directly as the V next-character scores."""

    def __init__(self, vocab_size):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, vocab_size, batch_first=True)

    def forward(self, x):          # (B, T, V) -> (B, T, V)
        hidden, _ = self.rnn(x)
        return hidden


seed_everything(0)
plain_model = HiddenIsOutput(V).to(device)
plain_losses = train(plain_model, epochs=300, lr=0.1)

# %% [markdown]
# It gets all but a few characters right, and after the first sixty epochs its loss stops
# falling: it wanders around the same level, and its second 150 epochs never beat its first
# by more than 0.05 (the best of each half is printed below). Its
# scores are the hidden units themselves, and `tanh` keeps each in $[-1, 1]$. The most
# confident prediction possible puts $+1$ on the right character and $-1$ on the $V-1$
# others, which softmax turns into $p = e / (e + (V-1)e^{-1})$: the cross-entropy can never
# go below $-\log p$, however long we train.
#
# That floor says how low the loss could go at best; the plain RNN ends above it (both are
# printed below). It does not by itself explain the wrong
# *characters*: the prediction is the argmax, which ignores the scale of the scores. What the
# bound does change is what a mistake costs. Unbounded, a wrong argmax can cost any number
# of nats; bounded, a step where the right character merely ties with one rival at $+1$ costs
# little more than the best possible step:

# %%
best_probability = math.e / (math.e + (V - 1) / math.e)
loss_floor = -math.log(best_probability)
tie_loss = -math.log(math.e / (2 * math.e + (V - 2) / math.e))
print(f"V = {V}: at most p = {best_probability:.3f} for the right character, "
      f"so the loss is at least {loss_floor:.3f}")
print(f"a tie with one rival costs {tie_loss:.3f}, only {tie_loss - loss_floor:.3f} more")
print(f"the plain RNN ended at {plain_losses[-1]:.3f}; its best loss was "
      f"{min(plain_losses[:150]):.3f} in epochs 0-149 and {min(plain_losses[150:]):.3f} in 150-299")

# %% [markdown]
# So under the bound a wrong character is cheap. But this model differs from a standard one in two ways at once: its scores are bounded,
# *and* its memory is its output (the state that must remember "which `learn` is this?" is
# the same vector that scores the next character). We build the standard fix, then test
# which of the two mattered.
#
# ## The fix: an output layer
#
# Give the hidden state its own size and add a linear layer $y_t = W_{hy} h_t + b_y$ that
# maps it to unbounded scores. This is the standard RNN language model, and the whole change
# is one line in `__init__` and one in `forward`.

# %%
class CharRNN(nn.Module):
    """RNN + linear read-out: hidden states of any size, unbounded next-character scores."""

    def __init__(self, vocab_size, hidden_size):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, vocab_size)

    def forward(self, x):          # (B, T, V) -> (B, T, V)
        hidden, _ = self.rnn(x)    # (B, T, H)
        return self.readout(hidden)


seed_everything(0)
model = CharRNN(V, hidden_size=16).to(device)
losses = train(model, epochs=150, lr=0.05)

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.semilogy(plain_losses, label="hidden state as output")
ax.semilogy(losses, label="with an output layer")
ax.axhline(loss_floor, color="gray", linestyle="--", label=f"tanh floor ({loss_floor:.2f})")
ax.set_xlabel("epoch")
ax.set_ylabel("cross-entropy (nats per character)")
ax.legend()
plt.show()

with torch.no_grad():
    prediction = decode_scores(model(inputs)[0], vocab)
print(f"prediction: {prediction!r}")

# %% [markdown]
# ## Which difference broke it?
#
# Change one thing at a time. `ScaledHiddenIsOutput` keeps the memory as the output but
# multiplies the scores by 5, so they are no longer confined to $[-1, 1]$. `BoundedCharRNN`
# keeps a separate state and output layer but squashes the scores with `tanh`, so they are.
# All four models train the same way (200 epochs, `lr=0.1`) on seeds 0, 1 and 2. The two
# with an output layer have 16 hidden units, the two without have $V$; within each pair of
# rows, only the bound differs. (The plot above compares the two models as first trained, with their
# own epochs and learning rates; this table is the controlled comparison.)

# %%
class ScaledHiddenIsOutput(HiddenIsOutput):
    """Memory is still the output, but the scores range over [-5, 5]."""

    def forward(self, x):
        return 5 * super().forward(x)


class BoundedCharRNN(CharRNN):
    """A separate state and output layer, but scores squashed into [-1, 1]."""

    def forward(self, x):
        return torch.tanh(super().forward(x))


variants = {
    "memory is output, scores in [-1, 1]": lambda: HiddenIsOutput(V),
    "memory is output, scores in [-5, 5]": lambda: ScaledHiddenIsOutput(V),
    "output layer,     scores in [-1, 1]": lambda: BoundedCharRNN(V, hidden_size=16),
    "output layer,     scores unbounded ": lambda: CharRNN(V, hidden_size=16),
}
exact_runs = {}
for name, build in variants.items():
    predictions = []
    for seed in range(3):
        seed_everything(seed)
        variant = build().to(device)
        train(variant, epochs=200, lr=0.1, verbose=False)
        with torch.no_grad():
            predictions.append(decode_scores(variant(inputs)[0], vocab))
    exact_runs[name] = sum(p == phrase[1:] for p in predictions)
    print(f"{name}  exact {exact_runs[name]}/3  ", "  ".join(repr(p) for p in predictions))

# %% [markdown]
# Read the table by rows. The two models with scores confined to $[-1, 1]$ miss characters
# on every seed, whether or not the memory is the output; the two whose scores have room
# ($[-5, 5]$ or unbounded) predict the phrase exactly on every seed, the shared one included.
# So the tight bound, not the sharing, is what broke the first model: the output layer fixes
# it because it frees the scores from `tanh`. (The shared model still carries its memory in the units it
# speaks with; on this phrase that turns out not to matter.)

# %% [markdown]
# **Exercise 1.3.** How small can the hidden state be? Train `CharRNN` with hidden sizes
# 1, 2, 3, 4, 6 and 8 (seed 0, 150 epochs, `lr=0.05`), keep each trained model in
# `tiny_models` as `{hidden size: model}`, and store in `smallest_hidden_size` the first size
# that predicts the phrase exactly. Which steps are hard for the tiny models,
# and why? (Hint: what must the model remember to tell the `e` of "learned" from the `e`s
# of "deep"?)

# %% tags=["exercise"]
tiny_models = {}             # {hidden size: trained CharRNN}
smallest_hidden_size = None  # your code here

# Stuck? Uncomment the next line: it shows solutions/01_smallest_hidden.py and runs it here (in JupyterLab, `%load ../solutions/01_smallest_hidden.py` also works).
# solution("01_smallest_hidden")

# %% tags=["checker"]
from course_lib.checkers import check_smallest_hidden

check_smallest_hidden(smallest_hidden_size, tiny_models, inputs, targets)

# %% [markdown]
# ## Check
#
# The notebook's models learned what it claims: the three one-hot encodings agree and
# decode back, the plain model stalls (its best loss in its last 150 epochs is less than
# 0.05 below its best in the first 150) above its floor with characters wrong, the model with
# an output layer predicts the phrase exactly and its loss falls far below that floor, and
# bounded scores (not the shared memory) are what made the difference on every seed.

# %% tags=["check"]
assert vocab.decode(one_hot_broadcast.argmax(dim=1)) == phrase
assert prediction == phrase[1:], prediction
assert losses[-1] < loss_floor / 100, (losses[-1], loss_floor)
with torch.no_grad():
    plain_prediction = decode_scores(plain_model(inputs)[0], vocab)
assert plain_prediction != phrase[1:] and plain_losses[-1] > loss_floor, plain_prediction
assert min(plain_losses[:150]) - min(plain_losses[150:]) < 0.05, plain_losses[::50]
assert exact_runs == dict(zip(variants, [0, 3, 0, 3])), exact_runs
print("check passed: the RNN with an output layer predicts", repr(prediction))
