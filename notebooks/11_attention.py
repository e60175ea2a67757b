# %% [markdown]
# # 11 · Attention: looking back instead of remembering
#
# **The question.** Every encoder-decoder of notebooks 04 to 06 squeezes its whole input into
# one vector, the encoder's last state, and the decoder must unfold the answer from that alone.
# What does that cost as the input grows, and what changes when the decoder may look back at
# every input position each time it writes?
#
# **You will be able to**
# - measure the bottleneck of one summary vector: accuracy against the length of the input
# - write attention by hand (additive, dot-product and scaled dot-product scores, a softmax with the padding masked out, the context vector) and check it against PyTorch's `scaled_dot_product_attention`
# - train an encoder-decoder with attention and read its attention map
# - decode with a beam search and count what it fixes that greedy decoding gets wrong
# - say what a Transformer keeps of this attention and what it drops
#
# **You need** notebook 05 (the stop symbol, padding, masks, one-cycle training and the course's
# `Seq2Seq`) and notebook 06 (the adder, and why it reads the question backwards); notebook 09's
# vanishing gradients help in the last section.
#
# **Time.** about 60 minutes to read, run and do the exercises.
#
# ![An encoder-decoder with attention reversing abcd: the decoder's second step weighs every encoder state and reads their weighted sum](../images/encoder_decoder_attention.svg)
#
# The picture shows the idea for reversing `abcd`. The encoder keeps *every* state it passes
# through, not only the last. Each time the decoder writes, its state $s_t$ scores every
# encoder state $h_j$; a softmax turns the scores into weights $\alpha_{tj}$ that sum to 1 (the
# blue arrows, wider for larger weights), and the **context** $c_t = \sum_j \alpha_{tj} h_j$,
# their weighted average, joins $s_t$ to choose the symbol. Writing `c`, step 2 looks mostly at
# the state where `c` was read. This is **attention**, introduced by Bahdanau, Cho and Bengio
# (2014). The form drawn here, and built in this notebook, is the one of Luong, Pham and
# Manning (2015): it scores with the decoder's *current* state $s_t$ and joins the context to
# $s_t$ at the output. Bahdanau et al. score with the *previous* state $s_{t-1}$ and feed the
# context into the decoder's recurrent update. We build Luong's form because its decoder still
# runs as one `nn.GRU` call while training (more on that below).
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/11_attention.ipynb) and run its first code cell.*

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
import math
import re
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from course_lib.exercises import solution
from course_lib.hardware import pick_device, side_by_side
from course_lib.seeding import seed_everything
from course_lib.sequences import (STOP, PaddedSequences, copy_batches, length_mask, masked_accuracy,
                                  masked_cross_entropy, reverse_each)
from course_lib.seq2seq import train_seq2seq
from course_lib.vocab import one_hot

device = pick_device()

# %% [markdown]
# ## The task: reverse sequences of 5 to 30 symbols
#
# Symbols `a` to `h` (ids 1 to 8; 0 is notebook 05's stop symbol, which also pads), lengths
# drawn from 5 to 30, each sequence followed by a stop. The target is the sequence reversed,
# then a stop. A sequence of 30 symbols out of 8 holds $30 \log_2 8 = 90$ bits. Without
# attention, all of them must pass through one state of 96 numbers: room enough in principle,
# but the encoder must learn to pack them in and the decoder to take them out again, within the
# same training.

# %%
LETTERS, MIN_LENGTH, MAX_LENGTH = "abcdefgh", 5, 30
HIDDEN, BATCHES, LR = 96, 600, 2e-2   # every reversal model: 600 batches of 64, one-cycle up to 2e-2

train_data = PaddedSequences(BATCHES * 64, len(LETTERS), MIN_LENGTH, MAX_LENGTH,
                             generator=torch.Generator().manual_seed(0))
fresh = PaddedSequences(2000, len(LETTERS), MIN_LENGTH, MAX_LENGTH, generator=torch.Generator().manual_seed(1234))
longest = PaddedSequences(500, len(LETTERS), MAX_LENGTH, MAX_LENGTH, generator=torch.Generator().manual_seed(4321))


def spelled(ids):
    """Symbol ids -> letters, up to the first stop."""
    ids = ids.tolist()
    return "".join(LETTERS[i - 1] for i in ids[:ids.index(STOP) if STOP in ids else len(ids)])


for ids, target in zip(fresh.ids[:3], reverse_each(fresh.ids[:3], fresh.lengths[:3])):
    print(f"{spelled(ids):>30} -> {spelled(target)}")

# %% [markdown]
# ## The bottleneck, measured
#
# Two models learn the task with equal training: the same 600 batches of the same sequences,
# the same seed, the same sizes (a GRU encoder and a GRU decoder of 96 units), notebook 05's
# one-cycle learning rate and clipping (`train_seq2seq`).
#
# - **Without attention**: notebook 05's encoder-decoder (`AttentionSeq2Seq(attention=False)`
#   computes exactly what `course_lib.seq2seq.Seq2Seq` computes with a GRU).
# - **With attention**: the same, plus the look back of the picture above, which the next
#   section builds by hand.
#
# Both read each sequence backwards, as notebook 05's model does, so that the $t$-th symbol
# written is the $t$-th read: for the model with attention, where to look is then a count that
# both sides keep from their start. Attention is the only difference between the two, with
# the layers it brings: its query layer and the layer that joins the context to the state, so
# the model with attention also has more parameters; a model without attention given as many
# is a control this notebook does not run. The
# reading order can matter to a model without attention (notebook 06's adder learned only
# reading backwards), so a third model, without attention, reads in the natural order, where
# the first symbol to write is the last one read, the freshest in its state.
#
# All three reverse 2,000 fresh sequences, and we plot the share of symbols right against the
# length.
#
# *Aside (not needed for the rest): on a CPU they train two at a time, one core each
# (`side_by_side`; on a GPU one after the other). Each is built from its seed before any
# trains, and training draws no random numbers, so what a model learns does not depend on what
# trains beside it.*

