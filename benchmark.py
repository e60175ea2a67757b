"""Side-by-side benchmark: each task the seed-tutorial way and the course's way, in one process.

    python benchmark.py [--quick] [--out benchmark-results.md]
    python benchmark.py --adder-ablation | --lstm-study [--quick] [--out FILE.md]
    python benchmark.py --recall-budget [--quick]
    python benchmark.py --attention-adders [--quick]

Prints a table (task, the two ways' times and qualities, and the ratio of times) and writes
it to --out, with this machine's measured float32 matrix-multiply rate and the character
model's training rate as a fraction of it; then the character model's command line's
training rate beside the raw forward + backward rate of the same model. Ratios, not absolute times, are what compare
across machines. --quick shrinks every budget (a smoke test, not a measurement).

--adder-ablation and --lstm-study train notebook 06's adder with one setting changed at a time
and write their figures, with the command, the machine and the date, to results/adder_ablation.json
and results/lstm_study.json (course_lib.results; notebook 06 shows them), and the table to --out;
with --quick the JSON goes beside --out instead, leaving the shipped results alone.

--recall-budget trains notebook 09's default cells at a delay of 30 with 10,000 steps instead of
its 500 and writes results/recall_budget.json (notebook 09 shows it).

--attention-adders trains notebook 11's five adders (one-way encoder read backwards without
attention, as notebook 06's; one way, read forwards or backwards, with attention; bidirectional,
with and without) for seeds 0-2 and writes results/attention_adders.json (notebook 11 shows it).
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import course
from course_lib import charlm
from course_lib.addition import (ANSWER_SYMBOLS, QUESTION_CHARS, as_text, as_text_questions, draw_sums,
                                 exact_match, text_batches, text_exact_match)
from course_lib.charlm import (CharLM, bits_per_char, contiguous_streams, generate, generate_by_rereading,
                              train, windows)
from course_lib.corpus import python_docs_text, split_text
from course_lib.hardware import side_by_side, timed
from course_lib.results import results_record, save_results
from course_lib.seeding import seed_everything
from course_lib.seq2seq import Seq2Seq, train_seq2seq
from course_lib.sequences import (PaddedSequences, copy_batches, length_mask, masked_accuracy,
                                  masked_cross_entropy)
from course_lib.vocab import Vocabulary


def matmul_gflops(size=2048, repeats=5, trials=5):
    """The best of `trials` timings of `repeats` float32 matrix products (noise only slows)."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b  # warm up
    seconds = min(timed(lambda: [a @ b for _ in range(repeats)])[0] for _ in range(trials))
    return 2 * size ** 3 * repeats / seconds / 1e9


# --- GRU, notebook 02: its hand GRU, matrix products per gate and step, vs nn.GRU ------------

@torch.no_grad()
def gru_task(quick):
    steps = 20 if quick else 100
    gru = nn.GRU(128, 128)
    xs, h = torch.randn(steps, 32, 128), torch.zeros(32, 128)
    by_hand = course.definitions("02", "GATES", "gru_step", "params_from_torch", "run_sequence")
    run_by_hand = partial(by_hand["run_sequence"], by_hand["gru_step"], xs, h, by_hand["params_from_torch"](gru))
    seed_seconds = min(timed(run_by_hand)[0] for _ in range(5))
    course_seconds = min(timed(gru, xs)[0] for _ in range(5))
    difference = (run_by_hand() - gru(xs)[0]).abs().max().item()
    return (f"GRU forward, {steps} steps x 32 x 128 (02)", seed_seconds, "same output",
            course_seconds, f"max difference {difference:.0e}")


# --- variable-length copy, notebook 05: padding read and scored vs masked ---------------------

