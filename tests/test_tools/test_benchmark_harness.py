"""The benchmark harnesses run and report what they claim (no timing
asserted)."""
import os.path as osp

from overhead_profiler import (benchmark_lc_loss, benchmark_pipelines,
                               compare_configs)

from mmlc.evaluation.images import list_images


def test_compare_configs_reports_both_and_more_flops_for_lc(repo_root):
    byol = osp.join(repo_root, 'configs', 'byol',
                    'byol_resnet18_1xb16-300iter_toy.py')
    lc = osp.join(repo_root, 'configs', 'lc_byol',
                  'lc-byol_resnet18_1xb16-300iter_toy.py')
    report = compare_configs(
        byol, lc, batch_size=2, img_size=64, iters=1, warmup=0)
    for key in ('a', 'b'):
        assert report[key]['time']['median_s'] > 0
        assert report[key]['gflops'] > 0
    # the local branch adds FLOPs: 1 < ratio
    assert report['ratio_b_over_a']['flops'] > 1.0


def test_lc_loss_benchmark_covers_both_forms():
    rows = benchmark_lc_loss(
        grids=(4, 8),
        batch_size=2,
        channels=8,
        repeats=1,
        skip_direct_above=2 * 8**4 - 1)
    assert [(r['grid'], r['impl'], r['skipped'])
            for r in rows] == [(4, 'direct', False), (4, 'chunked', False),
                               (8, 'direct', True), (8, 'chunked', False)]


def test_pipeline_benchmark_runs_both_pipelines(repo_root, toy_root):
    byol = osp.join(repo_root, 'configs', 'byol',
                    'byol_resnet18_1xb16-300iter_toy.py')
    lc = osp.join(repo_root, 'configs', 'lc_byol',
                  'lc-byol_resnet18_1xb16-300iter_toy.py')
    paths = list_images(osp.join(toy_root, 'imagenet', 'train'))[:4]
    report = benchmark_pipelines(byol, lc, paths, rounds=1)
    assert report['a']['images_per_s'] > 0 and report['b']['images_per_s'] > 0