# %%
from course_lib.attention import AttentionSeq2Seq


def reverser(attention, seed=0, backwards=True):
    """A new encoder-decoder for reversing, its weights drawn from `seed`, that reads each
    sequence backwards (or, with backwards=False, in its natural order)."""
    seed_everything(seed)
    return AttentionSeq2Seq(len(LETTERS) + 1, len(LETTERS) + 1, HIDDEN, attention=attention,
                            reverse_input=backwards).to(device)


def train_to_reverse(model):
    """Train `model` on `train_data`, reversed; returns the seconds it took."""
    start = time.perf_counter()
    train_seq2seq(model, copy_batches(train_data, reverse=True), masked_cross_entropy, lr=LR)
    return time.perf_counter() - start


plain, attentive = reverser(attention=False), reverser(attention=True)
plain_forwards = reverser(attention=False, backwards=False)
seconds = side_by_side(train_to_reverse, [attentive, plain, plain_forwards], device)
print(f"trained in {seconds[0]:.0f} s (with attention), {seconds[1]:.0f} s and {seconds[2]:.0f} s (without), two at a time")


def answers_and_looks(model, data):
    """What the model writes for `data` (B, T + 1), and where it looked (B, T + 1, T + 1) or None."""
    predictions, looked = model.generate(data.ids.to(device), data.lengths.to(device), data.ids.shape[1])
    return predictions.cpu(), None if looked is None else looked.cpu()


def accuracy_by_length(predictions, data):
    """{length: share of the real symbols reversed right} over the sequences of each length."""
    right = (predictions == reverse_each(data.ids, data.lengths)) & length_mask(data.lengths, data.ids.shape[1])
    return {n: (right[data.lengths == n].sum() / (n * (data.lengths == n).sum())).item()
            for n in range(MIN_LENGTH, MAX_LENGTH + 1)}


(plain_predictions, _), (attentive_predictions, attentive_looked), (forwards_predictions, _) = [
    answers_and_looks(model, fresh) for model in (plain, attentive, plain_forwards)]
plain_curve, attentive_curve, forwards_curve = [accuracy_by_length(predictions, fresh) for predictions in
                                                (plain_predictions, attentive_predictions, forwards_predictions)]
longest_mask = length_mask(longest.lengths, MAX_LENGTH + 1)
plain_longest, attentive_longest, forwards_longest = [
    masked_accuracy(answers_and_looks(model, longest)[0], reverse_each(longest.ids, longest.lengths), longest_mask)
    for model in (plain, attentive, plain_forwards)]
print(f"500 fresh sequences of length {MAX_LENGTH}, symbols right: with attention {attentive_longest:.2%}; without, "
      f"{plain_longest:.2%} reading backwards and {forwards_longest:.2%} reading forwards "
      f"(a guess is right {1 / len(LETTERS):.1%} of the time)")

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(list(plain_curve), list(plain_curve.values()), "o-", label="without attention, reading backwards")
ax.plot(list(forwards_curve), list(forwards_curve.values()), "o--", color="C0", alpha=0.5,
        label="without attention, reading forwards")
ax.plot(list(attentive_curve), list(attentive_curve.values()), "o-", color="C1", label="with attention, reading backwards")
ax.axhline(1 / len(LETTERS), color="gray", linestyle=":", label="guessing")
ax.set_xlabel("length of the sequence")
ax.set_ylabel("symbols reversed right")
ax.set_ylim(0, 1.02)
ax.legend()
plt.show()

# %% [markdown]
# Without attention, the curve falls as the sequences grow, whichever way the model reads, to
# fewer than half of the symbols right at 30, though more than twice what a guess gets (1 in
# 8). Reading in the natural order it gets nearly every symbol of the shortest sequences right;
# reading backwards, it must give the symbols back in the order it read them, first in, first
# out, and loses some even on the shortest. The model is not broken: in 600 batches it learned
# to carry short sequences through its one state, and the decoder has nothing else to go on.
# With attention the curve stays near the top all the way to 30:
# whatever the length, each step needs only the state where its symbol was read.
#
# ## Attention by hand
#
# On a small example first: two sequences of encoder states, the first of 5 positions, the
# second of 3 followed by 2 positions of padding, and 3 decoder states each. Shapes: `B`
# sequences, `T_in` encoder positions, `T_out` decoder steps, `H` numbers per state.

# %%
generator = torch.Generator().manual_seed(0)
B, T_in, T_out, H = 2, 5, 3, 4
encoder_states = torch.randn(B, T_in, H, generator=generator)     # h_j
decoder_states = torch.randn(B, T_out, H, generator=generator)    # s_t
lengths = torch.tensor([5, 3])
mask = length_mask(lengths, T_in)                                  # (B, T_in): True on real positions
print(mask)

# %% [markdown]
# **Additive scores** (Bahdanau et al.): a small network with one hidden layer of size `A` scores
# each pair, $e_{tj} = v^\top \tanh(W_s s_t + W_h h_j)$ (Bahdanau et al. score $s_{t-1}$; here
# the same decoder states go into both kinds of score, so that they can be compared). Broadcasting computes all
# `T_out × T_in` pairs at once: `(B, T_out, 1, A) + (B, 1, T_in, A)` gives `(B, T_out, T_in, A)`.

