"""Draw the course's diagrams into images/ (or --out DIR).

    python images/draw_diagrams.py
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "rnn-course"  # the same drawing gives the same file
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402

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


def linear_rnn_free_running(path):
    """Notebook 03's linear RNN: it reads the prime, then runs on its own outputs, where each
    step is one multiplication by A = W_hh + W_ih W_hy."""
    figure, axes = canvas(10.4, 4.1)
    for step in range(3):                                                   # reading the prime
        x = 1.0 + 1.5 * step
        column(axes, x, step + 1, f"$y_{step + 1}$", f"$x_{step + 1}$")
        arrow(axes, (x - (1.0 if step else 0.9), 1.5), (x - 0.5, 1.5), "#c0392b",
              "$W_{hh}$" if step else None)
    axes.text(0.1, 1.5, "$h_0 = 0$", ha="right", va="center", fontsize=11)
    axes.text(1.12, 1.0, "$W_{ih}$", fontsize=9, va="center")
    axes.text(1.12, 2.0, "$W_{hy}$", fontsize=9, va="center")
    axes.plot([4.72, 4.72], [0.15, 3.3], color="#999", linestyle="--", linewidth=1)
    for step in range(3, 6):                                                # running free
        x = 1.0 + 1.5 * step + 0.5
        column(axes, x, step + 1, f"$y_{step + 1}$", None)
        axes.text(x, 0.55, f"$x_{step + 1} = y_{step}$", ha="center", va="center", fontsize=10,
                  color="#555")
        previous = x - (1.5 if step > 3 else 2.0)
        arrow(axes, (previous + 0.5, 1.5), (x - 0.5, 1.5), "#8e44ad", "$A$")
    axes.text(2.5, 3.55, "reading the prime: $h_t = W_{hh}\\,h_{t-1} + W_{ih}\\,x_t$", ha="center",
              fontsize=11)
    axes.text(7.5, 3.55, "running free: $h_t = A\\,h_{t-1}$", ha="center", fontsize=11)
    axes.text(5.0, -0.2, "$y_t = W_{hy}\\,h_t$ predicts $x_{t+1}$;  no tanh, no biases;  "
              "fed back, $W_{hh}\\,h + W_{ih} W_{hy}\\,h = A\\,h$ with $A = W_{hh} + W_{ih} W_{hy}$",
              ha="center", fontsize=10, style="italic")
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


PLACES = [("#f4cccc", "#cc0000"), ("#fce5cd", "#b45f06"), ("#d9ead3", "#38761d"), ("#cfe2f3", "#1c4587")]
PLACE_NAMES = ["units", "tens", "hundreds", "thousands"]        # PLACES: each place's fill and line colour


def adder_backwards(path):
    """The course's adder on 4821+907: the encoder reads the question backwards, the decoder writes
    the answer units first; below, when each digit of 4821 is read and when the answer digit it
    makes is written: read backwards the same delay for every place, read forwards a different one."""
    figure, axes = canvas(12.4, 7.6)
    backwards, forwards, answer, step = "709+1284", "4821+907", "8275", 0.85
    places = {backwards: [0, 1, 2, None, 0, 1, 2, 3], forwards: [3, 2, 1, 0, None, 2, 1, 0]}

    def fill(place):
        return "#eeeeee" if place is None else PLACES[place][0]

    for i, char in enumerate(backwards):                                    # the encoder
        x = 0.7 + step * i
        box(axes, x, 5.0, char, fill(places[backwards][i]), width=0.62, height=0.55)
        box(axes, x, 6.0, f"$h_{{{i + 1}}}$", HIDDEN, width=0.62, height=0.55)
        arrow(axes, (x, 5.33), (x, 5.67))
        if i:
            arrow(axes, (x - step + 0.36, 6.0), (x - 0.36, 6.0), "#c0392b")
    for j, (fed, wrote) in enumerate(zip(["start"] + list(answer), list(answer) + ["stop"])):  # the decoder
        x = 8.0 + 0.95 * j
        box(axes, x, 5.0, fed, fill(j - 1 if j else None), width=0.62, height=0.55)
        box(axes, x, 6.0, f"$s_{{{j + 1}}}$", DECODER, width=0.62, height=0.55)
        box(axes, x, 7.0, wrote, fill(j if j < 4 else None), width=0.62, height=0.55)
        arrow(axes, (x, 5.33), (x, 5.67))
        arrow(axes, (x, 6.33), (x, 6.67))
        arrow(axes, (0.7 + step * 7 + 0.36 if j == 0 else x - 0.95 + 0.36, 6.0), (x - 0.36, 6.0), "#8e44ad")
    axes.text(3.7, 6.55, "encoder reads 4821+907 backwards", ha="center", fontsize=11, weight="bold")
    axes.text(9.9, 7.55, "decoder writes 5728 from the units up", ha="center", fontsize=11, weight="bold")
    axes.text(9.9, 4.45, "fed the digit before it (the true one in training)", ha="center", fontsize=9,
              style="italic")
    for k, name in enumerate(PLACE_NAMES):
        box(axes, 0.95 + 1.55 * k, 4.25, name, PLACES[k][0], width=1.3, height=0.4)

    def timeline(y, question, title):
        """13 steps in a row: the question read, then the answer written, with an arc from each
        digit of 4821 to the answer digit it makes, labelled with the steps between them."""
        axes.text(0.3, y + 0.4, title, fontsize=10, style="italic", va="bottom")
        x_of = [0.7 + step * t + (0.35 if t >= 8 else 0) for t in range(12)]
        for t, char in enumerate(question + answer):
            box(axes, x_of[t], y, char, fill(places[question][t] if t < 8 else t - 8), width=0.5, height=0.45)
        for k in range(4):
            start, end = places[question].index(k, 4 if question == backwards else 0), 8 + k  # a's digit k
            depth = 0.3 + 0.06 * (end - start)
            axes.add_patch(FancyArrowPatch((x_of[start], y - 0.26), (x_of[end], y - 0.26), arrowstyle="-|>",
                                           connectionstyle=f"arc3,rad={depth / (x_of[end] - x_of[start]) * 2}",
                                           mutation_scale=10, color=PLACES[k][1], linewidth=1.3))
            axes.text(x_of[end] + 0.1, y - 0.27, str(end - start), ha="left", va="top", fontsize=10,
                      color=PLACES[k][1], weight="bold")

    timeline(3.2, backwards, "read backwards: every digit of 4821 is read 4 steps before the answer digit it makes")
    timeline(1.3, forwards, "read forwards: 5, 7, 9 and 11 steps, a different delay for every place")
    save(figure, path)


def tao_lesson(path):
    """Tao's lesson: a tutor asks, a sensei answers, Tao reads the text one character at a time from a
    starting state h0 and is scored only on the answer; when it answers alone, each character it
    writes is its next input."""
    figure, axes = canvas(13.2, 3.6)
    box(axes, 1.1, 3.2, "tutor: 3+4=", INPUT, width=1.8)
    box(axes, 1.1, 2.1, "sensei: 7.", INPUT, width=1.8)
    box(axes, 1.1, 0.5, "3+4=7.", "#eeeeee", width=1.8)
    arrow(axes, (1.1, 2.85), (1.1, 2.45))
    arrow(axes, (1.1, 1.75), (1.1, 0.85))
    arrow(axes, (2.1, 0.5), (4.4, 0.5))
    box(axes, 3.6, 1.5, "$h_0$", HIDDEN)
    axes.text(3.6, 2.0, "start: zero /\nrandom /\ncarried over", ha="center", va="bottom", fontsize=9.5,
              color="#c0392b")
    inputs, targets = "3+4=7", "+4=7."
    for t in range(5):
        x = 5.0 + 1.4 * t
        column(axes, x, t + 1, f"'{targets[t]}'", f"'{inputs[t]}'", top_color=OUTPUT if t >= 3 else "#eeeeee")
        arrow(axes, (x - 0.95, 1.5), (x - 0.5, 1.5), "#c0392b")
    axes.text(6.4, 3.0, "predicted, not scored", ha="center", fontsize=10, style="italic")
    axes.text(9.9, 3.0, "scored: the answer", ha="center", fontsize=10, style="italic")
    axes.plot([9.65, 9.9, 9.9], [2.5, 2.5, 0.5], color="#8e44ad", linewidth=1.4, linestyle="--")
    arrow(axes, (9.9, 0.5), (10.15, 0.5), "#8e44ad")
    axes.text(11.25, 0.5, "answering alone, what Tao\nwrote is its next input", ha="left", va="center",
              fontsize=9, color="#8e44ad")
    save(figure, path)


def tbptt_streams(path):
    """The text cut into B = 3 contiguous streams, each walked in windows of T characters: the
    state goes on from one window to the next, the gradient stops at each window's edge."""
    streams, windows, width, gap = 3, 4, 2.0, 0.7
    left, text_y, rows_top = 1.8, 5.3, 3.6
    colors = [INPUT, OUTPUT, DECODER]
    figure, axes = canvas(13.4, 6.0)
    span = windows * width + (windows - 1) * gap
    axes.text(left - 0.2, text_y, "the text", ha="right", va="center", fontsize=11, weight="bold")
    starts, ends = ["1", "N/B + 1", "2N/B + 1"], ["N/B", "2N/B", "N"]
    for b in range(streams):  # the text, cut into B consecutive pieces
        x = left + b * span / streams
        axes.add_patch(matplotlib.patches.Rectangle((x, text_y - 0.25), span / streams, 0.5,
                                                    facecolor=colors[b], edgecolor="#333"))
        axes.text(x + span / streams / 2, text_y, f"stream {b + 1}: characters {starts[b]} to {ends[b]}",
                  ha="center", va="center", fontsize=9.5)
    for b in range(streams):
        y = rows_top - 1.1 * b
        axes.text(left - 0.2, y, f"stream {b + 1}", ha="right", va="center", fontsize=11)
        for k in range(windows):
            x = left + k * (width + gap)
            axes.add_patch(FancyBboxPatch((x, y - 0.3), width, 0.6, boxstyle="round,pad=0.02",
                                          facecolor=colors[b], edgecolor="#333"))
            axes.text(x + width / 2, y + 0.08, f"window {k + 1}", ha="center", va="center", fontsize=10)
            axes.add_patch(FancyArrowPatch((x + width - 0.15, y - 0.17), (x + 0.15, y - 0.17), arrowstyle="-|>",
                                           mutation_scale=10, color="#2e6da4", linewidth=1.2, linestyle="--"))
            if k:  # the state crosses the edge, the gradient does not
                arrow(axes, (x - gap - 0.02, y + 0.12), (x + 0.02, y + 0.12), "#c0392b")
                axes.plot([x - gap / 2] * 2, [y - 0.32, y - 0.02], color="#2e6da4", linewidth=2.5)
    for k in range(windows):  # batch k is window k of every row
        x = left + k * (width + gap)
        bottom = rows_top - 1.1 * (streams - 1) - 0.45
        axes.add_patch(matplotlib.patches.Rectangle((x - 0.12, bottom), width + 0.24, rows_top + 0.45 - bottom,
                                                    fill=False, edgecolor="#777", linestyle=":"))
        axes.text(x + width / 2, rows_top - 1.1 * (streams - 1) - 0.7, f"batch {k + 1}: (B, T)",
                  ha="center", va="center", fontsize=10, color="#555")
    axes.text(left + span / 2, text_y - 0.55, "cut into B = 3 streams, one per row of every batch, read side by side",
              ha="center", va="center", fontsize=9.5, style="italic")
    x = left + width / 2  # the window's length, above the first one
    axes.annotate("", (left, rows_top + 0.62), (left + width, rows_top + 0.62),
                  arrowprops=dict(arrowstyle="<->", color="#333", linewidth=1))
    axes.text(x, rows_top + 0.7, "T characters", ha="center", va="bottom", fontsize=9.5)
    legend_y = 0.35
    arrow(axes, (left, legend_y), (left + 0.6, legend_y), "#c0392b")
    axes.text(left + 0.75, legend_y, "the state (h, c) goes on into the next window", va="center", fontsize=10,
              color="#c0392b")
    axes.add_patch(FancyArrowPatch((left + 6.2, legend_y), (left + 5.6, legend_y), arrowstyle="-|>",
                                   mutation_scale=10, color="#2e6da4", linewidth=1.2, linestyle="--"))
    axes.plot([left + 5.45] * 2, [legend_y - 0.15, legend_y + 0.15], color="#2e6da4", linewidth=2.5)
    axes.text(left + 6.35, legend_y, "gradient: back through its own T characters only, stops at the edge",
              va="center", fontsize=10, color="#2e6da4")
    save(figure, path)