def copy_task(quick):
    batches = 150 if quick else 3000
    data = PaddedSequences(batches * 64, generator=torch.Generator().manual_seed(0))
    fresh = PaddedSequences(5000, generator=torch.Generator().manual_seed(1000))
    mask = length_mask(fresh.lengths, fresh.ids.shape[1])
    results = []
    for seed_style in (True, False):
        seed_everything(0)
        model = Seq2Seq(4, 4, hidden_size=128, reverse_input=not seed_style)
        training = copy_batches(data)
        if seed_style:  # the encoder reads the padding, and every position is scored
            training = [(ids, torch.full_like(lengths, ids.shape[1]), targets, torch.ones_like(m))
                        for ids, lengths, targets, m in training]
        seconds, _ = timed(train_seq2seq, model, training, masked_cross_entropy)
        lengths = torch.full_like(fresh.lengths, fresh.ids.shape[1]) if seed_style else fresh.lengths
        predictions = model.generate(fresh.ids, lengths, fresh.ids.shape[1])
        results += [seconds, f"{masked_accuracy(predictions, fresh.ids, mask):.2%} of symbols"]
    return ("copy, lengths 3-14 (05)", *results)


# --- addition, notebook 06: the seed tutorial's adder vs the course's text GRU ----------------

def train_seed_style_adder(a, b):
    """One pass of the seed tutorial's training (notebook 06's own code): Adam at 1e-3, batches of
    32, every position scored."""
    return course.definitions("06", "TutorialAdder", "train_tutorial_adder",
                              device=torch.device("cpu"))["train_tutorial_adder"](a, b)


def seed_style_exact(model, a, b):
    questions, answers = as_text(a, b)
    with torch.no_grad():
        return exact_match(model(questions).argmax(-1), answers)


def train_text_adder(batches=1800, cell="GRU", hidden_size=256, reverse_input=True, units_first=True,
                     teacher_forcing=True, batch_size=128, lr=1e-2, forget_bias=None, orthogonal=False,
                     score_every=None):
    """Notebook 06's main model with any of its settings changed, seed 0, trained on the first
    `batches` x 128 sums of seed 1; returns it, its exact match on the 2,000 held-out sums and
    {batches trained: exact match on the first 500 of them}, scored every `score_every` batches.
    `forget_bias` sets an LSTM's forget-gate bias; `orthogonal` starts each gate's recurrent
    weights as an orthogonal matrix."""
    a, b = draw_sums(batches * 128, seed=1)
    test = as_text_questions(*draw_sums(2_000, seed=999), units_first=units_first)
    along_the_way = {}

    class Scorer:  # stands in for train_seq2seq's progress bar, to score the model as it trains
        def __init__(self, total, unit):
            self.n, self.total = 0, total

        def update(self, count):
            self.n += count
            if self.n % score_every == 0 and self.n < self.total:
                along_the_way[self.n] = text_exact_match(model, *(tensor[:500] for tensor in test))

        def set_postfix(self, **values):
            pass

        def close(self):
            pass

    seed_everything(0)
    model = Seq2Seq(len(QUESTION_CHARS), ANSWER_SYMBOLS, hidden_size, cell, reverse_input=reverse_input)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if forget_bias is not None and ".bias_" in name:  # an LSTM's biases: (i, f, g, o) blocks, the two added
                parameter[hidden_size:2 * hidden_size] = forget_bias / 2
            if orthogonal and ".weight_hh" in name:
                for gate in parameter.split(hidden_size):
                    nn.init.orthogonal_(gate)
    train_seq2seq(model, text_batches(a, b, batch_size, units_first), masked_cross_entropy, lr=lr,
                  teacher_forcing=teacher_forcing, progress=None if score_every is None else Scorer)
    return model, text_exact_match(model, *test), along_the_way


def addition_task(quick):
    seed_style_sums, text_batch_count = (2_000, 150) if quick else (20_000, 1800)
    test_a, test_b = draw_sums(2_000, seed=999)
    seed_everything(0)
    seed_seconds, seed_model = timed(train_seed_style_adder, *draw_sums(seed_style_sums, seed=0))
    course_seconds, (_, course_exact, _) = timed(train_text_adder, text_batch_count)
    return ("addition, 3-4 digit operands, read as text (06)", seed_seconds,
            f"{seed_style_exact(seed_model, test_a, test_b):.2%} exact ({seed_style_sums:,} sums)",
            course_seconds, f"{course_exact:.2%} exact ({text_batch_count * 128:,} sums)")


