"""The exercises' checkers: one function per exercise, called in the cell right after it.

Each takes the student's answer (and what it needs from the notebook), prints one line in
plain words, ✓ and what is right, or ✗ and what is wrong and what was expected, and returns
a Verdict: true after a ✓, false after a ✗, and shown as nothing, so that the cell shows that
line and nothing after it (`if check_x(...):` runs what needs a right answer). A checker never raises and never
trains a model, and it leaves PyTorch's random numbers as it found them, so a notebook runs the
same solved or not.

    check_decode(decode)                 # ✓ Exercise 1.1, decode: turns one-hot rows and scores back into text
"""
import contextlib
import copy
import functools
import math
from numbers import Integral, Real

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.overrides import TorchFunctionMode

from course_lib import attention, corpus, sampling
from course_lib.exercises import Unanswered, Verdict, attempt, mismatch, shape_mismatch, verdict
from course_lib.markov import MarkovModel
from course_lib.sequences import decoded_lengths, length_mask


class Right(str):
    """What a checker's body returns when the answer is right: the praise to print."""


def exercise(label, praise="correct"):
    """Turn `find_problem(...)`, which returns a sentence saying what is wrong, or None (or a
    Right) when nothing is, into a checker that prints one ✓/✗ line and returns its Verdict."""
    def decorate(find_problem):
        @functools.wraps(find_problem)
        def checker(*args, **kwargs):
            with torch.random.fork_rng(devices=[]):
                try:
                    problem = find_problem(*args, **kwargs)
                except Exception as error:  # an answer of an unexpected kind: say so, no traceback
                    problem = f"your answer could not be checked ({type(error).__name__}: {error})"
            if isinstance(problem, Right):
                return Verdict(verdict(label, None, problem))
            return Verdict(verdict(label, problem, praise))
        return checker
    return decorate


COURSE_FUNCTION = "a course function that this exercise asks you to write"


def _tripwire(*args, **kwargs):  # runs with the patched function's globals: builtins and literals only
    raise RuntimeError("a course function that this exercise asks you to write")


@contextlib.contextmanager
def forbidding(*functions):
    """Within the block, the course's own `functions` raise instead of answering, however the
    student's code reached them (imported under any name, or through a module)."""
    saved = [function.__code__ for function in functions]
    for function in functions:
        function.__code__ = _tripwire.__code__
    try:
        yield
    finally:
        for function, code in zip(functions, saved):
            function.__code__ = code


def used_the_course(answer, name, module):
    """A sentence when `answer` came from calling the course's own `name`, else None."""
    if isinstance(answer, Unanswered) and COURSE_FUNCTION in answer.reason:
        return f"it calls the course's own {module}.{name}: write it yourself, with the tensor operations it uses"
    return None


def device_of(model):
    return next(model.parameters()).device


def not_a_fraction(name, value):
    """A sentence when `value` is not a number between 0 and 1 (an accuracy), else None."""
    if not isinstance(value, Real) or isinstance(value, bool):
        return f"{name} should be a number, got {value!r}"
    if not 0 <= value <= 1:
        return f"{name} is {value:g}: give it as a fraction between 0 and 1 (0.95, not 95)"
    return None


def wrong_keys(name, table, expected):
    """A sentence when the dict `table` does not have exactly the keys `expected`, else None."""
    if not isinstance(table, dict):
        return f"{name} should be a dict, got a {type(table).__name__}"
    missing = [key for key in expected if key not in table]
    extra = [key for key in table if key not in expected]
    if missing:
        return f"{name} has no entry for {', '.join(map(repr, missing))}"
    if extra:
        return f"{name} has unexpected keys {', '.join(map(repr, extra))}; expected exactly {list(expected)}"
    return None


# ---- 01 · sequences and one-hot ------------------------------------------------------------

@exercise("Exercise 1.1, decode", "turns one-hot rows and scores back into text")
def check_decode(decode):
    phrase = " learned deep learning"
    chars = sorted(set(phrase))
    one_hot_rows = torch.eye(len(chars))[[chars.index(char) for char in phrase]]     # (T, V)
    scores = torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]])                       # (2, 3)
    for rows, alphabet, expected, what in [
            (one_hot_rows, chars, phrase, f"the one-hot rows of {phrase!r}"),
            (scores, ["x", "y", "z"], "yx", f"the scores {scores.tolist()} over ['x', 'y', 'z']")]:
        answer = attempt(decode, rows, alphabet)
        if isinstance(answer, Unanswered):
            return answer.reason
        if (problem := mismatch(answer, expected)) is not None:
            return f"for {what}: {problem}"


@exercise("Exercise 1.2, rnn_step", "one step of nn.RNN, from a zero state and from a later one")
def check_rnn_step(rnn_step):
    torch.manual_seed(0)
    rnn = nn.RNN(input_size=4, hidden_size=3, batch_first=True)
    xs = torch.randn(2, 5, 4)                                         # (batch, time, input)
    with torch.no_grad():
        states, _ = rnn(xs)                                           # (batch, time, hidden)
        for t, h_prev, which in [(0, torch.zeros(2, 3), "from a zero state"),
                                 (3, states[:, 2], "from the state after 3 steps")]:
            answer, calls = called(rnn_step, xs[:, t], h_prev, rnn)   # called() is with 02's checkers
            if isinstance(answer, Unanswered):
                return answer.reason
            if used := sorted(BUILT_IN_RECURRENCES.intersection(calls)):
                return (f"it calls PyTorch's own RNN (torch.{used[0]}, what nn.RNN and nn.RNNCell run): "
                        f"compute the step by hand from rnn's weights and biases, with @ and torch.tanh")
            if (problem := mismatch(answer, states[:, t], atol=1e-5)) is not None:
                return f"one step {which}: {problem}"


HIDDEN_SIZES = (1, 2, 3, 4, 6, 8)


@exercise("Exercise 1.3, smallest hidden size")
def check_smallest_hidden(smallest_hidden_size, tiny_models, inputs, targets):
    if not tiny_models:
        return ("not answered yet: train a CharRNN of each size into tiny_models and store the "
                "first that predicts the phrase in smallest_hidden_size")
    if not isinstance(tiny_models, dict) or any(size not in HIDDEN_SIZES for size in tiny_models):
        return f"tiny_models should be a dict {{hidden size: model}} for sizes {HIDDEN_SIZES}, got {tiny_models!r:.80}"
    learned = {}
    with torch.no_grad():
        for size, model in sorted(tiny_models.items()):
            if model.rnn.hidden_size != size:
                return f"tiny_models[{size}] has {model.rnn.hidden_size} hidden units, not {size}"
            learned[size] = bool((model(inputs)[0].argmax(-1) == targets).all())
    first = next((size for size in HIDDEN_SIZES if learned.get(size)), None)
    untried = [size for size in HIDDEN_SIZES if size not in learned and (first is None or size < first)]
    if untried:
        return f"tiny_models has no model of hidden size {', '.join(map(str, untried))}: try every size in order"
    if smallest_hidden_size != first:
        found = (f"the first of your models that predicts the phrase exactly has {first} hidden units"
                 if first is not None else "none of your models predicts the phrase exactly")
        return f"smallest_hidden_size is {smallest_hidden_size!r}, but {found}"
    if first is None:
        return Right("none of the sizes up to 8 predicts the phrase exactly after 150 epochs")
    return Right(f"{first} hidden units predict the phrase exactly, "
                 f"{', '.join(str(s) for s in HIDDEN_SIZES if s < first) or 'no smaller size'} do not")


# ---- 02 · a GRU by hand --------------------------------------------------------------------

class TorchCalls(TorchFunctionMode):
    """While active, records the name of every torch function called (not those they call)."""

    def __init__(self):
        super().__init__()
        self.names = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.append(getattr(func, "__name__", ""))
        return func(*args, **(kwargs or {}))


