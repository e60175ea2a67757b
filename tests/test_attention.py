"""course_lib.attention and notebook 11's code, on small untrained models: attention by hand
against PyTorch's, the model without attention against notebook 05's Seq2Seq, teacher-forced
scores against step-by-step decoding, the weights mapped back to the input's order, beam search
of width 1 against greedy decoding, and the widget's answers to bad input."""
import re

import pytest
import torch
import torch.nn.functional as F

import course
from course_lib.attention import AttentionSeq2Seq, attend, masked_softmax
from course_lib.seeding import seed_everything
from course_lib.seq2seq import Seq2Seq
from course_lib.sequences import PaddedSequences, reverse_each

CPU = torch.device("cpu")
SEQUENCES = PaddedSequences(16, n_symbols=5, min_length=2, max_length=9, generator=torch.Generator().manual_seed(0))


def test_masked_softmax_gives_the_padding_nothing_and_the_rest_everything():
    scores = torch.randn(3, 2, 6)
    mask = torch.arange(6) < torch.tensor([6, 3, 1])[:, None, None]
    weights = masked_softmax(scores, mask)
    assert torch.equal(weights[~mask.expand_as(weights)], torch.zeros(int((~mask).sum()) * 2))
    assert torch.allclose(weights.sum(-1), torch.ones(3, 2))
    assert torch.allclose(weights[0], scores[0].softmax(-1))


@pytest.mark.parametrize("scale", [None, 1.0, 0.3])
def test_attend_equals_scaled_dot_product_attention(scale):
    query, keys, values = torch.randn(4, 3, 8), torch.randn(4, 7, 8), torch.randn(4, 7, 5)
    mask = torch.arange(7) < torch.tensor([7, 4, 2, 1])[:, None]
    context, weights = attend(query, keys, values, mask, scale)
    builtin = F.scaled_dot_product_attention(query, keys, values, attn_mask=mask[:, None, :], scale=scale)
    assert (context - builtin).abs().max() < 1e-6
    assert torch.allclose(context, weights @ values)


@pytest.mark.parametrize("reverse_input", [False, True])
def test_without_attention_it_computes_what_seq2seq_computes(reverse_input):
    seed_everything(0)
    plain = AttentionSeq2Seq(6, 6, 16, attention=False, reverse_input=reverse_input)
    seed_everything(0)
    course_model = Seq2Seq(6, 6, 16, cell="GRU", reverse_input=reverse_input)
    ids, lengths = SEQUENCES.ids, SEQUENCES.lengths
    assert torch.allclose(plain(ids, lengths, ids), course_model(ids, lengths, ids), atol=1e-6)
    assert torch.equal(plain.generate(ids, lengths, 10)[0], course_model.generate(ids, lengths, 10))


@pytest.mark.parametrize("attention", [False, True])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("reverse_input", [False, True])
def test_teacher_forced_scores_equal_the_scores_of_one_step_at_a_time(attention, bidirectional, reverse_input):
    seed_everything(0)
    model = AttentionSeq2Seq(6, 6, 16, attention=attention, bidirectional=bidirectional, reverse_input=reverse_input)
    ids, lengths = SEQUENCES.ids, SEQUENCES.lengths
    memory, mask, state = model.encode(ids, lengths)
    symbol, stepped = torch.full((len(ids), 1), model.start), []
    for t in range(ids.shape[1]):
        scores, state, _ = model.step(symbol, state, memory, mask)
        stepped.append(scores)
        symbol = ids[:, t:t + 1]                                   # teacher forcing: the true symbol
    assert torch.allclose(torch.cat(stepped, dim=1), model(ids, lengths, ids), atol=1e-5)


