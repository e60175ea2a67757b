seed_everything(0)
natural_order = WithoutOneFix(4, 128, "reversed reading").to(device)
natural_order_losses = train_masked(natural_order, train_data, batches=3 * BATCHES, without="reversed reading")
natural_order_longer = evaluate(natural_order)[:2]
print(f"natural order, {3 * BATCHES} batches: real symbols right {natural_order_longer[0]:.2%}, "
      f"lengths right {natural_order_longer[1]:.2%}")
# How to read it: a figure above chance (33 %) but far below reversed reading's means natural
# order does learn, slowly; one still at chance would not tell "slower" from "cannot". To tell
# them apart, score the model every few hundred batches and see whether the curve still rises,
# and look at which positions it gets right first.
