def sample_next(scores, temperature, generator):
    """The index of the next character: the likeliest at temperature 0, else a softmax draw."""
    if temperature == 0:
        return int(scores.argmax())
    probabilities = F.softmax(scores / temperature, dim=-1)
    return int(torch.multinomial(probabilities, 1, generator=generator))
