# %% [markdown]
# # 07 · Tao: a small RNN taught by a tutor and a sensei
#
# **The question.** Can the plainest recurrent network, a tanh RNN of 64 units, learn one-digit
# sums as if they were a language: read `3+4=` and go on writing `7.`? And since it reads every
# lesson from some hidden state, which state should each lesson start from?
#
# **You will be able to**
# - turn a task into text that a next-character model learns, with the loss on the answer only
# - compare three ways to start the hidden state of each batch, and choose the one that matches how the model is used
# - generate by feeding a model its own characters, with a temperature
# - put a model behind a widget that answers typed questions and explains bad input
#
# **You need** notebook 01 (next-character prediction with `nn.RNN`), notebook 02 (sampling with a
# temperature) and notebook 05 (a loss restricted by a mask). Notebook 06 taught an
# encoder-decoder to add 4-digit numbers; Tao is smaller and simpler: one network that reads and
# writes in the same stream of characters.
#
# **Time.** about 30 minutes.
#
# The task comes as a story. Tao is a small RNN. A
# **tutor** asks it questions, `3+4=`; a **sensei** gives the answers, `7.` (the full stop ends
# an answer). Tao reads question and answer as one text, one character at a time, and learns to
# predict each next character; only its predictions of the answer are scored. To answer alone,
# Tao reads the question and then feeds each character it writes back in as its next input.
#
# ![Tao's lesson: a tutor writes 3+4=, a sensei answers 7., the RNN starts from a state h0 (zero, random or carried over), reads 3+4=7 one character at a time and predicts the next, scored only on the answer 7 and the full stop; answering alone, the character it wrote is its next input](../images/tao_lesson.svg)
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/07_tao_learns_sums.ipynb) and run its first code cell.*

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
import copy
import random
import re

import matplotlib.pyplot as plt
import torch
from torch import nn

from course_lib.exercises import solution
from course_lib.hardware import pick_device, side_by_side
from course_lib.sampling import sample_next  # notebook 02's, kept in the library
from course_lib.seeding import seed_everything
from course_lib.sequences import masked_cross_entropy
from course_lib.vocab import one_hot
from course_lib.widgets import QuestionBox

device = pick_device()

# %% [markdown]
# ## The tutor, the sensei and a lesson
#
# Tao's alphabet is the ten digits, `+`, `=` and `.`. The tutor draws two digits at random; the
# sensei reads the two digits out of the question with a regular expression (`SUM_PATTERN`) and
# adds them (it never runs the question as Python code with `eval`, which would run whatever
# text it was given). A lesson is a batch of 32 such texts, padded with full stops to 7 characters; Tao's input is each
# text without its last character, its target the text shifted by one (notebook 01's next-character
# shift), and a mask marks the predictions that are the answer: the ones made from `=` onwards.

# %%
TAO_CHARS = "0123456789+=."
SUM_PATTERN = re.compile(r"(\d)\+(\d)=")


def tutor(rng):
    return f"{rng.randrange(10)}+{rng.randrange(10)}="


def sensei(question):
    a, b = SUM_PATTERN.fullmatch(question).groups()
    return f"{int(a) + int(b)}."


def as_lesson(texts):
    """Inputs (B, 6) and targets (B, 6) of texts 'a+b=answer.' padded with '.', and the answer mask."""
    ids = torch.tensor([[TAO_CHARS.index(c) for c in text.ljust(7, ".")] for text in texts])
    lengths = torch.tensor([len(text) for text in texts])
    positions = torch.arange(6)
    answer_mask = (positions >= 3) & (positions < lengths[:, None] - 1)   # predictions after '='
    return ids[:, :-1], ids[:, 1:], answer_mask


def lesson(rng, batch_size=32):
    return as_lesson([question + sensei(question) for question in (tutor(rng) for _ in range(batch_size))])


