"""Hand-made features: a digit image summarised by a few numbers a reader can picture.

Chapter 1 uses them where a picture needs one or two inputs instead of 64 pixels. Each
feature is the mean pixel value (0..16) of a window of the 8x8 image.
"""
import numpy as np

#: Rows 2-5, columns 2-3: where the two loops of an 8 reach the left side; a 3 is open there.
LEFT_INK_WINDOW = (slice(2, 6), slice(2, 4))
#: Row 0, columns 2-4: the top stroke, wider on most 3s than on 8s.
TOP_INK_WINDOW = (slice(0, 1), slice(2, 5))


def window_ink(images, window):
    """Mean pixel value inside ``window`` = (row slice, column slice).

    images: (m, h, w, 1). Returns (1, m) float64, in the pixels' units (0..16).
    """
    rows, cols = window
    return images[:, rows, cols, 0].astype(np.float64).mean(axis=(1, 2))[np.newaxis, :]


def left_ink(images):
    """Ink where an 8 closes its loops on the left. images: (m, 8, 8, 1) -> (1, m)."""
    return window_ink(images, LEFT_INK_WINDOW)


def top_ink(images):
    """Ink in the top stroke. images: (m, 8, 8, 1) -> (1, m)."""
    return window_ink(images, TOP_INK_WINDOW)


def left_and_top_ink(images):
    """Both features stacked as rows. images: (m, 8, 8, 1) -> X: (2, m)."""
    return np.vstack([left_ink(images), top_ink(images)])
