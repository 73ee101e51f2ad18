"""The registry of exercises, and the check that judges an answer (see the package docstring for the API)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from autograd._errors import is_real, real_number

Answer = Any  # a number, a sequence of numbers (nested: a matrix), a word, or a function


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer and what to look at when it is given.

    Arguments:
        value: the wrong answer, exactly as a student would give it (a number, numbers, a word, or a wrong
            function for an exercise that asks for a function).
        hint: where to look (a sign, a missing factor, the wrong neuron), never the right answer.
    """

    value: Answer
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: its key, its question, the exact answer and the mistakes it recognises.

    Arguments:
        key: "NN.name", NN the notebook's number, e.g. "02.delta5".
        question: the question, as the notebook asks it (one or two sentences).
        expected: the right answer: a number, a sequence of numbers (a matrix as nested lists), or a word.
            Computed by the library's own tools or by exact arithmetic, never typed in from a document.
        hint: what to look at when the answer is wrong and is none of the listed mistakes.
        mistakes: the common wrong answers, each with its hint.
        atol, rtol: a number is right when |answer - expected| <= atol + rtol * |expected|, entry by entry;
            a mistake is recognised the same way.
        measure: for an exercise whose answer is a function: turns a function into the numbers compared
            with `expected` (e.g. its values at a few points, or the gradients it returns on fixed data).
            The same `measure` is applied to the functions given as mistakes.
    """

    key: str
    question: str
    expected: Answer
    hint: str
    mistakes: Sequence[Mistake] = ()
    atol: float = 1e-9
    rtol: float = 0.0
    measure: Callable[[Callable], Answer] | None = field(default=None, repr=False)


class Verdict:
    """What `check` says: truthy when the answer is right. It prints (and shows in a notebook) as one line."""

    def __init__(self, key: str, right: bool | None, message: str):
        self.key = key
        self.right = right  # None: not answered yet
        self.message = message

    def __bool__(self) -> bool:
        """bool(verdict) is True only for a right answer: False for a wrong one and for a question not
        answered yet (`right` is None), so `assert check(...)` fails until the answer is right."""
        return bool(self.right)

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


NOT_ANSWERED = "not answered yet: replace the None by your answer and run this cell again."

_EXERCISES: dict[str, Exercise] = {}


def values_at(points: Sequence) -> Callable[[Callable], list]:
    """A `measure` for an exercise whose answer is a function of numbers: its values at `points`, in order.

    Arguments:
        points: each a number (the function's one argument) or a tuple of its arguments.
    """
    def measure(f: Callable) -> list:
        return [f(*point) if isinstance(point, tuple) else f(point) for point in points]
    return measure


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (done by the module of its notebook when it is imported).

    Arguments:
        exercise: the `Exercise`; its key must be new and of the form "NN.name".
    """
    key = exercise.key
    if not (isinstance(key, str) and len(key) > 3 and key[:2].isdigit() and key[2] == "."):
        raise ValueError(f"register(): the key must look like '02.delta5', got {key!r}")
    if key in _EXERCISES:
        raise ValueError(f"register(): the exercise {key!r} is already registered")
    if callable(exercise.expected):
        raise ValueError(f"register(): exercise {key!r}: `expected` must be numbers or a word; for an exercise "
                         "whose answer is a function, give the numbers its `measure` gives on the right function")
    if not isinstance(exercise.expected, str) and _numbers(exercise.expected) is None:
        raise ValueError(f"register(): exercise {key!r}: `expected` must be numbers or a word, got "
                         f"{exercise.expected!r}")
    _EXERCISES[key] = exercise
    return exercise


def _numbers(value: Answer) -> list[float] | None:
    """The numbers of an answer, flattened (a Value counts as its `.data`); None if it is not numbers."""
    if hasattr(value, "data") and isinstance(getattr(value, "data"), numbers.Real):  # an autograd.Value
        value = value.data
    if hasattr(value, "tolist"):  # a numpy array or number
        value = value.tolist()
    if is_real(value):  # an int beyond 1.8e308 as +-inf, which matches no expected number
        return [real_number(value, "the answer", finite=False)]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return None
    flat: list[float] = []
    for item in value:
        inner = _numbers(item)
        if inner is None:
            return None
        flat.extend(inner)
    return flat


def _same(answer: Answer, target: Answer, exercise: Exercise) -> bool:
    """Whether an answer is the target: words compared without case and spaces, numbers within tolerance."""
    if isinstance(target, str):
        return isinstance(answer, str) and answer.strip().lower() == target.strip().lower()
    got, want = _numbers(answer), _numbers(target)
    if got is None or want is None or len(got) != len(want):
        return False
    return all(math.isfinite(g) and abs(g - w) <= exercise.atol + exercise.rtol * abs(w) for g, w in zip(got, want))


def _shape_error(key: str, answer: Answer, exercise: Exercise) -> str | None:
    """What is wrong with the form of an answer (not a number, too few numbers), or None."""
    if isinstance(exercise.expected, str):
        return None if isinstance(answer, str) else f"a word, like {exercise.expected[:1]!r}..., not {answer!r}"
    got, want = _numbers(answer), _numbers(exercise.expected)
    if want is None:  # (register() refuses such an `expected`)
        return None
    if got is None:
        return f"{'a number' if len(want) == 1 else f'{len(want)} numbers'}, not {answer!r}"
    if len(got) != len(want):
        return f"{'a number' if len(want) == 1 else f'{len(want)} numbers'}, but the answer has {len(got)}"
    return None


def judge(exercise: Exercise, answer: Answer) -> Verdict:
    """Judge an answer to an exercise (see `check`)."""
    key = exercise.key
    if answer is None:
        return Verdict(key, None, f"{key}: {NOT_ANSWERED}")
    if exercise.measure is not None:
        if not callable(answer):
            raise TypeError(f"check({key!r}, answer): this exercise asks for a function, got {answer!r}")
        measured = exercise.measure(answer)
        mistakes = [(exercise.measure(m.value), m.hint) for m in exercise.mistakes]
    else:
        problem = _shape_error(key, answer, exercise)
        if problem is not None:
            raise TypeError(f"check({key!r}, answer): the answer should be {problem}")
        measured = answer
        mistakes = [(m.value, m.hint) for m in exercise.mistakes]
    if _same(measured, exercise.expected, exercise):
        return Verdict(key, True, f"{key}: right.")
    for value, hint in mistakes:
        if _same(measured, value, exercise):
            return Verdict(key, False, f"{key}: not yet. {hint}")
    return Verdict(key, False, f"{key}: not yet. {exercise.hint}")
