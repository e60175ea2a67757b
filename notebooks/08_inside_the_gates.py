# %% [markdown]
# # 08 · Inside the gates: the LSTM by hand, and vanishing gradients measured
#
# **The question.** Notebooks 06 and 07 trained LSTMs as black boxes. Notebook 01 said that a
# plain RNN's gradients vanish over long distances, and notebook 02 that a gate can keep a
# value unchanged. What is inside an LSTM, do gradients really vanish, and do the gates keep
# them alive?
#
# This notebook comes after 07 because it opens the cell that 06 and 07 used, and because it
# needs the whole path behind it: the GRU by hand (02), training loops (03-05) and long
# sequences (07).
#
# ## The equations
#
# The LSTM (Hochreiter and Schmidhuber, 1997; the forget gate added by Gers et al., 2000)
# keeps two vectors: the **cell state** $c_t$, its memory, and the output $h_t$. At step $t$:
#
# $$
# \begin{aligned}
# i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) &&\text{input gate: how much to write}\\
# f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) &&\text{forget gate: how much to keep}\\
# g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) &&\text{candidate: what to write}\\
# o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) &&\text{output gate: how much to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t\\
# h_t &= o_t \odot \tanh(c_t)
# \end{aligned}
# $$
#
# The cell state is not squashed or multiplied by a matrix from one step to the next: only
# scaled by $f_t$, element by element. With $f_t$ near 1 and $i_t$ near 0, a value stays in
# $c$ for as long as $f_t$ stays close to 1, and so does the gradient that flows back along it.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from course_lib.exercises import solution
from course_lib.seeding import seed_everything

seed_everything(0)

# %% [markdown]
# ## The LSTM step with plain tensors
#
# PyTorch stacks the four gates' weights in one matrix in the order **i, f, g, o**:
# `weight_ih_l0` is `(4H, I)` and `weight_hh_l0` is `(4H, H)`, so one matrix product computes
# all four pre-activations, which are then cut in four. Like `nn.RNN` in notebook 01, it has
# two bias vectors, `bias_ih_l0` and `bias_hh_l0`; they are only ever added together, so one
# of them is redundant (kept to match cuDNN). The GRU's $b_{hn}$ was different: it sits
# inside $r_t \odot (\dots)$, so it is not.

# %%
GATES = "ifgo"  # the order PyTorch stacks them in


def init_params(input_size, hidden_size, scale=0.5):
    """One (H, I) and one (H, H) weight per gate, and one bias: b_f stands for b_if + b_hf."""
    params = {}
    for gate in GATES:
        params[f"W_i{gate}"] = torch.randn(hidden_size, input_size) * scale
        params[f"W_h{gate}"] = torch.randn(hidden_size, hidden_size) * scale
        params[f"b_{gate}"] = torch.randn(hidden_size) * scale
    return params


def lstm_step(x, h, c, p):
    """x (B, I), h and c (B, H) -> the new h and c (B, H), and the four gates (B, H) each."""
    def pre(gate):
        return x @ p[f"W_i{gate}"].T + h @ p[f"W_h{gate}"].T + p[f"b_{gate}"]
    i, f, g, o = torch.sigmoid(pre("i")), torch.sigmoid(pre("f")), torch.tanh(pre("g")), torch.sigmoid(pre("o"))
    c = f * c + i * g
    h = o * torch.tanh(c)
    return h, c, {"i": i, "f": f, "g": g, "o": o}


p = init_params(input_size=3, hidden_size=2)
x, h, c = torch.tensor([[1.0, 0.0, 0.0]]), torch.zeros(1, 2), torch.zeros(1, 2)
for t in range(3):
    h, c, gates = lstm_step(x, h, c, p)
    print(f"step {t}: " + "  ".join(f"{name} {gate[0].numpy().round(3)}" for name, gate in gates.items())
          + f"  ->  c {c[0].numpy().round(3)}, h {h[0].numpy().round(3)}")

# %% [markdown]
# ## A whole sequence, checked against `nn.LSTM`
#
# Run the step along a sequence, then copy the same numbers into an `nn.LSTM`: its weight
# matrices are ours stacked in the order i, f, g, o; our single bias goes into `bias_ih_l0`
# and `bias_hh_l0` gets zeros. Both run in float64, so that any difference above 1e-12 (float64
# rounding is about 1e-16) would be a real one.

# %%
def lstm_forward(xs, p, h=None, c=None):
    """xs (B, T, I) -> outputs (B, T, H), and the last h and c."""
    batch, hidden = xs.shape[0], p["W_hi"].shape[0]
    h = xs.new_zeros(batch, hidden) if h is None else h
    c = xs.new_zeros(batch, hidden) if c is None else c
    outputs = []
    for t in range(xs.shape[1]):
        h, c, _ = lstm_step(xs[:, t], h, c, p)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h, c


