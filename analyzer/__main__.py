"""``python -m analyzer``: the same CLI as the ``analyzer`` command."""

from .cli import main

if __name__ == "__main__":
    main()
