"""The checkers of notebook 01 · sequences and one-hot."""

import torch
from torch import nn

from course_lib.exercises import Unanswered, attempt, mismatch
from course_lib.checkers.common import BUILT_IN_RECURRENCES, Right, called, exercise


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

