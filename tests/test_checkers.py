"""Every exercise's checker can fail and can pass: it rejects the unsolved stub and plausible
wrong answers with a ✗ line that says what is wrong, and accepts the reference solution with a
✓ line. The reference is loaded as a stuck student loads it: `solution("NAME")` run in a
namespace holding what the notebook has defined by then (small stand-ins where the notebook
trains for minutes; the solved notebook runs prove the real thing).

Also: in every exercise cell the solution line comes last, so that uncommenting it solves the
exercise, and the cell after the exercise is its checker.
"""
import copy
import math
import re

import jupytext
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset

import course
import course_lib.corpus
import course_lib.sampling
from course_lib import checkers
from course_lib.addition import as_columns
from course_lib.attention import AttentionSeq2Seq
from course_lib.blocks import RecurrentModel
from course_lib.corpus import python_source_text, split_text
from course_lib.exercises import Verdict, solution
from course_lib.markov import MarkovModel
from course_lib.seeding import seed_everything
from course_lib.seq2seq import Seq2Seq
from course_lib.sequences import PaddedSequences, reverse_each
from course_lib.vocab import Vocabulary, decode_scores, one_hot

CPU = torch.device("cpu")


# ---- helpers -------------------------------------------------------------------------------

def stub(name):
    """An unsolved exercise function, as the notebook ships it."""
    def unsolved(*args, **kwargs):
        raise NotImplementedError("your code here")
    unsolved.__name__ = name
    return unsolved


def load(name, **notebook_globals):
    """Run solutions/NAME.py the way the uncommented line does, in a namespace holding
    `notebook_globals`; return the namespace."""
    namespace = {"solution": solution, "torch": torch, "F": F, "nn": nn, "np": np,
                 "device": CPU, "seed_everything": seed_everything, **notebook_globals}
    exec(f'solution("{name}")', namespace)
    return namespace


def variant(name, old, new, **notebook_globals):
    """The namespace of solutions/NAME.py with `old` replaced by `new`: a plausible mistake."""
    code = (course.SOLUTIONS / f"{name}.py").read_text(encoding="utf-8")
    assert old in code, f"{old!r} is not in solutions/{name}.py"
    namespace = {"torch": torch, "F": F, "nn": nn, "np": np, "device": CPU, **notebook_globals}
    exec(code.replace(old, new), namespace)
    return namespace


def verdict(capsys, checker, *args):
    """Run a checker; return its one ✓/✗ line. It returns a Verdict, true exactly when the line is a ✓
    (a notebook shows the Verdict as nothing, so the cell shows nothing after the line)."""
    capsys.readouterr()
    result = checker(*args)
    lines = [line for line in capsys.readouterr().out.splitlines() if line[:1] in ("✓", "✗")]
    assert len(lines) == 1, lines
    assert isinstance(result, Verdict) and bool(result) == lines[0].startswith("✓"), (result, lines[0])
    return lines[0]


def rejects(capsys, checker, *args, says):
    line = verdict(capsys, checker, *args)
    assert line.startswith("✗") and says in line, line


def accepts(capsys, checker, *args):
    line = verdict(capsys, checker, *args)
    assert line.startswith("✓"), line


# ---- the layout of the exercise cells ------------------------------------------------------

@pytest.mark.parametrize("source", course.notebook_sources(), ids=lambda path: path.stem)
def test_the_solution_line_comes_last_and_a_checker_follows(source):
    cells = jupytext.read(source).cells
    exercises = [number for number, cell in enumerate(cells) if "exercise" in course.tags(cell)]
    assert exercises
    for number in exercises:
        lines = cells[number].source.rstrip().splitlines()
        name = re.fullmatch(r'# solution\("(\w+)"\)', lines[-1])
        assert name, f"the last line of an exercise cell must be # solution(\"NAME\"):\n{cells[number].source}"
        assert (course.SOLUTIONS / f"{name[1]}.py").is_file()
        assert lines[-2].startswith("# Stuck?") and f"solutions/{name[1]}.py" in lines[-2]
        assert course.SOLUTION_HINT.sub("", cells[number].source).strip(), "the student copy needs a stub"
        after = cells[number + 1]
        assert after.cell_type == "code" and "checker" in course.tags(after), f"no checker after {name[1]}"


# ---- 01 ------------------------------------------------------------------------------------

def test_decode(capsys):
    rejects(capsys, checkers.check_decode, stub("decode"), says="decode is not written yet")
    rejects(capsys, checkers.check_decode, lambda rows, chars: [chars[i] for i in rows.argmax(-1)],
            says="expected a str")
    rejects(capsys, checkers.check_decode, lambda rows, chars: "".join(chars[i] for i in rows.argmin(-1)),
            says="expected ' learned deep learning'")
    accepts(capsys, checkers.check_decode, load("01_decode")["decode"])


def test_rnn_step(capsys):
    rejects(capsys, checkers.check_rnn_step, stub("rnn_step"), says="rnn_step is not written yet")
    no_tanh = variant("01_rnn_step", "torch.tanh(", "(")["rnn_step"]
    rejects(capsys, checkers.check_rnn_step, no_tanh, says="from a zero state: wrong values")
    no_memory = variant("01_rnn_step", "+ h_prev @ rnn.weight_hh_l0.T", "")["rnn_step"]
    rejects(capsys, checkers.check_rnn_step, no_memory, says="from the state after 3 steps: wrong values")
    accepts(capsys, checkers.check_rnn_step, load("01_rnn_step")["rnn_step"])


def test_rnn_step_rejects_the_built_in_shortcuts(capsys):
    def call_the_rnn(x_t, h_prev, rnn):                      # one time step through nn.RNN itself
        return rnn(x_t[:, None], h_prev[None])[0][:, 0]

    def copy_into_a_cell(x_t, h_prev, rnn):                  # nn.RNNCell with the same weights
        cell = nn.RNNCell(rnn.input_size, rnn.hidden_size)
        cell.load_state_dict({name[:-3]: value for name, value in rnn.state_dict().items()})
        return cell(x_t, h_prev)

    def call_the_kernel(x_t, h_prev, rnn):
        return torch.rnn_tanh_cell(x_t, h_prev, rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)

    for shortcut in (call_the_rnn, copy_into_a_cell, call_the_kernel):
        rejects(capsys, checkers.check_rnn_step, shortcut, says="it calls PyTorch's own RNN")


CharRNN = course.definitions("01", "CharRNN")["CharRNN"]


def test_smallest_hidden(capsys):
    phrase = " learned deep learning"
    vocab = Vocabulary(phrase)
    inputs, targets = one_hot(vocab.encode(phrase[:-1]), len(vocab))[None], vocab.encode(phrase[1:])
    reference = load("01_smallest_hidden", CharRNN=CharRNN, V=len(vocab), inputs=inputs, targets=targets,
                     vocab=vocab, phrase=phrase, decode_scores=decode_scores)
    models, smallest = reference["tiny_models"], reference["smallest_hidden_size"]
    rejects(capsys, checkers.check_smallest_hidden, None, {}, inputs, targets, says="not answered yet")
    rejects(capsys, checkers.check_smallest_hidden, 1, models, inputs, targets,
            says=f"smallest_hidden_size is 1, but the first of your models that predicts the phrase exactly "
                 f"has {smallest}")
    rejects(capsys, checkers.check_smallest_hidden, 8, {8: models[8]}, inputs, targets,
            says="tiny_models has no model of hidden size 1")
    accepts(capsys, checkers.check_smallest_hidden, smallest, models, inputs, targets)


