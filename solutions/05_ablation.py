class NaturalOrder(MaskedEncoderDecoder):
    def encode(self, ids, lengths):
        states, _ = self.encoder(one_hot(ids, self.n_symbols))
        return states[torch.arange(len(ids)), lengths - 1][None]


class FedZeros(MaskedEncoderDecoder):
    def forward(self, ids, lengths, targets):
        zeros = torch.zeros(len(ids), targets.shape[1], self.n_symbols + 1, device=ids.device)
        return self.readout(self.decoder(zeros, self.encode(ids, lengths))[0])

    @torch.no_grad()
    def generate(self, ids, lengths, steps):
        return self(ids, lengths, torch.zeros(len(ids), steps, dtype=torch.long, device=ids.device)).argmax(-1)


ablation = {}
for name, variant in [("natural order", NaturalOrder), ("decoder fed zeros", FedZeros)]:
    seed_everything(0)
    candidate = variant(4, 128).to(device)
    train_masked(candidate, train_data)
    ablation[name] = evaluate(candidate)[:2]
    print(f"{name:>18}: accuracy {ablation[name][0]:.2%}, length right {ablation[name][1]:.2%}")
print(f"{'all fixes':>18}: accuracy {masked_accuracy_real:.2%}, length right {masked_length_right:.2%}")
# Measured with seed 0: reading in natural order drops to about 53 % of the symbols, while a
# decoder fed zeros still gets 99.9 %: the reading order is the fix that matters here.
