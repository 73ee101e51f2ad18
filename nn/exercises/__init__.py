"""Exercises that check themselves: each notebook ends with a few, each followed by a one-line check.

    from nn import exercises
    my_value = None                          # the student replaces None by an answer
    exercises.check("02.delta5", my_value)   # -> "02.delta5: right." or "02.delta5: not yet. <hint>"

`check(key, answer)` answers right or wrong; when wrong, a hint says what to look at (a sign, a missing factor,
the wrong neuron), never the answer itself. `None` gives "not answered yet" (so a saved notebook runs cleanly);
an answer of the wrong form (a word where a number is asked, two numbers where three are) is a TypeError.

An answer is one of
- a number, or numbers (a list, a nested list for a matrix, a numpy array; an `autograd.Value` counts as its
  `.data`): right when every entry is within `atol + rtol * |expected|` of the exact value;
- a word (e.g. the name of the wrong number in a table): compared without case or surrounding spaces;
- a function (e.g. a local derivative, or a numpy backward pass): the exercise's `measure` turns it into
  numbers (its values at a few points, the gradients it returns on fixed data), which are compared as above.

Adding exercises (one module per notebook, `nn/exercises/_nbNN.py` for the keys "NN.*"; `check` imports
the module on the first check of one of its keys, and `all_exercises()` imports them all):

    from ._registry import Exercise, Mistake, register, values_at

    register(Exercise(
        key="02.delta5",                     # "NN.name": NN is the notebook's number
        question="The article's delta_5 = -dE/dI_5 ...",
        expected=...,                        # computed by the library (the engine, gradcheck) or by exact
                                             # arithmetic (fractions, mpmath), never typed in from a document
        hint="...",                          # said for a wrong answer that is none of the mistakes below
        mistakes=[Mistake(value, "Look at the sign: ...")],   # each common wrong answer with its hint
        atol=1e-6, rtol=0.0,                 # the tolerance (also used to recognise a mistake)
        measure=None,                        # for a function answer: function -> numbers, e.g.
    ))                                       # values_at([0.5, 2.0]), its values there; `expected` is then
                                             # the numbers of the right function, and each mistake's value
                                             # is a wrong function

The solutions are in `notebooks/solutions/NN.py` (a dict `SOLUTIONS = {key: answer}`); tests/test_exercises.py
checks that every exercise accepts its solution, recognises each listed mistake with its own hint, and rejects
a perturbed answer; every exercise needs a solution there.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

from ._registry import _EXERCISES, Answer, Exercise, Mistake, Verdict, judge, register

__all__ = ["check", "exercise", "all_exercises", "Exercise", "Mistake", "Verdict", "register"]


def _load(number: str) -> None:
    """Import the module of notebook `number` ("02"), which registers its exercises, if there is one."""
    if importlib.util.find_spec(f"{__name__}._nb{number}") is not None:
        importlib.import_module(f"{__name__}._nb{number}")


def exercise(key: str) -> Exercise:
    """The exercise with this key, e.g. "02.delta5".

    Arguments:
        key: "NN.name", NN the notebook's number.
    """
    if not isinstance(key, str):
        raise TypeError(f"exercise(): the key must be a string like '02.delta5', got {key!r}")
    if key not in _EXERCISES and key[:2].isdigit():
        _load(key[:2])
    if key not in _EXERCISES:
        known = sorted(k for k in all_exercises() if k[:2] == key[:2]) or sorted(all_exercises())
        raise KeyError(f"exercises: no exercise {key!r}; the exercises are {', '.join(known)}")
    return _EXERCISES[key]


def check(key: str, answer: Answer) -> Verdict:
    """Say whether `answer` is right; when it is not, say what to look at, without giving the answer.

    Arguments:
        key: the exercise, e.g. "02.delta5".
        answer: a number, numbers, a word or a function, as the exercise asks; None means not answered yet.

    Returns a `Verdict`: truthy when right, shown as one line ("02.delta5: right.").
    """
    return judge(exercise(key), answer)


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of every notebook, by key (imports all the notebook modules)."""
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_nb"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_EXERCISES.items()))
