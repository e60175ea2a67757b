"""The machine: where tensors and models go (the GPU when there is one), and how long a call takes there."""
import time

import torch


def pick_device():
    """torch.device('cuda') or 'mps' when available, else 'cpu'."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def wait_for_gpu():
    """A GPU works behind Python's back: wait until it has done what it was given."""
    if torch.cuda.is_initialized():
        torch.cuda.synchronize()
    if torch.backends.mps.is_available():
        torch.mps.synchronize()


def timed(function, *args, **kwargs):
    """(seconds, result) of one call, the GPU's work included."""
    wait_for_gpu()
    start = time.perf_counter()
    result = function(*args, **kwargs)
    wait_for_gpu()
    return time.perf_counter() - start, result