def padding_and_mask(path):
    """A padded batch, its length mask, and the encoder's state taken at one sequence's own end."""
    rows, lengths, width = ["abc", "cabbac", "bcab"], [3, 6, 4], 7
    stop, padding_color = "·", "#e6e6e6"
    figure, axes = canvas(10.4, 6.7)

    def cell(x, y, text, color):
        axes.add_patch(FancyBboxPatch((x - 0.25, y - 0.25), 0.5, 0.5, boxstyle="square,pad=0",
                                      facecolor=color, edgecolor="#333", linewidth=0.8))
        axes.text(x, y, text, ha="center", va="center", fontsize=16 if text == stop else 11)

    for left, title in [(1.3, f"padded ids (B, T) = (3, {width}); {stop} is the stop symbol"),
                        (6.4, "mask = arange(T) < lengths[:, None]")]:
        axes.text(left + 1.5, 6.45, title, ha="center", fontsize=10, weight="bold")
        for t in range(width):
            axes.text(left + 0.5 * t, 6.05, str(t), ha="center", va="center", fontsize=9, color="#555")
        for row, (symbols, length) in enumerate(zip(rows, lengths)):
            for t in range(width):
                real = t < length
                text = (symbols[t] if real else stop) if left < 5 else ("1" if real else "0")
                cell(left + 0.5 * t, 5.55 - 0.55 * row, text, (INPUT if left < 5 else OUTPUT) if real else padding_color)
    for row, length in enumerate(lengths):
        axes.text(0.2, 5.55 - 0.55 * row, f"length {length}", va="center", fontsize=10)
    axes.text(0.2, 3.45, f"row 0 (length {lengths[0]}) through the encoder, which reads on to the end of the padding",
              fontsize=10, weight="bold")
    for t in range(width):
        x, real = 1.0 + 1.3 * t, t < lengths[0]
        box(axes, x, 0.5, rows[0][t] if real else "", INPUT if real else padding_color)
        if not real:
            axes.text(x, 0.5, stop, ha="center", va="center", fontsize=16)
        box(axes, x, 1.5, f"$h_{{{t}}}$", HIDDEN if real else padding_color)
        arrow(axes, (x, 0.85), (x, 1.15))
        if t:
            arrow(axes, (x - 0.85, 1.5), (x - 0.45, 1.5), "#c0392b")
    end, last = 1.0 + 1.3 * (lengths[0] - 1), 1.0 + 1.3 * (width - 1)
    box(axes, end, 2.75, "to the decoder", DECODER, width=1.9)
    arrow(axes, (end, 1.85), (end, 2.35), "#8e44ad")
    axes.text(end + 0.12, 2.1, f"position length − 1 = {lengths[0] - 1}", fontsize=9, color="#8e44ad", va="center")
    box(axes, last, 2.75, "naive: the state\nafter the padding", padding_color, width=2.2, height=0.75)
    arrow(axes, (last, 1.85), (last, 2.32), "#777")
    save(figure, path)