def called(function, *args):
    """The student's answer (or an Unanswered) and the names of the torch functions it called."""
    with TorchCalls() as calls:
        answer = attempt(function, *args)
    return answer, calls.names


BUILT_IN_RECURRENCES = {"gru", "gru_cell", "rnn_tanh", "rnn_relu", "rnn_tanh_cell", "rnn_relu_cell", "lstm",
                        "lstm_cell"}
MATRIX_PRODUCTS = {"matmul", "__matmul__", "__rmatmul__", "mm", "addmm", "linear", "einsum", "bmm", "baddbmm",
                   "mv", "addmv", "tensordot", "inner", "dot", "multi_dot", "chain_matmul"}


def shortcut(name, calls):
    """A sentence when the calls include PyTorch's own recurrent step or autograd, else None."""
    if built_in := sorted(BUILT_IN_RECURRENCES.intersection(calls)):
        return (f"{name} calls PyTorch's own {', '.join(built_in)} (nn.GRU, nn.GRUCell or torch.gru_cell): "
                "write the step yourself, with matrix products, sigmoid and tanh")
    if autograd := sorted({"backward", "grad"}.intersection(calls)):
        return (f"{name} calls autograd ({', '.join(autograd)}), which is what your answer is compared with: "
                "derive the gradient with the chain rule and compute it from the saved gates")
    return None


@exercise("Exercise 2.1, fused_gru_step", "one step of nn.GRU from the stacked weights, in two matrix products")
def check_fused_gru_step(fused_gru_step):
    torch.manual_seed(0)
    gru = nn.GRU(input_size=5, hidden_size=3)
    x, h = torch.randn(4, 5), torch.randn(4, 3)                      # (B, I), (B, H)
    with torch.no_grad():
        expected = gru(x[None], h[None])[0][0]                        # (B, H)
        answer, calls = called(fused_gru_step, x, h, gru)
    if isinstance(answer, Unanswered):
        return answer.reason
    if (problem := shortcut("fused_gru_step", calls)) is not None:
        return problem
    if (problem := mismatch(answer, expected, atol=1e-5)) is not None:
        return problem
    if (products := sum(name in MATRIX_PRODUCTS for name in calls)) > 2:
        return (f"right values, but from {products} matrix products: PyTorch's way makes two, one of x with "
                "weight_ih_l0 (all three gates at once, shape (B, 3H)) and one of h with weight_hh_l0")


def gru_cell(x, h, p):
    """PyTorch's GRU step on the notebook's parameter dictionary (reset gate after the matrix)."""
    r = torch.sigmoid(x @ p["W_ir"].T + p["b_ir"] + h @ p["W_hr"].T + p["b_hr"])
    z = torch.sigmoid(x @ p["W_iz"].T + p["b_iz"] + h @ p["W_hz"].T + p["b_hz"])
    n = torch.tanh(x @ p["W_in"].T + p["b_in"] + r * (h @ p["W_hn"].T + p["b_hn"]))
    return (1 - z) * n + z * h


@exercise("Exercise 2.2, dL/db_iz", "equals autograd's gradient")
def check_update_gate_gradient(update_gate_bias_gradient):
    torch.manual_seed(0)
    inputs, hidden, outputs, batch = 3, 4, 3, 5
    shapes = {"W_i": (hidden, inputs), "W_h": (hidden, hidden), "b_i": (hidden,), "b_h": (hidden,)}
    params = {f"{kind}{gate}": torch.randn(shape) for gate in "rzn" for kind, shape in shapes.items()}
    params.update(W_hy=torch.randn(outputs, hidden), b_y=torch.randn(outputs))
    x, h_prev, targets = torch.randn(batch, inputs), torch.randn(batch, hidden), torch.randint(outputs, (batch,))
    leaves = {name: value.clone().requires_grad_() for name, value in params.items()}
    F.cross_entropy(gru_cell(x, h_prev, leaves) @ leaves["W_hy"].T + leaves["b_y"], targets).backward()
    answer, calls = called(update_gate_bias_gradient, x, h_prev, targets, params)
    if isinstance(answer, Unanswered):
        return answer.reason
    if (problem := shortcut("update_gate_bias_gradient", calls)) is not None:
        return problem
    return mismatch(answer, leaves["b_iz"].grad, atol=1e-5)


# ---- 03 · building blocks on a sinusoid ----------------------------------------------------

def built_in_recurrences(model):
    """The names of the PyTorch recurrent layers (nn.RNN, nn.RNNCell, ...) inside `model`."""
    return sorted({type(module).__name__ for module in model.modules()
                   if isinstance(module, (nn.RNNBase, nn.RNNCellBase))})


@exercise("Exercise 3.1, TanhRNN", "written by hand: the new state is tanh of the input layer plus the recurrent "
          "layer, both with biases, and the output a linear read-out of the new state")
def check_tanh_rnn(TanhRNN):
    torch.manual_seed(0)
    model = attempt(TanhRNN, input_size=1, hidden_size=8, output_size=1)
    if isinstance(model, Unanswered):
        return model.reason
    if built_in := built_in_recurrences(model):
        return (f"TanhRNN uses PyTorch's own {', '.join(built_in)}: write the step yourself, "
                "with nn.Linear layers and torch.tanh")
    zeros_in, zeros_state = torch.zeros(4, 1), torch.zeros(4, 8)
    with torch.no_grad():
        stepped, calls = called(model.step, zeros_in, zeros_state)
        if isinstance(stepped, Unanswered):
            return stepped.reason
        if built_in := sorted(BUILT_IN_RECURRENCES.intersection(calls)):
            return (f"step calls PyTorch's own {', '.join(built_in)}: write it yourself, "
                    "with nn.Linear layers and torch.tanh")
        if not (isinstance(stepped, tuple) and len(stepped) == 2):
            return f"step should return (output, new state), got a {type(stepped).__name__}"
        for what, value, shape in [("step's output", stepped[0], (4, 1)), ("step's new state", stepped[1], (4, 8))]:
            if (problem := shape_mismatch(value, shape)) is not None:
                return f"{what}: {problem}"
        if not stepped[1].abs().sum() > 0:
            return "from a zero input and a zero state the new state is exactly zero: the layers need their biases"
        _, pushed = model.step(torch.full((4, 1), 1e3), zeros_state)
        if pushed.abs().max() > 1:
            return (f"a large input makes the state {pushed.abs().max():.3g}: squash it with tanh, "
                    "whose values lie in (-1, 1)")
        state_a, state_b = torch.rand(2, 4, 8) * 2 - 1
        if torch.allclose(model.step(zeros_in, state_a)[1], model.step(zeros_in, state_b)[1]):
            return "the new state does not depend on the previous one: add the recurrent layer applied to h"
        if torch.allclose(model.step(torch.full((4, 1), -1.0), state_a)[1], model.step(torch.ones(4, 1), state_a)[1]):
            return "the new state does not depend on the input x_t: add the input layer applied to x_t"
        # tanh of an affine function: atanh of the new state is affine in (x, h), so it keeps
        # the combination a + b - c of three inputs
        x, h = torch.rand(3, 4, 1) * 0.6 - 0.3, torch.rand(3, 4, 8) * 0.6 - 0.3
        before = [torch.atanh(model.step(x[i], h[i])[1].double()) for i in range(3)]
        combined = torch.atanh(model.step(x[0] + x[1] - x[2], h[0] + h[1] - h[2])[1].double())
        if not torch.allclose(before[0] + before[1] - before[2], combined, atol=1e-4):
            return ("the new state is not tanh of a linear function of x_t and h plus biases: "
                    "compute tanh(W_hh h + b_hh + W_ih x_t + b_ih), one tanh around the sum")
        # the output is a linear read-out of the new state: fit y = [h_t, 1] @ beta on 40 steps
        outputs, states = model.step(torch.rand(40, 1) * 2 - 1, torch.rand(40, 8) * 2 - 1)
        design = torch.cat([states, torch.ones(40, 1)], dim=1).double()
        beta = torch.linalg.lstsq(design, outputs.double()).solution
        if not torch.allclose(design @ beta, outputs.double(), atol=1e-4):
            return "the output is not a linear read-out of the new state: return W_hy h_t + b_y with the new h_t"
        if abs(beta[-1].item()) < 1e-6:
            return "the read-out has no bias: y_t = W_hy h_t + b_y"


