# %% [markdown]
# # 04 · Copy and reverse: encoder-decoders
#
# **The question.** Can a network read a sequence, squeeze it into *one* vector, and unfold
# that vector back into the sequence, or into the sequence reversed?
#
# **You will be able to**
# - build an encoder-decoder from two tanh RNNs, by hand and with `nn.RNN`, and show that the
#   two are the same model;
# - feed sequences to a model through a `Dataset` and a `DataLoader`, and keep a test set
#   that the model never trains on;
# - give `F.cross_entropy` a sequence of scores with the class axis where it expects it;
# - tell which of two tasks is easier when both end at 100 %, by how fast each is learned;
# - measure which alphabet and state sizes learn to copy within a training budget, and what
#   a model trained on one length does at others.
#
# **You need** notebook 01 (a tanh RNN step, `nn.RNN` and its shapes, one-hot vectors,
# cross-entropy) and notebook 03 (training on batches with Adam and gradient clipping, loss
# curves).
#
# **Time.** about 45 minutes, the three exercises included.
#
# ![An encoder RNN reads the symbols a, b, c into states h1, h2, h3; a decoder starts from h3 alone and unrolls states s1, s2, s3, each writing one symbol, a, b, c](../images/encoder_decoder.svg)
#
# An **encoder** RNN reads the symbols and keeps only its last hidden state; a **decoder**
# RNN starts from that state and produces one symbol per step. Everything the decoder knows
# about the input has to fit through that single vector. (The decoder's inputs are all zero,
# so the drawing leaves them out.) This is the skeleton of machine translation before
# attention, whose decoder reads, at each step, the word it wrote at the step before (notebook
# 05 feeds its decoder that way), and of the addition model in notebook 06.
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/04_copy_and_reverse.ipynb) and run its first code cell.*

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
# ## Data: random symbol sequences, and a test set kept apart
#
# Sequences of 10 symbols drawn uniformly from an alphabet of 3, `a b c`, stored as the
# integers 0, 1, 2. A `Dataset` is anything with `__len__` and `__getitem__`; here item `i`
# is the one-hot input `(T, V)` (`T = 10` time steps, `V = 3` symbols) and the integer target
# `(T,)`, the same sequence (copy) or the sequence reversed.

# %%
ALPHABET = "abc"


class SymbolSequences(Dataset):
    """The symbol sequences `ids` (N, T) out of `n_symbols`; the targets copy or reverse them."""

    def __init__(self, ids, n_symbols=3, reverse=False):
        self.ids, self.n_symbols = ids, n_symbols
        self.targets = ids.flip(1) if reverse else ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return one_hot(self.ids[i], self.n_symbols), self.targets[i]


# %% [markdown]
# A test set measures what a model does on sequences it has not trained on. Drawn at random
# on its own, it would not be one: there are only $3^{10} = 59{,}049$ sequences of 10 symbols,
# and 20,000 random training sequences cover more than a quarter of them, so more than a
# quarter of an independently drawn test set would be training sequences. We draw the test
# set first, the same every run, and let no training sequence be one of its sequences. To
# compare sequences quickly, `as_numbers` reads each one as a number written in base 3, its
# symbols the digits.

# %%
def held_out(length=10, n_symbols=3, reverse=False, count=5000):
    """The test set: `count` sequences, the same every run; no training set holds any of them."""
    ids = torch.randint(n_symbols, (count, length), generator=torch.Generator().manual_seed(1234))
    return SymbolSequences(ids, n_symbols, reverse)


def as_numbers(ids, n_symbols):                                  # (N, T) -> (N,): each sequence, one integer
    return ids @ n_symbols ** torch.arange(ids.shape[1])


