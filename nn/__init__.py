"""Neural networks built only from the public `autograd.Value` API (no derivative rules of their own).

    from nn import MLP, SGD, Adam, train
    from nn import functional as F

- `Neuron`, `Layer`, `MLP`: fully connected networks, numbered and labelled as in the documents (nn._mlp);
  model files replaced atomically (nn._files); `MLP.to_torch()` / `MLP.from_torch()` (nn._torch)
- `SGD`, `Adam`: optimisers (nn._optim)
- `train`: online or mini-batch training with a history of losses; `TrainingStalledWarning` (nn._train)
- `functional`: losses and softmax; `datasets`: small datasets generated in code
"""

from autograd import __version__ as __version__

from . import datasets, functional
from ._mlp import MLP as MLP
from ._mlp import Layer as Layer
from ._mlp import Neuron as Neuron
from ._optim import SGD as SGD
from ._optim import Adam as Adam
from ._train import TrainingStalledWarning as TrainingStalledWarning
from ._train import train as train

__all__ = ["Neuron", "Layer", "MLP", "SGD", "Adam", "train", "TrainingStalledWarning", "functional", "datasets"]