def gru_cell(path):
    """One GRU step: x_t and h_{t-1} feed three gates; the update gate z mixes the old state (the
    top line, the path on which z alone scales the gradient) with the candidate n."""
    figure, axes = canvas(10.6, 5.6)
    highway, dark = "#c0392b", "#333"

    def operation(x, y, symbol):
        axes.add_patch(Circle((x, y), 0.22, facecolor="white", edgecolor=dark, linewidth=1.4, zorder=3))
        axes.text(x, y, symbol, ha="center", va="center", fontsize=14, zorder=4)

    def line(points, color=dark, width=1.4):
        xs, ys = zip(*points)
        axes.plot(xs, ys, color=color, linewidth=width, solid_capstyle="butt")

    def joint(x, y, color=dark):
        axes.plot(x, y, "o", color=color, markersize=5)

    axes.text(5.3, 5.3, r"$h_t = (1 - z) \odot n + z \odot h_{t-1}$", ha="center", fontsize=14)
    # the old state's line along the top: scaled by z, then added to the new part
    box(axes, 0.7, 4.6, "$h_{t-1}$", INPUT)
    arrow(axes, (1.15, 4.6), (2.78, 4.6), highway)
    operation(3.0, 4.6, "×")
    arrow(axes, (3.22, 4.6), (8.68, 4.6), highway)
    axes.text(5.9, 4.72, r"$z \odot h_{t-1}$: the old state, kept where $z \approx 1$", ha="center",
              va="bottom", fontsize=10, color=highway)
    operation(8.9, 4.6, "+")
    arrow(axes, (9.12, 4.6), (9.6, 4.6))
    box(axes, 10.05, 4.6, "$h_t$", HIDDEN)
    # x_t and h_{t-1} reach every gate from below
    box(axes, 0.7, 1.0, "$x_t$", INPUT)
    joint(1.6, 4.6, highway)
    line([(1.6, 4.6), (1.6, 1.0)])
    line([(1.15, 1.0), (7.4, 1.0)])
    joint(1.6, 1.0)
    axes.text(4.5, 0.72, "$x_t$ and $h_{t-1}$ feed all three", ha="center", va="top", fontsize=10)
    for x in (3.0, 5.0, 7.4):
        arrow(axes, (x, 1.0), (x, 1.85))
    box(axes, 3.0, 2.3, "$z = \\sigma(\\cdot)$\nupdate gate", DECODER, width=1.4, height=0.75)
    box(axes, 5.0, 2.3, "$r = \\sigma(\\cdot)$\nreset gate", DECODER, width=1.4, height=0.75)
    box(axes, 7.4, 2.3, "$n = \\tanh(\\ldots + r \\odot \\ldots)$\ncandidate", OUTPUT, width=2.3, height=0.75)
    arrow(axes, (5.75, 2.3), (6.2, 2.3), text="$r$")
    # z scales the old state; 1 - z scales the candidate
    arrow(axes, (3.0, 2.72), (3.0, 4.38))
    axes.text(2.85, 3.9, "$z$", ha="right", va="center", fontsize=11)
    joint(3.0, 3.5)
    line([(3.0, 3.5), (4.55, 3.5)])
    box(axes, 5.0, 3.5, "$1 - z$", DECODER, width=0.8, height=0.4)
    arrow(axes, (5.45, 3.5), (8.68, 3.5))
    operation(8.9, 3.5, "×")
    line([(8.6, 2.3), (8.9, 2.3)])
    arrow(axes, (8.9, 2.3), (8.9, 3.28))
    axes.text(9.0, 2.9, "$n$", ha="left", va="center", fontsize=11)
    arrow(axes, (8.9, 3.72), (8.9, 4.38))
    axes.text(9.05, 4.05, r"$(1 - z) \odot n$", ha="left", va="center", fontsize=10)
    save(figure, path)