# %%
A = 6
W_s, W_h, v = (torch.randn(H, A, generator=generator), torch.randn(H, A, generator=generator),
               torch.randn(A, generator=generator))
additive_scores = torch.tanh((decoder_states @ W_s)[:, :, None, :] + (encoder_states @ W_h)[:, None, :, :]) @ v
print("scores", tuple(additive_scores.shape))                      # (B, T_out, T_in)

leaky = additive_scores.softmax(dim=-1)
print("second sequence, weights of step 1 over its 5 positions:", leaky[1, 0].numpy().round(3))

# %% [markdown]
# The plain softmax gives the two padding positions of the second sequence (the last two
# numbers) more than half of the weight: the context would mix in states that are not part of
# the sequence, and how much would depend on the padding, that is on whatever else is in the
# batch. The fix is notebook 05's mask, applied *before* the softmax.
#
# **Exercise 11.1 — mask the padding.** Write `masked_softmax(scores, mask)`: the softmax of
# `scores` over their last axis, where the positions whose `mask` is False get a weight of
# exactly 0 and the others share all of it (every row sums to 1). `mask` is broadcast against
# `scores`, e.g. `(B, 1, T_in)` against `(B, T_out, T_in)`. Hint: what is $e^{-\infty}$?

# %% tags=["exercise"]
def masked_softmax(scores, mask):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/11_masked_softmax.py and runs it here (in JupyterLab, `%load ../solutions/11_masked_softmax.py` also works).
# solution("11_masked_softmax")

# %% tags=["checker"]
from course_lib.checkers import check_masked_softmax

check_masked_softmax(masked_softmax)

# %% [markdown]
# From here on the course library's `masked_softmax` does it (`course_lib.attention`, the same
# as the exercise's answer). The weights of the second sequence now stay on its 3 positions,
# and the **context** of each decoder step is the weighted average of the encoder states:
# `(B, T_out, T_in) @ (B, T_in, H)` gives `(B, T_out, H)`, one vector per step, whatever the
# length of the input.

# %%
from course_lib.attention import attend
import course_lib.attention as attention_lib   # the module; `attention=` elsewhere is a model's switch

masked_weights = attention_lib.masked_softmax(additive_scores, mask[:, None, :])   # (B, T_out, T_in)
context = masked_weights @ encoder_states                                        # (B, T_out, H)
print("second sequence, weights of step 1:", masked_weights[1, 0].numpy().round(3))
print("every row sums to 1:", torch.allclose(masked_weights.sum(-1), torch.ones(B, T_out)), " context", tuple(context.shape))

# %% [markdown]
# **Dot-product scores** (Luong, Pham and Manning, 2015) drop the little network: the score is
# how much the two states point the same way, $e_{tj} = s_t \cdot h_j$, one matrix product for
# all pairs. **Scaled** dot products (Vaswani et al., 2017) divide by $\sqrt{H}$: the dot
# product of two random vectors of $H$ numbers, each of spread (standard deviation) 1, has a
# spread of about $\sqrt{H}$ (2, 8 and 32 below, for $H$ = 4, 64 and 1024), so
# without the division large states give huge scores, a softmax that puts nearly all the weight
# on one position, and almost no gradient to learn from.

# %%
dot_scores = decoder_states @ encoder_states.transpose(1, 2)              # (B, T_out, T_in)
scaled_scores = dot_scores / math.sqrt(H)
for size in (4, 64, 1024):
    q, k = torch.randn(2, 10_000, size, generator=generator)
    print(f"H = {size:>4}: dot products of random vectors spread {(q * k).sum(-1).std():6.1f}, "
          f"scaled {((q * k).sum(-1) / math.sqrt(size)).std():.2f}")

hand_context = attention_lib.masked_softmax(scaled_scores, mask[:, None, :]) @ encoder_states

# %% [markdown]
# The built-in way is `torch.nn.functional.scaled_dot_product_attention(query, key, value,
# attn_mask)`, the function at the heart of every Transformer. In its words, the decoder's
# states are the **queries** (what each step asks), the encoder's states are the **keys** (what
# each query is scored against) and also the **values** (what the weights average); here keys
# and values are the same states, in a Transformer two learned projections of them. Its boolean
# mask means "may look here", the same convention as ours. It returns the contexts only, not the weights, so for
# pictures of where a model looks we keep our own `attend` (`course_lib.attention`): the two
# lines above, with an optional `scale` (by default $1/\sqrt{H}$, as the built-in's).

# %%
builtin_context = F.scaled_dot_product_attention(decoder_states, encoder_states, encoder_states,
                                                 attn_mask=mask[:, None, :])
library_context, _ = attend(decoder_states, encoder_states, encoder_states, mask)
hand_difference = max((hand_context - builtin_context).abs().max().item(),
                      (library_context - builtin_context).abs().max().item())
print(f"by hand vs scaled_dot_product_attention: largest difference {hand_difference:.1e}")

# %% [markdown]
# **The decoder that reads the context.** `AttentionSeq2Seq` scores with Luong's *general*
# form $s_t \cdot W h_j$: a learned matrix $W$ (its `query` layer) turns the decoder's state
# into the question it asks, and sets the scale itself (`attend(..., scale=1.0)`). Its
# `read` joins the context to the decoder's state and reads the symbol's scores off
# $\tanh(W_c [c_t; s_t])$, as in the picture at the top. Because the context of step $t$ is
# not fed back into the decoder's next step, the whole teacher-forced decoder still runs as one
# `nn.GRU` call (Bahdanau et al. feed it back, which costs a Python loop over the steps).
# Here is the trained model's first step on four fresh sequences, by hand from its own weights,
# against its `step`:

