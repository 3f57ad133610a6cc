"""``fund apply|decide|pay`` and ``packs list|move|show|deliver`` on the sample data."""

from __future__ import annotations

from peer_support.cli import main
from peer_support.domain.packs import make_code


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


POT = "Winter Data Top-ups"


def _apply(capsys, folder, family="F0001", amount="25"):
    code, out, err = run(capsys, "--data-dir", folder, "fund", "apply", family, "--pot", POT,
                         "--need", "mobile-data", "--amount", amount)
    assert code == 0, err
    return out.split()[2]  # "Recorded application A0139 for ..."


def test_apply_decide_and_pay_with_a_receipt(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    reference = _apply(capsys, folder, family="Lisa Baker")
    code, out, err = run(capsys, "--data-dir", folder, "fund", "decide", reference, "--approve", "25")
    assert code == 0 and "Approved" in out and "£25.00" in out, err
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    code, out, err = run(capsys, "--data-dir", folder, "fund", "pay", reference, "--amount", "25",
                         "--receipt", str(receipt))
    assert code == 0 and "Paid" in out and "paid £25.00" in out, err
    assert any((sample_dir / "files" / "receipts").glob(f"{reference}-*.pdf"))
    code, out, _ = run(capsys, "--data-dir", folder, "fund", "list", "--status", "paid")
    assert reference in out


def test_refuse_needs_a_reason_then_is_kept(capsys, sample_dir):
    folder = str(sample_dir)
    reference = _apply(capsys, folder)
    code, _, err = run(capsys, "--data-dir", folder, "fund", "decide", reference, "--refuse")
    assert code == 3 and "reason" in err
    code, out, _ = run(capsys, "--data-dir", folder, "fund", "decide", reference, "--refuse", "--reason", "Helped")
    assert code == 0 and "Declined" in out


def test_fund_mistakes_are_refused(capsys, sample_dir):
    folder = str(sample_dir)
    reference = _apply(capsys, folder)
    cases = [
        (("fund", "apply", "F0001", "--pot", POT, "--need", "mobile-data", "--amount", "lots"), 3),
        (("fund", "apply", "F0001", "--pot", "No Such Pot", "--need", "device", "--amount", "5"), 4),
        (("fund", "apply", "F0001", "--pot", POT, "--need", "spaceship", "--amount", "5"), 2),
        (("fund", "apply", "Nobody Here", "--pot", POT, "--need", "device", "--amount", "5"), 4),
        (("fund", "decide", reference), 2),
        (("fund", "decide", "A9999", "--approve", "5"), 4),
        (("fund", "pay", reference, "--amount", "5"), 3),  # not approved yet
    ]
    for argv, expected in cases:
        code, _, err = run(capsys, "--data-dir", folder, *argv)
        assert code == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1
    run(capsys, "--data-dir", folder, "fund", "decide", reference, "--approve", "25")
    code, _, err = run(capsys, "--data-dir", folder, "fund", "pay", reference, "--amount", "30")
    assert code == 3 and "more than was approved" in err
    code, _, err = run(capsys, "--data-dir", folder, "fund", "pay", reference, "--amount", "5",
                       "--receipt", "/no/such/file.pdf")
    assert code == 3 and "cannot be found" in err


def _outstanding_code(capsys, folder, run_number):
    out = run(capsys, "--data-dir", folder, "packs", "list", "B01", "--run", str(run_number), "--outstanding")[1]
    return out.splitlines()[2].split()[0]


def test_move_then_deliver_then_show(capsys, sample_dir):
    folder = str(sample_dir)
    code = _outstanding_code(capsys, folder, 1)
    status, out, err = run(capsys, "--data-dir", folder, "packs", "move", code, "--run", "2")
    assert status == 0 and "now on run 2" in out, err
    assert code in run(capsys, "--data-dir", folder, "packs", "list", "B01", "--run", "2")[1]
    assert code not in run(capsys, "--data-dir", folder, "packs", "list", "B01", "--run", "1")[1]
    status, out, err = run(capsys, "--data-dir", folder, "packs", "deliver", code.replace("-", "").lower(),
                         "--volunteer", "V001")
    assert status == 0 and "Delivered" in out, err
    status, out, _ = run(capsys, "--data-dir", folder, "packs", "show", code)
    assert status == 0 and "Delivered" in out and "Run " in out and "2" in out
    status, _, err = run(capsys, "--data-dir", folder, "packs", "deliver", code, "--volunteer", "V001")
    assert status == 5 and "ALREADY DELIVERED" in err


def test_pack_mistakes(capsys, sample_dir):
    folder = str(sample_dir)
    code = _outstanding_code(capsys, folder, 1)
    for argv, expected in [(("packs", "move", code, "--run", "1"), 3), (("packs", "move", code, "--run", "99"), 4),
                           (("packs", "move", "ZZZ", "--run", "2"), 3), (("packs", "move", code), 2),
                           (("packs", "show", make_code(12345)), 4), (("packs", "list", "B99"), 4)]:
        status, _, err = run(capsys, "--data-dir", folder, *argv)
        assert status == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1


def test_withdraw_and_close(capsys, sample_dir):
    folder = str(sample_dir)
    withdrawn = _apply(capsys, folder)
    assert run(capsys, "--data-dir", folder, "fund", "withdraw", withdrawn)[0] == 2
    assert run(capsys, "--data-dir", folder, "fund", "withdraw", withdrawn, "--reason", " ")[0] == 3
    code, out, _ = run(capsys, "--data-dir", folder, "fund", "withdraw", withdrawn, "--reason", "Found a deal")
    assert code == 0 and "Withdrawn" in out
    paid = _apply(capsys, folder)
    assert run(capsys, "--data-dir", folder, "fund", "close", paid)[0] == 3  # not paid yet
    run(capsys, "--data-dir", folder, "fund", "decide", paid, "--approve", "25")
    run(capsys, "--data-dir", folder, "fund", "pay", paid, "--amount", "25")
    code, out, _ = run(capsys, "--data-dir", folder, "fund", "close", paid)
    assert code == 0 and "Closed" in out
    assert run(capsys, "--data-dir", folder, "fund", "close", "A9999")[0] == 4


def test_approving_over_what_is_left_needs_a_reason_by_the_same_rule(capsys, sample_dir):
    from peer_support.context import open_context
    from peer_support.domain.fund import over_budget
    from peer_support.services.fund_queries import get_pot

    folder = str(sample_dir)
    reference = _apply(capsys, folder, amount="5000")
    context = open_context(sample_dir)
    try:
        left = get_pot(context, POT).remaining_pence
    finally:
        context.close()
    over = f"{(left + 1) / 100:.2f}"
    assert over_budget(left + 1, left)
    code, out, err = run(capsys, "--data-dir", folder, "fund", "decide", reference, "--approve", over)
    assert code == 3 and out == "" and "overspend" in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--data-dir", folder, "fund", "decide", reference, "--approve", over,
                         "--reason", "Agreed by both leads")
    assert code == 0 and "Approved" in out, err
