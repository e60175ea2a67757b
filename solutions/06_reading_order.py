# Read thousands first, the column of place k (k = 0 for the units) is read at step 4 - k and its
# answer digit written at step 5 + k: 1, 3, 5 and 7 steps apart. Read units first, every column is
# read at step k + 1, 4 steps before its digit: the same gap for every place, as in the diagram.
units_first, _, units_first_exact, units_first_predictions = train_column_rnn(reverse_input=True)
print(f"columns read units first: {units_first_exact:.2%} exact (read thousands first: {rnn_exact:.2%})")
print("accuracy by place, units first:", (units_first_predictions == test_answers).float().mean(0)[:5].numpy().round(3))
# When both orders do about as well, the gaps of at most 7 steps are short enough for the RNN to
# bridge: alignment matters most when gaps are long, or move with the operands' lengths as they
# do in the text read forwards.
