"""Sums as data, shown and used in notebook 06: operands, the question as text, the answer as
text or digits, aligned digit columns, and exact match. (The original tutorial's adder itself
is notebook 06's own code; benchmark.py takes it from there.)"""
import torch

QUESTION_CHARS, ANSWER_CHARS = "·0123456789+", "·0123456789"   # "·" pads
ANSWER_STOP, ANSWER_SYMBOLS = 0, 11                            # answer symbols: 0 = stop, digit d = d + 1


def draw_sums(count, seed):
    """Two (count,) tensors of operands drawn uniformly from 100 to 9999."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randint(100, 10_000, (count,), generator=generator),
            torch.randint(100, 10_000, (count,), generator=generator))


def encode_text(strings, alphabet, width):
    """Strings -> (len(strings), width) ids over `alphabet`, padded with its first character."""
    index = {char: i for i, char in enumerate(alphabet)}
    return torch.tensor([[index[char] for char in string.ljust(width, alphabet[0])] for string in strings])


def as_text(a, b):
    """The original tutorial's form: "a+b" (9 wide) and the sum, most significant digit first (5 wide)."""
    questions = [f"{x}+{y}" for x, y in zip(a.tolist(), b.tolist())]
    answers = [str(x + y) for x, y in zip(a.tolist(), b.tolist())]
    return encode_text(questions, QUESTION_CHARS, 9), encode_text(answers, ANSWER_CHARS, 5)


def exact_match(predictions, answers):
    """Share of rows of (B, T) predictions equal to the answers at every position."""
    return (predictions == answers).all(dim=1).float().mean().item()


def as_text_questions(a, b, units_first=True):
    """Questions as the characters of "a+b" (ids over QUESTION_CHARS, padded) with their lengths;
    answers as digits + 1 (units first unless units_first=False), then a stop, with a mask over
    those digits and the stop."""
    questions = [f"{x}+{y}" for x, y in zip(a.tolist(), b.tolist())]
    lengths = torch.tensor([len(question) for question in questions])
    totals = [str(total)[::-1] if units_first else str(total) for total in (a + b).tolist()]
    answers = torch.tensor([[int(digit) + 1 for digit in total] + [ANSWER_STOP] * (6 - len(total))
                            for total in totals])
    mask = torch.arange(6) <= torch.tensor([len(total) for total in totals])[:, None]  # digits and stop
    return encode_text(questions, QUESTION_CHARS, 9), lengths, answers, mask


def text_batches(a, b, batch_size=128, units_first=True):
    """Batches (questions, lengths, answers, mask) for train_seq2seq."""
    tensors = as_text_questions(a, b, units_first)
    return [tuple(t[i:i + batch_size] for t in tensors) for i in range(0, len(a), batch_size)]


def text_exact_match(model, questions, lengths, answers, mask):
    """Share of questions whose generated digits and stop all match (what follows is ignored)."""
    device = next(model.parameters()).device
    predictions = model.generate(questions.to(device), lengths.to(device), answers.shape[1]).cpu()
    return ((predictions == answers) | ~mask).all(dim=1).float().mean().item()


def digits(numbers, count):
    """(B,) -> (B, count) decimal digits, most significant first."""
    return torch.stack([(numbers // 10 ** k) % 10 for k in reversed(range(count))], dim=1)


def as_columns(a, b):
    """Questions as 4 column symbols 1 + 10 a_i + b_i; answers as 5 digits + 1, units first, then a stop."""
    columns = 1 + 10 * digits(a, 4) + digits(b, 4)
    answer_digits = digits(a + b, 5).flip(1) + 1
    return columns, torch.cat([answer_digits, torch.full((len(a), 1), ANSWER_STOP)], dim=1)


def column_batches(a, b, batch_size=128):
    """Batches (columns, lengths, answers, mask) for train_seq2seq; all 6 answer positions count."""
    columns, answers = as_columns(a, b)
    lengths = torch.full((len(a),), 4)
    everything = torch.ones(len(a), 6, dtype=torch.bool)
    return [(columns[i:i + batch_size], lengths[i:i + batch_size], answers[i:i + batch_size],
             everything[i:i + batch_size]) for i in range(0, len(a), batch_size)]
