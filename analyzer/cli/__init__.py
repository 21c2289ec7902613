"""``moksori`` commands: each module parses options for one group, calls the library and prints."""

from __future__ import annotations

import typer

from analyzer.cli import agencies, corrections, keys, models, report, serve, train, units

__all__ = ["app", "main"]

app = typer.Typer(
    help="목소리(moksori): 간담회 회의록·녹취록·설문 응답에서 애로와 건의를 찾아 분류합니다.", no_args_is_help=True
)

app.command("units")(units.units)
app.command("analyze")(units.analyze)
app.command("evaluate")(models.evaluate)
app.command("train")(train.train)
app.command("demo")(serve.demo)
app.command("serve")(serve.serve)
app.command("backup")(serve.backup)
app.command("report")(report.report)
app.add_typer(keys.keys_app, name="keys")
app.add_typer(agencies.agencies_app, name="agencies")
app.add_typer(models.models_app, name="models")
app.add_typer(corrections.corrections_app, name="corrections")


def main() -> None:
    app()
