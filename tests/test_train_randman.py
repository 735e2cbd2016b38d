"""The Randman generator against a NumPy transcription of the authors' code and against the
properties the algorithm guarantees."""
import math

import numpy as np
import pytest

from surrogate_cli.analysis.train.randman import (RandmanConfig, f_cutoff, latencies_to_raster, make_randman,
                                                  manifold_values, randman_latencies)
from surrogate_cli.errors import BadInput


# -- a line-by-line NumPy transcription of github.com/fzenke/randman@d3e22f5e -------------------
# randman/torch_randman.py (TorchRandman, the default backend) and make_spiking_dataset of
# notebooks/Spiking dataset generation example.ipynb; torch ops replaced by NumPy ones, the
# global random generators replaced by one numpy Generator drawn in the documented order.

class RefRandman:
    def __init__(self, embedding_dim, manifold_dim, rng, alpha=2, beta=0, prec=1e-3, max_f_cutoff=1000,
                 use_bias=False):
        self.alpha = alpha
        self.beta = beta
        self.use_bias = use_bias
        self.dim_embedding = embedding_dim
        self.dim_manifold = manifold_dim
        self.f_cutoff = int(np.min((np.ceil(np.power(prec, -1 / self.alpha)), max_f_cutoff)))
        self.params_per_1d_fun = 3
        self.params = rng.uniform(0.0, 1.0, size=(self.dim_embedding, self.dim_manifold,
                                                  self.params_per_1d_fun, self.f_cutoff))
        if not self.use_bias:
            self.params[:, :, 0, 0] = 0
        r = np.arange(self.f_cutoff, dtype=np.float64) + 1
        self.spect = 1.0 / (np.abs(r - beta) ** alpha + 1.0)

    def eval_random_function_1d(self, x, theta):
        tmp = np.zeros(len(x))
        s = self.spect
        for i in range(self.f_cutoff):
            tmp += theta[0, i] * s[i] * np.sin(2 * np.pi * (i * x * theta[1, i] + theta[2, i]))
        return tmp

    def eval_random_function(self, x, params):
        tmp = np.ones(len(x))
        for d in range(self.dim_manifold):
            tmp *= self.eval_random_function_1d(x[:, d], params[d])
        return tmp

    def eval_manifold(self, x):
        tmp = np.zeros((x.shape[0], self.dim_embedding))
        for i in range(self.dim_embedding):
            tmp[:, i] = self.eval_random_function(x, self.params[i])
        return tmp


def ref_standardize(x, eps=1e-7):
    mi = x.min(0)
    ma = x.max(0)
    return (x - mi) / (ma - mi + eps)


def ref_make_spiking_dataset(rng, nb_classes, nb_units, nb_steps, step_frac, dim_manifold, nb_spikes,
                             nb_samples, alpha):
    data, labels = [], []
    for k in range(nb_classes):
        x = rng.uniform(0.0, 1.0, size=(nb_samples, dim_manifold))
        submans = [RefRandman(nb_units, dim_manifold, rng, alpha=alpha) for i in range(nb_spikes)]
        units, times = [], []
        for i, rm in enumerate(submans):
            y = rm.eval_manifold(x)
            y = ref_standardize(y)
            units.append(np.repeat(np.arange(nb_units).reshape(1, -1), nb_samples, axis=0))
            times.append(y)
        units = np.concatenate(units, axis=1)
        times = np.concatenate(times, axis=1)
        events = np.stack([times, units], axis=2)
        data.append(events)
        labels.append(k * np.ones(len(units)))
    data = np.concatenate(data, axis=0)
    labels = np.array(np.concatenate(labels, axis=0), dtype=int)
    idx = rng.permutation(len(data))  # the reference: np.random.shuffle of an arange
    data = data[idx]
    labels = labels[idx]
    data[:, :, 0] *= nb_steps * step_frac
    return data, labels


