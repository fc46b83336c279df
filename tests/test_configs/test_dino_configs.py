"""The DINO / LC-DINO configs hold the paper's App. B settings, the toy
Swin gives the toy recipe's 8 x 8 grid, and the multi-crop option makes two
global and six 96 px views."""
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose

from mmlc.registry import MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IN1K = {
    'dino': 'configs/dino/dino_swin-tiny_16xb64-300e_in1k.py',
    'lc-dino': 'configs/lc_dino/lc-dino_swin-tiny_16xb64-300e_in1k.py',
}
TOY = {
    'dino': 'configs/dino/dino_swin-w48_1xb32-adamw-coslr-600iter_toy.py',
    'lc-dino':
    'configs/lc_dino/lc-dino_swin-w48_1xb32-adamw-coslr-600iter_toy.py',
}


def _cfg(path):
    return Config.fromfile(osp.join(REPO, path))


def test_appendix_b_settings():
    dino, lc_dino = _cfg(IN1K['dino']), _cfg(IN1K['lc-dino'])
    for cfg in (dino, lc_dino):
        assert cfg.model.backbone.type == 'SwinTransformer'
        assert cfg.model.backbone.arch == 'tiny'
        # 16 GPUs x 64 images; base lr 5e-4 per 256 images, wd 0.04
        assert cfg.train_dataloader.batch_size == 64
        assert cfg.auto_scale_lr.base_batch_size == 16 * 64
        optimizer = cfg.optim_wrapper.optimizer
        assert optimizer.type == 'AdamW'
        assert optimizer.lr == 5e-4 * 16 * 64 / 256
        assert optimizer.weight_decay == 0.04
        assert cfg.train_cfg.max_epochs == 300
        # the main paper's views: Ic then Isc, with their geometry
        views = cfg.train_dataloader.dataset.pipeline[1]
        assert views.type == 'MultiViewWithGeometry'
        assert views.num_views == [1, 1]
        assert [t['type'] for t in views.transforms[0]][0] == 'Resize'
        assert views.transforms[1][0]['type'] == 'RandomResizedCropWithBox'
        # DINO's own defaults
        assert cfg.model.base_momentum == 0.004
        assert cfg.model.head.loss.student_temp == 0.1
        assert cfg.model.head.loss.center_momentum == 0.9
        hook = cfg.custom_hooks[0]
        assert (hook.type, hook.warmup_teacher_temp, hook.teacher_temp,
                hook.warmup) == ('DINOScheduleHook', 0.04, 0.07, 30)
    assert lc_dino.model.type == 'LCDINO'
    branch = lc_dino.model.local_branch
    assert branch.alpha == 0.5 and tuple(branch.local_views) == (0, 1)
    assert branch.local_neck.in_channels == 768
    # LC-DINO differs from DINO by the local branch only
    lc_model = dict(lc_dino.model)
    lc_model.pop('local_branch')
    lc_model['type'] = 'DINO'
    assert lc_model == dict(dino.model)
    for key in ('optim_wrapper', 'param_scheduler', 'train_dataloader',
                'custom_hooks', 'train_cfg'):
        assert lc_dino[key] == dino[key], key


def test_toy_swin_gives_the_toy_grid():
    cfg = _cfg(TOY['lc-dino'])
    backbone = MODELS.build(cfg.model.backbone)
    final = backbone(torch.zeros(1, 3, 128, 128))[-1]
    assert final.shape == (1, 192, 8, 8)
    assert cfg.model.local_branch.local_neck.in_channels == 192
    assert cfg.model.neck.in_channels == 192
    assert cfg.train_cfg.max_iters == 600


def test_multi_crop_makes_two_global_and_six_local_views():
    cfg = _cfg('configs/dino/dino_swin-tiny_16xb64-300e_in1k_multi-crop.py')
    assert cfg.model.backbone.pad_small_map is True
    pipeline = Compose([
        TRANSFORMS.build(t) for t in cfg.train_dataloader.dataset.pipeline[1:]
    ])
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, size=(300, 400, 3), dtype=np.uint8)
    packed = pipeline(
        dict(img=image, img_shape=(300, 400), ori_shape=(300, 400)))
    sizes = [tuple(view.shape[-2:]) for view in packed['inputs']]
    assert sizes == [(224, 224)] * 2 + [(96, 96)] * 6
    boxes = packed['data_samples'].view_boxes
    assert boxes.shape == (8, 4)
    # a local crop covers 5-40 % of the image
    areas = boxes[2:, 2] * boxes[2:, 3] / (300 * 400)
    assert ((areas > 0.04) & (areas < 0.41)).all()
