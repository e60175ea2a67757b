def fused_gru_step(x, h, gru):
    # one product for the input and one for the state, each (B, 3H), split into r, z, n
    input_r, input_z, input_n = (x @ gru.weight_ih_l0.T + gru.bias_ih_l0).chunk(3, dim=1)
    state_r, state_z, state_n = (h @ gru.weight_hh_l0.T + gru.bias_hh_l0).chunk(3, dim=1)
    r = torch.sigmoid(input_r + state_r)
    z = torch.sigmoid(input_z + state_z)
    n = torch.tanh(input_n + r * state_n)
    return (1 - z) * n + z * h
