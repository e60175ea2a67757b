def rnn_step(x_t, h_prev, rnn):
    # x_t: (batch, input), h_prev: (batch, hidden); weights are stored (out, in)
    return torch.tanh(x_t @ rnn.weight_ih_l0.T + rnn.bias_ih_l0
                      + h_prev @ rnn.weight_hh_l0.T + rnn.bias_hh_l0)
