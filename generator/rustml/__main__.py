"""``python -m rustml``."""

from rustml._cli import main

main()
