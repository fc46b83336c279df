"""FrozenBackboneCacheHook: frozen features are computed once per input and
served unchanged; a backbone that is not frozen is refused."""
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from mmlc.engine import FrozenBackboneCacheHook


class _Backbone(nn.Module):
    """conv-BN-ReLU, then a strided conv: two feature levels, counting the
    samples it computes."""

    def __init__(self, returns_tuple: bool = True) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.down = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.returns_tuple = returns_tuple
        self.computed = 0

    def forward(self, x):
        self.computed += len(x)
        low = self.stem(x)
        high = self.down(low)
        return (low, high) if self.returns_tuple else high


def _frozen(backbone: nn.Module) -> nn.Module:
    torch.manual_seed(0)
    for param in backbone.parameters():
        nn.init.normal_(param)
        param.requires_grad = False
    backbone.stem[1].running_mean.normal_()
    backbone.stem[1].running_var.uniform_(0.5, 2)
    return backbone.eval()


def _runner(backbone: nn.Module):
    messages = []
    logger = SimpleNamespace(info=messages.append)
    return SimpleNamespace(
        model=SimpleNamespace(backbone=backbone), logger=logger), messages


def _reference(backbone: nn.Module, x: torch.Tensor):
    """The backbone's own forward, bypassing the hook and the counter."""
    with torch.no_grad():
        low = backbone.stem(x)
        return low, backbone.down(low)


def test_each_input_is_computed_once_and_served_unchanged():
    backbone = _frozen(_Backbone())
    runner, messages = _runner(backbone)
    hook = FrozenBackboneCacheHook()
    hook.before_train(runner)
    seen = torch.randn(4, 3, 8, 8)
    new = torch.randn(2, 3, 8, 8)
    batches = [
        (seen, 4),
        # two seen samples in another order, two new: only the new ones run
        (torch.cat([seen[[3, 1]], new]), 2),
        (seen, 0),
        (torch.cat([new[[1]], seen[[0]]]), 0),
    ]
    for batch, computed in batches:
        before = backbone.computed
        outputs = backbone(batch)
        assert backbone.computed - before == computed
        for got, expected in zip(outputs, _reference(backbone, batch)):
            assert got.shape == expected.shape
            torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
    hook.after_train(runner)
    # the backbone's own forward is back, and computes again
    assert 'forward' not in vars(backbone)
    backbone(seen)
    assert backbone.computed == 4 + 2 + 4
    assert messages == [
        'FrozenBackboneCacheHook: 8 of 14 samples served from the cache '
        '(6 inputs cached, 0 MiB)'
    ]


def test_a_backbone_returning_one_tensor_gets_one_tensor_back():
    backbone = _frozen(_Backbone(returns_tuple=False))
    hook = FrozenBackboneCacheHook()
    hook.before_train(_runner(backbone)[0])
    x = torch.randn(3, 3, 8, 8)
    first = backbone(x)
    again = backbone(x[[2, 0]])
    assert isinstance(again, torch.Tensor)
    torch.testing.assert_close(again, first[[2, 0]], rtol=0, atol=0)
    assert backbone.computed == 3


def test_past_its_budget_the_cache_computes_instead_of_storing():
    backbone = _frozen(_Backbone())
    # one sample's two levels: 4 x 8 x 8 + 6 x 4 x 4 floats
    one_sample = (4 * 8 * 8 + 6 * 4 * 4) * 4
    hook = FrozenBackboneCacheHook(max_bytes=2 * one_sample)
    hook.before_train(_runner(backbone)[0])
    x = torch.randn(3, 3, 8, 8)
    backbone(x)
    before = backbone.computed
    outputs = backbone(x)
    assert backbone.computed - before == 1
    for got, expected in zip(outputs, _reference(backbone, x)):
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_a_backbone_with_trainable_parameters_is_refused():
    backbone = _frozen(_Backbone())
    backbone.down.weight.requires_grad = True
    with pytest.raises(
            RuntimeError,
            match=r'model\.backbone\.down\.weight.*'
            r'model\.backbone\.frozen_stages'):
        FrozenBackboneCacheHook().before_train(_runner(backbone)[0])


def test_a_norm_layer_in_training_mode_is_refused():
    backbone = _frozen(_Backbone())
    FrozenBackboneCacheHook().before_train(_runner(backbone)[0])
    backbone.stem[1].train()
    with pytest.raises(
            RuntimeError,
            match=r'model\.backbone\.stem\.1 .*'
            r'model\.backbone\.norm_eval=True'):
        backbone(torch.randn(2, 3, 8, 8))


def test_a_negative_budget_is_refused():
    with pytest.raises(ValueError, match='max_bytes'):
        FrozenBackboneCacheHook(max_bytes=-1)


def test_the_toy_frozen_fcn_trains_the_same_heads_with_the_cache(
        toy_root, tmp_path):
    """Six iterations of batch 8 over the toy set's training scenes, through
    tools/benchmarks/frozen_cache_speed.py: later batches are served from
    the cache, and the heads equal an uncached run's."""
    from frozen_cache_speed import compare
    from toy_harness import save_random_backbone
    checkpoint = save_random_backbone(str(tmp_path / 'random.pth'))
    table = compare(checkpoint, toy_root, 6, str(tmp_path))
    rows = [line.split(' | ') for line in table.splitlines()[2:4]]
    assert [row[0]
            for row in rows] == ['| without the cache', '| with the cache']
    assert int(rows[0][1]) == 0 and int(rows[1][1]) > 0
    head_diff = float(table.split("head weights: ")[1].split(';')[0])
    assert head_diff <= 1e-5
