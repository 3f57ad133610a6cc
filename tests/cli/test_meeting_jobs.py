"""``meetings plan|edit|attend|held|actions`` through the command line only."""

from __future__ import annotations

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _families(capsys, folder, *names):
    for name in names:
        assert run(capsys, "--data-dir", folder, "families", "add", "--name", name)[0] == 0


def test_plan_edit_attend_by_plain_letter_names_then_reopen(capsys, data_dir):
    folder = str(data_dir)
    _families(capsys, folder, "Zofia Wójcik", "Søren Sørensen", "Anna Nowak", "Anna Nowakowska")
    code, out, err = run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2026-12-08",
                         "--time", "18:00-19:30", "--topic", "Sleep", "--tags", "coping,belonging")
    assert code == 0 and "M2026-12" in out and "18:00–19:30" in out, err
    code, out, err = run(capsys, "--data-dir", folder, "meetings", "edit", "m2026-12", "--time", "18:30",
                         "--venue", "Library")
    assert code == 0 and "18:30–20:00" in out, err
    code, out, err = run(capsys, "--data-dir", folder, "meetings", "attend", "M2026-12", "Zofia Wojcik",
                         "soren sorensen", "Anna Nowak")
    assert code == 0, err
    assert "F0001 Zofia Wójcik, Present" in out and "F0002 Søren Sørensen" in out and "F0003 Anna Nowak," in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "list")
    assert "Held" in out and " 3" in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "attend", "M2026-12", "F4", "--apologies")
    assert code == 0 and "Apologies" in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "held", "M2026-12", "--reopen")
    assert code == 0 and "Planned" in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "held", "M2026-12")
    assert code == 0 and "Held" in out


def test_attend_refuses_unknown_or_ambiguous_names_and_marks_nobody(capsys, data_dir):
    folder = str(data_dir)
    _families(capsys, folder, "Anna Nowak", "Anna Nowakowska", "Ewa Nowak")
    run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2026-12-08", "--topic", "Sleep")
    code, _, err = run(capsys, "--data-dir", folder, "meetings", "attend", "M2026-12", "F0001", "nowak")
    assert code == 3 and "Several families match" in err and "F0002" in err
    code, _, err = run(capsys, "--data-dir", folder, "meetings", "attend", "M2026-12", "F0001", "Nobody Here")
    assert code == 4 and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "list")
    assert "Planned" in out and "Held" not in out
    assert run(capsys, "--data-dir", folder, "meetings", "attend", "M1999-01", "F0001")[0] == 4


def test_meeting_input_errors(capsys, data_dir):
    folder = str(data_dir)
    cases = [
        (("meetings", "plan", "--date", "2026-12-08"), 2),
        (("meetings", "plan", "--date", "someday", "--topic", "x"), 3),
        (("meetings", "plan", "--date", "2026-12-08", "--time", "25:00", "--topic", "x"), 3),
        (("meetings", "plan", "--date", "2026-12-08", "--time", "19:00-18:00", "--topic", "x"), 3),
        (("meetings", "plan", "--date", "2026-12-08", "--topic", "x", "--tags", "nonsense"), 3),
        (("meetings", "edit", "M2030-01", "--topic", "x"), 4),
        (("meetings", "held", "M2030-01"), 4),
    ]
    for argv, expected in cases:
        code, _, err = run(capsys, "--data-dir", folder, *argv)
        assert code == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1
    assert "0 meetings" in run(capsys, "--data-dir", folder, "meetings", "list")[1]


def test_actions_add_and_tick_off(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "volunteers", "add", "--name", "Sam Green")
    run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2026-12-08", "--topic", "Sleep")
    code, out, err = run(capsys, "--data-dir", folder, "meetings", "actions", "M2026-12", "--add", "Book the hall",
                         "--owner", "Sam Green", "--due", "2026-12-20")
    assert code == 0 and "Book the hall" in out and "Sam Green (V001)" in out, err
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "actions", "M2026-12", "--done", "1")
    assert code == 0 and "Done: Book the hall" in out and "done" in out.splitlines()[-1]
    assert run(capsys, "--data-dir", folder, "meetings", "actions", "M2026-12", "--done", "7")[0] == 4
    assert run(capsys, "--data-dir", folder, "meetings", "actions", "M2026-12", "--add", " ")[0] == 3
    assert run(capsys, "--data-dir", folder, "meetings", "actions", "M2026-12", "--add", "x",
               "--owner", "Nobody")[0] == 4


def test_attending_several_families_is_one_action_undone_together(capsys, data_dir):
    folder = str(data_dir)
    _families(capsys, folder, "Anna Nowak", "Jo Baker")
    run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2026-12-08", "--topic", "Sleep")
    assert run(capsys, "--data-dir", folder, "meetings", "attend", "M2026-12", "F0001", "Jo Baker")[0] == 0
    code, out, _ = run(capsys, "--data-dir", folder, "undo")
    assert code == 0 and "Register 2 families at M2026-12" in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "list")
    assert "Planned" in out  # the meeting became held in that same action, and is planned again


def test_cancel_and_door_counts(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2026-12-08", "--topic", "Sleep")
    run(capsys, "--data-dir", folder, "meetings", "plan", "--date", "2027-01-12", "--topic", "Exams")
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "count", "M2026-12", "--guests", "4")
    assert code == 0 and "walk-in guests: 4, children in the crèche: 0" in out
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "count", "M2026-12", "--creche", "6")
    assert code == 0 and "walk-in guests: 4, children in the crèche: 6" in out
    assert run(capsys, "--data-dir", folder, "meetings", "count", "M2026-12", "--guests", "-1")[0] == 3
    assert run(capsys, "--data-dir", folder, "meetings", "count", "M2026-12")[0] == 2
    assert run(capsys, "--data-dir", folder, "meetings", "cancel", "M2027-01")[0] == 2
    assert run(capsys, "--data-dir", folder, "meetings", "cancel", "M2027-01", "--reason", " ")[0] == 3
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "cancel", "M2027-01", "--reason", "Snow")
    assert code == 0 and "Cancelled" in out
    assert "Cancelled: Snow" in run(capsys, "--data-dir", folder, "meetings", "list")[1]
    code, _, err = run(capsys, "--data-dir", folder, "meetings", "attend", "M2027-01", "F0001")
    assert code in (3, 4) and len(err.strip().splitlines()) == 1
