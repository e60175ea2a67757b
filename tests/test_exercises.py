import torch

import sys

import pytest

from course_lib.exercises import (Unanswered, attempt, graded, mismatch, shape_mismatch, solution, solution_path,
                                  verdict)


def test_solution_shows_the_file_and_defines_its_names_in_the_callers_globals(capsys):
    notebook_globals = {"solution": solution}
    exec('solution("01_decode")', notebook_globals)
    shown = capsys.readouterr().out
    assert "01_decode.py" in shown and "def decode" in shown
    assert notebook_globals["decode"](torch.eye(3)[[2, 0]], ["a", "b", "c"]) == "ca"


def test_unknown_solution_names_the_known_ones():
    try:
        solution_path("01_nope")
    except FileNotFoundError as error:
        assert "01_decode" in str(error)
    else:
        raise AssertionError("expected FileNotFoundError")


def test_attempt_turns_unfinished_and_crashing_answers_into_reasons():
    def unfinished():
        raise NotImplementedError

    def crashing():
        return 1 / 0

    assert "not written yet" in attempt(unfinished).reason
    assert "ZeroDivisionError" in attempt(crashing).reason
    assert attempt(lambda x: x + 1, 1) == 2


def test_mismatch_explains_shape_value_and_type_mistakes():
    assert mismatch(torch.zeros(2, 3), torch.zeros(2, 2)) == "shape (2, 3), expected (2, 2)"
    assert mismatch(torch.zeros(2, 2), torch.eye(2)).startswith("wrong values: at index (0, 0) you have 0, expected 1")
    assert "expected a tensor of shape (2,)" in mismatch([1, 2], torch.zeros(2))
    assert mismatch(Unanswered("f is not written yet"), 1) == "f is not written yet"
    assert mismatch(torch.eye(2) + 1e-8, torch.eye(2)) is None


def test_verdict_prints_one_line_for_a_problem_found_by_other_means(capsys):
    assert verdict("table", None, "6 entries, all fractions")
    assert not verdict("table", "capacity has no entry for (8, 64)")
    assert capsys.readouterr().out.splitlines() == ["✓ table: 6 entries, all fractions",
                                                    "✗ table: capacity has no entry for (8, 64)"]


def test_mismatch_and_shape_mismatch_say_what_differs():
    assert mismatch(2.0, 2.0) is None and mismatch("ab", "ab") is None
    assert mismatch("zx", "yx") == "'zx', expected 'yx'"
    assert shape_mismatch(torch.zeros(4, 8), (4, 1)) == "shape (4, 8), expected (4, 1)"
    assert shape_mismatch(torch.zeros(4, 1), (4, 1)) is None


def test_graded_passes_on_a_tick_and_raises_on_a_cross_or_on_no_verdict(capsys):
    """nbgrader's test cells: the checker's line is printed as always; ✗ (or no checker) raises."""
    with graded():
        print("✗ my own debugging line")  # printed by the student's code: not a verdict
        verdict("Exercise 1.1, decode", None, "right")
    with pytest.raises(AssertionError, match="^✗ Exercise 1.2, rnn_step: not written yet$"):
        with graded():
            verdict("Exercise 1.1, decode", None)
            verdict("Exercise 1.2, rnn_step", "not written yet")
    with pytest.raises(AssertionError, match="no checker printed"):
        with graded():
            print("✓ Exercise 1.1, decode: correct")
    with pytest.raises(NameError):
        with graded():
            verdict("Exercise 1.1, decode", None)
            undefined_name  # noqa: F821  (the student deleted what the checker needs)
    assert capsys.readouterr().out.count("✓ Exercise 1.1, decode") == 4
    assert verdict("after", None)  # no graded block listens any more


def test_graded_shows_warnings_on_stdout_so_that_nbgrader_keeps_the_points(capsys):
    """nbgrader gives no points to a test cell that wrote to stderr: a warning must not cost a ✓."""
    with graded():
        print("UserWarning: deprecated", file=sys.stderr)  # what warnings.warn writes, outside pytest
        verdict("Exercise 1.1, decode", None)
    printed = capsys.readouterr()
    assert printed.err == "" and printed.out == "UserWarning: deprecated\n✓ Exercise 1.1, decode: correct\n"


def test_a_checker_returns_a_verdict_that_is_true_only_after_a_tick_and_shows_as_nothing(capsys):
    from course_lib.checkers import check_decode
    from course_lib.exercises import Verdict

    def unsolved(rows, alphabet):
        raise NotImplementedError("your code here")

    assert not check_decode(unsolved) and capsys.readouterr().out.startswith("✗")
    namespace = {"solution": solution}
    exec('solution("01_decode")', namespace)
    capsys.readouterr()
    assert check_decode(namespace["decode"]) and capsys.readouterr().out.startswith("✓")
    assert Verdict(True)._ipython_display_() is None          # a notebook shows nothing for it
