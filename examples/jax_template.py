"""A template for probing your own JAX model with `symmetry-probe probe` (not run by the tests).

    symmetry-probe probe --action orthogonal --jobs 2 --timeout 1800 \
      --learner 'python3 examples/jax_template.py {train_x} {train_y} {test_x} {predictions} {seed}'

The contract, whatever the framework:
  - read {train_x} (n, H, W, C) float64, {train_y} (n, k) float64 and {test_x} (m, H, W, C)
    float64 with numpy.load;
  - train from the seed {seed} (an integer below 2^31): every random choice (initialisation,
    batch order, dropout) must come from it, so that one seed gives one run and the tool's
    cache can reuse it;
  - write the (m, k) predictions at {test_x} with numpy.save({predictions}, array of float64);
  - exit 0; anything else (an exception, a non-zero exit, NaN) is reported with your standard
    error's last lines, and the runs already finished stay cached.
The tool stacks the test images and their transformed copies in {test_x}, so the script needs
no notion of actions. For PyTorch: torch.manual_seed(seed), torch.from_numpy(...).float(), and
numpy.save(path, model(test).detach().double().numpy()).
"""
import sys

import jax
import jax.numpy as jnp
import numpy as np

train_x, train_y, test_x, predictions, seed = sys.argv[1:6]
x = jnp.asarray(np.load(train_x), dtype=jnp.float32)
y = jnp.asarray(np.load(train_y), dtype=jnp.float32)
t = jnp.asarray(np.load(test_x), dtype=jnp.float32)


def init(key, shapes):
    keys = jax.random.split(key, len(shapes))
    return [jax.random.normal(k, s) / np.sqrt(s[0]) for k, s in zip(keys, shapes)]


def model(params, images):
    hidden = jax.nn.relu(images.reshape(len(images), -1) @ params[0])
    return hidden @ params[1]


def loss(params):
    return 0.5 * jnp.mean((model(params, x) - y) ** 2)


params = init(jax.random.PRNGKey(int(seed)), [(x[0].size, 256), (256, y.shape[1])])
step = jax.jit(lambda p: [w - 0.5 * g for w, g in zip(p, jax.grad(loss)(p))])
for _ in range(200):
    params = step(params)
np.save(predictions, np.asarray(model(params, t), dtype=np.float64))