ADDER_CHANGES = {  # row: the one setting changed from notebook 06's text GRU
    "question read forwards": {"reverse_input": False},
    "answer most significant digit first": {"units_first": False},
    "no teacher forcing (fed its own guesses)": {"teacher_forcing": False},
    "batches of 512 (same sums, 1/4 the steps)": {"batch_size": 512},
    "learning rate 5e-3": {"lr": 5e-3},
    "learning rate 1e-3": {"lr": 1e-3},
    "LSTM of 256 in place of the GRU": {"cell": "LSTM"},
}

LSTM_STUDY = {  # row: what changes from notebook 06's text GRU (1,800 batches unless a row says more)
    "LSTM of 256 in place of the GRU": {"cell": "LSTM"},
    "LSTM, forget-gate bias 1": {"cell": "LSTM", "forget_bias": 1.0},
    "LSTM, forget-gate bias 1, learning rate 5e-3": {"cell": "LSTM", "forget_bias": 1.0, "lr": 5e-3},
    "LSTM, forget-gate bias 1, orthogonal recurrent weights": {"cell": "LSTM", "forget_bias": 1.0, "orthogonal": True},
    "LSTM of 512, forget-gate bias 1": {"cell": "LSTM", "forget_bias": 1.0, "hidden_size": 512},
    "LSTM, 4x the batches (7,200)": {"cell": "LSTM", "batches": 7200},
    "LSTM, forget-gate bias 1, 4x the batches (7,200)": {"cell": "LSTM", "forget_bias": 1.0, "batches": 7200},
}


ADDER_COLUMNS = ["model", "exact_match", "seconds"]
TUTORIAL_ROW = "the original tutorial's adder, same sums"  # 5-layer LSTM, decoder fed zeros, batches of 32
LSTM_COLUMNS = ["model", "batches", "exact_match", "along_the_way", "seconds"]


def adder_ablation(quick):
    """Notebook 06's text GRU, then one change at a time, every row on the same sums, seed 0;
    and the original tutorial's adder given the same sums. Returns the rows (ADDER_COLUMNS)."""
    batches = 150 if quick else 1800
    rows = []
    for row, change in [("notebook 06's text GRU", {})] + list(ADDER_CHANGES.items()):
        seconds, (_, exact, _) = timed(train_text_adder, batches, **change)
        rows.append({"model": row, "exact_match": exact, "seconds": round(seconds)})
        print(rows[-1], flush=True)
    seed_everything(0)
    seconds, model = timed(train_seed_style_adder, *draw_sums(batches * 128, seed=1))
    rows.append({"model": TUTORIAL_ROW, "exact_match": seed_style_exact(model, *draw_sums(2_000, seed=999)),
                 "seconds": round(seconds)})
    print(rows[-1], flush=True)
    return rows


def lstm_study(quick):
    """The LSTM in place of notebook 06's text GRU: what it needs to learn the sums. Returns the
    rows (LSTM_COLUMNS); along_the_way holds [batches trained, exact match on 500 held-out sums]."""
    scale = 150 / 1800 if quick else 1
    rows = []
    for row, change in [("notebook 06's text GRU", {})] + list(LSTM_STUDY.items()):
        settings = dict(change)
        batches = round(settings.pop("batches", 1800) * scale)
        seconds, (_, exact, along_the_way) = timed(train_text_adder, batches, score_every=max(batches // 8, 1),
                                                   **settings)
        rows.append({"model": row, "batches": batches, "exact_match": exact,
                     "along_the_way": [[count, score] for count, score in along_the_way.items()],
                     "seconds": round(seconds)})
        print(rows[-1], flush=True)
    return rows


def markdown_table(record):
    """A results record as a Markdown table, accuracies in per cent, under its provenance."""
    def cell(value):
        if isinstance(value, float):
            return f"{value:.2%}"
        if isinstance(value, list):  # along the way: batches: exact match
            return ", ".join(f"{count:,}: {score:.1%}" for count, score in value)
        return f"{value:,}" if isinstance(value, int) else str(value)
    lines = [f"| {' | '.join(record['columns'])} |", "|" + "---|" * len(record["columns"])]
    lines += [f"| {' | '.join(cell(row[column]) for column in record['columns'])} |" for row in record["rows"]]
    return [f"`{record['command']}` on {record['machine']}, {record['date']}", ""] + lines


def cpu_name():
    """The processor's model name where the system gives it (Linux), else its architecture."""
    try:
        return re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(encoding="utf-8"), re.MULTILINE)[1].strip()
    except (OSError, TypeError):
        return platform.processor() or platform.machine()


