def decode(rows, chars):
    # the index of the largest entry of each row, looked up in the alphabet
    return "".join(chars[i] for i in rows.argmax(dim=-1).tolist())