def to_nn_lstm(p):
    input_size, hidden = p["W_ii"].shape[1], p["W_hi"].shape[0]
    lstm = nn.LSTM(input_size, hidden, batch_first=True, dtype=p["W_ii"].dtype)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.cat([p[f"W_i{gate}"] for gate in GATES]))
        lstm.weight_hh_l0.copy_(torch.cat([p[f"W_h{gate}"] for gate in GATES]))
        lstm.bias_ih_l0.copy_(torch.cat([p[f"b_{gate}"] for gate in GATES]))
        lstm.bias_hh_l0.zero_()
    return lstm


p = {name: value.double() for name, value in init_params(input_size=5, hidden_size=16).items()}
xs = torch.randn(4, 30, 5, dtype=torch.float64)
by_hand, h_hand, c_hand = lstm_forward(xs, p)
with torch.no_grad():
    built_in, (h_n, c_n) = to_nn_lstm(p)(xs)
lstm_difference = max((by_hand - built_in).abs().max(), (c_hand - c_n[0]).abs().max()).item()
print(f"largest difference from nn.LSTM over 30 steps, outputs and cell state: {lstm_difference:.1e}")

# %% [markdown]
# **Exercise 8.1 — a memory that lasts 50 steps.** With every weight at 0 the gates are
# constants: $f = \sigma(b_f)$ and $i = \sigma(b_i)$. Close the input gate ($b_i = -30$) and
# after $n$ steps the cell state is $f^n$ times what it was. Write
# `forget_bias_for(steps, keep)`: the smallest forget-gate bias with which the cell state
# keeps at least `keep` of its value after `steps` steps. (A common recipe initialises the
# forget bias to 1: the checker tells you how much of a value that keeps after 50 steps.)

# %% tags=["exercise"]
def forget_bias_for(steps, keep):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/08_forget_bias.py and runs it here (in JupyterLab, `%load ../solutions/08_forget_bias.py` also works).
# solution("08_forget_bias")

# %% tags=["checker"]
from course_lib.checkers import check_forget_bias

check_forget_bias(forget_bias_for, lstm_step)

# %% [markdown]
# ## Vanishing gradients, measured
#
# A task that needs a long memory: the network reads one of 4 symbols, then `delay` blanks,
# and must then say which symbol it read first. Chance is 25 %. Any cell can hold the symbol
# in principle; the question is whether training can find out how, and training only learns
# what the gradient tells it. The loss is computed at the last step; what reaches the first
# step is $\partial L / \partial h_0$, after passing back through every step of the delay.
#
# To see it we read the sequence one step at a time with the same `nn.RNN`, `nn.GRU` or
# `nn.LSTM` module, keep each step's state $h_t$ as a tensor of its own (`retain_grad`), and
# read $\lVert \partial L / \partial h_t \rVert$ (the norm over the whole batch) after one
# backward pass. It is the total derivative: for the LSTM it includes every path through later
# cell states, since the gates at step $t+1$ read $h_t$.
#
# PyTorch draws every weight and bias of `nn.RNN`, `nn.GRU` and `nn.LSTM` from
# $U(-1/\sqrt{H}, 1/\sqrt{H})$, here $\pm 0.125$ for $H = 64$.

# %%
SYMBOLS, BLANK = 4, 4
CELLS = {"tanh RNN": nn.RNN, "GRU": nn.GRU, "LSTM": nn.LSTM}


def recall_batch(batch_size, delay, generator):
    """One-hot inputs (B, delay + 1, 5): a symbol 0-3, then `delay` blanks; targets (B,): the symbol."""
    first = torch.randint(SYMBOLS, (batch_size,), generator=generator)
    ids = torch.full((batch_size, delay + 1), BLANK)
    ids[:, 0] = first
    return F.one_hot(ids, SYMBOLS + 1).float(), first


class Recaller(nn.Module):
    def __init__(self, cell, hidden_size=64):
        super().__init__()
        self.rnn = CELLS[cell](SYMBOLS + 1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, SYMBOLS)

    def forward(self, x):                                    # (B, T, 5) -> (B, 4) scores
        return self.readout(self.rnn(x)[0][:, -1])


def gradient_by_distance(model, x, targets):
    """||dL/dh_t|| for the loss at the last step, indexed by the distance T - 1 - t from it."""
    state, states = None, []
    for t in range(x.shape[1]):
        _, state = model.rnn(x[:, t:t + 1], state)
        h = state[0] if isinstance(state, tuple) else state   # an LSTM's state is (h, c)
        h.retain_grad()
        states.append(h)
    F.cross_entropy(model.readout(states[-1][0]), targets).backward()
    model.zero_grad()
    return torch.stack([h.grad.norm() for h in reversed(states)])


probe = recall_batch(256, 100, torch.Generator().manual_seed(1))
at_init = {}
for cell in CELLS:
    seed_everything(0)
    at_init[cell] = gradient_by_distance(Recaller(cell), *probe)
