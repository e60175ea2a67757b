"""The machine: where tensors and models go (the GPU when there is one), and how long a call takes there."""
import time
from concurrent.futures import ThreadPoolExecutor

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


def side_by_side(function, items, device, workers=2):
    """[function(item) for item in items], computed two at a time with one PyTorch thread each
    when `device` is the CPU: on a 2-core laptop small models train sooner that way than one at a
    time on both cores. On a GPU one at a time: threads sharing Apple's MPS device crash PyTorch."""
    items = list(items)
    if torch.device(device).type != "cpu":
        return [function(item) for item in items]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(function, items))
    finally:
        torch.set_num_threads(threads)
