"""The course's encoder-decoder learns every time: copy, reverse and variable-length copy
reach their bars for seeds 0, 1 and 2 (the notebooks run seed 0), and so does notebook 06's
adder reading text (seeds 1 and 2 here; its seed 0 is the notebook's own run)."""
import pytest
import torch

from course_lib.addition import (ANSWER_SYMBOLS, QUESTION_CHARS, as_text_questions, draw_sums, text_batches,
                                 text_exact_match)
from course_lib.seeding import seed_everything
from course_lib.seq2seq import Seq2Seq, train_seq2seq
from course_lib.sequences import (PaddedSequences, copy_batches, decoded_lengths, length_mask,
                                  masked_accuracy, masked_cross_entropy, reverse_each)

TASKS = {  # name: (min_length, max_length, reverse, batches, accuracy bar)
    "copy length 10": (10, 10, False, 1500, 0.999),
    "reverse length 10": (10, 10, True, 1500, 0.99),
    "copy lengths 3-14": (3, 14, False, 3000, 0.99),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("task", TASKS)
def test_encoder_decoder_learns_for_every_seed(task, seed):
    min_length, max_length, reverse, batches, bar = TASKS[task]
    torch.set_num_threads(2)
    seed_everything(seed)
    data = PaddedSequences(batches * 64, min_length=min_length, max_length=max_length,
                           generator=torch.Generator().manual_seed(seed))
    # read so that the first symbol the decoder needs is the last one the encoder read
    model = Seq2Seq(4, 4, hidden_size=128, reverse_input=not reverse)
    train_seq2seq(model, copy_batches(data, reverse=reverse), masked_cross_entropy)

    fresh = PaddedSequences(5000, min_length=min_length, max_length=max_length,
                            generator=torch.Generator().manual_seed(1000 + seed))
    targets = reverse_each(fresh.ids, fresh.lengths) if reverse else fresh.ids
    predictions = model.generate(fresh.ids, fresh.lengths, fresh.ids.shape[1])
    accuracy = masked_accuracy(predictions, targets, length_mask(fresh.lengths, fresh.ids.shape[1]))
    length_right = (decoded_lengths(predictions) == fresh.lengths).float().mean().item()
    print(f"{task}, seed {seed}: token accuracy {accuracy:.4%}, length right {length_right:.2%}")
    assert accuracy >= bar and length_right >= 0.99, (accuracy, length_right)


@pytest.mark.parametrize("seed", [1, 2])
def test_text_adder_learns_for_every_seed(seed):
    """Notebook 06's main model, a GRU of 256 reading the question as text: >= 99 % exact on
    its 2,000 held-out sums for initialisation seeds 1 and 2, trained on the notebook's sums.
    Seed 0 is notebook 06's own run, asserted by its check cell. About 1.5 minutes a seed."""
    torch.set_num_threads(2)
    seed_everything(seed)
    model = Seq2Seq(len(QUESTION_CHARS), ANSWER_SYMBOLS, hidden_size=256, cell="GRU")
    train_seq2seq(model, text_batches(*draw_sums(2400 * 128, seed=1)), masked_cross_entropy)
    exact = text_exact_match(model, *as_text_questions(*draw_sums(2000, seed=999)))
    print(f"text GRU, seed {seed}: {exact:.2%} exact")
    assert exact >= 0.99, exact
