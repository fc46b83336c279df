"""Install mmlc.

Like the OpenMMLab packages, mmlc ships its ``configs/`` and ``tools/`` inside
the package under ``mmlc/.mim`` so that an installed (non-editable) mmlc still
finds them. In editable/develop mode they are symlinked, otherwise copied.
"""
import os
import os.path as osp
import shutil
import sys
import warnings
from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))
MIM_FOLDERS = ('configs', 'tools')


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(HERE, 'mmlc', 'version.py'), encoding='utf-8') as f:
        exec(compile(f.read(), 'mmlc/version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(fname: str) -> list:
    """Read one requirements file, following ``-r`` includes, skipping
    comments."""
    path = osp.join(HERE, fname)
    requirements = []
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            if line.startswith('-r '):
                include = osp.join(osp.dirname(fname), line[3:].strip())
                requirements.extend(parse_requirements(include))
            else:
                requirements.append(line)
    return requirements


def add_mim_extension() -> None:
    """Place ``configs/`` and ``tools/`` under ``mmlc/.mim``."""
    if 'develop' in sys.argv or 'editable_wheel' in sys.argv:
        mode = 'symlink'
    elif any(cmd in sys.argv for cmd in ('sdist', 'bdist_wheel', 'install')):
        mode = 'copy'
    else:
        return
    mim_root = osp.join(HERE, 'mmlc', '.mim')
    os.makedirs(mim_root, exist_ok=True)
    for folder in MIM_FOLDERS:
        src = osp.join(HERE, folder)
        dst = osp.join(mim_root, folder)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            try:
                os.symlink(
                    osp.relpath(src, mim_root), dst, target_is_directory=True)
                continue
            except OSError:
                warnings.warn(f'cannot symlink {dst}; copying instead')
        shutil.copytree(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmlc',
        version=get_version(),
        description='Self-supervised pretraining with a local contrastive '
        'loss '
        '(LC-BYOL) for detection and segmentation, on OpenMMLab',
        long_description=open(osp.join(HERE, 'README.md'),
                              encoding='utf-8').read(),
        long_description_content_type='text/markdown',
        license='Apache License 2.0',
        python_requires='>=3.8',
        packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
        include_package_data=True,
        package_data={
            'mmlc': [
                '.mim/configs/**/*.py', '.mim/tools/**/*.py',
                '.mim/tools/**/*.sh', '.mim/tools/*.py', '.mim/tools/*.sh'
            ]
        },
        install_requires=parse_requirements('requirements/runtime.txt'),
        extras_require={
            'all': parse_requirements('requirements.txt'),
            'tests': parse_requirements('requirements/tests.txt'),
            'optional': parse_requirements('requirements/optional.txt'),
            'mim': parse_requirements('requirements/mminstall.txt'),
        },
        zip_safe=False,
    )
