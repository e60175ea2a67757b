@torch.no_grad()
def answer_odds(model, question, temperature):
    scores, _ = model(torch.tensor([[TAO_CHARS.index(char) for char in question]], device=device))  # (1, T, V)
    return torch.softmax(scores[0, -1] / temperature, dim=-1).cpu()    # after the question's last character


for temperature in (0.5, 1, 3):
    right = answer_odds(tao, "7+8=", temperature)[TAO_CHARS.index("1")].item()
    print(f"temperature {temperature}: Tao writes '1' first after 7+8= with probability {right:.3f}, "
          f"something else with probability {1 - right:.3f}")

# Why whole answers go wrong more often: after the '1', Tao still has to draw the '5' and then the
# full stop, each at the same temperature, and each draw can go wrong too. The chances of getting
# every draw right multiply, so the errors add up: a whole answer is wrong more often than its
# first character alone.