@pytest.mark.parametrize("dim,spikes,alpha", [(1, 1, 1.0), (2, 2, 2.0)])
def test_matches_the_transcription_of_the_reference(dim, spikes, alpha):
    cfg = RandmanConfig(classes=3, units=5, manifold_dim=dim, smoothness=alpha, steps=40, samples=30, spikes=spikes,
                        step_frac=0.75)
    times, labels = randman_latencies(cfg, seed=7)
    data, ref_labels = ref_make_spiking_dataset(np.random.default_rng(7), 3, 5, 40, 0.75, dim, spikes, 30, alpha)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(data[:, :, 1], np.tile(np.arange(5), spikes)[None].repeat(90, 0))
    np.testing.assert_allclose(times, data[:, :, 0], rtol=1e-12, atol=1e-10)


def test_frequency_cutoff_is_the_published_rule():
    assert f_cutoff(1.0) == 1000  # ceil(1e-3 ** -1)
    assert f_cutoff(2.0) == 32  # ceil(sqrt(1000)) = 32
    assert f_cutoff(3.0) == 10
    assert f_cutoff(0.5) == 1000  # capped at max_f_cutoff


def test_guaranteed_properties():
    cfg = RandmanConfig(classes=4, units=6, manifold_dim=1, smoothness=2.0, steps=25, samples=50)
    times, labels = randman_latencies(cfg, seed=3)
    assert times.shape == (200, 6) and labels.shape == (200,)
    # classes balanced, labels 0..classes-1
    assert np.bincount(labels).tolist() == [50] * 4
    # per class and unit, the min-max standardisation puts the earliest spike at 0 and the latest
    # just below nb_steps * step_frac
    for k in range(4):
        t = times[labels == k]
        np.testing.assert_allclose(t.min(axis=0), 0.0, atol=1e-12)
        assert np.all(t.max(axis=0) < 25) and np.all(t.max(axis=0) > 25 * (1 - 1e-5))
    # the raster: every unit fires exactly once per sample, at floor(t)
    x = latencies_to_raster(times, 6, 25)
    assert x.shape == (200, 25, 6) and x.dtype == np.float32
    np.testing.assert_array_equal(x.sum(axis=1), 1.0)
    np.testing.assert_array_equal(x.argmax(axis=1), np.floor(times).astype(int))
    # deterministic from the seed, different for another seed
    x2, y2 = make_randman(cfg, seed=3)
    np.testing.assert_array_equal(x2, x)
    t3, _ = randman_latencies(cfg, seed=4)
    assert not np.allclose(t3, times)


def test_manifold_is_smooth_and_without_bias():
    """With theta[..., 0, 0] = 0 the zero frequency drops out; the manifold is a finite sum of
    sines, so it is periodic-smooth: its finite-difference slope is bounded by the closed-form
    sum of |amplitude * 2 pi i theta1| over frequencies."""
    rng = np.random.default_rng(0)
    theta = rng.uniform(size=(3, 1, 3, f_cutoff(2.0)))
    theta[:, :, 0, 0] = 0.0
    x = np.linspace(0, 1, 2001)[:, None]
    y = manifold_values(x, theta, 2.0)
    i = np.arange(theta.shape[-1])
    s = 1.0 / ((i + 1.0) ** 2 + 1.0)
    bound = (np.abs(theta[:, 0, 0, :] * s * 2 * np.pi * i * theta[:, 0, 1, :])).sum(axis=1)
    slope = np.abs(np.diff(y, axis=0)).max(axis=0) / (x[1, 0] - x[0, 0])
    assert np.all(slope <= bound * (1 + 1e-9))
    # value at one point against the closed form written directly
    xv = 0.3
    direct = [(theta[u, 0, 0] * s * np.sin(2 * np.pi * (i * xv * theta[u, 0, 1] + theta[u, 0, 2]))).sum()
              for u in range(3)]
    np.testing.assert_allclose(manifold_values(np.array([[xv]]), theta, 2.0)[0], direct, rtol=1e-12)


@pytest.mark.parametrize("field,value", [("classes", 1), ("units", 0), ("steps", 0), ("smoothness", -1.0),
                                         ("smoothness", math.nan), ("step_frac", 1.5), ("samples", 2.5)])
def test_bad_config_is_refused(field, value):
    with pytest.raises(BadInput) as err:
        RandmanConfig(**{field: value}).check()
    assert field in str(err.value)
