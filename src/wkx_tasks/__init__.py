"""wkx-tasks: a command-line tracker for government work plans kept as YAML files in git."""

__version__ = "0.1.0"
