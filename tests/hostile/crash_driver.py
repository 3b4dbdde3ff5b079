"""A scripted triage session that says what it has done, for the SIGKILL tests to kill.

Run as `python -m tests.hostile.crash_driver DATA_DIR SEED OPS`. Each action is
announced (`BEGIN ...`) before its call and acknowledged (`ACK ...`) once the call
returned: an acknowledged action was durable, so the parent, which kills this
process at a random moment, knows exactly what must be there on reopening and
which single action was in flight. Compaction is forced every few actions, so
kills also land inside it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sources.models import Post
from tui.context import Context

TEXTS = [
    "Is acme down again? I cannot log in",
    "acme sync is broken, refund please",
    "Could acme add dark mode?",
    "love the new acme release",
    "Acme est en panne depuis ce matin ?",
    "هل يوجد تطبيق acme للهاتف؟",
]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    data, seed, ops = Path(argv[0]), int(argv[1]), int(argv[2])
    config = data.parent / "no-config.toml"
    rnd = random.Random(seed)
    ctx = Context.from_args(str(config), str(data))
    inbox = ctx.open_inbox()
    say(f"OPEN {len(inbox)}")
    open_ids = [m.id for m in inbox.mentions() if m.state == "open"]
    for i in range(ops):
        roll = rnd.random()
        if roll < 0.4 or not open_ids:
            ids = [f"ingest:{seed}-{i}-{j}" for j in range(rnd.randint(1, 20))]
            posts = [
                Post(id=pid, text=f"{rnd.choice(TEXTS)} #{pid}", author=f"u{rnd.randint(0, 30)}")
                for pid in ids
            ]
            say("BEGIN ingest " + ",".join(ids))
            inbox.ingest(posts)
            say("ACK ingest " + ",".join(ids))
            open_ids.extend(ids)
        elif roll < 0.6:
            mid = open_ids.pop(rnd.randrange(len(open_ids)))
            say(f"BEGIN done {mid}")
            inbox.done([mid])
            say(f"ACK done {mid}")
        elif roll < 0.7:
            mid = open_ids.pop(rnd.randrange(len(open_ids)))
            say(f"BEGIN spam {mid}")
            inbox.spam([mid])
            say(f"ACK spam {mid}")
        elif roll < 0.95:
            mid = rnd.choice(open_ids)
            text = f"draft {seed}-{i} for {mid}" + " typed" * rnd.randint(0, 40)
            say(f"BEGIN draft {mid} {text}")
            inbox.save_draft(mid, text)
            say(f"ACK draft {mid} {text}")
        else:
            say("BEGIN compact")
            inbox.store.compact()
            say("ACK compact")
    ctx.close()
    say("END")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
