def report_card(model):
    questions = [f"{a}+{b}=" for a in range(10) for b in range(10)]
    answers = [(question, tao_generate(model, question)) for question in questions]
    return [(question, answer) for question, answer in answers if answer != sensei(question)[:-1]]


tao_mistakes = report_card(tao)
print(f"zero start: {len(tao_mistakes)} mistakes {tao_mistakes}")
random_start_mistakes = report_card(tao_runs["random every batch", 0][0])
print(f"random start: {len(random_start_mistakes)} mistakes {random_start_mistakes}")
