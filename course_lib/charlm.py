"""A character-level language model (built by hand in notebook 08), and its command line.

    CharLM              embedding -> LSTM -> scores for the next character
    contiguous_streams  one long text -> (B, N) rows, each a consecutive slice of it
    windows             (inputs, targets) windows walking along the streams, targets shifted by one
    bits_per_char       held-out cross-entropy, the hidden state carried across windows
    train               truncated backpropagation through time for a number of steps or seconds
    stream / generate   prime, then sample one character at a time, carrying the hidden state
    continue_prompt     stream for a person typing: unknown characters, empty prompts explained
    save_checkpoint / load_checkpoint   atomic writes; loads with weights_only=True, refuses mismatches

    python -m course_lib.charlm train --text FILE --minutes M --out CKPT [--resume CKPT]
    python -m course_lib.charlm sample CKPT --prime TEXT --temperature T --length N
"""
import argparse
import itertools
import math
import os
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from course_lib.corpus import python_docs_text, split_text
from course_lib.hardware import pick_device
from course_lib.sampling import sample_next
from course_lib.vocab import Vocabulary

CHECKPOINT_FORMAT = "course_lib.charlm/1"


class CharLM(nn.Module):
    def __init__(self, vocab_size, embedding=64, hidden=512, layers=1, dropout=0.1):
        super().__init__()
        self.config = dict(vocab_size=vocab_size, embedding=embedding, hidden=hidden,
                           layers=layers, dropout=dropout)
        self.embed = nn.Embedding(vocab_size, embedding)
        self.lstm = nn.LSTM(embedding, hidden, num_layers=layers, batch_first=True,
                            dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab_size)

    @property
    def device(self):
        return self.head.weight.device

    def forward(self, ids, state=None):
        """ids (B, T) -> scores (B, T, V), state ((L, B, H), (L, B, H))."""
        outputs, state = self.lstm(self.embed(ids), state)  # (B, T, H)
        return self.head(self.drop(outputs)), state


def contiguous_streams(ids, batch_size):
    """(N,) -> (batch_size, N // batch_size): row b is the b-th consecutive slice of the text."""
    length = len(ids) // batch_size
    return ids[: length * batch_size].view(batch_size, length)


def windows(streams, length):
    """Yield (inputs, targets), each (B, <= length), in order along the streams."""
    for start in range(0, streams.shape[1] - 1, length):
        end = min(start + length, streams.shape[1] - 1)
        yield streams[:, start:end], streams[:, start + 1:end + 1]


def detach(state):
    """Keep the state's values, forget how they were computed: truncates backpropagation."""
    return tuple(s.detach() for s in state)


@torch.no_grad()
def bits_per_char(model, ids, batch_size=16, length=256):
    """Mean cross-entropy of predicting each next character of `ids`, in bits."""
    model.eval()
    streams = contiguous_streams(ids, batch_size).to(model.device)
    total, count, state = 0.0, 0, None
    for inputs, targets in windows(streams, length):
        scores, state = model(inputs, state)
        total += F.cross_entropy(scores.flatten(0, 1), targets.flatten(), reduction="sum").item()
        count += targets.numel()
    return total / count / math.log(2)


def learning_rate_factor(fraction, warmup=0.02):
    """Linear warm-up, then cosine decay to zero, as a function of the fraction of training done."""
    if fraction < warmup:
        return fraction / warmup
    return 0.5 * (1 + math.cos(math.pi * min(1.0, (fraction - warmup) / (1 - warmup))))


