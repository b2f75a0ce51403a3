"""Text-matching core of the overlap (tumpang tindih) rule set: OVL001 and OVL004.

Pure Python with no dependency on the probis engine, so it can be tested and benchmarked on
its own: ``lexicon`` loads the kamus (abbreviations, synonyms, generic and support words),
``normalize`` turns an Indonesian phrase into canonical tokens, and ``matcher`` finds the
pairs of processes that do the same work. The engine adapts workspace processes into
``matcher.ProcessRecord`` and turns ``matcher.OverlapPair`` into findings.
"""
