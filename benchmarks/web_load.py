"""Load on the web application: 20 people using the dashboard and organisation pages.

Builds (or reuses) the national demo (``--scale national``, board posts) or the national
all-levels demo (``--scale all-levels``, about a million appointments) in a PostgreSQL
database of its own, adds three users (national, regional, organisation), starts
``talentboard serve`` on a free loopback port with each ``--workers`` count in turn, signs
each simulated user in, then keeps 20 of them busy for 60 seconds: each in turn asks for
the dashboard or an organisation page of its scope. The load stays on 127.0.0.1, and stops
by itself at the deadline or after ``--max-requests``.

Latency percentiles (p50, p95, p99) and errors (any answer other than 200, or no answer)
go to the ``web_load`` section (national) or the ``web_load_all_levels`` section of
benchmarks/RESULTS.md with the command, machine and date. The first request to each page
of each scope warms the analysis cache and is timed separately. Goal: p95 at most 150 ms,
no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from _results import cpu_model, write_section

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECTIONS = {"national": "web_load", "all-levels": "web_load_all_levels"}
DATABASES = {"national": "talentboard_bench_web", "all-levels": "talentboard_bench_web_all"}
PASSWORD = "benchmark password " + "x" * 8
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def talentboard(*argv: str) -> str:
    done = subprocess.run(
        [str(BIN / "talentboard"), *argv], check=True, capture_output=True, text=True
    )
    return done.stdout


def prepare(base_url: str, scale: str) -> tuple[str, list[str]]:
    """The bench database (made once), its users, and the organisations with a board."""
    database = DATABASES[scale]
    admin = create_engine(
        base_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    url = base_url.rsplit("/", 1)[0] + f"/{database}"
    talentboard("init", "--db", url)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        demo = connection.execute(
            text("SELECT value FROM settings WHERE key = 'demo_as_at'")
        ).first()
    if demo is None:
        talentboard("demo", "--db", url, "--scale", scale, "--seed", "1")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE username LIKE 'bench-%'"))
        organisations = [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT DISTINCT p.ods_code FROM posts p "
                    "WHERE p.level = 'board' ORDER BY p.ods_code"
                )
            )
        ]
        region = connection.execute(
            text("SELECT region_code FROM organisations WHERE ods_code = :o"),
            {"o": organisations[0]},
        ).scalar_one()
    engine.dispose()
    secret = ROOT / "benchmarks" / ".work" / "password"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(PASSWORD + "\n")
    for name, options in (
        ("bench-national", ["--role", "national"]),
        ("bench-regional", ["--role", "regional", "--region", region]),
        ("bench-org", ["--role", "org_admin", "--org", organisations[0]]),
    ):
        talentboard("users", "add", name, *options, "--password-file", str(secret), "--db", url)
    return url, organisations


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    warm_up: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/sign-in")
    token = CSRF.search(page.text)
    assert token, "no CSRF token on the sign-in page"
    answer = await client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 303, f"sign-in as {username} failed: {answer.status_code}"


async def sign_in_everyone(base: str, usernames: list[str]) -> list[httpx.Cookies]:
    """Each simulated user's signed-in session, opened one after another before the clock
    starts: signing in checks an Argon2 hash (tens of milliseconds of CPU by design), and
    twenty people do not all sign in within the same second of their working day."""
    sessions = []
    for username in usernames:
        async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
            await sign_in(client, username)
            sessions.append(httpx.Cookies(client.cookies))
    return sessions


async def user(
    base: str,
    cookies: httpx.Cookies,
    username: str,
    pages: list[str],
    deadline: float,
    budget: list[int],
    tally: Tally,
    warmed: set[tuple[str, str]],
    seed: int,
    think: float,
) -> None:
    chooser = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, cookies=cookies) as client:
        # People already at work are part-way through reading a page when the clock
        # starts, not all clicking in the same millisecond.
        await asyncio.sleep(think * chooser.uniform(0.0, 1.5))
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            path = chooser.choice(pages)
            started = time.perf_counter()
            try:
                answer = await client.get(path)
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)
                continue
            elapsed = time.perf_counter() - started
            if answer.status_code != 200:
                tally.error(f"HTTP {answer.status_code}")
                continue
            key = (username, path if path == "/" else "/organisations")
            if key not in warmed:
                warmed.add(key)
                tally.warm_up.append(elapsed)
            else:
                tally.latencies.append(elapsed)
            if think:
                # A person reads the page before the next click: 0.5 to 1.5 times the mean.
                await asyncio.sleep(think * chooser.uniform(0.5, 1.5))


async def warm_every_page(base: str, scopes: dict[str, list[str]], workers: int = 1) -> None:
    """Every page of every scope, before the clock starts: the analysis each page needs is
    then cached, as it is on a server that has been running a while.

    Each worker process keeps its own, and a connection is served by whichever worker
    accepts it. With one worker, each page is asked for once. With several, each page is
    asked for by as many clients at once as there are workers, each request on a new
    connection, in three rounds, so that every worker has most pages kept."""
    no_reuse = httpx.Limits(max_keepalive_connections=0)

    async def one(username: str, pages: list[str]) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=300.0, limits=no_reuse) as client:
            await sign_in(client, username)
            for path in pages:
                answer = await client.get(path)
                assert answer.status_code == 200, f"{path}: {answer.status_code}"

    # The kernel does not share connections out evenly between the workers: three rounds.
    for _ in range(1 if workers == 1 else 3):
        for username, pages in scopes.items():
            await asyncio.gather(*(one(username, pages) for _ in range(workers)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Run:
    """One server configuration's results: each phase's reading time, tally and wall time."""

    workers: int
    warm_seconds: float
    phases: list[tuple[float, Tally, float]]
    load: tuple[float, float]


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while True:
        try:
            httpx.get(base + "/health/ready", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def run_once(args: argparse.Namespace, url: str, organisations: list[str], workers: int) -> Run:
    """Serve with ``workers`` processes, warm every page, then the two timed phases."""
    port = free_port()
    environment = os.environ | {
        "TALENTBOARD_SECRET_KEY": secrets.token_urlsafe(32),
        # Every simulated user signs in from 127.0.0.1 within the same minute.
        "TALENTBOARD_LOGIN_ATTEMPTS_PER_MINUTE": str(args.users * 4 + 10),
    }
    command = [str(BIN / "talentboard"), "serve", "--db", url, "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        load_before = os.getloadavg()[0]
        scopes = {
            "bench-national": ["/"] + [f"/organisations/{o}" for o in organisations],
            "bench-regional": ["/"] + [f"/organisations/{o}" for o in organisations[:1]],
            "bench-org": ["/", f"/organisations/{organisations[0]}"],
        }
        names = list(scopes)
        warmed: set[tuple[str, str]] = set()
        warm_started = time.monotonic()
        asyncio.run(warm_every_page(base, scopes, workers))
        warm_seconds = time.monotonic() - warm_started
        usernames = [names[i % len(names)] for i in range(args.users)]
        sessions = asyncio.run(sign_in_everyone(base, usernames))

        def phase(think: float) -> tuple[Tally, float]:
            tally = Tally()
            budget = [args.max_requests]

            async def run_all() -> float:
                started = time.monotonic()
                end = started + args.seconds
                await asyncio.gather(
                    *(
                        user(
                            base,
                            sessions[i],
                            usernames[i],
                            scopes[usernames[i]],
                            end,
                            budget,
                            tally,
                            warmed,
                            i,
                            think,
                        )
                        for i in range(args.users)
                    )
                )
                return time.monotonic() - started

            return tally, asyncio.run(run_all())

        phases = [(args.think, *phase(args.think)), (0.0, *phase(0.0))]
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=60)
    return Run(workers, warm_seconds, phases, (load_before, load_after))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TALENTBOARD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
        help="A PostgreSQL URL whose server holds the bench database.",
    )
    parser.add_argument(
        "--scale",
        choices=sorted(DATABASES),
        default="national",
        help="The demo the server holds: national board posts, or every level.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="Worker process counts to serve with, one run each (for example 1 2).",
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument(
        "--think", type=float, default=1.0, help="Mean seconds a user reads a page."
    )
    parser.add_argument("--no-write", action="store_true", help="Print, do not write RESULTS.md.")
    args = parser.parse_args()

    url, organisations = prepare(args.postgres, args.scale)
    runs = [run_once(args, url, organisations, workers) for workers in args.workers]

    rows = []
    verdicts = []
    notes = []
    for run in runs:
        for think, tally, wall in run.phases:
            done = len(tally.latencies)
            errors = sum(tally.errors.values())
            p50, p95, p99 = (percentile(tally.latencies, q) * 1000 for q in (50, 95, 99))
            rows.append(
                f"| {run.workers} | {think:.1f} s | {done:,} | {done / wall:.1f} | {p50:.0f} ms "
                f"| {p95:.0f} ms | {p99:.0f} ms | {errors} |"
            )
        main_tally = run.phases[0][1]
        main_p95 = percentile(main_tally.latencies, 95) * 1000
        met = "met" if main_p95 <= 150 and not main_tally.errors else "**not met**"
        verdicts.append(f"{run.workers} worker{'s' if run.workers > 1 else ''}: {met}")
        warm_up = [t for _, tally, _ in run.phases for t in tally.warm_up]
        error_kinds = {k: v for _, tally, _ in run.phases for k, v in tally.errors.items()}
        warm_median = statistics.median(warm_up) * 1000 if warm_up else 0.0
        notes.append(
            f"- {run.workers} worker{'s' if run.workers > 1 else ''}: every page of every "
            f"scope asked for before the clock ({run.warm_seconds:.0f} s); first requests of "
            f"each user to each page kind left out ({len(warm_up)}, median "
            f"{warm_median:.0f} ms); errors by kind: {error_kinds or 'none'}; load average "
            f"{run.load[0]:.1f} at the start, {run.load[1]:.1f} at the end."
        )
    table = "\n".join(rows)
    demo = {
        "national": "the national demo in PostgreSQL (`talentboard demo --scale national "
        "--seed 1`, board posts)",
        "all-levels": "the national all-levels demo in PostgreSQL (`talentboard demo --scale "
        "all-levels --seed 1`: 135,661 posts, 866,922 people, 996,296 appointments)",
    }[args.scale]
    title = {
        "national": "Web application under load (`web_load`)",
        "all-levels": "Web application under load at all levels (`web_load --scale all-levels`)",
    }[args.scale]
    command = "`.venv/bin/python benchmarks/web_load.py"
    if args.scale != "national":
        command += f" --scale {args.scale}"
    if args.workers != [1]:
        command += " --workers " + " ".join(str(w) for w in args.workers)
    command += "` (PostgreSQL at 127.0.0.1:5432)"
    body = f"""## {title}

