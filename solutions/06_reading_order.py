seed_everything(0)
units_first = Seq2Seq(101, 11, hidden_size=128, cell="RNN", reverse_input=True).to(device)
train_seq2seq(units_first, column_batches(train_a[:192_000], train_b[:192_000]), masked_cross_entropy)
units_first_predictions = units_first.generate(test_columns.to(device), torch.full((2000,), 4).to(device), 6).cpu()
units_first_exact = exact_match(units_first_predictions, test_answers)
print(f"columns read units first: {units_first_exact:.2%} exact (read thousands first: {rnn_exact:.2%})")
print("accuracy by place, units first:", (units_first_predictions == test_answers).float().mean(0)[:5].numpy().round(3))
# Aligned, the question is only 4 symbols long: even the units read first are 4 steps back,
# so the reading order hardly matters here. Aligning the digits was the decisive change.
