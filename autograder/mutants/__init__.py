"""Catalogues of realistic wrong implementations, one module per chapter.

Each module exposes ``MUTANTS: {function name: [wrong function, ...]}``. A mutant's docstring
starts with the one-line description of the mistake that feedback shows when a student's
output matches the mutant's. The test suite proves every mutant loses its function's points.

Mutants are self-contained on purpose, even where that repeats lines: the suite pastes a
mutant's source into a real notebook as a student would write it, where no helper of this
module exists.
"""
from collections import defaultdict


def catalogue():
    """A fresh registry and the decorator that fills it: ``@mutant_of("sigmoid")``."""
    registry = defaultdict(list)

    def mutant_of(name):
        def register(function):
            registry[name].append(function)
            return function

        return register

    return registry, mutant_of