def eigen_angles(model):
    """The rotation angles (rad per step) of a free-running LinearRecurrence, sorted."""
    free_running = model.hidden_to_hidden.weight + model.input_to_hidden.weight @ model.readout.weight
    angles = torch.linalg.eigvals(free_running.detach().cpu()).angle().abs()
    return sorted({round(angle, 3) for angle in angles.tolist()})


def free_running_mse(model, sequences, clean, prime=50, steps=100):
    """MSE of `steps` outputs generated after reading the first `prime` steps, against `clean`."""
    generated = model.generate(sequences[:, :prime].to(device_of(model)), steps).cpu()[..., 0]
    return F.mse_loss(generated, clean[:, prime:prime + steps]).item()


@exercise("Exercise 3.2, two frequencies")
def check_two_frequencies(mixed_mse, mixed_models, sinusoids):
    if not mixed_mse and not mixed_models:
        return "not answered yet: train LinearRecurrence with 2 and 4 units into mixed_models, their MSE into mixed_mse"
    for name, table in [("mixed_models", mixed_models), ("mixed_mse", mixed_mse)]:
        if (problem := wrong_keys(name, table, [2, 4])) is not None:
            return problem
    for units, model in mixed_models.items():
        if model.hidden_size != units:
            return f"mixed_models[{units}] has {model.hidden_size} hidden units"
    if not all(isinstance(mse, Real) and mse >= 0 for mse in mixed_mse.values()):
        return f"mixed_mse should hold mean squared errors (numbers), got {mixed_mse}"
    torch.manual_seed(0)
    sums, _, clean = sinusoids(200, 150, periods=(20.0, 7.0))    # new sums, drawn here
    measured = {units: free_running_mse(model, sums, clean) for units, model in mixed_models.items()}
    for units in (2, 4):
        if not measured[units] / 2 <= mixed_mse[units] <= measured[units] * 2:
            return (f"mixed_mse[{units}] is {mixed_mse[units]:.4g}, but primed with 50 steps of new sums and "
                    f"run free for 100, the {units}-unit model's MSE against the clean continuation is "
                    f"{measured[units]:.4g}: measure it that way")
    if not measured[4] < min(0.05, measured[2]):
        return (f"4 units generate the sum with MSE {measured[4]:.4f} (2 units: {measured[2]:.4f}); "
                "trained as in the notebook, 4 units keep both waves going with an MSE under 0.05")
    angles = eigen_angles(mixed_models[4])
    for period in (20, 7):
        if not any(abs(angle - 2 * math.pi / period) < 0.05 for angle in angles):
            return (f"the 4-unit model rotates by {angles} rad per step, none near 2π/{period} = "
                    f"{2 * math.pi / period:.3f}: was it trained on the sum of periods 20 and 7?")
    return Right(f"4 units: MSE {mixed_mse[4]:.4f}, 2 units: {mixed_mse[2]:.3f}, as the checker finds on other "
                 f"new sums; the 4 units turn by {angles} rad per step, one per period (2π/20 = 0.314, "
                 f"2π/7 = 0.898)")


# ---- 04 · copy and reverse -----------------------------------------------------------------

def symbol_accuracy(model, sequences):
    """Fraction of output symbols of an encoder-decoder equal to the targets of `sequences`."""
    inputs, targets = sequences[:]
    with torch.no_grad():
        return (model(inputs.to(device_of(model))).argmax(-1).cpu() == targets).float().mean().item()


def batches_until(losses, level=0.1, window=50):
    """How many batches until the mean of the last `window` losses is below `level` (None: never)."""
    for end in range(window, len(losses) + 1):
        if sum(losses[end - window:end]) / window < level:
            return end
    return None


@exercise("Exercise 4.1, reverse")
def check_reverse(reverse_model, reverse_accuracy, reverse_losses, batches_to_learn, copy_losses, reversed_sequences):
    if reverse_model is None or reverse_accuracy is None:
        return "not answered yet: train reverse_model and store its accuracy in reverse_accuracy"
    if (problem := not_a_fraction("reverse_accuracy", reverse_accuracy)) is not None:
        return problem
    measured = symbol_accuracy(reverse_model, reversed_sequences)
    if abs(measured - reverse_accuracy) > 0.01:
        return (f"reverse_accuracy says {reverse_accuracy:.2%}, but reverse_model gets {measured:.2%} "
                "of the symbols of the held-out reversed sequences right")
    if measured < 0.99:
        return (f"reverse_model gets {measured:.2%} of held-out reversed symbols right; trained like the "
                "copy model on reversed targets, it gets over 99 %")
    if len(reverse_losses) != len(copy_losses):
        return (f"reverse_losses holds {len(reverse_losses)} losses, the copy model trained for "
                f"{len(copy_losses)} batches: train for the same budget and keep what train returns")
    chance = math.log(reversed_sequences.n_symbols)
    if not (all(isinstance(loss, Real) for loss in reverse_losses) and abs(reverse_losses[0] - chance) < 0.2):
        return (f"reverse_losses should start near ln {reversed_sequences.n_symbols} = {chance:.2f}, the loss "
                "of an untrained model: keep the loss of every batch, from the first")
    if (problem := wrong_keys("batches_to_learn", batches_to_learn, ["copy", "reverse"])) is not None:
        return problem
    for task, task_losses in [("copy", copy_losses), ("reverse", reverse_losses)]:
        expected = batches_until(task_losses)
        answer = batches_to_learn[task]
        if expected is None or not isinstance(answer, Real) or abs(answer - expected) > 1:
            return (f"batches_to_learn['{task}'] is {answer!r}, but the mean of the last 50 {task} losses "
                    f"first falls below 0.1 after {expected} batches")
    return Right(f"reverse_model gets {measured:.2%} of held-out reversed symbols right; the loss falls below "
                 f"0.1 after {batches_to_learn['reverse']} batches in reverse, {batches_to_learn['copy']} in copy")


CAPACITY_PAIRS = [(n_symbols, hidden) for n_symbols in (3, 8) for hidden in (16, 32, 64)]


