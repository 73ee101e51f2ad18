"""Neural networks built only from autograd.Value."""
