capacity = {}
for n_symbols in (3, 8):
    for hidden_size in (16, 32, 64):
        seed_everything(0)
        candidate = EncoderDecoder(n_symbols, hidden_size).to(device)
        train(candidate, SymbolSequences(6_400, 10, n_symbols), epochs=2)
        capacity[n_symbols, hidden_size] = token_accuracy(candidate, fresh(n_symbols=n_symbols))
for (n_symbols, hidden_size), accuracy in capacity.items():
    print(f"{n_symbols} symbols, {hidden_size:3d} hidden units: {accuracy:.3f} (chance {1 / n_symbols:.3f})")
# More symbols need more hidden units (and more training) for the same accuracy.
