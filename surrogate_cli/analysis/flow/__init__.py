r"""Gradient flow through a deep spiking stack: mean-field prediction (``surrogate flow``).

A deep stack whose forward pass is the Heaviside step and whose backward pass is the
surrogate gradient :math:`g'`: layer :math:`l` has membrane potentials (relative to the
threshold) :math:`u = W s + b - \theta`, weights :math:`W_{ij} \sim N(0, \sigma_w^2/n)`,
spikes :math:`s = H(u)`. In the wide limit :math:`u \sim N(b - \theta, \sigma_w^2 r)` with
the firing rate :math:`r = P(u \ge 0)` at its fixed point
:math:`r = \Phi((b - \theta)/(\sigma_w \sqrt{r}))`, and backpropagation multiplies the
squared gradient norm per layer by

.. math:: \chi = \sigma_w^2\, E_u[g'(u)^2],

so over :math:`L` layers by :math:`\chi^L` (vanishing for :math:`\chi < 1`, exploding for
:math:`\chi > 1`). The same arithmetic for a smooth forward :math:`\phi` (Poole et al.
2016; Schoenholz et al. 2017) is :func:`smooth_chi`.

Membrane statistics (:class:`Membrane`) come in three kinds: a Gaussian (``v_mean``,
``v_std``; the stack that has it as its fixed point has :math:`\sigma_w^2 = s^2/\Phi(m/s)`),
a network (``sigma_w``, ``bias``, ``theta``; the fixed point is solved), or an empirical
sample (a file of membrane potentials minus threshold). Expectations over a Gaussian are
deterministic Gauss--Legendre quadrature on panels whose edges include the catalog's
breakpoints (kinks, jumps, support edges), the threshold with a geometric ladder of
panels around it (sharp surrogates), and a grid in units of the standard deviation;
each panel is halved until two successive estimates agree. Expectations over a sample
are its means. The computations are float64 NumPy around the package's own
``surrogate_grad`` evaluated under a scoped ``jax.enable_x64``. Nothing here prints.
"""
from .api import flow, make_membrane, parse_network
from .maps import ChiCurve, ChiMap, chi_curves, chi_maps
from .gradients import GradEvaluator, active_fraction, active_intervals, grad_evaluator, moments
from .membrane import Membrane, empirical_membrane, gaussian_membrane, load_membrane, network_membrane, normal_cdf
from .rows import FlowResult, FlowRow, chi_grid, flow_rows
from .simulate import LifSimulation, StackSimulation, random_weights, simulate_lif, simulate_stack
from .solve import Solve, smooth_chi, solve_root

__all__ = [
    "flow", "make_membrane", "parse_network", "ChiCurve", "ChiMap", "chi_curves", "chi_maps", "GradEvaluator", "active_fraction", "active_intervals",
    "grad_evaluator", "moments", "Membrane", "empirical_membrane", "gaussian_membrane", "load_membrane",
    "network_membrane", "normal_cdf", "FlowResult", "FlowRow", "chi_grid", "flow_rows", "LifSimulation",
    "StackSimulation", "random_weights", "simulate_lif", "simulate_stack", "Solve", "smooth_chi", "solve_root",
]
