"""Every error found in the five source documents, in one table.

    from nn.errata import errata
    errata()            # prints as a text table; in a notebook, as an HTML table

Each `Erratum` says where (document, line of its file in /work/shared/seeds, equation), what is printed, what is
right, and how we know:
- "recomputed": a number, recomputed exactly (by the engine here; by mpmath / fractions in tests/test_errata.py);
- "derived": a formula or statement, derived from the document's own definitions (the derivation is in `why`,
  and tests/test_errata.py checks it numerically wherever a number can show it);
- "sources": a historical attribution, checked against the sources the compilation itself quotes (file 002).

The printed numbers of the two worked examples come from `nn.examples` (the comparisons with a verdict): every
number judged "wrong" there is a row here. Line numbers are those of the first copy where a document repeats itself
(file 002 repeats several articles; `why` gives the second copy's lines).

Documents: 001 the lecture note "The backpropagation algorithm" (Russian, 2025; file 000 is a second extraction of the
same PDF); 002 the compilation of articles; 003 the Chinese summary of the deep learning book's section 6.5;
004 the lecture "Introduction to deep learning" (Russian, 2024).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import examples
from . import functional as F

RECOMPUTED, DERIVED, SOURCES = "recomputed", "derived", "sources"

FILES = {"001": "001_ec797c54cd5e24e6.txt", "002": "002_bd57339dc95c1461.txt",
         "003": "003_5b0f1f91b8eabd9c.txt", "004": "004_d6051be1b24e9c35.txt"}


@dataclass(frozen=True)
class Erratum:
    """One error in a source document.

    Attributes:
        document: "001" .. "004" (the file `FILES[document]` in the seeds folder).
        lines: the lines of that file where it is printed (the first is where to look).
        where: the equation or passage, e.g. "eq 59", "worked example, delta3".
        printed: what the document prints (quoted, or transcribed into plain notation; translated in brackets).
        correct: what is right.
        how: `RECOMPUTED`, `DERIVED` or `SOURCES`.
        why: the reason, in one or two sentences.
        exact: for a recomputed number, its exact value (computed by the library), else None.
    """

    document: str
    lines: tuple[int, ...]
    where: str
    printed: str
    correct: str
    how: str
    why: str
    exact: float | None = None


# The errors found by reading, in document order. (The wrong numbers of the two worked examples are added from
# nn.examples by `errata()`.)
ERRATA_TEXT = [
    # ---- 001: the lecture note -------------------------------------------------------------------------------
    Erratum("001", (200,), "eq 11",
            "dz_1^(l+1)/dw_21^(l) = d(sum_j y_j^(l) w_ij^(l) + b_i^(l))/dw_21^(l)",
            "d(sum_j y_j^(l) w_j1^(l) + b_1^(l))/dw_21^(l) = y_2^(l)",
            DERIVED, "By eq 1, z_1^(l+1) sums the weights w_j1 that enter neuron 1; the printed sum has the "
                     "indices of the weights swapped and a free index i."),
    Erratum("001", (263,), "eq 22",
            "dy_2^(l)/dz_2^(l) = dL/dz_1^(l+1) dz_1^(l+1)/dy_2^(l) + dL/dz_2^(l+1) dz_2^(l+1)/dy_2^(l)",
            "dL/dy_2^(l) = (the same sum)",
            DERIVED, "The two paths from y_2^(l) to the loss add up to dL/dy_2^(l), which eq 23 then multiplies "
                     "by dy_2^(l)/dz_2^(l) (eq 19); the left-hand side is a misprint."),
    Erratum("001", (275,), "eq 25",
            "(sum_k dL/dz_k^(l+1) w_2k^(l)) dy_2^(l)/dz_1^(l)",
            "(sum_k dL/dz_k^(l+1) w_2k^(l)) dy_2^(l)/dz_2^(l)",
            DERIVED, "y_2^(l) = f(z_2^(l)) does not depend on z_1^(l); eq 19 and the right-hand side of eq 25 "
                     "itself have dy_2^(l)/dz_2^(l)."),
    Erratum("001", (326,), "text under eq 33",
            "the paths to b_1^(l) 'necessarily pass through z_i^(l)'",
            "through z_1^(l+1)",
            DERIVED, "b_1^(l) is added only to z_1^(l+1) (eqs 33 and 35)."),
    Erratum("001", (133, 340, 356, 360, 406, 428, 432), "eqs 1, 37, 39-40, 46, 51",
            "the bias added to z^(l+1) is b^(l) in eqs 1, 33-37, 51, 55 and b^(l+1) in eqs 39-40 (figures 5a, "
            "6a); eq 37: dL/db_j^(l) = delta_j^(l+1), eq 46: dL/db^(l) = delta^(l); line 432: 'B^(l+1) is "
            "b^l copied M times' beside eq 51's B^(l)",
            "one name for the one bias: with b^(l+1) (eq 40) the rules read dL/db^(l+1) = delta^(l+1) and "
            "dL/db^(l) = delta^(l) (eq 46); with b^(l) (eq 1), dL/db^(l) = delta^(l+1) (eq 37)",
            DERIVED, "Both names are used for the bias of layer l+1's neurons, so eqs 37 and 46 look "
                     "contradictory; each is right only in its own naming."),
    Erratum("001", (471,), "text under eq 56",
            "'the columns of Delta^(l+1) are computed by (45)'",
            "the columns of Delta^(l)",
            DERIVED, "Eq 56 computes Delta^(l) from Delta^(l+1); its columns are the per-example deltas of eq 45."),
    Erratum("001", (511,), "text under eq 59",
            "'the maximum of [1,2,3] is in the third position with probability 66%'",
            "66.5% (softmax([1,2,3])_3 = 0.66524), which rounds to 67%",
            RECOMPUTED, "Eq 59 itself prints 0.665; 66% is that number cut off.",
            exact=F.softmax([1.0, 2.0, 3.0])[2].data),
    # ---- 002: the compilation of articles ----------------------------------------------------------------------
    Erratum("002", (166, 177), "the error function",
            "E_k = (O_correct,k - O_net,k)^2, then dE/dw_jk = -(O_correct,k - O_net,k) f'(sum_j w_jk O_j) O_j",
            "E_k = 1/2 (O_correct,k - O_net,k)^2 (or a factor 2 in the derivative)",
            DERIVED, "The derivative of (t - O)^2 is -2 (t - O) O'; the worked example's numbers (lines "
                     "317-360) are those of the 1/2 form. Repeated at lines 1177, 1188."),
    Erratum("002", (275,), "worked example, the sample",
            "'I_1 = 0.6, I_1 = 0.7'", "I_1 = 0.6, I_2 = 0.7",
            DERIVED, "Line 285: O_2 = I_2 = 0.7. Repeated at line 1286."),
    Erratum("002", (320,), "worked example, delta_5",
            "delta_5 = (delta_7 w_57 + delta_6 w_56) f'(I_7)", "... f'(I_5)",
            DERIVED, "The derivative factor belongs to neuron 5 itself (line 216's rule); the printed number "
                     "uses f'(I_5) = 0.39 (1 - 0.39), as it should. Repeated at line 1331."),
    Erratum("002", (559, 561, 563), "logistic regression, df/dw_i",
            "df/dw_0 = (-y) e^(-y(w_0 + w_1 x_1 + w_2 x_2)) * (-1)/(1 + e^(-y(w_0 + w_1 x_1 + w_2 x_2))) "
            "(and x_1, x_2 times the same for w_1, w_2)",
            "df/dw_0 = (-y) e^(-yM) / (1 + e^(-yM)) = -y sigma(-yM), M = w_0 + w_1 x_1 + w_2 x_2",
            DERIVED, "The loss of logistic regression on one object is f = log(1 + e^(-yM)); d log(u)/du = 1/u "
                     "brings no factor -1. The printed sign is that of the log-likelihood -f: a step against it "
                     "raises the loss. Repeated at lines 1409-1413."),
    Erratum("002", (692,), "matrix rules, example 3",
            "for f(W) = g(XW): 'grad_{X_0} f = X^T [grad_{XW_0} g]'",
            "grad_{W_0} f = X^T [grad_{XW_0} g]",
            DERIVED, "Example 3 differentiates with respect to W (the increment is H = W - W_0); the gradient with "
                     "respect to X is example 2's [grad g] W^T. Repeated at line 1536."),
    Erratum("002", (786, 791), "two-layer network, the prediction",
            "y_hat = sigma(X^1 W^2) = sigma(sigma(X^0 W^1) W^2), with X^1 = X^0 W^1_0 and X^2 = sigma(X^0 W^1_0) "
            "(line 791)",
            "y_hat = sigma(X^2 W^2)",
            DERIVED, "Line 791 names the product before the sigmoid X^1 and the one after it X^2; the prediction "
                     "multiplies the latter by W^2. Repeated at lines 1628, 1633."),
    Erratum("002", (796, 804, 816), "two-layer network, the 'loss'",
            "'loss' l = L(y, y_hat) = y log(y_hat) + (1 - y) log(1 - y_hat), and grad_{X^3} l = y - sigma(X^3)",
            "that l is the log-likelihood (to be maximised); the loss, binary cross-entropy, is -l, with "
            "gradient sigma(X^3) - y",
            DERIVED, "l <= 0 and rises to 0 as y_hat approaches y: it is minus the loss. The printed gradients "
                     "are right for l; gradient descent on the loss (line 789) needs sigma(X^3) - y. Repeated at "
                     "line 1638."),
    Erratum("002", (971,), "the output layer's error",
            "'replace the first part by the equation for the output layer's error Eh'",
            "Eo (the next line: C'(Wo) = Eo H)",
            DERIVED, "Eh is the hidden layer's error (line 961); the output layer's is Eo (line 951)."),
    # ---- 003: the deep learning book's section 6.5 (Chinese summary) -------------------------------------------
    Erratum("003", (18,), "introduction",
            "'此外,反向传播仅适用于多层神经网络' (moreover, back-propagation applies only to multilayer neural "
            "networks)",
            "back-propagation is often misunderstood as being specific to multilayer neural networks; in "
            "principle it computes derivatives of any function",
            DERIVED, "The book calls this a misunderstanding, and the sentence's own second half ('but in "
                     "principle it can compute the derivative of any function') contradicts its first."),
    Erratum("003", (55,), "the vector chain rule",
            "dz/dx_i = sum_j dz/dy_i dy_i/dx_i",
            "dz/dx_i = sum_j dz/dy_j dy_j/dx_i",
            DERIVED, "The summand must depend on j; line 56's vector form grad_x z = (dy/dx)^T grad_y z says the "
                     "same: its i-th entry is sum_j (dy_j/dx_i) (dz/dy_j)."),
    Erratum("003", (92,), "storing versus recomputing, z = f(f(f(w)))",
            "'当存储这些表达式的值所需的存储较少时,公式2的反向传播方法显然是较优的,因为它减少了运行时间' (when "
            "storing is cheap, formula 2 is clearly preferable because it reduces the running time)",
            "formula 1 (compute f(w) once, store it in x) is preferable for its shorter running time; formula 2 "
            "(recompute f(w)) is useful when memory is limited",
            DERIVED, "Formula 2 evaluates f(w) twice and f(f(w)) again: more work, less memory. Line 88 says "
                     "back-propagation takes formula 1's way, and line 93 gives formula 2 the memory-limited case."),
    Erratum("003", (186,), "Algorithm 2, the grad_table",
            "'grad_table[u^(n)] 是存储 du^(n)/du^(i) 的计算值' (grad_table[u^(n)] stores du^(n)/du^(i))",
            "grad_table[u^(i)] stores du^(n)/du^(i)",
            DERIVED, "The table is indexed by the node whose derivative it holds: line 187 sets grad_table[u^(n)] "
                     "to 1 and fills grad_table[u^(j)] with du^(n)/du^(j)."),
    # ---- 004: the lecture "Introduction to deep learning" ------------------------------------------------------
    Erratum("004", (245,), "history",
            "'(Brison, Hoback, 1969): proposed the back-propagation algorithm'",
            "(Bryson, Ho, 1969): A. E. Bryson and Y.-C. Ho, Applied Optimal Control",
            SOURCES, "File 002 quotes the history (line 2050: 'Bryson and Ho described it ... in 1969') and the "
                     "book (line 2107)."),
    Erratum("004", (246, 590), "history",
            "'(Hinton, 1974): rediscovered backpropagation'",
            "(Werbos, 1974): P. Werbos's dissertation",
            SOURCES, "File 002, line 2050: 'Paul Werbos was first in the US to propose that it could be used for "
                     "neural nets after analyzing it in depth in his 1974 dissertation'; Hinton co-authored the "
                     "1986 paper (Rumelhart, Hinton, Williams; line 591)."),
    Erratum("004", (358,), "ACON-B",
            "for h(x) = ax: 'the hard maximum is LReLU(x) = max(x, px)'",
            "max(x, ax)",
            DERIVED, "The same sentence names the slope a; p is not defined."),
    Erratum("004", (371,), "ACON-C, the limits of its derivative",
            "lim_{x->+inf} df_ACON-C/dx = a_1, lim_{x->-inf} df_ACON-C/dx = a_2",
            "only when beta (a_1 - a_2) > 0; when beta (a_1 - a_2) < 0 the limits swap (a_2 at +inf, a_1 at -inf)",
            DERIVED, "f = (a_1 - a_2) x sigma(beta (a_1 - a_2) x) + a_2 x; the sigmoid tends to 1 at +inf only if "
                     "beta (a_1 - a_2) > 0. With learnable a_1, a_2 (line 369) either sign occurs."),
    Erratum("004", (572,), "the vector form",
            "a^(l) = h((w^(l))^T a^(l-1) + b^(l)), with w_jk^(l) the weight from neuron k of layer l-1 to "
            "neuron j of layer l (line 565)",
            "a^(l) = h(W^(l) a^(l-1) + b^(l)), W^(l) = [w_jk^(l)] (row j holds neuron j's weights)",
            DERIVED, "Entry j of W a is sum_k w_jk a_k, which is line 568's sum; the backward pass (line 582) "
                     "uses (W^(l+1))^T delta^(l+1), which agrees with W a, not W^T a."),
    Erratum("004", (582,), "the output layer's delta",
            "delta_j^(L) = dC/da^(L) h'(z_j^(L))",
            "delta_j^(L) = dC/da_j^(L) h'(z_j^(L))",
            DERIVED, "A scalar delta_j needs the j-th entry of the gradient; the vector form on the same line has "
                     "grad_a C (elementwise) h'(z)."),
    Erratum("004", (589,), "history",
            "'explicitly, full backpropagation for neural networks: M.Sc. thesis (Linnainmaa, 1970)'",
            "Linnainmaa's 1970 thesis gave the general reverse mode of automatic differentiation, not applied to "
            "neural networks",
            SOURCES, "File 002, line 2050: 'While not applied to neural networks, in 1970 Linnainmaa published the "
                     "general method for automatic differentiation'."),
]


def _from_comparison(document: str, where: str, comparison: examples.Comparison) -> list[Erratum]:
    """A row for every number a comparison judges wrong."""
    return [Erratum(document, (row.line,), f"{where}, {row.name}", row.published, f"{row.exact:.6g}", RECOMPUTED,
                    row.note or "The exact value does not round to the printed number.", exact=row.exact)
            for row in comparison.rows if row.verdict == examples.WRONG]


class ErrataTable:
    """The errata, sorted by document and line. `print()` gives a text table; a notebook shows HTML.

    Arguments:
        rows: the `Erratum`s.
    """

    HEADERS = ["document", "line", "where", "printed", "correct", "how we know", "why"]

    def __init__(self, rows: list[Erratum]):
        self.rows = sorted(rows, key=lambda e: (e.document, e.lines[0]))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def of(self, document: str) -> list[Erratum]:
        """The errata of one document ("001" .. "004")."""
        if document not in FILES:
            raise ValueError(f"ErrataTable.of(): document must be one of {', '.join(FILES)}, got {document!r}")
        return [e for e in self.rows if e.document == document]

    def _cells(self) -> list[list[str]]:
        return [[e.document, ", ".join(map(str, e.lines)), e.where, e.printed, e.correct, e.how, e.why]
                for e in self.rows]

    def __str__(self) -> str:
        counts = ", ".join(f"{len(self.of(d))} in {d}" for d in FILES)
        blocks = [f"{len(self.rows)} errata ({counts})"]
        for e in self.rows:
            blocks.append(f"\n{e.document}, line {', '.join(map(str, e.lines))} ({e.where}) [{e.how}]\n"
                          f"  printed: {e.printed}\n  correct: {e.correct}\n  why:     {e.why}")
        return "\n".join(blocks)

    __repr__ = __str__  # so a notebook saves the table, not an address

    def _repr_html_(self) -> str:
        return examples.html_table(f"{len(self.rows)} errata in the source documents", self.HEADERS,
                                   self._cells(), [False] * len(self.rows))


def errata() -> ErrataTable:
    """Every erratum of the five documents: the ones found by reading (`ERRATA_TEXT`) and every number that
    `nn.examples` judges wrong in the worked example of file 002 and the softmax numbers of file 001."""
    worked = _from_comparison("002", "worked example", examples.worked_example_002().comparison)
    softmax = _from_comparison("001", "softmax", examples.softmax_examples())
    return ErrataTable([*ERRATA_TEXT, *worked, *softmax])
