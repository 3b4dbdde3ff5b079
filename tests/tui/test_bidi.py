"""Right-to-left text reads right on a terminal that draws cells left to right."""

from __future__ import annotations

from tui.widgets._bidi import bidi_lines, is_rtl, visual


def test_arabic_paragraph_is_reversed_for_display_and_aligned_right() -> None:
    logical = "في نسخة لينكس"
    assert is_rtl(logical)
    lines = bidi_lines(logical, 40)
    assert lines == [(logical[::-1], True)]  # no digits or Latin: plain reversal


def test_mixed_text_keeps_latin_and_numbers_readable() -> None:
    shown = visual("جرب Nimbus 4.2 الآن")
    assert "Nimbus" in shown and "4.2" in shown
    assert visual("Hello world") == "Hello world"
    assert not is_rtl("Nimbus: مرحبا")


def test_wrapping_happens_before_reordering() -> None:
    text = "كلمة " * 20
    lines = bidi_lines(text.strip(), 20)
    assert len(lines) > 1 and all(len(line) <= 20 and right for line, right in lines)
