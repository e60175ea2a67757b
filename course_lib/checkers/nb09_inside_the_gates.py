"""The checkers of notebook 09 · inside the gates."""

import math
from numbers import Real

import torch

from course_lib.exercises import Unanswered, attempt, shape_mismatch
from course_lib.checkers.common import Right, exercise


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