def test_the_weights_come_back_over_the_input_as_given():
    seed_everything(0)
    backwards = AttentionSeq2Seq(6, 6, 16, reverse_input=True)
    ids, lengths = SEQUENCES.ids, SEQUENCES.lengths
    _, looked = backwards.generate(ids, lengths, 4)
    memory, mask, state = backwards.encode(ids, lengths)            # in its reading order
    _, _, read_order = backwards.step(torch.full((len(ids), 1), backwards.start), state, memory, mask)
    for row, length in enumerate(lengths.tolist()):
        assert torch.allclose(looked[row, 0, :length], read_order[row, 0, :length].flip(0))
        assert looked[row, :, length:].abs().max() == 0 and torch.allclose(looked[row].sum(-1), torch.ones(4))


def test_a_bidirectional_encoder_keeps_the_size_of_the_states():
    model = AttentionSeq2Seq(6, 6, 16, bidirectional=True)
    memory, mask, state = model.encode(SEQUENCES.ids, SEQUENCES.lengths)
    assert memory.shape == (16, 10, 16) and state.shape == (1, 16, 16)
    assert memory[~mask].abs().max() == 0                            # nothing after each end


notebook = course.definitions("11", "beam_search", "read_question", "LETTERS", device=CPU)


@pytest.mark.parametrize("attention", [False, True])
def test_a_beam_of_width_one_is_greedy_decoding(attention):
    seed_everything(1)
    model = AttentionSeq2Seq(6, 6, 16, attention=attention, reverse_input=True)
    ids, lengths = SEQUENCES.ids, SEQUENCES.lengths
    greedy = model.generate(ids, lengths, 10)[0]
    beam = notebook["beam_search"](model, ids, lengths, 10, width=1)
    ended = torch.cumsum(greedy == 0, dim=1) > 0                     # after its first stop, beam search writes stops
    assert torch.equal(beam[~ended | (greedy == 0)], greedy[~ended | (greedy == 0)])
    assert (beam[ended] == 0).all()


def test_a_wider_beam_finds_answers_at_least_as_likely():
    seed_everything(2)
    model = AttentionSeq2Seq(6, 6, 16, reverse_input=True)
    ids, lengths = SEQUENCES.ids, SEQUENCES.lengths

    def log_probability(answers):
        scores = model(ids, lengths, answers)
        log_p = scores.log_softmax(-1).gather(2, answers[:, :, None])[:, :, 0]
        before_stop = torch.cumsum(answers == 0, dim=1) - (answers == 0).int() == 0   # up to the first stop
        return (log_p * before_stop).sum(1)

    with torch.no_grad():
        narrow, wide = (log_probability(notebook["beam_search"](model, ids, lengths, 10, width)) for width in (1, 5))
    assert (wide >= narrow - 1e-5).all()


@pytest.mark.parametrize("typed, says", [
    ("", "Type 5 to 30 letters from a to h"),
    ("   ", "Type 5 to 30 letters from a to h"),
    ("hello", "Type 5 to 30 letters from a to h"),
    ("ABCDE", "Type 5 to 30 letters from a to h"),
    ("abcd", "not 4"),
    ("a" * 31, "not 31"),
    ("4821+", "two numbers joined by '+'"),
    ("1+2+3", "two numbers joined by '+'"),
    ("4821+-907", "two numbers joined by '+'"),
    ("99+907", "from 100 to 9999"),
    ("4821+10000", "from 100 to 9999"),
    ("12345678901234567890+1", "two numbers joined by '+'"),
    ("__import__('os')", "Type 5 to 30 letters"),
])
def test_the_widget_says_what_to_type(typed, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        notebook["read_question"](typed)


@pytest.mark.parametrize("typed, read", [
    ("abcdefgh", ("reverse", "abcdefgh")), (" abc de ", ("reverse", "abcde")), ("h" * 30, ("reverse", "h" * 30)),
    ("4821+907", ("add", 4821, 907)), (" 100 + 9999 ", ("add", 100, 9999)), ("0100+0200", ("add", 100, 200)),
])
def test_the_widget_reads_letters_and_sums(typed, read):
    assert notebook["read_question"](typed) == read
