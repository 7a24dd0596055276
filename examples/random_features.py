"""A learner for `symmetry-probe probe`: random-features regression of a one-hidden-layer ReLU
network (the first layer drawn from the seed and kept fixed, the readout fitted by ridge
regression). NumPy only.

    symmetry-probe probe --action orthogonal --jobs 2 \
      --learner 'python3 examples/random_features.py {train_x} {train_y} {test_x} {predictions} {seed}'

Theory: the first layer's weights are i.i.d. Gaussian, a law every orthogonal map of the
flattened image keeps, so the learner is algorithmically invariant to O(d) (hence to pixel
permutations too) in distribution over seeds; one trained predictor is not functionally
invariant: f_S(g x) != f_S(x).
"""
import sys

import numpy as np

FEATURES = 512
RIDGE = 1e-2  # relative to the mean squared feature norm

train_x, train_y, test_x, predictions, seed = sys.argv[1:6]
x, y, t = np.load(train_x), np.load(train_y), np.load(test_x)
x, t = x.reshape(len(x), -1), t.reshape(len(t), -1)  # flatten (n, H, W, C) to (n, d)
rng = np.random.default_rng(int(seed))
weights = rng.standard_normal((x.shape[1], FEATURES)) / np.sqrt(x.shape[1])
bias = 0.1 * rng.standard_normal(FEATURES)


def features(images):
    return np.maximum(images @ weights + bias, 0) / np.sqrt(FEATURES)


phi = features(x)
ridge = RIDGE * np.mean(np.sum(phi**2, axis=1))
readout = np.linalg.solve(phi.T @ phi + ridge * np.eye(FEATURES), phi.T @ y)
np.save(predictions, (features(t) @ readout).astype(np.float64))
