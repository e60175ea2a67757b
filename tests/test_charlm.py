import re
import subprocess
import sys
import time

import pytest
import torch

import course
from course_lib import charlm
from course_lib.charlm import (CharLM, CheckpointError, bits_per_char, continue_prompt,
                               contiguous_streams, generate, generate_by_rereading, load_checkpoint,
                               save_checkpoint, train, windows)
from course_lib.vocab import Vocabulary

TEXT = "the quick brown fox jumps over the lazy dog. " * 300


def small_model(vocab, hidden=32):
    torch.manual_seed(0)
    return CharLM(len(vocab), embedding=8, hidden=hidden)


def test_streams_are_consecutive_slices_and_targets_shift_by_one():
    ids = torch.arange(26)
    streams = contiguous_streams(ids, 4)  # 6 characters a row, the last 2 dropped
    assert streams.tolist()[1] == [6, 7, 8, 9, 10, 11]
    pairs = list(windows(streams, 4))
    assert [tuple(x.shape) for x, _ in pairs] == [(4, 4), (4, 1)]
    for inputs, targets in pairs:
        assert torch.equal(targets, inputs + 1)


def test_training_learns_a_repetitive_text():
    vocab = Vocabulary(TEXT)
    ids = vocab.encode(TEXT)
    model = small_model(vocab)
    before = bits_per_char(model, ids[-2000:])
    history = train(model, ids[:-2000], ids[-2000:], steps=150, batch_size=16, length=32, lr=1e-2)
    assert before > 4 and history["validation"][-1] < 0.3
    assert history["step"][-1] == 150 and len(history["validation"]) == 10


def test_validation_is_not_charged_to_the_time_budget_and_reads_a_fixed_sample(monkeypatch):
    vocab = Vocabulary(TEXT)
    ids = vocab.encode(TEXT)
    read = []

    def slow_bits_per_char(model, held_out):  # each validation pass takes 0.3 s
        read.append(len(held_out))
        time.sleep(0.3)
        return 1.0

    monkeypatch.setattr(charlm, "bits_per_char", slow_bits_per_char)
    started = time.perf_counter()
    history = train(small_model(vocab), ids[:-2000], ids[-2000:], seconds=1.0, batch_size=16,
                    length=32, validation_sample=500)
    assert history["seconds"][-1] >= 1.0  # a full second of training...
    assert time.perf_counter() - started >= 1.0 + 0.3 * len(read)  # ...besides the validations
    assert read[-1] == 2000 and set(read[:-1]) <= {500}  # the last pass reads all the held-out text


def test_carrying_the_state_gives_what_re_reading_the_whole_prefix_gives():
    vocab = Vocabulary(TEXT)
    model = small_model(vocab)
    assert generate(model, vocab, "the", 40, temperature=0) == generate_by_rereading(model, vocab, "the", 40)


def test_sampling_is_seeded_and_keeps_the_prompt():
    vocab = Vocabulary(TEXT)
    model = small_model(vocab)
    runs = [generate(model, vocab, "fox", 50, 1.0, torch.Generator().manual_seed(3)) for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].startswith("fox") and len(runs[0]) == 53


@pytest.mark.parametrize("prompt, temperature, message", [
    ("", 1.0, "empty"), ("the Ω", 1.0, "never saw: 'Ω'"), ("the", -1.0, "temperature")])
def test_generate_refuses_bad_input_in_words(prompt, temperature, message):
    vocab = Vocabulary(TEXT)
    with pytest.raises(ValueError, match=message):
        generate(small_model(vocab), vocab, prompt, 10, temperature)


def test_continue_prompt_explains_what_it_did():
    vocab = Vocabulary(TEXT)
    model = small_model(vocab)
    pieces, note = continue_prompt(model, vocab, "the é fox€", 0.0, 5)
    assert list(pieces) == ["the  fox", *generate(model, vocab, "the  fox", 5, 0)[-5:]]
    assert "'é€'" in note and "greedy" in note
    pieces, note = continue_prompt(model, vocab, "", 1.0, 5)
    assert list(pieces) == [] and note == "Type a prompt first: the model continues the text you give it."
    pieces, note = continue_prompt(model, vocab, "ÉÉ", 1.0, 5)
    assert list(pieces) == [] and "'É'" in note and "Type a prompt" in note
    with pytest.raises(ValueError, match="temperature"):
        continue_prompt(model, vocab, "the", -1.0, 5)


def test_checkpoint_round_trip(tmp_path):
    vocab = Vocabulary(TEXT)
    model = small_model(vocab)
    save_checkpoint(tmp_path / "m.pt", model, vocab)
    loaded, loaded_vocab = load_checkpoint(tmp_path / "m.pt", vocab=vocab, config=model.config,
                                           device="cpu")
    assert loaded_vocab.chars == vocab.chars
    ids = vocab.encode("the lazy dog")[None]
    model.eval(), loaded.eval()
    assert torch.equal(model(ids)[0], loaded(ids)[0])
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]


def test_mismatched_checkpoints_are_refused_in_words(tmp_path):
    vocab = Vocabulary(TEXT)
    model = small_model(vocab)
    save_checkpoint(tmp_path / "m.pt", model, vocab)
    with pytest.raises(CheckpointError, match="another alphabet"):
        load_checkpoint(tmp_path / "m.pt", vocab=Vocabulary(TEXT + "XYZ"))
    with pytest.raises(CheckpointError, match="another size: hidden 32 \\(expected 64\\)"):
        load_checkpoint(tmp_path / "m.pt", config=small_model(vocab, hidden=64).config)