def lstm_cell(path):
    """One LSTM step: four gates read h_{t-1} and x_t; the cell state runs along the top, only
    scaled by f and added to (no matrix, no tanh), and h_t = o * tanh(c_t)."""
    figure, axes = canvas(10.4, 5.4)
    memory, dark = "#c0392b", "#333"
    axes.add_patch(FancyBboxPatch((1.3, 0.95), 7.6, 3.75, boxstyle="round,pad=0.1", facecolor="#f7f7f7",
                                  edgecolor="#999", linestyle="--"))

    def operation(x, y, symbol):
        axes.add_patch(Circle((x, y), 0.24, facecolor="white", edgecolor=dark, linewidth=1.4, zorder=3))
        axes.text(x, y, symbol, ha="center", va="center", fontsize=14, zorder=4)

    axes.text(5.2, 5.1, r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$        $h_t = o_t \odot \tanh(c_t)$",
              ha="center", fontsize=12)
    # the cell state: c_{t-1} -> times f -> plus i * g -> c_t
    axes.text(0.55, 4.2, "$c_{t-1}$", ha="center", va="center", fontsize=13, color=memory)
    arrow(axes, (0.9, 4.2), (2.96, 4.2), memory)
    operation(3.2, 4.2, "×")
    arrow(axes, (3.44, 4.2), (5.16, 4.2), memory)
    operation(5.4, 4.2, "+")
    arrow(axes, (5.64, 4.2), (9.6, 4.2), memory)
    axes.text(9.9, 4.2, "$c_t$", ha="center", va="center", fontsize=13, color=memory)
    axes.text(4.3, 4.45, "the cell state: scaled by $f_t$ and added to, never multiplied by a matrix",
              ha="center", fontsize=9, style="italic", color=memory)
    # the four gates, all reading h_{t-1} and x_t
    for x, label, color in [(3.2, "$f_t$  σ", DECODER), (4.7, "$i_t$  σ", DECODER), (6.1, "$g_t$  tanh", OUTPUT),
                            (7.5, "$o_t$  σ", DECODER)]:
        box(axes, x, 1.9, label, color, width=1.05, height=0.5)
        arrow(axes, (x, 1.1), (x, 1.6))
    axes.plot([0.9, 7.5], [1.1, 1.1], color=dark, linewidth=1.4)
    axes.text(0.55, 1.1, "$h_{t-1}$", ha="center", va="center", fontsize=13)
    axes.plot([2.2, 2.2], [0.55, 1.1], color=dark, linewidth=1.4)
    axes.plot([2.2], [1.1], "o", color=dark, markersize=4)
    box(axes, 2.2, 0.3, "$x_t$", INPUT, width=0.6, height=0.4)
    axes.text(5.4, 0.45, r"each gate: $W_{i\cdot}\, x_t + W_{h\cdot}\, h_{t-1} + b$, then σ or tanh",
              ha="left", fontsize=9, style="italic")
    # f scales the old cell state; i * g is what is written
    arrow(axes, (3.2, 2.2), (3.2, 3.96))
    operation(5.4, 3.0, "×")
    arrow(axes, (4.7, 2.2), (5.22, 2.84))
    arrow(axes, (6.1, 2.2), (5.58, 2.84))
    arrow(axes, (5.4, 3.24), (5.4, 3.96))
    # h_t = o * tanh(c_t)
    box(axes, 8.4, 3.45, "tanh", OUTPUT, width=0.7, height=0.4)
    arrow(axes, (8.4, 4.2), (8.4, 3.7))
    operation(8.4, 2.6, "×")
    arrow(axes, (8.4, 3.2), (8.4, 2.84))
    arrow(axes, (7.5, 2.2), (8.16, 2.55))
    arrow(axes, (8.64, 2.6), (9.6, 2.6))
    axes.text(9.9, 2.6, "$h_t$", ha="center", va="center", fontsize=13)
    axes.text(9.9, 3.4, "both go\non to\nstep $t+1$", ha="center", va="center", fontsize=8, style="italic")
    save(figure, path)


