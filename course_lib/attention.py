"""Attention (built by hand in notebook 11): a decoder that looks back at every state of the
encoder instead of at its last one only.

`attend` is dot-product attention with the padding masked out of the softmax, scaled by
1/sqrt(D) as in Vaswani et al. 2017 unless told otherwise. The model scores with Luong et al.
2015's "general" score, s . W h (its learned W sets the scale, so no 1/sqrt(D)), and the context
joins the decoder's state before the readout, as theirs does: so the whole teacher-forced decoder
still runs as one nn.GRU call.
"""
import math

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from course_lib.sequences import length_mask, reverse_each
from course_lib.vocab import one_hot


def masked_softmax(scores, mask):
    """Softmax over the last axis of `scores` where the bool `mask` (broadcast to them) is True:
    exactly 0 elsewhere, and each row sums to 1 over the positions left."""
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)


def attend(query, keys, values, mask, scale=None):
    """Dot-product attention. (B, T_out, D) queries, (B, T_in, D) keys, (B, T_in, D_v) values, (B, T_in)
    mask of the real positions -> (B, T_out, D_v) contexts, (B, T_out, T_in) weights. The scores
    are multiplied by `scale`, 1/sqrt(D) by default (as torch's scaled_dot_product_attention)."""
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = query @ keys.transpose(1, 2) * scale                       # (B, T_out, T_in)
    weights = masked_softmax(scores, mask[:, None, :])
    return weights @ values, weights


class AttentionSeq2Seq(nn.Module):
    """Notebook 05's encoder-decoder with GRUs. With `attention`, every decoder state queries all the
    encoder's states and reads their weighted average; without, it sees only the state the encoder
    ended with (then it computes what course_lib.seq2seq.Seq2Seq computes). `bidirectional`: the
    encoder reads each sequence both ways with half the units each, so the states keep their size."""

    def __init__(self, input_symbols, output_symbols, hidden_size, attention=True, bidirectional=False,
                 reverse_input=False):
        super().__init__()
        self.input_symbols, self.output_symbols = input_symbols, output_symbols
        self.start = output_symbols                                 # one extra decoder input: "start"
        self.attention, self.reverse_input = attention, reverse_input
        self.encoder = nn.GRU(input_symbols, hidden_size // 2 if bidirectional else hidden_size,
                              batch_first=True, bidirectional=bidirectional)
        self.decoder = nn.GRU(output_symbols + 1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, output_symbols)
        if attention:  # made last, so a seed gives the same encoder, decoder and readout either way
            self.query = nn.Linear(hidden_size, hidden_size, bias=False)
            self.combine = nn.Linear(2 * hidden_size, hidden_size)

    def encode(self, ids, lengths):
        """(B, T) padded ids, (B,) lengths -> every encoder state (B, T, H) (zeros after each end),
        the mask of real positions (B, T), and the decoder's first state (1, B, H): the encoder's
        state after each sequence's last symbol (both directions' side by side)."""
        if self.reverse_input:
            ids = reverse_each(ids, lengths)
        packed = pack_padded_sequence(one_hot(ids, self.input_symbols), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        states, last = self.encoder(packed)
        states, _ = pad_packed_sequence(states, batch_first=True, total_length=ids.shape[1])
        return states, length_mask(lengths, ids.shape[1]), torch.cat(list(last), dim=-1)[None]

    def read(self, decoder_states, memory, mask):
        """(B, T_out, H) decoder states -> scores (B, T_out, V), and the attention weights
        (B, T_out, T_in) over the encoder's states in its reading order (None without attention)."""
        if not self.attention:
            return self.readout(decoder_states), None
        context, weights = attend(self.query(decoder_states), memory, memory, mask, scale=1.0)  # s . W h
        return self.readout(torch.tanh(self.combine(torch.cat([context, decoder_states], dim=-1)))), weights

    def forward(self, ids, lengths, targets, teacher_forcing=True):
        """Scores (B, T_out, V) for (B, T_out) targets, the decoder fed the true previous symbols."""
        assert teacher_forcing, "this model trains with teacher forcing only"
        memory, mask, state = self.encode(ids, lengths)
        previous = torch.cat([torch.full_like(targets[:, :1], self.start), targets[:, :-1]], dim=1)
        decoder_states, _ = self.decoder(one_hot(previous, self.output_symbols + 1), state)
        return self.read(decoder_states, memory, mask)[0]

    def step(self, symbols, state, memory, mask):
        """One decoder step from (B, 1) symbols -> scores (B, 1, V), the next state, weights (B, 1, T_in)."""
        output, state = self.decoder(one_hot(symbols, self.output_symbols + 1), state)
        scores, weights = self.read(output, memory, mask)
        return scores, state, weights

    @torch.no_grad()
    def generate(self, ids, lengths, steps):
        """Greedy decoding: (B, steps) symbols, each fed back as the next input, and where each one
        looked, over the input positions as given (the reading order undone): (B, steps, T_in), or None."""
        memory, mask, state = self.encode(ids, lengths)
        symbol = torch.full((len(ids), 1), self.start, device=ids.device)
        generated, looked = [], []
        for _ in range(steps):
            scores, state, weights = self.step(symbol, state, memory, mask)
            symbol = scores.argmax(dim=-1)
            generated.append(symbol)
            looked.append(weights)
        if not self.attention:
            return torch.cat(generated, dim=1), None
        weights = torch.cat(looked, dim=1)
        if self.reverse_input:                  # input position j was read at position length - 1 - j
            read_at = (lengths[:, None] - 1 - torch.arange(ids.shape[1], device=ids.device)).clamp(min=0)
            weights = weights.gather(2, read_at[:, None, :].expand_as(weights)) * mask[:, None, :]
        return torch.cat(generated, dim=1), weights