# ---- 02 ------------------------------------------------------------------------------------

notebook_02 = course.definitions("02", "GATES", "gru_step", "params_from_torch")
gru_step, params_from_torch = notebook_02["gru_step"], notebook_02["params_from_torch"]


def test_fused_gru_step(capsys):
    rejects(capsys, checkers.check_fused_gru_step, stub("fused_gru_step"), says="not written yet")
    swapped = variant("02_fused_gru_step", "(1 - z) * n + z * h", "z * n + (1 - z) * h")["fused_gru_step"]
    rejects(capsys, checkers.check_fused_gru_step, swapped, says="wrong values")
    rejects(capsys, checkers.check_fused_gru_step, lambda x, h, gru: h, says="wrong values")
    # the built-in shortcuts, and the notebook's unfused step copied from the cell above
    rejects(capsys, checkers.check_fused_gru_step, lambda x, h, gru: gru(x[None], h[None])[0][0],
            says="calls PyTorch's own gru")
    rejects(capsys, checkers.check_fused_gru_step,
            lambda x, h, gru: torch.gru_cell(x, h, gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0),
            says="calls PyTorch's own gru_cell")
    rejects(capsys, checkers.check_fused_gru_step, lambda x, h, gru: gru_step(x, h, params_from_torch(gru))[0],
            says="right values, but from 6 matrix products")
    accepts(capsys, checkers.check_fused_gru_step, load("02_fused_gru_step")["fused_gru_step"])


def test_update_gate_gradient(capsys):
    notebook = {"gru_step": gru_step, "one_hot": one_hot}
    rejects(capsys, checkers.check_update_gate_gradient, stub("update_gate_bias_gradient"), says="not written yet")
    summed = variant("02_update_gate_gradient", "/ len(targets)", "", **notebook)["update_gate_bias_gradient"]
    rejects(capsys, checkers.check_update_gate_gradient, summed, says="wrong values")
    flipped = variant("02_update_gate_gradient", "(h_prev - n)", "(n - h_prev)", **notebook)
    rejects(capsys, checkers.check_update_gate_gradient, flipped["update_gate_bias_gradient"], says="wrong values")
    rejects(capsys, checkers.check_update_gate_gradient, by_autograd, says="calls autograd (backward)")
    rejects(capsys, checkers.check_update_gate_gradient, by_autograd_grad, says="calls autograd (grad)")
    rejects(capsys, checkers.check_update_gate_gradient, by_finite_differences, says="matrix products")
    hand_bptt = course.definitions("02", "loss_and_gradients", gru_step=gru_step, one_hot=one_hot)["loss_and_gradients"]
    import __main__                                       # where a notebook's own functions live in a kernel
    __main__.loss_and_gradients = hand_bptt
    try:
        rejects(capsys, checkers.check_update_gate_gradient,
                lambda x, h_prev, targets, p: hand_bptt(x[None], targets[None], h_prev, p)[1]["b_iz"],
                says="the notebook's own loss_and_gradients")
    finally:
        del __main__.loss_and_gradients
    reference = load("02_update_gate_gradient", **notebook)
    accepts(capsys, checkers.check_update_gate_gradient, reference["update_gate_bias_gradient"])


def by_finite_differences(x, h_prev, targets, p):
    """Exercise 2.2's other shortcut: nudge each entry of the bias and measure the loss, in float64."""
    p = {name: value.double() for name, value in p.items()}
    x, h_prev, gradient = x.double(), h_prev.double(), torch.zeros_like(p["b_iz"])

    def loss(b_iz):
        return F.cross_entropy(gru_step(x, h_prev, dict(p, b_iz=b_iz))[0] @ p["W_hy"].T + p["b_y"], targets)
    for i in range(len(gradient)):
        nudge = torch.zeros_like(gradient)
        nudge[i] = 1e-6
        gradient[i] = (loss(p["b_iz"] + nudge) - loss(p["b_iz"] - nudge)) / 2e-6
    return gradient.float()


def by_autograd(x, h_prev, targets, p):
    """Exercise 2.2's shortcut: let PyTorch differentiate."""
    leaves = {name: value.clone().requires_grad_() for name, value in p.items()}
    F.cross_entropy(gru_step(x, h_prev, leaves)[0] @ leaves["W_hy"].T + leaves["b_y"], targets).backward()
    return leaves["b_iz"].grad


def by_autograd_grad(x, h_prev, targets, p):
    b_iz = p["b_iz"].clone().requires_grad_()
    h, _ = gru_step(x, h_prev, dict(p, b_iz=b_iz))
    return torch.autograd.grad(F.cross_entropy(h @ p["W_hy"].T + p["b_y"], targets), b_iz)[0]


# ---- 03 ------------------------------------------------------------------------------------

class UnsolvedTanhRNN(RecurrentModel):
    def build(self):
        raise NotImplementedError("your code here")


UnsolvedTanhRNN.__name__ = "TanhRNN"


def test_tanh_rnn(capsys):
    notebook = {"RecurrentModel": RecurrentModel}
    rejects(capsys, checkers.check_tanh_rnn, UnsolvedTanhRNN, says="TanhRNN is not written yet")
    linear = variant("03_tanh_rnn", "torch.tanh(", "(", **notebook)["TanhRNN"]
    rejects(capsys, checkers.check_tanh_rnn, linear, says="squash it with tanh")
    forgetful = variant("03_tanh_rnn", "self.hidden_to_hidden(h) + ", "", **notebook)["TanhRNN"]
    rejects(capsys, checkers.check_tanh_rnn, forgetful, says="does not depend on the previous one")
    state_as_output = variant("03_tanh_rnn", "return self.readout(h), h", "return h, h", **notebook)["TanhRNN"]
    rejects(capsys, checkers.check_tanh_rnn, state_as_output, says="step's output: shape (4, 8), expected (4, 1)")
    blind = variant("03_tanh_rnn", " + self.input_to_hidden(x_t)", "", **notebook)["TanhRNN"]
    rejects(capsys, checkers.check_tanh_rnn, blind, says="does not depend on the input x_t")
    twice = variant("03_tanh_rnn", "h = torch.tanh(self.hidden_to_hidden(h) + self.input_to_hidden(x_t))",
                    "h = torch.tanh(self.hidden_to_hidden(h) + torch.tanh(self.input_to_hidden(x_t)))",
                    **notebook)["TanhRNN"]
    rejects(capsys, checkers.check_tanh_rnn, twice, says="one tanh around the sum")
    rejects(capsys, checkers.check_tanh_rnn, OldStateReadout, says="linear read-out of the new state")
    rejects(capsys, checkers.check_tanh_rnn, BuiltInTanhRNN, says="uses PyTorch's own RNNCell")
    accepts(capsys, checkers.check_tanh_rnn, load("03_tanh_rnn", **notebook)["TanhRNN"])


class OldStateReadout(RecurrentModel):
    """A plausible mistake: the output is read off the previous state, not the new one."""

    def build(self):
        self.input_to_hidden = nn.Linear(self.input_size, self.hidden_size)
        self.hidden_to_hidden = nn.Linear(self.hidden_size, self.hidden_size)
        self.readout = nn.Linear(self.hidden_size, self.output_size)

    def step(self, x_t, h):
        new_h = torch.tanh(self.hidden_to_hidden(h) + self.input_to_hidden(x_t))
        return self.readout(h), new_h


