"""PPO maths on tiny cases checked by hand."""
import math

import torch

from jamcore.train import ppo


def test_gae_with_gamma_1_lambda_1_is_reward_to_go_minus_value():
    r = torch.tensor([[0.0, 0.0, 1.0]])
    v = torch.tensor([[0.5, 0.5, 0.5]])
    m = torch.ones(1, 3, dtype=torch.bool)
    adv, ret = ppo.gae(r, v, m, gamma=1.0, lam=1.0)
    assert torch.allclose(ret, torch.tensor([[1.0, 1.0, 1.0]]))
    assert torch.allclose(adv, torch.tensor([[0.5, 0.5, 0.5]]))


def test_gae_hand_computed_with_lambda_and_padding():
    # deltas: d0 = 0 + 2 - 1 = 1, d1 = 3 + 0 - 2 = 1 (episode ends at t=1: t=2 is padding)
    r = torch.tensor([[0.0, 3.0, 99.0]])
    v = torch.tensor([[1.0, 2.0, 7.0]])
    m = torch.tensor([[True, True, False]])
    adv, ret = ppo.gae(r, v, m, gamma=1.0, lam=0.5)
    assert torch.allclose(adv, torch.tensor([[1.0 + 0.5 * 1.0, 1.0, 0.0]]))
    assert torch.allclose(ret, torch.tensor([[2.5, 3.0, 0.0]]))


def test_clipped_policy_loss_and_diagnostics():
    old = torch.log(torch.tensor([[0.5, 0.5]]))
    new = torch.log(torch.tensor([[0.8, 0.5]]))  # ratio 1.6 (clipped to 1.2) and 1.0
    adv = torch.tensor([[1.0, -1.0]])
    m = torch.ones(1, 2, dtype=torch.bool)
    loss, diag = ppo.policy_loss(new, old, adv, m, clip=0.2)
    # position 0: max(-1.6, -1.2) = -1.2; position 1: max(1.0, 1.0) = 1.0 -> mean -0.1
    assert math.isclose(float(loss), -0.1, abs_tol=1e-6)
    assert math.isclose(float(diag["clipfrac"]), 0.5)
    expected_kl = ((1.6 - 1) - math.log(1.6)) / 2
    assert math.isclose(float(diag["approx_kl"]), expected_kl, rel_tol=1e-5)


def test_kl_is_zero_when_policy_equals_anchor_and_positive_otherwise():
    logits = torch.randn(2, 5, 11)
    allowed = torch.ones_like(logits, dtype=torch.bool)
    allowed[..., 3] = False
    a = ppo.masked_log_softmax(logits, allowed)
    assert torch.allclose(ppo.full_kl(a, a), torch.zeros(2, 5), atol=1e-6)
    b = ppo.masked_log_softmax(logits + torch.randn_like(logits), allowed)
    assert (ppo.full_kl(a, b) > 0).all()


def test_entropy_uniform_and_explained_variance():
    logp = torch.log(torch.full((1, 1, 4), 0.25))
    assert math.isclose(float(ppo.entropy(logp)), math.log(4), rel_tol=1e-6)
    ret = torch.tensor([[1.0, 2.0, 3.0]])
    m = torch.ones(1, 3, dtype=torch.bool)
    assert math.isclose(float(ppo.explained_variance(ret, ret, m)), 1.0)
    assert float(ppo.explained_variance(torch.zeros(1, 3), ret, m)) <= 0.0 + 1e-6


def test_value_loss_and_normalize():
    m = torch.tensor([[True, True, False]])
    assert math.isclose(float(ppo.value_loss(torch.tensor([[1.0, 3.0, 50.0]]), torch.tensor([[2.0, 3.0, 0.0]]), m)),
                        0.25)
    n = ppo.normalize(torch.tensor([[1.0, 3.0, 100.0]]), m)
    assert torch.allclose(n, torch.tensor([[-1.0, 1.0, 0.0]]), atol=1e-5)


def test_padding_with_inf_and_nan_does_not_leak_into_means_or_gradients():
    logp = torch.tensor([[-0.5, float("-inf")]], requires_grad=True)
    old = torch.tensor([[-0.7, float("-inf")]])
    m = torch.tensor([[True, False]])
    loss, diag = ppo.policy_loss(logp, old, torch.tensor([[1.0, 0.0]]), m)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(diag["approx_kl"]) and torch.isfinite(logp.grad).all()
