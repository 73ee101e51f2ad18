"""The main demo: `python -m nn.demo [--out DIR] [--steps N]`, or the installed command `backprop-lab-demo`.

1. Reproduces the worked example of the compilation of articles (file 002) and prints every number it
   publishes beside the exact value, with a verdict (see `nn.examples`), then the second step with momentum.
2. Prints the lecture note's softmax numbers beside the exact values.
3. Keeps training the same network on the same sample with SGD(lr=0.3, momentum=0.1) and prints the loss
   falling.
4. Writes the computation graph of the example's loss, a picture of the network and a page that plays backward
   step by step to DIR (default ./demo_output), if `autograd.viz` and Graphviz's `dot` program are available.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from .examples import (LEARNING_RATE_002, MOMENTUM_002, loss_002, network_002, softmax_examples,
                       training_step_002, worked_example_002)


def train_more(example, steps: int) -> list[float]:
    """Continue training the example's network on its sample; print and return E before each step, E after
    the last step included.

    Arguments:
        example: the result of `worked_example_002()` (its model and optimizer continue from step 3).
        steps: the number of further steps.
    """
    print(f"Training on, on the same sample: SGD(lr={LEARNING_RATE_002}, momentum={MOMENTUM_002}), "
          "E = 1/2 (t - O8)^2, target 0.9")
    print(f"{'step':>4}  {'E before the step':>17}  {'O8':>10}")
    losses = []
    for k, step in enumerate(example.steps, start=1):
        print(f"{k:>4}  {step.loss:>17.10f}  {step.forward['O8']:>10.6f}")
        losses.append(step.loss)
    for k in range(len(example.steps) + 1, len(example.steps) + steps + 1):
        step = training_step_002(example.model, example.optimizer)
        print(f"{k:>4}  {step.loss:>17.10f}  {step.forward['O8']:>10.6f}")
        losses.append(step.loss)
    final = loss_002(example.model).data
    losses.append(final)
    print(f"E after {len(losses) - 1} steps: {final:.10f} (from {losses[0]:.10f})")
    return losses


def write_pictures(out_dir: str) -> list[str]:
    """Write to `out_dir`: the computation graph of the example's loss as SVG (after backward, so every
    gradient shows; nodes grouped by neuron), the network as the article draws it (weights on the edges; each
    neuron's z, y, dE/dz and the article's delta -dE/dz), and an HTML page that plays backward step by step.
    Return the paths written. Prints a note and writes nothing if `autograd.viz` cannot be imported or
    Graphviz's `dot` program is missing.

    Arguments:
        out_dir: the folder to write to (created if needed).
    """
    try:
        from autograd.viz import backward_steps, draw_graph, draw_network, render
    except ImportError as e:
        print(f"Pictures skipped: autograd.viz could not be imported ({e}).")
        return []
    if shutil.which("dot") is None:
        print("Pictures skipped: Graphviz's `dot` program is not on the PATH (install graphviz).")
        return []
    os.makedirs(out_dir, exist_ok=True)
    model = network_002()
    loss = loss_002(model)
    loss.label = "E"
    loss.backward()
    pictures = {"worked_example_graph.svg": draw_graph(loss, group=model),
                "worked_example_network.svg": draw_network(model, root=loss, article_delta=True)}
    paths = [render(picture, os.path.join(out_dir, name)) for name, picture in pictures.items()]
    paths.append(backward_steps(loss).to_html(os.path.join(out_dir, "worked_example_backward.html")))
    for path in paths:
        print(f"Wrote {path}")
    print("(Open worked_example_backward.html in a browser to play backward step by step: previous / next / "
          "play.)")
    print("(The network picture shows each neuron's dE/dz, the lecture note's delta (eq 14), and -dE/dz, the "
          "article's delta; the article prints delta3 = -0.0087, which has the wrong sign.)")
    return paths


def _program_name() -> str:
    """The name in the usage line: the installed command (`backprop-lab-demo`) when started by it, else
    `python -m nn.demo`."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name.startswith("backprop-lab-demo") else "python -m nn.demo"


def main(argv: list[str] | None = None) -> int:
    """Run the demo.

    Arguments:
        argv: the command-line arguments (default: sys.argv[1:]): `--out DIR`, `--steps N`.
    """
    parser = argparse.ArgumentParser(prog=_program_name(), description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo_output", help="folder for the pictures (default: demo_output)")
    parser.add_argument("--steps", type=int, default=18, help="training steps after the first two (default: 18)")
    args = parser.parse_args(argv)
    if args.steps < 0:
        parser.error(f"--steps must be >= 0, got {args.steps}")
    example = worked_example_002()
    print(example)
    print()
    print(softmax_examples())
    print()
    train_more(example, args.steps)
    print()
    write_pictures(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
