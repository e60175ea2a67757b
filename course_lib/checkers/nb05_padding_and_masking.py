"""The checkers of notebook 05 · padding and masking."""

import torch
from torch import nn

from course_lib.exercises import Unanswered, attempt, mismatch
from course_lib.sequences import decoded_lengths, length_mask
from course_lib.checkers.common import Right, device_of, exercise, not_a_fraction


@exercise("Exercise 5.1, encode_packed", "the same (1, B, H) states as model.encode")
def check_encode_packed(encode_packed, model, ids, lengths):
    packed = []                                         # what the encoder was handed: packed or not
    hook = model.encoder.register_forward_pre_hook(
        lambda encoder, inputs: packed.append(isinstance(inputs[0], nn.utils.rnn.PackedSequence)))
    try:
        with torch.no_grad():
            answer = attempt(encode_packed, model, ids, lengths)
    finally:
        hook.remove()
    if isinstance(answer, Unanswered):
        return answer.reason
    if not any(packed):
        return "the encoder was never handed a PackedSequence: give it pack_padded_sequence(...) and keep its h_n"
    if not all(packed):
        return ("the encoder was also handed a plain tensor (model.encode does that): the answer must come from "
                "the packed call alone")
    with torch.no_grad():
        return mismatch(answer, model.encode(ids, lengths), atol=1e-5)


@exercise("Exercise 5.2, natural order trained longer")
def check_natural_order_longer(natural_order, natural_order_losses, natural_order_longer, fresh, results,
                               ablation_losses):
    if natural_order is None or natural_order_losses is None or natural_order_longer is None:
        return "not answered yet: set natural_order, natural_order_losses and natural_order_longer"
    if getattr(natural_order, "without", None) != "reversed reading":
        return 'natural_order should lack reversed reading and nothing else: WithoutOneFix(4, 128, "reversed reading")'
    usual = ablation_losses["reversed reading", 0]              # the ablation's natural-order model, seed 0
    if not (isinstance(natural_order_losses, (list, tuple)) and len(natural_order_losses) == 3 * len(usual)):
        return (f"natural_order_losses should be what train_masked returns for {3 * len(usual)} batches "
                f"(batches=3 * BATCHES), got {type(natural_order_losses).__name__} "
                f"of length {len(natural_order_losses) if hasattr(natural_order_losses, '__len__') else 1}")
    if abs(natural_order_losses[0] - usual[0]) > 1e-4:
        return (f"the first batch's loss is {natural_order_losses[0]:.5f}, where the ablation's seed-0 model had "
                f"{usual[0]:.5f} on the same first batch: call seed_everything(0) right before building the model, "
                "and train it on train_data")
    if isinstance(natural_order_longer, list):
        natural_order_longer = tuple(natural_order_longer)
    if not (isinstance(natural_order_longer, tuple) and len(natural_order_longer) == 2):
        return f"natural_order_longer should be a pair (real symbols right, lengths right), got {natural_order_longer!r}"
    for what, value in zip(("real symbols right", "lengths right"), natural_order_longer):
        if (problem := not_a_fraction(f"the {what} in natural_order_longer", value)) is not None:
            return problem
    device = device_of(natural_order)
    predictions = natural_order.generate(fresh.ids.to(device), fresh.lengths.to(device), fresh.ids.shape[1]).cpu()
    measured = ((predictions == fresh.ids)[length_mask(fresh.lengths, fresh.ids.shape[1])].float().mean().item(),
                (decoded_lengths(predictions) == fresh.lengths).float().mean().item())
    for what, given, actual in zip(("real symbols right", "lengths right"), natural_order_longer, measured):
        if abs(given - actual) > 1e-3:
            return (f"natural_order_longer says {given:.2%} {what}, but natural_order gets {actual:.2%} on the fresh "
                    "sequences: score it with evaluate(natural_order)")
    before, reversed_reading = results["reversed reading", 0], results[None, 0]
    return Right(f"natural order, seed 0: {before[0]:.1%} of the real symbols after {len(usual)} batches, "
                 f"{natural_order_longer[0]:.1%} after {len(natural_order_losses)} (lengths: {before[1]:.1%}, then "
                 f"{natural_order_longer[1]:.1%}); reversed reading: {reversed_reading[0]:.1%} after {len(usual)}")

