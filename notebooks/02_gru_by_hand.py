# %% [markdown]
# # 02 · A GRU by hand, with backpropagation through time
#
# **The question.** A plain RNN rewrites its whole hidden state at every step, so what it
# saw 20 characters ago is soon washed out. How can a network *choose* to keep part of its
# memory unchanged? The gated recurrent unit (GRU, Cho et al. 2014) answers with two gates.
# In this notebook we write a GRU with plain tensors, compute its gradients by hand through
# time, train it with hand-written SGD, and check every piece against PyTorch.
#
# ## The equations
#
# At step $t$, with input $x_t$ and previous state $h_{t-1}$ ($\sigma$ is the logistic
# sigmoid, $\odot$ the element-wise product):
#
# $$
# \begin{aligned}
# r_t &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) &&\text{reset gate}\\
# z_t &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) &&\text{update gate}\\
# n_t &= \tanh\big(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})\big) &&\text{candidate state}\\
# h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
# \end{aligned}
# $$
#
# - $z_t$ close to 1 **keeps** the old state: the GRU can carry a value unchanged over
#   many steps, and the gradient flows back through that product without shrinking.
# - $r_t$ close to 0 lets the candidate **ignore** the past and start fresh.
#
# Where the reset gate goes is a choice. Cho et al.'s original applies it *before* the
# recurrent matrix, $n_t = \tanh(W_{in} x_t + W_{hn}(r_t \odot h_{t-1}) + b_n)$ (the form in
# most textbooks); PyTorch and cuDNN apply it *after*, as above, so that $W_{hn} h_{t-1}$ can
# be computed for all three gates in one matrix product. We will measure the difference.

# %%
import math
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from course_lib.exercises import solution
from course_lib.seeding import seed_everything
from course_lib.vocab import Vocabulary, one_hot

seed_everything(0)

# %% [markdown]
# ## Weights as plain tensors
#
# One weight matrix per gate for the input and for the state, and a read-out layer
# $y_t = W_{hy} h_t + b_y$ that turns the state into next-character scores. We store them in
# a dictionary, named as in the equations.

# %%
GATES = "rzn"  # reset, update, candidate: the order PyTorch stacks them in


def init_params(input_size, hidden_size, output_size, scale=0.1):
    params = {}
    for gate in GATES:
        params[f"W_i{gate}"] = torch.randn(hidden_size, input_size) * scale
        params[f"W_h{gate}"] = torch.randn(hidden_size, hidden_size) * scale
        params[f"b_i{gate}"] = torch.zeros(hidden_size)
        params[f"b_h{gate}"] = torch.zeros(hidden_size)
    params["W_hy"] = torch.randn(output_size, hidden_size) * scale
    params["b_y"] = torch.zeros(output_size)
    return params


def gru_step(x, h, p):
    """x (B, I), h (B, H) -> next state (B, H) and the gate values the backward pass needs."""
    r = torch.sigmoid(x @ p["W_ir"].T + p["b_ir"] + h @ p["W_hr"].T + p["b_hr"])
    z = torch.sigmoid(x @ p["W_iz"].T + p["b_iz"] + h @ p["W_hz"].T + p["b_hz"])
    g = h @ p["W_hn"].T + p["b_hn"]                     # recurrent part of the candidate
    n = torch.tanh(x @ p["W_in"].T + p["b_in"] + r * g)
    return (1 - z) * n + z * h, (r, z, g, n)


def gru_step_reset_before(x, h, p):
    """Cho et al.'s original convention: reset the state, then multiply."""
    r = torch.sigmoid(x @ p["W_ir"].T + p["b_ir"] + h @ p["W_hr"].T + p["b_hr"])
    z = torch.sigmoid(x @ p["W_iz"].T + p["b_iz"] + h @ p["W_hz"].T + p["b_hz"])
    n = torch.tanh(x @ p["W_in"].T + p["b_in"] + (r * h) @ p["W_hn"].T + p["b_hn"])
    return (1 - z) * n + z * h, (r, z, n)


# %% [markdown]
# One step on a tiny example: an alphabet of 3 characters, 2 hidden units, the text "abca".

