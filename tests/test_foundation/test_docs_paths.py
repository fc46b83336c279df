"""Every repository path the docs name exists, and the model-zoo metafile
points at real files."""
import glob
import os.path as osp
import re

import pytest
import yaml

TOP_LEVEL = ('configs', 'tools', 'mmlc', 'docs', 'tests', 'requirements')
PATH = re.compile(r'(?<![\w./-])((?:%s)/[\w./{},*-]*\w)' % '|'.join(TOP_LEVEL))
LINK = re.compile(r'\]\(([^)#\s]+)(?:#[^)]*)?\)')


def expand_braces(text):
    """``a{b,c}d`` -> ``['abd', 'acd']`` (nested and repeated groups too)."""
    match = re.search(r'\{([^{}]*)\}', text)
    if match is None:
        return [text]
    head, tail = text[:match.start()], text[match.end():]
    return [
        path for option in match.group(1).split(',')
        for path in expand_braces(head + option + tail)
    ]


def named_paths(markdown):
    """Repository paths a Markdown text names: bare ones and relative link
    targets."""
    paths = set(PATH.findall(markdown))
    paths |= {
        target
        for target in LINK.findall(markdown) if '://' not in target
    }
    return paths


def _exists(base, path):
    found = glob.glob(osp.join(
        base, path)) if '*' in path else [osp.join(base, path)]
    return any(osp.exists(p) for p in found)


def test_brace_expansion_and_path_finding():
    assert expand_braces('x/{a,b}_{1,2}.py') == [
        'x/a_1.py', 'x/a_2.py', 'x/b_1.py', 'x/b_2.py'
    ]
    text = (
        'see `configs/_base_/models/{byol,lc-byol}_r18.py` and '
        '[t](transfer.md#x), '
        'not work_dirs/a.pth nor mmlc_extra/x or https://example.org/docs/a.md'
    )
    assert named_paths(text) == {
        'configs/_base_/models/{byol,lc-byol}_r18.py', 'transfer.md'
    }


def _markdown_files(repo_root):
    files = [osp.join(repo_root, 'README.md')]
    files += sorted(glob.glob(osp.join(repo_root, 'docs', '*.md')))
    files += sorted(
        glob.glob(
            osp.join(repo_root, 'configs', '**', 'README.md'), recursive=True))
    return files


def test_every_path_named_in_the_docs_exists(repo_root):
    missing = []
    for doc in _markdown_files(repo_root):
        with open(doc, encoding='utf-8') as f:
            text = f.read()
        for named in named_paths(text):
            for path in expand_braces(named):
                # a repository path from the root, else relative to the
                # Markdown file
                if not (_exists(repo_root, path)
                        or _exists(osp.dirname(doc), path)):
                    missing.append(f'{osp.relpath(doc, repo_root)}: {path}')
    assert not missing, ('paths named in the docs that do not exist:\n' +
                         '\n'.join(missing))


@pytest.mark.parametrize('folder', ['lc_byol'])
def test_metafile_names_real_configs(repo_root, folder):
    with open(
            osp.join(repo_root, 'configs', folder, 'metafile.yml'),
            encoding='utf-8') as f:
        meta = yaml.safe_load(f)
    collections = {c['Name']: c for c in meta['Collections']}
    for collection in collections.values():
        assert osp.isfile(osp.join(repo_root, collection['README']))
    listed = set()
    for model in meta['Models']:
        assert model['In Collection'] in collections, model['Name']
        assert osp.isfile(osp.join(repo_root,
                                   model['Config'])), model['Config']
        assert osp.basename(model['Config']) == model['Name'] + '.py'
        for result in model['Results'] or []:
            assert all(
                isinstance(v, (int, float))
                for v in result['Metrics'].values())
        listed.add(model['Name'])
    assert 'lc-byol_resnet50_16xb256-coslr-400e_in1k' in listed
