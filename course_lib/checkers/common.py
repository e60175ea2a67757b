"""What the checkers share: the decorator that makes a checker, its verdicts, and helpers
that several notebooks' checkers use."""

import contextlib
import copy
import functools
from numbers import Real

import torch
from torch.overrides import TorchFunctionMode

from course_lib.exercises import Unanswered, Verdict, attempt, verdict


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


def used_the_course(answer, name, whose="the course's"):
    """A sentence when `answer` came from calling the course's (or the notebook's) own `name`, else None."""
    if isinstance(answer, Unanswered) and COURSE_FUNCTION in answer.reason:
        return f"it calls {whose} own {name}: write it yourself, with the tensor operations it uses"
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