def test_corrupt_missing_and_foreign_files_are_refused(tmp_path):
    vocab = Vocabulary(TEXT)
    save_checkpoint(tmp_path / "m.pt", small_model(vocab), vocab)
    data = (tmp_path / "m.pt").read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(tmp_path / "cut.pt")
    with pytest.raises(CheckpointError, match="no checkpoint"):
        load_checkpoint(tmp_path / "missing.pt")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="not a character-model checkpoint"):
        load_checkpoint(tmp_path / "other.pt")
    torch.save({"code": Vocabulary("abc")}, tmp_path / "pickle.pt")  # arbitrary objects: refused
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(tmp_path / "pickle.pt")


def test_a_save_that_dies_midway_keeps_the_old_checkpoint(tmp_path, monkeypatch):
    vocab = Vocabulary(TEXT)
    save_checkpoint(tmp_path / "m.pt", small_model(vocab), vocab)
    before = (tmp_path / "m.pt").read_bytes()

    def dying_save(payload, path):
        path.write_bytes(b"half a checkp")
        raise KeyboardInterrupt

    monkeypatch.setattr(charlm.torch, "save", dying_save)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(tmp_path / "m.pt", small_model(vocab, hidden=16), vocab)
    assert (tmp_path / "m.pt").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]


def test_command_line_trains_saves_and_samples(tmp_path):
    (tmp_path / "fox.txt").write_text(TEXT, encoding="utf-8")
    command = [sys.executable, "-m", "course_lib.charlm"]
    trained = subprocess.run(command + ["train", "--text", str(tmp_path / "fox.txt"), "--steps", "300",
                                        "--hidden", "64", "--batch-size", "8", "--length", "32",
                                        "--lr", "0.01", "--out", str(tmp_path / "fox.pt")],
                             capture_output=True, text=True, check=True)
    assert "bits/char" in trained.stdout and "chars/s" in trained.stdout
    assert "loss=" in trained.stderr  # the progress bar with the live loss
    resumed = subprocess.run(command + ["train", "--text", str(tmp_path / "fox.txt"), "--steps", "10",
                                        "--resume", str(tmp_path / "fox.pt"), "--out", str(tmp_path / "more.pt")],
                             capture_output=True, text=True, check=True)
    assert "resuming a 1-layer LSTM of 64 units" in resumed.stdout
    saved_bits = re.search(r"validation (\d\.\d+) bits/char \(all", trained.stdout).group(1)
    assert f"fox.pt starts at {saved_bits} bits/char held out" in resumed.stdout  # the saved weights
    (tmp_path / "other.txt").write_text(TEXT.upper(), encoding="utf-8")
    refused = subprocess.run(command + ["train", "--text", str(tmp_path / "other.txt"), "--resume",
                                        str(tmp_path / "fox.pt"), "--out", str(tmp_path / "x.pt")],
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "never saw" in refused.stderr and not (tmp_path / "x.pt").exists()
    sampled = subprocess.run(command + ["sample", str(tmp_path / "fox.pt"), "--prime", "the quick",
                                        "--temperature", "0", "--length", "30"],
                             capture_output=True, text=True, check=True)
    assert sampled.stdout.startswith("the quick brown fox")
    refused = subprocess.run(command + ["sample", str(tmp_path / "fox.pt"), "--prime", "Ω"],
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "never saw: 'Ω'" in refused.stderr
    missing = subprocess.run(command + ["sample", str(tmp_path / "none.pt")], capture_output=True,
                             text=True)
    assert missing.returncode == 1 and "no checkpoint" in missing.stderr


def test_a_killed_training_run_leaves_no_checkpoint_behind(tmp_path):
    (tmp_path / "fox.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "out").mkdir()
    run = subprocess.Popen([sys.executable, "-m", "course_lib.charlm", "train", "--text",
                            str(tmp_path / "fox.txt"), "--minutes", "1", "--hidden", "64",
                            "--out", str(tmp_path / "out" / "fox.pt")],
                           stdout=subprocess.PIPE, text=True)
    assert "for 1.0 minutes" in run.stdout.readline()  # it is training now
    run.kill()
    run.wait()
    assert list((tmp_path / "out").iterdir()) == []


def test_notebook_08s_hand_pieces_are_the_librarys():
    """Notebook 08 builds CharLM, the streams, the windows, bits_per_char and the re-reading
    writer by hand, then switches to course_lib.charlm's: the two must agree."""
    hand = course.definitions("08", "CharLM", "contiguous_streams", "windows", "bits_per_char",
                              "generate_by_rereading", device=torch.device("cpu"))
    ids = torch.arange(5000) % 37
    assert torch.equal(hand["contiguous_streams"](ids, 32), contiguous_streams(ids, 32))
    streams = contiguous_streams(ids, 4)
    for by_hand, library in zip(hand["windows"](streams, 64), windows(streams, 64), strict=True):
        assert all(map(torch.equal, by_hand, library))
    vocab = Vocabulary(TEXT)
    torch.manual_seed(0)
    model = hand["CharLM"](len(vocab), embedding=8, hidden=32)
    library_model = CharLM(len(vocab), embedding=8, hidden=32)
    library_model.load_state_dict(model.state_dict())
    held_out = vocab.encode(TEXT[:3000])
    assert hand["bits_per_char"](model, held_out) == pytest.approx(bits_per_char(library_model, held_out), abs=1e-4)
    assert (hand["generate_by_rereading"](library_model, vocab, "the ", 40)
            == generate_by_rereading(library_model, vocab, "the ", 40))
