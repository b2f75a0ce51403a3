"""Built-in commands that live in a module of their own (registered in engine/cli.py)."""
