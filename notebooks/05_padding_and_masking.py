# %% [markdown]
# # 05 · Variable length: padding and masking
#
# **The question.** Notebook 04's model copied sequences of length 10 and nothing else. Real
# sequences (sentences, sums, recordings) come in every length. How do we put sequences of
# different lengths in one batch, and keep the filler from getting in the way?
#
# **You will be able to**
# - pad sequences of different lengths with a stop symbol, and build their length mask with one
#   broadcast comparison;
# - take an encoder's state at each sequence's own end, by indexing and with `pack_padded_sequence`;
# - restrict a loss and an accuracy to the real positions, and say when that matters;
# - feed a decoder its previous symbol, and say what teacher forcing and exposure bias are;
# - find out which of several fixes matter with an ablation: one fix taken away at a time.
#
# **You need** notebook 04 (an encoder-decoder of `nn.RNN`s, cross-entropy over symbols, Adam,
# gradient clipping) and broadcasting (notebook 01).
#
# **Time.** about 50 minutes, the two exercises included.
#
# The plan: end every sequence with a **stop symbol**, pad the short ones with it to a common
# width, and use a **mask** to tell real positions from padding, so that the encoder hands
# over its state at each sequence's own end and the loss looks only at what matters.
#
# ![Three sequences of lengths 3, 6 and 4 padded with stop symbols to 7 columns, their length mask of ones on the real positions and zeros on the padding, and the encoder reading the first row to the end while the decoder gets the state at position 2, its last real symbol, instead of the state after the padding](../images/padding_and_mask.svg)
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/05_padding_and_masking.ipynb) and run its first code cell.*

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
from torch.nn.utils.rnn import pack_padded_sequence
from tqdm.auto import tqdm

from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything
from course_lib.vocab import one_hot

device = pick_device()
seed_everything(0)

# %% [markdown]
# ## Stop symbol, lengths, mask
#
# Symbols are `1, 2, 3` (for `a, b, c`); `0` is the stop symbol, printed `·`. Lengths run from 3 to 14,
# and every row gets 15 columns, so each sequence is followed by at least one stop.
# The mask comes from one broadcast comparison: a column of lengths `(B, 1)` against a row of
# positions `(T,)` gives `(B, T)`, True where the position is inside the sequence.

# %%
STOP, SYMBOLS, MAX_LENGTH = 0, "·abc", 14
WIDTH = MAX_LENGTH + 1

lengths = torch.randint(3, MAX_LENGTH + 1, (10_000,))
mask = torch.arange(WIDTH) < lengths[:, None]                       # (B, T) bool
padded = torch.randint(1, 4, (10_000, WIDTH)) * mask                # symbols inside, STOP outside
print("lengths", lengths[:3].tolist())
for row in padded[:3]:
    print("".join(SYMBOLS[i] for i in row))
print(f"{1 - mask.float().mean():.0%} of all positions are padding; "
      f"the shortest sequences are followed by {WIDTH - lengths.min()} stops")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
axes[0].imshow(mask[:50], aspect="auto", cmap="gray")
axes[0].set_title("length mask (white = real)")
axes[1].imshow(padded[:50], aspect="auto", cmap="viridis")
axes[1].set_title("padded ids (0 = stop)")
for ax in axes:
    ax.set_xlabel("position")
    ax.set_ylabel("sequence")
plt.show()

# %% [markdown]
# From here on the course library makes such data: `PaddedSequences` (the same construction,
# one item = ids and length), `length_mask` (the broadcast above), and later the masked loss
# and accuracy we are about to write. The training data holds four times the 500 batches of
# 64 that one training uses, so that Exercise 5.2 can train longer on the same data.
#
# The fresh sequences that every model is scored on are drawn on their own, not kept apart
# as notebook 04's test set was, and the short ones cannot be: there are only $3^3 = 27$
# sequences of length 3, and the training data holds each of them many times. The long ones
# are almost all new ($3^{14}$, nearly 5 million sequences of length 14), and most of the real
# symbols to copy sit in long sequences, so a high score still means the model copies
# sequences it has not seen.

# %%
from course_lib.sequences import PaddedSequences, decoded_lengths, length_mask

BATCHES = 500  # the naive model and every model of the ablation train on the same first 500 batches of 64
train_data = PaddedSequences(4 * BATCHES * 64, generator=torch.Generator().manual_seed(0))
fresh = PaddedSequences(5000, generator=torch.Generator().manual_seed(1234))
fresh_mask = length_mask(fresh.lengths, WIDTH)

