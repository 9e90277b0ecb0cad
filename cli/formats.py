"""CLI commands for feeds and link-only entries (`feeds add|list|remove|refresh`,
`fetch-links`), through the Library facade."""
from __future__ import annotations

import sys
from dataclasses import asdict

EXIT_OK, EXIT_FAILED = 0, 1


def add_commands(add) -> None:
    """Register the subcommands on the main parser through its `add(name, help)`."""
    sp = add("feeds", "RSS/Atom subscriptions: add URL|FILE.opml, list, remove ID|URL, "
             "refresh [ID...]")
    sp.add_argument("action", choices=["add", "list", "remove", "refresh"])
    sp.add_argument("targets", nargs="*", metavar="URL|FILE|ID")
    sp = add("fetch-links", "fetch the pages of link-only entries (from Pocket, Instapaper, "
             "bookmarks); resumes where it stopped")
    sp.add_argument("--limit", type=int, default=None, help="at most N pages this run")
    sp.add_argument("--delay", type=float, default=None,
                    help="seconds between requests (default 1, or $COMMONPLACE_FETCH_DELAY)")


def _progress():
    if not sys.stderr.isatty():
        return None

    def show(i, n, label):
        print(f"\r[{i}/{n}] {label[-60:]:<60}", end="", file=sys.stderr, flush=True)
    return show


def dispatch(lib, args, emit) -> int | None:
    """Run a command registered here; None if `args.command` is not one of them."""
    if args.command == "fetch-links":
        rep = lib.fetch_pending_links(delay=args.delay, limit=args.limit, progress=_progress())
        lines = [f"failed  #{aid} {url}: {why}" for aid, url, why in rep.failed]
        emit(args, asdict(rep), "\n".join([*lines, rep.summary()]))
        return EXIT_FAILED if rep.failed else EXIT_OK
    if args.command != "feeds":
        return None
    from core.errors import CommonplaceError
    if args.action == "add":
        out, failed = [], 0
        for t in args.targets:
            try:
                if t.lower().startswith(("http://", "https://")):
                    fid, created, url = lib.subscribe_feed(t)
                    out.append({"feed": fid, "url": url, "created": created})
                else:
                    for r in lib.add_opml(t):
                        out.append({"url": r.source, "status": r.status, "error": r.error})
                        failed += r.status == "failed"
            except (CommonplaceError, OSError) as e:
                out.append({"url": t, "status": "failed", "error": str(e)})
                failed += 1
        emit(args, out, "\n".join(
            f"{'failed     ' + d['url'] + ': ' + d['error'] if d.get('status') == 'failed' else ('subscribed ' if d.get('created', d.get('status') == 'imported') else 'already    ') + d['url']}"
            for d in out))
        return EXIT_FAILED if failed else EXIT_OK
    if args.action == "list":
        rows = lib.feeds()
        emit(args, [asdict(f) for f in rows], "\n".join(
            f"{f.id:>4}  {f.items:>5} items  {f.title or '-'}  {f.url}"
            + (f"\n      error: {f.last_error}" if f.last_error else "") for f in rows)
            or "no feeds")
        return EXIT_OK
    if args.action == "remove":
        gone = [lib.remove_feed(t) for t in args.targets]
        emit(args, {"removed": gone}, "\n".join(f"removed feed #{i}" for i in gone))
        return EXIT_OK
    ids = [int(t) for t in args.targets if t.isdigit()] or None
    res = lib.refresh_feeds(ids, progress=_progress())
    emit(args, {str(k): {"new": n, "error": err} for k, (n, err) in res.items()}, "\n".join(
        f"feed #{k}: {n} new" + (f" — error: {err}" if err else "") for k, (n, err) in res.items())
        or "no feeds")
    return EXIT_FAILED if any(err for _, err in res.values()) else EXIT_OK