class Tao(nn.Module):
    def __init__(self, hidden_size=64):
        super().__init__()
        self.rnn = nn.RNN(len(TAO_CHARS), hidden_size, batch_first=True)   # tanh by default
        self.readout = nn.Linear(hidden_size, len(TAO_CHARS))

    def forward(self, ids, h=None):                   # (B, T) -> (B, T, V), (1, B, H)
        states, h = self.rnn(one_hot(ids, len(TAO_CHARS)), h)
        return self.readout(states), h


inputs, targets, mask = lesson(random.Random(0), batch_size=2)
for row in range(2):
    print("reads", "".join(TAO_CHARS[i] for i in inputs[row]), "| predicts", "".join(TAO_CHARS[i] for i in targets[row]),
          "| scored", "".join("^" if m else " " for m in mask[row]))

# %% [markdown]
# ## Three ways to start the hidden state
#
# Every batch starts from some hidden state, and there are three natural choices:
#
# - **zero every batch**: each lesson starts from the zero vector;
# - **random every batch**: each lesson starts from a fresh random vector, each of its 64 numbers
#   drawn from a standard normal distribution (so about a third of them lie outside
#   tanh's range of -1 to 1, where no state of Tao's can be);
# - **carried over**: each lesson starts from the state the previous lesson ended in (detached, so
#   that gradients stop at the lesson's start), reset to zero every 50 batches so that it cannot
#   drift on for ever (resetting once per epoch is common; with fresh questions every batch
#   there are no epochs, and 50 batches stand in for one).
#
# The tutor draws new questions for every batch, so the batches are not passes over a fixed set
# of data: carrying the state means starting each lesson where an unrelated batch of sums left
# off. We train one Tao each way for 1,200 batches, and repeat that from three random seeds (each
# seed gives its own initial weights, shared by the three starts, and its own lessons), so that a
# difference between the starts is not the luck of one seed. The nine runs are small and
# independent, so they train side by side, one core each (`course_lib.hardware.side_by_side`);
# each draws its own random numbers, so the result does not depend on which runs first.

# %%
STARTS = ["zero every batch", "random every batch", "carried over"]
SEEDS = [0, 1, 2]
initial_taos = {}
for seed in SEEDS:                                    # built here, not in the threads
    seed_everything(seed)
    initial_taos[seed] = Tao()                        # one seed's initial weights, for every start


def train_tao(run, steps=1200):
    """A copy of the seed's initial Tao trained with each batch's hidden state started the `start`
    way; returns it and the loss of every batch."""
    start, seed = run
    model = copy.deepcopy(initial_taos[seed]).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    rng = random.Random(seed)                         # the lessons
    noise = torch.Generator().manual_seed(seed)       # the random starts
    losses = []
    h = None
    for step in range(steps):
        inputs, targets, mask = (t.to(device) for t in lesson(rng))
        if start == "zero every batch" or (start == "carried over" and step % 50 == 0):
            h = None
        elif start == "random every batch":
            h = torch.randn(1, len(inputs), model.rnn.hidden_size, generator=noise).to(device)
        logits, h_last = model(inputs, h)
        loss = masked_cross_entropy(logits, targets, mask)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if start == "carried over":
            h = h_last.detach()
        losses.append(loss.item())
    return model, losses


RUNS = [(start, seed) for seed in SEEDS for start in STARTS]
tao_runs = dict(zip(RUNS, side_by_side(train_tao, RUNS, device)))   # (start, seed) -> (model, losses)

fig, ax = plt.subplots(figsize=(8, 3))
for (start, seed), (_, losses) in tao_runs.items():
    smoothed = torch.tensor(losses).unfold(0, 50, 50).mean(1)
    ax.semilogy(range(25, 50 * len(smoothed), 50), smoothed, color=f"C{STARTS.index(start)}",
                linewidth=1, label=start if seed == 0 else None)
ax.set_xlabel("batch")
ax.set_ylabel("loss on the answer (mean of 50 batches)")
ax.set_title("each Tao measured from its own kind of start, seeds 0-2")
ax.legend()
plt.show()
tao = tao_runs["zero every batch", 0][0]

