from course_lib.corpus import python_source_text

code = python_source_text(300_000)
code_train, code_validation = split_text(code)
code_bits = {order: MarkovModel(code_train, order, set(code)).bits_per_char(code_validation)
             for order in range(1, 9)}
best_code_order = min(code_bits, key=code_bits.get)
print({order: round(bits, 3) for order, bits in code_bits.items()})
print(f"best order for code: {best_code_order} (prose: {best_order})")
