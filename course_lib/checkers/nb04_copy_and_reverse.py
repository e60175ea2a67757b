"""The checkers of notebook 04 · copy and reverse."""

import math
from numbers import Real

import torch

from course_lib.checkers.common import Right, device_of, exercise, not_a_fraction, wrong_keys


def symbol_accuracy(model, sequences):
    """Fraction of output symbols of an encoder-decoder equal to the targets of `sequences`."""
    inputs, targets = sequences[:]
    with torch.no_grad():
        return (model(inputs.to(device_of(model))).argmax(-1).cpu() == targets).float().mean().item()


def batches_until(losses, level=0.1, window=50):
    """How many batches until the mean of the last `window` losses is below `level` (None: never)."""
    for end in range(window, len(losses) + 1):
        if sum(losses[end - window:end]) / window < level:
            return end
    return None


@exercise("Exercise 4.1, reverse")
def check_reverse(reverse_model, reverse_accuracy, reverse_losses, batches_to_learn, copy_losses, reversed_sequences):
    if reverse_model is None or reverse_accuracy is None:
        return "not answered yet: train reverse_model and store its accuracy in reverse_accuracy"
    if (problem := not_a_fraction("reverse_accuracy", reverse_accuracy)) is not None:
        return problem
    measured = symbol_accuracy(reverse_model, reversed_sequences)
    if abs(measured - reverse_accuracy) > 0.01:
        return (f"reverse_accuracy says {reverse_accuracy:.2%}, but reverse_model gets {measured:.2%} "
                "of the symbols of the held-out reversed sequences right")
    if measured < 0.99:
        return (f"reverse_model gets {measured:.2%} of held-out reversed symbols right; trained like the "
                "copy model on reversed targets, it gets over 99 %")
    if len(reverse_losses) != len(copy_losses):
        return (f"reverse_losses holds {len(reverse_losses)} losses, the copy model trained for "
                f"{len(copy_losses)} batches: train for the same budget and keep what train returns")
    chance = math.log(reversed_sequences.n_symbols)
    if not (all(isinstance(loss, Real) for loss in reverse_losses) and abs(reverse_losses[0] - chance) < 0.2):
        return (f"reverse_losses should start near ln {reversed_sequences.n_symbols} = {chance:.2f}, the loss "
                "of an untrained model: keep the loss of every batch, from the first")
    if (problem := wrong_keys("batches_to_learn", batches_to_learn, ["copy", "reverse"])) is not None:
        return problem
    for task, task_losses in [("copy", copy_losses), ("reverse", reverse_losses)]:
        expected = batches_until(task_losses)
        answer = batches_to_learn[task]
        if expected is None or not isinstance(answer, Real) or abs(answer - expected) > 1:
            return (f"batches_to_learn['{task}'] is {answer!r}, but the mean of the last 50 {task} losses "
                    f"first falls below 0.1 after {expected} batches")
    return Right(f"reverse_model gets {measured:.2%} of held-out reversed symbols right; the loss falls below "
                 f"0.1 after {batches_to_learn['reverse']} batches in reverse, {batches_to_learn['copy']} in copy")


CAPACITY_PAIRS = [(n_symbols, hidden) for n_symbols in (3, 8) for hidden in (16, 32, 64)]


@exercise("Exercise 4.2, alphabet size against hidden units")
def check_capacity(capacity, capacity_models, held_out):
    if not capacity and not capacity_models:
        return "not answered yet: capacity and capacity_models are empty"
    for name, table in [("capacity_models", capacity_models), ("capacity", capacity)]:
        if (problem := wrong_keys(name, table, CAPACITY_PAIRS)) is not None:
            return problem + " (keys are (n_symbols, hidden units))"
    for pair, accuracy in capacity.items():
        if (problem := not_a_fraction(f"capacity[{pair}]", accuracy)) is not None:
            return problem
    measured = {}
    for (n_symbols, hidden), model in capacity_models.items():
        if (size := getattr(getattr(model, "encoder", None), "hidden_size", hidden)) != hidden:
            return f"capacity_models[{n_symbols, hidden}] has {size} hidden units"
        measured[n_symbols, hidden] = symbol_accuracy(model, held_out(n_symbols=n_symbols))
        if abs(measured[n_symbols, hidden] - capacity[n_symbols, hidden]) > 0.01:
            return (f"capacity[{n_symbols, hidden}] is {capacity[n_symbols, hidden]:.1%}, but its model copies "
                    f"{measured[n_symbols, hidden]:.1%} of held_out(n_symbols={n_symbols}): measure it there")
    if not measured[3, 64] > measured[3, 16] + 0.1:
        return (f"with 3 symbols, 64 units get {measured[3, 64]:.1%} and 16 units {measured[3, 16]:.1%}: "
                "trained for 200 batches, a bigger state should hold 10 symbols far better")
    return Right(f"64 units: {measured[3, 64]:.1%} with 3 symbols, {measured[8, 64]:.1%} with 8; "
                 f"16 units with 3 symbols: {measured[3, 16]:.1%}")


@exercise("Exercise 4.3, other lengths")
def check_other_lengths(accuracy_by_length, model, held_out):
    if not accuracy_by_length:
        return "not answered yet: accuracy_by_length is empty"
    if (problem := wrong_keys("accuracy_by_length", accuracy_by_length, list(range(2, 21)))) is not None:
        return problem
    for length, accuracy in accuracy_by_length.items():
        if (problem := not_a_fraction(f"accuracy_by_length[{length}]", accuracy)) is not None:
            return problem
    for length in range(2, 21):
        measured = symbol_accuracy(model, held_out(length=length))
        if abs(measured - accuracy_by_length[length]) > 0.05:
            return (f"accuracy_by_length[{length}] is {accuracy_by_length[length]:.1%}, but that is not what the "
                    f"model copies of held-out sequences of length {length}: use held_out(length={length})")
    others = max(accuracy for length, accuracy in accuracy_by_length.items() if length != 10)
    return Right(f"length 10: {accuracy_by_length[10]:.1%}, every other length at most {others:.1%} (chance 33 %)")

