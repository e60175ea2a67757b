# %% [markdown]
# # 03 · Building blocks on a sinusoid
#
# **The question.** Show an RNN the first 50 steps of a wave and let it continue alone, each
# output fed back as its next input. How many hidden units does it need to keep the wave
# going for 100 more steps, and what must those units do?
#
# **You will be able to**
# - write a recurrent model as a few small methods (`build`, `step`, `forward`, training,
#   evaluation, generation) and train it on batches from a `DataLoader`;
# - read per-batch and per-epoch loss curves against the noise floor that no model can beat;
# - say why a next-step prediction drawn at the same time step seems to run ahead of the
#   signal;
# - explain with eigenvalues why one hidden unit cannot generate a wave and two can.
#
# **You need** notebook 01 (a recurrent step, a training loop with Adam); from linear algebra,
# eigenvalues and eigenvectors of a 2 × 2 matrix and complex numbers in polar form
# $r e^{i\omega}$.
#
# **Time.** about 45 minutes, the two exercises included.
#
# The model of this notebook is *linear*: no `tanh`, so that its behaviour can be read off
# one matrix. We write it as a handful of small methods, each with one job; the course
# library keeps them as `RecurrentModel`, and the section before the exercises says where each
# job lives in the later notebooks.
#
# *Or in Google Colab: [open this notebook there](https://colab.research.google.com/github/rnn-course/rnn-course/blob/main/notebooks/03_building_blocks_sinusoid.ipynb) and run its first code cell.*

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
# Each sequence is $a \sin(2\pi t / 20 + \varphi)$ at the time steps $t = 0, 1, 2, \dots$,
# with a random amplitude $a \in [0.5, 1.5]$, a random phase $\varphi$ and a period of 20
# steps, plus Gaussian noise of standard deviation $\sigma = 0.05$. The task is next-step
# prediction: the input is the sequence, the target is the same sequence shifted one step
# left, and the loss is the mean squared error (MSE) between the model's outputs and the
# targets.

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
# A `DataLoader` cuts the data into shuffled batches of 32 sequences, a new order every
# epoch (one pass over the training set); notebook 04 looks inside it.

# %%
loader_generator = torch.Generator().manual_seed(0)
train_batches = DataLoader(TensorDataset(train_inputs, train_targets), batch_size=32, shuffle=True,
                           generator=loader_generator)
validation_batches = DataLoader(TensorDataset(validation_inputs, validation_targets), batch_size=128)

