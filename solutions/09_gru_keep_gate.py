gru_norms = {}
for gate, block in (("r", 0), ("z", 1)):                  # PyTorch stacks the GRU's gates r, z, n
    seed_everything(0)
    gru_norms[gate] = gradient_by_distance(with_gate_bias(Recaller("GRU"), block=block, bias=1.0), *probe)
    print(f"GRU with {gate}'s bias at 1: the gradient shrinks {shrink(gru_norms[gate]):.1e} times over 50 steps")
keeping_gate = min(gru_norms, key=lambda gate: shrink(gru_norms[gate]))   # the one that loses least
