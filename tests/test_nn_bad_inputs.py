"""Every bad input to the nn models and optimisers raises a TypeError (wrong kind of value) or a ValueError (right
kind, wrong value) whose message names the function, the argument and the value: one row per input, with the
expected exception and a fragment of its message. Nothing is changed by a refused call."""

from __future__ import annotations

import random
import re

import pytest

from autograd import AutogradError, Value
from nn import MLP, SGD, Adam, Layer, Neuron


def _model():
    return MLP(2, [2, 1], seed=0)


def _step_with_gradient(make, gradient, label="w"):
    """An optimiser step after a parameter's .grad was set by hand to `gradient`; no parameter may change."""
    w, v = Value(1.0, label=label), Value(2.0, label="v")
    optimizer = make([v, w])
    v.grad, w.grad = 1.0, gradient
    try:
        optimizer.step()
    finally:
        assert (v.data, w.data) == (2.0, 1.0)


def _step_after_setting(make, **attributes):
    w = Value(1.0, label="w")
    optimizer = make([w])
    w.grad = 1.0
    for name, value in attributes.items():
        setattr(optimizer, name, value)
    try:
        optimizer.step()
    finally:
        assert w.data == 1.0


def _load_state(state):
    model = _model()
    before = [p.data for p in model.parameters()]
    try:
        model.load_state_dict(state)
    finally:
        assert [p.data for p in model.parameters()] == before


def _state(**changes):
    state = _model().state_dict()
    state.update(changes)
    return state


