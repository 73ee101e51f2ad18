"""The vector form (nn/vector.py) against the scalar engine on the same weights and batches."""

import random

import pytest

np = pytest.importorskip("numpy")

import nn  # noqa: E402
from autograd import Value  # noqa: E402
from nn import functional as F  # noqa: E402
from nn._mlp import ACTIVATIONS as MLP_ACTIVATIONS  # noqa: E402
from nn.vector import ACTIVATIONS, VectorMLP  # noqa: E402

LOSS_FUNCTIONS = {"mse_half": F.mse_half, "mse": F.mse}


def engine_loss(model, X, T, loss="mse_half") -> Value:
    """The mean over the batch of the examples' losses, built with the scalar engine."""
    total = Value(0.0, requires_grad=False)
    for x, t in zip(X, T):
        total = total + LOSS_FUNCTIONS[loss](model([float(v) for v in x]), [float(v) for v in t])
    return total / len(X)


def engine_gradients(model, X, T, loss="mse_half"):
    """(dW, db) per layer from the engine's backward, in the layout of weights[l] (outputs x inputs)."""
    model.zero_grad()
    engine_loss(model, X, T, loss).backward()
    dW = [np.array([[w.grad for w in n.w] for n in layer.neurons]) for layer in model.layers]
    has_bias = model.layers[0].neurons[0].b is not None
    db = [np.array([n.b.grad for n in layer.neurons]) for layer in model.layers] if has_bias else None
    return dW, db


def batch(rng: random.Random, m: int, n_in: int, n_out: int):
    X = np.array([[rng.uniform(-2, 2) for _ in range(n_in)] for _ in range(m)])
    T = np.array([[rng.uniform(-1, 1) for _ in range(n_out)] for _ in range(m)])
    return X, T


def assert_same(vector_grads, engine_grads):
    (dW, db), (eW, eb) = vector_grads, engine_grads
    for a, b in zip(dW, eW):
        assert a.shape == b.shape
        assert np.max(np.abs(a - b)) <= 1e-12
    if eb is None:
        assert db is None
    else:
        for a, b in zip(db, eb):
            assert a.shape == b.shape
            assert np.max(np.abs(a - b)) <= 1e-12


def test_the_vector_form_knows_every_activation_of_nn():
    assert set(ACTIVATIONS) == set(MLP_ACTIVATIONS)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("m", [1, 6])
def test_gradients_equal_the_engine(activation, bias, m):
    rng = random.Random(f"{activation}-{bias}-{m}")
    output = rng.choice(["identity", "sigmoid", "tanh"])
    model = nn.MLP(3, [4, 3, 2], activation=activation, output_activation=output, bias=bias, seed=rng.randrange(99))
    X, T = batch(rng, m, 3, 2)
    assert_same(VectorMLP.from_mlp(model).gradients(X, T), engine_gradients(model, X, T))


@pytest.mark.parametrize("seed", range(4))
def test_random_networks_and_losses(seed):
    rng = random.Random(seed)
    sizes = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
    activations = [rng.choice(sorted(ACTIVATIONS)) for _ in sizes]
    n_in = rng.randint(1, 4)
    model = nn.MLP(n_in, sizes, activation=activations, bias=rng.random() < 0.5, seed=seed)
    X, T = batch(rng, rng.randint(1, 9), n_in, sizes[-1])
    loss = rng.choice(["mse_half", "mse"])
    assert_same(VectorMLP.from_mlp(model).gradients(X, T, loss=loss), engine_gradients(model, X, T, loss))


