# %% [markdown]
# # 04 · Copy and reverse: encoder-decoders
#
# **The question.** Can a network read a sequence, squeeze it into *one* vector, and unfold
# that vector back into the sequence, or into the sequence reversed?
#
# ![encoder-decoder](../images/encoder_decoder.svg)
#
# An **encoder** RNN reads the symbols and keeps only its last hidden state; a **decoder**
# RNN starts from that state and produces one symbol per step. Everything the decoder knows
# about the input has to fit through that single vector. This is the skeleton of machine
# translation before attention, and of the addition model in notebook 06.

# %%
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset

from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything
from course_lib.vocab import one_hot

device = pick_device()
seed_everything(0)

# %% [markdown]
# ## Data: random symbol sequences
#
# Sequences of 10 symbols drawn uniformly from an alphabet of 3, `a b c`, stored as the
# integers 0, 1, 2. A `Dataset` is anything with `__len__` and `__getitem__`; here item `i`
# is the one-hot input `(T, V)` and the integer target `(T,)`.

# %%
ALPHABET = "abc"


class SymbolSequences(Dataset):
    """`count` random sequences of `length` symbols out of `n_symbols`; targets copy or reverse them."""

    def __init__(self, count, length, n_symbols=3, reverse=False, generator=None):
        self.ids = torch.randint(n_symbols, (count, length), generator=generator)
        self.targets = self.ids.flip(1) if reverse else self.ids
        self.n_symbols = n_symbols

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return one_hot(self.ids[i], self.n_symbols), self.targets[i]


def fresh(count=5000, length=10, n_symbols=3, reverse=False, seed=1234):
    """Sequences the model has never seen, the same ones every run."""
    return SymbolSequences(count, length, n_symbols, reverse, torch.Generator().manual_seed(seed))


train_data = SymbolSequences(20_000, 10)
x, y = train_data[0]
print("input", tuple(x.shape), "target", tuple(y.shape), "->", "".join(ALPHABET[i] for i in y))

# %% [markdown]
# A `DataLoader` draws shuffled items and stacks them into batches: `(B, T, V)` and `(B, T)`.

