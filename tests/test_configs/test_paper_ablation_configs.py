"""The paper's ablation configs run at the setting the paper ran them at:
the alpha sweep (Sec. 4.5, Fig. 3b) at 200 epochs with 160 px views, the
local-MSE ablation (Sec. 4.4, Table 6) at 200 epochs with 224 px views; each
differs from its base in the one thing it ablates."""
import os.path as osp

import pytest
from mmengine.config import Config

ALPHA_CONFIGS = {
    'lc-byol_resnet50_16xb256-coslr-200e_in1k-160px.py': 0.1,
    'lc-byol_resnet50_16xb256-coslr-200e_in1k-160px_alpha-0.05.py': 0.05,
    'lc-byol_resnet50_16xb256-coslr-200e_in1k-160px_alpha-0.3.py': 0.3,
    'lc-byol_resnet50_16xb256-coslr-200e_in1k-160px_alpha-0.7.py': 0.7,
}


def _load(repo_root: str, name: str) -> Config:
    return Config.fromfile(osp.join(repo_root, 'configs', 'lc_byol', name))


def _view_sizes(cfg: Config) -> list:
    """The output size each view's resize or crop gives, in view order."""
    multi_view = next(step for step in cfg.train_dataloader.dataset.pipeline
                      if step['type'] == 'MultiViewWithGeometry')
    sizes = []
    for view in multi_view['transforms']:
        first = view[0]
        if first['type'] == 'Resize':
            sizes.append(tuple(first['scale']))
        else:
            assert first['type'] == 'RandomResizedCropWithBox'
            sizes.append((first['scale'], first['scale']))
    return sizes


@pytest.mark.parametrize('name,alpha', ALPHA_CONFIGS.items())
def test_the_alpha_sweep_is_at_200_epochs_and_160_px(repo_root, name, alpha):
    cfg = _load(repo_root, name)
    assert cfg.train_cfg.max_epochs == 200
    assert _view_sizes(cfg) == [(160, 160), (160, 160)]
    assert cfg.model.local_branch.alpha == alpha
    assert (
        cfg.model.local_branch.local_head.loss.type == 'LocalContrastiveLoss')


def test_the_local_mse_ablation_is_at_200_epochs_and_224_px(repo_root):
    cfg = _load(repo_root,
                'lc-byol_resnet50_16xb256-coslr-200e_in1k_local-mse.py')
    assert cfg.train_cfg.max_epochs == 200
    assert _view_sizes(cfg) == [(224, 224), (224, 224)]
    assert cfg.model.local_branch.alpha == 0.1
    assert cfg.model.local_branch.local_head.loss == dict(type='LocalMSELoss')
