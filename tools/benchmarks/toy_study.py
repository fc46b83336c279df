"""The small-scale study: the demo's comparison at a larger budget over several seeds.

    python tools/benchmarks/toy_study.py --work-dir work_dirs/toy_study \
        --seeds 0 1 2 --pretrain-iters 600 --methods lc-byol byol lc-byol-nocolor

Runs tools/demo.py's pipeline once per seed (LC-BYOL and BYOL pretraining with
the same budget, any ablation named in --methods, a random network, correspondence accuracy, a fine-tuned
detector and a frozen-backbone segmentor) and writes study.md with the mean ±
standard deviation over seeds. A seed whose folder already holds a finished
run (table.md) is reused, so an interrupted study resumes. Toy scale on the
CPU, not the paper's numbers.
"""
import argparse
import os.path as osp
import platform
import time

from mmlc.apis.demo import ABLATION_CONFIGS, PRETRAIN_CONFIGS, run_demo
from mmlc.evaluation import aggregate_tables, load_results, results_table, to_markdown
from mmlc.utils import write_text


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/toy_study')
    parser.add_argument('--data-root', default='data/toy')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--pretrain-iters', type=int, default=None)
    parser.add_argument('--downstream-iters', type=int, default=None)
    parser.add_argument('--methods', nargs='+', default=list(PRETRAIN_CONFIGS),
                        choices=list(PRETRAIN_CONFIGS) + list(ABLATION_CONFIGS),
                        help='pretraining methods to compare (a random network is always '
                        'included)')
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    start = time.perf_counter()
    configs = {**PRETRAIN_CONFIGS, **ABLATION_CONFIGS}
    methods = {method: configs[method] for method in args.methods}
    tables = []
    for seed in args.seeds:
        seed_dir = osp.join(args.work_dir, f'seed_{seed}')
        if osp.isfile(osp.join(seed_dir, 'table.md')):
            print(f'seed {seed}: reusing the finished run in {seed_dir}')
        else:
            run_demo(seed_dir, args.data_root, args.pretrain_iters, args.downstream_iters,
                     seed=seed, methods=methods)
        tables.append(results_table(load_results([osp.join(seed_dir, 'results')])))
    header, rows = aggregate_tables(tables)
    markdown = to_markdown(header, rows)
    minutes = (time.perf_counter() - start) / 60
    footer = (f'\nseeds {args.seeds}; pretrain iterations {args.pretrain_iters or "config"}; '
              f'downstream iterations {args.downstream_iters or "config"}; '
              f'methods {args.methods}; '
              f'{minutes:.0f} min on {platform.machine()} with {__import__("os").cpu_count()} '
              f'CPUs; {time.strftime("%Y-%m-%d")}\n')
    write_text(osp.join(args.work_dir, 'study.md'), markdown + footer)
    print(markdown + footer)
    return markdown


if __name__ == '__main__':
    main()