def train(model, train_ids, validation_ids, steps=None, seconds=None, batch_size=64, length=128,
          lr=3e-3, clip=1.0, weight_decay=0.0, evaluations=10, validation_sample=None, seed=0,
          progress=None, report=None):
    """Truncated backpropagation through time on contiguous streams, for `steps` updates or `seconds`.

    Each epoch starts the streams at a random offset (so window borders move) with a zero state;
    the state is carried from window to window and detached. `seconds` counts training only:
    the `evaluations` validation passes along the way are not charged to it. They read the first
    `validation_sample` held-out characters (all by default); the last one always reads them all.
    `progress` is tqdm or a class like it (None: no bar): a bar over the steps (or the seconds)
    with the live loss. `report(line)` receives one line per evaluation.
    Returns a history with train and validation bits/char, training seconds, and characters per
    second of training.
    """
    if (steps is None) == (seconds is None):
        raise ValueError("give exactly one of steps= or seconds=")
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    history = {"step": [], "train": [], "validation": [], "seconds": []}
    step, trained_chars, training_seconds, recent = 0, 0, 0.0, []
    bar_total, bar_shown = (steps if steps is not None else round(seconds)), 0
    bar = None if progress is None else progress(total=bar_total,
                                                 unit="step" if steps is not None else "s")

    def fraction_done():
        return step / steps if steps is not None else training_seconds / seconds

    def evaluate(last):
        sample = validation_ids if last or validation_sample is None else validation_ids[:validation_sample]
        history["step"].append(step)
        history["train"].append(sum(recent) / len(recent) / math.log(2))
        history["validation"].append(bits_per_char(model, sample))
        history["seconds"].append(training_seconds)
        recent.clear()
        if report is not None:
            report(f"step {step:5d}  train {history['train'][-1]:.3f}  validation "
                   f"{history['validation'][-1]:.3f} bits/char  {trained_chars / training_seconds:,.0f} chars/s")
        model.train()

    model.train()
    next_evaluation = 1 / evaluations
    try:
        while fraction_done() < 1:
            offset = torch.randint(length, (1,), generator=generator).item()
            state = None
            for inputs, targets in windows(contiguous_streams(train_ids[offset:], batch_size), length):
                started = time.perf_counter()
                for group in optimizer.param_groups:
                    group["lr"] = lr * learning_rate_factor(fraction_done())
                inputs, targets = inputs.to(model.device), targets.to(model.device)
                scores, state = model(inputs, state)
                state = detach(state)
                loss = F.cross_entropy(scores.flatten(0, 1), targets.flatten())
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), clip)
                optimizer.step()
                recent.append(loss.item())
                step, trained_chars = step + 1, trained_chars + targets.numel()
                elapsed = time.perf_counter() - started
                training_seconds += elapsed
                if bar is not None:
                    done = step if steps is not None else min(int(training_seconds), bar_total)
                    bar.update(done - bar_shown)
                    bar_shown = done
                    bar.set_postfix(loss=f"{recent[-1]:.3f}", refresh=False)
                if fraction_done() >= min(next_evaluation, 1):
                    evaluate(last=fraction_done() >= 1)
                    next_evaluation += 1 / evaluations
                if fraction_done() >= 1:
                    break
    finally:  # closed even when training stops with an error
        if bar is not None:
            bar.close()
    history["chars_per_second"] = trained_chars / training_seconds
    return history


def check_prompt(vocab, prime, temperature):
    """The ValueError a user should see for a prompt or temperature the model cannot take."""
    if not prime:
        raise ValueError("the prompt is empty: type at least one character to start from")
    missing = vocab.unknown(prime)
    if missing:
        raise ValueError(f"the prompt has characters the model never saw: {''.join(missing)!r}")
    if not temperature >= 0:
        raise ValueError(f"the temperature must be 0 (always the likeliest) or more, not {temperature}")


def stream(model, vocab, prime, length, temperature=1.0, generator=None):
    """Yield `length` sampled characters that continue `prime`, one at a time, as they are drawn;
    temperature 0 picks the likeliest each time.

    The prompt is read once; then each new character is fed in alone, with the carried
    hidden state, so the cost grows linearly with the length.
    """
    check_prompt(vocab, prime, temperature)
    model.eval()
    ids, state = vocab.encode(prime)[None], None                     # (1, T)
    for _ in range(length):
        with torch.no_grad():
            scores, state = model(ids.to(model.device), state)      # (1, T, V)
        next_id = sample_next(scores[0, -1], temperature, generator)
        ids = torch.tensor([[next_id]])
        yield vocab.chars[next_id]


def generate(model, vocab, prime, length, temperature=1.0, generator=None):
    """`prime` followed by `length` sampled characters (see `stream`)."""
    return prime + "".join(stream(model, vocab, prime, length, temperature, generator))