def test_one_example_as_vectors_uses_equations_40_to_46():
    model = nn.MLP(2, [3, 2, 1], activation="sigmoid", output_activation="sigmoid", seed=3)
    vector = VectorMLP.from_mlp(model)
    x, t = np.array([0.6, 0.7]), np.array([0.9])
    dW, db = vector.gradients(x, t)
    assert_same((dW, db), engine_gradients(model, [x], [t]))
    # eq 43 for the output layer by hand: grad W = delta y^T with delta = (y - t) y (1 - y) (eqs 13, 27)
    hidden = [v.data for v in nn.MLP.from_weights([W.tolist() for W in vector.weights[:2]],
                                                   [b.tolist() for b in vector.biases[:2]], "sigmoid")(list(x))]
    y = model(list(x))[0].data
    delta = (y - 0.9) * y * (1 - y)
    assert np.allclose(dW[2], delta * np.array([hidden]), rtol=1e-13, atol=0)
    assert db[2][0] == pytest.approx(delta, rel=1e-13)
    assert vector.forward(x).shape == (1,) and vector.forward(x)[0] == pytest.approx(y, rel=1e-14)


def test_forward_equals_the_engine():
    model = nn.MLP(2, [5, 3], activation="mish", output_activation="softplus", seed=4)
    X, _ = batch(random.Random(4), 7, 2, 3)
    outputs = VectorMLP.from_mlp(model).forward(X)
    expected = np.array([[o.data for o in model(list(x))] for x in X])
    assert outputs.shape == (7, 3)
    assert np.max(np.abs(outputs - expected)) <= 1e-14


@pytest.mark.parametrize("bias", [True, False])
def test_training_gives_the_same_weights_as_the_engine(bias):
    rng = random.Random(5)
    model = nn.MLP(2, [6, 4, 1], activation="tanh", bias=bias, seed=5)
    vector = VectorMLP.from_mlp(model)
    X, T = batch(rng, 10, 2, 1)
    optimizer = nn.SGD(model.parameters(), lr=0.2)
    for _ in range(5):
        optimizer.zero_grad()
        engine_value = engine_loss(model, X, T)
        engine_value.backward()
        optimizer.step()
        vector_value = vector.train_step(X, T, lr=0.2)
        assert vector_value == pytest.approx(engine_value.data, rel=1e-13)
    for W, layer in zip(vector.weights, model.layers):
        assert np.max(np.abs(W - np.array([[w.data for w in n.w] for n in layer.neurons]))) <= 1e-12
    if bias:
        for b, layer in zip(vector.biases, model.layers):
            assert np.max(np.abs(b - np.array([n.b.data for n in layer.neurons]))) <= 1e-12
    assert vector.train_step(X, T, lr=0.2) < vector_value  # it learns


def test_copy_to_and_to_mlp_round_trip():
    model = nn.MLP(3, [4, 2], activation="elu", output_activation="sigmoid", seed=6)
    vector = VectorMLP.from_mlp(model)
    X, T = batch(random.Random(6), 4, 3, 2)
    vector.train_step(X, T, lr=0.5)
    copy = vector.to_mlp()
    vector.copy_to(model)
    for a, b in zip(model.parameters(), copy.parameters()):
        assert a.data == b.data and a.label == b.label
    assert [layer.activation for layer in copy.layers] == ["elu", "sigmoid"]
    assert model.parameters()[0].data == vector.weights[0][0, 0]
    with pytest.raises(ValueError, match="shape"):
        vector.copy_to(nn.MLP(3, [5, 2], seed=0))


def test_bad_inputs_get_clear_errors():
    model = nn.MLP(2, [3, 1], seed=0)
    vector = VectorMLP.from_mlp(model)
    with pytest.raises(ValueError, match=r"X has shape \(4, 3\)"):
        vector.gradients(np.zeros((4, 3)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="X has 4 examples but T has 3"):
        vector.gradients(np.zeros((4, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="not finite"):
        vector.forward([[float("nan"), 0.0]])
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        vector.gradients(np.zeros((4, 2)), np.zeros((4, 1)), loss="hinge")
    with pytest.raises(ValueError, match="callable activation"):
        VectorMLP.from_mlp(nn.MLP(2, [1], activation=[lambda z: z.tanh()]))
    with pytest.raises(ValueError, match="activation 'cube'"):
        VectorMLP([[[1.0, 2.0]]], None, ["cube"])
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(1, 2\)"):
        VectorMLP([np.zeros((3, 2)), np.zeros((1, 2))], None, ["tanh", "tanh"])
