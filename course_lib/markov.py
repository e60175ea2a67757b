"""The n-gram Markov baseline (Yoav Goldberg's answer to char-rnn), smoothed (built in notebook 08).

Counts which character follows each context of up to `order` characters, and mixes the
orders with interpolated Witten-Bell smoothing, so every character of the alphabet has a
probability after every context, seen or not:

    P(c | h) = (count(h, c) + T(h) * P(c | h shortened by one)) / (count(h) + T(h))

where T(h) is the number of different characters seen after h, and below order 0 is the
uniform 1 / V. Unseen text gets a finite bits/char, and generation never meets a context
it cannot continue.
"""
import math
from collections import Counter, defaultdict

import numpy as np


class MarkovModel:
    def __init__(self, text, order, alphabet=None):
        self.order = order
        self.chars = sorted(set(alphabet if alphabet is not None else text))
        self.index = {char: i for i, char in enumerate(self.chars)}
        self.followers = defaultdict(dict)  # context -> {next character: count}
        for k in range(order + 1):
            grams = Counter(text[i - k:i + 1] for i in range(k, len(text)))
            for gram, count in grams.items():
                self.followers[gram[:-1]][gram[-1]] = count
        self.totals = {context: (sum(counts.values()), len(counts))
                       for context, counts in self.followers.items()}

    def with_order(self, order):
        """The same counts read up to a lower `order`: equal to MarkovModel(text, order), without recounting."""
        if not 0 <= order <= self.order:
            raise ValueError(f"order {order} is not between 0 and this model's {self.order}")
        lower = object.__new__(MarkovModel)
        lower.__dict__.update(self.__dict__, order=order)
        return lower

    def probability(self, context, char):
        """P(char | the last `order` characters of context), smoothed."""
        p = 1 / len(self.chars)
        for k in range(min(self.order, len(context)) + 1):
            history = context[len(context) - k:]
            if history not in self.totals:
                break  # no longer context was seen either
            total, types = self.totals[history]
            p = (self.followers[history].get(char, 0) + types * p) / (total + types)
        return p

    def bits_per_char(self, text, context=""):
        """Mean -log2 P of each character of `text` given what precedes it (and `context` before it)."""
        full = context + text
        start = len(context)
        total = 0.0
        for i in range(start, len(full)):
            total -= math.log2(self.probability(full[max(0, i - self.order):i], full[i]))
        return total / len(text)

    def distribution(self, context):
        """(V,) probabilities of every character of the alphabet after `context`."""
        p = np.full(len(self.chars), 1 / len(self.chars))
        for k in range(min(self.order, len(context)) + 1):
            history = context[len(context) - k:]
            if history not in self.totals:
                break
            total, types = self.totals[history]
            counts = np.zeros(len(self.chars))
            for char, count in self.followers[history].items():
                counts[self.index[char]] = count
            p = (counts + types * p) / (total + types)
        return p

    def generate(self, prime, length, rng):
        """`prime` and `length` characters sampled from the smoothed distribution; `rng` a numpy Generator."""
        text = prime
        for _ in range(length):
            p = self.distribution(text[len(text) - self.order:] if self.order else "")
            text += self.chars[rng.choice(len(self.chars), p=p)]
        return text
