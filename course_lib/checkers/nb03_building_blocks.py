"""The checkers of notebook 03 · building blocks on a sinusoid."""

import math
from numbers import Real

import torch
import torch.nn.functional as F
from torch import nn

from course_lib.exercises import Unanswered, attempt, shape_mismatch
from course_lib.checkers.common import BUILT_IN_RECURRENCES, Right, called, device_of, exercise, wrong_keys


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

