"""Hidden-test inputs, one module per chapter, each exposing ``CHECKS: {function name: Check}``."""
