"""The checkers of notebook 02 · a GRU by hand."""

import __main__

import torch
import torch.nn.functional as F
from torch import nn

from course_lib.exercises import Unanswered, mismatch
from course_lib.checkers.common import BUILT_IN_RECURRENCES, called, exercise, forbidding, used_the_course


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
    # the notebook's own backpropagation through time, once it exists (a second run of the notebook)
    notebooks_own = [function for function in [getattr(__main__, "loss_and_gradients", None)] if callable(function)]
    with forbidding(*notebooks_own):
        answer, calls = called(update_gate_bias_gradient, x, h_prev, targets, params)
    if (problem := used_the_course(answer, "loss_and_gradients", "the notebook's")) is not None:
        return problem
    if isinstance(answer, Unanswered):
        return answer.reason
    if (problem := shortcut("update_gate_bias_gradient", calls)) is not None:
        return problem
    if (products := sum(name in MATRIX_PRODUCTS for name in calls)) > 20:
        return (f"it makes {products} matrix products, the forward step many times over: nudging the bias and "
                "measuring the loss only estimates the gradient; derive it with the chain rule, from one step")
    return mismatch(answer, leaves["b_iz"].grad, atol=1e-5)

