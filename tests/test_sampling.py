"""course_lib.sampling.sample_next, which notebooks 07 and 08 use, draws exactly what notebook
02's hand-written sample_next draws, given generators seeded alike."""
import torch

import course
from course_lib import sampling

sample_next = course.definitions("02", "sample_next")["sample_next"]


def test_the_library_draws_what_notebook_02_draws():
    scores = torch.randn(10, generator=torch.Generator().manual_seed(1))
    for temperature in [0, 0.5, 1.0, 2.0]:
        ours = [sample_next(scores, temperature, torch.Generator().manual_seed(s)) for s in range(200)]
        kept = [sampling.sample_next(scores, temperature, torch.Generator().manual_seed(s)) for s in range(200)]
        assert ours == kept, temperature
