def encode_packed(model, ids, lengths):
    inputs = one_hot(reverse_each(ids, lengths), model.n_symbols)
    packed = pack_padded_sequence(inputs, lengths.cpu(), batch_first=True, enforce_sorted=False)
    _, h_n = model.encoder(packed)      # (layers, B, H): each row's state at its own end
    return h_n