# %% [markdown]
# Each curve is measured from its own kind of start, so it says how well each Tao learned under its
# own training conditions, not how well it answers. When Tao answers a question it starts from
# zero. So we score all nine the way Tao is used: each reads the 100 one-digit sums from a zero
# state, and we take the loss on the answers and count the sums it would answer wrong. Tao answers
# by writing its most likely character at each step (the greedy answer, below); as long as those are
# right it reads the same text as here, so a sum comes out wrong exactly when one of its answer
# characters is not Tao's most likely choice.

# %%
EVERY_SUM = as_lesson([f"{a}+{b}=" + sensei(f"{a}+{b}=") for a in range(10) for b in range(10)])


@torch.no_grad()
def score_from_zero(model):
    """(loss on the answers, number of sums answered wrong) of the 100 sums, each read from zero."""
    inputs, targets, mask = (t.to(device) for t in EVERY_SUM)       # (100, 6) each
    logits, _ = model(inputs)                                       # no h: a zero state
    loss = masked_cross_entropy(logits, targets, mask).item()
    wrong = ((logits.argmax(-1) != targets) & mask).any(dim=1).sum().item()
    return loss, wrong


scores = {run: score_from_zero(model) for run, (model, _) in tao_runs.items()}
print(f"{'trained from':<20} {'loss from zero, seeds 0 1 2':<29} sums wrong, seeds 0 1 2")
for start in STARTS:
    loss_row = " ".join(f"{scores[start, seed][0]:6.3f}" for seed in SEEDS)
    wrong_row = " ".join(f"{scores[start, seed][1]:3d}" for seed in SEEDS)
    print(f"{start:<20} {loss_row:<29} {wrong_row}")

# %% [markdown]
# Scored the way it is used, the Tao trained from zero every batch is the best on every seed: it
# answers all 100 sums, and its loss is several times lower than that of the other two, which
# still get several sums wrong. Between the random start and the carried-over state there is no
# clear winner: which of the two does worse changes with the seed. The curves, each measured under
# its own conditions, also put the zero start first: its loss falls fastest and ends lowest. They
# rank the carried-over state ahead of the random start, an order that scoring from zero does not
# confirm on every seed.
#
# Two limits on what this shows. It is a comparison *after 1,200 batches*: the curves are still
# falling, and with longer training the other two starts might catch up. And the random start
# draws from a standard normal, so much of it lies where no state of Tao's can be; whether a
# random start of small noise, inside tanh's range, would do as well as zero is a comparison
# not run here. There are only 100 one-digit sums, and every lesson draws from all of them, so
# "answers every sum" means that Tao learned the whole table it was taught, not that it
# generalises to sums it never saw (notebook 06 tests that, on sums held out).
#
# Zero is the clean choice, and the Tao we keep (seed 0's): training and use see the same
# conditions. The other two train Tao from states it never meets when it answers, random vectors
# or whatever the previous, unrelated sums left behind; a likely reason they learn more slowly is
# that they must also learn to work from those states, which the zero start never asks of Tao.
# Exercise 7.1 lists the mistakes themselves.
#
# ## Self-feeding generation, with a temperature
#
# To answer, Tao reads the question, then feeds each character it writes back in as its next
# input, carrying its hidden state, until it writes a full stop, or until it has written
# `max_chars=3` characters: no one-digit sum has a longer answer, so a Tao that forgets its full
# stop is cut off there. The **temperature** divides the scores before the softmax (notebook 02's
# `sample_next`): at 0, the limit of ever lower temperatures, Tao always takes the most likely
# character; the higher the temperature, the more often it takes a less likely one.

# %%
@torch.no_grad()
def tao_generate(model, question, temperature=0.0, max_chars=3, generator=None):
    """The characters Tao writes after `question` (e.g. '3+4='), up to its full stop."""
    logits, h = model(torch.tensor([[TAO_CHARS.index(c) for c in question]], device=device))
    written = ""
    for _ in range(max_chars):
        index = sample_next(logits[0, -1], temperature, generator)
        if TAO_CHARS[index] == ".":
            break
        written += TAO_CHARS[index]
        logits, h = model(torch.tensor([[index]], device=device), h)
    return written