# %% [markdown]
# ## A linear RNN, every method by hand
#
# No non-linearity: $h_t = W_{hh} h_{t-1} + W_{ih} x_t$ and $y_t = W_{hy} h_t$, the model's
# guess for $x_{t+1}$. A sinusoid has mean zero, so we leave out the biases: without them,
# running free (below) is a multiplication by one matrix, which we can read. To continue the
# wave on its own, the model first reads a *prime* (the first 50 steps of the signal), then
# feeds each output back as the next input. The drawing shows a prime of 3 steps; once the
# model runs free, each step multiplies the state by one matrix $A$, worked out in the
# section on eigenvalues:
#
# ![The linear RNN unrolled: it reads the prime x1 to x3 through states h1 to h3, each output y predicting the next input; then it runs free, each output fed back as the next input, so that every step multiplies the state by one matrix A](../images/linear_rnn.svg)
#
# The class has one method per job:
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
# | `generate` | read a prime, then run freely, feeding each output back in |

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
# Train with two hidden units for 30 epochs: Adam (a gradient step scaled, for each weight,
# by the size of its recent gradients) at a learning rate of 0.05 that decays along a cosine
# to 0, and the gradient norm clipped at 1 (a linear recurrence can blow gradients up).

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
# trend. The training curve is the mean over an epoch during which the model kept improving,
# the validation curve is measured at the epoch's end: that is why training starts above
# validation. Neither can go below the noise floor $\sigma^2 = 0.05^2$: the target carries
# noise of that variance, independent of everything the model has read, so no model can
# predict it. The loss is that $\sigma^2$ plus the model's error on the clean next value,
# which it has to guess from noisy inputs. How far above the floor does this model end? The
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
# A forecaster that only copied its input ($y_t = x_t$) would lie on the input in the left
# panel and one step *behind* the target in the right one.
#
# ## Free-running generation: one hidden unit against two
#
# Now the real test. Feed 50 noisy steps of a *new* sinusoid, then let the model run on its
# own outputs for 100 steps, and compare with the clean continuation (the sinusoid without
# noise). Next to the two-unit model we train a one-unit model with the same recipe, and
# measure both by the MSE of the 100 generated steps, over 20 new sinusoids.

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
# The two-unit generation lies on the true continuation for all 100 steps; the one-unit
# generation never oscillates and fades to zero.
#
# ## Why: the eigenvalues of the free-running system
#
# When the output is fed back ($x_t = y_{t-1} = W_{hy} h_{t-1}$), the state evolves by
# $h_t = W_{hh} h_{t-1} + W_{ih} W_{hy} h_{t-1} = A\, h_{t-1}$ with
# $A = W_{hh} + W_{ih} W_{hy}$: a linear dynamical system. From the state $h$ reached at the
# end of the prime, $k$ free steps give $A^k h$. Its behaviour is fixed by the eigenvalues
# $\lambda$ of $A$: if $A v = \lambda v$ then $A^k v = \lambda^k v$, so write the starting
# state as a sum of eigenvectors, and each part is multiplied by its own $\lambda$ at every
# step.
#
# - A **real** $\lambda$ scales its direction by $\lambda$ every step: it decays
#   ($|\lambda| < 1$), grows ($|\lambda| > 1$) or flips sign ($\lambda < 0$). With one hidden
#   unit, $A$ is a single number, its own eigenvalue, and that is all it can do.
# - From size 2 up, a real matrix can instead have a **complex pair**
#   $\lambda = |\lambda| e^{i\omega}$ and its conjugate $\bar\lambda = |\lambda| e^{-i\omega}$.
#   Then $\lambda^k = |\lambda|^k e^{ik\omega}$: each step multiplies the size by $|\lambda|$
#   and adds $\omega$ to the angle. The state is real, so its parts along the two conjugate
#   eigenvectors are conjugates too, and an output $k$ steps on is their real sum, $2\,\mathrm{Re}(c\,\lambda^k) = 2|c|\,|\lambda|^k
#   \cos(k\omega + \arg c)$ for some complex number $c$: a wave that advances by $\omega$ per
#   step, so of period $2\pi/\omega$ steps. With $|\lambda| = 1$ it neither dies nor explodes,
#   and a period of 20 steps needs $\omega = 2\pi/20$.

# %%
def free_running_matrix(model):
    return (model.hidden_to_hidden.weight + model.input_to_hidden.weight @ model.readout.weight).detach().cpu()


eigenvalues_one = torch.linalg.eigvals(free_running_matrix(one_unit))
eigenvalues_two = torch.linalg.eigvals(free_running_matrix(model))
print("1 unit: ", eigenvalues_one.numpy().round(4))
print("2 units:", eigenvalues_two.numpy().round(4),
      f"|λ| = {eigenvalues_two.abs()[0]:.4f}, angle {eigenvalues_two.angle().abs()[0]:.4f} rad; "
      f"2π/20 = {2 * math.pi / 20:.4f}")

# %% [markdown]
# The state does not go round a circle, though: $A$ itself is not a rotation matrix. Write
# the eigenvector of $\lambda = |\lambda| e^{i\omega}$ as $v = p + iq$, with $p$ and $q$ real.
# The real and imaginary parts of $A(p + iq) = |\lambda|(\cos\omega + i\sin\omega)(p + iq)$
# give $A p = |\lambda|(\cos\omega\, p - \sin\omega\, q)$ and
# $A q = |\lambda|(\sin\omega\, p + \cos\omega\, q)$. With $p$ and $q$ side by side as the
# columns of $P = [p\;q]$, that is $A P = P\,|\lambda| \begin{pmatrix}\cos\omega & \sin\omega \\
# -\sin\omega & \cos\omega\end{pmatrix}$, so $P^{-1} A P = |\lambda| \begin{pmatrix}\cos\omega & \sin\omega \\
# -\sin\omega & \cos\omega\end{pmatrix}$. With $|\lambda| = 1$, $A$ is *similar* to a rotation
# (equal to it after the change of coordinates $h \mapsto P^{-1} h$). So while the model runs
# free, the coordinates $P^{-1} h$ of its state go round a **circle**, and the state
# $h = P\,(P^{-1} h)$ itself goes round the image of that circle under $P$: an **ellipse**.

