"""Sastrawi, with an exact shortcut for the words it would return unchanged.

Why: Sastrawi tries about forty prefix rules (each a regular expression) up to three times per
word before it gives up on a word it does not know (docs/design-notes.md). Process names carry
many words outside its root dictionary (place names, program names, brand-like coinages), and
for almost all of them Sastrawi returns the word as it was. The shortcut proves that outcome
without running the rules:

- Sastrawi's result is either the word itself or a word of its root dictionary (Context.execute:
  the current candidate if the dictionary has it, otherwise the original word);
- a word in the dictionary is returned at once (step 1 of the algorithm);
- every prefix rule (RemovePlainPrefix and the Disambiguator rules) is a regular expression
  anchored at the start of the word, beginning with one of the literals in ``_PREFIX_SHAPE``
  (di, ke, se, be, te, me, pe, ku, kau) or an infix shape (consonant + el/em/er/in + vowel);
  if the word does not start like that, no cut of its end does either, so no prefix is ever
  removed, and the precedence rule (be...lah, me...i, ...) does not apply;
- the suffix steps only cut the end (at most -lah/-kah/-tah/-pun, -ku/-mu/-nya and
  -i/-kan/-an/-is/-isme/-isasi: 11 letters) and the ECS loop only puts back an end or adds
  "k" after cutting -kan; so every candidate is ``word[:j]`` or ``word[:j] + "k"`` with
  ``j >= len(word) - 11``;
- when none of those candidates is in the dictionary, the result is the word itself.

A plain word without a prefix shape whose candidates do meet the dictionary (a made-up place
name ending like a suffix: "babasi", "bukuku") runs through Sastrawi's own stemming context
with no prefix rules: by the argument above no prefix rule ever applies to it or to any of its
candidates, so they only cost their forty regular expressions per pass (three passes per try,
most of Sastrawi's time), and the steps that remain are Sastrawi's code, in its order.

A plain word with a prefix shape runs through Sastrawi's stemming context too, where each
prefix rule is visited only when its pattern can match the word as it is at that step. Most
of Sastrawi's time is visiting its forty prefix rules, each a Python call that tries its
regular expressions and changes nothing. A rule whose code is, exactly, ``matches =
re.match(PATTERN, word)`` then ``if matches: ...`` (read from its source, ``_sole_pattern``)
changes nothing unless PATTERN matches, so one precompiled match of its patterns decides
whether to visit it; a rule of any other shape is always visited. The checks Sastrawi makes
after every visit are made before the next visit that runs (``_guarded_context``).

Anything else (hyphens, letters outside a-z that Sastrawi's own text normaliser would
rewrite, words of three letters or fewer) goes to Sastrawi. All three ways are checked
against Sastrawi over its whole dictionary, affixed forms and generated words
(tests/overlap/test_stemming.py and ``python -m probis.plugins.overlap.stemcheck``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

# Start of every Sastrawi prefix rule (Sastrawi/Morphology/Disambiguator, RemovePlainPrefix).
_PREFIX_SHAPE = re.compile(
    r"(?:di|ke|se|be|te|me|pe|ku|kau|[bcdfghjklmnpqrstvwxyz](?:el|em|er|in)[aiueo])"
)
_PLAIN_WORD = re.compile(r"[a-z]+")
# Longest chain of suffixes Sastrawi removes: particle (3) + possessive (3) + -isasi (5).
_MAX_SUFFIX = 11
# Sastrawi stops early on words of three letters or fewer; leave them to it.
_SHORT = 3


def sastrawi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("PySastrawi")
    except PackageNotFoundError:  # pragma: no cover - installed some other way
        return "unknown"


def _sole_pattern(disambiguator: Any, trees: dict[str, Any] | None = None) -> str | None:
    """The pattern of a disambiguator written as Sastrawi writes its rules, and nothing else:
    ``matches = re.match(PATTERN, word)`` then ``if matches: ...`` without an ``else``. Such a
    rule returns None (changes nothing) unless PATTERN matches the word. None when the code
    has any other shape (e.g. rule 4's ``if word == 'belajar'``) or cannot be read. The
    source is the class's module file, parsed once per file into ``trees``."""
    import ast
    import sys

    cls = type(disambiguator)
    method = cls.__dict__.get("disambiguate")
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    if method is None or path is None or getattr(module, "re", None) is not re:
        return None
    trees = {} if trees is None else trees
    if path not in trees:
        try:
            with open(path, encoding="utf-8") as source:
                trees[path] = ast.parse(source.read())
        except (OSError, ValueError, SyntaxError):
            trees[path] = None
    tree = trees[path]
    # the def the running method was compiled from: same name, class and first line
    function = next((node for top in (tree.body if tree is not None else [])
                     if isinstance(top, ast.ClassDef) and top.name == cls.__name__
                     for node in top.body if isinstance(node, ast.FunctionDef)
                     and node.name == "disambiguate"
                     and node.lineno == method.__code__.co_firstlineno
                     and not node.decorator_list), None)
    if function is None or len(function.args.args) != 2:
        return None
    word = function.args.args[1].arg
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if (len(body) != 2 or not isinstance(body[0], ast.Assign)
            or not isinstance(body[1], ast.If) or body[1].orelse):
        return None
    assign, test = body
    call = assign.value
    if not (len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name)
            and assign.targets[0].id == "matches" and isinstance(call, ast.Call)
            and not call.keywords and len(call.args) == 2
            and isinstance(call.func, ast.Attribute) and call.func.attr == "match"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "re"
            and isinstance(call.args[0], ast.Constant) and type(call.args[0].value) is str
            and isinstance(call.args[1], ast.Name) and call.args[1].id == word
            and isinstance(test.test, ast.Name) and test.test.id == "matches"):
        return None
    pattern: str = call.args[0].value
    return pattern


