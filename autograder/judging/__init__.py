"""Deciding hidden tests: outputs compared with the reference, outside the student's kernel."""
