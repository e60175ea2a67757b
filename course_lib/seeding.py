"""One call that makes a notebook's random numbers repeat from run to run."""
import random

import numpy as np
import torch


def seed_everything(seed):
    """Seed Python's, NumPy's and PyTorch's generators (CPU and every GPU)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
