import pytest
import torch

from course_lib.vocab import Vocabulary, decode_scores, one_hot


def test_alphabet_is_sorted_and_round_trips():
    vocab = Vocabulary("hello world")
    assert vocab.chars == [" ", "d", "e", "h", "l", "o", "r", "w"]
    assert vocab.decode(vocab.encode("world hello")) == "world hello"


def test_unknown_characters_are_named():
    with pytest.raises(ValueError, match="'xz'"):
        Vocabulary("hello").encode("hexz")


def test_one_hot_keeps_leading_shape_and_decodes_back():
    vocab = Vocabulary("abc")
    indices = torch.stack([vocab.encode("abca"), vocab.encode("ccba")])
    vectors = one_hot(indices, len(vocab))
    assert vectors.shape == (2, 4, 3)
    assert torch.equal(vectors.sum(-1), torch.ones(2, 4))
    assert decode_scores(vectors[1], vocab) == "ccba"