# %%
with torch.no_grad():
    memory, real, state = attentive.encode(fresh.ids[:4].to(device), fresh.lengths[:4].to(device))  # (4, T, H), (4, T), (1, 4, H)
    first_input = torch.full((4, 1), attentive.start, device=device)          # "start"
    s, _ = attentive.decoder(one_hot(first_input, attentive.output_symbols + 1), state)      # (4, 1, H): s_1
    scores = attentive.query(s) @ memory.transpose(1, 2)                      # (4, 1, T): W s_1 . h_j
    weights = attention_lib.masked_softmax(scores, real[:, None, :])           # (4, 1, T)
    context = weights @ memory                                                 # (4, 1, H): c_1
    hand_step = attentive.readout(torch.tanh(attentive.combine(torch.cat([context, s], dim=-1))))  # (4, 1, V)
    model_step, _, _ = attentive.step(first_input, state, memory, real)
decoder_difference = (hand_step - model_step).abs().max().item()
print(f"first step by hand vs the model's step: largest difference {decoder_difference:.1e}; "
      f"first symbols written {spelled(hand_step.argmax(-1)[:, 0].cpu())}, last symbols read "
      f"{''.join(LETTERS[fresh.ids[i, n - 1] - 1] for i, n in enumerate(fresh.lengths[:4].tolist()))}")

# %% [markdown]
# ## Where the model looks
#
# `generate` also returns the weights of every step, over the input positions as given (it
# undoes the reversed reading). One fresh sequence of each of two lengths, as a heatmap:
# a row per symbol written, a column per symbol read.

# %%
def heatmap(ax, looked, read, written, title):
    ax.imshow(looked.numpy(), cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(read)), list(read), fontsize=7)
    ax.set_yticks(range(len(written)), list(written), fontsize=7)
    ax.set_xlabel("input position (symbol read)")
    ax.set_ylabel("output step (symbol written)")
    ax.set_title(title)


fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), gridspec_kw={"width_ratios": [1, 2.2]})
for ax, i in zip(axes, [int((fresh.lengths == 12).nonzero()[0]), int((fresh.lengths == MAX_LENGTH).nonzero()[0])]):
    n = int(fresh.lengths[i])
    written = spelled(attentive_predictions[i]) + "·"                 # and its stop
    heatmap(ax, attentive_looked[i, :n + 1, :n], spelled(fresh.ids[i]), written, f"reversing {n} symbols")
plt.tight_layout()
plt.show()


def weight_on_matching_position(looked, data, reverse=True):
    """Mean weight that output step t puts on the input position it copies: length - 1 - t when
    reversing, t when copying (the stop steps left out)."""
    steps = torch.arange(looked.shape[1])
    matching = (data.lengths[:, None] - 1 - steps) if reverse else steps.expand(len(data.lengths), -1)
    real = length_mask(data.lengths, looked.shape[1])
    on_it = looked.gather(2, matching.clamp(0, looked.shape[2] - 1)[:, :, None])[:, :, 0]
    return on_it[real].mean().item()


matching_weight = weight_on_matching_position(attentive_looked, fresh)
print(f"on the 2,000 fresh sequences, each step puts on average {matching_weight:.1%} of its weight "
      "on the input position it reverses")

# %% [markdown]
# The anti-diagonal: the first symbol written looks at the input's last symbol, the second at
# the one before it, and so on, nearly all the weight on one position; the stop (`·` in the
# rows) looks at the first. Where a letter repeats, a step may spread a little weight onto its
# neighbours, and the answer is still right. Nobody told the model where to look: the only signal was the loss on the symbols
# written, and looking at the right state is what lowered it.
#
# **Exercise 11.2 — copying draws the diagonal.** Train an attention model to *copy* instead
# of reverse, and measure the mean weight that output step $t$ puts on input position $t$. To
# keep it quick, train on the shorter sequences below (`copy_data`: 300 batches of lengths 5
# to 15) and measure on `copy_fresh`; otherwise train as `reverser` and `train_to_reverse` do
# (seed 0, `HIDDEN`, `LR`, `train_seq2seq`): `copy_batches(copy_data)` makes the copying
# batches (`train_to_reverse` passes `reverse=True`), and `answers_and_looks(copy_model,
# copy_fresh)` gives the weights to measure. Which reading order makes the $t$-th symbol
# written the $t$-th read? `weight_on_matching_position(looked, data, reverse=False)` measures
# the weight; draw the heatmap of one sequence with `heatmap`.

# %%
copy_data = PaddedSequences(300 * 64, len(LETTERS), 5, 15, generator=torch.Generator().manual_seed(5))
copy_fresh = PaddedSequences(1000, len(LETTERS), 5, 15, generator=torch.Generator().manual_seed(6))

# %% tags=["exercise"]
copy_model = None     # an AttentionSeq2Seq trained to copy copy_data
copy_diagonal = None  # the mean weight of output step t on input position t, over copy_fresh

# Stuck? Uncomment the next line: it shows solutions/11_copy_diagonal.py and runs it here (in JupyterLab, `%load ../solutions/11_copy_diagonal.py` also works).
# solution("11_copy_diagonal")

# %% tags=["checker"]
from course_lib.checkers import check_copy_diagonal

check_copy_diagonal(copy_model, copy_diagonal, copy_fresh)

# %% [markdown]
# ## Attention meets the adder
#
# Notebook 06's adder reads `"4821+907"` as text and writes the answer from the units up. Its
# GRU learned when it read the question backwards, and failed when it read forwards, in the
# benchmark that changes one thing at a time (a results file; the command, machine and a note on
# where its figures come from are printed with it):