{args.users} signed-in users (national, regional and organisation accounts in turn), each
asking for the dashboard or an organisation page of their scope, for {args.seconds:.0f} s,
against `talentboard serve --workers N` on {demo}, over loopback. First with each user
reading a page for {args.think:.1f} s on average before the next (0.5 to 1.5 times that),
then, as a stress test, with no pause at all.

| workers | reading time | requests | per second | p50 | p95 | p99 | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|
{table}

- Goal p95 at most 150 ms and no errors, for {args.users} users reading pages:
  {"; ".join(verdicts)}.
- With no pause, {args.users} requests are always waiting, so the latency is the queue:
  about {args.users} divided by the requests per second.
- Each user's first request came at a random moment within their first reading time
  (0 to 1.5 times the mean), as for people already using the service.
- Before the clock started, each simulated user signed in (one after another, as people
  start their day; signing in is not part of what is timed), and every page of every
  scope was asked for, so what the server keeps for each
  (docs/adr/0003-what-the-web-app-keeps-between-requests.md) is there, as on a server
  that has been running a while; the first request of each user to each page kind is also
  left out:
{chr(10).join(notes)}
- Command: {command}
- Machine: {os.cpu_count()} cores (nproc), {cpu_model()}; Python {platform.python_version()};
  the machine is shared, and the load generator runs on the same cores as the server.
- Date: {dt.date.today().isoformat()}
"""
    print(body)
    if not args.no_write:
        write_section(SECTIONS[args.scale], body)


if __name__ == "__main__":
    main()
