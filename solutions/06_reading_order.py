units_first, _, units_first_exact, units_first_predictions = train_column_rnn(reverse_input=True)
print(f"columns read units first: {units_first_exact:.2%} exact (read thousands first: {rnn_exact:.2%})")
print("accuracy by place, units first:", (units_first_predictions == test_answers).float().mean(0)[:5].numpy().round(3))