# %%
from course_lib.addition import ANSWER_STOP, ANSWER_SYMBOLS, QUESTION_CHARS, as_text_questions, draw_sums, text_batches
from course_lib.results import load_results, provenance

ablation = load_results("../results/adder_ablation.json")
print(provenance(ablation))
for row in ablation["rows"][:2]:
    print(f"  {row['model']:<28} {row['exact_match']:7.2%} exact")

# %% [markdown]
# Read forwards, the digit of each place sits at a different distance from the answer digit it
# makes (the timelines under notebook 06's picture). With attention, distance should not
# matter: the decoder can look straight at the digits it needs. So does the reading order still
# matter? Five adders with equal training answer it: the same 102,400 sums (800 batches of 128), 128 units, a
# one-cycle learning rate up to 2e-2, scored on notebook 06's 2,000 held-out sums (far less
# training than notebook 06's GRU got: 1,800 batches and 256 units).
#
# - notebook 06's model, a one-way encoder reading **backwards**, **without** attention, as the
#   baseline at this smaller budget;
# - a one-way encoder with attention, reading **forwards**, and reading **backwards**;
# - a **bidirectional** encoder (`nn.GRU(bidirectional=True)`): two GRUs of 64 units, one
#   reading forwards and one backwards, whose states are set side by side, so that the state
#   at each position knows what comes before it *and* after it; with attention, and without.
#
# This notebook trains two of them (seed 0); `python benchmark.py --attention-adders` trains all
# five with the same code for seeds 0, 1 and 2, and its results file follows.

# %%
ADDER_BATCHES, ADDER_HIDDEN, ADDER_LR = 800, 128, 2e-2
ADDERS = {  # name: (bidirectional, reverse_input, attention)
    "one way, backwards, no attention": (False, True, False),
    "one way, forwards, attention": (False, False, True),
    "one way, backwards, attention": (False, True, True),
    "both ways, attention": (True, False, True),
    "both ways, no attention": (True, False, False),
}
adder_batches = text_batches(*draw_sums(ADDER_BATCHES * 128, seed=1))
held_out = as_text_questions(*draw_sums(2_000, seed=999))   # questions, lengths, answers, answer mask


def new_adder(name, seed=0):
    """A new adder of the kind `name` (one of ADDERS), its weights drawn from `seed`."""
    bidirectional, reverse_input, with_attention = ADDERS[name]
    seed_everything(seed)
    return AttentionSeq2Seq(len(QUESTION_CHARS), ANSWER_SYMBOLS, ADDER_HIDDEN, attention=with_attention,
                            bidirectional=bidirectional, reverse_input=reverse_input).to(device)


def train_to_add(model):
    """Train `model` on adder_batches; returns the seconds it took."""
    start = time.perf_counter()
    train_seq2seq(model, adder_batches, masked_cross_entropy, lr=ADDER_LR)
    return time.perf_counter() - start


def exact_answers(model, questions, lengths, answers, answer_mask):
    """Which held-out sums the model answers exactly (digits and stop; what follows is ignored)."""
    predictions = model.generate(questions.to(device), lengths.to(device), answers.shape[1])[0].cpu()
    return ((predictions == answers) | ~answer_mask).all(dim=1)


adders = {name: new_adder(name) for name in ["one way, forwards, attention", "both ways, attention"]}
adder_seconds = side_by_side(train_to_add, adders.values(), device)
adder_exact = {name: exact_answers(model, *held_out).float().mean().item() for name, model in adders.items()}
for name, seconds in zip(adders, adder_seconds):
    print(f"{name:<32} {adder_exact[name]:7.2%} exact   ({seconds:.0f} s)")

attention_adders = load_results("../results/attention_adders.json")
print("\n" + provenance(attention_adders))
print(f"{'exact match on the held-out sums':<32}{'seed 0':>9}{'seed 1':>9}{'seed 2':>9}")
for name in ADDERS:
    print(f"{name:<32}" + "".join(f"{row['exact_match']:9.2%}" for row in attention_adders["rows"] if row["model"] == name))

# %% [markdown]
# At this budget notebook 06's own model, a one-way encoder reading backwards without
# attention, stays near 0 on every seed: in notebook 06 it learned with more than twice the
# sums and twice the units. Attention does not rescue a one-way encoder within this training,
# in either reading order: forwards and backwards both stay near 0 too. All three one-way
# adders sit at the floor, so this budget cannot say whether the reading order matters once
# there is attention: that would take a budget at which the one-way adders learn. The
# bidirectional encoder with attention answers nearly all the held-out sums on every seed; the
# same encoder without attention stays near 0. Neither alone is enough here; together they
# learn.
#
# A likely reason (these runs do not isolate it): what does each state know? A one-way reader's state at a digit holds only what came before
# it. Read forwards, the state at the `2` of `4821` cannot know yet that it is the tens digit:
# that depends on how many digits follow. Read backwards, it could count the places, but holds
# `907` only as something read many steps before. Each state of the bidirectional encoder has
# read the whole question, one part in each direction, and knows how far it is from either end.
#
# Where does the trained adder look? Each row is a digit written, units first, then the stop:

# %%
adder = adders["both ways, attention"]


def ask_adder(a, b):
    """The adder's answer to a+b, and where each digit it wrote (units first, then the stop) looked."""
    questions, lengths, _, _ = as_text_questions(torch.tensor([a]), torch.tensor([b]))
    written, looked = adder.generate(questions.to(device), lengths.to(device), 6)
    written = written[0].tolist()
    count = written.index(ANSWER_STOP) if ANSWER_STOP in written else len(written)   # digits before the stop
    digits = "".join(str(symbol - 1) for symbol in written[:count])                  # symbol d + 1 is digit d
    return digits[::-1], looked[0, :count + 1, :lengths[0]].cpu(), [*digits, "stop"][:count + 1]