def training_set(count, length=10, n_symbols=3, reverse=False):
    """`count` random sequences, none of them in held_out(length, n_symbols)."""
    test = as_numbers(held_out(length, n_symbols).ids, n_symbols)
    ids = torch.zeros(0, length, dtype=torch.long)
    while len(ids) < count:
        drawn = torch.randint(n_symbols, (count, length))
        ids = torch.cat([ids, drawn[~torch.isin(as_numbers(drawn, n_symbols), test)]])
    return SymbolSequences(ids[:count], n_symbols, reverse)


train_data = training_set(20_000)
x, y = train_data[0]
print("input", tuple(x.shape), "target", tuple(y.shape), "->", "".join(ALPHABET[i] for i in y))

test_numbers = as_numbers(held_out().ids, 3)
independent = torch.randint(3, (20_000, 10), generator=torch.Generator().manual_seed(0))
expected = 1 - (1 - 3 ** -10) ** 20_000         # the chance that one sequence is among 20,000 random ones
print(f"test sequences among 20,000 drawn independently: "
      f"{torch.isin(test_numbers, as_numbers(independent, 3)).float().mean():.1%} (expected {expected:.1%})")
print(f"test sequences in our training set: {torch.isin(test_numbers, as_numbers(train_data.ids, 3)).float().mean():.1%}")

# %% [markdown]
# A `DataLoader` draws shuffled items and stacks them into batches of `B = 64` sequences:
# `(B, T, V)` and `(B, T)`.