seed_everything(0)
lstm_forget_1 = Recaller("LSTM")                                   # the same LSTM as above, then:
hidden = lstm_forget_1.rnn.hidden_size
default_forget = torch.sigmoid(lstm_forget_1.rnn.bias_ih_l0 + lstm_forget_1.rnn.bias_hh_l0)[hidden:2 * hidden]
print(f"PyTorch's default biases alone put the forget gate between {default_forget.min():.2f} "
      f"and {default_forget.max():.2f}; a forget bias of 1 puts it at sigmoid(1) = {torch.sigmoid(torch.tensor(1.0)):.2f}")
with torch.no_grad():
    lstm_forget_1.rnn.bias_ih_l0[hidden:2 * hidden] = 1.0          # the f block of i, f, g, o
    lstm_forget_1.rnn.bias_hh_l0[hidden:2 * hidden] = 0.0
at_init["LSTM, forget bias 1"] = gradient_by_distance(lstm_forget_1, *probe)


def shrink(norms, distance=50):
    return (norms[0] / norms[distance]).item()


for name, norms in at_init.items():
    print(f"{name:>20}: |dL/dh| at distance 0 {norms[0]:.1e}, 10 {norms[10]:.1e}, 50 {norms[50]:.1e}; "
          f"shrinks {shrink(norms):.1e} times over 50 steps")

# %%
fig, ax = plt.subplots(figsize=(8, 4))
for name, norms in at_init.items():
    ax.semilogy(norms.clamp(min=1e-30), label=name)
ax.set_xlabel("distance from the loss (steps)")
ax.set_ylabel("|dL/dh_t| (norm over the batch)")
ax.set_ylim(1e-30, 1)
ax.set_title("at initialisation, 100 blanks after the symbol")
ax.legend()
plt.show()

# %% [markdown]
# At initialisation, with PyTorch's default weights, all three cells lose the gradient: over
# 50 steps it shrinks more than a billion times in each, and the three rates lie within a
# factor of 100 of each other (printed above). The gates help little by merely being there.
# They help once they are set to keep: PyTorch's default biases are small, so on their own they
# put the forget gate close to $\sigma(0) = 0.5$ (printed above). Setting the forget bias to 1
# ($f \approx 0.73$, printed above) is the only change between the third line and the fourth,
# and it divides the gradient's shrinking over 50 steps by more than a thousand, against the
# default LSTM and against the tanh RNN (the check cell prints both factors). Jozefowicz et
# al. (2015) recommend starting the forget bias at 1 for this reason; Exercise 8.1 shows how
# large it must be to keep a value for 50 steps.

# %% [markdown]
# **Exercise 8.2 — the GRU's keep gate.** A GRU keeps its old state through the update gate:
# $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$ (notebook 02), and PyTorch stacks its gates
# in the order r, z, n. Build `gru_update_1`, a `Recaller("GRU")` made right after
# `seed_everything(0)`, with its update-gate bias set to 1 the way the LSTM's forget bias was
# set above, and store `gradient_by_distance(gru_update_1, *probe)` in `gru_update_norms`.
# Does the GRU's gradient last longer too?

# %% tags=["exercise"]
gru_update_norms = None  # |dL/dh_t| by distance for a GRU whose update-gate bias is 1

# Stuck? Uncomment the next line: it shows solutions/08_gru_update_bias.py and runs it here (in JupyterLab, `%load ../solutions/08_gru_update_bias.py` also works).
# solution("08_gru_update_bias")

# %% tags=["checker"]
from course_lib.checkers import check_gru_update_bias

check_gru_update_bias(gru_update_norms, at_init["GRU"], Recaller, gradient_by_distance, probe)

# %% [markdown]
# ## Check
#
# The hand-written LSTM equals `nn.LSTM` to 1e-12 in float64; at initialisation every cell's
# gradient shrinks more than a billion times over 50 steps, the three within a factor of 100
# of each other; with the forget bias at 1, the LSTM's shrinks at least 1,000 times less than
# the default LSTM's and the tanh RNN's.

# %% tags=["check"]
assert lstm_difference < 1e-12, lstm_difference
default_cells = [shrink(at_init[cell]) for cell in CELLS]
assert min(default_cells) > 1e9 and max(default_cells) / min(default_cells) < 100, default_cells
forget_1 = shrink(at_init["LSTM, forget bias 1"])
against_lstm, against_tanh = shrink(at_init["LSTM"]) / forget_1, shrink(at_init["tanh RNN"]) / forget_1
assert against_lstm >= 1000 and against_tanh >= 1000, (against_lstm, against_tanh)
print(f"check passed: LSTM by hand equals nn.LSTM ({lstm_difference:.0e}); over 50 steps at initialisation the "
      f"LSTM's gradient with forget bias 1 shrinks {forget_1:.0e} times, {against_lstm:.0e} times less than with "
      f"PyTorch's default and {against_tanh:.0e} times less than the tanh RNN's")

