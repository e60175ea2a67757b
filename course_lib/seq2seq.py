"""The encoder-decoder that learns reliably (built by hand in notebook 05, used again in 06).

The encoder reads each input reversed and hands over its state at the sequence's own end
(pack_padded_sequence); the decoder is fed its previous output symbol, starting from a
start symbol: the true one while training (teacher forcing), its own guess when generating.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from course_lib.sequences import reverse_each
from course_lib.vocab import one_hot

CELLS = {"RNN": nn.RNN, "GRU": nn.GRU, "LSTM": nn.LSTM}


class Seq2Seq(nn.Module):
    def __init__(self, input_symbols, output_symbols, hidden_size, cell="RNN", num_layers=1, reverse_input=True):
        super().__init__()
        self.input_symbols, self.output_symbols = input_symbols, output_symbols
        self.start = output_symbols            # one extra decoder input: "start"
        self.reverse_input = reverse_input
        recurrent = CELLS[cell]
        self.encoder = recurrent(input_symbols, hidden_size, num_layers, batch_first=True)
        self.decoder = recurrent(output_symbols + 1, hidden_size, num_layers, batch_first=True)
        self.readout = nn.Linear(hidden_size, output_symbols)

    def encode(self, ids, lengths):
        """(B, T) padded ids, (B,) lengths -> the encoder's state after each sequence's last symbol."""
        if self.reverse_input:
            ids = reverse_each(ids, lengths)
        packed = pack_padded_sequence(one_hot(ids, self.input_symbols), lengths.cpu(),
                                      batch_first=True, enforce_sorted=False)
        _, state = self.encoder(packed)
        return state

    def forward(self, ids, lengths, targets, teacher_forcing=True):
        """Scores (B, T_out, output_symbols) for (B, T_out) targets. With teacher forcing the
        decoder is fed the true previous symbols; without, its own previous guesses."""
        if not teacher_forcing:
            return self.decode(self.encode(ids, lengths), len(ids), targets.shape[1])[1]
        starts = torch.full_like(targets[:, :1], self.start)
        previous = torch.cat([starts, targets[:, :-1]], dim=1)
        states, _ = self.decoder(one_hot(previous, self.output_symbols + 1), self.encode(ids, lengths))
        return self.readout(states)

    def decode(self, state, batch_size, steps):
        """Greedy decoding from an encoder state: (B, steps) symbols, each fed back as the next
        input, and their (B, steps, output_symbols) scores."""
        symbol = torch.full((batch_size, 1), self.start, device=self.readout.weight.device)
        generated, scores = [], []
        for _ in range(steps):
            output, state = self.decoder(one_hot(symbol, self.output_symbols + 1), state)
            scores.append(self.readout(output))
            symbol = scores[-1].argmax(dim=-1)
            generated.append(symbol)
        return torch.cat(generated, dim=1), torch.cat(scores, dim=1)

    @torch.no_grad()
    def generate(self, ids, lengths, steps):
        """Greedy decoding: (B, steps) symbols, each fed back as the next input."""
        return self.decode(self.encode(ids, lengths), len(ids), steps)[0]


def train_seq2seq(model, batches, loss_function, lr=5e-3, clip=1.0, progress=None, teacher_forcing=True):
    """One pass over `batches` of (ids, lengths, targets, target_mask) with a one-cycle learning
    rate (warm up, then anneal) and clipped gradients; returns each batch's loss. `progress` is
    tqdm or a class like it (None: no bar): a bar over the batches with the live loss."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=len(batches))
    device = next(model.parameters()).device
    losses = []
    bar = None if progress is None else progress(total=len(batches), unit="batch")
    try:
        for ids, lengths, targets, mask in batches:
            ids, lengths, targets, mask = ids.to(device), lengths.to(device), targets.to(device), mask.to(device)
            loss = loss_function(model(ids, lengths, targets, teacher_forcing), targets, mask)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            if bar is not None:
                bar.update(1)
                if len(losses) % 50 == 0:
                    bar.set_postfix(loss=f"{losses[-1]:.4f}")
    finally:  # closed even when training stops with an error
        if bar is not None:
            bar.close()
    return losses