class BuiltInTanhRNN(RecurrentModel):
    """The shortcut: PyTorch's own tanh cell in place of the hand-written step."""

    def build(self):
        self.cell = nn.RNNCell(self.input_size, self.hidden_size)
        self.readout = nn.Linear(self.hidden_size, self.output_size)

    def step(self, x_t, h):
        h = self.cell(x_t, h)
        return self.readout(h), h


notebook_03 = course.definitions("03", "sinusoids", "LinearRecurrence", "free_running_matrix")
sinusoids, LinearRecurrence = notebook_03["sinusoids"], notebook_03["LinearRecurrence"]

# The weights the reference's 30 epochs reach (seed 0, on a CPU), rounded to 5 decimals.
TRAINED_WEIGHTS = {
    2: {"input_to_hidden.weight": [[-0.55656], [1.12897]],
        "hidden_to_hidden.weight": [[0.22106, -0.59366], [0.94358, -0.6388]],
        "readout.weight": [[-0.577, 1.17652]]},
    4: {"input_to_hidden.weight": [[0.00973], [0.92656], [-0.95573], [-0.03587]],
        "hidden_to_hidden.weight": [[0.71483, -0.16087, 0.54262, -0.33135], [0.03291, -0.0767, 0.66072, 0.44925],
                                    [-0.94052, 0.30626, 0.20547, -0.09065], [0.13903, -0.29887, 0.05825, 1.07918]],
        "readout.weight": [[-0.06543, 0.8671, -0.43421, -0.23639]]},
}


class TrainedLinearRecurrence(LinearRecurrence):
    """Stands in for the 30 epochs (half a minute): `fit` loads the weights they reach."""

    def fit(self, *args, **kwargs):
        self.load_state_dict({name: torch.tensor(value) for name, value in TRAINED_WEIGHTS[self.hidden_size].items()})


def test_two_frequencies(capsys):
    reference = load("03_two_frequencies", math=math, sinusoids=sinusoids, DataLoader=DataLoader,
                     TensorDataset=TensorDataset, LinearRecurrence=TrainedLinearRecurrence,
                     train_model=lambda model, *batches: model.fit(),
                     free_running_matrix=notebook_03["free_running_matrix"])
    models, mse = reference["mixed_models"], reference["mixed_mse"]
    rejects(capsys, checkers.check_two_frequencies, {}, {}, sinusoids, says="not answered yet")
    rejects(capsys, checkers.check_two_frequencies, {2: mse[4], 4: mse[2]}, models, sinusoids,
            says="measure it that way")
    rejects(capsys, checkers.check_two_frequencies, {2: 1.0, 4: 0.001}, models, sinusoids,   # typed, not measured
            says="mixed_mse[4] is 0.001, but")
    seed_everything(0)
    untrained = {2: models[2], 4: LinearRecurrence(1, 4, 1)}
    untrained_mse = {2: mse[2], 4: checkers.free_running_mse(untrained[4], *sinusoids(200, 150, periods=(20.0, 7.0))[::2])}
    rejects(capsys, checkers.check_two_frequencies, untrained_mse, untrained, sinusoids,
            says="4 units keep both waves going")
    rejects(capsys, checkers.check_two_frequencies, mse, {4: models[4]}, sinusoids, says="mixed_models has no entry for 2")
    accepts(capsys, checkers.check_two_frequencies, mse, models, sinusoids)


# ---- 04 ------------------------------------------------------------------------------------

notebook_04 = course.definitions("04", "SymbolSequences", "held_out", "as_numbers", "training_set", "token_accuracy",
                                 device=CPU)
SymbolSequences, held_out, as_numbers, training_set, token_accuracy = (
    notebook_04[name] for name in ("SymbolSequences", "held_out", "as_numbers", "training_set", "token_accuracy"))


def test_no_training_set_holds_a_test_sequence():
    for n_symbols in (3, 8):
        test = as_numbers(held_out(n_symbols=n_symbols).ids, n_symbols)
        drawn = training_set(20_000, n_symbols=n_symbols, reverse=True)
        assert len(drawn) == 20_000 and torch.equal(drawn.targets, drawn.ids.flip(1))
        assert not torch.isin(as_numbers(drawn.ids, n_symbols), test).any()


class Oracle(nn.Module):
    """Stands in for a trained encoder-decoder: its scores are its one-hot input, rearranged."""

    def __init__(self, rearrange=lambda x: x):
        super().__init__()
        self.rearrange = rearrange
        self.unused = nn.Parameter(torch.zeros(1))

    def forward(self, x):          # (B, T, V) -> (B, T, V)
        return self.rearrange(x) + 0 * self.unused


def no_training(*args, **kwargs):
    """Stands in for the notebook's training loops, which take minutes."""


def falling_losses(rate):
    """Stands in for `train`: a loss curve from ln 3 down, falling by `rate` a batch, 600 batches long."""
    return lambda model, data, batches=600, **settings: [math.log(3) * (1 - rate) ** i for i in range(batches)]


def test_reverse(capsys):
    reversed_test = held_out(reverse=True)
    copy_losses = falling_losses(0.01)(None, None)
    reference = load("04_reverse", EncoderDecoder=lambda n_symbols, hidden_size: Oracle(lambda x: x.flip(1)),
                     train=falling_losses(0.02), training_set=training_set, held_out=held_out,
                     token_accuracy=token_accuracy, losses=copy_losses, plt=plt)
    plt.close("all")
    model, accuracy, losses, learned = (reference[name] for name in
                                        ("reverse_model", "reverse_accuracy", "reverse_losses", "batches_to_learn"))
    rejects(capsys, checkers.check_reverse, None, None, [], {}, copy_losses, reversed_test, says="not answered yet")
    copier = Oracle()
    rejects(capsys, checkers.check_reverse, copier, 1.0, losses, learned, copy_losses, reversed_test,
            says="but reverse_model gets")
    rejects(capsys, checkers.check_reverse, copier, token_accuracy(copier, reversed_test), losses, learned,
            copy_losses, reversed_test, says="it gets over 99 %")
    rejects(capsys, checkers.check_reverse, model, 100.0, losses, learned, copy_losses, reversed_test,
            says="as a fraction between 0 and 1")
    rejects(capsys, checkers.check_reverse, model, accuracy, losses[:200], learned, copy_losses, reversed_test,
            says="train for the same budget")
    rejects(capsys, checkers.check_reverse, model, accuracy, [0.0] * 600, learned, copy_losses, reversed_test,
            says="should start near ln 3")
    rejects(capsys, checkers.check_reverse, model, accuracy, losses, {"copy": 300, "reverse": 150}, copy_losses,
            reversed_test, says="batches_to_learn['copy'] is 300, but")
    rejects(capsys, checkers.check_reverse, model, accuracy, losses, {"copy": learned["copy"]}, copy_losses,
            reversed_test, says="has no entry for 'reverse'")
    accepts(capsys, checkers.check_reverse, model, accuracy, losses, learned, copy_losses, reversed_test)


class PartialCopier(Oracle):
    """Stands in for a trained encoder-decoder: copies the first `COPIED[n_symbols, hidden_size]`
    symbols and answers symbol 0 after them."""

    def __init__(self, n_symbols, hidden_size, copied=None):
        kept = (copied or COPIED)[n_symbols, hidden_size]
        super().__init__(lambda x: torch.cat([x[:, :kept], one_hot(torch.zeros_like(x[:, kept:, 0]).long(),
                                                                     x.shape[2])], dim=1))


