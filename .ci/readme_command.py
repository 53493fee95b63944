"""Print one of the README's quick-start commands, so CI runs exactly what students run.

Usage: python3 .ci/readme_command.py {launch,test}

In README.md each command is the only line of the ```bash block that follows a
``<!-- command: NAME -->`` marker. Standard library only: it runs before any install.
"""

import re
import sys
from pathlib import Path

# The repository's paths belong to course_utils.paths, but this script runs with the system
# python3 before the course's environment (and so the package) is installed: it finds the
# README beside itself.
README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"<!-- command: (\w+) -->\s*```bash\n([^\n]+)\n```")


def readme_commands(text=None):
    """Map each marked command's name to its command line."""
    text = README.read_text(encoding="utf-8") if text is None else text
    return {name: line.strip() for name, line in BLOCK.findall(text)}


if __name__ == "__main__":
    commands = readme_commands()
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(commands)}}}")
    print(commands[sys.argv[1]])
