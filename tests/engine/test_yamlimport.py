"""engine/yamlimport.py: PyYAML imported without compiling its pure-Python reader's
expression, which still answers as the compiled one does when a plugin uses that reader."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
import yaml.reader
from probis.engine import yamlimport, yamlload  # noqa: F401 (imports PyYAML first here)

SAMPLES = ["plain text", "tab\tand\nnewline", "bell\x07", "nul\x00", "del\x7f", "\x85nel",
           "surrogate-free \ud7ff", "\ufffe", "astral \U0001f600", "c1 \x9f", ""]


def test_the_reader_is_not_compiled_when_probis_imports_yaml() -> None:
    code = ("import re, sys\n"
            "import probis.engine.yamlload\n"
            "import yaml.reader\n"
            "pattern = yaml.reader.Reader.NON_PRINTABLE\n"
            "print(type(pattern).__name__, pattern._compiled is None, re.compile is "
            "probis.engine.yamlimport._compile)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["LazyPattern", "True", "True"]


def test_the_lazy_pattern_answers_as_the_compiled_one() -> None:
    lazy = yamlimport.LazyPattern(yaml.reader.Reader.NON_PRINTABLE.pattern, 0)
    compiled = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern)
    for sample in SAMPLES:
        ours, theirs = lazy.search(sample), compiled.search(sample)
        assert (ours and (ours.start(), ours.group())) == (theirs and (theirs.start(),
                                                                       theirs.group()))
    assert lazy.findall("a\x07b\x00") == compiled.findall("a\x07b\x00")
    assert (lazy.pattern, lazy.flags) == (compiled.pattern, compiled.flags)


def test_the_pure_python_loader_still_refuses_special_characters() -> None:
    with pytest.raises(yaml.reader.ReaderError, match="special characters are not allowed"):
        yaml.load("a: b\x07", Loader=yaml.SafeLoader)
    assert yaml.load("a: b", Loader=yaml.SafeLoader) == {"a": "b"}


def test_re_compile_is_itself_again() -> None:
    assert re.compile is yamlimport._compile
    assert isinstance(re.compile("x"), re.Pattern)
