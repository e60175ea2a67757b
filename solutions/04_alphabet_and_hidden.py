capacity_models, capacity = {}, {}
for n_symbols in (3, 8):
    for hidden_size in (16, 32, 64):
        seed_everything(0)
        candidate = capacity_models[n_symbols, hidden_size] = EncoderDecoder(n_symbols, hidden_size).to(device)
        train(candidate, training_set(6_400, n_symbols=n_symbols), batches=200)
        capacity[n_symbols, hidden_size] = token_accuracy(candidate, held_out(n_symbols=n_symbols))
for (n_symbols, hidden_size), accuracy in capacity.items():
    print(f"{n_symbols} symbols, {hidden_size:3d} hidden units: {accuracy:.3f} (chance {1 / n_symbols:.3f})")
# Within 200 batches only 3 symbols with 64 units copy; with 8 symbols every size stays near
# chance, so this budget cannot tell missing capacity from missing training: give the 8-symbol
# models more batches to find out which it is.
