"""The exercises that check themselves (nn.exercises) against their solutions (notebooks/solutions/NN.py).

The solutions are written as a student would write them: by hand from the documents' data, in plain floats,
fractions or numpy, without the registry's exact values (which come from the engine), so an exercise that
accepts its solution has its exact value confirmed by an independent computation. Every listed mistake must
be recognised with its own hint, a perturbed answer must be rejected, and no hint may give the answer away.
"""

import math
import runpy
from pathlib import Path

import pytest

from nn import exercises
from nn.exercises import Exercise, Mistake, register
from nn.exercises._registry import NOT_ANSWERED, _EXERCISES

SOLUTIONS_FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "solutions"


def _solutions() -> dict:
    solutions = {}
    for path in sorted(SOLUTIONS_FOLDER.glob("*.py")):
        found = runpy.run_path(str(path))["SOLUTIONS"]
        assert all(key.startswith(path.stem[:2] + ".") for key in found), path.name
        solutions.update(found)
    return solutions


SOLUTIONS = _solutions()
EXERCISES = exercises.all_exercises()
KEYS = sorted(EXERCISES)


def test_every_exercise_has_a_solution_and_every_solution_an_exercise():
    assert sorted(SOLUTIONS) == KEYS
    assert len(KEYS) >= 3


@pytest.mark.parametrize("key", KEYS)
def test_the_solution_is_right(key):
    verdict = exercises.check(key, SOLUTIONS[key])
    assert verdict and verdict.right is True
    assert repr(verdict) == f"{key}: right."


@pytest.mark.parametrize("key", KEYS)
def test_each_listed_mistake_gets_its_own_hint(key):
    exercise = EXERCISES[key]
    assert exercise.mistakes or isinstance(exercise.expected, str), f"{key} lists no common mistake"
    for mistake in exercise.mistakes:
        verdict = exercises.check(key, mistake.value)
        assert not verdict and verdict.right is False
        assert repr(verdict) == f"{key}: not yet. {mistake.hint}"


def _perturbed(answer):
    if isinstance(answer, str):
        return answer + "x"
    if callable(answer):
        return lambda *args: _perturbed(answer(*args))
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    if isinstance(answer, (list, tuple)):
        return [_perturbed(a) for a in answer]
    return answer * 1.01 + 1e-3


@pytest.mark.parametrize("key", KEYS)
def test_a_perturbed_answer_is_wrong(key):
    verdict = exercises.check(key, _perturbed(SOLUTIONS[key]))
    assert not verdict and repr(verdict).startswith(f"{key}: not yet. ")


def _numbers(value) -> list[float]:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in _numbers(item)]
    return [float(value)]


@pytest.mark.parametrize("key", KEYS)
def test_no_hint_gives_the_answer_away(key):
    exercise = EXERCISES[key]
    hints = [exercise.hint, exercise.question] + [m.hint for m in exercise.mistakes]
    if isinstance(exercise.expected, str):
        shown = [exercise.expected]
    else:
        shown = [f"{x:.3g}" for x in _numbers(exercise.expected) if x not in (0.0, 1.0, -1.0) and x != int(x)]
    for text in hints[:1] + hints[2:]:
        for answer in shown:
            assert answer.lower() not in text.lower(), (key, answer, text)


@pytest.mark.parametrize("key", KEYS)
def test_not_answered_yet(key):
    verdict = exercises.check(key, None)
    assert verdict.right is None and not verdict
    assert repr(verdict) == f"{key}: {NOT_ANSWERED}"


def test_answers_of_the_wrong_form_are_type_errors():
    with pytest.raises(TypeError, match=r"check\('02.delta5', answer\): the answer should be a number, not 'x'"):
        exercises.check("02.delta5", "x")
    with pytest.raises(TypeError, match=r"should be a number, but the answer has 2"):
        exercises.check("02.delta5", [1.0, 2.0])
    with pytest.raises(TypeError, match=r"should be a word"):
        exercises.check("02.wrong_delta", 3.0)
    with pytest.raises(KeyError, match=r"no exercise '02.nothing'; the exercises are 02.delta5"):
        exercises.check("02.nothing", 1.0)
    with pytest.raises(TypeError, match=r"exercise\(\): the key must be a string"):
        exercises.check(2, 1.0)


def test_answers_may_be_values_numpy_numbers_or_words_in_any_case():
    from autograd import Value
    np = pytest.importorskip("numpy")
    right = SOLUTIONS["02.delta5"]
    assert exercises.check("02.delta5", Value(right))
    assert exercises.check("02.delta5", np.float64(right))
    assert exercises.check("02.delta5", np.array([right]))
    assert exercises.check("02.wrong_delta", "  DELTA3 ")
    assert not exercises.check("02.delta5", math.nan)


def test_register_refuses_bad_exercises():
    with pytest.raises(ValueError, match=r"register\(\): the key must look like '02.delta5', got 'delta5'"):
        register(Exercise("delta5", "q", 1.0, "h"))
    with pytest.raises(ValueError, match=r"already registered"):
        register(Exercise("02.delta5", "q", 1.0, "h"))
    with pytest.raises(ValueError, match=r"`expected` must be numbers or a word"):
        register(Exercise("99.f", "q", math.sin, "h", measure=lambda f: [f(0.5)]))
    assert "99.f" not in _EXERCISES


def test_a_function_answer_is_measured():
    exercise = Exercise("99.derivative", "d/dx sin x", [math.cos(x) for x in (0.1, 1.0)], "look at sin",
                        [Mistake(math.sin, "that is sin itself")], atol=1e-12,
                        measure=lambda f: [f(x) for x in (0.1, 1.0)])
    from nn.exercises._registry import judge
    assert judge(exercise, math.cos)
    assert repr(judge(exercise, math.sin)) == "99.derivative: not yet. that is sin itself"
    assert repr(judge(exercise, math.tan)) == "99.derivative: not yet. look at sin"
    with pytest.raises(TypeError, match="asks for a function"):
        judge(exercise, 1.0)