COPIED = {(3, 16): 2, (3, 32): 5, (3, 64): 10, (8, 16): 1, (8, 32): 1, (8, 64): 2}


def test_capacity(capsys):
    reference = load("04_alphabet_and_hidden", EncoderDecoder=PartialCopier, train=no_training,
                     training_set=lambda *args, **kwargs: None, held_out=held_out, token_accuracy=token_accuracy)
    capacity, models = reference["capacity"], reference["capacity_models"]
    rejects(capsys, checkers.check_capacity, {}, {}, held_out, says="not answered yet")
    rejects(capsys, checkers.check_capacity, {(hidden, n): a for (n, hidden), a in capacity.items()}, models,
            held_out, says="capacity has no entry for (3, 16)")
    rejects(capsys, checkers.check_capacity, {pair: 100 * a for pair, a in capacity.items()}, models, held_out,
            says="fraction")
    rejects(capsys, checkers.check_capacity, dict.fromkeys(capacity, 0.999), models, held_out,   # typed, not measured
            says="but its model copies")
    small_state_wins = {pair: PartialCopier(*pair, copied={**COPIED, (3, 64): 2}) for pair in COPIED}
    measured = {pair: token_accuracy(model, held_out(n_symbols=pair[0])) for pair, model in small_state_wins.items()}
    rejects(capsys, checkers.check_capacity, measured, small_state_wins, held_out, says="a bigger state should hold")
    accepts(capsys, checkers.check_capacity, capacity, models, held_out)


def test_other_lengths(capsys):
    model = Oracle(lambda x: x if x.shape[1] == 10 else x.roll(1, dims=1))  # copies length 10 only
    reference = load("04_other_lengths", model=model, held_out=held_out, token_accuracy=token_accuracy, plt=plt)
    plt.close("all")
    rejects(capsys, checkers.check_other_lengths, {}, model, held_out, says="not answered yet")
    always_ten = {length: token_accuracy(model, held_out()) for length in range(2, 21)}
    rejects(capsys, checkers.check_other_lengths, always_ten, model, held_out, says="use held_out(length=2)")
    rejects(capsys, checkers.check_other_lengths, {n: 0.5 for n in range(1, 20)}, model, held_out,
            says="has no entry for 20")
    typed_at_eleven = {**reference["accuracy_by_length"], 11: 0.2}       # measured at 2, 10 and 20 only
    rejects(capsys, checkers.check_other_lengths, typed_at_eleven, model, held_out, says="held_out(length=11)")
    accepts(capsys, checkers.check_other_lengths, reference["accuracy_by_length"], model, held_out)


# ---- 05 ------------------------------------------------------------------------------------

notebook_05 = course.definitions("05", "reverse_each", "MaskedEncoderDecoder", "WithoutOneFix")
MaskedEncoderDecoder = notebook_05["MaskedEncoderDecoder"]


def test_encode_packed(capsys):
    torch.manual_seed(0)
    model = MaskedEncoderDecoder(4, 6)
    sequences = PaddedSequences(8, generator=torch.Generator().manual_seed(0))
    arguments = (model, sequences.ids, sequences.lengths)
    notebook = {"one_hot": one_hot, "reverse_each": reverse_each, "pack_padded_sequence": pack_padded_sequence}
    rejects(capsys, checkers.check_encode_packed, stub("encode_packed"), *arguments, says="not written yet")
    natural_order = variant("05_pack_padded", "reverse_each(ids, lengths)", "ids", **notebook)["encode_packed"]
    rejects(capsys, checkers.check_encode_packed, natural_order, *arguments, says="wrong values")
    after_padding = lambda model, ids, lengths: model.encoder(one_hot(reverse_each(ids, lengths), 4))[1]  # noqa: E731
    rejects(capsys, checkers.check_encode_packed, after_padding, *arguments, says="PackedSequence")
    by_indexing = lambda model, ids, lengths: model.encode(ids, lengths)  # noqa: E731
    rejects(capsys, checkers.check_encode_packed, by_indexing, *arguments, says="PackedSequence")

    def packed_once_then_indexing(model, ids, lengths):
        model.encoder(pack_padded_sequence(one_hot(reverse_each(ids, lengths), 4), lengths, batch_first=True,
                                           enforce_sorted=False))
        return model.encode(ids, lengths)
    rejects(capsys, checkers.check_encode_packed, packed_once_then_indexing, *arguments, says="plain tensor")
    accepts(capsys, checkers.check_encode_packed, load("05_pack_padded", **notebook)["encode_packed"], *arguments)


def test_natural_order_longer(capsys):
    fresh = PaddedSequences(64, generator=torch.Generator().manual_seed(1234))
    notebook = course.definitions("05", "reverse_each", "masked_cross_entropy", "masked_accuracy", "MaskedEncoderDecoder",
                                  "train_masked", "evaluate", "WithoutOneFix", BATCHES=2, WIDTH=15, device=CPU,
                                  fresh=fresh, fresh_mask=torch.arange(15) < fresh.lengths[:, None])
    train_data = PaddedSequences(6 * 64, generator=torch.Generator().manual_seed(0))
    seed_everything(0)                                  # the ablation's natural-order model, 2 batches
    usual = notebook["WithoutOneFix"](4, 128, "reversed reading")
    ablation_losses = {("reversed reading", 0): notebook["train_masked"](usual, train_data, without="reversed reading")}
    results = {(None, 0): (0.9975, 0.994), ("reversed reading", 0): notebook["evaluate"](usual)[:2]}
    given = {**notebook, "train_data": train_data, "seed_everything": seed_everything,
             "other_data": PaddedSequences(6 * 64, generator=torch.Generator().manual_seed(5))}
    arguments = (fresh, results, ablation_losses)

    def answer(old=None, new=None):
        namespace = variant("05_natural_order_longer", old, new, **given) if old else load("05_natural_order_longer", **given)
        return namespace["natural_order"], namespace["natural_order_losses"], namespace["natural_order_longer"]

    rejects(capsys, checkers.check_natural_order_longer, None, None, None, *arguments, says="not answered yet")
    reference = answer()
    accepts(capsys, checkers.check_natural_order_longer, *reference, *arguments)
    rejects(capsys, checkers.check_natural_order_longer, *answer('"reversed reading").to', "None).to"), *arguments,
            says="nothing else")
    rejects(capsys, checkers.check_natural_order_longer, *answer("batches=3 * BATCHES", "batches=BATCHES"),
            *arguments, says="for 6 batches")
    rejects(capsys, checkers.check_natural_order_longer, *answer("seed_everything(0)", "seed_everything(1)"),
            *arguments, says="seed_everything(0)")
    rejects(capsys, checkers.check_natural_order_longer, *answer("natural_order, train_data", "natural_order, other_data"),
            *arguments, says="train it on train_data")
    model, losses, scores = reference
    rejects(capsys, checkers.check_natural_order_longer, model, losses, results["reversed reading", 0], *arguments,
            says="score it with evaluate(natural_order)")
    rejects(capsys, checkers.check_natural_order_longer, model, losses, (44.1, 99.9), *arguments, says="fraction")


# ---- 06 ------------------------------------------------------------------------------------

