"""Tables, pictures and the paper-ordering verdict of the toy study and the
demo.

Input: the small result files of :func:`toy_harness.run_toy`, one JSON per
(run, evaluation) with ``task``, ``method`` (the run name), ``seed`` and
``metrics``. Each evaluation has one headline number, in %:

=================  ==============================  ==========================
evaluation         metric                          paper
=================  ==============================  ==========================
correspondence     flip-correspondence accuracy    Sec. 4.6, Fig. 4
linear-probe       mIoU of a per-pixel linear map  (cheap dense protocol)
frozen-seg         mIoU of FCN on a frozen net     Table 4
frozen-seg, 4,000  the same FCN, 4 x as long       Table 4
detection          AP50 of fine-tuned Faster R-CNN Table 1 (VOC)
detection-d16      the same, layer4 at stride 16   Table 1 (VOC)
dense-retrieval    mIoU of k-NN patch retrieval    (Hummingbird protocol)
keypoints          COCO keypoint AP (mmpose)       Tables 8, 13
=================  ==============================  ==========================
"""
import statistics
from typing import Dict, List, Optional, Sequence, Tuple

from toy_harness import DETECTION_D16, scheduled_evaluation

from mmlc.evaluation.collect import load_results

# frozen segmentation trained 4 x its config's 1,000 iterations: the length
# at which the study compares networks pretrained for 4,800 iterations (at
# 1,000 the FCN of every network measured was still rising; docs/toy_study.md)
FROZEN_SEG_LONG = scheduled_evaluation('frozen-seg', 4000)
HEADLINE = {
    'correspondence': ('accuracy', 100.0, 'correspondence acc'),
    'linear-probe': ('mIoU', 1.0, 'linear probe mIoU'),
    'frozen-seg': ('mIoU', 1.0, 'frozen seg mIoU'),
    FROZEN_SEG_LONG: ('mIoU', 1.0, 'frozen seg mIoU, 4,000 it.'),
    'detection': ('pascal_voc/mAP', 100.0, 'det AP50'),
    DETECTION_D16: ('pascal_voc/mAP', 100.0, 'det AP50, stride-16 backbone'),
    'dense-retrieval': ('mIoU', 1.0, 'retrieval mIoU'),
    'keypoints': ('coco/AP', 100.0, 'keypoint AP'),
}


def load_toy_records(results_dir: str) -> List[Dict]:
    """Every result record under ``results_dir`` whose task has a headline
    metric."""
    return [r for r in load_results([results_dir]) if r['task'] in HEADLINE]


def headline(record: Dict) -> float:
    """The record's headline number in %."""
    metric, scale, _ = HEADLINE[record['task']]
    return float(record['metrics'][metric]) * scale


def group_values(records: Sequence[Dict],
                 groups: Dict[str, str]) -> Dict[str, Dict[str, List[float]]]:
    """``{group: {evaluation: [value per seed]}}`` for runs named in ``groups``
    (run name -> group name, e.g. ``byol_lr-0.03_seed-1`` -> ``BYOL``), in seed
    order."""
    values: Dict[str, Dict[str, List[Tuple[int, float]]]] = {}
    for record in records:
        group = groups.get(record['method'])
        if group is not None:
            values.setdefault(group, {}).setdefault(record['task'], []).append(
                (record.get('seed', 0), headline(record)))
    return {
        group: {
            task: [v for _, v in sorted(pairs)]
            for task, pairs in tasks.items()
        }
        for group, tasks in values.items()
    }


