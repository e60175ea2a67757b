"""The checkers of notebook 11 · attention."""

import torch

from course_lib import attention
from course_lib.exercises import attempt, mismatch, shape_mismatch
from course_lib.sequences import length_mask
from course_lib.checkers.common import Right, device_of, exercise, forbidding, not_a_fraction, used_the_course


@exercise("Exercise 11.1, masked_softmax", "the padding gets exactly 0 and every row sums to 1")
def check_masked_softmax(masked_softmax):
    generator = torch.Generator().manual_seed(11)
    scores = 3 * torch.randn(3, 4, 6, generator=generator)                       # (B, T_out, T_in)
    mask = (torch.arange(6) < torch.tensor([6, 4, 1])[:, None])[:, None, :]      # (B, 1, T_in)
    with forbidding(attention.masked_softmax):
        weights = attempt(masked_softmax, scores.clone(), mask)
    if (problem := used_the_course(weights, "masked_softmax (course_lib.attention)")) is not None:
        return problem
    problem = shape_mismatch(weights, scores.shape)
    if problem:
        return f"for scores of shape {tuple(scores.shape)} and a mask of shape {tuple(mask.shape)}: {problem}"
    weights = weights.detach().double()
    on_padding = weights.masked_select(~mask.expand_as(weights)).abs().max().item()
    if not on_padding <= 1e-9:
        return (f"a padding position gets a weight of {on_padding:.3g}: it must get exactly 0 (give its score "
                "a value whose exponential is 0 before the softmax)")
    sums = weights.sum(dim=-1)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-6):
        return (f"the weights of a row sum to {sums.flatten()[(sums - 1).abs().argmax()].item():.3f}, not 1: "
                "the real positions must share all the weight (softmax over the last axis, after masking)")
    return mismatch(weights, scores.masked_fill(~mask, float("-inf")).softmax(dim=-1).double())


@exercise("Exercise 11.2, copying")
def check_copy_diagonal(copy_model, copy_diagonal, copy_fresh):
    if copy_model is None or copy_diagonal is None:
        return "copy_model and copy_diagonal are not answered yet"
    if not getattr(copy_model, "attention", False) or not hasattr(copy_model, "generate"):
        return "copy_model should be an AttentionSeq2Seq with attention (attention=True)"
    problem = not_a_fraction("copy_diagonal", copy_diagonal)
    if problem:
        return problem
    ids, lengths, device = copy_fresh.ids, copy_fresh.lengths, device_of(copy_model)
    with torch.no_grad():
        predictions, looked = copy_model.generate(ids.to(device), lengths.to(device), ids.shape[1])
    real = length_mask(lengths, ids.shape[1])
    copied = (predictions.cpu() == ids)[real].float().mean().item()
    if copied < 0.95:
        return (f"copy_model copies {copied:.1%} of the symbols of copy_fresh; trained on copy_batches(copy_data) "
                "(copying, not reversing) it gets over 95 %")
    steps = torch.arange(looked.shape[1])
    diagonal = looked.cpu()[:, steps, steps.clamp(max=looked.shape[2] - 1)][real].mean().item()
    if abs(copy_diagonal - diagonal) > 0.01:
        direction = "more" if diagonal > copy_diagonal else "less"
        return (f"copy_diagonal is {copy_diagonal:.3f}, but copy_model puts {direction} of each step's weight on the "
                "input position it copies (output step t on input position t, averaged over copy_fresh's real "
                "symbols): measure it on copy_model's own attention weights")
    return Right(f"copy_model copies {copied:.1%} of the symbols and puts {diagonal:.1%} of each step's weight on "
                 "the position it copies")

