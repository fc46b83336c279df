"""FrozenBackboneCacheHook: frozen features are computed once per input and
served unchanged; a backbone that is not frozen is refused."""
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from mmlc.engine import FrozenBackboneCacheHook


class _Backbone(nn.Module):
    """conv-BN-ReLU, then a strided conv: two feature levels as ``output``
    ('tuple', 'list') or the last as one tensor ('tensor'), counting the
    samples it computes; ``dropout`` adds functional dropout, which no layer
    type check can see."""

    def __init__(self, output: str = 'tuple', dropout: float = 0.) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.down = nn.Conv2d(4, 6, 3, stride=2, padding=1)
        self.output = output
        self.dropout = dropout
        self.computed = 0

    def forward(self, x):
        self.computed += len(x)
        low = self.stem(x)
        low = nn.functional.dropout(low, self.dropout, self.training)
        high = self.down(low)
        if self.output == 'tensor':
            return high
        return (low, high) if self.output == 'tuple' else [low, high]


def _frozen(backbone: nn.Module) -> nn.Module:
    """Frozen as mmseg's ResNet with ``frozen_stages`` and ``norm_eval``
    leaves it while training: the module in training mode, every parameter
    without grad, BN in eval mode."""
    torch.manual_seed(0)
    for param in backbone.parameters():
        nn.init.normal_(param)
        param.requires_grad = False
    backbone.stem[1].running_mean.normal_()
    backbone.stem[1].running_var.uniform_(0.5, 2)
    backbone.train()
    backbone.stem[1].eval()
    return backbone


def _one_sample_bytes() -> int:
    """One 8 x 8 sample's two levels: 4 x 8 x 8 + 6 x 4 x 4 floats."""
    return (4 * 8 * 8 + 6 * 4 * 4) * 4


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
        # the first batch runs twice: the determinism check
        (seen, 8),
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
    assert backbone.computed == 8 + 2 + 4
    assert messages == [
        'FrozenBackboneCacheHook: 8 of 14 samples served from the cache '
        '(6 inputs cached, 0 MiB)'
    ]


def test_a_backbone_returning_one_tensor_gets_one_tensor_back():
    backbone = _frozen(_Backbone(output='tensor'))
    hook = FrozenBackboneCacheHook()
    hook.before_train(_runner(backbone)[0])
    x = torch.randn(3, 3, 8, 8)
    first = backbone(x)
    again = backbone(x[[2, 0]])
    assert isinstance(again, torch.Tensor)
    torch.testing.assert_close(again, first[[2, 0]], rtol=0, atol=0)
    assert backbone.computed == 2 * 3


def test_past_its_budget_the_cache_computes_instead_of_storing():
    backbone = _frozen(_Backbone())
    hook = FrozenBackboneCacheHook(max_bytes=2 * _one_sample_bytes())
    hook.before_train(_runner(backbone)[0])
    x = torch.randn(3, 3, 8, 8)
    backbone(x)
    before = backbone.computed
    outputs = backbone(x)
    assert backbone.computed - before == 1
    for got, expected in zip(outputs, _reference(backbone, x)):
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_a_list_returning_backbone_gets_a_list_back_from_the_cache():
    backbone = _frozen(_Backbone(output='list'))
    FrozenBackboneCacheHook().before_train(_runner(backbone)[0])
    x = torch.randn(2, 3, 8, 8)
    backbone(x)
    again = backbone(x)
    assert isinstance(again, list) and len(again) == 2
    assert backbone.computed == 2 * 2


def test_a_sample_twice_in_a_batch_is_stored_once():
    backbone = _frozen(_Backbone())
    hook = FrozenBackboneCacheHook(max_bytes=2 * _one_sample_bytes())
    hook.before_train(_runner(backbone)[0])
    a, b = torch.randn(2, 1, 3, 8, 8)
    backbone(torch.cat([a, a, b]))
    before = backbone.computed
    # both fit the two-sample budget: nothing is computed again
    backbone(torch.cat([b, a]))
    assert backbone.computed == before


def test_in_eval_mode_the_backbone_runs_as_usual():
    """Validation and test (``model.eval()``) bypass the cache."""
    backbone = _frozen(_Backbone())
    runner, messages = _runner(backbone)
    hook = FrozenBackboneCacheHook()
    hook.before_train(runner)
    backbone.eval()
    x = torch.randn(2, 3, 8, 8)
    backbone(x)
    backbone(x)
    assert backbone.computed == 4
    assert hook.hits == hook.misses == 0


def test_a_backbone_with_hidden_randomness_is_refused():
    backbone = _frozen(_Backbone(dropout=0.5))
    FrozenBackboneCacheHook().before_train(_runner(backbone)[0])
    with pytest.raises(RuntimeError, match='different features'):
        backbone(torch.randn(2, 3, 8, 8))


def test_the_key_tells_autocast_from_full_precision():
    from mmlc.engine.hooks.frozen_feature_cache import input_keys
    x = torch.randn(2, 3, 8, 8)
    plain = input_keys(x)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        autocast = input_keys(x)
    assert plain == input_keys(x.clone())
    assert plain[0] != plain[1]
    assert not set(plain) & set(autocast)


def test_after_train_without_before_train_does_nothing():
    runner, messages = _runner(_frozen(_Backbone()))
    FrozenBackboneCacheHook().after_train(runner)
    assert messages == []


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


class _FrozenBackboneWithHead(nn.Module):
    """A frozen ``_Backbone`` and a trainable 1 x 1 head on its last level,
    the shape of a frozen-backbone segmentor."""

    def __init__(self) -> None:
        super().__init__()
        self.backbone = _frozen(_Backbone())
        self.head = nn.Conv2d(6, 2, 1)

    def forward(self, x):
        return self.head(self.backbone(x)[-1])


@pytest.fixture
def one_process_group():
    """A gloo group of one process, in memory: DDP without a launcher."""
    import torch.distributed as dist
    dist.init_process_group(
        'gloo', store=dist.HashStore(), rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_under_ddp_the_wrapped_models_backbone_is_cached(one_process_group):
    """With the model in the CPU DDP wrapper, the hook finds the backbone
    behind it, the second epoch is served from the cache, and DDP's
    gradient reduction gives the head the gradients of an unwrapped,
    uncached copy."""
    from mmlc.engine.cpu_ddp import CPUDistributedDataParallel
    model = _FrozenBackboneWithHead()
    reference = _FrozenBackboneWithHead()
    reference.load_state_dict(model.state_dict())
    wrapped = CPUDistributedDataParallel(model)
    runner, _ = _runner(None)
    runner.model = wrapped
    hook = FrozenBackboneCacheHook()
    hook.before_train(runner)
    x = torch.randn(4, 3, 8, 8)
    for _ in range(2):  # two epochs over one batch
        wrapped.zero_grad()
        wrapped(x).square().mean().backward()
        reference.zero_grad()
        reference(x).square().mean().backward()
        assert torch.allclose(
            model.head.weight.grad, reference.head.weight.grad, atol=1e-6)
    # the determinism check computes the first batch twice
    assert model.backbone.computed == 8
    assert (hook.hits, hook.misses) == (4, 4)
