"""The collector turns result files into the expected table, byte for byte."""
import json

from mmlc.evaluation import load_results, results_table, to_csv, to_markdown

RECORDS = {
    'lcbyol/det/results.json':
    dict(
        task='mask-rcnn_r50-syncbn_fpn_1x_coco',
        checkpoint='ckpt/lc-byol_400e.pth',
        config='x.py',
        metrics={
            'coco/bbox_mAP': 0.425,
            'coco/bbox_mAP_50': 0.629,
            'coco/segm_mAP': 0.383,
            'coco/bbox_mAP_s': 0.2
        }),
    'lcbyol/seg/results.json':
    dict(
        task='fcn_r50-d8_4xb4-20k_voc12aug-512x512',
        checkpoint='ckpt/lc-byol_400e.pth',
        metrics={
            'mIoU': 72.1,
            'aAcc': 93.0
        }),
    'byol/det/results.json':
    dict(
        task='mask-rcnn_r50-syncbn_fpn_1x_coco',
        checkpoint='ckpt/byol_300e.pth',
        metrics={
            'coco/bbox_mAP': 0.404,
            'coco/bbox_mAP_50': 0.616,
            'coco/segm_mAP': 0.372
        }),
    'byol/corr.json':
    dict(
        task='correspondence',
        checkpoint='ckpt/byol_300e.pth',
        metrics={'accuracy': 0.33}),
    'lcbyol/fewshot.json':
    dict(
        task='fewshot-5way5shot',
        checkpoint='ckpt/lc-byol_400e.pth',
        metrics={
            'accuracy': 0.8123,
            'ci95': 0.0071
        }),
    'notes/other.json':
    dict(something='else'),
}

EXPECTED_MARKDOWN = (
    '| method | mask-rcnn_r50-syncbn_fpn_1x_coco APb | '
    'mask-rcnn_r50-syncbn_fpn_1x_coco APb50 | '
    'mask-rcnn_r50-syncbn_fpn_1x_coco APmk | '
    'fcn_r50-d8_4xb4-20k_voc12aug-512x512 mIoU | '
    'fcn_r50-d8_4xb4-20k_voc12aug-512x512 aAcc | correspondence acc | '
    'fewshot-5way5shot acc | '
    'fewshot-5way5shot ±95% |\n'
    '|---|---|---|---|---|---|---|---|---|\n'
    '| byol_300e | 40.4 | 61.6 | 37.2 | - | - | 33.0 | - | - |\n'
    '| lc-byol_400e | 42.5 | 62.9 | 38.3 | 72.1 | 93.0 | - | 81.2 | 0.7 |\n')


def test_voc_ap_over_thresholds_is_ap_and_a_single_threshold_is_ap50():
    thresholds = [0.5 + 0.05 * i for i in range(10)]
    per_threshold = {
        f'pascal_voc/AP{round(thr * 100)}': 0.9 - thr
        for thr in thresholds
    }
    paper_protocol = dict(
        task='faster-rcnn_r50-syncbn_fpn_1x_voc0712',
        checkpoint='ckpt/lc-byol.pth',
        metrics={
            'pascal_voc/mAP': 0.2,  # first, as mmdet's VOCMetric writes it
            **per_threshold
        })
    toy_protocol = dict(
        task='detection',
        checkpoint='ckpt/toy.pth',
        metrics={
            'pascal_voc/mAP': 0.3121,
            'pascal_voc/AP50': 0.312
        })
    header, rows = results_table([paper_protocol, toy_protocol])
    assert header == [
        'method', 'faster-rcnn_r50-syncbn_fpn_1x_voc0712 AP',
        'faster-rcnn_r50-syncbn_fpn_1x_voc0712 AP50',
        'faster-rcnn_r50-syncbn_fpn_1x_voc0712 AP75', 'detection AP50'
    ]
    assert rows == [['lc-byol', '20.0', '40.0', '15.0', '-'],
                    ['toy', '-', '-', '-', '31.2']]


def test_collector_table_byte_for_byte(tmp_path):
    for rel, record in RECORDS.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))
    header, rows = results_table(load_results([str(tmp_path)]))
    assert to_markdown(header, rows) == EXPECTED_MARKDOWN
    csv_text = to_csv(header, rows)
    assert csv_text.splitlines(
    )[2] == 'lc-byol_400e,42.5,62.9,38.3,72.1,93.0,-,81.2,0.7'
