# %% [markdown]
# # 03 · Building blocks on a sinusoid
#
# **The question.** Show an RNN the first 50 steps of a wave and let it continue alone, each
# output fed back as its next input. How many hidden units does it need to keep the wave
# going for 100 more steps, and what must those units do?
#
# Along the way we fix a shape for a recurrent model, which this notebook keeps in the course
# library as `RecurrentModel` (the later notebooks use PyTorch's built-in layers instead, each
# with a training function of its own):
#
# | method | job |
# |---|---|
# | `__init__` | store the hyper-parameters, call `build` |
# | `build` | make the parameters |
# | `step` | one time step: input and state in, output and new state out |
# | `forward` | `step` over a whole sequence |
# | `train_epoch` | one pass over the training batches |
# | `evaluate` | the mean loss on validation batches |
# | `fit` | `train_epoch` + `evaluate`, epoch after epoch |
# | `generate` | run freely, feeding each output back in |

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm.auto import tqdm

from course_lib.exercises import solution
from course_lib.hardware import pick_device
from course_lib.seeding import seed_everything

device = pick_device()

# %% [markdown]
# ## Data: noisy sinusoids
#
# Each sequence is $a \sin(2\pi t / P + \varphi)$ with a random amplitude $a \in [0.5, 1.5]$,
# a random phase $\varphi$ and a period of $P = 20$ steps, plus Gaussian noise. The task is
# next-step prediction: the input is the sequence, the target is the same sequence shifted
# one step left.

# %%
def sinusoids(count, length, periods=(20.0,), noise=0.05):
    """Sums of sinusoids: inputs (count, length, 1), targets shifted by one, clean signal (count, length + 1)."""
    t = torch.arange(length + 1).float()
    clean = torch.zeros(count, length + 1)
    for period in periods:
        amplitude = 0.5 + torch.rand(count, 1)
        phase = 2 * math.pi * torch.rand(count, 1)
        clean += amplitude * torch.sin(2 * math.pi * t / period + phase)
    noisy = clean + noise * torch.randn_like(clean)
    return noisy[:, :-1, None], noisy[:, 1:, None], clean


seed_everything(0)
train_inputs, train_targets, _ = sinusoids(512, 50)
validation_inputs, validation_targets, _ = sinusoids(128, 50)
print("inputs", tuple(train_inputs.shape), "targets", tuple(train_targets.shape))

fig, ax = plt.subplots(figsize=(8, 2.5))
for i in range(3):
    ax.plot(train_inputs[i, :, 0], marker=".", label=f"sequence {i}")
ax.set_xlabel("time step")
ax.legend()
plt.show()

# %% [markdown]
# `DataLoader` cuts the data into shuffled batches of 32 (notebook 04 looks inside it).

# %%
loader_generator = torch.Generator().manual_seed(0)
train_batches = DataLoader(TensorDataset(train_inputs, train_targets), batch_size=32, shuffle=True,
                           generator=loader_generator)
validation_batches = DataLoader(TensorDataset(validation_inputs, validation_targets), batch_size=128)

# %% [markdown]
# ## A linear RNN, every method by hand
#
# No non-linearity: $h_t = W_{hh} h_{t-1} + W_{ih} x_t$ and $y_t = W_{hy} h_t$. A sinusoid
# has mean zero, so we leave out the biases: they give the model nothing to gain and a way
# to drift.

