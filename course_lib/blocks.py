"""The recurring structure of the course's models (built by hand in notebook 03).

    __init__     stores the hyper-parameters and calls build()
    build        makes the parameters                                    (a subclass writes it)
    step         one time step: x_t (B, I), h (B, H) -> y_t (B, O), h    (a subclass writes it)
    forward      step over a whole sequence: (B, T, I) -> (B, T, O), h
    train_epoch  one pass over the training batches, returns each batch's loss
    evaluate     mean loss over validation batches
    fit          train_epoch + evaluate for several epochs, with an optional progress bar
    generate     run freely, each output fed back as the next input
"""
import torch
import torch.nn.functional as F
from torch import nn


class RecurrentModel(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.input_size, self.hidden_size, self.output_size = input_size, hidden_size, output_size
        self.build()

    def build(self):
        raise NotImplementedError("a subclass makes its parameters in build()")

    def step(self, x_t, h):
        raise NotImplementedError("a subclass computes one time step in step()")

    @property
    def device(self):
        return next(self.parameters()).device

    def initial_state(self, batch_size):
        return torch.zeros(batch_size, self.hidden_size, device=self.device)

    def forward(self, xs, h=None):
        """xs (B, T, I) -> outputs (B, T, O), last state (B, H)."""
        h = self.initial_state(xs.shape[0]) if h is None else h
        outputs = []
        for t in range(xs.shape[1]):
            y, h = self.step(xs[:, t], h)
            outputs.append(y)
        return torch.stack(outputs, dim=1), h

    def loss(self, outputs, targets):
        return F.mse_loss(outputs, targets)

    def train_epoch(self, batches, optimizer, clip=None):
        self.train()
        losses = []
        for xs, targets in batches:
            outputs, _ = self(xs.to(self.device))
            loss = self.loss(outputs, targets.to(self.device))
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                nn.utils.clip_grad_norm_(self.parameters(), clip)
            optimizer.step()
            losses.append(loss.item())
        return losses

    @torch.no_grad()
    def evaluate(self, batches):
        self.eval()
        total, count = 0.0, 0
        for xs, targets in batches:
            outputs, _ = self(xs.to(self.device))
            total += self.loss(outputs, targets.to(self.device)).item() * len(xs)
            count += len(xs)
        return total / count

    def fit(self, train_batches, validation_batches, optimizer, epochs, scheduler=None, clip=None,
            progress=None):
        """Train for `epochs`. `progress` is tqdm or a class like it (None: no bar): a bar over the
        epochs with the live losses."""
        history = {"batch": [], "train": [], "validation": []}
        bar = None if progress is None else progress(total=epochs, unit="epoch")
        try:
            for _ in range(epochs):
                batch_losses = self.train_epoch(train_batches, optimizer, clip)
                if scheduler is not None:
                    scheduler.step()
                history["batch"] += batch_losses
                history["train"].append(sum(batch_losses) / len(batch_losses))
                history["validation"].append(self.evaluate(validation_batches))
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(train=f"{history['train'][-1]:.4f}", validation=f"{history['validation'][-1]:.4f}")
        finally:  # closed even when training stops with an error
            if bar is not None:
                bar.close()
        return history

    @torch.no_grad()
    def generate(self, prime, steps):
        """Read `prime` (B, T, I), then produce `steps` outputs (B, steps, O), each fed back in."""
        self.eval()
        outputs, h = self(prime.to(self.device))
        y = outputs[:, -1]
        generated = [y]
        for _ in range(steps - 1):
            y, h = self.step(y, h)
            generated.append(y)
        return torch.stack(generated, dim=1)
