"""The checkers of notebook 06 · learning to add."""

from numbers import Integral

import torch

from course_lib.exercises import Unanswered, attempt
from course_lib.checkers.common import Right, device_of, digit_shifted, exercise, not_a_fraction


def column_question(a, b):
    """a + b as the 4 column symbols 1 + 10 a_i + b_i, most significant first: (1, 4)."""
    digits = [((a // 10 ** k) % 10, (b // 10 ** k) % 10) for k in reversed(range(4))]
    return torch.tensor([[1 + 10 * digit_a + digit_b for digit_a, digit_b in digits]])


def model_answer(model, a, b):
    """What an adding Seq2Seq writes for a + b: 5 digits, units first, read as a number."""
    device = device_of(model)
    written = model.generate(column_question(a, b).to(device), torch.tensor([4], device=device), 5)[0]
    return sum((symbol - 1) * 10 ** place for place, symbol in enumerate(written.tolist()))


def built_as(model):
    """An encoder-decoder's cell, input symbols, width and depth, in words."""
    encoder = model.encoder
    return (f"{type(encoder).__name__} of {encoder.hidden_size} units reading {encoder.input_size} symbols"
            + (f", {encoder.num_layers} layers" if encoder.num_layers > 1 else ""))


def column_predictions(model, test_columns, steps):
    """What an adding Seq2Seq writes for the held-out column questions: (B, steps) symbols."""
    device = device_of(model)
    return model.generate(test_columns.to(device), torch.full((len(test_columns),), 4, device=device), steps).cpu()


@exercise("Exercise 6.1, reading order")
def check_reading_order(units_first, units_first_exact, early_rnn, test_columns, test_answers):
    """The method, not the outcome: a new model like early_rnn (the column RNN after 300 batches,
    reading thousands first), reading units first, trained on the columns for the same 300 batches
    (it writes five digits and a stop, and still errs), its exact match measured on the held-out sums."""
    if units_first is None or units_first_exact is None:
        return "not answered yet: train units_first and store its exact match in units_first_exact"
    if not units_first.reverse_input:
        return "units_first reads the thousands first: build it with reverse_input=True"
    if built_as(units_first) != built_as(early_rnn):
        return (f"units_first is a {built_as(units_first)}, early_rnn a {built_as(early_rnn)}: change only the "
                "reading order (train_column_rnn(batches=300, reverse_input=True) builds it like early_rnn)")
    if all(torch.equal(mine, its) for mine, its in zip(units_first.parameters(), early_rnn.parameters())):
        return ("units_first has early_rnn's weights with its reading order switched after training: train a new "
                "model that reads units first from the start (train_column_rnn(batches=300, reverse_input=True))")
    if (problem := not_a_fraction("units_first_exact", units_first_exact)) is not None:
        return problem
    predictions = column_predictions(units_first, test_columns, test_answers.shape[1])
    answer_shaped = ((predictions[:, :5] != 0).all(dim=1) & (predictions[:, 5] == 0)).float().mean().item()
    if answer_shaped < 0.95:
        return (f"units_first writes five digits and then a stop for only {answer_shaped:.0%} of the held-out sums: "
                "train it on the column sums first (train_column_rnn(batches=300, reverse_input=True))")
    measured = (predictions == test_answers).all(dim=1).float().mean().item()
    if abs(measured - units_first_exact) > 0.01:
        return (f"units_first_exact says {units_first_exact:.2%}, but units_first answers {measured:.2%} "
                "of the held-out sums exactly")
    if (batches := getattr(units_first, "trained_batches", None)) != early_rnn.trained_batches:
        return (f"units_first was trained for {batches if batches is not None else 'an unknown number of'} batches, "
                f"early_rnn for {early_rnn.trained_batches}: give both orders the same budget "
                "(train_column_rnn(batches=300, reverse_input=True))")
    thousands_first = (column_predictions(early_rnn, test_columns, test_answers.shape[1]) == test_answers)
    return Right(f"after 300 batches, read units first, the RNN answers {measured:.2%} of the held-out sums exactly; "
                 f"read thousands first (early_rnn), {thousands_first.all(dim=1).float().mean().item():.2%}: "
                 "now say whether the diagram's argument picked the faster order")


ADD_EXAMPLES = [(4821, 907), (100, 100), (9999, 9999), (1234, 5678), (5050, 4950)]


@exercise("Exercise 6.2, add", "returns what the model writes, for a model that adds well and for one that does not")
def check_add(add, model):
    shifted = digit_shifted(model, digit_rows=list(range(1, 11)), silenced_rows=[0])  # 1..10: digits, 0: stop
    for asked, whose in [(model, "the model"), (shifted, "a copy of the model that writes every digit one higher")]:
        for a, b in ADD_EXAMPLES:
            answer = attempt(add, asked, a, b)
            if isinstance(answer, Unanswered):
                return answer.reason
            if not isinstance(answer, Integral) or isinstance(answer, bool):
                return f"add({a}, {b}) returned {answer!r}, expected an int"
            expected = model_answer(asked, a, b)
            if answer != expected:
                hint = ": add must return what the model writes, not the true sum" if answer == a + b else ""
                return f"asked {whose}, add gave {answer} for {a}+{b}, but that model writes {expected}{hint}"