# %%
loader = DataLoader(train_data, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
xb, yb = next(iter(loader))
print("batch:", tuple(xb.shape), tuple(yb.shape))

# %% [markdown]
# ## Encoder and decoder by hand
#
# Both are tanh RNNs as in notebook 01. The encoder returns only its last state. The decoder
# has no input at all: it iterates $s_t = \tanh(W_{ss} s_{t-1} + b)$ from $s_0 = h_T$ and
# reads a symbol's scores off each state.

# %%
class HandEncoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.input_to_hidden = nn.Linear(n_symbols, hidden_size)
        self.hidden_to_hidden = nn.Linear(hidden_size, hidden_size)

    def forward(self, x):                                        # (B, T, V) -> (B, H)
        h = torch.zeros(x.shape[0], self.hidden_size, device=x.device)
        for t in range(x.shape[1]):
            h = torch.tanh(self.input_to_hidden(x[:, t]) + self.hidden_to_hidden(h))
        return h


class HandDecoder(nn.Module):
    def __init__(self, hidden_size, n_symbols):
        super().__init__()
        self.hidden_to_hidden = nn.Linear(hidden_size, hidden_size)
        self.readout = nn.Linear(hidden_size, n_symbols)

    def forward(self, s, steps):                                 # (B, H) -> (B, steps, V)
        scores = []
        for _ in range(steps):
            s = torch.tanh(self.hidden_to_hidden(s))
            scores.append(self.readout(s))
        return torch.stack(scores, dim=1)


class HandEncoderDecoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.encoder = HandEncoder(n_symbols, hidden_size)
        self.decoder = HandDecoder(hidden_size, n_symbols)

    def forward(self, x):                                        # (B, T, V) -> (B, T, V)
        return self.decoder(self.encoder(x), x.shape[1])


hand_model = HandEncoderDecoder(n_symbols=3, hidden_size=128).to(device)
logits = hand_model(xb.to(device))
print("encoded:", tuple(hand_model.encoder(xb.to(device)).shape), " decoded scores:", tuple(logits.shape))

# %% [markdown]
# ## The cross-entropy shape pitfall
#
# The scores are `(B, T, V)`, the targets `(B, T)`. `F.cross_entropy` wants the **class axis
# second**: scores `(B, V, T)` against targets `(B, T)`. Passed as they are, it reads `T` as
# the number of classes and fails:

# %%
try:
    F.cross_entropy(logits, yb.to(device))
except (RuntimeError, ValueError) as error:
    print(type(error).__name__, ":", error)
print("transposed:", F.cross_entropy(logits.transpose(1, 2), yb.to(device)).item())

# %% [markdown]
# (With `T == V` the untransposed call would even run, silently computing nonsense: a good
# reason to use sizes that differ while developing.)
#
# ## Training
#
# One loop serves every model of this notebook. Adam, and the gradient norm clipped at 1:
# gradients through a tanh recurrence can be huge on an unlucky batch.

# %%
def train(model, data, epochs, lr=3e-3, clip=1.0, batch_size=64, seed=0):
    loader = DataLoader(data, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for epoch in range(epochs):
        for x, y in loader:
            loss = F.cross_entropy(model(x.to(device)).transpose(1, 2), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            losses.append(loss.item())
        print(f"epoch {epoch}: loss {sum(losses[-len(loader):]) / len(loader):.4f}")
    return losses


@torch.no_grad()
def token_accuracy(model, data):
    """Fraction of output symbols equal to their targets."""
    x, y = data[:]
    return (model(x.to(device)).argmax(-1).cpu() == y).float().mean().item()


seed_everything(0)
hand_model = HandEncoderDecoder(n_symbols=3, hidden_size=128).to(device)
start = time.perf_counter()
hand_losses = train(hand_model, SymbolSequences(6_400, 10), epochs=2)
hand_seconds = time.perf_counter() - start
print(f"{hand_seconds:.1f} s; accuracy on fresh sequences: {token_accuracy(hand_model, fresh()):.3f}")

# %% [markdown]
# `data[:]` works because our `__getitem__` indexes tensors, so a slice returns the whole set
# at once. The hand-written model learns (chance is 1/3) but slowly: every step is several
# small Python-level operations.
#
# ## The same model with `nn.RNN`
#
# `nn.RNN` runs the whole recurrence in compiled code. Its decoder still needs an input at
# every step: we give it zeros (notebook 05 gives it something useful).

# %%
class EncoderDecoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.encoder = nn.RNN(n_symbols, hidden_size, batch_first=True)
        self.decoder = nn.RNN(1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, n_symbols)

    def forward(self, x):                                        # (B, T, V) -> (B, T, V)
        _, h = self.encoder(x)                                   # h: (1, B, H), the last state
        nothing = torch.zeros(x.shape[0], x.shape[1], 1, device=x.device)
        states, _ = self.decoder(nothing, h)                     # (B, T, H)
        return self.readout(states)


seed_everything(0)
model = EncoderDecoder(n_symbols=3, hidden_size=128).to(device)
start = time.perf_counter()
losses = train(model, train_data, epochs=5)
builtin_seconds = time.perf_counter() - start
copy_accuracy = token_accuracy(model, fresh())
print(f"{builtin_seconds:.1f} s for {len(losses)} batches "
      f"({hand_seconds / len(hand_losses) / (builtin_seconds / len(losses)):.1f}x faster per batch than by hand)")
print(f"copy accuracy on 5,000 fresh sequences: {copy_accuracy:.4%}")

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.semilogy(hand_losses, label="by hand (6,400 sequences, 2 epochs)")
ax.semilogy(losses, label="nn.RNN (20,000 sequences, 5 epochs)")
ax.set_xlabel("batch")
ax.set_ylabel("cross-entropy")
ax.legend()
plt.show()

examples = fresh(5)
with torch.no_grad():
    guesses = model(examples[:][0].to(device)).argmax(-1).cpu()
for source, guess in zip(examples.ids, guesses):
    print("".join(ALPHABET[i] for i in source), "->", "".join(ALPHABET[i] for i in guess))

# %% [markdown]
# **Exercise 4.1 — reverse.** Train the same `EncoderDecoder` to output the sequence
# *reversed* (`SymbolSequences(..., reverse=True)`), with the same settings, as
# `reverse_model`, and store its accuracy on fresh reversed sequences in `reverse_accuracy`.
# Is it easier or harder than copying, and why? (Which input symbol does the decoder need
# first, and how long ago did the encoder read it?)

# %% tags=["exercise"]
reverse_model = None     # an EncoderDecoder trained on reversed targets
reverse_accuracy = None  # its accuracy on fresh(reverse=True)

# Stuck? Uncomment the next line: it shows solutions/04_reverse.py and runs it here (in JupyterLab, `%load ../solutions/04_reverse.py` also works).
# solution("04_reverse")

# %% tags=["checker"]
from course_lib.checkers import check_reverse

check_reverse(reverse_model, reverse_accuracy, fresh(reverse=True))

# %% [markdown]
# **Exercise 4.2 — alphabet size against hidden units.** The state must hold
# $T \log_2 V$ bits: 16 for 10 symbols out of 3, 30 out of 8. Train for 2 epochs on 6,400
# sequences with alphabets of 3 and 8 symbols and 16, 32 and 64 hidden units, and print the
# fresh accuracy of each pair. Store the results in `capacity` as `{(n_symbols, hidden): accuracy}`.

# %% tags=["exercise"]
capacity = {}  # {(n_symbols, hidden units): accuracy on fresh sequences}

# Stuck? Uncomment the next line: it shows solutions/04_alphabet_and_hidden.py and runs it here (in JupyterLab, `%load ../solutions/04_alphabet_and_hidden.py` also works).
# solution("04_alphabet_and_hidden")

# %% tags=["checker"]
from course_lib.checkers import check_capacity

check_capacity(capacity)

# %% [markdown]
# **Exercise 4.3 — other lengths.** Our model was trained on length 10 only. Measure its
# copy accuracy on fresh sequences of every length from 2 to 20 (`fresh(length=n)`) and plot
# it. Store the accuracies in `accuracy_by_length` as `{length: accuracy}`.

# %% tags=["exercise"]
accuracy_by_length = {}  # {length: copy accuracy of `model` on fresh sequences of that length}

# Stuck? Uncomment the next line: it shows solutions/04_other_lengths.py and runs it here (in JupyterLab, `%load ../solutions/04_other_lengths.py` also works).
# solution("04_other_lengths")

# %% tags=["checker"]
from course_lib.checkers import check_other_lengths

check_other_lengths(accuracy_by_length, model, fresh)

# %% [markdown]
# Solved, Exercise 4.3 shows the model copying length 10 perfectly and much worse at every
# other length (the check below asserts under 80 % at lengths 2, 5, 15 and 20; chance is
# 33 %): the decoder learned to unroll exactly 10 steps from states that come from exactly
# 10 steps of encoding. It has no notion of "the end". Notebook 05 adds a stop symbol, pads sequences to
# a common length and masks the padding away.
#
# ## Check
#
# The encoder-decoder copies fresh sequences of length 10. The bars of the exercises are
# asserted once they are done (the course's tests run every notebook both ways): the reverse
# model reaches 99 %, and copying fails away from length 10. Unsolved there is no reverse
# model to measure: training one here would do Exercise 4.1 for you.

# %% tags=["check"]
assert copy_accuracy >= 0.999, copy_accuracy
if reverse_accuracy is not None:
    assert reverse_accuracy >= 0.99, reverse_accuracy
if accuracy_by_length:
    assert accuracy_by_length[10] >= 0.999 and max(accuracy_by_length[n] for n in (2, 5, 15, 20)) < 0.8
print(f"check passed: copy accuracy {copy_accuracy:.4%}")
