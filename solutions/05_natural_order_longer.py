seed_everything(0)
natural_order = WithoutOneFix(4, 128, "reversed reading").to(device)
train_masked(natural_order, train_data, batches=3 * BATCHES, without="reversed reading")
natural_order_longer = evaluate(natural_order)[:2]
print(f"natural order, {3 * BATCHES} batches: accuracy {natural_order_longer[0]:.2%}, "
      f"length right {natural_order_longer[1]:.2%}")
# Measured with seed 0: 42.5 % of the real symbols after 1,500 batches (33.4 % after 500),
# against 99.7 % for reversed reading after 500: three times the training closed less than a
# sixth of the gap.
