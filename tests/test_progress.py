"""The three training functions of course_lib take the same `progress`: tqdm, or a class like it."""
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from course_lib.blocks import RecurrentModel
from course_lib.charlm import CharLM, train
from course_lib.seq2seq import Seq2Seq, train_seq2seq
from course_lib.sequences import PaddedSequences, copy_batches, masked_cross_entropy
from course_lib.vocab import Vocabulary


class Bar:
    """Records what a training function asks of tqdm."""
    made = []

    def __init__(self, total, unit):
        self.total, self.unit, self.n, self.postfixes, self.closed = total, unit, 0, [], False
        Bar.made.append(self)

    def update(self, count):
        self.n += count

    def set_postfix(self, refresh=True, **values):
        self.postfixes.append(values)

    def close(self):
        self.closed = True


class Scaler(RecurrentModel):
    def build(self):
        self.scale = torch.nn.Linear(self.input_size, self.output_size, bias=False)

    def step(self, x_t, h):
        return self.scale(x_t), h


def fit_scaler(progress):
    xs = torch.randn(32, 5, 1)
    loader = DataLoader(TensorDataset(xs, 0.5 * xs), batch_size=16)
    model = Scaler(1, 1, 1)
    model.fit(loader, loader, torch.optim.SGD(model.parameters(), lr=0.1), epochs=3, progress=progress)
    return 3


def train_copier(progress):
    batches = copy_batches(PaddedSequences(100 * 8, generator=torch.Generator().manual_seed(0)), batch_size=8)
    train_seq2seq(Seq2Seq(4, 4, hidden_size=8), batches, masked_cross_entropy, progress=progress)
    return len(batches)


def train_charlm(progress):
    vocab = Vocabulary("abcab " * 200)
    ids = vocab.encode("abcab " * 200)
    train(CharLM(len(vocab), embedding=4, hidden=8, layers=1, dropout=0.0), ids, ids, steps=7, batch_size=4,
          length=8, progress=progress)
    return 7


@pytest.mark.parametrize("training", [fit_scaler, train_copier, train_charlm])
def test_one_progress_contract(training):
    Bar.made.clear()
    total = training(Bar)
    [bar] = Bar.made
    assert bar.total == bar.n == total and bar.closed
    assert bar.postfixes and all("loss" in values or "train" in values for values in bar.postfixes)


class Interrupted(Exception):
    pass


class BarThatStops(Bar):
    """A bar whose second update raises, as Ctrl-C or a failing batch would mid-training."""

    def update(self, count):
        super().update(count)
        if self.n >= 2:
            raise Interrupted


@pytest.mark.parametrize("training", [fit_scaler, train_copier, train_charlm])
def test_a_training_that_stops_with_an_error_closes_its_bar(training):
    Bar.made.clear()
    with pytest.raises(Interrupted):
        training(BarThatStops)
    [bar] = Bar.made
    assert bar.closed and bar.n == 2