@torch.no_grad()
def generate_by_rereading(model, vocab, prime, length):
    """The seed tutorial's greedy writer, kept to compare against: the whole text so far goes
    through the network again for every new character (notebook 08 builds it by hand)."""
    model.eval()
    written = prime
    for _ in range(length):
        scores, _ = model(vocab.encode(written)[None].to(model.device))
        written += vocab.chars[scores[0, -1].argmax()]
    return written


def continue_prompt(model, vocab, prompt, temperature, length, generator=None):
    """(pieces, note) for a widget: pieces are the usable prompt, then each character as it is
    drawn. Characters the model never saw are left out and named, an empty prompt asks for
    one, temperature 0 says it is greedy."""
    missing = vocab.unknown(prompt)
    usable = "".join(char for char in prompt if char in vocab.index)
    notes = [f"Left out {''.join(missing)!r}: never seen in the training text."] if missing else []
    if not usable:
        notes.append("Type a prompt first: the model continues the text you give it.")
        return iter([]), " ".join(notes)
    if temperature == 0:
        notes.append("Temperature 0: always the likeliest next character (greedy).")
    check_prompt(vocab, usable, temperature)
    pieces = itertools.chain([usable], stream(model, vocab, usable, length, temperature, generator))
    return pieces, " ".join(notes)


class CheckpointError(ValueError):
    """A checkpoint that cannot be used, with the reason in plain words."""


def save_checkpoint(path, model, vocab):
    """Write model weights, sizes and alphabet to `path` atomically: a killed run leaves no half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": CHECKPOINT_FORMAT, "config": model.config, "chars": "".join(vocab.chars),
               "state": {name: tensor.cpu() for name, tensor in model.state_dict().items()}}
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        torch.save(payload, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load_checkpoint(path, vocab=None, config=None, device=None):
    """(model, vocab) from `path`. With `vocab` or `config`, refuse a checkpoint that differs."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        raise CheckpointError(f"{path} is not a readable checkpoint (truncated or corrupt?): "
                              f"{type(error).__name__}") from error
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{path} is not a character-model checkpoint of this course")
    saved_vocab = Vocabulary(payload["chars"])
    if vocab is not None and vocab.chars != saved_vocab.chars:
        raise CheckpointError(
            f"{path} was trained on another alphabet ({len(saved_vocab)} characters, this model "
            f"has {len(vocab)}; {''.join(sorted(set(saved_vocab.chars) ^ set(vocab.chars)))[:40]!r} "
            "are in one but not the other): train on the same text or load its own alphabet")
    if config is not None and config != payload["config"]:
        different = [f"{key} {payload['config'].get(key)} (expected {value})"
                     for key, value in config.items() if payload["config"].get(key) != value]
        raise CheckpointError(f"{path} holds a model of another size: {', '.join(different)}")
    model = CharLM(**payload["config"])
    try:
        model.load_state_dict(payload["state"])
    except RuntimeError as error:
        raise CheckpointError(f"{path}: the weights do not fit the sizes it records") from error
    return model.to(device or pick_device()), saved_vocab


def read_text(name):
    """The text of a file, or the offline corpus for the name 'python-docs'."""
    return python_docs_text() if name == "python-docs" else Path(name).read_text(encoding="utf-8")


# Chosen by measurement: the best held-out bits after a few minutes on 2 cores, on texts of
# 0.2 to 4.7 MB (the Python documentation and the standard library's source; docs/instructors.md).
DEFAULTS = dict(hidden=512, layers=1, batch_size=32, length=64, lr=1e-2)
VALIDATION_SAMPLE = 50_000  # held-out characters read by each validation pass during training