def mean_sd(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    if len(values) == 1:
        return values[0], 0.0
    return statistics.mean(values), statistics.stdev(values)


def format_cell(values: Sequence[float]) -> str:
    if not values:
        return '-'
    mean, sd = mean_sd(values)
    return f'{mean:.1f}' if len(
        values) == 1 else f'{mean:.1f} ± {sd:.1f} (n={len(values)})'


def measured(values: Dict[str, Dict[str, List[float]]]) -> List[str]:
    """The evaluations of :data:`HEADLINE` that any group has a result
    for, in HEADLINE's order."""
    return [e for e in HEADLINE if any(e in v for v in values.values())]


def summary_markdown(values: Dict[str, Dict[str, List[float]]],
                     order: Sequence[str],
                     evaluations: Optional[Sequence[str]] = None) -> str:
    """Rows in ``order`` (groups without results are left out), a column per
    evaluation (by default each one measured)."""
    evaluations = measured(values) if evaluations is None else evaluations
    header = ['method'] + [HEADLINE[e][2] for e in evaluations]
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for group in order:
        if group in values:
            cells = [
                format_cell(values[group].get(e, [])) for e in evaluations
            ]
            lines.append('| ' + ' | '.join([group] + cells) + ' |')
    return '\n'.join(lines) + '\n'


def _compare(values, better: str, worse: str,
             evaluation: str) -> Optional[Tuple[float, float]]:
    """(mean of ``better`` - mean of ``worse``, the larger of their sds, or
    None when either has a single seed); None where either has no result."""
    a = values.get(better, {}).get(evaluation)
    b = values.get(worse, {}).get(evaluation)
    if not a or not b:
        return None
    (mean_a, sd_a), (mean_b, sd_b) = mean_sd(a), mean_sd(b)
    both_have_sd = min(len(a), len(b)) > 1
    return mean_a - mean_b, max(sd_a, sd_b) if both_have_sd else None


def _signed(gap: float) -> str:
    """``+1.2``; a gap that rounds to zero keeps its sign: ``-0.02``."""
    return f'{gap:+.2f}' if abs(gap) < 0.05 else f'{gap:+.1f}'


def paper_ordering(values: Dict[str, Dict[str, List[float]]], lc: str,
                   byol: str, random: str) -> List[str]:
    """Sentences saying, claim by claim, whether the measured ordering is the
    paper's.

    Claims: LC-BYOL > BYOL on correspondence, frozen segmentation (at both
    lengths), the linear probe and keypoints (Table 8); both pretrained
    networks > random initialisation on the dense evaluations, and >= on
    detection (with either layer4 stride). A claim whose evaluation was not
    measured is left out. Each holding claim says whether the gap is larger
    than the larger standard deviation; a failing one says ``<``, or ``=``
    where the means are equal (e.g. every network's frozen FCN predicting
    only background).
    """
    dense = ('frozen-seg', FROZEN_SEG_LONG, 'linear-probe')
    claims = [(lc, byol, e, '>')
              for e in ('correspondence', ) + dense + ('keypoints', )]
    detection = ('detection', DETECTION_D16)
    claims += [(net, random, e, '>=' if e in detection else '>')
               for net in (lc, byol) for e in dense + detection]
    sentences = []
    for better, worse, evaluation, relation in claims:
        outcome = _compare(values, better, worse, evaluation)
        if outcome is None:
            continue
        gap, sd = outcome
        name = HEADLINE[evaluation][2]
        holds = gap >= 0 if relation == '>=' else gap > 0
        if holds:
            margin = ('one seed: no sd to compare with' if sd is None else
                      'by more than one sd' if gap > sd else 'within one sd')
            sentences.append(
                f'as in the paper: {better} {relation} {worse} on {name} '
                f'({_signed(gap)}, {margin})')
        else:
            observed = '=' if gap == 0 else '<'
            sentences.append(
                f'NOT as in the paper: {better} {observed} {worse} on {name} '
                f'({_signed(gap)})')
    return sentences


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def bar_heights(group_values: Dict[str, List[float]],
                evaluations: Sequence[str]) -> List[Tuple[float, float, int]]:
    """(mean, sd, number of seeds) of one group per evaluation. The mean is
    NaN, which matplotlib leaves out, where the group has no result, so a
    missing bar never reads as 0; the sd is NaN, so no error bar is drawn,
    where one seed cannot give one, so a single run never reads as exact."""
    heights = []
    for evaluation in evaluations:
        runs = group_values.get(evaluation, [])
        if len(runs) > 1:
            mean, sd = mean_sd(runs)
        else:
            mean, sd = (runs[0] if runs else float('nan')), float('nan')
        heights.append((mean, sd, len(runs)))
    return heights


def bar_chart(values: Dict[str, Dict[str, List[float]]],
              order: Sequence[str],
              out_file: str,
              title: str,
              evaluations: Optional[Sequence[str]] = None) -> None:
    """Grouped bars (mean) with error bars (sample sd), a group per
    evaluation (by default each one measured), each bar labelled with its
    number of seeds (``n=2``)."""
    import numpy as np
    evaluations = measured(values) if evaluations is None else evaluations
    plt = _pyplot()
    groups = [g for g in order if g in values]
    fig, ax = plt.subplots(figsize=(2.2 * len(evaluations) + 2, 4), dpi=100)
    width = 0.8 / max(len(groups), 1)
    for index, group in enumerate(groups):
        stats = bar_heights(values[group], evaluations)
        positions = np.arange(len(evaluations)) + index * width
        ax.bar(
            positions, [m for m, _, _ in stats],
            width,
            yerr=[s for _, s, _ in stats],
            capsize=3,
            label=group)
        for x, (mean, sd, runs) in zip(positions, stats):
            if runs:
                top = mean + (0.0 if np.isnan(sd) else sd)
                ax.annotate(
                    f'n={runs}', (x, top),
                    xytext=(0, 2),
                    textcoords='offset points',
                    ha='center',
                    fontsize=6)
    ax.set_xticks(np.arange(len(evaluations)) + 0.4 - width / 2)
    ax.set_xticklabels([HEADLINE[e][2] for e in evaluations], fontsize=8)
    ax.set_ylabel('%')
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def alpha_curve(
    points: Dict[float, Dict[str, float]],
    out_file: str,
    title: str,
    evaluations: Sequence[str] = ('correspondence', 'frozen-seg')
) -> None:
    """One line per evaluation against alpha (the shape of the paper's Fig.
    3b)."""
    plt = _pyplot()
    alphas = sorted(points)
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    for evaluation in evaluations:
        xs = [a for a in alphas if evaluation in points[a]]
        ax.plot(
            xs, [points[a][evaluation] for a in xs],
            marker='o',
            label=HEADLINE[evaluation][2])
    ax.set_xlabel('alpha (weight of L_LC)')
    ax.set_ylabel('%')
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)


def loss_curve_chart(curves: Dict[str, Dict[str, List[float]]], out_file: str,
                     title: str) -> None:
    """Training losses per run: ``{run: {'iter': [...], 'l_g': [...],
    ...}}``."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    for run, curve in curves.items():
        for key in ('l_g', 'l_lc', 'loss'):
            if key in curve and (key != 'loss' or 'l_g' not in curve):
                ax.plot(
                    curve['iter'],
                    curve[key],
                    label=f'{run} {key}',
                    linewidth=1)
    ax.set_xlabel('iteration')
    ax.set_ylabel('loss')
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_file)
    plt.close(fig)
