"""The records of the search index's parts, kept between builds (search_records.py)."""
import json

from sitegen import search_records
from sitegen.search_parts import Record


def _record(url: str, key: str) -> Record:
    return Record(url, f"{url.strip('/')}/index.html", "", key)


def _made(record: Record) -> str:
    return f"<html><body>{record.url} {record.key}</body></html>"


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}


def _write(folder, url, text):
    target = folder / url.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_the_first_build_moves_the_workers_records_in_and_makes_the_rest(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    _write(fresh, "/s/a/", "from a worker")
    records = [_record("/s/a/", "k1"), _record("/s/b/", "k2")]
    assert search_records.bring_up_to_date(folder, fresh, records, _made) == 2
    assert _files(folder) == {"s/a/index.html": "from a worker", "s/b/index.html": _made(records[1])}
    assert json.loads((tmp_path / "kept" / "2-0.json").read_text()) == {"/s/a/": "k1", "/s/b/": "k2"}


def test_a_record_whose_key_holds_is_left_as_it_is(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    records = [_record("/s/a/", "k1"), _record("/s/b/", "k2")]
    search_records.bring_up_to_date(folder, fresh, records, _made)
    kept = (folder / "s/a/index.html").stat()
    made = []
    search_records.bring_up_to_date(folder, fresh, records, lambda r: made.append(r) or _made(r))
    assert made == [] and (folder / "s/a/index.html").stat().st_mtime_ns == kept.st_mtime_ns


def test_a_changed_record_is_made_again_and_a_gone_page_loses_its_record(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    search_records.bring_up_to_date(folder, fresh, [_record("/s/a/", "k1"), _record("/s/b/", "k2")], _made)
    now = [_record("/s/a/", "k1-changed")]
    assert search_records.bring_up_to_date(folder, fresh, now, _made) == 1
    assert _files(folder) == {"s/a/index.html": _made(now[0])}


def test_a_record_written_by_a_worker_in_this_build_wins_over_the_kept_one(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    search_records.bring_up_to_date(folder, fresh, [_record("/s/a/", "k1")], _made)
    _write(fresh, "/s/a/", "rendered now")
    search_records.bring_up_to_date(folder, fresh, [_record("/s/a/", "k2")], _made)
    assert _files(folder) == {"s/a/index.html": "rendered now"}


def test_a_page_without_the_main_content_mark_has_no_record_kept(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    search_records.bring_up_to_date(folder, fresh, [_record("/s/a/", "k1")], _made)
    assert search_records.bring_up_to_date(folder, fresh, [_record("/s/a/", "k2")], lambda r: None) == 0
    assert _files(folder) == {}


def test_a_folder_left_without_its_list_by_a_stopped_build_is_filled_afresh(tmp_path):
    fresh, folder = tmp_path / "fresh", tmp_path / "kept" / "2-0"
    records = [_record("/s/a/", "k1")]
    search_records.bring_up_to_date(folder, fresh, records, _made)
    _write(folder, "/s/half-written/", "a record of a build that was stopped")
    (tmp_path / "kept" / "2-0.json").unlink()
    search_records.bring_up_to_date(folder, fresh, records, _made)
    assert _files(folder) == {"s/a/index.html": _made(records[0])}


def test_the_folders_of_another_part_count_are_removed(tmp_path):
    root = tmp_path / "kept"
    for name in ("2-0", "2-1", "3-0"):
        search_records.bring_up_to_date(root / name, tmp_path / "fresh", [_record("/s/a/", "k")], _made)
    search_records.forget_other_counts(root, 3)
    assert sorted(p.name for p in root.iterdir()) == ["3-0", "3-0.json"]
