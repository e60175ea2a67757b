"""Where tensors and models go: the GPU when there is one, else the CPU."""
import torch


def pick_device():
    """torch.device('cuda') or 'mps' when available, else 'cpu'."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