# %%
A = free_running_matrix(model)                                     # (2, 2)
eigenvectors = torch.linalg.eig(A).eigenvectors
basis = torch.stack([eigenvectors[:, 0].real, eigenvectors[:, 0].imag], dim=1)  # P = [p q]: (2, 2)
print("P⁻¹ A P =\n", (torch.linalg.inv(basis) @ A @ basis).numpy().round(4),
      f"\ncos(2π/20) = {math.cos(2 * math.pi / 20):.4f}, sin(2π/20) = {math.sin(2 * math.pi / 20):.4f}")

with torch.no_grad():
    _, state = model(prime[:1].to(device))                         # the state after the prime: (1, 2)
orbit = [state.cpu()[0]]
for _ in range(100):
    orbit.append(A @ orbit[-1])                                    # running free: h_t = A h_{t-1}
orbit = torch.stack(orbit)                                         # (101, 2)
circle_coordinates = orbit @ torch.linalg.inv(basis).T             # P⁻¹ h_t for every t: (101, 2)

fig, axes = plt.subplots(1, 3, figsize=(12, 4))
circle = torch.linspace(0, 2 * math.pi, 200)
axes[0].plot(circle.cos(), circle.sin(), color="gray", linewidth=0.8)
axes[0].scatter(eigenvalues_one.real, eigenvalues_one.imag, s=60, label="1 unit")
axes[0].scatter(eigenvalues_two.real, eigenvalues_two.imag, s=60, marker="x", label="2 units")
axes[0].set_xlabel("real part")
axes[0].set_ylabel("imaginary part")
axes[0].set_title("eigenvalues of A")
axes[0].legend()
axes[1].plot(orbit[:, 0], orbit[:, 1], marker=".", linewidth=0.6)
axes[1].set_xlabel("$h_1$")
axes[1].set_ylabel("$h_2$")
axes[1].set_title("state while running free: an ellipse")
axes[2].plot(circle_coordinates[:, 0], circle_coordinates[:, 1], marker=".", linewidth=0.6)
axes[2].set_xlabel("$(P^{-1} h)_1$")
axes[2].set_ylabel("$(P^{-1} h)_2$")
axes[2].set_title("the same states as $P^{-1} h$: a circle")
for ax in axes:
    ax.set_aspect("equal", adjustable="datalim")
plt.tight_layout()
plt.show()

# %% [markdown]
# Two units learned a turn of $2\pi/20$ per step with $|\lambda|$ almost exactly 1: the
# model *is* an oscillator of the right period. The one-unit model's single real eigenvalue
# cannot turn: it can only make its generation decay ($|\lambda| < 1$), grow
# ($|\lambda| > 1$) or flip sign every step ($\lambda < 0$). Trained, it settled below 1 in
# magnitude, so its generation dies out.
#
# ## Why two numbers are enough
#
# The signal itself says how much memory it needs. Write $\omega = 2\pi/20$ for the angle the
# wave advances per step, so that $x_t = a\sin\theta_t$ with $\theta_t = \omega t + \varphi$.
# From $\sin(\theta + \omega) + \sin(\theta - \omega) = 2 \cos\omega \sin\theta$, every
# sinusoid obeys
#
# $$x_{t+1} = 2\cos\omega \; x_t - x_{t-1},$$
#
# whatever its amplitude and phase: the next value follows from the last **two**. One number
# of state can only give $x_{t+1} = \lambda\,x_t$ for a fixed $\lambda$, which never
# oscillates with a period of 20. The trained model found this very recurrence. A
# $2 \times 2$ matrix satisfies its own characteristic equation (put $A$ in place of
# $\lambda$ in $\lambda^2 - (\operatorname{tr} A)\,\lambda + \det A = 0$; multiplying out a
# general $2 \times 2$ matrix shows it): $A^2 = (\operatorname{tr} A)\,A - (\det A)\,I$. So
# $h_{t+1} = A^2 h_{t-1} = (\operatorname{tr} A)\, h_t - (\det A)\, h_{t-1}$, and,
# multiplying by $W_{hy}$, every output $y_t = W_{hy} h_t$ of the free-running model obeys
# $y_{t+1} = (\operatorname{tr} A)\, y_t - (\det A)\, y_{t-1}$. As
# $\operatorname{tr} A = \lambda + \bar\lambda = 2|\lambda|\cos\omega$ and
# $\det A = \lambda\bar\lambda = |\lambda|^2$, this is the sinusoid's recurrence exactly when
# $|\lambda| = 1$ and $\omega = 2\pi/20$. Compare the trained model's trace with
# $2\cos(2\pi/20)$ and its determinant with 1 (that is what training found), then measure how
# far the generated values are from the recurrence (that part only confirms the algebra: it
# holds for any $2 \times 2$ matrix):

