import math

import numpy as np
import pytest

import course
from course_lib.corpus import python_docs_text, split_text
from course_lib.markov import MarkovModel


def test_witten_bell_by_hand_on_a_tiny_text():
    model = MarkovModel("abab", order=1)
    # order 0: a and b seen twice each, 2 types: (2 + 2 * 1/2) / (4 + 2) = 1/2
    # after "a": b twice, 1 type: P(b|a) = (2 + 1/2) / 3, P(a|a) = (0 + 1/2) / 3
    assert model.probability("a", "b") == pytest.approx(2.5 / 3)
    assert model.probability("a", "a") == pytest.approx(0.5 / 3)


@pytest.mark.parametrize("context", ["", "the ", "zqzq", "unseen context!"])
def test_every_context_gives_a_distribution_over_the_whole_alphabet(context):
    text = "the cat sat on the mat. the dog sat on the log! zq"
    model = MarkovModel(text, order=4)
    p = model.distribution(context)
    assert p.sum() == pytest.approx(1) and (p > 0).all()
    assert [model.probability(context, c) for c in model.chars] == pytest.approx(list(p))


def test_higher_orders_fit_the_training_text_better_and_unseen_text_stays_finite():
    train, held_out = split_text(python_docs_text()[:60_000])
    alphabet = set(train) | set(held_out)
    train_bits = [MarkovModel(train, k, alphabet).bits_per_char(train[:3000]) for k in (1, 3, 6)]
    assert train_bits[0] > train_bits[1] > train_bits[2]
    held_out_bits = MarkovModel(train, 8, alphabet).bits_per_char(held_out)
    assert math.isfinite(held_out_bits) and held_out_bits < math.log2(len(alphabet))


def test_generation_never_meets_a_context_it_cannot_continue():
    model = MarkovModel("abracadabra", order=8, alphabet="abcdrxyz")
    text = model.generate("xyzzy", 300, np.random.default_rng(0))
    assert text.startswith("xyzzy") and len(text) == 305 and set(text) <= set("abcdrxyz")


def test_a_lower_order_read_from_higher_counts_equals_counting_again():
    text = "the cat sat on the mat. the dog sat on the log! " * 3
    high = MarkovModel(text, order=5)
    for order in range(6):
        counted = MarkovModel(text, order)
        assert high.with_order(order).bits_per_char("the rat sat.") == pytest.approx(
            counted.bits_per_char("the rat sat."), abs=1e-12)
    assert high.order == 5
    with pytest.raises(ValueError, match="not between 0"):
        high.with_order(6)


def test_notebook_08s_smoothing_by_hand_is_the_librarys():
    text = python_docs_text()[:30_000]
    alphabet = sorted(set(text))
    counts = course.definitions("08", "count_followers")["count_followers"]
    order_counts = [counts(text, k) for k in range(5)]
    smoothed = course.definitions("08", "smoothed", order_counts=order_counts, vocab=alphabet)["smoothed"]
    library = MarkovModel(text, order=4, alphabet=alphabet)
    for context in ["for ", "xqzj", "the ", ""]:
        for char in "eixQ":
            assert smoothed(context, char) == pytest.approx(library.probability(context, char), abs=1e-12)
