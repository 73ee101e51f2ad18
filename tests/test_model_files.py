"""Model files: an existing file survives every failure of `MLP.save()` (a NaN parameter, a file-size limit,
a process killed while saving), paths are str or os.PathLike only, and files a JSON reader would get wrong
(deep nesting, a huge integer, a key twice) are refused with a message naming the file, the model unchanged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nn import MLP

ROOT = Path(__file__).resolve().parent.parent


def _data(model):
    return [p.data for p in model.parameters()]


def _old_file(tmp_path):
    """A saved model and the weights it holds."""
    path = tmp_path / "model.json"
    old = MLP(3, [4, 2], seed=1)
    old.save(path)
    return path, _data(old)


def _assert_intact(path, weights):
    assert _data(MLP.load(path)) == weights
    leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def _run_child(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_save_replaces_the_file_and_keeps_the_usual_permissions(tmp_path):
    path, _ = _old_file(tmp_path)
    new = MLP(3, [4, 2], seed=2)
    new.save(str(path))
    _assert_intact(path, _data(new))
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as open(path, "w") would create it


def test_save_writes_through_a_link_and_keeps_the_permissions_of_the_file(tmp_path):
    path, _ = _old_file(tmp_path)
    path.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(path.name)
    new = MLP(3, [4, 2], seed=2)
    new.save(link)
    assert link.is_symlink() and _data(MLP.load(path)) == _data(new)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_nan_parameter_is_refused_before_the_file_is_touched(tmp_path):
    path, old_weights = _old_file(tmp_path)
    new = MLP(3, [4, 2], seed=2)
    new.layers[1].neurons[0].w[2].data = float("nan")  # w68: from neuron 6 to neuron 8
    with pytest.raises(ValueError, match=r"MLP.save\(\): parameter w68 must be a finite number, got nan"):
        new.save(path)
    _assert_intact(path, old_weights)


def test_a_file_size_limit_leaves_the_old_file(tmp_path):
    """The child may write at most 200 bytes per file (RLIMIT_FSIZE), less than the model needs; the write
    fails with EFBIG (SIGXFSZ ignored, so the process is not killed first)."""
    path, old_weights = _old_file(tmp_path)
    assert path.stat().st_size > 200
    child = _run_child(f"""
        import resource, signal
        from nn import MLP
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
        try:
            MLP(3, [4, 2], seed=2).save({str(path)!r})
        except OSError as e:
            print("refused:", e.strerror)
    """)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.strip() == "refused: File too large"
    _assert_intact(path, old_weights)


def test_a_process_killed_while_its_file_is_being_written_leaves_the_old_file(tmp_path):
    """Deterministic: the child's fsync blocks (as a slow disk would) after the new content is written to
    the temporary file; the child is killed there, before the replace."""
    path, old_weights = _old_file(tmp_path)
    child = _run_child(f"""
        import os, time
        from nn import MLP
        def blocking_fsync(fd):
            print("writing", flush=True)
            time.sleep(120)
        os.fsync = blocking_fsync
        MLP(3, [4, 2], seed=2).save({str(path)!r})
    """)
    try:
        assert child.stdout.readline().strip() == "writing", child.stderr.read()
        temporary = [p for p in tmp_path.iterdir() if p.name != path.name]
        assert len(temporary) == 1 and temporary[0].stat().st_size > 0  # the new content is on its way
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert _data(MLP.load(path)) == old_weights


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45, 0.7])
def test_a_process_killed_at_any_moment_of_saving_leaves_a_complete_file(tmp_path, delay):
    """Undirected: a child saves a 20,000-parameter model over and over, every parameter equal to the
    generation number g = 1, 2, ...; killed at some moment, the file holds one complete generation."""
    path = tmp_path / "model.json"
    child = _run_child(f"""
        from nn import MLP
        model = MLP(40, [400, 10], seed=0)
        generation = 0
        while True:
            generation += 1
            for p in model.parameters():
                p.data = float(generation)
            model.save({str(path)!r})
            print(generation, flush=True)
    """)
    try:
        assert child.stdout.readline().strip() == "1", child.stderr.read()
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.communicate(timeout=60)
    weights = _data(MLP.load(path))
    assert len(weights) == 40 * 400 + 400 + 400 * 10 + 10
    assert len(set(weights)) == 1 and weights[0] >= 1.0 and weights[0].is_integer()


@pytest.mark.parametrize("path", [3, True, 2.5, None, b"model.json", ["model.json"]],
                         ids=["int", "bool", "float", "None", "bytes", "list"])
def test_paths_are_str_or_pathlike_only(tmp_path, path):
    model = MLP(2, [1], seed=0)
    kind = type(path).__name__
    for call, where in [(lambda: model.save(path), r"MLP.save\(\)"), (lambda: MLP.load(path), r"MLP.load\(\)"),
                        (lambda: model.load_parameters(path), r"MLP.load_parameters\(\)")]:
        with pytest.raises(TypeError, match=rf"{where}: path must be a file name .*got .* \({kind}\)"):
            call()


GOOD = {"format": "nn.MLP/1", "n_inputs": 2, "layer_sizes": [2, 1], "activations": ["tanh", "identity"],
        "bias": True, "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], "biases": [[0.7, 0.8], [0.9]]}
GOOD_TEXT = json.dumps(GOOD)

BAD_FILES = {
    "nested 100,000 levels": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "nested 100,000 levels inside the model": (GOOD_TEXT.replace("0.6", "[" * 100_000 + "]" * 100_000),
                                               "nested too deeply"),
    "a 5,000-digit integer": (GOOD_TEXT.replace("0.6", "7" * 5000), "an integer of 5000 digits"),
    "a negative 5,000-digit integer": (GOOD_TEXT.replace("0.6", "-" + "7" * 5000), "an integer of 5000 digits"),
    "weights twice": (GOOD_TEXT[:-1] + ', "weights": [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]]}',
                      "the key 'weights' appears twice"),
    "a key twice inside": ('{"a": 1, "b": {"c": 2, "c": 3}}', "the key 'c' appears twice"),
    "n_inputs 2.0": (GOOD_TEXT.replace('"n_inputs": 2', '"n_inputs": 2.0'), "n_inputs is 2.0, not an integer"),
}


@pytest.mark.parametrize("text, message", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_files_a_json_reader_gets_wrong_are_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    before = _data(model)
    for load in (lambda: MLP.load(path), lambda: model.load_parameters(path)):
        with pytest.raises(ValueError, match=message) as error:
            load()
        assert f"MLP file {str(path)!r}" in str(error.value)
        context = error.value.__context__  # no bare RecursionError or JSON error shown beneath it
        assert error.value.__cause__ is None and (context is None or error.value.__suppress_context__)
    assert _data(model) == before


def test_the_good_file_of_these_cases_loads_with_its_numbers(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(GOOD_TEXT)
    assert _data(MLP.load(path)) == [0.1, 0.2, 0.7, 0.3, 0.4, 0.8, 0.5, 0.6, 0.9]
