seed_everything(0)
gru_update_1 = with_gate_bias(Recaller("GRU"), block=1, bias=1.0)   # z is block 1 of r, z, n
gru_update_norms = gradient_by_distance(gru_update_1, *probe)
print(f"GRU with update bias 1: shrinks {shrink(gru_update_norms):.1e} times over 50 steps "
      f"(default GRU: {shrink(at_init['GRU']):.1e})")