sampler = torch.Generator().manual_seed(0)
for temperature in (0, 1, 3):
    answers = [tao_generate(tao, "7+8=", temperature, generator=sampler) for _ in range(8)]
    print(f"temperature {temperature}: 7+8= {answers}")

# %% [markdown]
# At temperature 0 Tao answers 15 every time. As the temperature rises, the less likely
# characters get more of the probability, and wrong answers appear; Exercise 7.2 measures how
# much probability Tao gives the right first digit at each temperature.
#
# ## Ask Tao
#
# The widget's logic is two plain functions: `read_sum` checks the text and says what is wrong in
# a sentence, `ask_tao` answers. The box from `course_lib.widgets` calls `ask_tao` when you click
# **Ask**; type a sum of your own.

# %%
def read_sum(text):
    """'3+4=?' -> (3, 4); anything else raises ValueError with a message for the student."""
    text = text.replace(" ", "")
    if not text:
        raise ValueError("Type a sum such as 3+4=?")
    unknown = sorted(set(text) - set("0123456789+=?"))
    if unknown:
        raise ValueError(f"Tao only reads digits, '+', '=' and '?', not {''.join(unknown)!r}")
    if len(text) > 12:
        raise ValueError("That is too long: Tao answers one-digit sums such as 3+4=?")
    match = re.fullmatch(r"(\d+)\+(\d+)=?\??", text)
    if match is None:
        raise ValueError("Tao needs a sum such as 3+4=?")
    a, b = int(match[1]), int(match[2])
    if a > 9 or b > 9:
        raise ValueError("Tao learned one-digit sums only (0 to 9)")
    return a, b


def ask_tao(text):
    try:
        a, b = read_sum(text)
    except ValueError as problem:
        return str(problem)
    return f"{a}+{b}={tao_generate(tao, f'{a}+{b}=')}"


tao_box = QuestionBox(ask_tao, placeholder="3+4=?")
tao_box.text.value = "3+4=?"
tao_box.ask()
tao_box.widget

# %% [markdown]
# The same box, asked through its own text field and button, as you would ask it:

# %%
def ask_through_the_box(text):
    tao_box.text.value = text
    tao_box.button.click()
    return tao_box.answer.value


for question in ["3+4=?", " 9 + 9 = ", "12+3=?", "3x4=?"]:
    print(f"{question!r:>12} -> {ask_through_the_box(question)}")

# %% [markdown]
# *Aside (not needed for the rest): `tests/test_widgets.py` feeds `read_sum` every kind of bad
# input we could think of (empty text, letters, accents, three operands, code) and checks the
# sentence each one gets.*
#
# **Exercise 7.1 — Tao's report card.** Write `report_card(model)`: it asks the model every one
# of the 100 one-digit sums (greedy, with `tao_generate`) and returns the wrong ones as a list of
# `(question, answer)`, e.g. `("3+4=", "8")`; `tao_generate` returns the answer without its full
# stop. Print the report cards of `tao` and of the Tao trained with a *random* start every batch
# from the same seed (`tao_runs["random every batch", 0][0]`). Do the counts match the table above,
# and which sums does the random-start Tao get wrong: the ones with a two-digit answer, or any?

# %% tags=["exercise"]
def report_card(model):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/07_tao_report.py and runs it here (in JupyterLab, `%load ../solutions/07_tao_report.py` also works).
# solution("07_tao_report")

# %% tags=["checker"]
from course_lib.checkers import check_report_card

check_report_card(report_card, tao, tao_generate, sensei)

# %% [markdown]
# **Exercise 7.2 — the odds at a temperature.** Write `answer_odds(model, question, temperature)`:
# the probabilities (a tensor of `len(TAO_CHARS)` values that sum to 1) with which
# `tao_generate(model, question, temperature)` draws the *first* character it writes, for a
# temperature above 0. Then print the probability that Tao's first character after `7+8=` is the
# right one, `1`, at temperatures 0.5, 1 and 3. At temperature 3, how often is even the first
# digit of Tao's answer to 7+8 wrong, and why are its whole answers wrong more often than that?