# %%
trace, determinant = A.trace().item(), torch.linalg.det(A).item()
print(f"tr A = {trace:.4f}  (2 cos(2π/20) = {2 * math.cos(2 * math.pi / 20):.4f}),  det A = {determinant:.4f}")
gap = generated_two[:, 2:] - (trace * generated_two[:, 1:-1] - determinant * generated_two[:, :-2])
print(f"largest gap between a generated value and tr A · previous - det A · the one before: {gap.abs().max():.1e}")

# %% [markdown]
# ## The structure, once and for all: `course_lib.blocks.RecurrentModel`
#
# Everything in `LinearRNN` except `build` and `step` would be the same for any model that
# goes one step at a time: looping `step` over time, training, evaluating, generating. The
# course library keeps those in `RecurrentModel`; a new model only writes its two methods.
# (The library's `fit` takes the optimizer, scheduler and progress bar as arguments, and its
# `loss` is a method that a subclass can replace.) We train it with the same recipe as the
# hand-written model, now a function that the exercises use too. Started from the same seed,
# on the batches in the same order, it should end with the same numbers as `LinearRNN`.
#
# The later notebooks keep every job of this table but not the class, because PyTorch's
# recurrent layers do the first three jobs in compiled code:
#
# | job here | where it goes in the later notebooks |
# |---|---|
# | `build`, `step`, `forward` | `nn.RNN`, `nn.GRU`, `nn.LSTM` inside an `nn.Module`, run on the whole sequence at once (04 writes a step by hand again to compare it with `nn.RNN`, 09 to look inside the LSTM) |
# | `train_epoch`, `fit` | a training function beside the model: `train` in 04, `train_masked` in 05, `train_seq2seq` (`course_lib.seq2seq`) in 06, `course_lib.charlm` in 08 |
# | `evaluate` | the measure the task needs: symbol accuracy (04, 05), exact answers (06), bits per character (08) |
# | `generate` | decoding a whole answer (04-06), sampling text one character at a time (08) |

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


