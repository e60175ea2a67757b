from course_lib.corpus import python_source_text

code = python_source_text(300_000)
code_train, code_validation = split_text(code)            # the last 10 % held out
counted = MarkovModel(code_train, 8, set(code))           # every order up to 8, counted once
code_bits = {order: counted.with_order(order).bits_per_char(code_validation) for order in range(1, 9)}
best_code_order = min(code_bits, key=code_bits.get)
print({order: round(bits, 3) for order, bits in code_bits.items()})
print(f"best order for code: {best_code_order}, {code_bits[best_code_order]:.3f} bits/char "
      f"(prose: order {best_order}, {markov_bits[best_order]:.3f})")