# %% [markdown]
# ## The naive way: notebook 04's model on padded data
#
# Take the encoder-decoder of notebook 04 as it is: it reads all 15 columns, padding
# included, decodes 15 symbols from zeros, and its loss counts every position. It trains with
# Adam at a constant 5e-4, half the default learning rate, without clipping. (The lower rate
# is a precaution: at the default, a late exploding batch could leave the model wherever it
# threw it, and this notebook does not measure how often.)

# %%
class NaiveEncoderDecoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.n_symbols = n_symbols
        self.encoder = nn.RNN(n_symbols, hidden_size, batch_first=True)
        self.decoder = nn.RNN(1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, n_symbols)

    def forward(self, ids):                                     # (B, T) -> (B, T, V)
        _, h = self.encoder(one_hot(ids, self.n_symbols))      # the state after the padding too
        nothing = torch.zeros(ids.shape[0], ids.shape[1], 1, device=ids.device)
        return self.readout(self.decoder(nothing, h)[0])


seed_everything(0)
naive = NaiveEncoderDecoder(4, 128).to(device)
optimizer = torch.optim.Adam(naive.parameters(), lr=5e-4)
naive_losses = []
start = time.perf_counter()
for batch_start in tqdm(range(0, BATCHES * 64, 64), desc="naive"):
    ids = train_data.ids[batch_start:batch_start + 64].to(device)
    loss = F.cross_entropy(naive(ids).transpose(1, 2), ids)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    naive_losses.append(loss.item())
print(f"{time.perf_counter() - start:.1f} s")

with torch.no_grad():
    naive_predictions = naive(fresh.ids.to(device)).argmax(-1).cpu()
naive_right = naive_predictions == fresh.ids                     # (B, T) bool
naive_real = naive_right[fresh_mask].float().mean().item()
naive_padding = naive_right[~fresh_mask].float().mean().item()
naive_length_right = (decoded_lengths(naive_predictions) == fresh.lengths).float().mean().item()
naive_all = naive_right.float().mean().item()                   # padding counted like the rest
print(f"naive: real symbols right {naive_real:.1%}, padding right {naive_padding:.1%}, "
      f"lengths right {naive_length_right:.1%}")
print(f"every position counted alike, padding included: {naive_all:.1%} right")

# %% [markdown]
# It learned the padding and every length, and it gets the real symbols right at chance
# (a third of them, as by guessing among `a`, `b` and `c`); the pictures after the masked
# model show it too.
#
# Five things about it look suspect, and each has a fix. Which of them actually matter is a
# question for measurement, not for argument: the ablation after the masked model takes the
# fixes away one at a time.
#
# | naive | suspicion | fix |
# |---|---|---|
# | the loss counts padding | 43 % of the positions are stops, easy points that may drown the real signal | a **masked loss**: real positions and the first stop only (that one stop teaches where to end) |
# | the encoder's state is taken after the padding | up to 12 stop symbols pass over the memory before it is handed on | take the state at **each sequence's own end** |
# | the encoder reads each sequence in its natural order | the first symbol to write is the one read longest ago | let the encoder read each sequence **reversed** |
# | the decoder is fed zeros | it must keep track of where it is, and of what it has written, by itself | feed it its **previous symbol** |
# | Adam at a constant 5e-4, no clipping | slow, and the occasional exploding batch | a **one-cycle** learning rate: it climbs to 5e-3 over the first 30 % of the batches (a warm-up), then falls to almost zero; and gradients **clipped** to norm 1, as in notebook 04 |
#
# The metric, on the other hand, must be masked whatever the ablation says: counting every
# position alike, the naive model would look right more often than not, though it gets the
# real symbols at chance.
#
# ## The masked model, by hand
#
# We call the model with all five fixes the *masked model*, for short. First, three helpers: reverse the real part of each row, the masked loss, and the masked
# accuracy. (The course library's `course_lib.sequences` holds the same three.)

# %%
def reverse_each(ids, lengths):
    """'abc··' -> 'cba··': position t of row b takes position length_b - 1 - t."""
    positions = (lengths[:, None] - 1 - torch.arange(ids.shape[1], device=ids.device)).clamp(min=0)
    return ids.gather(1, positions) * length_mask(lengths, ids.shape[1])


def masked_cross_entropy(logits, targets, mask):
    losses = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")   # (B, T)
    return (losses * mask).sum() / mask.sum()


