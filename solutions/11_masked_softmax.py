def masked_softmax(scores, mask):
    # e^(-inf) = 0: a score of -inf gets no weight, and the softmax shares all of it among the rest
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)
