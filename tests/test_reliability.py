"""The course's encoder-decoder learns every time: copy, reverse and variable-length copy
reach their bars for seeds 0, 1 and 2 (the notebooks run seed 0), and so does notebook 06's
adder reading text (seeds 1 and 2 here; its seed 0 is the notebook's own run).

Every selected training starts at once in two worker processes of one thread each (two
trainings of two threads each would spin against each other on a 2-core laptop); each test
waits for its own."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

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


def train_encoder_decoder(task, seed):
    """(token accuracy, share of lengths right) on 5,000 fresh sequences."""
    min_length, max_length, reverse, batches, _ = TASKS[task]
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
    return accuracy, length_right


def train_text_adder(seed):
    """Notebook 06's main model, a GRU of 256 reading the question as text, trained on the
    notebook's sums from initialisation `seed`: its exact match on the 2,000 held-out sums."""
    seed_everything(seed)
    model = Seq2Seq(len(QUESTION_CHARS), ANSWER_SYMBOLS, hidden_size=256, cell="GRU")
    train_seq2seq(model, text_batches(*draw_sums(2400 * 128, seed=1)), masked_cross_entropy)
    return text_exact_match(model, *as_text_questions(*draw_sums(2000, seed=999)))


@pytest.fixture(scope="module")
def trainings(request):
    """Test name -> the future result of its training, the longest submitted first."""
    selected = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    selected.sort(key=lambda item: item.originalname != "test_text_adder_learns_for_every_seed")
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                               initializer=torch.set_num_threads, initargs=(1,))
    futures = {}
    for item in selected:
        params = item.callspec.params
        if item.originalname == "test_text_adder_learns_for_every_seed":
            futures[item.name] = pool.submit(train_text_adder, params["seed"])
        else:
            futures[item.name] = pool.submit(train_encoder_decoder, params["task"], params["seed"])
    yield futures
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in multiprocessing.active_children():  # stopped at once, not left to finish after -x or Ctrl-C
        worker.terminate()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("task", TASKS)
def test_encoder_decoder_learns_for_every_seed(task, seed, trainings, request):
    accuracy, length_right = trainings[request.node.name].result()
    print(f"{task}, seed {seed}: token accuracy {accuracy:.4%}, length right {length_right:.2%}")
    assert accuracy >= TASKS[task][-1] and length_right >= 0.99, (accuracy, length_right)


@pytest.mark.parametrize("seed", [1, 2])
def test_text_adder_learns_for_every_seed(seed, trainings, request):
    """>= 99 % exact for initialisation seeds 1 and 2. About 1.5 minutes a seed."""
    exact = trainings[request.node.name].result()
    print(f"text GRU, seed {seed}: {exact:.2%} exact")
    assert exact >= 0.99, exact
