"""Reference NumPy implementations of every graded exercise, one module per chapter.

This package is the single source of truth: the nbgrader source assignments, the hidden
tests and the book's demos all take these functions from here; nothing copies them.
Layout convention everywhere: examples are columns, ``X: (n_x, m)``, ``Y: (1, m)``.
"""
