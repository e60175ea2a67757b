seed_everything(0)
gru_update_1 = Recaller("GRU")
with torch.no_grad():
    hidden = gru_update_1.rnn.hidden_size
    gru_update_1.rnn.bias_ih_l0[hidden:2 * hidden] = 1.0      # the z block of r, z, n
    gru_update_1.rnn.bias_hh_l0[hidden:2 * hidden] = 0.0
gru_update_norms = gradient_by_distance(gru_update_1, *probe)
print(f"GRU with update bias 1: shrinks {shrink(gru_update_norms):.1e} times over 50 steps "
      f"(default GRU: {shrink(at_init['GRU']):.1e})")