@exercise("Exercise 4.2, alphabet size against hidden units")
def check_capacity(capacity, capacity_models, held_out):
    if not capacity and not capacity_models:
        return "not answered yet: capacity and capacity_models are empty"
    for name, table in [("capacity_models", capacity_models), ("capacity", capacity)]:
        if (problem := wrong_keys(name, table, CAPACITY_PAIRS)) is not None:
            return problem + " (keys are (n_symbols, hidden units))"
    for pair, accuracy in capacity.items():
        if (problem := not_a_fraction(f"capacity[{pair}]", accuracy)) is not None:
            return problem
    measured = {}
    for (n_symbols, hidden), model in capacity_models.items():
        if (size := getattr(getattr(model, "encoder", None), "hidden_size", hidden)) != hidden:
            return f"capacity_models[{n_symbols, hidden}] has {size} hidden units"
        measured[n_symbols, hidden] = symbol_accuracy(model, held_out(n_symbols=n_symbols))
        if abs(measured[n_symbols, hidden] - capacity[n_symbols, hidden]) > 0.01:
            return (f"capacity[{n_symbols, hidden}] is {capacity[n_symbols, hidden]:.1%}, but its model copies "
                    f"{measured[n_symbols, hidden]:.1%} of held_out(n_symbols={n_symbols}): measure it there")
    if not measured[3, 64] > measured[3, 16] + 0.1:
        return (f"with 3 symbols, 64 units get {measured[3, 64]:.1%} and 16 units {measured[3, 16]:.1%}: "
                "trained for 200 batches, a bigger state should hold 10 symbols far better")
    if not measured[3, 64] > measured[8, 64] + 0.1:
        return (f"with 64 units, 3 symbols get {measured[3, 64]:.1%} and 8 symbols {measured[8, 64]:.1%}: "
                "trained for 200 batches, 30 bits should be much harder to hold than 16")
    return Right(f"64 units: {measured[3, 64]:.1%} with 3 symbols, {measured[8, 64]:.1%} with 8; "
                 f"16 units with 3 symbols: {measured[3, 16]:.1%}")


@exercise("Exercise 4.3, other lengths")
def check_other_lengths(accuracy_by_length, model, held_out):
    if not accuracy_by_length:
        return "not answered yet: accuracy_by_length is empty"
    if (problem := wrong_keys("accuracy_by_length", accuracy_by_length, list(range(2, 21)))) is not None:
        return problem
    for length, accuracy in accuracy_by_length.items():
        if (problem := not_a_fraction(f"accuracy_by_length[{length}]", accuracy)) is not None:
            return problem
    for length in (2, 10, 20):
        measured = symbol_accuracy(model, held_out(length=length))
        if abs(measured - accuracy_by_length[length]) > 0.05:
            return (f"accuracy_by_length[{length}] is {accuracy_by_length[length]:.1%}, but the model copies "
                    f"{measured:.1%} of held-out sequences of length {length}: use held_out(length={length})")
    others = max(accuracy for length, accuracy in accuracy_by_length.items() if length != 10)
    if not (accuracy_by_length[10] >= 0.99 and others < 0.8):
        return (f"length 10: {accuracy_by_length[10]:.1%}, best other length: {others:.1%}; a model "
                "trained on length 10 only should copy length 10 and fail at the others")
    return Right(f"length 10: {accuracy_by_length[10]:.1%}, every other length at most {others:.1%} (chance 33 %)")


# ---- 05 · padding and masking --------------------------------------------------------------

@exercise("Exercise 5.1, encode_packed", "the same (1, B, H) states as model.encode")
def check_encode_packed(encode_packed, model, ids, lengths):
    packed = []                                         # what the encoder was handed: packed or not
    hook = model.encoder.register_forward_pre_hook(
        lambda encoder, inputs: packed.append(isinstance(inputs[0], nn.utils.rnn.PackedSequence)))
    try:
        with torch.no_grad():
            answer = attempt(encode_packed, model, ids, lengths)
    finally:
        hook.remove()
    if isinstance(answer, Unanswered):
        return answer.reason
    if not any(packed):
        return "the encoder was never handed a PackedSequence: give it pack_padded_sequence(...) and keep its h_n"
    with torch.no_grad():
        return mismatch(answer, model.encode(ids, lengths), atol=1e-5)


@exercise("Exercise 5.2, natural order trained longer")
def check_natural_order_longer(natural_order, natural_order_losses, natural_order_longer, fresh, results,
                               ablation_losses):
    if natural_order is None or natural_order_losses is None or natural_order_longer is None:
        return "not answered yet: set natural_order, natural_order_losses and natural_order_longer"
    if getattr(natural_order, "without", None) != "reversed reading":
        return 'natural_order should lack reversed reading and nothing else: WithoutOneFix(4, 128, "reversed reading")'
    usual = ablation_losses["reversed reading", 0]              # the ablation's natural-order model, seed 0
    if not (isinstance(natural_order_losses, (list, tuple)) and len(natural_order_losses) == 3 * len(usual)):
        return (f"natural_order_losses should be what train_masked returns for {3 * len(usual)} batches "
                f"(batches=3 * BATCHES), got {type(natural_order_losses).__name__} "
                f"of length {len(natural_order_losses) if hasattr(natural_order_losses, '__len__') else 1}")
    if abs(natural_order_losses[0] - usual[0]) > 1e-4:
        return (f"the first batch's loss is {natural_order_losses[0]:.5f}, where the ablation's seed-0 model had "
                f"{usual[0]:.5f} on the same first batch: call seed_everything(0) right before building the model, "
                "and train it on train_data")
    if isinstance(natural_order_longer, list):
        natural_order_longer = tuple(natural_order_longer)
    if not (isinstance(natural_order_longer, tuple) and len(natural_order_longer) == 2):
        return f"natural_order_longer should be a pair (real symbols right, lengths right), got {natural_order_longer!r}"
    for what, value in zip(("real symbols right", "lengths right"), natural_order_longer):
        if (problem := not_a_fraction(f"the {what} in natural_order_longer", value)) is not None:
            return problem
    device = device_of(natural_order)
    predictions = natural_order.generate(fresh.ids.to(device), fresh.lengths.to(device), fresh.ids.shape[1]).cpu()
    measured = ((predictions == fresh.ids)[length_mask(fresh.lengths, fresh.ids.shape[1])].float().mean().item(),
                (decoded_lengths(predictions) == fresh.lengths).float().mean().item())
    for what, given, actual in zip(("real symbols right", "lengths right"), natural_order_longer, measured):
        if abs(given - actual) > 1e-3:
            return (f"natural_order_longer says {given:.2%} {what}, but natural_order gets {actual:.2%} on the fresh "
                    "sequences: score it with evaluate(natural_order)")
    before, reversed_reading = results["reversed reading", 0], results[None, 0]
    return Right(f"natural order, seed 0: {before[0]:.1%} of the real symbols after {len(usual)} batches, "
                 f"{natural_order_longer[0]:.1%} after {len(natural_order_losses)} (lengths: {before[1]:.1%}, then "
                 f"{natural_order_longer[1]:.1%}); reversed reading: {reversed_reading[0]:.1%} after {len(usual)}")


# ---- 06 · learning to add ------------------------------------------------------------------

