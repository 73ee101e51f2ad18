"""The version of the backprop-lab distribution: the one place it is written. `autograd.__version__` and
`nn.__version__` import it; hatch reads it when building (`[tool.hatch.version]` in pyproject.toml)."""

__version__ = "0.1.0"