def _guard(visitor: Any, trees: dict[str, Any]) -> Callable[[str], Any] | None:
    """``match`` of a regular expression that matches every word ``visitor`` (a prefix rule)
    can change; None when that is not proven (the rule is then always visited)."""
    from Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule import (
        AbstractDisambiguatePrefixRule,
    )

    disambiguators = getattr(visitor, "disambiguators", None)
    if type(visitor).visit is not AbstractDisambiguatePrefixRule.visit or not disambiguators:
        return None
    patterns = [_sole_pattern(d, trees) for d in disambiguators]
    if any(p is None for p in patterns):
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns if p is not None)).match


class _Rules:
    """Sastrawi's visitor provider with the same visitor objects, its prefix rules either left
    out (the module docstring's second shortcut) or each with its guard (``_guard``, for
    ``_guarded_context``)."""

    def __init__(self, provider: Any, prefix_rules: bool) -> None:
        self._visitors = provider.get_visitors()
        self._suffix_visitors = provider.get_suffix_visitors()
        self._prefix_visitors = provider.get_prefix_visitors() if prefix_rules else []
        trees: dict[str, Any] = {}  # module file -> its syntax tree, parsed once
        self.guarded = [(v, _guard(v, trees)) for v in self._prefix_visitors]

    def get_visitors(self) -> list[Any]:
        return self._visitors

    def get_suffix_visitors(self) -> list[Any]:
        return self._suffix_visitors

    def get_prefix_visitors(self) -> list[Any]:
        return self._prefix_visitors