def reading_a_cell(path):
    """One cell's activation after each character, set beside a feature of the text counted by
    hand; Pearson's r over all the characters says how closely the cell follows the feature."""
    figure, axes = canvas(12.6, 4.9)
    text, depth = "f(a[i],b)", [0, 1, 1, 2, 2, 1, 1, 1, 0]
    activation = [0.05, -0.35, -0.4, -0.7, -0.75, -0.4, -0.45, -0.4, 0.0]
    blue_white_red = matplotlib.colormaps["bwr"]
    left, gap = 2.6, 0.82
    for t, (char, level, value) in enumerate(zip(text, depth, activation)):
        x = left + gap * t
        box(axes, x, 0.45, f"'{char}'", INPUT, width=0.55, height=0.4)
        box(axes, x, 1.45, "", HIDDEN, width=0.55, height=0.45)
        arrow(axes, (x, 0.7), (x, 1.18))
        if t:
            arrow(axes, (x - gap + 0.33, 1.45), (x - 0.33, 1.45), "#c0392b")
        arrow(axes, (x, 1.72), (x, 2.12))
        axes.add_patch(FancyBboxPatch((x - 0.3, 2.17), 0.6, 0.45, boxstyle="square,pad=0", edgecolor="#333",
                                      facecolor=blue_white_red(0.5 + 0.35 * value)))
        axes.text(x, 2.4, f"{value:+.1f}", ha="center", va="center", fontsize=8.5, color="black")
        axes.text(x, 3.3, str(level), ha="center", va="center", fontsize=12)
    for y, label in [(0.45, "the text, one\ncharacter a step"), (1.45, "the trained LSTM"),
                     (2.4, "cell k: $\\tanh(c_t)$\nafter each character"), (3.3, "bracket depth,\ncounted by hand")]:
        axes.text(0.1, y, label, va="center", fontsize=9)
    right = left + gap * len(text) - 0.2
    axes.plot([right, right + 0.25, right + 0.25, right], [2.4, 2.4, 3.3, 3.3], color="#333", linewidth=1.4)
    arrow(axes, (right + 0.25, 2.85), (right + 0.7, 2.85))
    box(axes, right + 1.65, 2.85, "Pearson $r$\nover all the\ncharacters", OUTPUT, width=1.7, height=1.0)
    axes.text(left + gap * 4.5, 4.55, "every cell k against every feature: the cell with the largest |r| follows it best",
              ha="center", fontsize=10, style="italic")
    axes.text(left + gap * 4.5, 4.1, "r near -1 (as here) or near +1: either way the cell follows the feature",
              ha="center", fontsize=10, style="italic")
    save(figure, path)


