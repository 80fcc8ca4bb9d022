"""Many signed-in people saving the same person's details at once, against a running server.

    python scripts/concurrent_saves.py http://127.0.0.1:8000 demo-national PASSWORD_FILE \
        DEMO-0000537 --sessions 9 [--download board.pdf --download board.xlsx]

Each session signs in through the real sign-in form, opens the person's details form, and
all press Save at the same moment (while the downloads named are fetched too). Prints how
many answers of each status came back: a healthy server gives one 303 (saved) and the
conflict page (409) for the others, and 200 for every download; never a 5xx.
"""

from __future__ import annotations

import argparse
import re
import threading
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _Form(HTMLParser):
    """The values a browser would send from the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.inside = self.inside or (tag == "form" and a.get("id") == "main-form")
        name = a.get("name")
        if not self.inside:
            return
        if tag == "input" and name and (a.get("type") != "radio" or "checked" in a):
            self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            self.values.setdefault(self.select, a.get("value", ""))
            if "selected" in a:
                self.values[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        if tag == "form":
            self.inside = False


def _signed_in(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=600)
    page = client.get("/sign-in")
    token = CSRF.search(page.text)
    if token is None:
        raise SystemExit("no sign-in form at " + base)
    answer = client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token[1]}
    )
    if answer.status_code != 303 or answer.headers["location"].startswith("/sign-in"):
        raise SystemExit(f"cannot sign in as {username}: {answer.status_code}")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("username")
    parser.add_argument("password_file", type=Path)
    parser.add_argument("person_id")
    parser.add_argument("--sessions", type=int, default=9)
    parser.add_argument("--download", action="append", default=[])
    args = parser.parse_args()
    password = args.password_file.read_text(encoding="utf-8").splitlines()[0]
    clients = [_signed_in(args.url, args.username, password) for _ in range(args.sessions)]
    path = f"/people/{args.person_id}/edit"
    forms = []
    for client in clients:
        form = _Form()
        form.feed(client.get(path).text)
        forms.append(form.values)
    start = threading.Barrier(len(clients) + len(args.download))
    answers: Counter[str] = Counter()
    lock = threading.Lock()

    def save(n: int) -> None:
        start.wait()
        values = forms[n] | {"given_name": f"{forms[n].get('given_name', '')}{n}"[:60]}
        status = clients[n].post(path, data=values).status_code
        with lock:
            answers[f"save {status}"] += 1

    readers = {name: _signed_in(args.url, args.username, password) for name in args.download}

    def download(name: str) -> None:
        client = readers[name]
        start.wait()
        status = client.get(f"/reports/{name}").status_code
        with lock:
            answers[f"{name} {status}"] += 1

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(clients))]
    threads += [threading.Thread(target=download, args=(name,)) for name in args.download]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key, count in sorted(answers.items()):
        print(f"{key}: {count}")


if __name__ == "__main__":
    main()
