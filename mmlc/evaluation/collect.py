"""Gather result files into paper-style tables (Markdown and CSV).

A result file is any ``*.json`` with ``task``, ``checkpoint`` and ``metrics``
(what ``tools/benchmarks/train_and_test.py``, ``correspondence_accuracy.py``
and ``fewshot_eval.py`` write). Rows are checkpoints (methods), columns are
``<task> <metric>``, like Tables 1-4 and 7.
"""
import csv
import io
import json
import os
import os.path as osp
import statistics
from typing import Dict, List, Sequence, Tuple

# short labels in the paper's notation; values of these metrics are fractions,
# shown in %
METRIC_LABELS = {
    'coco/bbox_mAP': 'APb',
    'coco/bbox_mAP_50': 'APb50',
    'coco/bbox_mAP_75': 'APb75',
    'coco/segm_mAP': 'APmk',
    'coco/segm_mAP_50': 'APmk50',
    'coco/segm_mAP_75': 'APmk75',
    'pascal_voc/mAP': 'AP',
    'pascal_voc/AP50': 'AP50',
    'pascal_voc/AP75': 'AP75',
    'accuracy': 'acc',
    'ci95': '±95%',
}
PERCENT_METRICS = set(METRIC_LABELS)
# mmseg metrics are already percentages
SEGMENTATION_LABELS = {'mIoU': 'mIoU', 'mAcc': 'mAcc', 'aAcc': 'aAcc'}


def find_result_files(work_dirs: Sequence[str]) -> List[str]:
    paths = []
    for root in work_dirs:
        if osp.isfile(root):
            paths.append(root)
            continue
        for folder, _, files in os.walk(root):
            paths.extend(
                osp.join(folder, f) for f in files if f.endswith('.json'))
    return sorted(paths)


def load_results(work_dirs: Sequence[str]) -> List[Dict]:
    """Every result record under ``work_dirs`` (other json files are
    skipped)."""
    records = []
    for path in find_result_files(work_dirs):
        try:
            with open(path, encoding='utf-8') as f:
                record = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and {'task', 'checkpoint', 'metrics'
                                         } <= set(record):
            records.append(record)
    return records


def _method(record: Dict) -> str:
    return record.get('method') or osp.splitext(
        osp.basename(record['checkpoint']))[0]


def _cell(metric: str, value: float) -> str:
    if metric in PERCENT_METRICS:
        value *= 100
    return f'{value:.1f}'


def _task_rank(task: str) -> int:
    """Paper order: detection, segmentation, correspondence, few-shot,
    anything else."""
    groups = (('rcnn', 'retinanet'), ('fcn', 'seg'), ('correspondence', ),
              ('fewshot', ))
    for rank, keys in enumerate(groups):
        if any(key in task for key in keys):
            return rank
    return 4


def _tabled_metrics(metrics: Dict[str, float]) -> List[str]:
    """The metrics of one record that get a column. mmdet's ``VOCMetric``
    writes ``APxx`` per IoU threshold and their mean as ``mAP``, shown as AP
    (the paper's AP with the benchmark configs' thresholds 0.50:0.95); with
    a single threshold the mean is that threshold's AP, already a column of
    its own, so it gets none."""
    thresholds = [
        metric for metric in metrics if metric.startswith('pascal_voc/AP')
    ]
    single_threshold = len(thresholds) == 1
    return [
        metric for metric in metrics
        if (metric in METRIC_LABELS or metric in SEGMENTATION_LABELS)
        and not (single_threshold and metric == 'pascal_voc/mAP')
    ]


def results_table(
        records: Sequence[Dict]) -> Tuple[List[str], List[List[str]]]:
    """Header and rows, methods sorted by name; columns grouped in the paper's
    order of tasks (see :func:`_task_rank`), then in the order they first
    appear."""
    columns, table = [], {}
    for record in records:
        for metric in _tabled_metrics(record['metrics']):
            column = (record['task'], metric)
            if column not in columns:
                columns.append(column)
            row = table.setdefault(_method(record), {})
            row[column] = _cell(metric, record['metrics'][metric])
    columns.sort(key=lambda column: _task_rank(column[0])
                 )  # stable: keeps first appearance
    header = ['method'] + [
        f'{task} {METRIC_LABELS.get(m, SEGMENTATION_LABELS.get(m))}'
        for task, m in columns
    ]
    rows = [[method] + [cells.get(column, '-') for column in columns]
            for method, cells in sorted(table.items())]
    return header, rows


def to_markdown(header: List[str], rows: List[List[str]]) -> str:
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    return '\n'.join(lines) + '\n'


def to_csv(header: List[str], rows: List[List[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def aggregate_tables(
    tables: Sequence[Tuple[List[str], List[List[str]]]]
) -> Tuple[List[str], List[List[str]]]:
    """Mean ± sample standard deviation, cell by cell, of tables with the same
    layout (one per seed). Missing cells (``-``) are left out of a cell's
    statistics."""
    header = tables[0][0]
    if any(h != header for h, _ in tables):
        raise ValueError('tables to aggregate must have the same columns')
    methods = sorted({row[0] for _, rows in tables for row in rows})
    aggregated = []
    for method in methods:
        cells = [[row for row in rows if row[0] == method]
                 for _, rows in tables]
        out = [method]
        for column in range(1, len(header)):
            values = [
                float(r[0][column]) for r in cells if r and r[0][column] != '-'
            ]
            if not values:
                out.append('-')
            elif len(values) == 1:
                out.append(f'{values[0]:.1f}')
            else:
                out.append(f'{statistics.mean(values):.1f} ± '
                           f'{statistics.stdev(values):.1f}')
        aggregated.append(out)
    return header, aggregated
