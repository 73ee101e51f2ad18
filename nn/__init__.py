"""Neural networks built only from the public `autograd.Value` API (no derivative rules of their own).

    from nn import MLP, SGD, Adam, train
    from nn import functional as F

Exported here:
- `Neuron`, `Layer`, `MLP`: fully connected networks, numbered and labelled as in the documents (nn._mlp);
  model files replaced atomically (nn._files); `MLP.to_torch()` / `MLP.from_torch()` (nn._torch)
- `SGD`, `Adam`: optimisers (nn._optim)
- `train`: online or mini-batch training with a history of losses (nn._train); `TrainingStalledWarning`, the
  warning it gives once when the loss stops moving while still high, or most tanh/sigmoid units are saturated
  (the compilation's "network paralysis", or a plateau / local minimum)
- `functional`: losses and softmax; `datasets`: small datasets generated in code

Modules imported by name:
- `nn.activations`: the smooth maximum and ACON-A/B/C (file 004)
- `nn.vector`: the lecture note's vector form (eqs 40-56) in numpy, for an `MLP`'s weights
- `nn.examples`: the documents' worked examples, number by number (file 002's network, file 001's softmax)
- `nn.errata`: every error found in the source documents, in one table
- `nn.exercises`: the notebooks' exercises that check themselves (`exercises.check(key, answer)`)
- `nn.demo`: the main demo (`python -m nn.demo`, or the command `backprop-lab-demo`)
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
