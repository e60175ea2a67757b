"""Drawing the next symbol from a model's scores, with a temperature (built by hand in notebook 02)."""
import torch


def sample_next(scores, temperature, generator=None):
    """(V,) scores -> the index (an int) of the next symbol: the likeliest at temperature 0, else a
    draw from softmax(scores / temperature). It draws on the CPU, so a CPU `generator` serves a
    model on any device."""
    if temperature == 0:
        return int(scores.argmax())
    probabilities = torch.softmax(scores.detach().float().cpu() / temperature, dim=-1)
    return int(torch.multinomial(probabilities, 1, generator=generator))
