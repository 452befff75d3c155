"""Command line: python -m countybook validate | years | run | pdf | extract | add."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import signal
import sys
from types import MappingProxyType

from .errors import DataError, describe_os_error

# Each command lives in its own module, which offers <command>_main(args) -> exit code and may
# offer add_<command>_arguments(parser). Only the module of the command being run is imported
# (an unchanged `run` then never loads pandas); --help and mistakes import them all.
COMMANDS = MappingProxyType(
    {
        "validate": ("countybook.data.summary", "Check data/ against its schemas and print a summary."),
        "years": ("countybook.data.summary", "List the years that hold figures."),
        "run": ("countybook.run.command", "Execute the notebooks for a year into book/chapters/."),
        "pdf": ("countybook.run.pdf", "Print the built books as A4 PDFs into _build/pdf/."),
        "extract": ("countybook.intake.extract_cli", "Propose figures from a new report's text, for review."),
        "add": ("countybook.intake.add", "Merge reviewed figures into data/."),
    }
)


def _chosen_command(argv: list[str]) -> str | None:
    """The command named by argv when it is the first argument; None otherwise (help, typos)."""
    if argv and argv[0] in COMMANDS:
        return argv[0]
    return None


# What Ctrl-C (or SIGTERM) leaves behind, per command: each writes nothing until its last step,
# which is atomic (run's swap, add's replace_all), so an interruption changes nothing.
INTERRUPTED = MappingProxyType(
    {
        "run": "interrupted; the edition was left as it was",
        "add": "interrupted; nothing was changed in the data folder",
        "pdf": "interrupted; no PDF was replaced",  # = intake.add.NOTHING_CHANGED
    }
)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a command cut off by `| head` usually reports


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (the terminal closed), raised like Ctrl-C so that the same clean-up runs
    (kernels, temporary folders, connection files); Python would otherwise end without it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum


def _on_signal(signum, frame):
    raise Terminated(signum)


def _printable_streams() -> None:
    """Output that the terminal's encoding cannot show (PYTHONIOENCODING=ascii, a C locale on
    an old system) is escaped instead of ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "灌云".encode(stream.encoding or "ascii")
        except (LookupError, UnicodeEncodeError):
            # A replaced sys.stdout (a test's capture, a pipe wrapper) may not be reconfigurable.
            if isinstance(stream, io.TextIOWrapper):
                with contextlib.suppress(ValueError):
                    stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
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
    previous_handlers = _catch_termination()
    try:
        from . import cli_paths  # here, not at the top: `run` alone then loads no more than it needs

        module = importlib.import_module(args.module_name)
        # Every path argument of every command, before any work: a refused path is a usage error.
        refused = cli_paths.refusal(args, getattr(module, f"{args.command}_writes", None))
        if refused:
            print(refused, file=sys.stderr)
            return cli_paths.EXIT_USAGE
        return getattr(module, f"{args.command}_main")(args)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        print(INTERRUPTED.get(args.command, "interrupted"), file=sys.stderr)
        return err.exit_code if isinstance(err, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`validate | head`): nothing more to say to anyone. Point stdout at
        # nowhere, or Python's final flush at exit would fail on the closed pipe once more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as err:
        print(describe_os_error(err), file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - one line instead of a traceback; debug on request
        if os.environ.get("COUNTYBOOK_DEBUG"):
            raise
        print(
            f"unexpected error: {type(err).__name__}: {_first_line(err)} "
            "(set COUNTYBOOK_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 1
    finally:
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)


def _catch_termination() -> dict:
    """Handle SIGTERM and SIGHUP like Ctrl-C; the handlers they replace, to put back."""
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)  # no SIGHUP on Windows
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, _on_signal)
        except ValueError:  # not the main thread (main() called from a test's thread)
            break
    return previous


def _first_line(err: BaseException) -> str:
    lines = [line for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else ""


if __name__ == "__main__":
    sys.exit(main())
