"""Start the bot the way ``faqbot run [--config PATH]`` does (the e2e tests run this file).

It makes exactly the call the command line makes, documented in ``bot/run.py``:
``run_bot(load_config(path), Engine.load(config.faq_path, threshold=..., margin=...))``.
"""

from __future__ import annotations

import argparse
import sys

from bot.config import ConfigError, load_config
from bot.run import run_bot
from faq import Engine


def main(argv: list[str]) -> int:
    """Parse ``[--config PATH]`` and run the bot until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="faqbot run")
    parser.add_argument("--config")
    options = parser.parse_args(argv)
    try:
        config = load_config(options.config)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    engine = Engine.load(config.faq_path, threshold=config.threshold, margin=config.margin)
    return run_bot(config, engine)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
