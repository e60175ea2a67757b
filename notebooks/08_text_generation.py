# %% [markdown]
# # 08 · Writing like the Python documentation
#
# **The question.** An LSTM reads a text one character at a time and learns to guess the
# next one. Does it learn more than a table that simply counts which character followed
# each run of the last few characters? And how do we make it write?
#
# Andrej Karpathy's char-rnn made this famous; Yoav Goldberg answered that an n-gram count
# table, estimated by plain maximum likelihood, is a strong baseline. Ours adds smoothing
# (mixing in shorter contexts): that is the course's own addition, not Goldberg's. We build
# both, measure both in bits per character on text neither has seen, and then let the
# better one write, with a widget to play with.

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
# The default corpus ships with every Python: the help topics that `help("for")` shows,
# about 465,000 characters of technical English. `course_lib.corpus` has two more ways to
# get text: the standard library's own source code (Karpathy also trained on code), and
# public-domain books downloaded once, checked against a checksum and cached, such as H. G.
# Wells' *The Time Machine*. Any text file of your own works too.

# %%
from course_lib.corpus import python_docs_text, split_text

text = python_docs_text()
vocab = Vocabulary(text)
train_text, validation_text = split_text(text, held_out=0.1)
print(f"{len(text):,} characters, {len(vocab)} distinct; training on the first "
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
# from course_lib.corpus import python_source_text, book_text
# text = python_source_text(1_000_000)             # a million characters of the standard library
# text = book_text("time_machine")                 # downloaded once into ~/.cache/rnn-course
# text = Path("my_book.txt").read_text(encoding="utf-8")
# ```
#
# A download that cannot happen (you are offline, or the server sends something else than
# the checksum promises) stops with a message that says what to use instead, and leaves
# nothing half-written in the cache. Here is what that looks like, with an address where
# nothing answers:

# %%
from course_lib.corpus import CorpusUnavailable, cached_download

try:
    cached_download("http://127.0.0.1:9/timemachine.txt", "sha1:" + "0" * 40, timeout=2)
except CorpusUnavailable as error:
    print(error)

# %% [markdown]
# ## 2. Windows, and the next-character shift
#
# Every position of the text is a training example: the characters so far are the input,
# the next character is the target. Over a window, the targets are the inputs shifted by one.

# %%
window = train_text[1000:1032]
print(f"input : {window[:-1]!r}\ntarget: {window[1:]!r}")

# %% [markdown]
# The original tutorial cut a window of 100 characters starting at **every** character:
# one overlapping window per character of the text, each character read 100 times an epoch.

# %%
def overlapping_windows(ids, length, batch_size, generator):
    """The original tutorial's batches: (inputs, targets) of `batch_size` windows of `length`
    characters, each from a random start: windows overlap, and each character is in many."""
    starts = torch.randint(len(ids) - length - 1, (batch_size,), generator=generator)
    rows = torch.stack([ids[start:start + length + 1] for start in starts.tolist()])
    return rows[:, :-1], rows[:, 1:]


alphabet_windows, _ = overlapping_windows(vocab.encode("abcdefghijklmnopqrstuvwxyz"), 5, 6,
                                          torch.Generator().manual_seed(0))
print("windows of 5 from random starts:", [vocab.decode(row) for row in alphabet_windows])
seed_style_epoch_chars = 100 * len(train_text)
print(f"{len(train_text):,} windows, {seed_style_epoch_chars:,} characters an epoch")

# %% [markdown]
# Instead, cut the text into `B` long **contiguous streams**, one per row of a batch, and
# walk along them window by window. Each character is read once an epoch, and window `k+1`
# of a row continues exactly where window `k` ended, so the LSTM's state at the end of one
# window is the right state to start the next. We carry it over, but **detach** it: the
# gradient then flows back only through the current window. That is *truncated*
# backpropagation through time.

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
# ## 3. The model, by hand
#
# An embedding turns each character index into a small learned vector, an LSTM reads the
# vectors, and a linear layer turns each hidden state into one score per character
# of the alphabet.

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
# We measure in **bits per character**: the mean cross-entropy (in nats, what
# `F.cross_entropy` returns) divided by ln 2. A model that knows nothing spreads its bets
# evenly, costing log2(V) bits a character; every bit less halves its uncertainty.

# %%
train_ids, validation_ids = vocab.encode(train_text), vocab.encode(validation_text)


@torch.no_grad()
def bits_per_char(model, ids, batch_size=16, length=256):
    model.eval()
    total, count, state = 0.0, 0, None
    for inputs, targets in windows(contiguous_streams(ids, batch_size).to(device), length):
        scores, state = model(inputs, state)
        total += F.cross_entropy(scores.flatten(0, 1), targets.flatten(), reduction="sum").item()
        count += targets.numel()
    return total / count / np.log(2)


print(f"untrained: {bits_per_char(model, validation_ids):.2f} bits/char; "
      f"knowing nothing: log2({len(vocab)}) = {np.log2(len(vocab)):.2f}")

# %% [markdown]
# The training loop, by hand: walk the streams, carry and detach the state, clip the
# gradient (an LSTM's gradients occasionally spike), take an Adam step.

# %%
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
model.train()
state, hand_losses = None, []
hand_start = time.perf_counter()
HAND_STEPS = 80
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
print(f"at that speed one seed-style epoch takes {seed_style_epoch_chars / hand_chars_per_second / 3600:.1f} "
      f"hours, one pass of the streams {len(train_text) / hand_chars_per_second / 60:.1f} minutes")

# %% [markdown]
# `course_lib.charlm` holds these same pieces (`CharLM`, `contiguous_streams`, `windows`,
# `bits_per_char`), and a `train` that adds a progress bar, a learning-rate schedule and
# periodic validation. The command-line tool uses them too. The library model takes the
# hand model's weights and scores the same:

# %%
from course_lib import charlm

library_model = charlm.CharLM(len(vocab)).to(device)
library_model.load_state_dict(model.state_dict())
assert torch.equal(charlm.contiguous_streams(train_ids, 32), contiguous_streams(train_ids, 32))
sample_streams = contiguous_streams(train_ids[:5000], 4)
for library_window, window in zip(charlm.windows(sample_streams, 64), windows(sample_streams, 64), strict=True):
    assert all(map(torch.equal, library_window, window))
library_bits, hand_bits = charlm.bits_per_char(library_model, validation_ids), bits_per_char(model, validation_ids)
assert abs(library_bits - hand_bits) < 1e-4, (library_bits, hand_bits)
print(f"library {library_bits:.4f} bits/char, by hand {hand_bits:.4f}")

from course_lib.charlm import CharLM, bits_per_char, contiguous_streams, windows  # from here on, the library's

# %% [markdown]
# ## 4. The baseline: counting what comes next
#
# Yoav Goldberg's n-gram model of order `k`: for every run of `k` characters in the
# training text, count which characters followed it. To write, look up the last `k`
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
# **Smoothing** fixes both. Interpolated Witten-Bell smoothing mixes each order with the
# one below it, trusting a context's counts more the more often it was seen, and less the
# more different characters followed it (T(h) of them):
#
# $$P(c \mid h) = \frac{\mathrm{count}(h, c) + T(h)\, P(c \mid h')}{\mathrm{count}(h) + T(h)}$$
#
# where h' is h without its first character, and below the empty context sits the uniform
# 1/V. A context never seen simply passes its shorter context's probability through.
# By hand, recursively:

# %%
order_counts = [count_followers(train_text, k) for k in range(5)]


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
# meets a context it cannot continue). It agrees with the hand version:

# %%
from course_lib.markov import MarkovModel

markov4 = MarkovModel(train_text, order=4, alphabet=vocab.chars)
print({char: round(markov4.probability("for ", char), 4) for char in "eixQ"})
assert all(abs(markov4.probability(h, c) - smoothed(h, c)) < 1e-12
           for h in ["for ", "xqzj", "the "] for c in "eixQ")

# %% [markdown]
# Held-out bits per character, orders 1 to 8. Longer contexts know more, until they are so
# specific that they were rarely seen. The order-8 model has counted every shorter context
# too, so `with_order(k)` reads its counts up to order k without counting again.

# %%
start = time.perf_counter()
markov8 = MarkovModel(train_text, 8, vocab.chars)
markov_bits = {}
for order in range(1, 9):
    markov_bits[order] = markov8.with_order(order).bits_per_char(validation_text)
best_order = min(markov_bits, key=markov_bits.get)
print({order: round(bits, 3) for order, bits in markov_bits.items()})
print(f"best: order {best_order}, {markov_bits[best_order]:.3f} bits/char "
      f"({time.perf_counter() - start:.0f} s for all eight)")

# %%
best_markov = markov8.with_order(best_order)
print(best_markov.generate("The ", 300, np.random.default_rng(0)))

# %% [markdown]
# **Exercise 8.1 — Goldberg's fix without smoothing.** Write `backoff_next(context, rng)`:
# it draws the next character from the counts of the longest ending of `context` (at most
# 4 characters) that was seen in training, using `order_counts[k]` (the counts after each
# `k`-character context, k = 0..4) and `counted_next`. It must never raise `KeyError`.

# %% tags=["exercise"]
def backoff_next(context, rng):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/08_backoff.py and runs it here (in JupyterLab, `%load ../solutions/08_backoff.py` also works).
# solution("08_backoff")

# %% tags=["checker"]
from course_lib.checkers import check_backoff

check_backoff(backoff_next, order_counts)

# %% [markdown]
# ## 5. Training the LSTM for real
#
# `course_lib.charlm.train` runs the loop above for a fixed number of steps with batches of
# 32 streams and windows of 64 characters, a learning rate that warms up and then follows a
# cosine down to zero, and a validation pass ten times along the way (on the first 10,000
# held-out characters; the last one reads them all). On 2 cores this takes from under a minute to
# about two, depending on the laptop; the cell prints its time.

# %%
from course_lib.charlm import train

seed_everything(0)
lstm = CharLM(len(vocab), embedding=64, hidden=512, dropout=0.1).to(device)
history = train(lstm, train_ids, validation_ids, steps=700, batch_size=32, length=64, lr=1e-2,
                validation_sample=10_000, progress=tqdm)
lstm_bits = history["validation"][-1]
print(f"held out: {lstm_bits:.3f} bits/char after {history['seconds'][-1]:.0f} s "
      f"({history['chars_per_second']:,.0f} characters/s); best Markov: "
      f"{markov_bits[best_order]:.3f}")

# %%
plt.figure(figsize=(7, 3.5))
plt.plot(history["step"], history["train"], "o-", label="LSTM, training batches")
plt.plot(history["step"], history["validation"], "o-", label="LSTM, held out")
plt.axhline(markov_bits[best_order], color="gray", ls="--", label=f"Markov order {best_order}, held out")
plt.xlabel("step"), plt.ylabel("bits per character"), plt.ylim(1, 3.5), plt.legend()
plt.show()

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
# `course_lib.charlm.generate` is the library's writer. It draws each character with
# `course_lib.sampling.sample_next` (notebook 02's, the same as this exercise's), and it
# refuses an empty prompt, a prompt with characters the model never saw, or a negative
# temperature, with a message.

# %%
from course_lib.charlm import generate

for temperature in [0, 0.5, 0.8, 1.2]:
    written = generate(lstm, vocab, "The ", 250, temperature, torch.Generator().manual_seed(0))
    print(f"--- temperature {temperature} ---\n{written}\n")

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
rereading = generate_by_rereading(lstm, vocab, "The ", 100)
same = rereading == generate(lstm, vocab, "The ", 100, 0)
print(f"same greedy text both ways: {same}")
assert rereading == charlm.generate_by_rereading(lstm, vocab, "The ", 100)  # the library's twin, for later
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
# A checkpoint holds the weights, the model's sizes and its alphabet. It is written under a
# temporary name and renamed at the end, so a run killed halfway leaves no broken file, and
# it is read with `weights_only=True`, which never runs code hidden in a file. A checkpoint
# made for another alphabet or another model size is refused with a message, not loaded
# into the wrong model.

# %%
from pathlib import Path

from course_lib.charlm import CheckpointError, load_checkpoint, save_checkpoint

checkpoint = Path("../checkpoints/python_docs_lstm.pt")
save_checkpoint(checkpoint, lstm, vocab)
loaded, loaded_vocab = load_checkpoint(checkpoint, vocab=vocab, config=lstm.config)
loaded_bits = bits_per_char(loaded, validation_ids)
print(f"saved {checkpoint.stat().st_size / 1e6:.1f} MB; reloaded: {loaded_bits:.3f} bits/char")

for wrong in [dict(vocab=Vocabulary(text[:5000])), dict(config={**lstm.config, "hidden": 256})]:
    try:
        load_checkpoint(checkpoint, **wrong)
    except CheckpointError as error:
        print("refused:", error)

# %% [markdown]
# The same code runs from a terminal, Karpathy's char-rnn style. Instructors can train a
# model on any text before class and sample from it (or load it here) during class:
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
# are left out (and named), an empty prompt asks for one, and temperature 0 writes greedily.

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

# %%
writing_box.wait()  # the box above writes in the background; let it finish first
for prompt, temperature in [("for ", 0.0), ("naïve café ", 0.5), ("", 1.0), ("日本", 1.0)]:
    pieces, note = continue_prompt(lstm, vocab, prompt, temperature, 60, writer_rng)
    print(f"{prompt!r:>14} T={temperature}: {''.join(pieces)!r}  [{note}]")

# %% [markdown]
# **Exercise 8.3 — which order for code?** Python source is more regular than prose.
# Measure held-out bits/char of Markov orders 1 to 8 on the first 300,000 characters of
# `python_source_text()` (last 10 % held out, alphabet from the whole text), store them in
# `code_bits` as `{order: bits}`, and the best order in `best_code_order`.

# %% tags=["exercise"]
code_bits = {}          # {Markov order: held-out bits per character of Python source}
best_code_order = None

# Stuck? Uncomment the next line: it shows solutions/08_code_orders.py and runs it here (in JupyterLab, `%load ../solutions/08_code_orders.py` also works).
# solution("08_code_orders")

# %% tags=["checker"]
from course_lib.checkers import check_code_orders

check_code_orders(best_code_order, code_bits, markov_bits)

# %% [markdown]
# ## Check
#
# The LSTM beats the best Markov order on held-out text and reaches 1.70 bits/char or
# better; writing while carrying the state gives the same text as re-reading and is faster;
# the reloaded checkpoint scores the same; and the widget writes, stops when asked, and
# explains bad input.

# %% tags=["check"]
assert lstm_bits <= 1.70, lstm_bits
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
