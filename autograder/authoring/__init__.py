"""From an authored exercise template and ``solutions/`` to the nbgrader source notebook."""