# %%
class LinearRNN(nn.Module):
    def __init__(self, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.build()

    def build(self):
        self.input_to_hidden = nn.Linear(1, self.hidden_size, bias=False)
        self.hidden_to_hidden = nn.Linear(self.hidden_size, self.hidden_size, bias=False)
        self.readout = nn.Linear(self.hidden_size, 1, bias=False)

    @property
    def device(self):
        return self.readout.weight.device

    def step(self, x_t, h):                      # (B, 1), (B, H) -> (B, 1), (B, H)
        h = self.hidden_to_hidden(h) + self.input_to_hidden(x_t)
        return self.readout(h), h

    def forward(self, xs, h=None):               # (B, T, 1) -> (B, T, 1), (B, H)
        h = torch.zeros(xs.shape[0], self.hidden_size, device=self.device) if h is None else h
        outputs = []
        for t in range(xs.shape[1]):
            y, h = self.step(xs[:, t], h)
            outputs.append(y)
        return torch.stack(outputs, dim=1), h

    def train_epoch(self, batches, optimizer, clip):
        losses = []
        for xs, targets in batches:
            outputs, _ = self(xs.to(self.device))
            loss = F.mse_loss(outputs, targets.to(self.device))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.parameters(), clip)
            optimizer.step()
            losses.append(loss.item())
        return losses

    @torch.no_grad()
    def evaluate(self, batches):
        losses = [F.mse_loss(self(xs.to(self.device))[0], targets.to(self.device)).item()
                  for xs, targets in batches]
        return sum(losses) / len(losses)

    def fit(self, train_batches, validation_batches, epochs, lr, clip=1.0):
        optimizer = torch.optim.Adam(self.parameters(), lr=lr)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
        history = {"batch": [], "train": [], "validation": []}
        bar = tqdm(range(epochs), desc="epochs")
        for _ in bar:
            batch_losses = self.train_epoch(train_batches, optimizer, clip)
            scheduler.step()
            history["batch"] += batch_losses
            history["train"].append(sum(batch_losses) / len(batch_losses))
            history["validation"].append(self.evaluate(validation_batches))
            bar.set_postfix(train=f"{history['train'][-1]:.4f}", validation=f"{history['validation'][-1]:.4f}")
        return history

    @torch.no_grad()
    def generate(self, prime, steps):            # (B, T, 1) -> (B, steps, 1)
        outputs, h = self(prime.to(self.device))
        y = outputs[:, -1]                       # the prediction of the step after the prime
        generated = [y]
        for _ in range(steps - 1):
            y, h = self.step(y, h)               # feed the output back as the input
            generated.append(y)
        return torch.stack(generated, dim=1)


# %% [markdown]
# Train with two hidden units: Adam, a learning rate that decays along a cosine, and the
# gradient norm clipped at 1 (a linear recurrence can blow gradients up).

# %%
seed_everything(0)
model = LinearRNN(hidden_size=2).to(device)
history = model.fit(train_batches, validation_batches, epochs=30, lr=0.05)

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3))
axes[0].semilogy(history["batch"], linewidth=0.8)
axes[0].set_xlabel("batch")
axes[0].set_title("loss of every batch")
axes[1].semilogy(history["train"], label="training (mean over the epoch)")
axes[1].semilogy(history["validation"], label="validation (end of the epoch)")
axes[1].axhline(0.05 ** 2, color="gray", linestyle="--", label="noise floor σ²")
axes[1].set_xlabel("epoch")
axes[1].set_title("loss per epoch")
axes[1].legend()
plt.show()

# %% [markdown]
# The per-batch curve is noisy (each batch holds other sequences); the per-epoch curve is the
# trend. Neither can go below the noise floor $\sigma^2 = 0.05^2$: the target carries noise
# of that variance, which no model can predict. How far above it does this model end? The
# last validation loss, in units of the floor:

# %%
print(f"validation MSE {history['validation'][-1]:.5f} = {history['validation'][-1] / 0.05 ** 2:.2f} σ²")

# %% [markdown]
#
# ## Why does the prediction look *ahead* of the signal?

# %%
xs = validation_inputs[:1]
with torch.no_grad():
    predictions, _ = model(xs.to(device))
predictions = predictions.cpu()

fig, axes = plt.subplots(1, 2, figsize=(11, 2.8), sharey=True)
axes[0].plot(xs[0, :, 0], marker=".", label="input $x_t$")
axes[0].plot(predictions[0, :, 0], marker=".", label="output $y_t$")
axes[0].set_title("plotted at the same t: the output leads")
axes[1].plot(range(1, 51), validation_targets[0, :, 0], marker=".", label="target $x_{t+1}$")
axes[1].plot(range(1, 51), predictions[0, :, 0], marker=".", label="output $y_t$")
axes[1].set_title("plotted at t + 1, the time it predicts")
for ax in axes:
    ax.set_xlabel("time step")
    ax.legend()
plt.show()

# %% [markdown]
# The output at step $t$ is the model's guess for $x_{t+1}$, so drawn above $t$ it sits one
# step early: it "leads". Drawn above $t+1$, the time it is about, it lies on the signal.
# A forecaster that only copied its input would instead look one step *behind*.
#
# ## Free-running generation: one hidden unit against two
#
# Now the real test. Feed 50 noisy steps of a *new* sinusoid, then let the model run on its
# own outputs for 100 steps, and compare with the clean continuation.

# %%
seed_everything(0)
one_unit = LinearRNN(hidden_size=1).to(device)
one_unit_history = one_unit.fit(train_batches, validation_batches, epochs=30, lr=0.05)

seed_everything(100)
test_inputs, _, test_clean = sinusoids(20, 150)
prime, future = test_inputs[:, :50], test_clean[:, 50:150]


