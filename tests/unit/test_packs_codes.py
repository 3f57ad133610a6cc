"""Pack codes: short, safe to type, every single typo and every swap detected."""

from __future__ import annotations

import random

import pytest

from peer_support.domain.packs import (ALPHABET, CODE_LENGTH, CODE_SPACE, format_code, is_valid_code,
                                       make_code, normalise_code, share_runs, split_evenly,
                                       validate_code)
from peer_support.errors import ValidationError

SAMPLE = [make_code(n) for n in random.Random(7).sample(range(CODE_SPACE), 300)] + [make_code(0),
                                                                                     make_code(CODE_SPACE - 1)]


def test_alphabet_has_no_confusable_or_layout_swapped_characters():
    for char in "0O1IYZU":
        assert char not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 29


def test_codes_are_seven_characters_and_valid():
    for code in SAMPLE:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert validate_code(code) == code


def test_make_code_is_a_bijection_on_its_range():
    codes = {make_code(n) for n in range(5000)}
    assert len(codes) == 5000
    with pytest.raises(ValueError):
        make_code(CODE_SPACE)
    with pytest.raises(ValueError):
        make_code(-1)


def test_every_single_character_substitution_is_detected():
    for code in SAMPLE[:60]:
        for position in range(CODE_LENGTH):
            for char in ALPHABET:
                if char != code[position]:
                    wrong = code[:position] + char + code[position + 1:]
                    assert not is_valid_code(wrong), wrong


def test_every_swap_of_two_different_characters_is_detected():
    for code in SAMPLE:
        for i in range(CODE_LENGTH):
            for j in range(i + 1, CODE_LENGTH):
                if code[i] != code[j]:
                    chars = list(code)
                    chars[i], chars[j] = chars[j], chars[i]
                    assert not is_valid_code("".join(chars))


@pytest.mark.parametrize("typed", [" abc-defg ", "ABC DEFG", "abc–defg", "a-b-c-d-e-f-g\r\n"])
def test_scanner_and_typing_noise_is_ignored(typed):
    assert normalise_code(typed) == "ABCDEFG"


def test_formatted_code_reads_back():
    code = SAMPLE[0]
    assert format_code(code).count("-") == 1
    assert validate_code(format_code(code).lower()) == code


@pytest.mark.parametrize("text, words", [
    ("", "Type or scan"),
    ("ABC0EFG", "never contain 0"),
    ("ABCDEF", "7 characters"),
    ("ABCDEFGH", "7 characters"),
])
def test_bad_input_gets_a_clear_message(text, words):
    with pytest.raises(ValidationError, match=words):
        validate_code(text)


def test_wrong_check_character_says_so():
    code = SAMPLE[1]
    wrong = code[:-1] + next(c for c in ALPHABET if c != code[-1])
    with pytest.raises(ValidationError, match="a character is wrong"):
        validate_code(wrong)


def test_runs_are_shared_by_area_and_never_empty():
    share = share_runs({"A": 100, "B": 10, "C": 1}, 10)
    assert sum(share.values()) == 10 and all(v >= 1 for v in share.values())
    assert share["A"] > share["B"] >= share["C"] == 1
    # Fewer runs than areas: one each.
    assert share_runs({"A": 5, "B": 5, "C": 5}, 1) == {"A": 1, "B": 1, "C": 1}
    assert split_evenly(10, 3) == [4, 3, 3]