def machine_description(gflops):
    """This machine in one line, with its measured float32 matrix-multiply rate."""
    return (f"{cpu_name()}, {os.cpu_count()} cores, {torch.get_num_threads()} PyTorch threads, "
            f"torch {torch.__version__}; 2048x2048 float32 matmul: {gflops:.0f} GFLOP/s")


def command_line():
    """How this benchmark was started, with the thread setting when one was given."""
    threads = os.environ.get("OMP_NUM_THREADS")
    return " ".join(([f"OMP_NUM_THREADS={threads}"] if threads else []) + ["python benchmark.py"] + sys.argv[1:])


# --- character model, notebook 08: overlapping windows, state reset vs streams + TBPTT -------

def train_seed_style_charlm(model, ids, seconds, window=100, batch_size=64, seed=0):
    """A window of `window` characters starting at every position, shuffled, a fresh state each."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    overlapping_windows = course.definitions("08", "overlapping_windows")["overlapping_windows"]
    start, trained = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        inputs, targets = overlapping_windows(ids, window, batch_size, generator)
        scores, _ = model(inputs)
        loss = F.cross_entropy(scores.flatten(0, 1), targets.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        trained += batch_size * window
    return trained / (time.perf_counter() - start)


def training_flops_per_char(model):
    """Multiply-adds x 2 of the LSTM and the output layer, x 3 for forward and backward."""
    c = model.config
    lstm = sum(4 * c["hidden"] * ((c["embedding"] if layer == 0 else c["hidden"]) + c["hidden"])
               for layer in range(c["layers"]))
    return 3 * 2 * (lstm + c["hidden"] * c["vocab_size"])


def charlm_tasks(quick, gflops):
    seconds = 2 if quick else 90
    text = python_docs_text()
    vocab = Vocabulary(text)
    train_text, validation_text = split_text(text)
    train_ids, validation_ids = vocab.encode(train_text), vocab.encode(validation_text)
    seed_everything(0)
    seed_model = CharLM(len(vocab), embedding=64, hidden=512, layers=2, dropout=0.0)
    seed_rate = train_seed_style_charlm(seed_model, train_ids, seconds)
    seed_bits = bits_per_char(seed_model, validation_ids)
    seed_everything(0)
    model = CharLM(len(vocab))
    history = train(model, train_ids, validation_ids, seconds=seconds, batch_size=32, length=64,
                    lr=1e-2, evaluations=1 if quick else 10)  # notebook 08's settings
    fraction = history["chars_per_second"] * training_flops_per_char(model) / (gflops * 1e9)
    rows = [(f"character LSTM, {seconds} s of training (08)", seconds,
             f"{seed_bits:.3f} bits/char", seconds,
             f"{history['validation'][-1]:.3f} bits/char")]

    length = 200 if quick else 1000
    reread_seconds, reread = timed(generate_by_rereading, model, vocab, "The ", length)
    carry_seconds, carried = timed(generate, model, vocab, "The ", length, 0)
    rows.append((f"writing {length:,} characters (08)", reread_seconds, "re-reading the prefix",
                 carry_seconds, "carrying the state" + (", same text" if reread == carried else ", DIFFERENT")))
    rates = (f"character model training: {history['chars_per_second']:,.0f} chars/s x "
             f"{training_flops_per_char(model) / 1e6:.1f} MFLOP/char = {fraction:.1%} of the matmul rate "
             f"(seed-style 2-layer model: {seed_rate:,.0f} chars/s)")
    return rows, rates


def raw_training_rate(ids, seconds, optimizer_step):
    """chars/s of the command line's default model and windows, forward and backward (and
    optionally the AdamW step) and nothing else: no schedule, clipping, bar or validation."""
    seed_everything(0)
    defaults = charlm.DEFAULTS
    model = CharLM(int(ids.max()) + 1, hidden=defaults["hidden"], layers=defaults["layers"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=defaults["lr"])
    streams, state, chars = contiguous_streams(ids, defaults["batch_size"]), None, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for inputs, targets in windows(streams, defaults["length"]):
            scores, state = model(inputs, state)
            state = tuple(s.detach() for s in state)
            loss = F.cross_entropy(scores.flatten(0, 1), targets.flatten())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if optimizer_step:
                optimizer.step()
            chars += targets.numel()
            if time.perf_counter() - start >= seconds:
                break
    return chars / (time.perf_counter() - start)


def command_line_rates(quick):
    """The command line's training rate beside the raw rate of the same model, in one run."""
    seconds = 1 if quick else 60
    text = python_docs_text()
    ids = Vocabulary(text).encode(split_text(text)[0])
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run([sys.executable, "-m", "course_lib.charlm", "train", "--minutes",
                                 str(seconds / 60), "--out", str(Path(folder) / "docs.pt")],
                                capture_output=True, text=True, check=True)
    command_line = float(re.search(r"([\d,]+) chars/s; saved", result.stdout).group(1).replace(",", ""))
    forward_backward = raw_training_rate(ids, seconds, optimizer_step=False)
    with_step = raw_training_rate(ids, seconds, optimizer_step=True)
    return ["| training the command line's default model, same run | chars/s | share of forward + backward |",
            "|---|---|---|",
            f"| forward + backward only | {forward_backward:,.0f} | 100 % |",
            f"| forward + backward + AdamW step | {with_step:,.0f} | {with_step / forward_backward:.0%} |",
            f"| `python -m course_lib.charlm train --minutes {seconds / 60:g}` | {command_line:,.0f} | "
            f"{command_line / forward_backward:.0%} |"]