def generation_mse(model):
    generated = model.generate(prime, 100).cpu()[..., 0]
    return F.mse_loss(generated, future).item(), generated


mse_two, generated_two = generation_mse(model)
mse_one, generated_one = generation_mse(one_unit)
print(f"free-running MSE over 100 steps: 1 unit {mse_one:.4f}, 2 units {mse_two:.4f}")

fig, ax = plt.subplots(figsize=(10, 3))
ax.plot(range(50), prime[0, :, 0], color="gray", label="prime (noisy, fed in)")
ax.plot(range(50, 150), future[0], color="black", linestyle="--", label="true continuation")
ax.plot(range(50, 150), generated_one[0], label=f"1 unit (MSE {mse_one:.3f})")
ax.plot(range(50, 150), generated_two[0], label=f"2 units (MSE {mse_two:.4f})")
ax.axvline(49.5, color="gray", linewidth=0.8)
ax.set_xlabel("time step")
ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=8)
plt.show()

# %% [markdown]
# ## Why: the eigenvalues of the free-running system
#
# When the output is fed back ($x_t = y_{t-1} = W_{hy} h_{t-1}$), the state evolves by
# $h_t = (W_{hh} + W_{ih} W_{hy})\, h_{t-1} = A\, h_{t-1}$: a linear dynamical system, and
# $h_t = A^t h_0$. Its behaviour is fixed by the eigenvalues $\lambda$ of $A$:
#
# - a **real** $\lambda$ scales its direction by $\lambda$ every step: it decays, grows, or
#   flips sign. With one hidden unit, $A$ is a single number and that is all it can do.
# - a **complex pair** $\lambda = |\lambda| e^{\pm i\omega}$ *rotates* a plane by $\omega$
#   per step. With $|\lambda| = 1$ the rotation neither dies nor explodes, and a period of
#   $P$ steps needs $\omega = 2\pi/P$. Two units are the smallest state that can rotate.

# %%
def free_running_matrix(model):
    return (model.hidden_to_hidden.weight + model.input_to_hidden.weight @ model.readout.weight).detach().cpu()


eigenvalues_one = torch.linalg.eigvals(free_running_matrix(one_unit))
eigenvalues_two = torch.linalg.eigvals(free_running_matrix(model))
print("1 unit: ", eigenvalues_one.numpy().round(4))
print("2 units:", eigenvalues_two.numpy().round(4),
      f"|λ| = {eigenvalues_two.abs()[0]:.4f}, angle {eigenvalues_two.angle().abs()[0]:.4f} rad; "
      f"2π/20 = {2 * math.pi / 20:.4f}")

fig, ax = plt.subplots(figsize=(4, 4))
circle = torch.linspace(0, 2 * math.pi, 200)
ax.plot(circle.cos(), circle.sin(), color="gray", linewidth=0.8)
ax.scatter(eigenvalues_one.real, eigenvalues_one.imag, s=60, label="1 unit")
ax.scatter(eigenvalues_two.real, eigenvalues_two.imag, s=60, marker="x", label="2 units")
ax.set_aspect("equal")
ax.set_xlabel("real part")
ax.set_ylabel("imaginary part")
ax.set_title("eigenvalues of A")
ax.legend()
plt.show()

# %% [markdown]
# Two units learned a rotation by $2\pi/20$ per step with $|\lambda|$ almost exactly 1: the
# model *is* an oscillator of the right period. The one-unit model's single real eigenvalue
# cannot rotate: it can only make its generation decay ($|\lambda| < 1$), grow
# ($|\lambda| > 1$) or flip sign every step ($\lambda < 0$). Trained, it settled below 1 in
# magnitude, so its generation dies out.
#
# ## The structure, once and for all: `course_lib.blocks.RecurrentModel`
#
# Everything in `LinearRNN` except `build` and `step` is the same for every recurrent model:
# looping `step` over time, training, evaluating, generating. The course library keeps those
# in `RecurrentModel`; a new model only writes its two methods. (The library's `fit` takes the
# optimizer, scheduler and progress bar as arguments, and its `loss` is a method that a
# subclass can replace.)

# %%
from course_lib.blocks import RecurrentModel


class LinearRecurrence(RecurrentModel):
    def build(self):
        self.input_to_hidden = nn.Linear(self.input_size, self.hidden_size, bias=False)
        self.hidden_to_hidden = nn.Linear(self.hidden_size, self.hidden_size, bias=False)
        self.readout = nn.Linear(self.hidden_size, self.output_size, bias=False)

    def step(self, x_t, h):
        h = self.hidden_to_hidden(h) + self.input_to_hidden(x_t)
        return self.readout(h), h


