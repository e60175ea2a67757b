"""Draw the course's diagrams into images/ (or --out DIR).

    python images/draw_diagrams.py
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "rnn-course"  # the same drawing gives the same file
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

INPUT, HIDDEN, OUTPUT, DECODER = "#cfe2f3", "#f9cb9c", "#b6d7a8", "#d9d2e9"


def canvas(width, height):
    figure, axes = plt.subplots(figsize=(width, height))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_aspect("equal")
    axes.axis("off")
    return figure, axes


def box(axes, x, y, text, color, width=0.9, height=0.6):
    axes.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                  boxstyle="round,pad=0.05", facecolor=color, edgecolor="#333"))
    axes.text(x, y, text, ha="center", va="center", fontsize=12)


def arrow(axes, start, end, color="#333", text=None):
    axes.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                   color=color, linewidth=1.4, shrinkA=0, shrinkB=0))
    if text:
        axes.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.12, text,
                  ha="center", va="bottom", fontsize=10, color=color)


def column(axes, x, t, top=None, bottom=None, top_color=OUTPUT, bottom_color=INPUT):
    """x_t -> h_t -> y_t stacked at horizontal position x (either end may be left out)."""
    box(axes, x, 1.5, f"$h_{{{t}}}$", HIDDEN)
    if bottom:
        box(axes, x, 0.5, bottom, bottom_color)
        arrow(axes, (x, 0.85), (x, 1.15))
    if top:
        box(axes, x, 2.5, top, top_color)
        arrow(axes, (x, 1.85), (x, 2.15))


def unrolled_rnn(path):
    """The loop h_t = f(x_t, h_{t-1}) drawn folded, then unrolled over four steps."""
    figure, axes = canvas(9.6, 3.2)
    column(axes, 0.8, "t", "$y_t$", "$x_t$")
    axes.add_patch(FancyArrowPatch((1.25, 1.7), (1.25, 1.3), connectionstyle="arc3,rad=-1.8",
                                   arrowstyle="-|>", mutation_scale=14, color="#c0392b", linewidth=1.4))
    axes.text(1.75, 1.5, "$W_{hh}$", color="#c0392b", fontsize=10, va="center")
    axes.text(2.65, 1.5, "=", fontsize=22, ha="center", va="center")
    for step in range(4):
        x = 4.0 + 1.6 * step
        column(axes, x, step + 1, f"$y_{step + 1}$", f"$x_{step + 1}$")
        arrow(axes, (x - (1.15 if step else 0.95), 1.5), (x - 0.5, 1.5), "#c0392b", "$W_{hh}$" if step else "$h_0$")
    axes.text(6.4, 3.0, "the same weights at every step", ha="center", fontsize=10, style="italic")
    save(figure, path)


def many_to_many(path):
    """Next-character prediction: one output per input."""
    figure, axes = canvas(8, 3.2)
    text = "hello"
    for step in range(4):
        x = 1.0 + 1.8 * step
        column(axes, x, step + 1, f"'{text[step + 1]}'", f"'{text[step]}'")
        if step:
            arrow(axes, (x - 1.35, 1.5), (x - 0.5, 1.5), "#c0392b")
    axes.text(4.0, 3.0, "many-to-many: read a character, predict the next", ha="center", fontsize=10,
              style="italic")
    save(figure, path)


def encoder_decoder(path):
    """The encoder's last hidden state is all the decoder gets to see."""
    figure, axes = canvas(10, 3.4)
    for step, symbol in enumerate("abc"):
        x = 0.8 + 1.4 * step
        column(axes, x, step + 1, None, f"'{symbol}'")
        if step:
            arrow(axes, (x - 0.95, 1.5), (x - 0.5, 1.5), "#c0392b")
    for step, symbol in enumerate("abc"):
        x = 5.6 + 1.4 * step
        box(axes, x, 1.5, f"$s_{step + 1}$", DECODER)
        box(axes, x, 2.5, f"'{symbol}'", OUTPUT)
        arrow(axes, (x, 1.85), (x, 2.15))
        start = 4.1 if step == 0 else x - 0.95  # the first arrow leaves h_3's right edge
        arrow(axes, (start, 1.5), (x - 0.5, 1.5), "#8e44ad", "$h_3$" if step == 0 else None)
    axes.text(2.2, 3.1, "encoder", ha="center", fontsize=11, weight="bold")
    axes.text(7.0, 3.1, "decoder", ha="center", fontsize=11, weight="bold")
    axes.text(7.0, 0.75, "one vector, $h_3$, carries the whole sequence", ha="center", fontsize=9,
              style="italic")
    save(figure, path)


def one_hot_diagram(path):
    """'hello' as a 5 x 4 grid: one row per character, a single 1 per row."""
    alphabet, word = "ehlo", "hello"
    figure, axes = plt.subplots(figsize=(4.6, 4))
    grid = [[1.0 if char == letter else 0.0 for letter in alphabet] for char in word]
    axes.imshow(grid, cmap="Blues", vmin=0, vmax=1.3)
    for row, char in enumerate(word):
        for col, letter in enumerate(alphabet):
            axes.text(col, row, int(grid[row][col]), ha="center", va="center", fontsize=12)
    axes.set_xticks(range(len(alphabet)), [f"'{c}'" for c in alphabet])
    axes.set_yticks(range(len(word)), [f"'{c}'" for c in word])
    axes.set_xlabel("alphabet (sorted)")
    axes.set_ylabel("text, one character per row")
    axes.xaxis.set_label_position("top")
    axes.xaxis.tick_top()
    save(figure, path)


def save(figure, path):
    """SVG, sharp on any screen, on an opaque white card so that it reads in dark themes too."""
    figure.savefig(path, bbox_inches="tight", facecolor="white", metadata={"Date": None})
    plt.close(figure)
    print(f"wrote {path}")


DIAGRAMS = {"unrolled_rnn.svg": unrolled_rnn, "many_to_many.svg": many_to_many,
            "encoder_decoder.svg": encoder_decoder, "one_hot.svg": one_hot_diagram}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in DIAGRAMS.items():
        draw(out / name)


if __name__ == "__main__":
    main()
