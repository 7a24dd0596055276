"""A small convolutional learner for `symmetry-probe probe`: random 3x3 convolutional features
(circular padding, ReLU, global average pooling; the filters drawn from the seed and kept fixed)
with a readout fitted by ridge regression. NumPy only.

    symmetry-probe probe --action translation --jobs 2 \
      --learner 'python3 examples/random_conv_features.py {train_x} {train_y} {test_x} {predictions} {seed}'

Theory: a circular convolution commutes with circular translations and global average pooling
forgets them, so every trained predictor is functionally invariant to circular translations
(exactly, up to round-off), hence algorithmically too. The filters' i.i.d. Gaussian law is kept
by a rotation of the channels, so the learner is algorithmically invariant to `channel-rotation`
in distribution, but not functionally. Pixel permutations and O(d) break locality: neither.
"""
import sys

import numpy as np

FILTERS = 256
RIDGE = 1e-2  # relative to the mean squared feature norm

train_x, train_y, test_x, predictions, seed = sys.argv[1:6]
x, y, t = np.load(train_x), np.load(train_y), np.load(test_x)
channels = x.shape[3]
rng = np.random.default_rng(int(seed))
filters = rng.standard_normal((9 * channels, FILTERS)) / np.sqrt(9 * channels)
bias = 0.1 * rng.standard_normal(FILTERS)


def features(images):
    # The 3x3 neighbourhood of every pixel, wrapping around the edges: (n, H, W, 9 C).
    patches = np.concatenate(
        [np.roll(images, (dy, dx), axis=(1, 2)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=3)
    return np.maximum(patches @ filters + bias, 0).mean(axis=(1, 2)) / np.sqrt(FILTERS)


phi = features(x)
ridge = RIDGE * np.mean(np.sum(phi**2, axis=1))
readout = np.linalg.solve(phi.T @ phi + ridge * np.eye(FILTERS), phi.T @ y)
np.save(predictions, (features(t) @ readout).astype(np.float64))
