import torch

import course
from course_lib.sequences import (STOP, PaddedSequences, copy_batches, decoded_lengths, length_mask,
                                  masked_accuracy, masked_cross_entropy, reverse_each)


def test_padded_sequences_end_with_stop_and_respect_lengths():
    data = PaddedSequences(200, n_symbols=3, min_length=3, max_length=6, generator=torch.Generator().manual_seed(0))
    assert data.ids.shape == (200, 7)
    real = length_mask(data.lengths, 7)
    assert bool((data.ids[real] >= 1).all()) and bool((data.ids[~real] == STOP).all())
    assert data.lengths.min() >= 3 and data.lengths.max() <= 6


def test_reverse_each_keeps_padding_in_place():
    ids = torch.tensor([[1, 2, 3, 0, 0], [3, 1, 0, 0, 0]])
    assert reverse_each(ids, torch.tensor([3, 2])).tolist() == [[3, 2, 1, 0, 0], [1, 3, 0, 0, 0]]


def test_masked_loss_and_accuracy_ignore_masked_positions():
    targets = torch.tensor([[1, 2, 0]])
    mask = torch.tensor([[True, True, False]])
    logits = torch.full((1, 3, 3), -10.0)
    logits[0, 0, 1] = logits[0, 1, 2] = 10.0   # right on the real positions
    logits[0, 2, 1] = 10.0                     # wrong on the masked one
    assert masked_cross_entropy(logits, targets, mask).item() < 1e-6
    assert masked_accuracy(logits.argmax(-1), targets, mask) == 1.0
    assert masked_accuracy(logits.argmax(-1), targets, torch.ones_like(mask)) < 1.0


def test_decoded_length_is_the_first_stop():
    assert decoded_lengths(torch.tensor([[1, 2, 0, 3], [1, 1, 1, 1], [0, 1, 0, 0]])).tolist() == [2, 4, 0]


def test_copy_batches_mask_covers_the_first_stop():
    data = PaddedSequences(5, min_length=2, max_length=4, generator=torch.Generator().manual_seed(1))
    ids, lengths, targets, mask = copy_batches(data, batch_size=5, reverse=True)[0]
    assert torch.equal(mask.sum(1), lengths + 1)
    assert torch.equal(targets, reverse_each(ids, lengths))


def test_notebook_05_writes_the_same_helpers_by_hand():
    notebook = course.definitions("05", "reverse_each", "masked_cross_entropy", "masked_accuracy")
    data = PaddedSequences(64, generator=torch.Generator().manual_seed(1234))
    mask = length_mask(data.lengths, data.ids.shape[1])
    scores = torch.randn(64, data.ids.shape[1], 4, generator=torch.Generator().manual_seed(0))
    assert torch.equal(notebook["reverse_each"](data.ids, data.lengths), reverse_each(data.ids, data.lengths))
    assert torch.equal(notebook["masked_cross_entropy"](scores, data.ids, mask),
                       masked_cross_entropy(scores, data.ids, mask))
    assert (notebook["masked_accuracy"](scores.argmax(-1), data.ids, mask)
            == masked_accuracy(scores.argmax(-1), data.ids, mask))