class AnsweringSeq2Seq(Seq2Seq):
    """Stands in for a trained adder: it works out the answer to the columns it reads and writes
    it through its read-out (an identity), so that a changed read-out changes what it writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readout = nn.Linear(self.output_symbols, self.output_symbols)
        with torch.no_grad():
            self.readout.weight.copy_(torch.eye(self.output_symbols))
            self.readout.bias.zero_()

    def generate(self, ids, lengths, steps):    # (B, 4) columns -> (B, steps) answer symbols
        place_values = 10 ** torch.arange(3, -1, -1)
        a, b = ((ids - 1) // 10 * place_values).sum(1), ((ids - 1) % 10 * place_values).sum(1)
        answers = as_columns(a, b)[1][:, :steps]
        return self.readout(one_hot(answers, self.output_symbols)).argmax(-1)


def test_reading_order(capsys):
    operands = torch.randint(100, 10_000, (2, 2000), generator=torch.Generator().manual_seed(9))
    test_columns, test_answers = as_columns(*operands)
    test_answer_lengths = torch.tensor([len(str(total)) for total in operands.sum(0).tolist()])
    exact_match = lambda predictions, answers: (predictions == answers).all(dim=1).float().mean().item()  # noqa: E731

    def train_column_rnn(batches=1000, reverse_input=False):      # the notebook's, without training
        model = AnsweringSeq2Seq(101, 11, hidden_size=8, reverse_input=reverse_input)
        if batches < 1000:                                       # still learning: writes every 9 as an 8
            with torch.no_grad():
                model.readout.weight[:, 10] = F.one_hot(torch.tensor(9), 11).float()
        predictions = model.generate(test_columns, torch.full((len(test_columns),), 4), 6)
        model.trained_batches = batches
        return model, 0.0, exact_match(predictions, test_answers), predictions

    def column_accuracy_by_place(predictions):                   # the notebook's
        return [(predictions[:, place] == test_answers[:, place])[test_answer_lengths > place].float().mean().item()
                for place in range(5)]

    early_rnn, _, early_exact, early_predictions = train_column_rnn(batches=300)   # reads thousands first
    reference = load("06_reading_order", train_column_rnn=train_column_rnn, test_answers=test_answers,
                     column_accuracy_by_place=column_accuracy_by_place, early_exact=early_exact,
                     early_by_place=column_accuracy_by_place(early_predictions),
                     places=["units", "tens", "hundreds", "thousands", "ten thousands"])
    arguments = (early_rnn, test_columns, test_answers)
    rejects(capsys, checkers.check_reading_order, None, None, *arguments, says="not answered yet")
    thousands_first = train_column_rnn(batches=300)[0]
    rejects(capsys, checkers.check_reading_order, thousands_first, early_exact, *arguments, says="reverse_input=True")
    rejects(capsys, checkers.check_reading_order, reference["units_first"], 0.9, *arguments,
            says=f"but units_first answers {reference['units_first_exact']:.2%}")
    switched = copy.deepcopy(early_rnn)
    switched.reverse_input = True                       # the trained model, its reading order flipped
    rejects(capsys, checkers.check_reading_order, switched, early_exact, *arguments, says="has early_rnn's weights")
    gru = AnsweringSeq2Seq(101, 11, hidden_size=8, cell="GRU", reverse_input=True)
    rejects(capsys, checkers.check_reading_order, gru, 1.0, *arguments,
            says="units_first is a GRU of 8 units reading 101 symbols, early_rnn a RNN of 8 units")
    torch.manual_seed(0)
    untrained = Seq2Seq(101, 11, hidden_size=8, reverse_input=True)
    rejects(capsys, checkers.check_reading_order, untrained, 0.0, *arguments, says="five digits and then a stop")
    rejects(capsys, checkers.check_reading_order, *train_column_rnn(reverse_input=True)[::2], *arguments,
            says="trained for 1000 batches, early_rnn for 300")  # the full 1,000 batches
    unknown = copy.deepcopy(reference["units_first"])
    del unknown.trained_batches                                  # trained some other way
    rejects(capsys, checkers.check_reading_order, unknown, reference["units_first_exact"], *arguments,
            says="an unknown number of batches")
    assert 0.2 < reference["units_first_exact"] < 0.9
    accepts(capsys, checkers.check_reading_order, reference["units_first"], reference["units_first_exact"], *arguments)


def test_add(capsys):
    model = AnsweringSeq2Seq(101, 11, hidden_size=8, cell="LSTM", num_layers=2, reverse_input=False)
    rejects(capsys, checkers.check_add, stub("add"), model, says="add is not written yet")
    rejects(capsys, checkers.check_add, lambda model, a, b: a + b, model, says="not the true sum")
    rejects(capsys, checkers.check_add, lambda model, a, b: torch.tensor(a + b), model, says="expected an int")
    most_significant_first = variant("06_add", "10 ** place", "10 ** (4 - place)", as_columns=as_columns)["add"]
    rejects(capsys, checkers.check_add, most_significant_first, model,
            says="asked the model, add gave 82750 for 4821+907, but that model writes 5728")
    accepts(capsys, checkers.check_add, load("06_add", as_columns=as_columns)["add"], model)


# ---- 07 ------------------------------------------------------------------------------------

notebook_07 = course.definitions("07", "TAO_CHARS", "SUM_PATTERN", "sensei", "tao_generate", device=CPU)
TAO_CHARS, sensei, tao_generate = (notebook_07[name] for name in ("TAO_CHARS", "sensei", "tao_generate"))


class PerfectTao(nn.Module):
    """Stands in for the trained Tao, who answers every sum: its state is what it has still to
    write, and its read-out (an identity) turns the next character into scores."""

    def __init__(self):
        super().__init__()
        self.readout = nn.Linear(len(TAO_CHARS), len(TAO_CHARS))
        with torch.no_grad():
            self.readout.weight.copy_(torch.eye(len(TAO_CHARS)))
            self.readout.bias.zero_()

    def forward(self, ids, h=None):             # (1, T) -> (1, 1, V), the characters left to write
        if h is None:
            question = "".join(TAO_CHARS[i] for i in ids[0].tolist())
            h = [TAO_CHARS.index(char) for char in sensei(question)]
        else:
            h = h[1:] if len(h) > 1 else h
        return self.readout(one_hot(torch.tensor([[h[0]]]), len(TAO_CHARS))), h


def test_report_card(capsys):
    tao = PerfectTao()
    arguments = (tao, tao_generate, sensei)
    reference = load("07_tao_report", tao=tao, tao_runs={("random every batch", 0): (PerfectTao(), [])},
                     tao_generate=tao_generate, sensei=sensei)
    rejects(capsys, checkers.check_report_card, stub("report_card"), *arguments, says="not written yet")
    every_sum = variant("07_tao_report", "if answer != sensei(question)[:-1]", "", tao_generate=tao_generate,
                        sensei=sensei, tao=tao, tao_runs={("random every batch", 0): (tao, [])})["report_card"]
    rejects(capsys, checkers.check_report_card, every_sum, *arguments,
            says="for Tao your report lists 100 mistakes, expected 0")
    rejects(capsys, checkers.check_report_card, lambda model: [], *arguments,
            says="expected 100: it leaves out ('0+0=', '1')")
    with_full_stop = variant("07_tao_report", "sensei(question)[:-1]", "sensei(question)", tao_generate=tao_generate,
                             sensei=sensei, tao=tao, tao_runs={("random every batch", 0): (tao, [])})["report_card"]
    rejects(capsys, checkers.check_report_card, with_full_stop, *arguments,
            says="is not one of its mistakes: sensei's answer ends with '.', tao_generate's does not")
    wrong_sums = lambda model: [("3+4=", "8")]  # noqa: E731
    line = verdict(capsys, checkers.check_report_card, wrong_sums, *arguments)
    assert line.startswith("✗") and "('3+4=', '8') is not one of its mistakes" in line and "ends with '.'" not in line, line
    accepts(capsys, checkers.check_report_card, reference["report_card"], *arguments)


def test_answer_odds(capsys):
    tao = PerfectTao()
    arguments = (tao, TAO_CHARS)
    reference = load("07_answer_odds", tao=tao, TAO_CHARS=TAO_CHARS)["answer_odds"]
    rejects(capsys, checkers.check_answer_odds, stub("answer_odds"), *arguments, says="not written yet")
    at_temperature_1 = variant("07_answer_odds", "scores[0, -1] / temperature", "scores[0, -1]", tao=tao,
                               TAO_CHARS=TAO_CHARS)["answer_odds"]
    rejects(capsys, checkers.check_answer_odds, at_temperature_1, *arguments,
            says="gives the probabilities at temperature 1: divide the scores by the temperature")
    times_temperature = variant("07_answer_odds", "/ temperature", "* temperature", tao=tao,
                                TAO_CHARS=TAO_CHARS)["answer_odds"]
    rejects(capsys, checkers.check_answer_odds, times_temperature, *arguments,
            says="for Tao, answer_odds(model, '7+8=', 0.5) gives '1' the probability")
    scores = variant("07_answer_odds", "torch.softmax(scores[0, -1] / temperature, dim=-1)",
                     "(scores[0, -1] / temperature)", tao=tao, TAO_CHARS=TAO_CHARS)["answer_odds"]
    rejects(capsys, checkers.check_answer_odds, scores, *arguments, says="sums to 2.000, not 1")
    always_tao = lambda model, question, temperature: reference(tao, question, temperature)  # noqa: E731
    rejects(capsys, checkers.check_answer_odds, always_tao, *arguments,
            says="for a copy of Tao that writes every digit one higher, answer_odds(model, '7+8=', 0.5)")
    accepts(capsys, checkers.check_answer_odds, reference, *arguments)


# ---- 08 ------------------------------------------------------------------------------------

notebook_08 = course.definitions("08", "count_followers", "counted_next")
count_followers, counted_next = notebook_08["count_followers"], notebook_08["counted_next"]


def test_backoff(capsys):
    order_counts = [count_followers(course_lib.corpus.python_docs_text()[:20_000], k) for k in range(5)]
    notebook = {"order_counts": order_counts, "counted_next": counted_next}
    rejects(capsys, checkers.check_backoff, stub("backoff_next"), order_counts, says="backoff_next is not written yet")
    rejects(capsys, checkers.check_backoff, lambda context, rng: counted_next(order_counts[4], context[-4:], rng),
            order_counts, says="raised KeyError")
    rejects(capsys, checkers.check_backoff, lambda context, rng: counted_next(order_counts[0], "", rng), order_counts,
            says="was always followed by")
    longest_or_nothing = variant("08_backoff", "range(min(4, len(context)), -1, -1)", "(min(4, len(context)), 0)",
                                 **notebook)["backoff_next"]
    rejects(capsys, checkers.check_backoff, longest_or_nothing, order_counts, says="was always followed by")
    accepts(capsys, checkers.check_backoff, load("08_backoff", **notebook)["backoff_next"], order_counts)


def test_sample_next(capsys):
    rejects(capsys, checkers.check_sample_next, stub("sample_next"), says="sample_next is not written yet")
    times = variant("08_sample_next", "scores / temperature", "scores * temperature")["sample_next"]
    rejects(capsys, checkers.check_sample_next, times, says="softmax(scores / 0.5) gives it 87%")
    global_generator = variant("08_sample_next", ", generator=generator", "")["sample_next"]
    rejects(capsys, checkers.check_sample_next, global_generator, says="the same generator seed gives other draws")
    tensor = variant("08_sample_next", "return int(scores.argmax())", "return scores.argmax()")["sample_next"]
    rejects(capsys, checkers.check_sample_next, tensor, says="expected 1 (an int)")
    rejects(capsys, checkers.check_sample_next, course_lib.sampling.sample_next, says="the course's own")
    import course_lib.sampling as sampling                                 # reached under another name too
    rejects(capsys, checkers.check_sample_next, lambda *args: sampling.sample_next(*args), says="the course's own")
    accepts(capsys, checkers.check_sample_next, load("08_sample_next")["sample_next"])
    assert course_lib.sampling.sample_next(torch.tensor([0.0, 2.0]), 0) == 1   # and afterwards it works again


# Held-out bits per character of notebook 08's Markov orders on the Python help topics.
PROSE_BITS = {1: 3.345, 2: 2.47, 3: 2.026, 4: 1.905, 5: 1.932, 6: 2.0, 7: 2.076, 8: 2.156}


def test_code_orders(capsys, monkeypatch):
    monkeypatch.setattr(course_lib.corpus, "python_source_text", lambda characters: python_source_text(20_000))
    notebook = dict(split_text=split_text, MarkovModel=MarkovModel, best_order=4, markov_bits=PROSE_BITS)
    reference = load("08_code_orders", **notebook)
    code_bits = reference["code_bits"]
    rejects(capsys, checkers.check_code_orders, None, {}, PROSE_BITS, says="not answered yet")
    worst = max(code_bits, key=code_bits.get)
    rejects(capsys, checkers.check_code_orders, worst, code_bits, PROSE_BITS,
            says=f"best_code_order is {worst}, but the fewest bits in code_bits are at order")
    rejects(capsys, checkers.check_code_orders, 4, PROSE_BITS, PROSE_BITS, says="holds the prose figures")
    on_training_text = {order: 3.0 / order for order in range(1, 9)}
    rejects(capsys, checkers.check_code_orders, 8, on_training_text, PROSE_BITS, says="did you score the training part?")
    other_split = variant("08_code_orders", "split_text(code)", "split_text(code, held_out=0.2)", **notebook)
    rejects(capsys, checkers.check_code_orders, other_split["best_code_order"], other_split["code_bits"], PROSE_BITS,
            says="bits/char on the last 10 %")
    accepts(capsys, checkers.check_code_orders, reference["best_code_order"], code_bits, PROSE_BITS)
    # the outcome is the student's to discuss: code scoring worse than prose is accepted too
    accepts(capsys, checkers.check_code_orders, reference["best_code_order"], code_bits, dict.fromkeys(PROSE_BITS, 0.5))


# ---- 09 ------------------------------------------------------------------------------------

def test_forget_bias(capsys):
    lstm_step = course.code_cells("09", "def lstm_step")["lstm_step"]
    rejects(capsys, checkers.check_forget_bias, stub("forget_bias_for"), lstm_step, says="not written yet")
    usual_recipe = variant("09_forget_bias", "return math.log(forget / (1 - forget))", "return 1.0", math=math)
    rejects(capsys, checkers.check_forget_bias, usual_recipe["forget_bias_for"], lstm_step, says="less than 0.9")
    no_sigmoid = variant("09_forget_bias", "return math.log(forget / (1 - forget))", "return forget", math=math)
    rejects(capsys, checkers.check_forget_bias, no_sigmoid["forget_bias_for"], lstm_step, says="sigmoid(bias)")
    rejects(capsys, checkers.check_forget_bias, lambda steps, keep: 20.0, lstm_step, says="a smaller bias would do")
    accepts(capsys, checkers.check_forget_bias, load("09_forget_bias", math=math)["forget_bias_for"], lstm_step)
    as_tensor = lambda steps, keep: torch.logit(torch.tensor(keep ** (1 / steps), dtype=torch.float64))  # noqa: E731
    accepts(capsys, checkers.check_forget_bias, as_tensor, lstm_step)


def test_gru_keep_gate(capsys):
    defined = course.code_cells("09", "class Recaller", "probe = recall_batch")
    notebook = {name: defined[name] for name in ("Recaller", "gradient_by_distance", "probe", "at_init", "shrink",
                                                 "seed_everything", "with_gate_bias")}
    default = notebook["at_init"]["GRU"]
    arguments = (default, notebook["Recaller"], notebook["gradient_by_distance"], notebook["probe"])
    reference = load("09_gru_keep_gate", **notebook)
    norms = reference["gru_norms"]
    check = checkers.check_gru_keep_gate
    rejects(capsys, check, None, None, *arguments, says="not answered yet")
    rejects(capsys, check, {"z": norms["z"]}, "z", *arguments, says="the keys 'r' and 'z'")
    rejects(capsys, check, {"r": norms["r"], "z": norms["z"][:50]}, "z", *arguments, says="shape")
    rejects(capsys, check, {"r": default, "z": norms["z"]}, "z", *arguments, says="default GRU")
    copied_block = variant("09_gru_keep_gate", '(("r", 0), ("z", 1))', '(("r", 1), ("z", 1))', **notebook)
    rejects(capsys, check, copied_block["gru_norms"], "z", *arguments, says="r is block 0")
    swapped = {"r": norms["z"], "z": norms["r"]}
    rejects(capsys, check, swapped, "r", *arguments, says="stacks the GRU's gates r, z, n")
    stronger = variant("09_gru_keep_gate", "bias=1.0", "bias=2.0", **notebook)
    rejects(capsys, check, stronger["gru_norms"], "z", *arguments, says="differ")
    rejects(capsys, check, norms, None, *arguments, says="set keeping_gate")
    rejects(capsys, check, norms, "r", *arguments, says="which of the two keeps the gradient better")
    assert reference["keeping_gate"] == "z"
    accepts(capsys, check, norms, reference["keeping_gate"], *arguments)
    accepts(capsys, check, {gate: value.numpy() for gate, value in norms.items()}, "z", *arguments)


# ---- 10 ------------------------------------------------------------------------------------

def test_depth_profile(capsys):
    depth = np.array([0, 0, 1, 1, 2, 2, 3, 3, 0, 1], dtype=float)
    bracket_cell = np.array([0.9, 0.7, 0.2, 0.4, -0.3, -0.1, -0.8, -0.6, 0.8, 0.3])
    FEATURES = ("inside a string", "bracket depth", "position in line", "indentation")
    notebook = {"features": np.stack([np.zeros(10), depth, np.zeros(10), np.zeros(10)], axis=1),
                "cells": bracket_cell[:, None], "best_cell": {"bracket depth": 0}, "FEATURES": FEATURES,
                "second": slice(None)}
    rejects(capsys, checkers.check_depth_profile, None, bracket_cell, depth, says="not answered yet")
    rejects(capsys, checkers.check_depth_profile, [0.8, 0.3], bracket_cell, depth, says="3 numbers")
    overall_mean = variant("10_depth_profile", "bracket_cell[depth == level].mean()", "bracket_cell.mean()", **notebook)
    rejects(capsys, checkers.check_depth_profile, overall_mean["depth_profile"], bracket_cell, depth, says="expected")
    reference = load("10_depth_profile", **notebook)["depth_profile"]
    rejects(capsys, checkers.check_depth_profile, reference[::-1], bracket_cell, depth, says="reverse order")
    accepts(capsys, checkers.check_depth_profile, reference, bracket_cell, depth)
    accepts(capsys, checkers.check_depth_profile, torch.tensor(reference), bracket_cell, depth)


def test_inside_comment(capsys):
    text_features = course.code_cells("10", "def text_features")["text_features"]
    correlations = course.code_cells("10", "def correlations")["correlations"]
    sample = "def f(x):  # a comment\n    return '#' + x  # another\n" * 20
    first, second = slice(0, len(sample) // 2), slice(len(sample) // 2, None)
    comments = load("10_inside_comment", text_features=text_features, sample=sample, correlations=correlations,  # (T,)
                    cells=np.zeros((len(sample), 1)), first=first, second=second)["comments"]
    rng = np.random.default_rng(0)
    cells = rng.normal(size=(len(sample), 8))                     # cells 2, 5, 7 follow the comments:
    cells[first, 2] += 3 * comments[first]                        # closely on the first half only
    cells[second, 5] += 3 * comments[second]                      # closely on the second half only
    cells[:, 7] += 1.5 * comments                                 # less closely, on both
    untrained_cells = rng.normal(size=(len(sample), 8))
    notebook = {"text_features": text_features, "sample": sample, "cells": cells, "first": first, "second": second,
                "correlations": correlations}
    check = checkers.check_inside_comment

    def answer(namespace, string_cell=0):
        return (namespace["inside_comment"], namespace["comment_cell"], sample, cells, untrained_cells, first, second,
                string_cell, correlations)

    reference = load("10_inside_comment", **notebook)
    rejects(capsys, check, *answer({**reference, "inside_comment": stub("inside_comment")}), says="not written yet")
    hash_anywhere = variant("10_inside_comment", 'char == "#" and not string', 'char == "#"', **notebook)
    rejects(capsys, check, *answer(hash_anywhere), says="expected")
    newline_inside = variant("10_inside_comment", "        if char == \"\\n\":\n            comment = False\n        elif",
                             "        if", **notebook)
    rejects(capsys, check, *answer(newline_inside), says="expected")
    rejects(capsys, check, *answer({**reference, "inside_comment": lambda text: [0, 1]}), says="shape")
    rejects(capsys, check, *answer({**reference, "comment_cell": None}), says="now store in comment_cell")
    rejects(capsys, check, *answer({**reference, "comment_cell": 2.0}), says="an int")
    on_whole = variant("10_inside_comment", "cells[first], comments[first, None]", "cells, comments[:, None]", **notebook)
    rejects(capsys, check, *answer(on_whole), says="best on the whole sample")
    on_second = variant("10_inside_comment", "cells[first], comments[first, None]", "cells[second], comments[second, None]",
                        **notebook)
    rejects(capsys, check, *answer(on_second), says="best on the second half")
    line = verdict(capsys, check, *answer({**reference, "comment_cell": 0}))
    assert line.startswith("✗") and "another cell has a larger" in line and "cell 2" not in line, line  # names none
    assert reference["comment_cell"] == 2
    assert "it is the string cell" in verdict(capsys, check, *answer(reference, string_cell=2))
    assert "it is not the string cell, 0" in verdict(capsys, check, *answer(reference, string_cell=0))


# ---- 11 ------------------------------------------------------------------------------------

def test_masked_softmax(capsys):
    rejects(capsys, checkers.check_masked_softmax, stub("masked_softmax"), says="not written yet")
    rejects(capsys, checkers.check_masked_softmax, lambda scores, mask: scores.softmax(dim=-1),
            says="a padding position gets a weight")
    rejects(capsys, checkers.check_masked_softmax, lambda scores, mask: (scores * mask).softmax(dim=-1),
            says="a padding position gets a weight")                     # a score of 0 is not "no weight"
    rejects(capsys, checkers.check_masked_softmax, lambda scores, mask: scores.softmax(dim=-1) * mask,
            says="sum to")                                               # masked after the softmax
    rejects(capsys, checkers.check_masked_softmax,
            lambda scores, mask: scores.masked_fill(~mask, -1e9).softmax(dim=1), says="a padding position")
    rejects(capsys, checkers.check_masked_softmax, lambda scores, mask: scores[..., :3], says="shape")
    from course_lib.attention import masked_softmax as built_by_the_course
    rejects(capsys, checkers.check_masked_softmax, built_by_the_course, says="the course's own")
    rejects(capsys, checkers.check_masked_softmax, lambda scores, mask: built_by_the_course(scores, mask),
            says="the course's own")
    accepts(capsys, checkers.check_masked_softmax, load("11_masked_softmax")["masked_softmax"])


class Looker(nn.Module):
    """Stands in for a trained AttentionSeq2Seq: writes its input, or its input reversed, and puts
    all its weight on the position it writes."""
    attention = True

    def __init__(self, *args, reverse=False, **kwargs):
        super().__init__()
        self.reverse = reverse
        self.unused = nn.Parameter(torch.zeros(1))

    def generate(self, ids, lengths, steps):
        steps_taken = torch.arange(steps)
        position = (lengths[:, None] - 1 - steps_taken) if self.reverse else steps_taken.expand(len(ids), -1)
        looked = one_hot(position.clamp(0, ids.shape[1] - 1), ids.shape[1]) * (steps_taken < lengths[:, None])[:, :, None]
        return (reverse_each(ids, lengths) if self.reverse else ids)[:, :steps], looked


def test_copy_diagonal(capsys):
    names = ("LETTERS", "HIDDEN", "LR", "spelled", "answers_and_looks", "weight_on_matching_position", "heatmap")
    notebook_11 = course.definitions("11", *names, device=CPU)
    copy_fresh = PaddedSequences(200, 8, 5, 15, generator=torch.Generator().manual_seed(6))
    reference = load("11_copy_diagonal", **{name: notebook_11[name] for name in names}, AttentionSeq2Seq=Looker, train_seq2seq=no_training,
                     copy_batches=lambda data: None, masked_cross_entropy=None, copy_data=None,
                     copy_fresh=copy_fresh, plt=plt)
    plt.close("all")
    model, diagonal = reference["copy_model"], reference["copy_diagonal"]
    rejects(capsys, checkers.check_copy_diagonal, None, None, copy_fresh, says="not answered yet")
    without = AttentionSeq2Seq(9, 9, 8, attention=False)
    rejects(capsys, checkers.check_copy_diagonal, without, diagonal, copy_fresh, says="with attention")
    rejects(capsys, checkers.check_copy_diagonal, model, 100 * diagonal, copy_fresh, says="fraction")
    reverser = Looker(reverse=True)
    rejects(capsys, checkers.check_copy_diagonal, reverser, diagonal, copy_fresh, says="copying, not reversing")
    anti_diagonal = notebook_11["weight_on_matching_position"](model.generate(
        copy_fresh.ids, copy_fresh.lengths, copy_fresh.ids.shape[1])[1], copy_fresh, reverse=True)
    line = verdict(capsys, checkers.check_copy_diagonal, model, anti_diagonal, copy_fresh)
    assert line.startswith("✗") and "but copy_model puts more" in line and f"{diagonal:.3f}" not in line, line
    accepts(capsys, checkers.check_copy_diagonal, model, diagonal, copy_fresh)


# ---- 12 · which language ----------------------------------------------------------------------

def notebook_12_counts():
    """Notebook 12's own split and n-gram counts (runs of 1 to 3 characters, fast to build)."""
    notebook = course.definitions("12", "names", "LANGUAGES", "order", "test_size", "test", "train", "ngrams",
                                  "NgramCounts")
    counts = notebook["NgramCounts"](notebook["train"], 3)
    test = notebook["test"][:400]
    return notebook, counts, test, [counts.predict(name) for _, name in test]