# %% tags=["exercise"]
def answer_odds(model, question, temperature):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/07_answer_odds.py and runs it here (in JupyterLab, `%load ../solutions/07_answer_odds.py` also works).
# solution("07_answer_odds")

# %% tags=["checker"]
from course_lib.checkers import check_answer_odds

check_answer_odds(answer_odds, tao, TAO_CHARS)

# %% [markdown]
# ## What we learned
#
# - A task can be taught as text: question and answer in one stream, next-character prediction,
#   and a mask so that only the answer is scored. A tanh RNN of 64 units learns the whole table
#   of 100 one-digit sums this way (all of them taught, none held out).
# - The hidden state a batch starts from is part of the training conditions. Started the way it
#   is used, from zero, Tao learned fastest and answered every sum, on each of three seeds;
#   started from random vectors or from the state left by unrelated sums, the same Tao, on the
#   same lessons, scored from zero as in use, had a loss several times higher after 1,200
#   batches and still got several sums wrong. Start the state the way the model will be used.
# - Generation feeds the model its own output and carries its state: reading the question once,
#   then one character per step. The temperature trades the likeliest answer for variety, and
#   on a task with one right answer variety means mistakes.
# - A model behind a widget needs a reader that turns anything typed into either a question the
#   model was trained on or a sentence saying what is wrong.
#
# ## Going further
#
# - Elman (1990), [Finding Structure in Time](https://doi.org/10.1207/s15516709cog1402_1): the
#   simple recurrent network that Tao is, learning from prediction alone.
# - Karpathy (2015), [The Unreasonable Effectiveness of Recurrent Neural
#   Networks](https://karpathy.github.io/2015/05/21/rnn-effectiveness/): character models that
#   write by feeding themselves, with a temperature.
# - Zaremba & Sutskever (2014), [Learning to Execute](https://arxiv.org/abs/1410.4615): RNNs that
#   read small programs and sums as characters and write their results.

# %% [markdown]
# ## Check
#
# The check cell below proves what this notebook teaches: on each of the three seeds, the Tao
# trained from zero every batch ends with the lowest training loss of the three starts and, scored
# from zero as in use, answers all 100 one-digit sums with a loss at least three times lower than
# the other two, which each get at least one sum wrong; the Tao we keep answers every sum when it
# writes its answers itself; and the widget answers a sum typed into its box and explains bad input.

# %% tags=["check"]
for seed in SEEDS:
    final_loss = {start: sum(tao_runs[start, seed][1][-100:]) / 100 for start in STARTS}
    assert min(final_loss, key=final_loss.get) == "zero every batch", (seed, final_loss)
    (zero_loss, zero_wrong), *others = [scores[start, seed] for start in STARTS]
    assert zero_wrong == 0 and all(3 * zero_loss < loss and wrong > 0 for loss, wrong in others), (seed, scores)
wrong = [(a, b) for a in range(10) for b in range(10) if tao_generate(tao, f"{a}+{b}=") != str(a + b)]
assert wrong == [], wrong
assert ask_through_the_box("9+8=?") == "9+8=17", tao_box.answer.value
assert ask_through_the_box(" 9 + 9 = ") == "9+9=18", tao_box.answer.value
assert ask_through_the_box("3x4=?") == "Tao only reads digits, '+', '=' and '?', not 'x'", tao_box.answer.value
assert ask_through_the_box("12+3=?") == "Tao learned one-digit sums only (0 to 9)", tao_box.answer.value
assert ask_through_the_box("") == "Type a sum such as 3+4=?", tao_box.answer.value
print("check passed: Tao trained from zero wins on seeds 0-2 and answers all 100 one-digit sums; "
      "the box answers 9+8=17 and explains bad input")
