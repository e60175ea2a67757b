"""The checkers of notebook 10 · what the cells learned."""

from numbers import Integral

import numpy as np
import torch

from course_lib.exercises import Unanswered, attempt
from course_lib.checkers.common import Right, exercise


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
        return (f"comment_cell is {comment_cell}, but another cell has a larger |r| with the comments on the "
                "first half")
    untrained = int(np.abs(pearson(untrained_cells, first)).argmax())
    untrained_r = abs(pearson(untrained_cells, second)[untrained])
    which = "it is the string cell" if chosen == string_cell else f"it is not the string cell, {string_cell}"
    return Right(f"{comments.mean():.0%} of the sample is comments; cell {chosen}, chosen on the first half "
                 f"(r = {r_first[chosen]:+.2f}), scores r = {r_second[chosen]:+.2f} on the second, against |r| = "
                 f"{untrained_r:.2f} for the untrained network's best chosen the same way; {which}")

