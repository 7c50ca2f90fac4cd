"""The printed figures: their key poses without labels (the handout sets those as text),
titled with what the drawing shows, from the figure's data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lumbar.content.load import default_content
from lumbar.figures.alt import print_alt
from lumbar.figures.drawings import Picture
from lumbar.figures.load import default_figures, drawings_for

SVG = "{http://www.w3.org/2000/svg}"
FIGURES = default_figures()


@pytest.mark.parametrize(
    ("exercise_id", "version", "said"),
    [
        (
            "squat",
            None,
            "Squat: a person drawn from the side in two positions, left to right, with a "
            "chair behind as a depth guide, holding a weight; the muscles it targets (glutes, "
            "quadriceps and deep core) are coloured.",
        ),
        ("squat", "chair", "Sit to stand: a person drawn from the side in three positions"),
        ("side-plank", None, "Side plank: a person drawn from the front in two positions"),
        ("hip-hinge", "dowel", "with a stick along the back;"),
        ("foam-rolling", "wall", "with a foam roller, by a wall;"),
        ("childs-pose", "counter", "at a counter;"),
        ("hip-flexor-stretch", None, "are coloured, on the side nearest you."),
    ],
)
def test_the_alt_text_says_how_the_person_is_drawn_and_with_what(
    exercise_id: str, version: str | None, said: str
) -> None:
    content = default_content()
    figure = FIGURES[exercise_id] if version is None else FIGURES[exercise_id].versions[version]
    drawings = drawings_for(content)
    drawn = drawings.svg(exercise_id, Picture.PRINT, version=version)
    title = ET.fromstring(drawn).find(f"{SVG}title")

    assert title is not None and title.text is not None
    assert said in title.text
    assert title.text == print_alt(figure, title.text.split(":")[0])


@pytest.mark.parametrize("exercise_id", sorted(FIGURES))
def test_the_printed_figure_has_no_text_and_no_room_kept_for_it(exercise_id: str) -> None:
    drawings = drawings_for(default_content())
    printed = ET.fromstring(drawings.svg(exercise_id, Picture.PRINT))
    shown = ET.fromstring(drawings.svg(exercise_id, Picture.POSES))

    assert printed.findall(f".//{SVG}text") == []
    assert len(shown.findall(f".//{SVG}text")) == len(FIGURES[exercise_id].poses)
    printed_height = float(printed.attrib["viewBox"].split()[3])
    shown_height = float(shown.attrib["viewBox"].split()[3])
    assert printed_height == pytest.approx(shown_height - 30)  # svg.LABEL_HEIGHT
