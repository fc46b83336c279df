"""The direct and the chunked (memory-linear) LC-loss side by side, by grid
size.

    python tools/analysis_tools/benchmark_lc_loss.py --grids 7 14 28 56 \
        --batch-size 32 --channels 256 [--device cuda] [--out report.json]

Forward + backward time (median of --repeats) and extra peak memory
(CUDA max-allocated, or peak RSS on the CPU) for each grid and form.
"""
import argparse

from overhead_profiler import benchmark_lc_loss

from mmlc.utils import write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--grids', type=int, nargs='+', default=[7, 14, 28, 56])
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--channels', type=int, default=256)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--skip-direct-above',
        type=int,
        default=10**9,
        help='leave out the direct form above this many B*N_t*N_o pairs')
    parser.add_argument('--out')
    return parser.parse_args(argv)


def main(argv=None) -> list:
    args = parse_args(argv)
    rows = benchmark_lc_loss(
        args.grids,
        args.batch_size,
        args.channels,
        args.device,
        args.repeats,
        skip_direct_above=args.skip_direct_above)
    print(
        '| grid | form | pairs B*Nt*No | fwd+bwd (s) | extra peak memory (MB) '
        '|')
    print('|---|---|---|---|---|')
    for row in rows:
        if row['skipped']:
            print(f'| {row["grid"]}x{row["grid"]} | {row["impl"]} | '
                  f'{row["pairs"]:,} | skipped | |')
        else:
            print(f'| {row["grid"]}x{row["grid"]} | {row["impl"]} | '
                  f'{row["pairs"]:,} | '
                  f'{row["time_s"]:.3f} | {row["peak_extra_mb"]:.0f} |')
    if args.out:
        write_json(
            args.out,
            dict(
                batch_size=args.batch_size,
                channels=args.channels,
                device=args.device,
                rows=rows))
    return rows


if __name__ == '__main__':
    main()
