def backoff_next(context, rng):
    """Draw from the counts after the longest ending of `context` seen in training."""
    for k in range(min(4, len(context)), -1, -1):
        ending = context[len(context) - k:]
        if ending in order_counts[k]:
            return counted_next(order_counts[k], ending, rng)


print(repr("".join(backoff_next(prompt, np.random.default_rng(1)) for prompt in ["xqzj", "The "])))