# --- recall, notebook 09: its default cells at a delay of 30, with 20 times its training budget ---

RECALL_COLUMNS = ["cell", "delay", "seed", "steps_allowed", "steps_taken", "accuracy", "seconds"]


def recall_budget(quick):
    """Notebook 09's three default cells trained at a delay of 30 with its own code, seeds 0-2,
    allowed 10,000 Adam steps instead of its 500 (two runs at a time, one thread each). A run
    stops once a batch's loss is below 0.01, so steps_taken says when it learned. Returns the
    rows (RECALL_COLUMNS)."""
    notebook = course.definitions("09", "CELLS", "SYMBOLS", "HIDDEN", "recall_batch", "Recaller", "with_gate_bias",
                                  "VARIANTS", "train_recaller")
    steps, seeds = (50, (0,)) if quick else (10_000, (0, 1, 2))
    runs = [(cell, seed) for cell in ("tanh RNN", "GRU", "LSTM") for seed in seeds]
    starts = {}
    for cell, seed in runs:  # built here, as the notebook builds them: building draws random numbers
        seed_everything(seed)
        starts[cell, seed] = notebook["VARIANTS"][cell]()

    def train(run):
        seconds, (accuracy, history) = timed(notebook["train_recaller"], starts[run], 30, run[1], steps=steps)
        row = {"cell": run[0], "delay": 30, "seed": run[1], "steps_allowed": steps,
               "steps_taken": len(history["loss"]), "accuracy": round(accuracy, 4), "seconds": round(seconds)}
        print(row, flush=True)
        return row

    return side_by_side(train, runs, "cpu")


# --- attention, notebook 11: the adder read one way or both ways, with and without attention ---

ATTENTION_ADDER_COLUMNS = ["model", "seed", "exact_match", "seconds"]


