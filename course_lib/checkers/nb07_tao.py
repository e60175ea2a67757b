"""The checkers of notebook 07 · Tao."""

import torch

from course_lib.exercises import Unanswered, attempt
from course_lib.checkers.common import Right, device_of, digit_shifted, exercise


@exercise("Exercise 7.1, report_card")
def check_report_card(report_card, tao, tao_generate, sensei):
    questions = [f"{a}+{b}=" for a in range(10) for b in range(10)]
    dunce = digit_shifted(tao, digit_rows=list(range(10)))             # TAO_CHARS starts with 0..9
    counts = []
    for model, whose in [(tao, "Tao"), (dunce, "a copy of Tao that writes every digit one higher")]:
        report = attempt(report_card, model)
        if isinstance(report, Unanswered):
            return report.reason
        if not (isinstance(report, list) and all(isinstance(entry, tuple) and len(entry) == 2 for entry in report)):
            return f"report_card should return a list of (question, answer) pairs, got {report!r:.80}"
        answers = {question: tao_generate(model, question) for question in questions}
        expected = [(question, answer) for question, answer in answers.items() if answer != sensei(question)[:-1]]
        extra = [entry for entry in report if entry not in expected]
        missing = [entry for entry in expected if entry not in report]
        if extra or missing:
            example = (f"{extra[0]!r} is not one of its mistakes" if extra
                       else f"it leaves out {missing[0]!r}")
            right_answers = all(answers.get(question) == answer == sensei(question)[:-1] for question, answer in report)
            hint = (": sensei's answer ends with '.', tao_generate's does not" if extra and right_answers else "")
            return f"for {whose} your report lists {len(report)} mistakes, expected {len(expected)}: {example}{hint}"
        counts.append(len(expected))
    return Right(f"Tao gets {counts[0]} of the 100 sums wrong; a copy that writes every digit one higher, {counts[1]}")


@exercise("Exercise 7.2, answer_odds")
def check_answer_odds(answer_odds, tao, tao_chars):
    """The probabilities of the first character after a question, at a temperature, from the model
    given (Tao, and a copy that writes every digit one higher)."""
    dunce = digit_shifted(tao, digit_rows=list(range(10)))             # TAO_CHARS starts with 0..9
    for model, whose in [(tao, "Tao"), (dunce, "a copy of Tao that writes every digit one higher")]:
        for question in ["7+8=", "0+0=", "9+9=", "3+4="]:
            with torch.no_grad():
                scores, _ = model(torch.tensor([[tao_chars.index(char) for char in question]], device=device_of(model)))
            scores = scores[0, -1].float().cpu()                         # the scores after the question's last character
            for temperature in (0.5, 1.0, 3.0):
                odds = attempt(answer_odds, model, question, temperature)
                if isinstance(odds, Unanswered):
                    return odds.reason
                asked = f"for {whose}, answer_odds(model, {question!r}, {temperature})"
                if not isinstance(odds, torch.Tensor) or odds.shape != scores.shape:
                    return (f"{asked} gave {odds!r:.60}, expected a tensor of shape ({len(tao_chars)},): one "
                            "probability per character of TAO_CHARS")
                odds = odds.detach().float().cpu()
                if abs(odds.sum().item() - 1) > 1e-4:
                    return (f"{asked} sums to {odds.sum().item():.3f}, not 1: turn the scores into probabilities "
                            "with a softmax")
                expected = torch.softmax(scores / temperature, dim=-1)
                if not torch.allclose(odds, expected, atol=1e-5):
                    if temperature != 1 and torch.allclose(odds, torch.softmax(scores, dim=-1), atol=1e-5):
                        return (f"{asked} gives the probabilities at temperature 1: divide the scores by the "
                                "temperature before the softmax")
                    worst = int((odds - expected).abs().argmax())
                    return (f"{asked} gives {tao_chars[worst]!r} the probability {odds[worst]:.4f}, "
                            f"expected {expected[worst]:.4f}: the probabilities of the first character written "
                            "after the question, from the model given")
    seven_and_eight = torch.tensor([[tao_chars.index(char) for char in "7+8="]], device=device_of(tao))
    with torch.no_grad():
        scores = tao(seven_and_eight)[0][0, -1].float().cpu()
    right = [torch.softmax(scores / t, dim=-1)[tao_chars.index("1")].item() for t in (0.5, 1.0, 3.0)]
    return Right("Tao writes '1' first after 7+8= with probability " + ", ".join(
        f"{p:.3f} at temperature {t:g}" for p, t in zip(right, (0.5, 1, 3))))

