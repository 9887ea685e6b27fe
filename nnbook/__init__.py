"""Shared helpers for the book's chapters: bundled data sets, plots and demos."""
