"""Characters <-> integer indices <-> one-hot vectors."""
import torch


class Vocabulary:
    """A sorted alphabet of characters, so that the same text always gives the same indices."""

    def __init__(self, text):
        self.chars = sorted(set(text))
        self.index = {char: i for i, char in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        return f"Vocabulary({''.join(self.chars)!r})"

    def unknown(self, text):
        """The characters of `text` that are not in the alphabet, sorted."""
        return sorted(set(text) - self.index.keys())

    def encode(self, text):
        """'abc' -> tensor([i_a, i_b, i_c]); raises ValueError naming unknown characters."""
        missing = self.unknown(text)
        if missing:
            raise ValueError(f"characters not in the vocabulary: {''.join(missing)!r}")
        return torch.tensor([self.index[char] for char in text], dtype=torch.long)

    def decode(self, indices):
        """tensor([i_a, i_b, i_c]) (or any iterable of ints) -> 'abc'."""
        return "".join(self.chars[int(i)] for i in indices)


def one_hot(indices, size):
    """(...) integer indices -> (..., size) float one-hot vectors, by broadcasting."""
    return (indices[..., None] == torch.arange(size, device=indices.device)).float()


def decode_scores(scores, vocab):
    """(T, V) scores, probabilities or one-hot rows -> text of the highest-scoring characters."""
    return vocab.decode(scores.argmax(dim=-1))
