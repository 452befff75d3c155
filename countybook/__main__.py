"""Command line: python -m countybook validate | years | run | extract | add."""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import DataError

# Each command lives in its own module, which offers <command>_main(args) -> exit code and may
# offer add_<command>_arguments(parser). Only the module of the command being run is imported
# (an unchanged `run` then never loads pandas); --help and mistakes import them all.
COMMANDS = {
    "validate": ("countybook.data.summary", "Check data/ against its schemas and print a summary."),
    "years": ("countybook.data.summary", "List the years that hold figures."),
    "run": ("countybook.run.runner", "Execute the notebooks for a year into book/chapters/."),
    "extract": ("countybook.intake.extract", "Propose figures from a new report's text, for review."),
    "add": ("countybook.intake.add", "Merge reviewed figures into data/."),
}


def _chosen_command(argv: list[str]) -> str | None:
    """The command named by argv when it is the first argument; None otherwise (help, typos)."""
    if argv and argv[0] in COMMANDS:
        return argv[0]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m countybook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = _chosen_command(argv)
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(module_name=module_name)
        if chosen is None or name == chosen:
            module = importlib.import_module(module_name)
            getattr(module, f"add_{name}_arguments", lambda parser: None)(command)
    args = parser.parse_args(argv)
    module = importlib.import_module(args.module_name)
    try:
        return getattr(module, f"{args.command}_main")(args)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
