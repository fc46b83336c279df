"""Every shipped config resolves to the same settings as the recorded snapshot.

Refactoring how configs compose (``_base_`` pieces, inheritance) must not
change what they resolve to. ``tests/data/resolved_configs.json`` holds each
config's resolved dict; after an intended change, rewrite it with

    python tests/test_configs/test_resolved_configs.py --update

and let the diff of that file show what changed.
"""
import glob
import json
import os.path as osp
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SNAPSHOT = osp.join(REPO, 'tests', 'data', 'resolved_configs.json')


def shipped_configs():
    paths = glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    return sorted(
        osp.relpath(p, REPO) for p in paths
        if '_base_' not in p.split(osp.sep))


def resolved(path):
    """The config as plain JSON data (tuples become lists, as they compare)."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(REPO, path)).to_dict()
    return json.loads(json.dumps(cfg, sort_keys=True, default=repr))


def _differences(expected, actual, where=''):
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                yield f'{where}.{key}: removed'
            elif key not in expected:
                yield f'{where}.{key}: added'
            else:
                yield from _differences(expected[key], actual[key],
                                        f'{where}.{key}')
    elif expected != actual:
        yield f'{where}: {_short(expected)} -> {_short(actual)}'


def _short(value, width=100):
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + '...'


@pytest.fixture(scope='module')
def snapshot():
    with open(SNAPSHOT, encoding='utf-8') as f:
        return json.load(f)


def test_every_shipped_config_has_a_snapshot(snapshot):
    assert sorted(snapshot) == shipped_configs()


@pytest.mark.parametrize('path', shipped_configs())
def test_config_resolves_as_recorded(path, snapshot):
    changes = list(_differences(snapshot[path], resolved(path)))
    assert not changes, f'{path} resolves differently:\n' + '\n'.join(
        changes[:40])


def test_differences_name_the_key():
    old = {'model': {'alpha': 0.1, 'neck': {'c': 2}}, 'x': 1}
    new = {'model': {'alpha': 0.2, 'neck': {'c': 2}}, 'y': 1}
    assert list(_differences(
        old, new)) == ['.model.alpha: 0.1 -> 0.2', '.x: removed', '.y: added']


if __name__ == '__main__' and '--update' in sys.argv:
    with open(SNAPSHOT, 'w', encoding='utf-8') as f:
        json.dump({p: resolved(p)
                   for p in shipped_configs()},
                  f,
                  indent=1,
                  sort_keys=True)
        f.write('\n')
    print(f'wrote {SNAPSHOT}')
