def add(model, a, b):
    columns, _ = as_columns(torch.tensor([a]), torch.tensor([b]))
    answer = model.generate(columns.to(device), torch.tensor([4]).to(device), 5)[0].cpu()
    return sum(int(symbol - 1) * 10 ** place for place, symbol in enumerate(answer.tolist()))