# %%
tiny_vocab = Vocabulary("abc")
tiny_params = init_params(input_size=3, hidden_size=2, output_size=3, scale=1.0)
h = torch.zeros(1, 2)
for char in "abca":
    h, (r, z, g, n) = gru_step(one_hot(tiny_vocab.encode(char), 3), h, tiny_params)
    print(f"{char!r}: reset {r[0].numpy().round(3)}  update {z[0].numpy().round(3)}  "
          f"candidate {n[0].numpy().round(3)}  ->  h {h[0].numpy().round(3)}")

# %% [markdown]
# ## Which convention does `torch.nn.GRU` use?
#
# `nn.GRU` stacks the three gates' matrices in one `weight_ih_l0` of shape `(3H, I)` (order:
# reset, update, candidate), and likewise `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`.
# We copy them into our dictionary and run both conventions over a random batch.

# %%
def params_from_torch(gru, readout=None):
    """Our dictionary, holding (views of) the weights of a one-layer nn.GRU."""
    params = {}
    chunks = [getattr(gru, name).detach().chunk(3) for name in
              ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")]
    for gate, w_i, w_h, b_i, b_h in zip(GATES, *chunks):
        params.update({f"W_i{gate}": w_i, f"W_h{gate}": w_h, f"b_i{gate}": b_i, f"b_h{gate}": b_h})
    if readout is not None:
        params["W_hy"], params["b_y"] = readout.weight.detach(), readout.bias.detach()
    return params


def run_sequence(step, xs, h, p):
    """Apply a step function over xs (T, B, I); return the states (T, B, H)."""
    states = []
    for x in xs:
        h, _ = step(x, h, p)
        states.append(h)
    return torch.stack(states)


seed_everything(1)
torch_gru = nn.GRU(input_size=8, hidden_size=16)
xs = torch.randn(50, 4, 8)                        # (T, B, I)
with torch.no_grad():
    expected, _ = torch_gru(xs)
    params = params_from_torch(torch_gru)
    h0 = torch.zeros(4, 16)
    after = run_sequence(gru_step, xs, h0, params)
    before = run_sequence(gru_step_reset_before, xs, h0, params)

gap_after = (after - expected).abs().max().item()
gap_before = (before - expected).abs().max().item()
print(f"reset after the matrix  (PyTorch's):  max |difference| = {gap_after:.1e}")
print(f"reset before the matrix (original):   max |difference| = {gap_before:.2f}")

# %% [markdown]
# PyTorch's convention matches to float32 rounding; the original differs by more than 0.1
# (printed above): far beyond rounding, for states that lie between -1 and 1. Both are GRUs, but weights trained with one convention do
# not work in the other. Two more differences between texts to watch for:
#
# - **Which way the update gate points.** PyTorch keeps the old state with $z$:
#   $h_t = (1 - z) \odot n + z \odot h_{t-1}$. Other texts write $z \odot n + (1 - z) \odot h_{t-1}$.
#   Same model, with $z$ replaced by $1 - z$.
# - **Two biases for the candidate.** PyTorch adds $b_{in}$ outside the reset gate and
#   $b_{hn}$ inside it, $r \odot (W_{hn} h_{t-1} + b_{hn})$. In notebook 01 the plain RNN's two
#   biases could be merged into one; these cannot, because $r$ scales $b_{hn}$ and not $b_{in}$.
#
# **Exercise 2.1.** Write the GRU step PyTorch's way: with the *stacked* weights of
# `torch_gru`, one matrix product for the input and one for the state, then split the
# results into the three gates (`.chunk(3, dim=1)`). Shapes: `x (B, I)`, `h (B, H)`.

# %% tags=["exercise"]
def fused_gru_step(x, h, gru):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/02_fused_gru_step.py and runs it here (in JupyterLab, `%load ../solutions/02_fused_gru_step.py` also works).
# solution("02_fused_gru_step")

# %% tags=["checker"]
from course_lib.checkers import check_fused_gru_step

check_fused_gru_step(fused_gru_step)

# %% [markdown]
# ## Cross-entropy by hand
#
# The read-out gives scores (logits) $y$ for each character; softmax turns them into
# probabilities, and the loss is the negative log-probability of the right character,
# averaged. Computing $\log \mathrm{softmax}$ directly as
# $y_k - \max y - \log \sum_j e^{y_j - \max y}$ never overflows.

# %%
def cross_entropy(logits, targets):
    """logits (..., V), targets (...) integer -> mean negative log-likelihood."""
    shifted = logits - logits.max(dim=-1, keepdim=True).values
    log_probs = shifted - shifted.exp().sum(dim=-1, keepdim=True).log()
    return -log_probs.gather(-1, targets[..., None]).mean()


logits = torch.randn(6, 5) * 10
targets = torch.randint(5, (6,))
print(f"by hand {cross_entropy(logits, targets).item():.6f}   "
      f"F.cross_entropy {F.cross_entropy(logits, targets).item():.6f}")

# %% [markdown]
# ## Backpropagation through time
#
# Unroll the GRU over $T$ steps; the loss $L$ is the mean cross-entropy over every step and
# every sequence of the batch ($N = TB$ terms). Backpropagation through time is the chain
# rule applied to that unrolled graph, from the last step back to the first.
#
# **At the read-out.** For softmax followed by cross-entropy the gradient of the logits is
# simply $\partial L / \partial y_t = (\mathrm{softmax}(y_t) - \mathrm{onehot}(\text{target}_t)) / N$.
# Then $\partial L/\partial W_{hy} = \sum_t (\partial L/\partial y_t)^\top h_t$, and the
# state receives $(\partial L/\partial y_t) W_{hy}$.
#
# **Through one GRU step.** Let $\delta_t$ be the total gradient reaching $h_t$: from its own
# read-out *plus* from step $t+1$. Going back through $h_t = (1-z) \odot n + z \odot h_{t-1}$:
#
# $$
# \begin{aligned}
# \delta a_n &= \delta_t \odot (1 - z) \odot (1 - n^2) && a_n \text{ is the candidate's pre-activation}\\
# \delta a_z &= \delta_t \odot (h_{t-1} - n) \odot z (1 - z)\\
# \delta g &= \delta a_n \odot r, \qquad \delta a_r = \delta a_n \odot g \odot r (1 - r) && g = W_{hn} h_{t-1} + b_{hn}\\
# \delta_{t-1} &\mathrel{+}= \delta_t \odot z + \delta a_r W_{hr} + \delta a_z W_{hz} + \delta g\, W_{hn}
# \end{aligned}
# $$
#
# and each weight's gradient is the sum over steps of (gradient of what it feeds)$^\top$
# (what it multiplies): $\partial L/\partial W_{iz} \mathrel{+}= \delta a_z^\top x_t$,
# $\partial L/\partial W_{hz} \mathrel{+}= \delta a_z^\top h_{t-1}$, and so on.
# The $\delta_t \odot z$ term is the GRU's "gradient highway": when $z \approx 1$ the
# gradient passes back unchanged.
#
# **Exercise 2.2.** Before reading our code, derive one gradient yourself: for a *single*
# step from `h_prev`, with loss `cross_entropy(h @ W_hy.T + b_y, targets)`, return
# $\partial L / \partial b_{iz}$ (shape `(H,)`). Use `gru_step`'s saved gates.

# %% tags=["exercise"]
def update_gate_bias_gradient(x, h_prev, targets, p):
    raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/02_update_gate_gradient.py and runs it here (in JupyterLab, `%load ../solutions/02_update_gate_gradient.py` also works).
# solution("02_update_gate_gradient")

# %% tags=["checker"]
from course_lib.checkers import check_update_gate_gradient

check_update_gate_gradient(update_gate_bias_gradient)

# %% [markdown]
# Now the whole backward pass: the forward loop keeps every state and gate, then one loop
# walks back through time.

# %%
def loss_and_gradients(xs, targets, h0, p):
    """xs (T, B, I) one-hot, targets (T, B) -> loss, {name: dL/dname}, last state (B, H)."""
    T, B, _ = xs.shape
    states, saved = [h0], []
    for x in xs:
        h, gates = gru_step(x, states[-1], p)
        states.append(h)
        saved.append(gates)
    hidden = torch.stack(states[1:])                              # (T, B, H)
    logits = hidden @ p["W_hy"].T + p["b_y"]                      # (T, B, V)
    loss = cross_entropy(logits, targets)

    grads = {name: torch.zeros_like(value) for name, value in p.items()}
    d_logits = (torch.softmax(logits, dim=-1) - one_hot(targets, logits.shape[-1])) / (T * B)
    grads["W_hy"] = torch.einsum("tbv,tbh->vh", d_logits, hidden)
    grads["b_y"] = d_logits.sum(dim=(0, 1))
    d_hidden = d_logits @ p["W_hy"]                               # (T, B, H) from the read-out
    d_from_future = torch.zeros_like(h0)
    for t in reversed(range(T)):
        delta = d_hidden[t] + d_from_future
        x, h_prev = xs[t], states[t]
        r, z, g, n = saved[t]
        d_candidate = delta * (1 - z) * (1 - n ** 2)
        d_update = delta * (h_prev - n) * z * (1 - z)
        d_reset = d_candidate * g * r * (1 - r)
        d_g = d_candidate * r
        for gate, d_input, d_state in (("r", d_reset, d_reset), ("z", d_update, d_update),
                                       ("n", d_candidate, d_g)):
            grads[f"W_i{gate}"] += d_input.T @ x
            grads[f"b_i{gate}"] += d_input.sum(dim=0)
            grads[f"W_h{gate}"] += d_state.T @ h_prev
            grads[f"b_h{gate}"] += d_state.sum(dim=0)
        d_from_future = delta * z + d_reset @ p["W_hr"] + d_update @ p["W_hz"] + d_g @ p["W_hn"]
    return loss, grads, states[-1]


# %% [markdown]
# ### Checking the gradients twice
#
# Against **autograd** (PyTorch differentiates the same forward pass), and against
# **finite differences**: nudge one weight by $\pm\varepsilon$ and measure how the loss
# moves, $\big(L(w+\varepsilon) - L(w-\varepsilon)\big) / 2\varepsilon$. We use float64 and
# random biases and initial state so that no term hides behind a zero.

# %%
seed_everything(3)
V_check, H_check, T_check, B_check = 4, 3, 6, 2
check_params = {name: value.double() for name, value in init_params(V_check, H_check, V_check, scale=0.5).items()}
for name in check_params:
    if name.startswith("b"):
        check_params[name] = torch.randn(check_params[name].shape, dtype=torch.float64) * 0.3
check_xs = one_hot(torch.randint(V_check, (T_check, B_check)), V_check).double()
check_targets = torch.randint(V_check, (T_check, B_check))
check_h0 = torch.randn(B_check, H_check, dtype=torch.float64) * 0.5

hand_loss, hand_grads, _ = loss_and_gradients(check_xs, check_targets, check_h0, check_params)


def unrolled_loss(p):
    h, logits = check_h0, []
    for x in check_xs:
        h, _ = gru_step(x, h, p)
        logits.append(h @ p["W_hy"].T + p["b_y"])
    return F.cross_entropy(torch.stack(logits).reshape(-1, V_check), check_targets.reshape(-1))


leaves = {name: value.clone().requires_grad_() for name, value in check_params.items()}
unrolled_loss(leaves).backward()
autograd_gap = max((hand_grads[name] - leaves[name].grad).abs().max().item() for name in check_params)

epsilon = 1e-6
finite_difference_gap = 0.0
for name, value in check_params.items():
    for i in range(value.numel()):
        nudged = {key: v.clone() for key, v in check_params.items()}
        nudged[name].view(-1)[i] += epsilon
        loss_up = unrolled_loss(nudged).item()
        nudged[name].view(-1)[i] -= 2 * epsilon
        estimate = (loss_up - unrolled_loss(nudged).item()) / (2 * epsilon)
        finite_difference_gap = max(finite_difference_gap, abs(estimate - hand_grads[name].view(-1)[i].item()))

n_weights = sum(value.numel() for value in check_params.values())
print(f"{n_weights} weights: hand vs autograd max |difference| = {autograd_gap:.1e}, "
      f"hand vs finite differences = {finite_difference_gap:.1e}")

# %% [markdown]
# ## Training by hand: plain SGD
#
# With gradients in hand, training is a loop: take a batch of windows of the text, compute
# the loss and gradients, and move every weight a little against its gradient,
# $w \leftarrow w - \eta\, \partial L/\partial w$. One safety rail: if the gradients' total
# norm exceeds 5 we scale them down (*gradient clipping*), because gradients through time can
# explode. The first text is a toy: "MathMathMath…".

# %%
def sgd_train(text, vocab, hidden_size, steps, lr, window=8, batch=16, clip=5.0, report_every=100):
    """Train a hand-written GRU on random windows of `text`; return params and losses."""
    V = len(vocab)
    data = vocab.encode(text)
    p = init_params(V, hidden_size, V)
    losses = []
    for step in range(steps):
        starts = torch.randint(0, len(data) - window - 1, (batch,))
        windows = torch.stack([data[s:s + window + 1] for s in starts]).T   # (window + 1, B)
        loss, grads, _ = loss_and_gradients(one_hot(windows[:-1], V), windows[1:],
                                            torch.zeros(batch, hidden_size), p)
        norm = math.sqrt(sum((g ** 2).sum().item() for g in grads.values()))
        scale = min(1.0, clip / (norm + 1e-12))
        for name in p:
            p[name] -= lr * scale * grads[name]
        losses.append(loss.item())
        if step % report_every == 0 or step == steps - 1:
            print(f"step {step:4d}  loss {loss.item():.3f}")
    return p, losses


def sample_next(logits, temperature, generator=None):
    """(V,) scores -> the index of the next character. Temperature 0 picks the most likely;
    otherwise draw from softmax(logits / temperature): higher values flatten the distribution."""
    if temperature == 0:
        return int(logits.argmax())
    return int(torch.multinomial(torch.softmax(logits / temperature, dim=-1), 1, generator=generator))


def sample(p, vocab, prime, length, temperature=1.0):
    """Read `prime`, then generate `length` characters, each fed back as the next input."""
    V, h = len(vocab), torch.zeros(1, p["W_hr"].shape[0])
    for char in prime[:-1]:
        h, _ = gru_step(one_hot(vocab.encode(char), V), h, p)
    text, char = prime, prime[-1]
    for _ in range(length):
        h, _ = gru_step(one_hot(vocab.encode(char), V), h, p)
        logits = (h @ p["W_hy"].T + p["b_y"])[0]
        char = vocab.chars[sample_next(logits, temperature)]
        text += char
    return text


seed_everything(0)
toy_text = "Math" * 100
toy_vocab = Vocabulary(toy_text)
toy_params, toy_losses = sgd_train(toy_text, toy_vocab, hidden_size=8, steps=300, lr=1.0, report_every=75)
toy_sample = sample(toy_params, toy_vocab, "Ma", 30, temperature=0)
print(toy_sample)

# %% [markdown]
# The course library keeps `sample_next` as `course_lib.sampling.sample_next`, which notebooks
# 06 and 08 use. Given generators seeded alike, it draws exactly what ours draws:

# %%
from course_lib import sampling

test_scores = torch.randn(10, generator=torch.Generator().manual_seed(1))
for temperature in [0, 0.5, 1.0, 2.0]:
    ours = [sample_next(test_scores, temperature, torch.Generator().manual_seed(s)) for s in range(200)]
    kept = [sampling.sample_next(test_scores, temperature, torch.Generator().manual_seed(s)) for s in range(200)]
    assert ours == kept, temperature
print("course_lib.sampling.sample_next agrees with sample_next at temperatures 0, 0.5, 1 and 2")

# %% [markdown]
# ## The same code on real text
#
# The Python documentation's help topics ship with every Python: 465,000 characters of
# English with code examples, available offline. We hold out the last 10 % and measure the
# loss there in **bits per character** (nats divided by $\ln 2$). The yardstick is a model
# that ignores context and predicts each character by its frequency: its cross-entropy is
# the *unigram entropy*.

# %%
from course_lib.corpus import python_docs_text, split_text

corpus = python_docs_text()
train_text, validation_text = split_text(corpus)
vocab = Vocabulary(corpus)
frequencies = torch.bincount(vocab.encode(train_text), minlength=len(vocab)).double()
frequencies /= frequencies.sum()
unigram_bits = -frequencies[vocab.encode(validation_text)].log2().mean().item()
print(f"{len(corpus):,} characters, {len(vocab)} distinct; unigram entropy {unigram_bits:.2f} bits/char")

seed_everything(0)
start = time.perf_counter()
text_params, text_losses = sgd_train(train_text, vocab, hidden_size=128, steps=1200, lr=2.0,
                                     window=32, batch=32, report_every=300)
print(f"trained in {time.perf_counter() - start:.1f} s")


def validation_bits(p, text, streams=20, length=1000):
    """Bits per character on `streams` consecutive slices of `text`, each read from a zero state."""
    data = vocab.encode(text[:streams * length + 1])
    inputs = data[:-1].reshape(streams, length).T                 # (T, B)
    targets = data[1:].reshape(streams, length).T
    with torch.no_grad():
        loss, _, _ = loss_and_gradients(one_hot(inputs, len(vocab)), targets,
                                        torch.zeros(streams, p["W_hr"].shape[0]), p)
    return loss.item() / math.log(2)


gru_bits = validation_bits(text_params, validation_text)
print(f"held-out: {gru_bits:.2f} bits/char (unigram {unigram_bits:.2f})")
print(sample(text_params, vocab, "The ", 300, temperature=0.8))

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].semilogy(toy_losses)
axes[0].set_title('"MathMath…" toy')
axes[1].plot([loss / math.log(2) for loss in text_losses], label="training batches")
axes[1].axhline(unigram_bits, color="gray", linestyle="--", label="unigram entropy")
axes[1].axhline(gru_bits, color="C1", label="held-out after training")
axes[1].set_title("Python help topics")
axes[1].set_ylabel("bits per character")
axes[1].legend()
for ax in axes:
    ax.set_xlabel("SGD step")