TRAIN_HELP = f"""Train a character-level LSTM on a text and save a checkpoint.

The last 10 % of the text is held out. --minutes counts training time only: the ten
validation passes along the way (each on the first {VALIDATION_SAMPLE:,} held-out characters)
and the final one (on all of them) are not charged to it. A progress bar shows the live loss.
--resume continues training a checkpoint's weights (same alphabet and sizes) with a fresh
learning-rate schedule."""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_lib.charlm",
                                     description="Train a character-level LSTM, or sample from one.")
    commands = parser.add_subparsers(dest="command", required=True)
    trainer = commands.add_parser("train", help="train on a text file, save a checkpoint",
                                  description=TRAIN_HELP)
    trainer.add_argument("--text", default="python-docs",
                         help="a UTF-8 text file (default: python-docs, the offline Python documentation)")
    budget = trainer.add_mutually_exclusive_group()
    budget.add_argument("--minutes", type=float, default=3.0, help="training time (default: %(default)s)")
    budget.add_argument("--steps", type=int, help="train for this many batches instead, whatever the machine's speed")
    trainer.add_argument("--out", required=True, help="where to write the checkpoint")
    trainer.add_argument("--resume", metavar="CKPT", help="start from this checkpoint's weights")
    trainer.add_argument("--hidden", type=int, help=f"LSTM units per layer (default: {DEFAULTS['hidden']})")
    trainer.add_argument("--layers", type=int, help=f"LSTM layers (default: {DEFAULTS['layers']})")
    trainer.add_argument("--batch-size", type=int, default=DEFAULTS["batch_size"],
                         help="streams read side by side (default: %(default)s)")
    trainer.add_argument("--length", type=int, default=DEFAULTS["length"],
                         help="characters per window, where backpropagation is cut (default: %(default)s)")
    trainer.add_argument("--lr", type=float, default=DEFAULTS["lr"], help="peak learning rate (default: %(default)s)")
    trainer.add_argument("--seed", type=int, default=0)
    sampler = commands.add_parser("sample", help="generate text from a checkpoint")
    sampler.add_argument("checkpoint")
    sampler.add_argument("--prime", default="\n")
    sampler.add_argument("--temperature", type=float, default=0.8)
    sampler.add_argument("--length", type=int, default=500)
    sampler.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            run_training(args)
        else:
            model, vocab = load_checkpoint(args.checkpoint)
            generator = torch.Generator().manual_seed(args.seed)
            print(generate(model, vocab, args.prime, args.length, args.temperature, generator))
    except (CheckpointError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def model_to_train(args, text):
    """(model, vocab): a new model for `text`, or the --resume checkpoint's if it can read `text`."""
    if args.resume is None:
        vocab = Vocabulary(text)
        return CharLM(len(vocab), hidden=args.hidden or DEFAULTS["hidden"],
                      layers=args.layers or DEFAULTS["layers"]).to(pick_device()), vocab
    if args.hidden or args.layers:
        raise ValueError("--resume takes the checkpoint's sizes: leave out --hidden and --layers")
    model, vocab = load_checkpoint(args.resume)
    missing = vocab.unknown(text)
    if missing:
        raise CheckpointError(f"{args.resume} never saw {len(missing)} characters of {args.text} "
                              f"({''.join(missing)[:20]!r}): resume on text with its alphabet")
    return model, vocab


def run_training(args):
    text = read_text(args.text)
    if len(text) < 10_000:
        raise ValueError(f"{args.text} has {len(text)} characters; give at least 10,000")
    if not (args.steps or args.minutes) > 0:
        raise ValueError(f"--minutes and --steps must be more than 0, not {args.steps or args.minutes}")
    budget = f"{args.steps} steps" if args.steps else f"{args.minutes} minutes"
    torch.manual_seed(args.seed)
    model, vocab = model_to_train(args, text)
    train_text, validation_text = split_text(text)
    train_ids, validation_ids = vocab.encode(train_text), vocab.encode(validation_text)
    print(f"{len(text):,} characters, {len(vocab)} distinct; {'resuming' if args.resume else 'training'} "
          f"a {model.config['layers']}-layer LSTM of {model.config['hidden']} units for "
          f"{budget} on {model.device}", flush=True)
    if args.resume:
        print(f"{args.resume} starts at {bits_per_char(model, validation_ids):.3f} bits/char held out", flush=True)
    history = train(model, train_ids, validation_ids,
                    steps=args.steps, seconds=None if args.steps else args.minutes * 60, batch_size=args.batch_size, length=args.length, lr=args.lr,
                    validation_sample=VALIDATION_SAMPLE, seed=args.seed, progress=tqdm,
                    report=tqdm.write)
    save_checkpoint(args.out, model, vocab)
    print(f"validation {history['validation'][-1]:.3f} bits/char (all {len(validation_text):,} held-out "
          f"characters), {history['chars_per_second']:,.0f} chars/s; saved {args.out}")


if __name__ == "__main__":
    sys.exit(main())
