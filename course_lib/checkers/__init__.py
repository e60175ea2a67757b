"""The exercises' checkers: one function per exercise, called in the cell right after it.

Each takes the student's answer (and what it needs from the notebook), prints one line in
plain words, ✓ and what is right, or ✗ and what is wrong and what was expected, and returns
a Verdict: true after a ✓, false after a ✗, and shown as nothing, so that the cell shows that
line and nothing after it (`if check_x(...):` runs what needs a right answer). A checker never
raises and never trains a model, and it leaves PyTorch's random numbers as it found them, so a
notebook runs the same solved or not.

One module per notebook (nb01_... to nb12_...), what they share in `common`; a notebook
imports its checker from here in one line.

    check_decode(decode)                 # ✓ Exercise 1.1, decode: turns one-hot rows and scores back into text
"""
from course_lib.checkers.nb01_sequences_and_one_hot import check_decode, check_rnn_step, check_smallest_hidden  # noqa: F401
from course_lib.checkers.nb02_gru_by_hand import check_fused_gru_step, check_update_gate_gradient  # noqa: F401
from course_lib.checkers.nb03_building_blocks import check_tanh_rnn, check_two_frequencies, free_running_mse  # noqa: F401
from course_lib.checkers.nb04_copy_and_reverse import check_capacity, check_other_lengths, check_reverse  # noqa: F401
from course_lib.checkers.nb05_padding_and_masking import check_encode_packed, check_natural_order_longer  # noqa: F401
from course_lib.checkers.nb06_learning_to_add import check_add, check_reading_order  # noqa: F401
from course_lib.checkers.nb07_tao import check_answer_odds, check_report_card  # noqa: F401
from course_lib.checkers.nb08_text_generation import check_backoff, check_code_orders, check_sample_next  # noqa: F401
from course_lib.checkers.nb09_inside_the_gates import check_forget_bias, check_gru_keep_gate  # noqa: F401
from course_lib.checkers.nb10_what_the_cells_learned import check_depth_profile, check_inside_comment  # noqa: F401
from course_lib.checkers.nb11_attention import check_copy_diagonal, check_masked_softmax  # noqa: F401
from course_lib.checkers.nb12_which_language import check_read_the_matrix, check_telling_ngram  # noqa: F401
