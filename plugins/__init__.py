"""Built-in rule sets of probis, each a plugin registered through the ``probis`` entry points
exactly like a third-party plugin (see pyproject.toml, ``[project.entry-points.probis]``)."""
