"""Exercise support: run a reference solution, and give feedback in plain words.

    solution("01_decode")               # shows solutions/01_decode.py and runs it here
    answer = attempt(decode, x, vocab)  # calls the student's function, never raises
    problem = mismatch(answer, "learned")  # a sentence saying what is wrong, or None
    verdict("decode", problem)          # prints one ✓/✗ line, returns True/False

    with graded():                      # nbgrader's test cells (python course.py nbgrader):
        check_decode(decode)            # the same line, and an AssertionError when it is a ✗
"""
import contextlib
import sys
from pathlib import Path

import numpy as np
import torch

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def solution_path(name):
    path = SOLUTIONS / f"{name}.py"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SOLUTIONS.glob("*.py")))
        raise FileNotFoundError(f"no solution called {name!r}; the solutions are: {known}")
    return path


def solution(name):
    """Show solutions/<name>.py and run it in the caller's namespace (a notebook's globals).

    It does what `%load ../solutions/<name>.py` followed by running the cell does in
    JupyterLab, and also works when the notebook runs headless.
    """
    path = solution_path(name)
    code = path.read_text(encoding="utf-8")
    print(f"# --- {path.name} ---\n{code}")
    namespace = sys._getframe(1).f_globals
    exec(compile(code, str(path), "exec"), namespace)


class Unanswered:
    """What `attempt` returns when the exercise is not done or raised an error."""

    def __init__(self, reason):
        self.reason = reason

    def __repr__(self):
        return f"Unanswered({self.reason!r})"


def attempt(function, *args, **kwargs):
    """Call the student's function; turn 'not done yet' and crashes into an Unanswered."""
    name = getattr(function, "__name__", "your function")
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        return Unanswered(f"{name} is not written yet (it still raises NotImplementedError)")
    except Exception as error:  # any crash becomes a plain-words message
        return Unanswered(f"{name} raised {type(error).__name__}: {error}")


def _describe(value):
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return f"{type(value).__name__} of shape {tuple(value.shape)}"
    return f"{type(value).__name__} {value!r}"


def mismatch(got, expected, atol=1e-6):
    """None when `got` matches `expected`, else a sentence saying how it differs."""
    if isinstance(got, Unanswered):
        return got.reason
    if isinstance(expected, (torch.Tensor, np.ndarray)):
        if not isinstance(got, (torch.Tensor, np.ndarray)):
            return f"expected a tensor of shape {tuple(expected.shape)}, got a {_describe(got)}"
        got_t, expected_t = torch.as_tensor(got), torch.as_tensor(expected)
        if got_t.shape != expected_t.shape:
            return f"shape {tuple(got_t.shape)}, expected {tuple(expected_t.shape)}"
        got_t, expected_t = got_t.detach().cpu().double(), expected_t.detach().cpu().double()
        difference = (got_t - expected_t).abs()
        if not bool((difference <= atol).all()):
            worst = tuple(int(i) for i in np.unravel_index(int(difference.argmax()), difference.shape))
            return (f"wrong values: at index {worst} you have {got_t[worst].item():.6g}, "
                    f"expected {expected_t[worst].item():.6g} "
                    f"({int((difference > atol).sum())} of {difference.numel()} entries differ)")
        return None
    if isinstance(expected, float):
        if not isinstance(got, (int, float)) and not (torch.is_tensor(got) and got.numel() == 1):
            return f"expected a number, got a {_describe(got)}"
        return None if abs(float(got) - expected) <= atol else f"{float(got):.6g}, expected {expected:.6g}"
    if type(got) is not type(expected):
        return f"expected a {type(expected).__name__}, got a {_describe(got)}"
    if got != expected:
        return f"{got!r}, expected {expected!r}"
    return None


_listening = []  # the lists of the `graded` blocks running now: each verdict is appended to them


def verdict(label, problem, praise="correct"):
    """Print '✓ label: praise' when `problem` is None, else '✗ label: problem'; return whether it is right."""
    line = f"✓ {label}: {praise}" if problem is None else f"✗ {label}: {problem}"
    print(line)
    for heard in _listening:
        heard.append(line)
    return problem is None


class Verdict:
    """A checker's result: true when its line was a ✓. A notebook shows it as nothing (the ✓/✗
    line already said it), so a cell may end with the checker's call."""

    def __init__(self, right):
        self.right = bool(right)

    def __bool__(self):
        return self.right

    def __repr__(self):
        return f"Verdict({self.right})"

    def _ipython_display_(self):
        pass


class graded:
    """`with graded(): check_x(...)`: an nbgrader test cell around a checker cell's code.

    The checker prints its ✓/✗ line as it always does; on leaving the block, an AssertionError is
    raised when a line it printed is a ✗, or when no checker printed one. nbgrader scores a test
    cell by that error alone: without it a ✗ would earn the points. What the student's code writes to
    stderr meanwhile (a warning) is shown on stdout instead, since nbgrader gives no points to a test
    cell that wrote to stderr: the cell fails exactly when the checker says ✗. The checkers
    themselves are unchanged; self-study never uses this."""

    def __enter__(self):
        self.lines = []
        _listening.append(self.lines)
        self.stderr = contextlib.redirect_stderr(sys.stdout)
        self.stderr.__enter__()
        return self

    def __exit__(self, kind, error, traceback):
        self.stderr.__exit__(kind, error, traceback)
        _listening.remove(self.lines)
        if kind is not None:
            return False  # the code in the block raised: that error fails the test
        failed = [line for line in self.lines if not line.startswith("✓")]
        if failed or not self.lines:
            raise AssertionError("\n".join(failed) or "no checker printed a ✓/✗ line")
        return False


def shape_mismatch(got, expected_shape):
    """None when `got` is a tensor of `expected_shape`, else a sentence saying what it is."""
    expected_shape = tuple(expected_shape)
    if isinstance(got, Unanswered):
        return got.reason
    if not isinstance(got, (torch.Tensor, np.ndarray)):
        return f"expected a tensor of shape {expected_shape}, got a {_describe(got)}"
    if tuple(got.shape) != expected_shape:
        return f"shape {tuple(got.shape)}, expected {expected_shape}"
    return None
