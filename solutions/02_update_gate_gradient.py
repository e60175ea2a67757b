def update_gate_bias_gradient(x, h_prev, targets, p):
    h, (r, z, g, n) = gru_step(x, h_prev, p)
    logits = h @ p["W_hy"].T + p["b_y"]
    # softmax + cross-entropy: (probabilities - one-hot) / batch size
    d_logits = (torch.softmax(logits, dim=-1) - one_hot(targets, logits.shape[-1])) / len(targets)
    d_h = d_logits @ p["W_hy"]
    # h = (1 - z) n + z h_prev  ->  dh/dz = h_prev - n;  z = sigmoid(a)  ->  dz/da = z (1 - z)
    d_update = d_h * (h_prev - n) * z * (1 - z)
    return d_update.sum(dim=0)
