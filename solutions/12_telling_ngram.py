def telling_ngram(counts, name, said, truth):
    return max(ngrams(name, counts.n),
               key=lambda gram: counts.log_probability(gram, said) - counts.log_probability(gram, truth))


wrongly_counted = [(name, said, truth) for (truth, name), said in zip(test, baseline_guesses) if said != truth]
for name, said, truth in wrongly_counted[:8]:
    print(f"{name:>14} ({truth}) called {said}: {telling_ngram(baseline, name, said, truth)!r}")
