seed_everything(0)
natural_order = WithoutOneFix(4, 128, "reversed reading").to(device)
train_masked(natural_order, train_data, batches=3 * BATCHES, without="reversed reading")
natural_order_longer = evaluate(natural_order)[:2]
print(f"natural order, {3 * BATCHES} batches: accuracy {natural_order_longer[0]:.2%}, "
      f"length right {natural_order_longer[1]:.2%}")
# The checker below prints both natural-order figures beside reversed reading's: see how much
# of the gap three times the training closes.