# %%
loader = DataLoader(train_data, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
xb, yb = next(iter(loader))
print("batch:", tuple(xb.shape), tuple(yb.shape))

# %% [markdown]
# ## Encoder and decoder by hand
#
# Both are tanh RNNs as in notebook 01, $h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$,
# written out step by step in `HandRNN`. The encoder reads the one-hot symbols and returns
# only its last state. The decoder has nothing to read: it gets one input number, zero at
# every step (the $W_{ih} x_t$ term vanishes, its bias stays), and it starts from the
# encoder's last state. A
# read-out layer turns each decoder state into three scores, one per symbol. (Notebook 05
# gives the decoder something to read.)

# %%
class HandRNN(nn.Module):
    """A tanh RNN written out, one step at a time."""

    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.input_to_hidden = nn.Linear(input_size, hidden_size)
        self.hidden_to_hidden = nn.Linear(hidden_size, hidden_size)

    def forward(self, x, h):                                     # (B, T, I), (B, H) -> (B, T, H), (B, H)
        states = []
        for t in range(x.shape[1]):
            h = torch.tanh(self.input_to_hidden(x[:, t]) + self.hidden_to_hidden(h))
            states.append(h)
        return torch.stack(states, dim=1), h


class HandEncoderDecoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.encoder = HandRNN(n_symbols, hidden_size)
        self.decoder = HandRNN(1, hidden_size)
        self.readout = nn.Linear(hidden_size, n_symbols)

    def forward(self, x):                                        # (B, T, V) -> (B, T, V)
        start = torch.zeros(x.shape[0], self.hidden_size, device=x.device)
        _, h = self.encoder(x, start)                            # keep only the last state: (B, H)
        nothing = torch.zeros(x.shape[0], x.shape[1], 1, device=x.device)
        states, _ = self.decoder(nothing, h)                     # (B, T, H)
        return self.readout(states)


hand_model = HandEncoderDecoder(n_symbols=3, hidden_size=128).to(device)
logits = hand_model(xb.to(device))
print("decoded scores:", tuple(logits.shape))

# %% [markdown]
# ## The cross-entropy shape pitfall
#
# The scores are `(B, T, V)`, the targets `(B, T)`. `F.cross_entropy` wants the **class axis
# second**: scores `(B, V, T)` against targets `(B, T)`. Passed as they are, it reads `T` as
# the number of classes and `V` as the time axis, so it expects targets of shape `(B, V)` =
# `(64, 3)`, and fails:

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
# ## The same model with `nn.RNN`
#
# `nn.RNN` computes the same recurrence, with the same two weight matrices and two biases
# (named `weight_ih_l0`, `bias_ih_l0`, `weight_hh_l0`, `bias_hh_l0`), and runs the loop over
# time in compiled code. The decoder is fed zeros as above.

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


# %% [markdown]
# To compare the two fairly, we start them from the same weights: `nn.RNN` initialises every
# weight and bias uniformly in $\pm 1/\sqrt{H}$, while `nn.Linear` uses $\pm 1/\sqrt{\text{inputs}}$,
# so the hand model takes a copy of the built-in model's initial weights. They then compute
# the same scores:

# %%
def copy_weights(hand, model):
    """Give the hand-written encoder-decoder the weights of the nn.RNN one."""
    with torch.no_grad():
        for mine, theirs in [(hand.encoder, model.encoder), (hand.decoder, model.decoder)]:
            mine.input_to_hidden.weight.copy_(theirs.weight_ih_l0)
            mine.input_to_hidden.bias.copy_(theirs.bias_ih_l0)
            mine.hidden_to_hidden.weight.copy_(theirs.weight_hh_l0)
            mine.hidden_to_hidden.bias.copy_(theirs.bias_hh_l0)
        hand.readout.load_state_dict(model.readout.state_dict())


seed_everything(0)
model = EncoderDecoder(n_symbols=3, hidden_size=128).to(device)
hand_model = HandEncoderDecoder(n_symbols=3, hidden_size=128).to(device)
copy_weights(hand_model, model)
with torch.no_grad():
    print(f"largest difference between the two models' scores: {(hand_model(xb.to(device)) - model(xb.to(device))).abs().max():.1e}")

# %% [markdown]
# ## Training
#
# One loop serves every model of this notebook: Adam at a learning rate of 3e-3 on batches
# of 64, and the gradient norm clipped at 1 (gradients through a tanh recurrence can be huge
# on an unlucky batch). Its budget is a number of batches: as many passes over the data
# (epochs) as that takes.

# %%
BATCHES = 600


def train(model, data, batches=BATCHES, lr=3e-3, clip=1.0, batch_size=64, seed=0):
    """`batches` steps of Adam on shuffled batches of `data`; returns each batch's loss."""
    loader = DataLoader(data, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    while len(losses) < batches:
        for x, y in loader:
            loss = F.cross_entropy(model(x.to(device)).transpose(1, 2), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            losses.append(loss.item())
            if len(losses) == batches:
                break
    return losses


@torch.no_grad()
def token_accuracy(model, data):
    """Fraction of output symbols equal to their targets."""
    x, y = data[:]                                               # a slice of our Dataset: the whole set
    return (model(x.to(device)).argmax(-1).cpu() == y).float().mean().item()


# %% [markdown]
# Both models now train on the same batches in the same order (`train` shuffles with its own
# seeded generator): the hand model for 200 batches, the built-in one for the whole budget.
# Over their first 200 batches the two runs are the same computation, so their losses should
# agree and only their speed differ.

# %%
start = time.perf_counter()
hand_losses = train(hand_model, train_data, batches=200)
hand_seconds = time.perf_counter() - start
start = time.perf_counter()
losses = train(model, train_data)
builtin_seconds = time.perf_counter() - start
copy_accuracy = token_accuracy(model, held_out())

gap = max(abs(a - b) for a, b in zip(hand_losses, losses))
print(f"largest difference between the two loss curves over the first 200 batches: {gap:.1e}")
print(f"per batch: by hand {1000 * hand_seconds / len(hand_losses):.0f} ms, nn.RNN "
      f"{1000 * builtin_seconds / len(losses):.0f} ms ({hand_seconds / len(hand_losses) / (builtin_seconds / len(losses)):.1f}x faster)")
print(f"copy accuracy of the nn.RNN model on the 5,000 held-out sequences after {len(losses)} batches: {copy_accuracy:.4%}")

fig, ax = plt.subplots(figsize=(7, 3))
ax.semilogy(losses, label=f"nn.RNN ({len(losses)} batches)", linewidth=2.5, alpha=0.5)
ax.semilogy(hand_losses, label=f"by hand (the first {len(hand_losses)} of the same batches)", linewidth=1)
ax.set_xlabel("batch")
ax.set_ylabel("cross-entropy")
ax.legend()
plt.show()

examples = held_out(count=5)
with torch.no_grad():
    guesses = model(examples[:][0].to(device)).argmax(-1).cpu()
for source, guess in zip(examples.ids, guesses):
    print("".join(ALPHABET[i] for i in source), "->", "".join(ALPHABET[i] for i in guess))

# %% [markdown]
# The two curves lie on top of each other: `nn.RNN` is the hand-written model, only faster
# per batch. Its loop over time runs in compiled code, where the hand model runs a handful of
# small Python-level operations per step (how much faster depends on the machine). The loss
# falls steeply between batches 100 and 200, and the copy holds on the 5,000 held-out
# sequences.

# %% [markdown]
# **Exercise 4.1 — reverse.** Train a second `EncoderDecoder` to write the sequence
# *reversed*: `reverse_model`, seeded and set up as `model` was, trained with `train` on
# `training_set(20_000, reverse=True)` for the same budget, keeping its per-batch losses in
# `reverse_losses`. Store its accuracy on the held-out reversed sequences
# (`held_out(reverse=True)`) in `reverse_accuracy`.
#
# Both models end near 100 %, so their final accuracies cannot say which task is easier; how
# fast each is learned can. Store in `batches_to_learn` as `{"copy": ..., "reverse": ...}`
# the number of batches after which the mean loss of the last 50 batches first falls below
# 0.1 (the copy model's losses are in `losses`). Is reversing easier or harder than copying,
# and why? (In each task, how many steps pass between reading a symbol and writing it?)

# %% tags=["exercise"]
reverse_model = None     # an EncoderDecoder trained on reversed targets
reverse_losses = []      # its loss at every batch
reverse_accuracy = None  # its accuracy on held_out(reverse=True)
batches_to_learn = {}    # {"copy": batches, "reverse": batches} until the mean of 50 losses < 0.1

# Stuck? Uncomment the next line: it shows solutions/04_reverse.py and runs it here (in JupyterLab, `%load ../solutions/04_reverse.py` also works).
# solution("04_reverse")

# %% tags=["checker"]
from course_lib.checkers import check_reverse

check_reverse(reverse_model, reverse_accuracy, reverse_losses, batches_to_learn, losses, held_out(reverse=True))

# %% [markdown]
# **Exercise 4.2 — alphabet size against hidden units.** The state must hold
# $T \log_2 V$ bits: about 16 for 10 symbols out of 3, 30 out of 8. A hidden unit holds a
# real number, not one bit, so this does not say how many units it takes; how many it takes
# in practice, within a training budget, is what you measure. For alphabets of 3 and 8
# symbols and 16, 32 and 64 hidden units, train an `EncoderDecoder` for 200 batches on
# `training_set(6_400, n_symbols=...)`, keep it in `capacity_models` as
# `{(n_symbols, hidden units): model}`, and store its accuracy on
# `held_out(n_symbols=...)` in `capacity` under the same key. Print the six accuracies next
# to chance ($1/V$): which pairs learn to copy in this budget?

# %% tags=["exercise"]
capacity_models = {}  # {(n_symbols, hidden units): trained EncoderDecoder}
capacity = {}         # {(n_symbols, hidden units): accuracy on held_out(n_symbols=n_symbols)}

# Stuck? Uncomment the next line: it shows solutions/04_alphabet_and_hidden.py and runs it here (in JupyterLab, `%load ../solutions/04_alphabet_and_hidden.py` also works).
# solution("04_alphabet_and_hidden")

# %% tags=["checker"]
from course_lib.checkers import check_capacity

check_capacity(capacity, capacity_models, held_out)

# %% [markdown]
# **Exercise 4.3 — other lengths.** Our model was trained on length 10 only. Measure its
# copy accuracy on held-out sequences of every length from 2 to 20 (`held_out(length=n)`)
# and plot it. Store the accuracies in `accuracy_by_length` as `{length: accuracy}`.

# %% tags=["exercise"]
accuracy_by_length = {}  # {length: copy accuracy of `model` on held_out(length=length)}

# Stuck? Uncomment the next line: it shows solutions/04_other_lengths.py and runs it here (in JupyterLab, `%load ../solutions/04_other_lengths.py` also works).
# solution("04_other_lengths")

# %% tags=["checker"]
from course_lib.checkers import check_other_lengths

check_other_lengths(accuracy_by_length, model, held_out)

# %% [markdown]
# Before you read your plot, think about what the model saw: in training, the encoder always
# read exactly 10 symbols and the decoder always unrolled exactly 10 states. Nothing in the
# input marks where a sequence ends, so what could tell the model, at another length, how
# many symbols it read and which one to write first? A model that copied the first 10
# symbols of a length-11 sequence and missed only the 11th would score $10/11 \approx 91$ %:
# compare that with your plot at length 11.
#
# ## What we learned
#
# - An encoder-decoder passes the whole input through one vector, the encoder's last state;
#   a decoder unrolled from it alone can write back 10 symbols from an alphabet of 3.
# - `nn.RNN` is the hand-written tanh RNN: from the same weights, on the same batches, it
#   follows the same loss curve, faster because its loop runs in compiled code.
# - A test set must hold sequences the model never trained on. When the space of inputs is
#   small, random draws repeat: keep the test set out of the training data.
# - `F.cross_entropy` takes the class axis second: scores `(B, V, T)` against targets `(B, T)`.
# - When two tasks both end at 100 %, how fast each is learned can still tell them apart.
# - Trained on length 10 only, the model copies at length 10 and at no other length
#   (Exercise 4.3). Nothing in this model marks where a sequence ends; notebook 05 adds a
#   stop symbol, pads sequences to a common length and masks the padding away.
#
# ## Going further
#
# - Ilya Sutskever, Oriol Vinyals and Quoc V. Le, [Sequence to sequence learning with neural
#   networks](https://arxiv.org/abs/1409.3215) (2014): encoder-decoders for translation, and
#   the trick of reversing the source sentence.
# - Kyunghyun Cho et al., [Learning phrase representations using RNN encoder-decoder for
#   statistical machine translation](https://arxiv.org/abs/1406.1078) (2014): the
#   encoder-decoder with one summary vector, and the GRU.
# - Dzmitry Bahdanau, Kyunghyun Cho and Yoshua Bengio, [Neural machine translation by jointly
#   learning to align and translate](https://arxiv.org/abs/1409.0473) (2014): attention, which
#   removes the one-vector bottleneck of this notebook.
# - Wojciech Zaremba and Ilya Sutskever, [Learning to execute](https://arxiv.org/abs/1410.4615)
#   (2014): RNNs that copy sequences and evaluate short programs.

# %% [markdown]
# ## Check
#
# The encoder-decoder copies held-out sequences of length 10 (at least 99.9 % of the
# symbols). Once you have done Exercise 4.1, the check also holds your reverse model to at
# least 99 % on held-out reversed sequences; once you have done Exercise 4.3, it requires
# copying at length 10 and failing away from it (under 80 % at lengths 2, 5, 15 and 20).

# %% tags=["check"]
assert copy_accuracy >= 0.999, copy_accuracy
if reverse_accuracy is not None:
    assert reverse_accuracy >= 0.99, reverse_accuracy
if accuracy_by_length:
    assert accuracy_by_length[10] >= 0.999 and max(accuracy_by_length[n] for n in (2, 5, 15, 20)) < 0.8
print(f"check passed: copy accuracy {copy_accuracy:.4%}")
