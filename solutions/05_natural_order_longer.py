seed_everything(0)
natural_order = WithoutOneFix(4, 128, "reversed reading").to(device)
train_masked(natural_order, train_data, batches=4 * BATCHES, without="reversed reading")
natural_order_longer = evaluate(natural_order)[:2]
print(f"natural order, {4 * BATCHES} batches: accuracy {natural_order_longer[0]:.2%}, "
      f"length right {natural_order_longer[1]:.2%}")
# Measured with seed 0: about 42 % of the real symbols after 2,000 batches (33 % after 500),
# against more than 99 % for reversed reading after 500: four times the training closed less
# than a sixth of the gap.
