"""The checkers of notebook 12 · which language."""

import math

import numpy as np
import torch

from course_lib.exercises import Unanswered, attempt, mismatch
from course_lib.checkers.common import Right, exercise


@exercise("Exercise 12.1, reading a confusion matrix")
def check_read_the_matrix(accuracy_per_language, most_confused, confusion, languages):
    generator = torch.Generator().manual_seed(12)
    matrices = [torch.randint(0, 9, (size, size), generator=generator) + 30 * torch.eye(size, dtype=torch.long)
                for size in (3, 5)] + [confusion]
    for matrix in matrices:
        what = f"a {len(matrix)} x {len(matrix)} confusion matrix"
        answer = attempt(accuracy_per_language, matrix.clone())
        if isinstance(answer, Unanswered):
            return answer.reason
        expected = matrix.diagonal() / matrix.sum(dim=1)
        if isinstance(answer, (torch.Tensor, np.ndarray)) and torch.as_tensor(answer).shape == expected.shape:
            if torch.allclose(torch.as_tensor(answer).double(), (matrix.diagonal() / matrix.sum(dim=0)).double()):
                return (f"for {what}: you divided by the column sums, the answers given; a language's accuracy "
                        "is the share of its own names (its row) answered right")
        if (problem := mismatch(answer, expected)) is not None:
            return f"accuracy_per_language, for {what}: {problem}"
        pair = attempt(most_confused, matrix.clone())
        if isinstance(pair, Unanswered):
            return pair.reason
        try:
            row, column = (int(index) for index in pair)
        except (TypeError, ValueError):
            return f"most_confused should return a pair (true, answered) of indices, got {pair!r:.80}"
        if row == column:
            return f"most_confused, for {what}: ({row}, {column}) is on the diagonal, where the right answers are"
        off_diagonal = matrix.clone().fill_diagonal_(-1)
        if matrix[row, column] != off_diagonal.max():
            return (f"most_confused, for {what}: cell ({row}, {column}) counts {int(matrix[row, column])}, "
                    "and another cell off the diagonal counts more")
    off_diagonal = confusion.clone().fill_diagonal_(-1)
    row, column = divmod(int(off_diagonal.argmax()), confusion.shape[1])
    return Right(f"both work on any confusion matrix; the reader's commonest mistake: {languages[row]} names "
                 f"called {languages[column]} ({int(confusion[row, column])} times)")


@exercise("Exercise 12.2, the telling n-gram")
def check_telling_ngram(telling_ngram, counts, test, guesses):
    def log_p(gram, language):  # the smoothed estimate of the notebook, from the raw counts
        return math.log((counts.counts[language][gram] + 1) / (counts.totals[language] + counts.distinct))

    wrong = [(name, said, truth) for (truth, name), said in zip(test, guesses) if said != truth]
    cases = wrong[:6] + [(name, truth, said) for name, said, truth in wrong[6:8]]  # and two the other way round
    for name, said, truth in cases:
        marked = f"^{name}$"
        grams = {marked[i:i + k] for k in range(1, counts.n + 1) for i in range(len(marked) - k + 1)}
        favour = {gram: log_p(gram, said) - log_p(gram, truth) for gram in grams}
        answer = attempt(telling_ngram, counts, name, said, truth)
        if isinstance(answer, Unanswered):
            return answer.reason
        if not isinstance(answer, str):
            return f"telling_ngram should return an n-gram, a string such as 'ski$', got {answer!r:.80}"
        if answer not in favour:
            return f"for {name!r}: {answer!r} is not one of its n-grams (ngrams(name, counts.n))"
        if favour[answer] < max(favour.values()) - 1e-9:
            return (f"for {name!r}, {said} against {truth}: {answer!r} favours {said} by "
                    f"{favour[answer]:+.2f} in log-probability, and another of its n-grams favours it more")
    name, said, truth = wrong[0]
    return Right(f"e.g. {name!r} ({truth}) was called {said}: its n-gram {telling_ngram(counts, name, said, truth)!r} "
                 f"is commoner in {said} than in {truth}")