def test_read_the_matrix(capsys):
    languages = ["a", "b", "c", "d"]
    confusion = torch.tensor([[50, 3, 9, 1], [4, 40, 2, 2], [12, 1, 30, 0], [0, 5, 1, 20]])
    reference = load("12_read_the_matrix", confusion=confusion, LANGUAGES=languages)
    accuracy, pair = reference["accuracy_per_language"], reference["most_confused"]
    check = checkers.check_read_the_matrix
    rejects(capsys, check, stub("accuracy_per_language"), stub("most_confused"), confusion, languages,
            says="not written yet")
    typed = accuracy(confusion).clone()                                      # the figures for this matrix, typed in
    rejects(capsys, check, lambda matrix: typed, pair, confusion, languages, says="3 x 3")
    rejects(capsys, check, lambda matrix: matrix.diagonal() / matrix.sum(dim=0), pair, confusion, languages,
            says="column sums")
    rejects(capsys, check, accuracy, lambda matrix: (2, 0), confusion, languages, says="another cell")
    rejects(capsys, check, accuracy, lambda matrix: divmod(int(matrix.argmax()), matrix.shape[1]), confusion,
            languages, says="on the diagonal")
    rejects(capsys, check, accuracy, lambda matrix: "c, a", confusion, languages, says="a pair")
    accepts(capsys, check, accuracy, pair, confusion, languages)
    line = verdict(capsys, check, accuracy, pair, confusion, languages)
    assert "c names called a (12 times)" in line, line