def column_question(a, b):
    """a + b as the 4 column symbols 1 + 10 a_i + b_i, most significant first: (1, 4)."""
    digits = [((a // 10 ** k) % 10, (b // 10 ** k) % 10) for k in reversed(range(4))]
    return torch.tensor([[1 + 10 * digit_a + digit_b for digit_a, digit_b in digits]])


def model_answer(model, a, b):
    """What an adding Seq2Seq writes for a + b: 5 digits, units first, read as a number."""
    device = device_of(model)
    written = model.generate(column_question(a, b).to(device), torch.tensor([4], device=device), 5)[0]
    return sum((symbol - 1) * 10 ** place for place, symbol in enumerate(written.tolist()))


def digit_shifted(model, digit_rows, silenced_rows=()):
    """A copy of `model` whose read-out writes every digit one higher (9 -> 0) and never the
    symbols of `silenced_rows`."""
    shifted = copy.deepcopy(model)
    readout, rows = shifted.readout, torch.tensor(digit_rows)
    with torch.no_grad():
        readout.weight[rows] = readout.weight[rows.roll(1)].clone()
        readout.bias[rows] = readout.bias[rows.roll(1)].clone()
        readout.weight[list(silenced_rows)], readout.bias[list(silenced_rows)] = 0.0, -1e4
    return shifted


def built_as(model):
    """An encoder-decoder's cell, input symbols, width and depth, in words."""
    encoder = model.encoder
    return (f"{type(encoder).__name__} of {encoder.hidden_size} units reading {encoder.input_size} symbols"
            + (f", {encoder.num_layers} layers" if encoder.num_layers > 1 else ""))


def column_predictions(model, test_columns, steps):
    """What an adding Seq2Seq writes for the held-out column questions: (B, steps) symbols."""
    device = device_of(model)
    return model.generate(test_columns.to(device), torch.full((len(test_columns),), 4, device=device), steps).cpu()


@exercise("Exercise 6.1, reading order")
def check_reading_order(units_first, units_first_exact, early_rnn, test_columns, test_answers):
    """The method, not the outcome: a new model like early_rnn (the column RNN after 300 batches,
    reading thousands first), reading units first, trained on the columns for the same 300 batches
    (it writes five digits and a stop, and still errs), its exact match measured on the held-out sums."""
    if units_first is None or units_first_exact is None:
        return "not answered yet: train units_first and store its exact match in units_first_exact"
    if not units_first.reverse_input:
        return "units_first reads the thousands first: build it with reverse_input=True"
    if built_as(units_first) != built_as(early_rnn):
        return (f"units_first is a {built_as(units_first)}, early_rnn a {built_as(early_rnn)}: change only the "
                "reading order (train_column_rnn(batches=300, reverse_input=True) builds it like early_rnn)")
    if all(torch.equal(mine, its) for mine, its in zip(units_first.parameters(), early_rnn.parameters())):
        return ("units_first has early_rnn's weights with its reading order switched after training: train a new "
                "model that reads units first from the start (train_column_rnn(batches=300, reverse_input=True))")
    if (problem := not_a_fraction("units_first_exact", units_first_exact)) is not None:
        return problem
    predictions = column_predictions(units_first, test_columns, test_answers.shape[1])
    answer_shaped = ((predictions[:, :5] != 0).all(dim=1) & (predictions[:, 5] == 0)).float().mean().item()
    if answer_shaped < 0.95:
        return (f"units_first writes five digits and then a stop for only {answer_shaped:.0%} of the held-out sums: "
                "train it on the column sums first (train_column_rnn(batches=300, reverse_input=True))")
    measured = (predictions == test_answers).all(dim=1).float().mean().item()
    if abs(measured - units_first_exact) > 0.01:
        return (f"units_first_exact says {units_first_exact:.2%}, but units_first answers {measured:.2%} "
                "of the held-out sums exactly")
    if measured > 0.95:    # 300 batches leave a plain RNN far from this, in either order
        return (f"units_first answers {measured:.2%} of the held-out sums exactly, as the column RNN does after all "
                "1,000 batches: train it for early_rnn's 300 (train_column_rnn(batches=300, reverse_input=True)), "
                "so that both orders get the same budget")
    thousands_first = (column_predictions(early_rnn, test_columns, test_answers.shape[1]) == test_answers)
    return Right(f"after 300 batches, read units first, the RNN answers {measured:.2%} of the held-out sums exactly; "
                 f"read thousands first (early_rnn), {thousands_first.all(dim=1).float().mean().item():.2%}: "
                 "now say whether the diagram's argument picked the faster order")


ADD_EXAMPLES = [(4821, 907), (100, 100), (9999, 9999), (1234, 5678), (5050, 4950)]


@exercise("Exercise 6.2, add", "returns what the model writes, for a model that adds well and for one that does not")
def check_add(add, model):
    shifted = digit_shifted(model, digit_rows=list(range(1, 11)), silenced_rows=[0])  # 1..10: digits, 0: stop
    for asked, whose in [(model, "the model"), (shifted, "a copy of the model that writes every digit one higher")]:
        for a, b in ADD_EXAMPLES:
            answer = attempt(add, asked, a, b)
            if isinstance(answer, Unanswered):
                return answer.reason
            if not isinstance(answer, Integral) or isinstance(answer, bool):
                return f"add({a}, {b}) returned {answer!r}, expected an int"
            expected = model_answer(asked, a, b)
            if answer != expected:
                hint = ": add must return what the model writes, not the true sum" if answer == a + b else ""
                return f"asked {whose}, add gave {answer} for {a}+{b}, but that model writes {expected}{hint}"


# ---- 07 · Tao -------------------------------------------------------------------------------

@exercise("Exercise 7.1, report_card")
def check_report_card(report_card, tao, tao_generate, sensei):
    questions = [f"{a}+{b}=" for a in range(10) for b in range(10)]
    dunce = digit_shifted(tao, digit_rows=list(range(10)))             # TAO_CHARS starts with 0..9
    counts = []
    for model, whose in [(tao, "Tao"), (dunce, "a copy of Tao that writes every digit one higher")]:
        report = attempt(report_card, model)
        if isinstance(report, Unanswered):
            return report.reason
        if not (isinstance(report, list) and all(isinstance(entry, tuple) and len(entry) == 2 for entry in report)):
            return f"report_card should return a list of (question, answer) pairs, got {report!r:.80}"
        answers = {question: tao_generate(model, question) for question in questions}
        expected = [(question, answer) for question, answer in answers.items() if answer != sensei(question)[:-1]]
        extra = [entry for entry in report if entry not in expected]
        missing = [entry for entry in expected if entry not in report]
        if extra or missing:
            example = (f"{extra[0]!r} is not one of its mistakes" if extra
                       else f"it leaves out {missing[0]!r}")
            right_answers = all(answers.get(question) == answer == sensei(question)[:-1] for question, answer in report)
            hint = (": sensei's answer ends with '.', tao_generate's does not" if extra and right_answers else "")
            return f"for {whose} your report lists {len(report)} mistakes, expected {len(expected)}: {example}{hint}"
        counts.append(len(expected))
    return Right(f"Tao gets {counts[0]} of the 100 sums wrong; a copy that writes every digit one higher, {counts[1]}")


@exercise("Exercise 7.2, answer_odds")
def check_answer_odds(answer_odds, tao, tao_chars):
    """The probabilities of the first character after a question, at a temperature, from the model
    given (Tao, and a copy that writes every digit one higher)."""
    dunce = digit_shifted(tao, digit_rows=list(range(10)))             # TAO_CHARS starts with 0..9
    for model, whose in [(tao, "Tao"), (dunce, "a copy of Tao that writes every digit one higher")]:
        for question in ["7+8=", "0+0=", "9+9=", "3+4="]:
            with torch.no_grad():
                scores, _ = model(torch.tensor([[tao_chars.index(char) for char in question]], device=device_of(model)))
            scores = scores[0, -1].float().cpu()                         # the scores after the question's last character
            for temperature in (0.5, 1.0, 3.0):
                odds = attempt(answer_odds, model, question, temperature)
                if isinstance(odds, Unanswered):
                    return odds.reason
                asked = f"for {whose}, answer_odds(model, {question!r}, {temperature})"
                if not isinstance(odds, torch.Tensor) or odds.shape != scores.shape:
                    return (f"{asked} gave {odds!r:.60}, expected a tensor of shape ({len(tao_chars)},): one "
                            "probability per character of TAO_CHARS")
                odds = odds.detach().float().cpu()
                if abs(odds.sum().item() - 1) > 1e-4:
                    return (f"{asked} sums to {odds.sum().item():.3f}, not 1: turn the scores into probabilities "
                            "with a softmax")
                expected = torch.softmax(scores / temperature, dim=-1)
                if not torch.allclose(odds, expected, atol=1e-5):
                    if temperature != 1 and torch.allclose(odds, torch.softmax(scores, dim=-1), atol=1e-5):
                        return (f"{asked} gives the probabilities at temperature 1: divide the scores by the "
                                "temperature before the softmax")
                    worst = int((odds - expected).abs().argmax())
                    return (f"{asked} gives {tao_chars[worst]!r} the probability {odds[worst]:.4f}, "
                            f"expected {expected[worst]:.4f}: the probabilities of the first character written "
                            "after the question, from the model given")
    seven_and_eight = torch.tensor([[tao_chars.index(char) for char in "7+8="]], device=device_of(tao))
    with torch.no_grad():
        scores = tao(seven_and_eight)[0][0, -1].float().cpu()
    right = [torch.softmax(scores / t, dim=-1)[tao_chars.index("1")].item() for t in (0.5, 1.0, 3.0)]
    return Right("Tao writes '1' first after 7+8= with probability " + ", ".join(
        f"{p:.3f} at temperature {t:g}" for p, t in zip(right, (0.5, 1, 3))))


# ---- 08 · text generation ------------------------------------------------------------------

def certain_context(followers, minimum=3):
    """The first context always followed by the same character, seen at least `minimum` times."""
    return next(((context, next(iter(counts))) for context, counts in followers.items()
                 if len(counts) == 1 and counts.total() >= minimum), None)


@exercise("Exercise 8.1, backoff_next", "draws after the longest seen ending, and never gets stuck")
def check_backoff(backoff_next, order_counts):
    outsider = next(char for char in "\x00\x01\x02\x03" if char not in order_counts[1])  # never in the text
    first = attempt(backoff_next, "The ", np.random.default_rng(0))
    if isinstance(first, Unanswered):
        return first.reason
    for context in ["xqzj", "", outsider * 4, "ĳĳĳĳĳĳ"]:
        drawn = attempt(backoff_next, context, np.random.default_rng(0))
        if isinstance(drawn, Unanswered):
            return f"after {context!r}: {drawn.reason}"
        if not (isinstance(drawn, str) and len(drawn) == 1):
            return f"after {context!r} it returned {drawn!r}, expected one character"
    for order in (4, 3, 2):
        if (found := certain_context(order_counts[order])) is None:
            continue
        ending, follower = found
        context = outsider * 2 + ending                  # only the last `order` characters were seen
        drawn = [attempt(backoff_next, context, np.random.default_rng(seed)) for seed in range(20)]
        if (failed := next((draw for draw in drawn if isinstance(draw, Unanswered)), None)) is not None:
            return f"after {context!r}: {failed.reason}"
        if set(drawn) != {follower}:
            return (f"after {context!r} it drew {sorted(set(map(str, drawn)))}, but the longest seen ending, "
                    f"{ending!r}, was always followed by {follower!r} in training")


@exercise("Exercise 8.2, sample_next", "argmax at temperature 0, softmax(scores / temperature) draws otherwise")
def check_sample_next(sample_next):
    scores = torch.tensor([0.0, 2.0, 1.0])
    with forbidding(sampling.sample_next):
        greedy = attempt(sample_next, scores, 0, None)
    if (problem := used_the_course(greedy, "sample_next", "course_lib.sampling")) is not None:
        return problem
    if isinstance(greedy, Unanswered):
        return greedy.reason
    if greedy != 1 or not isinstance(greedy, int):
        return f"at temperature 0 it returned {greedy!r}, expected 1 (an int), the index of the largest score"
    for temperature in (0.5, 5.0):
        draws = [attempt(sample_next, scores, temperature, torch.Generator().manual_seed(seed)) for seed in range(1000)]
        if (odd := next((draw for draw in draws if not isinstance(draw, int)), None)) is not None:
            return odd.reason if isinstance(odd, Unanswered) else f"it returned {odd!r}, expected an int index"
        share, expected = draws.count(1) / len(draws), F.softmax(scores / temperature, dim=-1)[1].item()
        if abs(share - expected) > 0.05:
            return (f"at temperature {temperature} it drew index 1 {share:.0%} of the time; "
                    f"softmax(scores / {temperature}) gives it {expected:.0%}")
    again = [attempt(sample_next, scores, temperature, torch.Generator().manual_seed(seed)) for seed in range(1000)]
    if again != draws:
        return "the same generator seed gives other draws: draw with torch.multinomial(..., generator=generator)"


def code_orders_measured():
    """{order: held-out bits/char} of Markov orders 1 to 8 on what exercise 8.3 names: the first
    300,000 characters of the standard library's source, the last 10 % held out, the alphabet
    of the whole text."""
    code = corpus.python_source_text(300_000)
    code_train, code_validation = corpus.split_text(code)
    counted = MarkovModel(code_train, 8, set(code))
    return {order: counted.with_order(order).bits_per_char(code_validation) for order in range(1, 9)}


@exercise("Exercise 8.3, Markov orders for code")
def check_code_orders(best_code_order, code_bits, prose_bits):
    if best_code_order is None or not code_bits:
        return "not answered yet: measure code_bits for orders 1 to 8 and store the best in best_code_order"
    if (problem := wrong_keys("code_bits", code_bits, list(range(1, 9)))) is not None:
        return problem
    if not all(isinstance(bits, Real) and bits > 0 for bits in code_bits.values()):
        return f"code_bits should hold bits per character (positive numbers), got {code_bits}"
    measured = code_orders_measured()
    off = [order for order in measured if not math.isclose(code_bits[order], measured[order], rel_tol=1e-6)]
    if off:
        if all(math.isclose(code_bits[order], prose_bits[order], rel_tol=1e-6) for order in prose_bits):
            return "code_bits holds the prose figures (markov_bits): count and score python_source_text(300_000)"
        if all(code_bits[order] > code_bits[order + 1] for order in range(1, 8)):
            return ("your bits fall all the way to order 8, as they do on the text a model was counted on: "
                    "did you score the training part? Score the held-out last 10 %")
        order = off[0]
        return (f"code_bits[{order}] is {code_bits[order]:.4f}, but order {order}, counted on the first 90 % of "
                f"python_source_text(300_000) with the whole text's alphabet, scores {measured[order]:.4f} "
                "bits/char on the last 10 %: check the text, the split and the alphabet")
    best = min(code_bits, key=code_bits.get)
    if best_code_order != best:
        return f"best_code_order is {best_code_order!r}, but the fewest bits in code_bits are at order {best}"
    prose_best = min(prose_bits, key=prose_bits.get)
    return Right(f"measured on the held-out code: order {best} is best, {code_bits[best]:.3f} bits/char "
                 f"(prose: order {prose_best}, {prose_bits[prose_best]:.3f})")


# ---- 09 · inside the gates -----------------------------------------------------------------

@exercise("Exercise 9.1, forget_bias_for")
def check_forget_bias(forget_bias_for, lstm_step):
    for steps, keep in [(50, 0.9), (10, 0.5), (200, 0.99)]:
        bias = attempt(forget_bias_for, steps, keep)
        if isinstance(bias, Unanswered):
            return bias.reason
        if isinstance(bias, torch.Tensor) and bias.numel() == 1:
            bias = bias.item()
        if not isinstance(bias, Real) or isinstance(bias, bool):
            return f"forget_bias_for({steps}, {keep}) returned {bias!r}, expected a number"
        closed_input = {f"{kind}{gate}": torch.zeros(1, 1, dtype=torch.float64) for kind in ("W_i", "W_h") for gate in "ifgo"}
        biases = {"b_i": -30.0, "b_f": float(bias), "b_g": 0.0, "b_o": 0.0}
        closed_input.update({name: torch.tensor([value], dtype=torch.float64) for name, value in biases.items()})
        h, c = torch.zeros(1, 1, dtype=torch.float64), torch.ones(1, 1, dtype=torch.float64)
        for _ in range(steps):
            h, c, _ = lstm_step(torch.zeros(1, 1, dtype=torch.float64), h, c, closed_input)
        kept = c.item()
        if kept < keep - 1e-9:
            return (f"with forget_bias_for({steps}, {keep}) = {bias:.3g} the cell keeps {kept:.3g} of its value "
                    f"after {steps} steps, less than {keep}: the forget gate is sigmoid(bias), and it multiplies "
                    "the cell state once per step")
        if kept > keep + 1e-3:
            return (f"forget_bias_for({steps}, {keep}) = {bias:.3g} keeps {kept:.4f} after {steps} steps: more than "
                    f"{keep}, so a smaller bias would do; find the one that keeps exactly {keep}")
    usual = 1 / (1 + math.exp(-1))
    return Right(f"{attempt(forget_bias_for, 50, 0.9):.2f} keeps 90 % for 50 steps; a forget bias of 1 "
                 f"(f = {usual:.2f}) keeps {usual ** 50:.1e} of it after 50 steps")


@exercise("Exercise 9.2, which of the GRU's gates keeps")
def check_gru_keep_gate(gru_norms, keeping_gate, default_gru_norms, Recaller, gradient_by_distance, probe):
    if gru_norms is None:
        return "not answered yet: gru_norms is None"
    if not isinstance(gru_norms, dict) or sorted(gru_norms) != ["r", "z"]:
        return f"gru_norms should be a dict with the keys 'r' and 'z', got {gru_norms!r:.80}"
    norms = {gate: torch.as_tensor(value) for gate, value in gru_norms.items()}
    for gate, value in norms.items():
        if (problem := shape_mismatch(value, default_gru_norms.shape)) is not None:
            return f"gru_norms[{gate!r}] should be what gradient_by_distance returns: {problem}"

    def with_bias_one_on(block):
        torch.manual_seed(0)                  # what seed_everything(0) does for torch's weights
        model = Recaller("GRU")
        hidden = model.rnn.hidden_size
        with torch.no_grad():
            model.rnn.bias_ih_l0[block * hidden:(block + 1) * hidden] = 1.0
            model.rnn.bias_hh_l0[block * hidden:(block + 1) * hidden] = 0.0
        return gradient_by_distance(model, *probe)

    def same(a, b):
        return torch.allclose(a, b, rtol=1e-3, atol=1e-30)

    expected = {"r": with_bias_one_on(0), "z": with_bias_one_on(1)}
    for gate, other in (("r", "z"), ("z", "r")):
        if same(norms[gate], default_gru_norms):
            return f"gru_norms[{gate!r}] are the default GRU's norms: set the gate's bias before measuring"
        if same(norms[gate], expected[other]):
            return (f"gru_norms[{gate!r}] are those of the {other} gate: PyTorch stacks the GRU's gates r, z, n, "
                    f"so {gate} is block {'rz'.index(gate)}")
        if not same(norms[gate], expected[gate]):
            return (f"gru_norms[{gate!r}] differ from those of a GRU made right after seed_everything(0) with the "
                    f"{gate} block (block {'rz'.index(gate)}) of bias_ih_l0 set to 1 and of bias_hh_l0 to 0")
    shrinks = {gate: (value[0] / value[50]).item() for gate, value in expected.items()}
    measured = f"over 50 steps the gradient shrinks {shrinks['r']:.1e} times with r's bias at 1, {shrinks['z']:.1e} " \
               f"times with z's ({(default_gru_norms[0] / default_gru_norms[50]).item():.1e} as PyTorch sets them)"
    if keeping_gate not in ("r", "z"):
        return f"your measurements are right; now set keeping_gate to 'r' or 'z', not {keeping_gate!r}"
    if keeping_gate != min(shrinks, key=shrinks.get):
        return f"{measured}: which of the two keeps the gradient better?"
    return Right(f"z: {measured}. The term z * h_(t-1) hands the gradient straight back, scaled by z alone; "
                 "r scales W_hn h_(t-1) inside the tanh, so the gradient along that path still meets both the tanh "
                 "and W_hn")


# ---- 10 · what the cells learned -----------------------------------------------------------

@exercise("Exercise 10.1, the bracket cell")
def check_depth_profile(depth_profile, bracket_cell, depth):
    if depth_profile is None:
        return "not answered yet: depth_profile is None"
    values = np.asarray(depth_profile.cpu() if isinstance(depth_profile, torch.Tensor) else depth_profile, dtype=float)
    if values.shape != (3,):
        return f"depth_profile should hold 3 numbers (depths 0, 1, 2), got shape {values.shape}"
    counts = [int((depth == level).sum()) for level in range(3)]
    expected = np.array([bracket_cell[depth == level].mean() if count else np.nan for level, count in enumerate(counts)])
    spreads = [bracket_cell[depth == level].std() if count else np.nan for level, count in enumerate(counts)]

    def same(a, b):
        return np.allclose(a, b, atol=1e-4, equal_nan=True)

    if same(values, expected[::-1]) and not same(values, expected):
        return "the numbers are in reverse order: depth 0 first"
    if not same(values, expected):
        return (f"depth_profile is {np.round(values, 3).tolist()}, expected {np.round(expected, 3).tolist()}: the mean "
                "of the bracket cell's activation over the characters at each depth")
    steps = ", ".join(f"{step:+.2f}" for step in np.diff(expected))
    return Right(f"from depth 0 to 2 the cell goes {' -> '.join(f'{value:+.2f}' for value in expected)}, steps of "
                 f"{steps}, means over {', '.join(map(str, counts))} characters; the spread (standard deviation) "
                 f"around each mean: {', '.join(f'{spread:.2f}' for spread in spreads)}")


COMMENT_EXAMPLES = [  # (text, its marks: 1 inside a comment)
    ("x = 1  # one\ny = 2\n", "0000000111110000000"),
    ('s = "#"  # quoted\n', "000000000111111110"),
    ("'''\n# in a string\n'''\n#", "00000000000000000000001"),
    ("#a\n#b", "11011"),
    ("# don't\nx = 1  # c", "111111100000000111"),
]


@exercise("Exercise 10.2, inside a comment")
def check_inside_comment(inside_comment, comment_cell, sample, cells, untrained_cells, first, second, string_cell,
                         correlations):
    for text, marks in COMMENT_EXAMPLES:
        answer = attempt(inside_comment, text)
        if isinstance(answer, Unanswered):
            return answer.reason
        answer = np.asarray(answer.cpu() if isinstance(answer, torch.Tensor) else answer, dtype=float)
        if answer.shape != (len(text),):
            return f"inside_comment({text!r}) has shape {answer.shape}, expected ({len(text)},): one number per character"
        got = "".join(str(int(round(value))) for value in answer)
        if got != marks:
            return f"inside_comment({text!r}) gives {got}, expected {marks}"
    comments = np.asarray(inside_comment(sample), dtype=float)[:, None]              # (T, 1)

    def pearson(part_cells, part):                                                   # (H,): the notebook's r
        return correlations(part_cells[part], comments[part])[:, 0]

    r_first, r_second = pearson(cells, first), pearson(cells, second)
    chosen = int(np.abs(r_first).argmax())
    if comment_cell is None:
        return ("inside_comment is right; now store in comment_cell the cell whose |r| with it is largest on the "
                "first half of the sample")
    if not isinstance(comment_cell, Integral) or isinstance(comment_cell, bool):
        return f"comment_cell should be a cell's number (an int), got {comment_cell!r:.80}"
    if comment_cell != chosen:
        if comment_cell == int(np.abs(pearson(cells, slice(None))).argmax()):
            return (f"cell {comment_cell} is the best on the whole sample, the half that will score it included: "
                    "choose on the first half only")
        if comment_cell == int(np.abs(r_second).argmax()):
            return f"cell {comment_cell} is the best on the second half, the half that scores it: choose on the first"
        return f"comment_cell is {comment_cell}, but cell {chosen} has the largest |r| with the comments on the first half"
    untrained = int(np.abs(pearson(untrained_cells, first)).argmax())
    untrained_r = abs(pearson(untrained_cells, second)[untrained])
    which = "it is the string cell" if chosen == string_cell else f"it is not the string cell, {string_cell}"
    return Right(f"{comments.mean():.0%} of the sample is comments; cell {chosen}, chosen on the first half "
                 f"(r = {r_first[chosen]:+.2f}), scores r = {r_second[chosen]:+.2f} on the second, against |r| = "
                 f"{untrained_r:.2f} for the untrained network's best chosen the same way; {which}")


# ---- 11 · attention ------------------------------------------------------------------------

@exercise("Exercise 11.1, masked_softmax", "the padding gets exactly 0 and every row sums to 1")
def check_masked_softmax(masked_softmax):
    generator = torch.Generator().manual_seed(11)
    scores = 3 * torch.randn(3, 4, 6, generator=generator)                       # (B, T_out, T_in)
    mask = (torch.arange(6) < torch.tensor([6, 4, 1])[:, None])[:, None, :]      # (B, 1, T_in)
    with forbidding(attention.masked_softmax):
        weights = attempt(masked_softmax, scores.clone(), mask)
    if (problem := used_the_course(weights, "masked_softmax", "course_lib.attention")) is not None:
        return problem
    problem = shape_mismatch(weights, scores.shape)
    if problem:
        return f"for scores of shape {tuple(scores.shape)} and a mask of shape {tuple(mask.shape)}: {problem}"
    weights = weights.detach().double()
    on_padding = weights.masked_select(~mask.expand_as(weights)).abs().max().item()
    if not on_padding <= 1e-9:
        return (f"a padding position gets a weight of {on_padding:.3g}: it must get exactly 0 (give its score "
                "a value whose exponential is 0 before the softmax)")
    sums = weights.sum(dim=-1)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-6):
        return (f"the weights of a row sum to {sums.flatten()[(sums - 1).abs().argmax()].item():.3f}, not 1: "
                "the real positions must share all the weight (softmax over the last axis, after masking)")
    return mismatch(weights, scores.masked_fill(~mask, float("-inf")).softmax(dim=-1).double())


@exercise("Exercise 11.2, copying")
def check_copy_diagonal(copy_model, copy_diagonal, copy_fresh):
    if copy_model is None or copy_diagonal is None:
        return "copy_model and copy_diagonal are not answered yet"
    if not getattr(copy_model, "attention", False) or not hasattr(copy_model, "generate"):
        return "copy_model should be an AttentionSeq2Seq with attention (attention=True)"
    problem = not_a_fraction("copy_diagonal", copy_diagonal)
    if problem:
        return problem
    ids, lengths, device = copy_fresh.ids, copy_fresh.lengths, device_of(copy_model)
    with torch.no_grad():
        predictions, looked = copy_model.generate(ids.to(device), lengths.to(device), ids.shape[1])
    real = length_mask(lengths, ids.shape[1])
    copied = (predictions.cpu() == ids)[real].float().mean().item()
    if copied < 0.95:
        return (f"copy_model copies {copied:.1%} of the symbols of copy_fresh; trained on copy_batches(copy_data) "
                "(copying, not reversing) it gets over 95 %")
    steps = torch.arange(looked.shape[1])
    diagonal = looked.cpu()[:, steps, steps.clamp(max=looked.shape[2] - 1)][real].mean().item()
    if abs(copy_diagonal - diagonal) > 0.01:
        return (f"copy_diagonal is {copy_diagonal:.3f}, but copy_model puts {diagonal:.3f} of each step's weight on "
                "the input position it copies (output step t on input position t, over copy_fresh's real symbols)")
    return Right(f"copy_model copies {copied:.1%} of the symbols and puts {diagonal:.1%} of each step's weight on "
                 "the position it copies")


# ---- 12 · which language ----------------------------------------------------------------------

@exercise("Exercise 12.1, reading a confusion matrix")
def check_read_the_matrix(accuracy_per_language, most_confused, confusion, languages):
    generator = torch.Generator().manual_seed(12)
    matrices = [torch.randint(0, 9, (size, size), generator=generator) + 30 * torch.eye(size, dtype=torch.long)
                for size in (3, 5)] + [confusion]
    for matrix in matrices:
        what = f"a {len(matrix)} x {len(matrix)} confusion matrix"
        answer = attempt(accuracy_per_language, matrix.clone())
        if isinstance(answer, Unanswered):
            return answer.reason
        expected = matrix.diagonal() / matrix.sum(dim=1)
        if isinstance(answer, (torch.Tensor, np.ndarray)) and torch.as_tensor(answer).shape == expected.shape:
            if torch.allclose(torch.as_tensor(answer).double(), (matrix.diagonal() / matrix.sum(dim=0)).double()):
                return (f"for {what}: you divided by the column sums, the answers given; a language's accuracy "
                        "is the share of its own names (its row) answered right")
        if (problem := mismatch(answer, expected)) is not None:
            return f"accuracy_per_language, for {what}: {problem}"
        pair = attempt(most_confused, matrix.clone())
        if isinstance(pair, Unanswered):
            return pair.reason
        try:
            row, column = (int(index) for index in pair)
        except (TypeError, ValueError):
            return f"most_confused should return a pair (true, answered) of indices, got {pair!r:.80}"
        if row == column:
            return f"most_confused, for {what}: ({row}, {column}) is on the diagonal, where the right answers are"
        off_diagonal = matrix.clone().fill_diagonal_(-1)
        if matrix[row, column] != off_diagonal.max():
            return (f"most_confused, for {what}: cell ({row}, {column}) counts {int(matrix[row, column])}, "
                    "and another cell off the diagonal counts more")
    off_diagonal = confusion.clone().fill_diagonal_(-1)
    row, column = divmod(int(off_diagonal.argmax()), confusion.shape[1])
    return Right(f"both work on any confusion matrix; the reader's commonest mistake: {languages[row]} names "
                 f"called {languages[column]} ({int(confusion[row, column])} times)")


@exercise("Exercise 12.2, the telling n-gram")
def check_telling_ngram(telling_ngram, counts, test, guesses):
    def log_p(gram, language):  # the smoothed estimate of the notebook, from the raw counts
        return math.log((counts.counts[language][gram] + 1) / (counts.totals[language] + counts.distinct))

    wrong = [(name, said, truth) for (truth, name), said in zip(test, guesses) if said != truth]
    cases = wrong[:6] + [(name, truth, said) for name, said, truth in wrong[6:8]]  # and two the other way round
    for name, said, truth in cases:
        marked = f"^{name}$"
        grams = {marked[i:i + k] for k in range(1, counts.n + 1) for i in range(len(marked) - k + 1)}
        favour = {gram: log_p(gram, said) - log_p(gram, truth) for gram in grams}
        answer = attempt(telling_ngram, counts, name, said, truth)
        if isinstance(answer, Unanswered):
            return answer.reason
        if not isinstance(answer, str):
            return f"telling_ngram should return an n-gram, a string such as 'ski$', got {answer!r:.80}"
        if answer not in favour:
            return f"for {name!r}: {answer!r} is not one of its n-grams (ngrams(name, counts.n))"
        if favour[answer] < max(favour.values()) - 1e-9:
            return (f"for {name!r}, {said} against {truth}: {answer!r} favours {said} by "
                    f"{favour[answer]:+.2f} in log-probability, and another of its n-grams favours it more")
    name, said, truth = wrong[0]
    return Right(f"e.g. {name!r} ({truth}) was called {said}: its n-gram {telling_ngram(counts, name, said, truth)!r} "
                 f"is far commoner in {said}")