def masked_accuracy(predictions, targets, mask):
    return (predictions == targets)[mask].float().mean().item()


print("".join(SYMBOLS[i] for i in fresh.ids[0]), "->",
      "".join(SYMBOLS[i] for i in reverse_each(fresh.ids[:1], fresh.lengths[:1])[0]))

# %% [markdown]
# The model: the encoder reads each row reversed (`reverse_each`); its outputs hold the state
# after every position, so the state at position `length - 1` is picked by indexing. The decoder is fed its previous symbol: at
# step $t$ its input is the symbol of step $t-1$, with an extra *start* symbol (index 4) at
# step 0.
#
# Which previous symbol? While training, the **true** one, the target, whatever the model
# would have written: that is **teacher forcing**. Each step then learns from a correct
# beginning, and all the steps train in one call of the decoder. When generating there is no
# true symbol to feed, so the decoder gets its own guess, one step at a time (`generate`).
# A model trained only on correct beginnings never meets its own mistakes while training; at
# generation one wrong guess puts it somewhere it never trained, and more errors can follow.
# That mismatch between training and use is called **exposure bias**.

# %%
class MaskedEncoderDecoder(nn.Module):
    def __init__(self, n_symbols, hidden_size):
        super().__init__()
        self.n_symbols, self.start = n_symbols, n_symbols
        self.encoder = nn.RNN(n_symbols, hidden_size, batch_first=True)
        self.decoder = nn.RNN(n_symbols + 1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, n_symbols)

    def encode(self, ids, lengths):                             # -> (1, B, H)
        states, _ = self.encoder(one_hot(reverse_each(ids, lengths), self.n_symbols))
        return states[torch.arange(len(ids)), lengths - 1][None]

    def forward(self, ids, lengths, targets):                   # teacher forcing -> (B, T, V)
        previous = torch.cat([torch.full_like(targets[:, :1], self.start), targets[:, :-1]], dim=1)
        states, _ = self.decoder(one_hot(previous, self.n_symbols + 1), self.encode(ids, lengths))
        return self.readout(states)

    @torch.no_grad()
    def generate(self, ids, lengths, steps):                    # fed its own guesses, greedy -> (B, steps)
        state = self.encode(ids, lengths)
        symbol = torch.full((len(ids), 1), self.start, device=ids.device)
        generated = []
        for _ in range(steps):
            output, state = self.decoder(one_hot(symbol, self.n_symbols + 1), state)
            symbol = self.readout(output).argmax(-1)
            generated.append(symbol)
        return torch.cat(generated, dim=1)


