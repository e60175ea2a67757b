def inside_comment(text):
    in_string = text_features(text)[:, 0]
    marks, comment = [], False
    for char, string in zip(text, in_string):
        if char == "\n":
            comment = False
        elif char == "#" and not string:
            comment = True
        marks.append(comment)
    return np.array(marks, dtype=float)


comments = inside_comment(sample)                                          # (T,)
comment_r = correlations(cells[first], comments[first, None])[:, 0]        # (H,): on the first half only
comment_cell = int(np.abs(comment_r).argmax())