seed_everything(0)
library_model = LinearRecurrence(input_size=1, hidden_size=2, output_size=1).to(device)
loader_generator.manual_seed(0)
library_optimizer = torch.optim.Adam(library_model.parameters(), lr=0.05)
library_history = library_model.fit(train_batches, validation_batches, library_optimizer, epochs=30,
                                    scheduler=torch.optim.lr_scheduler.CosineAnnealingLR(library_optimizer, 30),
                                    clip=1.0, progress=tqdm)
library_mse = F.mse_loss(library_model.generate(prime, 100).cpu()[..., 0], future).item()
print(f"same seed, same data: final training loss {library_history['train'][-1]:.6f} "
      f"(by hand {history['train'][-1]:.6f}); free-running MSE {library_mse:.4f}")

# %% [markdown]
# **Exercise 3.1.** Write a `TanhRNN(RecurrentModel)`: `build` makes an input layer, a
# recurrent layer (with biases this time) and a read-out; `step` computes
# $h_t = \tanh(W_{hh} h_{t-1} + b_{hh} + W_{ih} x_t + b_{ih})$ and $y_t = W_{hy} h_t + b_y$.
# The cell after it checks it and, when it is right, trains it like the linear one.

# %% tags=["exercise"]
class TanhRNN(RecurrentModel):
    def build(self):
        raise NotImplementedError("your code here")

# Stuck? Uncomment the next line: it shows solutions/03_tanh_rnn.py and runs it here (in JupyterLab, `%load ../solutions/03_tanh_rnn.py` also works).
# solution("03_tanh_rnn")

# %% tags=["checker"]
from course_lib.checkers import check_tanh_rnn

if check_tanh_rnn(TanhRNN):
    seed_everything(0)
    tanh_model = TanhRNN(input_size=1, hidden_size=8, output_size=1).to(device)
    tanh_optimizer = torch.optim.Adam(tanh_model.parameters(), lr=0.02)
    tanh_model.fit(train_batches, validation_batches, tanh_optimizer, epochs=15, clip=1.0)
    print(f"free-running MSE with 8 tanh units: "
          f"{F.mse_loss(tanh_model.generate(prime, 100).cpu()[..., 0], future).item():.4f}")

# %% [markdown]
# **Exercise 3.2.** Several frequencies. Make sequences that are the *sum* of two sinusoids,
# periods 20 and 7 (`sinusoids(..., periods=(20.0, 7.0))`), and train `LinearRecurrence`
# with 2 and with 4 hidden units (30 epochs as above), keeping them in `mixed_models` as
# `{hidden units: model}` and their free-running MSE over 100 steps after a 50-step prime in
# `mixed_mse`. Which one keeps generating the sum? Print the eigenvalues' angles of the
# 4-unit model and compare them with $2\pi/20$ and $2\pi/7$.

# %% tags=["exercise"]
mixed_models = {}  # {hidden units: trained LinearRecurrence}, for 2 and 4 units
mixed_mse = {}     # {hidden units: free-running MSE}

# Stuck? Uncomment the next line: it shows solutions/03_two_frequencies.py and runs it here (in JupyterLab, `%load ../solutions/03_two_frequencies.py` also works).
# solution("03_two_frequencies")

# %% tags=["checker"]
from course_lib.checkers import check_two_frequencies

check_two_frequencies(mixed_mse, mixed_models)

# %% [markdown]
# ## Check
#
# With two units the free-running generation tracks 100 steps of a held-out sinusoid, the
# free-running system is a rotation by $2\pi/20$, one unit cannot do it (its eigenvalue
# decays), the validation loss stays above the noise floor, and the library's
# `RecurrentModel` reproduces the hand-written model.

# %% tags=["check"]
assert mse_two < 0.01, mse_two
assert mse_one > 0.1, mse_one
assert 0.05 ** 2 < history["validation"][-1], history["validation"][-1]
assert eigenvalues_one.abs().item() < 1, eigenvalues_one
assert abs(eigenvalues_two.abs()[0] - 1) < 0.01 and abs(eigenvalues_two.angle().abs()[0] - 2 * math.pi / 20) < 0.01
assert abs(library_history["train"][-1] - history["train"][-1]) < 1e-6 and library_mse < 0.01
print(f"check passed: free-running MSE {mse_two:.4f} with 2 units (1 unit: {mse_one:.3f})")
