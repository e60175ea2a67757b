def accuracy_per_language(confusion):
    return confusion.diagonal() / confusion.sum(dim=1)          # right answers / names of that language


def most_confused(confusion):
    mistakes = confusion.clone().fill_diagonal_(-1)             # the right answers can never be the largest
    return divmod(int(mistakes.argmax()), confusion.shape[1])   # flat index -> (row, column)


for language, accuracy in zip(LANGUAGES, accuracy_per_language(confusion)):
    print(f"{language:>8} {accuracy:.1%}")
truth, said = most_confused(confusion)
print(f"commonest mistake: {LANGUAGES[truth]} names called {LANGUAGES[said]}")
