"""The vector form of backpropagation (lecture note, sections 6 and 7) with numpy, for an `nn.MLP`'s weights.

The scalar engine differentiates one number at a time. The lecture note writes the same computation with
matrices, one layer at a time. With W^(l) the weights from layer l to layer l + 1 (shape N^(l+1) x N^(l),
`weights[l][j][i]` = w_ij from input i to neuron j) and the M examples of a mini-batch as the columns of
Y^(0) (N^(0) x M):

    Z^(l+1) = W^(l) Y^(l) + B^(l+1)              forward            (eq 51; eq 40 for one example)
    Y^(l+1) = f(Z^(l+1))
    Delta^(L) = dL/dY^(L) (.) f'(Z^(L))          output errors      (eq 13, 18 with the activation)
    Delta^(l) = (W^(l)T Delta^(l+1)) (.) f'(Z^(l))   errors backward  (eq 56; eq 45)
    grad W^(l) = 1/M Delta^(l+1) Y^(l)T          weight gradients   (eq 52, 54; eq 43)
    grad b^(l+1) = 1/M sum_k Delta^(l+1)_k        bias gradients     (eq 55; eq 46)
    W <- W - alpha grad W,  b <- b - alpha grad b                   (eq 49, 50)

(.) is the element-wise (Hadamard) product. With M = 1 the columns are the single example's vectors and
the formulas are the one-example ones (eqs 40, 43, 45, 46). The loss of a mini-batch is the mean of the
examples' losses, so its gradients carry the factor 1/M.

    from nn import MLP
    from nn.vector import VectorMLP
    model = MLP(2, [16, 16, 1], seed=0)
    vector = VectorMLP.from_mlp(model)
    dW, db = vector.gradients(X, T)          # X: M x 2 (one example per row), T: M x 1
    vector.train_step(X, T, lr=0.1)          # one step of gradient descent
    vector.copy_to(model)                    # back into the Value network

numpy is imported inside the functions that use it, so `import nn` works without it.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ._mlp import MLP


# ---------------------------------------------------------------------------------------------------------
# The engine's activations on numpy arrays: (y = f(z), dy/dz as a function of z and y, as the lecture does).

def _sigmoid(z):
    import numpy as np
    e = np.exp(-np.abs(z))  # never overflows; the same stable formula as the engine's
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(z):
    import numpy as np
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))  # log(1 + e^z)


def _silu_derivative(z, y):
    s = _sigmoid(z)
    return s + z * s * (1.0 - s)  # d(z s)/dz = s + z s (1 - s)


def _mish(z):
    import numpy as np
    return z * np.tanh(_softplus(z))


def _mish_derivative(z, y):
    import numpy as np
    t = np.tanh(_softplus(z))
    return t + z * _sigmoid(z) * (1.0 - t * t)  # d(z t)/dz, t = tanh(softplus z), softplus' = sigmoid


def _np(name: str) -> Callable:
    def f(z):
        import numpy as np
        return getattr(np, name)(z)
    return f


def _where_positive(positive, otherwise) -> Callable:
    """f(z) = positive(z) for z > 0, otherwise(z) for z <= 0, element-wise."""
    def f(z, y=None):
        import numpy as np
        return np.where(z > 0, positive(z, y), otherwise(z, y))
    return f


ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "identity": (lambda z: z, lambda z, y: 1.0),
    "tanh": (_np("tanh"), lambda z, y: 1.0 - y * y),                          # 1 - y^2
    "sigmoid": (_sigmoid, lambda z, y: y * (1.0 - y)),                        # y (1 - y), eq 27
    "relu": (_where_positive(lambda z, y: z, lambda z, y: 0.0),
             _where_positive(lambda z, y: 1.0, lambda z, y: 0.0)),            # 1 or 0, eq 28
    "leaky_relu": (_where_positive(lambda z, y: z, lambda z, y: 0.01 * z),
                   _where_positive(lambda z, y: 1.0, lambda z, y: 0.01)),     # 1 or 0.01, eq 29
    "elu": (_where_positive(lambda z, y: z, lambda z, y: _np("expm1")(z)),
            _where_positive(lambda z, y: 1.0, lambda z, y: y + 1.0)),         # 1 or e^z = y + 1
    "softplus": (_softplus, lambda z, y: _sigmoid(z)),                        # sigmoid(z)
    "silu": (lambda z: z * _sigmoid(z), _silu_derivative),
    "swish": (lambda z: z * _sigmoid(z), _silu_derivative),
    "mish": (_mish, _mish_derivative),
    "step": (_where_positive(lambda z, y: 1.0, lambda z, y: 0.0), lambda z, y: 0.0),  # 0, the engine's choice
}

# Losses of one example as functions of the outputs y and targets t (columns of N^(L) x M matrices):
# (the loss summed over the batch, dl/dy per example).
LOSSES: dict[str, tuple[Callable, Callable]] = {
    "mse_half": (lambda y, t: 0.5 * ((t - y) ** 2).sum(), lambda y, t: y - t),   # 1/2 sum (t - y)^2, eq 6
    "mse": (lambda y, t: ((y - t) ** 2).sum() / y.shape[0],
            lambda y, t: 2.0 * (y - t) / y.shape[0]),                           # 1/N sum (y - t)^2 (PyTorch)
}


class VectorMLP:
    """A fully connected network held as numpy matrices, trained with the lecture note's vector formulas.

    Arguments:
        weights: one matrix per layer, `weights[l]` of shape (outputs of layer l, inputs of layer l).
        biases: one vector per layer, or None for a network without bias terms.
        activations: one name per layer (see `ACTIVATIONS`; "identity" for y = z).

    Attributes: `weights` (list of float64 arrays), `biases` (list of arrays, or None), `activations`.
    """

    def __init__(self, weights: Sequence, biases: Sequence | None, activations: Sequence[str]):
        import numpy as np
        self.weights = [np.array(W, dtype=np.float64) for W in weights]
        self.biases = None if biases is None else [np.array(b, dtype=np.float64) for b in biases]
        self.activations = list(activations)
        self._check()

    def _check(self) -> None:
        if not self.weights or len(self.activations) != len(self.weights):
            raise ValueError(f"VectorMLP: {len(self.weights)} weight matrices and {len(self.activations)} "
                             "activations; give at least one layer and one activation per layer")
        for k, W in enumerate(self.weights):
            n_in = W.shape[1] if W.ndim == 2 else None
            if W.ndim != 2 or (k > 0 and n_in != self.weights[k - 1].shape[0]):
                raise ValueError(f"VectorMLP: weights[{k}] has shape {W.shape}; it must be (outputs, inputs) "
                                 "with as many inputs as the previous layer has outputs")
            if self.biases is not None and self.biases[k].shape != (W.shape[0],):
                raise ValueError(f"VectorMLP: biases[{k}] has shape {self.biases[k].shape}; layer {k} has "
                                 f"{W.shape[0]} neurons")
            if self.activations[k] not in ACTIVATIONS:
                raise ValueError(f"VectorMLP: layer {k} has the activation {self.activations[k]!r}; the vector "
                                 f"form knows {', '.join(ACTIVATIONS)}")
        if self.biases is not None and len(self.biases) != len(self.weights):
            raise ValueError(f"VectorMLP: {len(self.biases)} bias vectors for {len(self.weights)} layers")

    @classmethod
    def from_mlp(cls, model: MLP) -> VectorMLP:
        """The matrices of an `nn.MLP`'s current weights (copied: later changes to either do not affect
        the other; use `copy_to` to write back).

        Arguments:
            model: the network; every layer's activation must be a name (not a callable).
        """
        weights, biases, activations = [], [], []
        has_bias = model.layers[0].neurons[0].b is not None
        for k, layer in enumerate(model.layers):
            if not isinstance(layer.activation, str):
                raise ValueError(f"VectorMLP.from_mlp(): layer {k} has a callable activation "
                                 f"{layer.activation!r}; the vector form needs a named one "
                                 f"({', '.join(ACTIVATIONS)})")
            weights.append([[w.data for w in neuron.w] for neuron in layer.neurons])
            biases.append([neuron.b.data for neuron in layer.neurons if neuron.b is not None] if has_bias else None)
            activations.append(layer.activation)
        return cls(weights, biases if has_bias else None, activations)

    def to_mlp(self) -> MLP:
        """A new `nn.MLP` with these weights, biases and activations."""
        biases = None if self.biases is None else [b.tolist() for b in self.biases]
        return MLP.from_weights([W.tolist() for W in self.weights], biases, list(self.activations))

    def copy_to(self, model: MLP) -> None:
        """Write these weights and biases into an existing `nn.MLP` of the same shape.

        Arguments:
            model: the network to update (its parameters' `.data` change).
        """
        if [len(layer.neurons) for layer in model.layers] != [W.shape[0] for W in self.weights] or \
                model.n_inputs != self.weights[0].shape[1]:
            raise ValueError(f"VectorMLP.copy_to(): the network {model!r} does not have the shape "
                             f"{[W.shape for W in self.weights]}")
        for k, layer in enumerate(model.layers):
            for j, neuron in enumerate(layer.neurons):
                for i, w in enumerate(neuron.w):
                    w.data = float(self.weights[k][j, i])
                if neuron.b is not None and self.biases is not None:
                    neuron.b.data = float(self.biases[k][j])

    def forward(self, X):
        """The network's outputs, one row per example.

        Arguments:
            X: the inputs, an array M x n_inputs (one example per row), or a vector of n_inputs numbers.
        """
        Y0, single = self._columns(X, self.weights[0].shape[1], "X")
        Y = self._forward(Y0)[0][-1]
        return Y[:, 0] if single else Y.T

    def _forward(self, Y):
        """(Y^(0..L), Z^(1..L)): every layer's activations and weighted inputs, one column per example."""
        Ys, Zs = [Y], []
        for k, W in enumerate(self.weights):
            Z = W @ Y  # Z^(l+1) = W^(l) Y^(l) + B^(l+1), eq 51
            if self.biases is not None:
                Z += self.biases[k][:, None]
            Y = ACTIVATIONS[self.activations[k]][0](Z)  # Y^(l+1) = f(Z^(l+1))
            Zs.append(Z)
            Ys.append(Y)
        return Ys, Zs

    def gradients(self, X, T, loss: str = "mse_half"):
        """The gradients of the mean loss over the batch, (dW, db): `dW[l]` has the shape of `weights[l]`,
        `db[l]` of `biases[l]` (db is None without biases).

        Arguments:
            X: the inputs, M x n_inputs (one example per row), or one example's vector.
            T: the targets, M x n_outputs, or one example's vector.
            loss: "mse_half" (1/2 sum (t - y)^2 per example, eq 6) or "mse" (PyTorch's mean squared error).
        """
        _, dW, db = self._backward(X, T, loss)
        return dW, db

    def train_step(self, X, T, lr: float, loss: str = "mse_half") -> float:
        """One step of gradient descent on the batch (eq 49, 50); returns the batch's mean loss before it.

        Arguments:
            X, T, loss: as for `gradients`.
            lr: the learning rate alpha.
        """
        value, dW, db = self._backward(X, T, loss)
        for k, W in enumerate(self.weights):
            W -= lr * dW[k]  # W <- W - alpha grad W, eq 49
            if db is not None and self.biases is not None:
                self.biases[k] -= lr * db[k]  # b <- b - alpha grad b, eq 50
        return value

    def _backward(self, X, T, loss: str):
        if loss not in LOSSES:
            raise ValueError(f"VectorMLP: unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        Y0, x_single = self._columns(X, self.weights[0].shape[1], "X")
        targets, t_single = self._columns(T, self.weights[-1].shape[0], "T")
        M = Y0.shape[1]
        if targets.shape[1] != M or x_single != t_single:
            raise ValueError(f"VectorMLP: X has {M} examples but T has {targets.shape[1]} (give both as one "
                             "example's vectors, or both as matrices with one row per example)")
        Ys, Zs = self._forward(Y0)
        loss_sum, loss_derivative = LOSSES[loss]
        value = float(loss_sum(Ys[-1], targets)) / M
        delta = loss_derivative(Ys[-1], targets) * self._derivative(-1, Zs[-1], Ys[-1])  # Delta^(L)
        dW, db = [None] * len(self.weights), [None] * len(self.weights)
        for k in reversed(range(len(self.weights))):
            dW[k] = (delta @ Ys[k].T) / M  # grad W^(l) = 1/M Delta^(l+1) Y^(l)T, eq 52
            db[k] = delta.sum(axis=1) / M  # grad b^(l+1) = 1/M sum_k Delta^(l+1)_k, eq 55
            if k > 0:
                # Delta^(l) = (W^(l)T Delta^(l+1)) (.) f'(Z^(l)), eq 56
                delta = (self.weights[k].T @ delta) * self._derivative(k - 1, Zs[k - 1], Ys[k])
        return value, dW, (db if self.biases is not None else None)

    def _derivative(self, k: int, Z, Y):
        return ACTIVATIONS[self.activations[k]][1](Z, Y)  # dY/dZ of layer k, element-wise

    @staticmethod
    def _columns(X, n: int, name: str):
        """(X as an n x M float64 matrix, one column per example; whether X was one example's vector)."""
        import numpy as np
        array = np.asarray(X, dtype=np.float64)
        single = array.ndim == 1
        if single:
            array = array[None, :]
        if array.ndim != 2 or array.shape[1] != n or array.shape[0] == 0:
            raise ValueError(f"VectorMLP: {name} has shape {np.shape(X)}; expected (M, {n}) with one example "
                             f"per row, or a vector of {n} numbers")
        if not np.isfinite(array).all():
            raise ValueError(f"VectorMLP: {name} contains a number that is not finite (nan or inf)")
        return array.T, single

    def __repr__(self) -> str:
        sizes = [W.shape[0] for W in self.weights]
        return (f"VectorMLP({self.weights[0].shape[1]}, {sizes}, activations={self.activations}, "
                f"bias={self.biases is not None})")