def train_model(model, train_batches, validation_batches, epochs=30, lr=0.05):
    """This notebook's recipe: Adam, the learning rate decaying along a cosine, gradients clipped at 1."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    return model.fit(train_batches, validation_batches, optimizer, epochs, scheduler=scheduler, clip=1.0,
                     progress=tqdm)


seed_everything(0)
library_model = LinearRecurrence(input_size=1, hidden_size=2, output_size=1).to(device)
loader_generator.manual_seed(0)                                    # the batch order LinearRNN trained on
library_history = train_model(library_model, train_batches, validation_batches)
library_mse = F.mse_loss(library_model.generate(prime, 100).cpu()[..., 0], future).item()
print(f"same seed, same data: final training loss {library_history['train'][-1]:.6f} "
      f"(by hand {history['train'][-1]:.6f}); free-running MSE {library_mse:.4f}")

# %% [markdown]
# **Exercise 3.1.** Write a `TanhRNN(RecurrentModel)` by hand, with `nn.Linear` layers and
# `torch.tanh` (not `nn.RNN` or `nn.RNNCell`): `build` makes an input layer, a recurrent layer
# (with biases this time) and a read-out; `step` computes
# $h_t = \tanh(W_{hh} h_{t-1} + b_{hh} + W_{ih} x_t + b_{ih})$ and $y_t = W_{hy} h_t + b_y$.
# The cell after it checks it and, when it is right, trains 8 tanh units with `train_model`,
# the recipe of the linear model, and compares their free-running generation with the 2
# linear units'. Which model suits a sinusoid better, and why?

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
    loader_generator.manual_seed(0)
    train_model(tanh_model, train_batches, validation_batches)
    tanh_mse = F.mse_loss(tanh_model.generate(prime, 100).cpu()[..., 0], future).item()
    print(f"free-running MSE over 100 steps: 8 tanh units {tanh_mse:.4f}, 2 linear units {library_mse:.4f}")

# %% [markdown]
# **Exercise 3.2.** Several frequencies. Make sequences that are the *sum* of two sinusoids,
# periods 20 and 7 (`sinusoids(..., periods=(20.0, 7.0))`): 512 for training and 128 for
# validation, in batches as above. Train `LinearRecurrence` with 2 and with 4 hidden units
# (`train_model`), keeping them in `mixed_models` as `{hidden units: model}`. Measure each
# one's free-running MSE as we did for one wave: prime it with the first 50 noisy steps of 20
# new sums of 150 steps, generate 100 steps and compare them with the clean continuation;
# store the MSEs in `mixed_mse`. Which one keeps generating the sum? Print the eigenvalues'
# angles of the 4-unit model (`free_running_matrix` works on a `LinearRecurrence` too) and
# compare them with $2\pi/20$ and $2\pi/7$.

# %% tags=["exercise"]
mixed_models = {}  # {hidden units: trained LinearRecurrence}, for 2 and 4 units
mixed_mse = {}     # {hidden units: free-running MSE}

# Stuck? Uncomment the next line: it shows solutions/03_two_frequencies.py and runs it here (in JupyterLab, `%load ../solutions/03_two_frequencies.py` also works).
# solution("03_two_frequencies")

# %% tags=["checker"]
from course_lib.checkers import check_two_frequencies

check_two_frequencies(mixed_mse, mixed_models, sinusoids)

# %% [markdown]
# ## What we learned
#
# - A recurrent model is a few small jobs: make the parameters, take one step, loop the step
#   over a sequence, train, evaluate, generate. Only the step differs from model to model.
# - Next-step prediction is trained on the true inputs; generation feeds the model its own
#   outputs, and only generation shows whether it learned the dynamics of the signal.
# - Drawn at the step it was made, a good next-step prediction seems to run one step ahead
#   of the signal; a model that copied its input would run one step behind. No model can
#   go below the noise floor $\sigma^2$.
# - Fed back, a linear RNN is the linear dynamical system $h_t = A\,h_{t-1}$. One unit has one
#   real eigenvalue: its generation decays, grows or flips sign. Two units can hold a complex
#   pair $e^{\pm i\omega}$: $A$ is then similar to a rotation, the state goes round an
#   ellipse, and the outputs obey the sinusoid's own recurrence
#   $x_{t+1} = 2\cos\omega\,x_t - x_{t-1}$.
# - Each frequency needs its own pair of units (Exercise 3.2).
#
# ## Going further
#
# - Razvan Pascanu, Tomas Mikolov and Yoshua Bengio, [On the difficulty of training recurrent
#   neural networks](https://arxiv.org/abs/1211.5063) (2013): the eigenvalues of the recurrent
#   matrix decide whether gradients vanish or explode, the same eigenvalues that decide here
#   whether generation dies or blows up; gradient clipping.
# - Yoshua Bengio, Patrice Simard and Paolo Frasconi, [Learning long-term dependencies with
#   gradient descent is difficult](https://doi.org/10.1109/72.279181) (1994): why a recurrent
#   state that stores information stably makes it hard to learn.
# - Diederik P. Kingma and Jimmy Ba, [Adam: a method for stochastic
#   optimization](https://arxiv.org/abs/1412.6980) (2014), the optimizer used here; Ilya
#   Loshchilov and Frank Hutter, [SGDR](https://arxiv.org/abs/1608.03983) (2016), the cosine
#   decay of the learning rate.
# - PyTorch's [`torch.utils.data` documentation](https://pytorch.org/docs/stable/data.html):
#   `Dataset`, `TensorDataset` and `DataLoader`.

# %% [markdown]
# ## Check
#
# With two units the free-running generation tracks 100 steps of a held-out sinusoid
# (MSE < 0.01), the free-running system turns by $2\pi/20$ per step with $|\lambda| = 1$,
# one unit cannot do it (its eigenvalue is below 1, so its generation decays), the
# validation loss stays above the noise floor, and the library's `RecurrentModel` reproduces
# the hand-written model.

# %% tags=["check"]
assert mse_two < 0.01, mse_two
assert mse_one > 0.1, mse_one
assert 0.05 ** 2 < history["validation"][-1], history["validation"][-1]
assert eigenvalues_one.abs().item() < 1, eigenvalues_one
assert abs(eigenvalues_two.abs()[0] - 1) < 0.01 and abs(eigenvalues_two.angle().abs()[0] - 2 * math.pi / 20) < 0.01
assert abs(library_history["train"][-1] - history["train"][-1]) < 1e-6 and library_mse < 0.01
print(f"check passed: free-running MSE {mse_two:.4f} with 2 units (1 unit: {mse_one:.3f})")
