"""The checkers of notebook 08 · text generation."""

import math
from numbers import Real

import numpy as np
import torch
import torch.nn.functional as F

from course_lib import corpus, sampling
from course_lib.exercises import Unanswered, attempt
from course_lib.markov import MarkovModel
from course_lib.checkers.common import Right, exercise, forbidding, used_the_course, wrong_keys


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
    if (problem := used_the_course(greedy, "sample_next (course_lib.sampling)")) is not None:
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