def encoder_decoder_attention(path):
    """Reversing 'abcd' with attention: decoder step 2 scores every encoder state, and the context
    it reads is their average weighted by the softmax of the scores (the weights as line widths)."""
    figure, axes = canvas(11.6, 6.0)
    weights = [0.02, 0.05, 0.9, 0.03]                          # step 2 writes 'c': it looks at 'c'
    for j, symbol in enumerate("abcd"):
        x = 0.8 + 1.4 * j
        column(axes, x, j + 1, None, f"'{symbol}'")
        if j:
            arrow(axes, (x - 0.95, 1.5), (x - 0.5, 1.5), "#c0392b")
        axes.add_patch(FancyArrowPatch((x, 1.85), (2.9 + 0.35 * (j - 1.5), 3.05), arrowstyle="-|>",
                                       mutation_scale=10 + 8 * weights[j], color="#2e86c1",
                                       linewidth=0.6 + 5 * weights[j], shrinkA=0, shrinkB=0))
        axes.text(*[(1.2, 2.55), (2.15, 2.55), (3.75, 2.35), (4.6, 2.55)][j], f"{weights[j]:.2f}",
                  ha="center", fontsize=10, color="#2e86c1")
    box(axes, 2.9, 3.4, "context $c_2 = \\sum_j \\alpha_{2j}\\, h_j$", "#d6eaf8", width=3.2, height=0.6)
    axes.text(5.95, 2.5, "step 2 scores every $h_j$\nagainst $s_2$; a softmax\nturns the scores into\n"
              "the weights $\\alpha_{2j}$ (blue)", ha="center", va="center", fontsize=9.5, style="italic",
              color="#2e86c1")
    for t, (fed, wrote) in enumerate([("start", "'d'"), ("'d'", "'c'")]):
        x = 7.9 + 2.5 * t
        box(axes, x, 0.5, fed, OUTPUT)
        box(axes, x, 1.5, f"$s_{t + 1}$", DECODER)
        box(axes, x, 3.4, f"$\\tanh(W[c_{t + 1}; s_{t + 1}])$", "#eeeeee", width=1.75)
        box(axes, x, 4.6, wrote, OUTPUT)
        arrow(axes, (x, 0.85), (x, 1.15))
        arrow(axes, (x, 1.85), (x, 3.05))
        arrow(axes, (x, 3.75), (x, 4.25))
        arrow(axes, (5.45 if t == 0 else x - 2.05, 1.5), (x - 0.5, 1.5), "#8e44ad", "$h_4$" if t == 0 else None)
    axes.plot([2.9, 2.9, 9.15, 9.15], [3.75, 5.2, 5.2, 3.4], color="#2e86c1", linewidth=1.4)
    arrow(axes, (9.15, 3.4), (9.45, 3.4), "#2e86c1")
    axes.text(6.0, 5.27, "$c_2$", ha="center", va="bottom", fontsize=11, color="#2e86c1")
    axes.text(2.9, 5.6, "encoder: every state is kept", ha="center", fontsize=11, weight="bold")
    axes.text(9.15, 5.6, "decoder: steps 1 and 2 of writing 'dcba'", ha="center", fontsize=11, weight="bold")
    save(figure, path)


