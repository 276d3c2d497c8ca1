"""The scratch releaser: a scratch table is dropped once, only after it was built and
every node reading it (directly or through views) has finished; nothing else is."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from gtm_analytics.scratch import SCRATCH_DATABASE, ScratchReleaser, scratch_tables_read


def _node(
    resource_type: str,
    parents: tuple[str, ...] = (),
    materialized: str = "table",
    database: str = SCRATCH_DATABASE,
) -> Any:
    return SimpleNamespace(
        resource_type=resource_type,
        database=database,
        relation_name=f'"{database}"."s"."{id(parents)}"',
        config=SimpleNamespace(materialized=materialized),
        depends_on=SimpleNamespace(nodes=list(parents)),
    )


def _graph() -> dict[str, Any]:
    """stg (scratch table) <- view (scratch view) <- int (scratch table) <- mart (file),
    a test on stg, a test on the view, and a seed with no node parents."""
    nodes = {
        "seed.raw": SimpleNamespace(
            resource_type="seed",
            database="file",
            relation_name='"file"."raw"',
            config=SimpleNamespace(materialized="seed"),
            depends_on=SimpleNamespace(macros=[]),  # seeds depend on macros only
        ),
        "model.stg": _node("model", ("seed.raw",)),
        "model.view": _node("model", ("model.stg",), materialized="view"),
        "model.int": _node("model", ("model.view",)),
        "model.mart": _node("model", ("model.int", "model.stg"), database="file"),
        "test.stg_key": _node("test", ("model.stg",), materialized="test"),
        "test.view_key": _node("test", ("model.view",), materialized="test"),
    }
    for unique_id, node in nodes.items():
        node.relation_name = unique_id
    return nodes


def _finished(unique_id: str) -> Any:
    return SimpleNamespace(
        info=SimpleNamespace(name="NodeFinished"),
        data=SimpleNamespace(node_info=SimpleNamespace(unique_id=unique_id)),
    )


def test_readers_through_views_count_and_views_do_not() -> None:
    reads = scratch_tables_read(_graph())
    assert reads["model.int"] == {"model.stg"}  # through the view
    assert reads["test.view_key"] == {"model.stg"}
    assert reads["model.mart"] == {"model.int", "model.stg"}
    assert reads["seed.raw"] == set()
    assert "model.view" not in reads  # creating a view reads nothing


def test_a_table_is_dropped_after_its_last_reader_only() -> None:
    dropped: list[str] = []
    releaser = ScratchReleaser(_graph(), dropped.append)
    for unique_id in ("seed.raw", "model.stg", "model.view", "test.stg_key", "model.int"):
        releaser(_finished(unique_id))
    assert dropped == []  # the view's test and the mart still read stg
    releaser(_finished("test.view_key"))
    assert dropped == []
    releaser(SimpleNamespace(info=SimpleNamespace(name="NodeStart")))  # other events: ignored
    releaser(_finished("model.mart"))
    assert sorted(dropped) == ["model.int", "model.stg"]
    assert sorted(releaser.dropped) == ["model.int", "model.stg"]


def test_a_reader_that_never_finishes_keeps_its_tables() -> None:
    dropped: list[str] = []
    releaser = ScratchReleaser(_graph(), dropped.append)
    for unique_id in ("seed.raw", "model.stg", "model.view", "test.stg_key", "model.int"):
        releaser(_finished(unique_id))
    releaser(_finished("test.view_key"))
    # model.mart fails or is skipped: no NodeFinished, nothing it reads is dropped
    assert dropped == []


def test_file_tables_are_never_dropped() -> None:
    nodes = _graph()
    nodes["model.stg"].database = "file"
    dropped: list[str] = []
    releaser = ScratchReleaser(nodes, dropped.append)
    for unique_id in nodes:
        releaser(_finished(unique_id))
    assert dropped == ["model.int"]
