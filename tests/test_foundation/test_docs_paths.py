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
ANCHOR_LINK = re.compile(r'\]\(([^)#\s]*)#([^)\s]+)\)')
HEADING = re.compile(r'^#{1,6}\s+(.*?)\s*#*\s*$')


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


def heading_anchors(markdown):
    """The anchors GitHub gives a Markdown text's headings: lower case,
    punctuation other than '-' and '_' dropped, spaces made '-', a repeated
    anchor suffixed '-1', '-2', ...; lines inside fenced code are not
    headings."""
    anchors, seen, in_fence = set(), {}, False
    for line in markdown.splitlines():
        if line.lstrip().startswith(('```', '~~~')):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match is None:
            continue
        slug = re.sub(r'[^\w\- ]', '', match.group(1).lower())
        slug = slug.replace(' ', '-')
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f'{slug}-{count}')
    return anchors


def test_heading_anchors_follow_github():
    text = '\n'.join([
        '# Evaluation: tools, the demo', '',
        '## 5. bfloat16 autocast on a CPU (`CpuAutocastOptimWrapper`)',
        '```bash', '# a comment, not a heading', '```',
        '#### Main comparison at 4,800 iterations (seed 0)',
        '### Main comparison at 4,800 iterations (seed 0)', 'text # not one'
    ])
    assert heading_anchors(text) == {
        'evaluation-tools-the-demo',
        '5-bfloat16-autocast-on-a-cpu-cpuautocastoptimwrapper',
        'main-comparison-at-4800-iterations-seed-0',
        'main-comparison-at-4800-iterations-seed-0-1',
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


def test_every_anchor_named_in_the_docs_exists(repo_root):
    missing, anchors_of = [], {}
    for doc in _markdown_files(repo_root):
        with open(doc, encoding='utf-8') as f:
            text = f.read()
        for target, anchor in ANCHOR_LINK.findall(text):
            if '://' in target:
                continue
            page = osp.normpath(
                osp.join(osp.dirname(doc), target) if target else doc)
            where = f'{osp.relpath(doc, repo_root)}: {target}#{anchor}'
            if not osp.isfile(page):
                missing.append(where + ' (no such page)')
                continue
            if page not in anchors_of:
                with open(page, encoding='utf-8') as f:
                    anchors_of[page] = heading_anchors(f.read())
            if anchor not in anchors_of[page]:
                missing.append(where)
    assert not missing, ('section links in the docs whose heading does not '
                         'exist:\n' + '\n'.join(missing))


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