def attention_adders(quick):
    """Notebook 11's five adders, trained by its own code for initialisation seeds 0-2 (two at a
    time, one thread each) and scored on its 2,000 held-out sums. Returns the rows."""
    notebook = course.definitions("11", "ADDER_BATCHES", "ADDERS", "adder_batches", "held_out", "new_adder",
                                  "train_to_add", "exact_answers", device=torch.device("cpu"))
    if quick:
        notebook["adder_batches"] = notebook["adder_batches"][:20]
    runs = [(name, seed) for seed in (0, 1, 2) for name in notebook["ADDERS"]]
    models = {run: notebook["new_adder"](*run) for run in runs}  # built first: training draws no random numbers

    def train(run):
        seconds = notebook["train_to_add"](models[run])
        exact = notebook["exact_answers"](models[run], *notebook["held_out"]).float().mean().item()
        row = {"model": run[0], "seed": run[1], "exact_match": round(exact, 4), "seconds": round(seconds)}
        print(row, flush=True)
        return row

    return side_by_side(train, runs, "cpu")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets: a smoke test")
    parser.add_argument("--out", default="benchmark-results.md")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--adder-ablation", action="store_true",
                      help="only the addition ablation: notebook 06's text GRU with one change at a time "
                           "(8 trainings of about 1.5 minutes and the seed-style model: about 20 minutes on 2 cores)")
    only.add_argument("--lstm-study", action="store_true",
                      help="only the LSTM in place of notebook 06's text GRU: forget-gate bias, learning rate, "
                           "initialisation, size, more batches (about 35 minutes on 2 cores)")
    only.add_argument("--recall-budget", action="store_true",
                      help="only notebook 09's default cells at a delay of 30 with 10,000 training steps, "
                           "to results/recall_budget.json (about 5 minutes on 2 cores)")
    only.add_argument("--attention-adders", action="store_true",
                      help="only notebook 11's five adders, seeds 0-2, to results/attention_adders.json "
                           "(15 trainings, two at a time: about 4 minutes on 2 cores)")
    args = parser.parse_args()
    if args.recall_budget or args.attention_adders:
        name, columns, measure = (("recall_budget", RECALL_COLUMNS, recall_budget) if args.recall_budget
                                  else ("attention_adders", ATTENTION_ADDER_COLUMNS, attention_adders))
        record = results_record(command_line(), machine_description(matmul_gflops()), columns, measure(args.quick),
                                note="quick: tiny budgets, not a measurement" if args.quick
                                else "two runs at a time, one PyTorch thread each; seconds are each run's own")
        results = Path(args.out).with_suffix(".json") if args.quick else course.ROOT / "results" / f"{name}.json"
        save_results(results, record)
        print("\n".join(markdown_table(record)) + f"\nwritten to {results}")
        return
    if args.adder_ablation or args.lstm_study:
        name, columns, measure = (("adder_ablation", ADDER_COLUMNS, adder_ablation) if args.adder_ablation
                                  else ("lstm_study", LSTM_COLUMNS, lstm_study))
        machine = machine_description(matmul_gflops())
        record = results_record(command_line(), machine, columns, measure(args.quick),
                                note="quick: tiny budgets, not a measurement" if args.quick else "")
        results = Path(args.out).with_suffix(".json") if args.quick else course.ROOT / "results" / f"{name}.json"
        save_results(results, record)
        Path(args.out).write_text("\n".join(markdown_table(record)) + "\n", encoding="utf-8")
        print(f"written to {results} and {args.out}")
        return
    torch.manual_seed(0)
    gflops = matmul_gflops()
    lines = [f"# Benchmark{' (quick: not a measurement)' if args.quick else ''}", "",
             machine_description(gflops), ""]
    print("\n".join(lines), flush=True)
    rows = []
    for task in (gru_task, copy_task, addition_task):
        rows.append(task(args.quick))
        print(f"done: {rows[-1][0]}", flush=True)
    charlm_rows, rates = charlm_tasks(args.quick, gflops)
    rows += charlm_rows
    table = ["| task | seed-style time | seed-style quality | course time | course quality | time ratio |",
             "|---|---|---|---|---|---|"]
    for task, seed_seconds, seed_quality, course_seconds, course_quality in rows:
        ratio = "same budget" if seed_seconds == course_seconds else f"{seed_seconds / course_seconds:.1f}x"
        table.append(f"| {task} | {seed_seconds:.3f} s | {seed_quality} | {course_seconds:.3f} s | "
                     f"{course_quality} | {ratio} |")
    cli_table = command_line_rates(args.quick)
    lines += table + ["", rates, ""] + cli_table
    print("\n".join(table + ["", rates, ""] + cli_table))
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
