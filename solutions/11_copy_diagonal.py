# Copying: read in the natural order (reverse_input=False), so that the t-th symbol written is the t-th read.
seed_everything(0)
copy_model = AttentionSeq2Seq(len(LETTERS) + 1, len(LETTERS) + 1, HIDDEN, attention=True).to(device)
train_seq2seq(copy_model, copy_batches(copy_data), masked_cross_entropy, lr=LR)

copy_predictions, copy_looked = answers_and_looks(copy_model, copy_fresh)
copy_diagonal = weight_on_matching_position(copy_looked, copy_fresh, reverse=False)
print(f"copying: each step puts {copy_diagonal:.1%} of its weight on the position it copies")

n = int(copy_fresh.lengths[0])
fig, ax = plt.subplots(figsize=(5, 5))
heatmap(ax, copy_looked[0, :n + 1, :n], spelled(copy_fresh.ids[0]), spelled(copy_predictions[0]) + "·", f"copying {n} symbols")
plt.show()