def train_masked(model, data, batches=BATCHES, lr=5e-3, batch_size=64, without=None):
    """`without` names a training fix to leave out, for the ablation below."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    one_cycle = without != "one-cycle and clipping"
    if one_cycle:
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=batches)
    losses = []
    for batch_start in tqdm(range(0, batches * batch_size, batch_size), desc=without or "masked", leave=False):
        ids, lengths = data[batch_start:batch_start + batch_size]
        ids, lengths = ids.to(device), lengths.to(device)
        scored = torch.full_like(lengths, WIDTH) if without == "masked loss" else lengths + 1  # + the first stop
        loss = masked_cross_entropy(model(ids, lengths, ids), ids, length_mask(scored, WIDTH))
        optimizer.zero_grad()
        loss.backward()
        if one_cycle:
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if one_cycle:
            scheduler.step()
        losses.append(loss.item())
    return losses


def evaluate(model):
    predictions = model.generate(fresh.ids.to(device), fresh.lengths.to(device), WIDTH).cpu()
    accuracy = masked_accuracy(predictions, fresh.ids, fresh_mask)
    length_right = (decoded_lengths(predictions) == fresh.lengths).float().mean().item()
    return accuracy, length_right, predictions


seed_everything(0)
masked = MaskedEncoderDecoder(4, 128).to(device)
start = time.perf_counter()
masked_losses = train_masked(masked, train_data)
print(f"{time.perf_counter() - start:.1f} s for {len(masked_losses)} batches")
masked_accuracy_real, masked_length_right, masked_predictions = evaluate(masked)
print(f"masked: real symbols right {masked_accuracy_real:.2%}, lengths right {masked_length_right:.2%}")

with torch.no_grad():                                           # the same model, fed the true previous symbols
    forced_predictions = masked(fresh.ids.to(device), fresh.lengths.to(device), fresh.ids.to(device)).argmax(-1).cpu()
masked_forced_real = masked_accuracy(forced_predictions, fresh.ids, fresh_mask)
print(f"real symbols right when fed its own guesses: {masked_accuracy_real:.2%}; "
      f"fed the true previous symbols: {masked_forced_real:.2%}")

# %%
fig, axes = plt.subplots(1, 4, figsize=(13, 3.5), sharey=True)
for ax, image, title in zip(axes, [fresh.ids[:40], naive_predictions[:40], masked_predictions[:40],
                                   (masked_predictions[:40] != fresh.ids[:40]) & fresh_mask[:40]],
                            ["targets", "naive model", "masked model", "masked model's errors"]):
    ax.imshow(image, aspect="auto", cmap="viridis" if title != "masked model's errors" else "Reds")
    ax.set_title(title)
    ax.set_xlabel("position")
axes[0].set_ylabel("fresh sequence")
plt.show()

fig, ax = plt.subplots(figsize=(7, 3))   # the two losses average over different positions: compare shapes
ax.semilogy(naive_losses, label="naive (loss counts padding)")
ax.semilogy(masked_losses, label="masked (real positions + first stop)")
ax.set_xlabel("batch")
ax.legend()
plt.show()

for ids, length, guess in zip(fresh.ids[:5], fresh.lengths[:5], masked_predictions[:5]):
    print(f"{''.join(SYMBOLS[i] for i in ids[:length]):>14} -> "
          f"{''.join(SYMBOLS[i] for i in guess[:decoded_lengths(guess[None])[0]])}")

# %% [markdown]
# The masked model copies the fresh sequences of lengths 3 to 14. In the pictures, the naive
# model writes runs of one symbol inside the sequences, unrelated to the targets, and exact
# stops on the padding. The masked model matches the targets up to and including each first
# stop, and its errors panel is almost blank. After that first stop it writes anything: no
# loss ever looked there, and reading its answer stops at the first stop.
#
# The two loss curves average over different positions, so compare their shapes. The naive
# loss levels off within a few hundred batches, near 0.6: about what guessing among three
# symbols costs ($\ln 3 \approx 1.1$ nats on each of the 57 % of positions that are real),
# with nothing lost on the padding. The masked loss keeps falling.
#
# Fed the true previous symbols, as in training, the masked model gets a few more of the real
# symbols right than fed its own guesses: some of its mistakes follow a
# mistake of its own, a situation it never met while training. That is exposure bias, and it
# costs little here, where mistakes are rare; the longer and harder the output, the more it can
# cost.
#
# ## Which fixes matter? Take them away one at a time
#
# The masked model changed five things at once, so its success alone says nothing about any
# one of them. An **ablation** trains the working model again with one fix taken away and
# everything else equal: the same 500 batches of the same data, the same fresh sequences and
# scores, on seeds 0, 1 and 2 (seed 0 with all five fixes is the model above). The three
# fixes that live in the model are switched off in a subclass; the two that live in training
# are `train_masked`'s `without` argument.
#
# Taking away the previous symbol feeds the decoder zeros, while training and while
# generating. That asks whether the decoder needs to see what was written at all; it does not
# compare teacher forcing with its alternative, training the decoder fed its own guesses.
# Notebook 06 makes that comparison, on addition.

# %%
FIXES = ["masked loss", "state at each end", "reversed reading", "previous symbol fed", "one-cycle and clipping"]
SEEDS = (0, 1, 2)


class WithoutOneFix(MaskedEncoderDecoder):
    def __init__(self, n_symbols, hidden_size, without):
        super().__init__(n_symbols, hidden_size)
        self.without = without

    def encode(self, ids, lengths):
        read = ids if self.without == "reversed reading" else reverse_each(ids, lengths)
        states, after_padding = self.encoder(one_hot(read, self.n_symbols))
        if self.without == "state at each end":
            return after_padding
        return states[torch.arange(len(ids)), lengths - 1][None]

    def forward(self, ids, lengths, targets):
        if self.without != "previous symbol fed":
            return super().forward(ids, lengths, targets)
        zeros = torch.zeros(len(ids), targets.shape[1], self.n_symbols + 1, device=ids.device)
        return self.readout(self.decoder(zeros, self.encode(ids, lengths))[0])

    @torch.no_grad()
    def generate(self, ids, lengths, steps):
        if self.without != "previous symbol fed":
            return super().generate(ids, lengths, steps)
        return self(ids, lengths, ids[:, :steps]).argmax(-1)       # the targets are ignored


# %% [markdown]
# That is 17 more trainings of 500 batches, and one more for the naive model's lengths (it is
# explained after the table): seed 0 without two fixes, the state at each end and the masked
# loss. *Aside (not needed for the rest):
# `side_by_side(function, items, device)` from the course library is `[function(item) for
# item in items]`, computed two at a time, one core each, when the models are on the CPU
# (faster for models this small on a 2-core laptop), one at a time on a GPU; every model is
# built with its seed before any trains, so none depends on which ran beside it.*

# %%
from course_lib.hardware import side_by_side


def trained(job):                                   # (model, fix train_masked leaves out) -> (scores, losses)
    model, without = job
    losses = train_masked(model, train_data, without=without)
    return evaluate(model)[:2], losses


jobs = {}                                           # (what is left out, seed) -> (fresh model, fix left out in training)
for without in [None] + FIXES:
    for seed in SEEDS:
        if (without, seed) != (None, 0):            # that one is the masked model above
            seed_everything(seed)
            jobs[without, seed] = WithoutOneFix(4, 128, without).to(device), without
seed_everything(0)
jobs["state at each end and masked loss", 0] = WithoutOneFix(4, 128, "state at each end").to(device), "masked loss"

start = time.perf_counter()
results = {(None, 0): (masked_accuracy_real, masked_length_right)}   # (what is left out, seed) -> scores
ablation_losses = {(None, 0): masked_losses}                        # (what is left out, seed) -> loss per batch
for key, (scores, losses) in zip(jobs, side_by_side(trained, jobs.values(), device)):
    results[key], ablation_losses[key] = scores, losses
print(f"{len(jobs)} models trained in {time.perf_counter() - start:.0f} s")

# %%
def mean_over_seeds(without, score):                    # score 0: symbols, 1: lengths
    return sum(results[without, seed][score] for seed in SEEDS) / len(SEEDS)


print(f"{'':>30} {'real symbols right':>28}   {'lengths right':>28}")
print(f"{'':>30} {'seed 0   seed 1   seed 2    mean':>28}   {'seed 0   seed 1   seed 2    mean':>28}")
for without in [None] + FIXES:
    row = [f"{results[without, seed][score]:7.2%}" for score in (0, 1) for seed in SEEDS]
    print(f"{'all five fixes' if without is None else 'without ' + without:>30} "
          f"{' '.join(row[:3])} {mean_over_seeds(without, 0):7.2%}   {' '.join(row[3:])} {mean_over_seeds(without, 1):7.2%}")
print(f"(a model that always guesses one length gets 1/12 = {1 / 12:.1%} of the lengths right)")
both = results["state at each end and masked loss", 0]
print(f"seed 0 without the state at each end and without the masked loss: real symbols right {both[0]:.2%}, "
      f"lengths right {both[1]:.2%}")

fig, axes = plt.subplots(1, 2, figsize=(12, 3.5), sharey=True)
names = ["all five fixes"] + [f"without {fix}" for fix in FIXES]
for score, (ax, title) in enumerate(zip(axes, ["real symbols right", "lengths right"])):
    for row, without in enumerate([None] + FIXES):
        ax.barh(row, mean_over_seeds(without, score), color="tab:green" if without is None else "tab:gray")
        ax.plot([results[without, seed][score] for seed in SEEDS], [row] * 3, "k.")
    ax.set_xlim(0, 1)
    ax.set_title(f"{title} (bars: mean, dots: seeds 0-2)")
axes[0].set_yticks(range(len(names)), names)
axes[0].invert_yaxis()
plt.show()

# %% [markdown]
# What the table says, fix by fix:
#
# - **State at each end** and **reversed reading** are the two that carry the result within
#   these 500 batches: without either one, the model gets the real symbols right at chance
#   (33 %) on every seed. Without the state at each end it also gets the lengths right only as
#   often as a model that always guesses one length; without reversed reading, the lengths
#   are all right (a model that cannot copy the symbols can still count them; why natural
#   order counts even better, this ablation does not say). The ablation shows *that* reading
#   order matters, not why. One hypothesis, the one Sutskever et al. gave, is distance:
#   reversed, the first symbol to write is the last one read, right before the decoder
#   starts, and each next one was read two steps further back; in natural order every symbol
#   is read a whole sequence, 3 to 14 steps, before it is written, and not one gives the model
#   a short path to start learning from. Distance alone cannot be the whole story, though:
#   notebook 04's model copied sequences of length 10 in natural order. What differs here is
#   that the lengths vary, so in natural order the distance between reading a symbol and
#   writing it changes from one sequence to the next, where at one fixed length it never does.
#   Which of the two matters is untested; Exercise 5.2 probes the first.
# - **One-cycle and clipping** (taken away together: a constant 5e-3, no clipping) are worth
#   several points of the symbols, and more of the lengths.
# - **Feeding the previous symbol** barely changes the symbols, but on every seed the lengths
#   come out wrong more often than with all five fixes on any seed.
# - **The masked loss**, the most obvious suspect in the naive model, matters least for the
#   real symbols: taking it away moves them by less than half a point, and the lengths by
#   less than one.
#
# The naive model lacks all five, including both fixes without which the real symbols stay at
# chance, and it differs from the masked model in a sixth way that the ablation does not test:
# its learning rate, a constant 5e-4 where the others rise to 5e-3. Its real symbols at chance
# need no sixth explanation, since either missing fix alone gives that; what its lower
# learning rate changed besides, the ablation cannot say.
#
# What about its lengths? The naive model got every one right, though it too hands over the
# state after the padding, as the model without the state at each end does, which gets one
# length in twelve. That state does hold the length: the last thing the encoder read is the
# run of stops, and how long that run is tells the length. The line under the table shows what makes the difference: without the state at each
# end *and* without the masked loss, the model gets every length right too. A loss that counts
# the padding asks for a stop at every padded position, 43 % of all positions, and that
# teaches the model to read the length off the state after the padding; the masked loss asks
# for one stop per sequence, and at this learning rate, within these 500 batches, that was not
# enough.
#
# ### Why the masked loss matters so little here
#
# Not because masking does not matter, but for two reasons particular to this setup. First,
# the padding is made of stop symbols, so the targets at the padded positions are *right*
# (after a sequence's end the copy does go on with stops) and *easy* (once a stop is written,
# the next symbol is always a stop); they even carry information, as the lengths above showed.
# A model learns them early, and from then on their losses are close to zero: counting them
# only adds positions to divide by, which scales the loss down. Second, Adam does not care
# about the loss's scale: it divides each step by a running measure of the gradient's size,
# so a loss multiplied by a constant takes the same steps. The cell below measures both: on
# the ablation's model trained without the masked loss, and on ten steps of a fresh model with
# Adam and with plain SGD (stochastic gradient descent, whose step is the gradient times the
# learning rate).

# %%
unmasked = jobs["masked loss", 0][0]                # trained with every position in its loss
ids, lengths = fresh.ids[:1000].to(device), fresh.lengths[:1000].to(device)
with torch.no_grad():
    position_losses = F.cross_entropy(unmasked(ids, lengths, ids).transpose(1, 2), ids, reduction="none")  # (B, T)
counted = length_mask(lengths + 1, WIDTH)           # what the masked loss counts: real positions and first stop
counted_share = counted.float().mean().item()
print(f"mean loss on the real positions and first stops {position_losses[counted].mean():.4f}, "
      f"on the padding after them {position_losses[~counted].mean():.6f}")
print(f"loss over every position = {position_losses.mean() / position_losses[counted].mean():.3f} x the masked "
      f"loss; the masked loss counts {counted_share:.3f} of the positions")


def weight_change(make_optimizer, scale, steps=10):
    """How far `steps` optimizer steps move a fresh model when its loss is multiplied by `scale`."""
    seed_everything(0)
    model = MaskedEncoderDecoder(4, 128).to(device)
    before = nn.utils.parameters_to_vector(model.parameters()).detach().clone()
    optimizer = make_optimizer(model.parameters())
    for batch_start in range(0, steps * 64, 64):
        ids, lengths = (tensor.to(device) for tensor in train_data[batch_start:batch_start + 64])
        loss = scale * masked_cross_entropy(model(ids, lengths, ids), ids, length_mask(lengths + 1, WIDTH))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return nn.utils.parameters_to_vector(model.parameters()).detach() - before


step_ratio = {}                                     # optimizer -> how far the scaled loss moves the weights
for name, make_optimizer in [("Adam", lambda parameters: torch.optim.Adam(parameters, lr=5e-3)),
                             ("SGD", lambda parameters: torch.optim.SGD(parameters, lr=0.1))]:
    full, scaled = weight_change(make_optimizer, 1.0), weight_change(make_optimizer, counted_share)
    step_ratio[name] = (scaled.norm() / full.norm()).item()
    print(f"{name}: the loss times {counted_share:.3f} moves the weights {step_ratio[name]:.3f} times as far")

# %% [markdown]
# On the padding after the first stop, the loss is hundreds of times smaller than on the
# positions that matter; the loss over every position is the masked loss times about the
# share of positions the mask counts; Adam's ten steps land the same whatever that share, and
# SGD's shrink with it. Change either reason and the argument falls: padded targets the model
# cannot predict keep large losses that pull on it for as long as it trains, and with SGD a
# loss scaled down takes smaller steps. So masking the loss is the safe default, and
# measuring always needs the mask: the naive model, at chance on the real symbols, is right
# at most positions when padding counts.
#
# With every fix, the model copies the sequences of lengths 3 to 14. The course library keeps
# this model as `course_lib.seq2seq.Seq2Seq` (with any cell type and several layers) for
# notebook 06; it takes the encoder's final state with the built-in
# `pack_padded_sequence` instead of indexing, which is what Exercise 5.1 is about.
#
# **Exercise 5.1 — the built-in way.** `pack_padded_sequence(x, lengths, batch_first=True,
# enforce_sorted=False)` tells an RNN where each sequence ends; the RNN then stops each row at
# its own length and its `h_n` *is* the state at the end of every sequence (for every layer,
# which indexing `output` cannot give). Write `encode_packed(model, ids, lengths)` that returns
# the same `(1, B, H)` state as `model.encode`, using `pack_padded_sequence`; like `encode`, it
# must feed the encoder each sequence reversed. (Lengths must be on the CPU;
# `enforce_sorted=False` lets the rows come in any order of length.)

# %% tags=["exercise"]
def encode_packed(model, ids, lengths):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/05_pack_padded.py and runs it here (in JupyterLab, `%load ../solutions/05_pack_padded.py` also works).
# solution("05_pack_padded")

# %% tags=["checker"]
from course_lib.checkers import check_encode_packed

check_encode_packed(encode_packed, masked, fresh.ids[:8].to(device), fresh.lengths[:8].to(device))

# %% [markdown]
# **Exercise 5.2 — is natural order only slower?** Without reversed reading, the model got the
# real symbols at chance after 500 batches. Perhaps natural order is only harder, and more
# training would close the gap. Find out with the ablation's own experiment, trained longer:
# call `seed_everything(0)` and build `WithoutOneFix(4, 128, "reversed reading")` (so that it
# starts from the same weights as the ablation's seed-0 model), train it on `train_data` for
# three times as many batches with `train_masked` (its `batches` argument; `without` changes
# only the two training fixes, so naming "reversed reading" there, as the ablation did, only
# labels the progress bar) and keep the losses it returns, then score it on the fresh
# sequences with `evaluate`. Store the model in `natural_order`, the losses in
# `natural_order_losses` and `(real symbols right, lengths right)` in `natural_order_longer`.
#
# The checker makes sure that the experiment is the intended one (the model, the number of
# batches, its first batch's loss against the ablation's, its scores on the fresh sequences),
# then prints your figures beside the ablation's. Before you run it, guess what three times
# the training gives. Then: how much of the gap did it close? Is natural order only slower,
# or does it learn something else first? What would you need to tell "slower" from "cannot"?

# %% tags=["exercise"]
natural_order, natural_order_losses, natural_order_longer = None, None, None  # model, its losses, its scores

# Stuck? Uncomment the next line: it shows solutions/05_natural_order_longer.py and runs it here (in JupyterLab, `%load ../solutions/05_natural_order_longer.py` also works).
# solution("05_natural_order_longer")

# %% tags=["checker"]
from course_lib.checkers import check_natural_order_longer

check_natural_order_longer(natural_order, natural_order_losses, natural_order_longer, fresh, results, ablation_losses)

# %% [markdown]
# ## What we learned
#
# - Sequences of different lengths share a batch once they are padded to a common width; with
#   a stop symbol as the padding, every sequence also says where it ends. The length mask is
#   one broadcast comparison, `arange(T) < lengths[:, None]`.
# - The encoder must hand over its state at each sequence's own end (index `length - 1`, or
#   let `pack_padded_sequence` stop each row, which gives every layer's state). Handed
#   the state after the padding instead, the model copies at chance within the same training,
#   though that state still tells the length.
# - Reading the input reversed puts the first symbol to write right before the decoder
#   starts; in natural order the same model stays at chance within the same training.
# - Teacher forcing feeds the decoder the true previous symbol while training; generation
#   feeds it its own guess, and the difference between the two is exposure bias. Feeding the
#   decoder its previous symbol at all makes the lengths right more often; whether to train it
#   on the true symbol or on its own guess is another question.
# - Measure on real positions only: counting padding, a model at chance looks good. The
#   masked *loss* mattered least here, because stop padding makes the padded targets right and
#   easy (they even taught the lengths to a model without the state at each end) and Adam
#   ignores the loss's scale; with padded targets that cannot be predicted, or with plain SGD,
#   neither reason holds, so masking the loss stays the safe default.
# - An ablation (one change at a time, everything else equal, several seeds) says which fixes
#   matter: here the most obvious suspect mattered least, and each of two others was essential.
#
# ## Going further
#
# - Ilya Sutskever, Oriol Vinyals and Quoc V. Le, [Sequence to sequence learning with neural
#   networks](https://arxiv.org/abs/1409.3215) (2014): encoder-decoders for translation, and
#   reversing the source sentence, which made their model much better.
# - Kyunghyun Cho et al., [Learning phrase representations using RNN encoder-decoder for
#   statistical machine translation](https://arxiv.org/abs/1406.1078) (2014): the
#   encoder-decoder of this notebook, with a GRU.
# - Ronald J. Williams and David Zipser, [A learning algorithm for continually running fully
#   recurrent neural networks](https://doi.org/10.1162/neco.1989.1.2.270) (1989): teacher
#   forcing.
# - Samy Bengio et al., [Scheduled sampling for sequence prediction with recurrent neural
#   networks](https://arxiv.org/abs/1506.03099) (2015): exposure bias, and feeding the decoder
#   more and more of its own guesses while training.
# - Diederik P. Kingma and Jimmy Ba, [Adam: a method for stochastic
#   optimization](https://arxiv.org/abs/1412.6980) (2014): why its steps do not depend on the
#   gradient's scale.
# - Leslie N. Smith, [A disciplined approach to neural network hyper-parameters](https://arxiv.org/abs/1803.09820)
#   (2018): the one-cycle learning rate.
# - PyTorch's [`pack_padded_sequence`](https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html).

# %% [markdown]
# ## Check
#
# On fresh sequences of lengths 3 to 14, the masked model gets at least 99 % of the real
# symbols and the length of at least 99 % of the sequences right, where the naive model,
# trained on the same batches, learned the padding and got the real symbols at chance. The
# ablation says what the text says it does, and so do the measurements of why the masked loss
# mattered little.

# %% tags=["check"]
assert masked_accuracy_real >= 0.99 and masked_length_right >= 0.99, (masked_accuracy_real, masked_length_right)
assert abs(naive_real - 1 / 3) < 0.03 and naive_padding > 0.99, (naive_real, naive_padding)


def change(without, score):                             # mean over seeds, minus all five fixes
    return mean_over_seeds(without, score) - mean_over_seeds(None, score)


for seed in SEEDS:
    for essential in ("state at each end", "reversed reading"):
        assert abs(results[essential, seed][0] - 1 / 3) < 0.03, (essential, seed, results[essential, seed])
    assert abs(results["state at each end", seed][1] - 1 / 12) < 0.015, results["state at each end", seed]
    assert results["reversed reading", seed][1] == 1.0, results["reversed reading", seed]
    assert results["previous symbol fed", seed][1] < min(results[None, other][1] for other in SEEDS), seed
assert change("one-cycle and clipping", 0) <= -0.01 and change("one-cycle and clipping", 1) <= -0.01
assert abs(change("previous symbol fed", 0)) < 0.005
assert abs(change("masked loss", 0)) < 0.005 and abs(change("masked loss", 1)) < 0.01
assert all(change("masked loss", 0) > change(fix, 0) for fix in FIXES if fix != "masked loss")
assert naive_length_right > 0.99 and naive_all > 0.5, (naive_length_right, naive_all)
assert masked_forced_real >= masked_accuracy_real, (masked_forced_real, masked_accuracy_real)
assert abs(both[0] - 1 / 3) < 0.03 and both[1] > 0.99, both
assert position_losses[~counted].mean() < position_losses[counted].mean() / 100
assert abs(step_ratio["Adam"] - 1) < 0.01 and abs(step_ratio["SGD"] - counted_share) < 0.1, step_ratio
print(f"check passed: masked {masked_accuracy_real:.2%} of real symbols, {masked_length_right:.2%} of lengths "
      f"(naive {naive_real:.1%})")
