"""Variable-length symbol sequences: a stop symbol, padding, length masks, and loss and
accuracy restricted to the real positions (built by hand in notebook 05)."""
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

STOP = 0  # ends every sequence and pads it to the common width


def length_mask(lengths, width):
    """(B,) lengths -> (B, width) bool, True on the first `length` positions of each row."""
    return torch.arange(width, device=lengths.device) < lengths[:, None]


class PaddedSequences(Dataset):
    """Random sequences of symbols 1..n_symbols, lengths drawn from [min_length, max_length],
    padded with STOP to max_length + 1 columns, so that every row ends with a STOP.
    Item i is (ids (max_length + 1,), length)."""

    def __init__(self, count, n_symbols=3, min_length=3, max_length=14, generator=None):
        self.lengths = torch.randint(min_length, max_length + 1, (count,), generator=generator)
        symbols = torch.randint(1, n_symbols + 1, (count, max_length + 1), generator=generator)
        self.ids = symbols * length_mask(self.lengths, max_length + 1)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return self.ids[i], self.lengths[i]


def reverse_each(ids, lengths):
    """Reverse the real part of every row of (B, T) ids; the padding stays at the end."""
    width = ids.shape[1]
    positions = (lengths[:, None] - 1 - torch.arange(width, device=ids.device)).clamp(min=0)
    return ids.gather(1, positions) * length_mask(lengths, width)


def masked_cross_entropy(logits, targets, mask):
    """Mean cross-entropy of (B, T, V) scores against (B, T) targets where mask (B, T) is True."""
    losses = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    return (losses * mask).sum() / mask.sum()


def masked_accuracy(predictions, targets, mask):
    """Fraction of the masked positions where (B, T) predictions equal the targets."""
    return (predictions == targets)[mask].float().mean().item()


def decoded_lengths(predictions):
    """(B, T) predicted symbols -> (B,) index of the first STOP (T where there is none)."""
    is_stop = predictions == STOP
    first = is_stop.float().argmax(dim=1)
    return torch.where(is_stop.any(dim=1), first, torch.full_like(first, predictions.shape[1]))


def copy_batches(data, batch_size=64, reverse=False):
    """Batches (ids, lengths, targets, target_mask) for copying (or reversing) PaddedSequences.

    The target mask covers the real symbols and the first STOP, so the model learns where to end."""
    batches = []
    for start in range(0, len(data), batch_size):
        ids, lengths = data.ids[start:start + batch_size], data.lengths[start:start + batch_size]
        targets = reverse_each(ids, lengths) if reverse else ids
        batches.append((ids, lengths, targets, length_mask(lengths + 1, ids.shape[1])))
    return batches