def test_telling_ngram(capsys):
    notebook, counts, test, guesses = notebook_12_counts()
    reference = load("12_telling_ngram", ngrams=notebook["ngrams"], baseline=counts, test=test,
                     baseline_guesses=guesses)
    telling = reference["telling_ngram"]
    check = checkers.check_telling_ngram
    rejects(capsys, check, stub("telling_ngram"), counts, test, guesses, says="not written yet")
    wrong = next(name for (truth, name), said in zip(test, guesses) if said != truth)
    rejects(capsys, check, lambda c, name, said, truth: telling(c, wrong, said, truth), counts, test, guesses,
            says="for '")                                               # one name's answer, typed for every name

    def likeliest_in_said(c, name, said, truth):                           # ignores the true language
        return max(notebook["ngrams"](name, c.n), key=lambda gram: c.log_probability(gram, said))
    rejects(capsys, check, likeliest_in_said, counts, test, guesses, says="another of its n-grams favours it more")

    def least_likely_in_truth(c, name, said, truth):                       # ignores the answer given
        return min(notebook["ngrams"](name, c.n), key=lambda gram: c.log_probability(gram, truth))
    rejects(capsys, check, least_likely_in_truth, counts, test, guesses, says="another of its n-grams favours it more")
    rejects(capsys, check, lambda c, name, said, truth: ["ski$"], counts, test, guesses, says="a string")
    accepts(capsys, check, telling, counts, test, guesses)
