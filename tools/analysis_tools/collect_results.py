"""Collect result JSONs (benchmarks, correspondence, few-shot) into paper-style
tables.

    python tools/analysis_tools/collect_results.py WORK_DIR [WORK_DIR ...] \
        [--markdown table.md] [--csv table.csv]
"""
import argparse

from mmlc.evaluation import load_results, results_table, to_csv, to_markdown
from mmlc.utils import write_text


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'work_dirs', nargs='+', help='folders (searched recursively) or files')
    parser.add_argument('--markdown', help='write the Markdown table here')
    parser.add_argument('--csv', help='write the CSV table here')
    return parser.parse_args(argv)


def main(argv=None) -> str:
    args = parse_args(argv)
    header, rows = results_table(load_results(args.work_dirs))
    markdown = to_markdown(header, rows)
    print(markdown, end='')
    if args.markdown:
        write_text(args.markdown, markdown)
    if args.csv:
        write_text(args.csv, to_csv(header, rows))
    return markdown


if __name__ == '__main__':
    main()
