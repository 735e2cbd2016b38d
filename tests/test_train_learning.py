"""Learning happens: on a small Randman task three shapes at a reasonable scale reach well above
chance; scaled to a near-zero gradient, the hidden layer receives no gradient and only the
readout learns (it cannot reach the learned accuracy)."""
import pytest

from surrogate_cli.analysis.train import train


@pytest.mark.x64_off
def test_three_shapes_learn_and_a_vanishing_surrogate_does_not():
    res = train(["sigmoid", "inv_square_grad", "piecewise_quadratic"], alpha=[1e-3, 2.0], seeds=1, epochs=6,
                randman={"classes": 3, "units": 10, "samples": 200, "steps": 20, "smoothness": 2.0}, hidden=32,
                batch=32, lr=1e-2)
    chance = res.chance
    assert 0.3 <= chance <= 0.4  # 3 classes, 120 held-out samples
    by = {(s.surrogate, float(s.params["alpha"])): s for s in res.summaries}
    learned = {}
    for name in ("sigmoid", "inv_square_grad", "piecewise_quadratic"):
        good = by[(name, 2.0)]
        assert good.diverged == 0
        learned[name] = good.final_test_acc[0]
        assert learned[name] >= chance + 0.4, (name, learned[name], chance)
    for name in ("sigmoid", "piecewise_quadratic"):  # g' ~ alpha: no gradient reaches the hidden layer
        flat = by[(name, 1e-3)]
        assert flat.grad_norms["w0"] < 1e-2 * by[(name, 2.0)].grad_norms["w0"]
        assert flat.final_test_acc[0] < min(learned.values()) - 0.05
