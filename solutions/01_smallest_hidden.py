tiny_models = {}
smallest_hidden_size = None
for hidden_size in [1, 2, 3, 4, 6, 8]:
    seed_everything(0)
    candidate = tiny_models[hidden_size] = CharRNN(V, hidden_size).to(device)
    optimizer = torch.optim.Adam(candidate.parameters(), lr=0.05)
    for epoch in range(150):
        loss = F.cross_entropy(candidate(inputs)[0], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        guess = decode_scores(candidate(inputs)[0], vocab)
    print(f"hidden {hidden_size}: loss {loss.item():.4f}  {guess!r}")
    if guess == phrase[1:] and smallest_hidden_size is None:
        smallest_hidden_size = hidden_size
# The hard steps are the ones that depend on earlier context: after 'n' ('e' or 'i': which
# "learn" is this?) and after a space ('l' or 'd'); the hidden state must hold what came before.
# Read the printed predictions: a bigger size is not always right after 150 epochs on one
# seed, so a fixed budget measures how fast a size learns, not only whether it can.