def _guarded_context(context_class: type) -> type:
    """Sastrawi's ``Context`` whose prefix step skips the rules whose guard rejects the
    current word. Exact: such a visit changes nothing, and the checks Sastrawi makes after
    each visit (root found, stopped, a prefix removed) are made on the unchanged word before
    the next rule that does run, as they would have been after the skipped ones."""

    class _GuardedContext(context_class):  # type: ignore[misc, valid-type]
        def accept_prefix_visitors(self, visitors: list[Any]) -> Any:
            provider = self.visitor_provider
            if visitors is not provider.get_prefix_visitors():  # pragma: no cover
                return super().accept_prefix_visitors(visitors)
            removals = len(self.removals)
            contains = self.dictionary.contains
            skipped = False
            for visitor, guard in provider.guarded:
                if guard is not None and guard(self.current_word) is None:
                    skipped = True
                    continue
                if skipped:  # the checks after the skipped visits
                    if contains(self.current_word) or self.process_is_stopped:
                        return self.current_word
                    skipped = False
                self.accept(visitor)
                if contains(self.current_word) or self.process_is_stopped:
                    return self.current_word
                if len(self.removals) > removals:
                    return None
            return None

    return _GuardedContext


class FastSastrawi:
    """Callable ``word -> stem`` with Sastrawi's results, skipping it when provably a no-op."""

    def __init__(self) -> None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        cached = StemmerFactory().create_stemmer()
        self._sastrawi: Callable[[str], str] = cached.stem
        # The very dictionary the stemmer consults, so a different Sastrawi data file is honoured.
        self._roots: Collection[str] = cached.delegatedStemmer.dictionary.words
        provider = cached.delegatedStemmer.visitor_provider
        self._suffix_cuts: list[Callable[[str], str]] = [
            v.remove for v in provider.get_suffix_visitors()
        ]
        from Sastrawi.Stemmer.Context.Context import Context

        self._context = Context
        self._dictionary = cached.delegatedStemmer.dictionary
        self._without_prefixes = _Rules(provider, prefix_rules=False)
        self._provider = provider
        self._guarded_rules: tuple[type, _Rules] | None = None  # made on first use
        self.shortcut_hits = 0
        self.suffix_only_hits = 0
        self.guarded_hits = 0

    def unchanged(self, word: str) -> bool:
        """True when Sastrawi provably returns ``word`` itself (see the module docstring)."""
        roots = self._roots
        if word in roots:
            return _PLAIN_WORD.fullmatch(word) is not None
        if len(word) <= _SHORT or not _PLAIN_WORD.fullmatch(word) or _PREFIX_SHAPE.match(word):
            return False
        current = word
        for cut in self._suffix_cuts:  # Sastrawi's own suffix rules, in its order
            current = cut(current)
            if current in roots or current + "k" in roots:
                return False
        return word + "k" not in roots

    def suffixes_only(self, word: str) -> bool:
        """True when no Sastrawi prefix rule can apply to ``word`` or to any word Sastrawi
        makes of it (a plain word of more than three letters without a prefix shape)."""
        return (len(word) > _SHORT and _PLAIN_WORD.fullmatch(word) is not None
                and _PREFIX_SHAPE.match(word) is None)

    def guarded(self, word: str) -> bool:
        """True for the other plain words of more than three letters: Sastrawi's stemming
        context, its prefix rules visited only where their pattern can match."""
        return len(word) > _SHORT and _PLAIN_WORD.fullmatch(word) is not None

    def __call__(self, word: str) -> str:
        if self.unchanged(word):
            self.shortcut_hits += 1
            return word
        if self.suffixes_only(word):
            # what Sastrawi's stemmer does with a plain word (its text normaliser leaves it
            # as it is; no hyphen, so not plural), without the prefix rules that cannot apply
            self.suffix_only_hits += 1
            return self._stem_in(self._context, self._without_prefixes, word)
        if self.guarded(word):
            # the same for a plain word with a prefix shape, visiting only the prefix rules
            # whose pattern can match the word as it is at that step (``_guarded_context``)
            self.guarded_hits += 1
            if self._guarded_rules is None:
                self._guarded_rules = (_guarded_context(self._context),
                                       _Rules(self._provider, prefix_rules=True))
            return self._stem_in(*self._guarded_rules, word)
        return self._sastrawi(word)

    def _stem_in(self, context_class: type, rules: _Rules, word: str) -> str:
        """Sastrawi's stemming context for one plain word, with ``rules``."""
        context = context_class(word, self._dictionary, rules)
        context.execute()
        stem: str = context.result
        return stem