fig, axes = plt.subplots(1, 3, figsize=(12, 3))
for ax, (a, b) in zip(axes, [(4821, 907), (1234, 8766), (505, 5096)]):
    answer, looked, written = ask_adder(a, b)
    heatmap(ax, looked, f"{a}+{b}", written, f"{a}+{b} = {answer}")
plt.tight_layout()
plt.show()

# %% [markdown]
# And over all 2,000 held-out sums: for the answer digit of each place, the mean weight on
# the first operand's digit of that place, on the second's, on everything else, and on the
# larger of the two in each sum (over the sums where both operands have that place).

# %%
def place_positions(a, b, place):
    """Positions in the question "a+b" of a's and of b's digit of `place` (0 = the units)."""
    return len(str(a)) - 1 - place, len(str(a)) + len(str(b)) - place


_, adder_looked = adder.generate(held_out[0].to(device), held_out[1].to(device), 6)
test_a, test_b = draw_sums(2_000, seed=999)
place_weights = {}
for place, name in enumerate(["units", "tens", "hundreds", "thousands"]):
    on_a, on_b = [], []
    for looked, a, b in zip(adder_looked.cpu(), test_a.tolist(), test_b.tolist()):
        if place < min(len(str(a)), len(str(b))):                     # both operands have this place
            position_in_a, position_in_b = place_positions(a, b, place)
            on_a.append(looked[place, position_in_a].item())
            on_b.append(looked[place, position_in_b].item())
    on_a, on_b = torch.tensor(on_a), torch.tensor(on_b)
    place_weights[name] = (on_a.mean().item(), on_b.mean().item(), torch.maximum(on_a, on_b).mean().item())
print(f"{'answer digit':<14}{'on a':>8}{'on b':>8}{'elsewhere':>11}{'on the larger of the two':>28}")
for name, (on_a, on_b, on_one) in place_weights.items():
    print(f"{name:<14}{on_a:8.1%}{on_b:8.1%}{1 - on_a - on_b:11.1%}{on_one:28.1%}")

# %% [markdown]
# Where both operands have that place, each digit written looks at a digit of its own place
# (where one lacks it, as the thousands of 4821+907, it looks at the `+`), nearly always at one
# of the two alone,
# the first operand's or the second's. The context is then little more than that one state, so
# whatever else the digit needs, the other operand's digit and the carry from the places below,
# must come from that state (which has read the rest of the question in one direction or the
# other) or from the decoder's own. The bidirectional encoder *without* attention hands the
# decoder only its two last states, side by side: the states that know the most are there, but
# nobody looks at them.
#
# ## Beyond greedy decoding: beam search
#
# Every decoder so far is **greedy**: at each step it takes the likeliest symbol and moves on.
# But the likeliest *answer* is the one whose symbols' probabilities multiply to the most, and
# an early symbol that looks best may lead to a worse whole. A **beam search** keeps the `width`
# likeliest partial answers (by the sum of their log-probabilities), extends each by every
# symbol, keeps the `width` best of those, and so on; an answer that has written its stop is
# kept as it is. Width 1 is greedy decoding.
#
# We try it where there are errors to fix: the model without attention, on the fresh
# reversals. Its answer is right when every symbol and the stop are.

