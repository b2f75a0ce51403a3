"""Built-in commands, one small module each, registered by one line in engine/cli.py."""