def many_to_one(path):
    """Notebook 12's reader: one state per character, one answer from the last state."""
    figure, axes = canvas(12.4, 4.6)
    name = "Wójcik"
    for step, char in enumerate(name):
        x = 0.8 + 1.4 * step
        column(axes, x, step + 1, None, f"'{char}'")
        if step:
            arrow(axes, (x - 0.95, 1.5), (x - 0.5, 1.5), "#c0392b")
    last = 0.8 + 1.4 * (len(name) - 1)
    box(axes, last, 2.6, "linear, softmax", OUTPUT, width=2.0)
    arrow(axes, (last, 1.85), (last, 2.25))
    languages = ["Dutch", "English", "German", "Irish", "Italian", "Polish", "Slovak", "Spanish"]
    probabilities = [0.02, 0.03, 0.04, 0.01, 0.01, 0.78, 0.09, 0.02]
    labels = last + 2.55                                          # the right edge of the language names
    arrow(axes, (last + 1.05, 2.6), (labels - 1.1, 2.6))
    for row, (language, p) in enumerate(zip(languages, probabilities)):
        y = 4.1 - 0.42 * row
        axes.text(labels, y, language, ha="right", va="center", fontsize=9)
        axes.add_patch(FancyBboxPatch((labels + 0.15, y - 0.13), 1.8 * p, 0.26, boxstyle="square,pad=0",
                                      facecolor="#6aa84f" if p == max(probabilities) else "#999", edgecolor="none"))
    axes.text(labels + 0.35, 0.45, "one answer: P(language | name)", ha="center", fontsize=9, style="italic")
    axes.text(4.3, -0.25, "many-to-one: read the whole name, answer once, from the state at its end",
              ha="center", fontsize=10, style="italic")
    save(figure, path)


def save(figure, path):
    """SVG, sharp on any screen, on an opaque white card so that it reads in dark themes too."""
    figure.savefig(path, bbox_inches="tight", facecolor="white", metadata={"Date": None})
    plt.close(figure)
    print(f"wrote {path}")


DIAGRAMS = {"unrolled_rnn.svg": unrolled_rnn, "many_to_many.svg": many_to_many,
            "encoder_decoder.svg": encoder_decoder, "one_hot.svg": one_hot_diagram,
            "linear_rnn.svg": linear_rnn_free_running,
            "adder_backwards.svg": adder_backwards, "tao_lesson.svg": tao_lesson,
            "tbptt_streams.svg": tbptt_streams, "padding_and_mask.svg": padding_and_mask,
            "gru_cell.svg": gru_cell, "lstm_cell.svg": lstm_cell, "reading_a_cell.svg": reading_a_cell,
            "encoder_decoder_attention.svg": encoder_decoder_attention, "many_to_one.svg": many_to_one}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in DIAGRAMS.items():
        draw(out / name)


if __name__ == "__main__":
    main()
