"""Running submissions: grading workers, sandboxed kernels, scratch folders, feedback HTML."""