# %%
@torch.no_grad()
def beam_search(model, ids, lengths, steps, width):
    """(B, steps) answers: the likeliest of the `width` partial answers kept at each step."""
    B, V, k = len(ids), model.output_symbols, width
    memory, mask, state = model.encode(ids, lengths)                        # (B, T, H), (B, T), (1, B, H)
    memory, mask, state = memory.repeat_interleave(k, 0), mask.repeat_interleave(k, 0), state.repeat_interleave(k, 1)
    answers = torch.full((B * k, 1), model.start, device=ids.device)       # row b * k + j: answer j to question b
    total = torch.full((B, k), -math.inf, device=ids.device)                # log-probability of each answer
    total[:, 0] = 0                                                         # one answer to begin with
    only_stop = torch.full((V,), -math.inf, device=ids.device)
    only_stop[STOP] = 0                                                     # after its stop, an answer stays
    for _ in range(steps):
        scores, state, _ = model.step(answers[:, -1:], state, memory, mask)  # (B * k, 1, V)
        log_p = torch.where(answers[:, -1:] == STOP, only_stop, scores[:, 0].log_softmax(dim=-1))  # (B * k, V)
        total, best = (total[:, :, None] + log_p.view(B, k, V)).view(B, -1).topk(k, dim=1)  # (B, k) of the k * V
        row = (torch.arange(B, device=ids.device)[:, None] * k + best // V).view(-1)     # the answer each extends
        answers = torch.cat([answers[row], (best % V).view(-1, 1)], dim=1)
        state = state[:, row]
    return answers.view(B, k, -1)[:, 0, 1:]                                 # the likeliest, without its start


def exact_reversals(predictions, data):
    """Which sequences are reversed exactly: every symbol and the stop."""
    return ((predictions == reverse_each(data.ids, data.lengths)) | ~length_mask(data.lengths + 1, data.ids.shape[1])).all(dim=1)


ids, lengths, steps = fresh.ids.to(device), fresh.lengths.to(device), fresh.ids.shape[1]
greedy_right = exact_reversals(plain_predictions, fresh)
beam_right = {width: exact_reversals(beam_search(plain, ids, lengths, steps, width).cpu(), fresh) for width in (1, 5)}
print(f"greedy: {greedy_right.float().mean():.2%} of the 2,000 fresh sequences reversed exactly; the wrong ones "
      f"are {fresh.lengths[~greedy_right].float().mean():.1f} symbols long on average, all of them {fresh.lengths.float().mean():.1f}")
for width, right in beam_right.items():
    print(f"beam of {width:>2}: {right.float().mean():.2%}; fixes {int((right & ~greedy_right).sum()):>3} "
          f"of greedy's {int((~greedy_right).sum())} wrong answers, breaks {int((~right & greedy_right).sum())} right ones")

# %% [markdown]
# A beam of width 1 is greedy decoding: the same answers. A beam of 5 fixes some of greedy's
# wrong answers: at some step the symbol the model found likeliest led to a less likely whole
# answer, and the search, which had kept a second candidate, found the better one. It also breaks some right ones, fewer than it fixes: the answer
# the model finds likelier is more often right, not always. (A sum of log-probabilities falls
# with every symbol added, so a beam search that ranks by it favours short answers; longer
# tasks divide the sum by the answer's length, *length normalisation*. Two widths on one task
# make no general rule about how wide a beam should be.) And it fixes only a small share of
# the wrong answers. The wrong answers are the longer sequences (longer on average than all of
# them), whose first symbols the state no longer holds (the curve in the first section), and no
# search recovers what the model does not know.
#
# ## Toward Transformers
#
# In the models above, attention found the symbols, and the recurrence gave each state what
# attention needed to find it: where it stands in the sequence (and, for the adder, what lies
# on either side). Vaswani et al. (2017) asked what is left if the recurrence goes:
# **self-attention**, where every position of a sequence queries every position of the same
# sequence. Without recurrence, nothing says where a position is: shuffle the input, and the
# output is the same, shuffled the same way.

# %%
def self_attention(x):                                    # (B, T, D) -> (B, T, D): queries, keys, values all x
    return attend(x, x, x, torch.ones(x.shape[:2], dtype=torch.bool, device=x.device))[0]


def positions(length, size):
    """Vaswani et al.'s positions: sines and cosines of the position at geometric frequencies, (T, D)."""
    position = torch.arange(length)[:, None]
    frequencies = 10_000 ** (-torch.arange(0, size, 2) / size)
    return torch.cat([torch.sin(position * frequencies), torch.cos(position * frequencies)], dim=1)


x = torch.randn(1, 6, 8, generator=generator)                   # 6 positions of 8 numbers
shuffle = torch.tensor([3, 0, 5, 1, 4, 2])
shuffled_alike = torch.allclose(self_attention(x[:, shuffle]), self_attention(x)[:, shuffle], atol=1e-6)
print("without positions, shuffled in = shuffled out:", shuffled_alike)
placed = x + positions(6, 8)
shuffled_alike_when_placed = torch.allclose(self_attention(x[:, shuffle] + positions(6, 8)),
                                            self_attention(placed)[:, shuffle], atol=1e-6)
print("with positions added:                         ", shuffled_alike_when_placed)

# %% [markdown]
# So a Transformer adds a vector that encodes each position (above: sines and cosines of the
# position at many frequencies; often learned instead) to each symbol's vector. What it gains:
#
# - **Every position at once.** A GRU must read position 30 after position 29; self-attention
#   computes all positions in one matrix product, which is what GPUs are built for.
# - **Short paths.** Between any input and any output there is one attention step, not 30
#   recurrent ones: notebook 09 measured how a gradient shrinks across many steps of a
#   recurrence; here it never has to cross them.
#
# What it loses: the cost of comparing every position with every other grows with the square of
# the length (a 30 × 30 table of weights per sequence, per layer), the order must be supplied
# from outside, and each new symbol written attends over everything written so far, so its cost
# grows with the length, where notebook 08's LSTM carried one state of fixed size.
#
# A Transformer stacks layers of self-attention (several "heads" each) and small networks
# applied at each position; a GPT is its decoder alone, trained to predict the next character
# or word, as notebook 08's LSTM was. Karpathy's nanoGPT (linked below) builds one in about 300
# lines.
#
# ## Ask the models
#
# Type 5 to 30 letters from `a` to `h` to see the reverser at work, or a sum of two numbers
# from 100 to 9999 for the adder. The table shows where each symbol written looked (deeper blue:
# more weight).

# %%
from course_lib.widgets import AttentionBox


def read_question(text):
    """'abcde' -> ('reverse', 'abcde'); '4821+907' -> ('add', 4821, 907); otherwise ValueError saying what to type."""
    text = text.replace(" ", "")
    if "+" in text:
        match = re.fullmatch(r"(\d{1,6})\+(\d{1,6})", text)
        if match is None:
            raise ValueError("A sum is two numbers joined by '+', such as 4821+907")
        a, b = int(match[1]), int(match[2])
        if not (100 <= a <= 9999 and 100 <= b <= 9999):
            raise ValueError("The adder learned numbers from 100 to 9999, such as 4821+907")
        return "add", a, b
    unknown = sorted(set(text) - set(LETTERS))
    if unknown or not text:
        raise ValueError(f"Type {MIN_LENGTH} to {MAX_LENGTH} letters from a to h, such as abcdefgh, or a sum such as 4821+907")
    if not MIN_LENGTH <= len(text) <= MAX_LENGTH:
        raise ValueError(f"Type {MIN_LENGTH} to {MAX_LENGTH} letters: the reverser learned those lengths, not {len(text)}")
    return "reverse", text


def respond(text):
    """The answer to `text`, and where each symbol written looked: (answer, weights, read, written)."""
    question = read_question(text)
    if question[0] == "add":
        a, b = question[1:]
        answer, looked, written = ask_adder(a, b)
        return f"{a}+{b} = {answer}", looked, f"{a}+{b}", written
    letters = question[1]
    ids = torch.tensor([[LETTERS.index(letter) + 1 for letter in letters] + [STOP]], device=device)
    written, looked = attentive.generate(ids, torch.tensor([len(letters)], device=device), ids.shape[1])
    answer = spelled(written[0].cpu())
    rows = min(len(answer) + 1, written.shape[1])                       # its symbols and its stop
    return f"reversed: {answer}", looked[0, :rows, :len(letters)].cpu(), letters, [*answer, "stop"][:rows]


box = AttentionBox(respond, placeholder="abcdefgh or 4821+907")
box.text.value = "abcdefghhgfedcba"
box.ask()
box.widget

# %% [markdown]
# ## What we learned
#
# - An encoder-decoder that hands over one vector has a capacity: the longer the input, the
#   less of it comes back out. Measured against the length, its accuracy falls.
# - Attention lets every decoder step look back at all the encoder's states: scores between
#   the decoder's state and each encoder state (additive, dot-product or scaled dot-product), a
#   softmax over the real positions (the padding masked to $-\infty$), and the weighted average
#   of the states, the context.
# - With equal training, the model with attention reverses sequences of 30 symbols almost
#   perfectly where the one without gets most symbols wrong, and its attention map shows what
#   it learned: the anti-diagonal for reversing, the diagonal for copying (Exercise 11.2).
# - What the encoder's states know matters as much as the looking: of the adders trained on the
#   same small budget, only the one with a bidirectional encoder *and* attention learned;
#   notebook 06's one-way model failed at this budget with attention or without, in either
#   reading order, and the bidirectional encoder without attention failed too.
# - Beam search keeps several partial answers instead of one; it fixed a few of greedy
#   decoding's errors and broke fewer right answers than it fixed, but it cannot recover what
#   the model does not hold.
# - A Transformer keeps the attention and drops the recurrence: every position at once and
#   short gradient paths, at the price of adding positions by hand and a cost that grows with
#   the square of the length.
#
# ## Going further
#
# - Bahdanau, Cho & Bengio (2014), [Neural Machine Translation by Jointly Learning to Align and Translate](https://arxiv.org/abs/1409.0473): attention, additive scores, a bidirectional encoder, and heatmaps of the alignments it learned between English and French.
# - Luong, Pham & Manning (2015), [Effective Approaches to Attention-based Neural Machine Translation](https://arxiv.org/abs/1508.04025): dot-product and general scores, and the decoder that joins the context to its state.
# - Vaswani et al. (2017), [Attention Is All You Need](https://arxiv.org/abs/1706.03762): the Transformer: scaled dot-product self-attention, several heads, positions added.
# - Karpathy, [nanoGPT](https://github.com/karpathy/nanoGPT): a small, readable GPT to train yourself, the natural next step after this course.
# - Olah & Carter (2016), [Attention and Augmented Recurrent Neural Networks](https://distill.pub/2016/augmented-rnns/): attention and its relatives, drawn.
#
# ## Check
#
# With equal training, the model with attention gets at least 99 % of the symbols of fresh
# sequences of length 30 right and the model without attention clearly fewer; each step of the
# model with attention puts on average at least 0.9 of its weight on the position it reverses;
# attention by hand equals `scaled_dot_product_attention` to 1e-6, and the decoder's step by hand
# equals the model's. And the adder, beam search and self-attention behave as the text says.

# %% tags=["check"]
assert attentive_longest >= 0.99, attentive_longest
assert plain_longest < 0.6 and forwards_longest < 0.6, (plain_longest, forwards_longest)
assert matching_weight >= 0.9, matching_weight
assert hand_difference < 1e-6, hand_difference
assert decoder_difference < 1e-6, decoder_difference
# what the text says
assert forwards_curve[MIN_LENGTH] > 0.95 and plain_curve[MIN_LENGTH] < forwards_curve[MIN_LENGTH], (
    plain_curve, forwards_curve)
assert all(2 / len(LETTERS) < longest < 0.5 for longest in (plain_longest, forwards_longest)), (plain_longest, forwards_longest)
assert min(attentive_curve.values()) > 0.95, attentive_curve
assert leaky[1, 0, 3:].sum() > 0.5 and masked_weights[1, :, 3:].abs().max() == 0
assert adder_exact["both ways, attention"] >= 0.95 and adder_exact["one way, forwards, attention"] < 0.05, adder_exact
for name, (on_a, on_b, on_one) in place_weights.items():
    assert on_a + on_b > 0.9 and on_one > 0.8, (name, place_weights[name])
fixed, broken = int((beam_right[5] & ~greedy_right).sum()), int((~beam_right[5] & greedy_right).sum())
assert torch.equal(beam_right[1], greedy_right) and broken < fixed < 0.2 * int((~greedy_right).sum()), (fixed, broken)
assert fresh.lengths[~greedy_right].float().mean() > fresh.lengths.float().mean() + 1
assert shuffled_alike and not shuffled_alike_when_placed
for row in attention_adders["rows"]:  # the shipped results file, as the text reads it
    learned = row["model"] == "both ways, attention"
    assert row["exact_match"] > 0.95 if learned else row["exact_match"] < 0.05, row
print(f"check passed: length {MAX_LENGTH}, symbols right {attentive_longest:.2%} with attention, "
      f"{plain_longest:.2%} without; weight on the matching position {matching_weight:.1%}; "
      f"adder both ways with attention {adder_exact['both ways, attention']:.2%} exact")
