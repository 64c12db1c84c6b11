"""wkx-tasks: a command-line tracker for government work plans kept as YAML files in git."""

__version__ = "0.1.0"

# Whether Pydantic looks for its plugins when it builds wkx's validators (models.build): the first build scans
# every installed package's entry points (~10 ms, more in a big environment). The `wkx` command line turns this
# off for its own process (cli.main), as Typer does for the adapters it builds; a program that imports
# wkx_tasks keeps Pydantic's default, so its plugins see wkx's models as they see its own.
PYDANTIC_PLUGINS = True
