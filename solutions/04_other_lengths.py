accuracy_by_length = {length: token_accuracy(model, held_out(length=length)) for length in range(2, 21)}
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(list(accuracy_by_length), list(accuracy_by_length.values()), marker="o")
ax.axhline(1 / 3, color="gray", linestyle="--", label="chance")
ax.set_xlabel("sequence length")
ax.set_ylabel("copy accuracy")
ax.legend()
plt.show()
