"""The floor: about the least work a pure-Python scalar reverse-mode engine can do per node.

Not part of the library; `bench_engine.py` measures it beside this engine, micrograd and PyTorch, as a yardstick
for what CPython itself costs on the machine at hand (object creation, its garbage collector, memory access).
It knows only the benchmark's four operations (add, mul, tanh, relu) and checks nothing: no table of rules
(each operation written out, its local derivatives stored as two floats, so a node is one tracked object and no
tuple), no constants, no hooks, no errors for inf or nan, no higher derivatives, the chain rule unrolled for the
two parents. Every feature of `autograd.Value` costs something above this.
"""

import math


class Node:
    __slots__ = ("data", "grad", "a", "b", "da", "db")  # parents a, b (or None) and d self/d a, d self/d b

    def __add__(self, other):
        return _node(self.data + other.data, self, other, 1.0, 1.0)

    def __mul__(self, other):
        return _node(self.data * other.data, self, other, other.data, self.data)

    def tanh(self):
        t = math.tanh(self.data)
        return _node(t, self, None, 1.0 - t * t, 0.0)

    def relu(self):
        x = self.data
        return _node(x if x > 0 else 0.0, self, None, 1.0 if x > 0 else 0.0, 0.0)


def _node(data, a, b, da, db):
    node = Node()
    node.data, node.grad, node.a, node.b, node.da, node.db = data, 0.0, a, b, da, db
    return node


def leaf(x):
    return _node(x, None, None, 0.0, 0.0)


def backward(root):
    """Gradients into `.grad` (every node's, from 0): a depth-first topological order with marks in `grad`,
    then the chain rule over it."""
    expanded, emitted = object(), object()
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.grad is expanded:
            node.grad = emitted
            order.append(node)
        elif node.grad is not emitted:
            node.grad = expanded
            stack.append(node)
            if node.a is not None and node.a.grad is not emitted:
                stack.append(node.a)
            if node.b is not None and node.b.grad is not emitted:
                stack.append(node.b)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        if node.a is not None:
            node.a.grad += node.da * node.grad
            if node.b is not None:
                node.b.grad += node.db * node.grad
