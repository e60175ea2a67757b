import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_lib.blocks import RecurrentModel


class Doubler(RecurrentModel):
    """y_t = 2 x_t, the state counts the steps: a model whose every output is known."""

    def build(self):
        self.unused = nn.Parameter(torch.zeros(1))

    def step(self, x_t, h):
        return 2 * x_t, h + 1


class Scaler(RecurrentModel):
    def build(self):
        self.scale = nn.Linear(self.input_size, self.output_size, bias=False)

    def step(self, x_t, h):
        return self.scale(x_t), h


def test_forward_loops_step_over_time_and_generate_feeds_outputs_back():
    model = Doubler(1, 3, 1)
    outputs, h = model(torch.ones(2, 4, 1))
    assert outputs.shape == (2, 4, 1) and torch.equal(h, torch.full((2, 3), 4.0))
    generated = model.generate(torch.ones(1, 1, 1), 4)
    assert generated[0, :, 0].tolist() == [2.0, 4.0, 8.0, 16.0]


def test_fit_learns_and_records_every_batch_and_epoch():
    torch.manual_seed(0)
    xs = torch.randn(64, 5, 1)
    loader = DataLoader(TensorDataset(xs, 0.5 * xs), batch_size=16)
    model = Scaler(1, 1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    history = model.fit(loader, loader, optimizer, epochs=5)
    assert len(history["batch"]) == 20 and len(history["train"]) == len(history["validation"]) == 5
    assert history["validation"][-1] < 1e-4 < history["batch"][0]
    assert abs(model.scale.weight.item() - 0.5) < 0.01
