"""``faq/`` is pure Python: importing and using it loads no Telegram code."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import faq
from faq import evaluation, loader, matcher, reply, safety, text
faq.answer("wats a cerclarge")
leaked = sorted(name for name in sys.modules if name.split(".")[0] in {"telegram", "bot"})
print(",".join(leaked))
"""


def test_faq_package_imports_no_telegram_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_the_probe_would_see_telegram_if_it_were_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import telegram\n" + PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "telegram" in done.stdout.split(",")
