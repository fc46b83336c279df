"""The stack imports together and mmcv's compiled ops run."""
import subprocess
import sys

import torch


def test_stack_imports_side_by_side():
    code = (
        'import mmlc, mmpretrain, mmdet, mmseg, mmcv.ops; '
        'print(mmlc.__version__, mmpretrain.__version__, mmdet.__version__, '
        'mmseg.__version__)')
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1:] == ['1.2.0', '3.3.0', '1.2.2']


def test_mmcv_ops_nms_is_compiled_and_correct():
    from mmcv.ops import nms
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]],
                         dtype=torch.float32)
    scores = torch.tensor([0.9, 0.8, 0.7])
    # IoU(box0, box1) = 81 / (100 + 100 - 81) = 0.68 > 0.5: box1 is suppressed
    dets, keep = nms(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]
    torch.testing.assert_close(dets[:, 4], torch.tensor([0.9, 0.7]))
    _, keep = nms(boxes, scores, iou_threshold=0.7)
    assert keep.tolist() == [0, 1, 2]


def test_roi_align_runs_on_cpu():
    from mmcv.ops import roi_align
    feat = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    rois = torch.tensor([[0, 0, 0, 4, 4]], dtype=torch.float32)
    out = roi_align(feat, rois, (1, 1), 1.0, 2, 'avg', True)
    # aligned=True: the 4x4 box samples at 1, 3 (-0.5 shift): mean of the whole
    # map
    torch.testing.assert_close(out.flatten(), torch.tensor([7.5]))


def test_installed_package_finds_its_configs_and_tools():
    import os.path as osp

    import mmlc
    mim = osp.join(osp.dirname(mmlc.__file__), '.mim')
    assert osp.isfile(
        osp.join(mim, 'configs', 'lc_byol',
                 'lc-byol_resnet50_16xb256-coslr-400e_in1k.py'))
    assert osp.isfile(osp.join(mim, 'tools', 'train.py'))
