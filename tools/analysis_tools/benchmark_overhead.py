"""Step time, peak memory and FLOPs of two pretraining configs, side by side.

    python tools/analysis_tools/benchmark_overhead.py \
        configs/byol/byol_resnet50_16xb256-coslr-300e_in1k.py \
        configs/lc_byol/lc-byol_resnet50_16xb256-coslr-400e_in1k.py \
        --batch-size 4 --img-size 224 --iters 10 [--device cuda --amp] [--out
        report.json]

Full training steps (forward, backward, optimizer step, EMA update) on one
synthetic batch, A and B alternated after warm-up; reports per-step median
and quartiles, the median of the pairwise ratios B/A, peak memory (CUDA
max-allocated on a GPU, peak RSS on the CPU) and forward FLOPs.
"""
import argparse
import os.path as osp

from overhead_profiler import compare_configs

from mmlc.utils import write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config_a')
    parser.add_argument('config_b')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp', action='store_true')
    parser.add_argument('--out', help='write the report as JSON')
    return parser.parse_args(argv)


def format_report(report: dict) -> str:
    lines = [
        '| config | step median (s) | q1-q3 (s) | peak memory (MB) | GFLOPs |',
        '|---|---|---|---|---|'
    ]
    for key in ('a', 'b'):
        entry = report[key]
        t = entry['time']
        lines.append(
            f'| {osp.basename(entry["config"])} | {t["median_s"]:.3f} | '
            f'{t["q1_s"]:.3f}-{t["q3_s"]:.3f} | {entry["peak_memory_mb"]:.0f} '
            f'| '
            f'{entry["gflops"]:.2f} |')
    ratio = report['ratio_b_over_a']
    lines.append(
        f'| B / A | {ratio["step_time_median_of_pairs"]:.3f} (median of '
        f'pairs) | | '
        f'{ratio["peak_memory"]:.3f} | {ratio["flops"]:.4f} |')
    return '\n'.join(lines)


def main(argv=None) -> dict:
    args = parse_args(argv)
    report = compare_configs(args.config_a, args.config_b, args.batch_size,
                             args.img_size, args.iters, args.warmup,
                             args.device, args.amp)
    print(format_report(report))
    if args.out:
        write_json(args.out, report)
    return report


if __name__ == '__main__':
    main()
