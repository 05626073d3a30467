"""The ``jindianzi`` console command: one entry point for every operator task.

The subcommands are Django management commands in the apps that own them,
so ``jindianzi report ...`` and ``python manage.py report ...`` are the same
thing. This module only sets the environment up before Django starts (the data
directory decides which database and secret key are used).
"""

import argparse
import os
import sys

COMMANDS = {
    "serve": ("serve", "Apply pending migrations and serve the web app"),
    "demo": ("demo", "Build the demo district and edition if missing, print its accounts, and serve it"),
    "migrate": ("migrate", "Apply database migrations"),
    "createadmin": ("createadmin", "Create or update the back-office administrator from the environment"),
    "import": ("import_ideas", "Import ideas from an .xlsx file"),
    "export": ("export_ideas", "Export an edition's public idea data"),
    "report": ("report", "Print an edition's figures computed from the database"),
    "bench": ("bench", "Run a benchmark on generated data: bench similarity --n 100000 [--json]"),
    "check-integrity": ("check_integrity", "Walk the audit chain; name the first altered, removed or inserted record"),
}


def _split_data_dir(argv: list[str]) -> list[str]:
    """Take ``--data-dir DIR`` out of the arguments and export it before settings load."""
    rest, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--data-dir" and i + 1 < len(argv):
            os.environ["JINDIANZI_DATA_DIR"] = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--data-dir="):
            os.environ["JINDIANZI_DATA_DIR"] = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return rest


def _usage() -> str:
    lines = ["usage: jindianzi COMMAND [options] [--data-dir DIR]", "", "commands:"]
    lines += [f"  {name:<12} {help_}" for name, (_cmd, help_) in COMMANDS.items()]
    lines += [f"  {'django':<12} Run any Django management command (jindianzi django help)", "",
              "Data directory: --data-dir, else $JINDIANZI_DATA_DIR, else ./var"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = _split_data_dir(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jindianzi.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name == "django":
        command = rest
    elif name in COMMANDS:
        command = [COMMANDS[name][0], *rest]
    else:
        print(f"jindianzi: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["jindianzi", *command])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