BAD_INPUTS = [
    # MLP(): the cases first
    ("activation unknown, one layer", lambda: MLP(2, [1], activation="foo"), ValueError,
     "MLP(): activation='foo' is not a known activation; valid names: tanh"),
    ("activation an int, one layer", lambda: MLP(2, [1], activation=5), TypeError,
     "MLP(): activation must be a name, None or a callable Value -> Value, got 5 (int)"),
    ("bias a string", lambda: MLP(2, [1], bias="no"), TypeError, "MLP(): bias must be True or False, got 'no' (str)"),
    ("bias an int", lambda: MLP(2, [1], bias=1), TypeError, "MLP(): bias must be True or False, got 1 (int)"),
    ("bias None", lambda: MLP(2, [1], bias=None), TypeError, "MLP(): bias must be True or False, got None"),
    ("output_activation unknown", lambda: MLP(2, [3, 1], output_activation="softmax"), ValueError,
     "MLP(): output_activation='softmax' is not a known activation"),
    ("output_activation a float", lambda: MLP(2, [1], output_activation=0.5), TypeError,
     "MLP(): output_activation must be a name, None or a callable Value -> Value, got 0.5 (float)"),
    ("activation list entry unknown", lambda: MLP(2, [3, 1], activation=["tanh", "tahn"]), ValueError,
     "MLP(): activation[1]='tahn' is not a known activation"),
    ("activation list entry an int", lambda: MLP(2, [3, 1], activation=["tanh", 7]), TypeError,
     "MLP(): activation[1] must be a name, None or a callable Value -> Value, got 7 (int)"),
    ("n_inputs a float", lambda: MLP(2.5, [1]), TypeError,
     "MLP(): n_inputs must be a positive integer, got 2.5 (float)"),
    ("n_inputs a whole float", lambda: MLP(2.0, [1]), TypeError, "MLP(): n_inputs must be a positive integer, got 2.0"),
    ("n_inputs a bool", lambda: MLP(True, [1]), TypeError, "MLP(): n_inputs must be a positive integer, got True"),
    ("n_inputs zero", lambda: MLP(0, [1]), ValueError, "MLP(): n_inputs must be a positive integer, got 0"),
    ("n_inputs a string", lambda: MLP("2", [1]), TypeError,
     "MLP(): n_inputs must be a positive integer, got '2' (str)"),
    ("layer_sizes an int", lambda: MLP(2, 3), TypeError, "MLP(): layer_sizes must be a list, e.g. [3], got 3 (int)"),
    ("layer_sizes a string", lambda: MLP(2, "31"), TypeError,
     "MLP(): layer_sizes must be a list, e.g. [3, 1], got '31'"),
    ("layer_sizes None", lambda: MLP(2, None), TypeError, "MLP(): layer_sizes must be a list, e.g. [3, 1], got None"),
    ("layer_sizes empty", lambda: MLP(2, []), ValueError, "MLP(): layer_sizes is empty"),
    ("layer size a float", lambda: MLP(2, [1.0]), TypeError,
     "MLP(): layer_sizes[0] must be a positive integer, got 1.0 (float)"),
    ("layer size negative", lambda: MLP(2, [3, -1]), ValueError,
     "MLP(): layer_sizes[1] must be a positive integer, got -1"),
    ("seed a string", lambda: MLP(2, [1], seed="a"), TypeError,
     "MLP(): seed must be an integer or None, got 'a' (str)"),
    ("seed a float", lambda: MLP(2, [1], seed=1.5), TypeError, "MLP(): seed must be an integer or None, got 1.5"),
    ("seed a bool", lambda: MLP(2, [1], seed=True), TypeError, "MLP(): seed must be an integer or None, got True"),
    # calling a model
    ("inputs None", lambda: _model()(None), TypeError, "MLP: the inputs must be a list, e.g. [0.5, -1.0], got None"),
    ("inputs a dict", lambda: _model()({"x1": 1.0}), TypeError, "MLP: the inputs must be a list"),
    ("inputs too few", lambda: _model()([1.0]), ValueError, "MLP: expected 2 inputs, got 1"),
    ("input a string", lambda: _model()([1.0, "a"]), TypeError,
     "MLP: input 2 is 'a'; inputs must be numbers or Values"),
    ("input a bool", lambda: _model()([1.0, True]), TypeError, "MLP: input 2 is True"),
    # Neuron(), Layer()
    ("Neuron rng an int", lambda: Neuron(2, rng=5), TypeError,
     "Neuron(): rng must be a random.Random or None, got 5 (int)"),
    ("Neuron bias a string", lambda: Neuron(2, bias="yes"), TypeError,
     "Neuron(): bias must be True or False, got 'yes'"),
    ("Neuron activation unknown", lambda: Neuron(2, activation="gelu"), ValueError,
     "Neuron(): activation='gelu' is not a known activation"),
    ("Neuron number zero", lambda: Neuron(2, number=0), ValueError,
     "Neuron(): number must be a positive integer, got 0"),
    ("Neuron number a string", lambda: Neuron(2, number="3"), TypeError, "Neuron(): number must be a positive integer"),
    ("Neuron input_numbers too few", lambda: Neuron(2, input_numbers=[1]), ValueError,
     "Neuron(): 2 inputs but 1 input_numbers ([1])"),
    ("Neuron input_numbers an int", lambda: Neuron(2, input_numbers=5), TypeError,
     "Neuron(): input_numbers must be a list, e.g. [1, 2], got 5 (int)"),
    ("Neuron input number a string", lambda: Neuron(2, input_numbers=[1, "a"]), TypeError,
     "Neuron(): input_numbers[1] must be a positive integer, got 'a' (str)"),
    ("Layer n_outputs zero", lambda: Layer(2, 0), ValueError, "Layer(): n_outputs must be a positive integer, got 0"),
    ("Layer activation unknown", lambda: Layer(2, 2, activation="foo"), ValueError,
     "Layer(): activation='foo' is not a known activation"),
    ("Layer first_number a float", lambda: Layer(2, 2, first_number=1.5), TypeError,
     "Layer(): first_number must be a positive integer, got 1.5 (float)"),
    ("Layer rng a seed", lambda: Layer(2, 2, rng=0), TypeError, "Layer(): rng must be a random.Random or None, got 0"),
    # files and state dicts
    ("load from an int", lambda: MLP.load(3), TypeError,
     "MLP.load(): path must be a file name (a str or an os.PathLike"),
    ("save to True", lambda: _model().save(True), TypeError, "MLP.save(): path must be a file name (a str or an "
     "os.PathLike such as pathlib.Path), got True (bool)"),
    ("from_weights a string", lambda: MLP.from_weights("abc"), ValueError,
     "MLP.from_weights(): weights must be a non-empty list of matrices"),
    ("load_state_dict a list", lambda: _load_state([1.0, 2.0]), TypeError,
     "MLP.load_state_dict(): state must be a dict of label -> number (as state_dict() returns), got [1.0, 2.0]"),
    ("load_state_dict a label missing", lambda: _load_state({"w13": 1.0}), ValueError,
     "MLP.load_state_dict(): state has labels that do not fit this network MLP(2, [2, 1]"),
    ("load_state_dict a label too many", lambda: _load_state(_state(w99=1.0)), ValueError,
     "missing [], unexpected ['w99']"),
    ("load_state_dict NaN", lambda: _load_state(_state(b4=float("nan"))), ValueError,
     "MLP.load_state_dict(): state['b4'] must be a finite number, got nan"),
    ("load_state_dict a string", lambda: _load_state(_state(w13="0.5")), TypeError,
     "MLP.load_state_dict(): state['w13'] must be a finite number, got '0.5' (str)"),
    ("load_state_dict a huge integer", lambda: _load_state(_state(w13=10 ** 400)), ValueError,
     "MLP.load_state_dict(): state['w13'] must be a finite number, got an integer of 401 digits, too large for a "
     "float"),
    ("load_state_dict an integer beyond 4,300 digits", lambda: _load_state(_state(w13=-10 ** 5000)), ValueError,
     "MLP.load_state_dict(): state['w13'] must be a finite number, got a negative integer of 5001 digits"),
    # optimisers: the cases first
    ("SGD params an int", lambda: SGD(5, 0.1), TypeError,
     "SGD(): params must be a list of Values, e.g. model.parameters() or [w], got 5 (int)"),
    ("SGD params one Value", lambda: SGD(Value(1.0, label="w"), 0.1), TypeError,
     "SGD(): params must be a list of Values, e.g. model.parameters() or [w], got Value("),
    ("Adam params None", lambda: Adam(None), TypeError, "Adam(): params must be a list of Values"),
    ("Adam params a string", lambda: Adam("w"), TypeError, "Adam(): params must be a list of Values"),
    ("SGD params empty", lambda: SGD([], 0.1), ValueError, "SGD(): the parameter list is empty"),
    ("Adam a number among the params", lambda: Adam([Value(1.0), 2.0]), TypeError,
     "Adam(): parameter 1 is 2.0, not a Value"),
    ("SGD.step gradient a string", lambda: _step_with_gradient(lambda ps: SGD(ps, 0.1), "abc"), TypeError,
     "SGD.step(): the gradient of w must be a real number, got 'abc' (str)"),
    ("Adam.step gradient None", lambda: _step_with_gradient(Adam, None), TypeError,
     "Adam.step(): the gradient of w must be a real number, got None (NoneType)"),
    ("SGD.step gradient a bool", lambda: _step_with_gradient(lambda ps: SGD(ps, 0.1), True), TypeError,
     "SGD.step(): the gradient of w must be a real number, got True (bool)"),
    ("SGD.step gradient a list", lambda: _step_with_gradient(lambda ps: SGD(ps, 0.1), [1.0]), TypeError,
     "SGD.step(): the gradient of w must be a real number, got [1.0] (list)"),
    ("SGD.step gradient a huge integer", lambda: _step_with_gradient(lambda ps: SGD(ps, 0.1), 10 ** 400),
     AutogradError, "SGD.step(): parameter w would become -inf (its gradient is an integer of 401 digits"),
    ("SGD lr a string", lambda: SGD([Value(1.0)], lr="0.1"), TypeError,
     "SGD(): lr must be a finite number, got '0.1' (str)"),
    ("SGD lr a bool", lambda: SGD([Value(1.0)], lr=True), TypeError,
     "SGD(): lr must be a finite number, got True (bool)"),
    ("SGD lr None", lambda: SGD([Value(1.0)], lr=None), TypeError, "SGD(): lr must be a finite number, got None"),
    ("SGD lr inf", lambda: SGD([Value(1.0)], lr=float("inf")), ValueError,
     "SGD(): lr must be a finite number, got inf"),
    ("SGD lr a huge integer", lambda: SGD([Value(1.0)], lr=10 ** 400), ValueError,
     "SGD(): lr must be a finite number, got an integer of 401 digits, too large for a float"),
    ("SGD momentum a string", lambda: SGD([Value(1.0)], 0.1, momentum="0.9"), TypeError,
     "SGD(): momentum must be a finite number, got '0.9' (str)"),
    ("SGD lr changed to a string", lambda: _step_after_setting(lambda ps: SGD(ps, 0.1), lr="fast"), TypeError,
     "SGD.step(): lr must be a finite number, got 'fast' (str)"),
    ("Adam lr changed to a negative", lambda: _step_after_setting(Adam, lr=-1.0), ValueError,
     "Adam.step(): lr must be > 0, got -1.0"),
    ("Adam betas one", lambda: Adam([Value(1.0)], betas=(0.9,)), ValueError,
     "Adam(): betas must be a pair (beta1, beta2), got (0.9,)"),
    ("Adam beta a string", lambda: Adam([Value(1.0)], betas=("a", 0.9)), TypeError,
     "Adam(): betas[0] must be a finite number, got 'a' (str)"),
    ("Adam eps negative", lambda: Adam([Value(1.0)], eps=-1e-8), ValueError, "Adam(): eps must be > 0, got -1e-08"),
]


@pytest.mark.parametrize("call, error, fragment", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_raises_a_clear_error(call, error, fragment):
    with pytest.raises(Exception) as raised:
        call()
    assert type(raised.value) is error, f"{type(raised.value).__name__}: {raised.value}"
    assert fragment in str(raised.value), str(raised.value)


def test_the_table_names_each_case_once():
    names = [row[0] for row in BAD_INPUTS]
    assert len(names) == len(set(names))


def test_the_good_inputs_next_to_the_bad_ones_work():
    """The same calls with valid arguments, so the table's errors come from the argument it changes."""
    model = MLP(2, [1], activation="relu", output_activation=None, bias=False, seed=3)
    assert len(model([1.0, 2.0])) == 1
    Neuron(2, rng=random.Random(0), number=5, input_numbers=[1, 2])
    Layer(2, 2, first_number=3, rng=random.Random(0))
    model.load_state_dict(model.state_dict())
    w = Value(1.0, label="w")
    optimizer = SGD([w], 0.5)
    w.grad = 2.0
    optimizer.lr = 0.25
    optimizer.step()
    assert w.data == 0.5
    assert re.search(r"\d", repr(Adam([Value(1.0)], betas=[0.5, 0.5]).betas))
