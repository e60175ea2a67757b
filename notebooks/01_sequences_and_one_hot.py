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
# ![many-to-many](../images/many_to_many.png)
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
# ![unrolled RNN](../images/unrolled_rnn.png)
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

from course_lib.exercises import attempt, check, solution
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
# character's index. Three ways to build the `(T, V)` matrix for a text of `T` characters
# and an alphabet of `V`:

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
# Stuck? Uncomment the next line to see and run the answer (in JupyterLab, %load ../solutions/01_decode.py also works).
# solution("01_decode")
def decode(rows, chars):
    raise NotImplementedError("your code here")


# %%
check("decode(one-hot)", attempt(decode, one_hot_broadcast, chars), phrase)
check("decode(scores)", attempt(decode, torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]]), ["x", "y", "z"]), "yx")

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
# Stuck? Uncomment the next line (in JupyterLab, %load ../solutions/01_rnn_step.py also works).
# solution("01_rnn_step")
def rnn_step(x_t, h_prev, rnn):
    raise NotImplementedError("your code here")


# %%
def unroll(batch, rnn):
    h = torch.zeros(batch.shape[0], rnn.hidden_size)
    states = []
    for t in range(batch.shape[1]):
        h = rnn_step(batch[:, t], h, rnn)
        states.append(h)
    return torch.stack(states, dim=1)  # (batch, time, hidden)


with torch.no_grad():
    check("rnn_step unrolled over 5 steps", attempt(unroll, batch, rnn), output, atol=1e-6)

# %% [markdown]
# ## First training: the hidden state as the prediction
#
# Now the question from the top. Input: the phrase without its last character; target: the
# phrase without its first, so at every step the target is the *next* character.
#
# The simplest model makes the hidden state as wide as the alphabet and reads it directly
# as the scores (logits) of the next character, as the original tutorial did.

# %%
inputs = one_hot(vocab.encode(phrase[:-1]), V)[None].to(device)  # (1, T, V)
targets = vocab.encode(phrase[1:]).to(device)                     # (T,)
print(f"input  {phrase[:-1]!r}\ntarget {phrase[1:]!r}")


def train(model, epochs, lr):
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
        if epoch % (epochs // 5) == 0 or epoch == epochs - 1:
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
# It gets close, then stalls a few characters short. The reason is the `tanh`: every
# hidden unit, and so every logit, lies in $[-1, 1]$. The most confident prediction possible
# puts $+1$ on the right character and $-1$ on the $V-1$ others, which softmax turns into
# $p = e / (e + (V-1)e^{-1})$. So the cross-entropy can never go below $-\log p$, however
# long we train. With so little room, the model must trade characters against each other.

# %%
best_probability = math.e / (math.e + (V - 1) / math.e)
loss_floor = -math.log(best_probability)
print(f"V = {V}: at most p = {best_probability:.3f} for the right character, "
      f"so the loss is at least {loss_floor:.3f}")
print(f"the plain RNN ended at {plain_losses[-1]:.3f}")

# %% [markdown]
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
# **Exercise 1.3.** How small can the hidden state be? Train `CharRNN` with hidden sizes
# 1, 2, 3, 4, 6 and 8 (seed 0, 150 epochs, `lr=0.05`) and store in `smallest_hidden_size`
# the first one that predicts the phrase exactly. Which steps are hard for the tiny models,
# and why? (Hint: what must the model remember to tell the `e` of "learned" from the `e`s
# of "deep"?)

# %% tags=["exercise"]
# Stuck? Uncomment the next line (in JupyterLab, %load ../solutions/01_smallest_hidden.py also works).
# solution("01_smallest_hidden")
smallest_hidden_size = None  # your code here

# %%
if smallest_hidden_size is None:
    print("✗ Exercise 1.3 is not answered yet")
else:
    print(f"the smallest hidden size that learns the phrase: {smallest_hidden_size}")

# %% [markdown]
# ## Check
#
# The notebook's models learned what it claims: the three one-hot encodings agree and
# decode back, the model with an output layer predicts the phrase exactly and its loss
# falls far below the floor that bounds any tanh-as-output model.

# %% tags=["check"]
assert vocab.decode(one_hot_broadcast.argmax(dim=1)) == phrase
assert prediction == phrase[1:], prediction
assert losses[-1] < loss_floor / 100, (losses[-1], loss_floor)
print("check passed: the RNN with an output layer predicts", repr(prediction))