plt.show()

# %% [markdown]
# Some seconds of hand-written SGD and the model writes word-like strings and beats the
# frequency baseline by more than a bit per character. Notebook 08 trains a bigger model with
# the built-in LSTM and a better optimiser on this same text.
#
# ## The hand-written GRU next to `nn.GRU`
#
# Same weights, same input: the outputs agree. Then the speed: our loop calls six small
# matrix products per step from Python; `nn.GRU` computes the input products for all steps
# at once and runs the recurrence in compiled code.

# %%
from course_lib.hardware import timed  # (seconds, result) of one call

seed_everything(4)
fast_gru = nn.GRU(input_size=len(vocab), hidden_size=128)
speed_params = params_from_torch(fast_gru)
speed_xs = one_hot(torch.randint(len(vocab), (100, 32)), len(vocab))    # (T=100, B=32, V)
speed_h0 = torch.zeros(32, 128)

with torch.no_grad():
    hand_states = run_sequence(gru_step, speed_xs, speed_h0, speed_params)
    torch_states, _ = fast_gru(speed_xs)
    speed_gap = (hand_states - torch_states).abs().max().item()
    hand_seconds = min(timed(run_sequence, gru_step, speed_xs, speed_h0, speed_params)[0] for _ in range(5))
    torch_seconds = min(timed(fast_gru, speed_xs)[0] for _ in range(5))
print(f"max |hand - nn.GRU| = {speed_gap:.1e}")
print(f"100 steps, batch 32, 128 units: hand {1000 * hand_seconds:.1f} ms, nn.GRU {1000 * torch_seconds:.1f} ms "
      f"({hand_seconds / torch_seconds:.1f}x faster)")

# %% [markdown]
# ## Check
#
# The hand GRU is PyTorch's GRU, the hand gradients are the true gradients, the toy is
# learned exactly, and on real text the model learned far more than character frequencies.

# %% tags=["check"]
assert gap_after < 1e-6 and speed_gap < 1e-6, (gap_after, speed_gap)
assert gap_before > 0.1, gap_before  # the other convention is a different function
assert autograd_gap < 1e-6 and finite_difference_gap < 1e-6, (autograd_gap, finite_difference_gap)
assert toy_sample == ("Math" * 10)[:len(toy_sample)], toy_sample
assert gru_bits < unigram_bits - 1.0, (gru_bits, unigram_bits)
print(f"check passed: GRU gap {max(gap_after, speed_gap):.0e}, gradient gaps {autograd_gap:.0e} / "
      f"{finite_difference_gap:.0e}, toy {toy_sample!r}, {gru_bits:.2f} bits/char")
