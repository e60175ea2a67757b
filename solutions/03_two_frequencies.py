seed_everything(0)
mixed_inputs, mixed_targets, _ = sinusoids(512, 50, periods=(20.0, 7.0))
mixed_batches = DataLoader(TensorDataset(mixed_inputs, mixed_targets), batch_size=32, shuffle=True)
mixed_validation = DataLoader(TensorDataset(*sinusoids(128, 50, periods=(20.0, 7.0))[:2]), batch_size=128)
mixed_test, _, mixed_clean = sinusoids(20, 150, periods=(20.0, 7.0))   # new sums, for generation

mixed_models, mixed_mse = {}, {}
for hidden_size in (2, 4):
    seed_everything(0)
    mixed_model = mixed_models[hidden_size] = LinearRecurrence(1, hidden_size, 1).to(device)
    train_model(mixed_model, mixed_batches, mixed_validation)
    generated = mixed_model.generate(mixed_test[:, :50], 100).cpu()[..., 0]
    mixed_mse[hidden_size] = F.mse_loss(generated, mixed_clean[:, 50:150]).item()
    angles = torch.linalg.eigvals(free_running_matrix(mixed_model)).angle().abs().unique()
    print(f"{hidden_size} units: free-running MSE {mixed_mse[hidden_size]:.4f}, "
          f"eigenvalue angles {angles.numpy().round(3)}")
print(f"2π/20 = {2 * math.pi / 20:.3f}, 2π/7 = {2 * math.pi / 7:.3f}: each period needs its own pair of units")
