"""tools/analysis_tools/weight_movement.py on a run it trains itself."""
import json

import pytest
import torch
import weight_movement

from mmlc.apis import build_runner


def test_the_tool_reads_a_run_and_finds_the_stage_that_moved(
        frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=7)
    config = str(tmp_path / 'frozen.py')
    cfg.dump(config)
    build_runner(cfg.copy()).train()
    checkpoint = torch.load(
        tmp_path / 'run' / 'iter_1.pth', map_location='cpu')
    for name, tensor in checkpoint['state_dict'].items():
        if name.startswith('backbone.layer2.') and tensor.dim() >= 2:
            tensor.mul_(3.0)
        if name.startswith('backbone.layer3.') and name.endswith('bn1.bias'):
            tensor.add_(0.25)
    moved = str(tmp_path / 'moved.pth')
    torch.save(checkpoint, moved)

    out = tmp_path / 'movement.json'
    weight_movement.main([config, moved, '--out', str(out)])
    record = json.loads(out.read_text())
    stages, norm_stages = record['stages'], record['norm_stages']
    assert stages['layer2']['norm_ratio'] == pytest.approx(3.0)
    assert stages['layer2']['change'] == pytest.approx(2.0)
    for stage in ('conv1', 'layer1', 'layer3', 'layer4'):
        assert stages[stage]['cosine'] == pytest.approx(1.0), stage
        assert stages[stage]['change'] == pytest.approx(0.0, abs=1e-9), stage
    # the bias of two of layer3's five norm layers (two blocks of two, and
    # the shortcut's) moved by 0.25; nothing else in a norm layer moved
    assert norm_stages['layer3']['layers'] == 5
    assert norm_stages['layer3']['bias_shift'] == pytest.approx(0.25 * 2 / 5)
    for stage, shifts in norm_stages.items():
        assert shifts['weight_shift'] == pytest.approx(0.0, abs=1e-9), stage
        if stage != 'layer3':
            assert shifts['bias_shift'] == pytest.approx(0.0, abs=1e-9), stage
    # the stem's BN is a stage of its own name
    assert list(norm_stages) == ['bn1', 'layer1', 'layer2', 'layer3', 'layer4']

    # the start of another seed's run is another draw
    record = weight_movement.main([config, moved, '--seed', '8'])
    assert abs(record['stages']['layer1']['cosine']) < 0.2


def test_the_tool_names_a_file_that_is_not_a_runner_checkpoint(
        frozen_run_cfg, tmp_path):
    cfg = frozen_run_cfg(tmp_path / 'run', seed=0)
    config = str(tmp_path / 'frozen.py')
    cfg.dump(config)
    bare = str(tmp_path / 'bare.pth')
    torch.save({'conv1.weight': torch.ones(2, 3)}, bare)
    with pytest.raises(ValueError, match='bare.pth: not a Runner checkpoint'):
        weight_movement.main([config, bare])
