"""Rule files (data): durable-rules conditions with rule metadata, one rule per file.

Shipped as package data of ``probis.rules`` so a non-editable install finds them.
"""
