"""``xborder bench``: the benchmark suite from the command line.

``api/cli.py`` registers :data:`bench_app` with ``app.add_typer(bench_app,
name="bench")`` (its ``_optional_commands`` does that when this module
exists).  ``python -m bench.cli --quick`` works stand-alone too.
"""

from __future__ import annotations

import typer


def bench(
    quick: bool = typer.Option(False, "--quick", help="small sizes: a smoke run of a few minutes"),
    only: str | None = typer.Option(None, "--only", metavar="AREA[,AREA]", help="ledger,http,settlement,financing,recon,crash,scale"),
    out: str | None = typer.Option(None, "--out", metavar="FILE", help="Markdown report (default bench/REPORT.md)"),
    max_postings: float | None = typer.Option(None, "--max", help="scale series: largest history in postings (default 1e6, --quick 1e5)"),
    sqlite: bool = typer.Option(True, "--sqlite/--no-sqlite", help="also measure on SQLite where an area supports it"),
    profile: bool = typer.Option(False, "--profile", help="http: pyinstrument the single-posting path"),
    point_duration: float | None = typer.Option(None, "--point-duration", help="http: seconds per measured point (default 15; --quick 4)"),
    memory_duration: float | None = typer.Option(None, "--memory-duration", help="http: the memory run at 32 connections, seconds (default 300; --quick 20; 0 = skip)"),
) -> None:
    """Run the benchmarks (PostgreSQL reference in the same run) and write a Markdown report."""
    from bench.__main__ import main

    argv: list[str] = []
    if quick:
        argv.append("--quick")
    if only:
        argv += ["--only", only]
    if out:
        argv += ["--out", out]
    if max_postings:
        argv += ["--max", str(max_postings)]
    if not sqlite:
        argv.append("--no-sqlite")
    if profile:
        argv.append("--profile")
    if point_duration is not None:
        argv += ["--point-duration", str(point_duration)]
    if memory_duration is not None:
        argv += ["--memory-duration", str(memory_duration)]
    raise typer.Exit(main(argv))


#: ``xborder bench [OPTIONS]``: the options belong to the group itself (no sub-command)
bench_app = typer.Typer(add_completion=False, help="Run the benchmarks and write a Markdown report (bench/REPORT.md).")
bench_app.callback(invoke_without_command=True)(bench)
app = bench_app

if __name__ == "__main__":  # pragma: no cover
    app()
