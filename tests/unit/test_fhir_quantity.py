"""Issue #17: a dose with a weight carries it in the FHIR CarePlan as a UCUM Quantity too,
in the person's unit (`detail.quantity`), beside the words that say it; the Bundle stays
valid R4B."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from lumbar.content.load import Content
from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind
from lumbar.domain.model import History
from lumbar.domain.program import Program
from lumbar.formats.fhir import fhir_bundle
from tests.builders import NOTHING, RACK, START, a_year_of_history, history, program

YEAR_END = START + timedelta(days=364)
UCUM = "http://unitsofmeasure.org"
KILOS = Equipment(
    (Weight(WeightKind.DUMBBELLS, 5, Unit.KG), Weight(WeightKind.KETTLEBELL, 8, Unit.KG))
)
"""A 5 kg pair of dumbbells and an 8 kg kettlebell: phase 3 uses the heaviest at or under
each step (squat's 25 lb, 11.3 kg: the kettlebell; the lunge's 15 lb, 6.8 kg: the pair)."""


@pytest.fixture(scope="module")
def a_year() -> tuple[History, Program]:
    return a_year_of_history()


def details(history: History, chosen: Program, content: Content) -> dict[str, dict[str, Any]]:
    """The CarePlan's activities by exercise id, on the last day of the year (phase 3)."""
    bundle = fhir_bundle(history, chosen, content, YEAR_END)
    [careplan] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    ]
    return {
        c["code"]: a["detail"]
        for a in careplan["activity"]
        for c in a["detail"]["code"]["coding"]
        if c["system"] == "urn:lumbar:exercise"
    }


def who(year: tuple[History, Program], unit: Unit, equipment: Equipment) -> History:
    history, _ = year
    return History.of(replace(history.profile, unit=unit, equipment=equipment), history.events)


def test_a_pound_persons_weights_are_quantities_in_avoirdupois_pounds(
    a_year: tuple[History, Program], content: Content
) -> None:
    found = details(who(a_year, Unit.LB, RACK), a_year[1], content)

    assert found["squat"]["quantity"] == {
        "value": 25,
        "unit": "lb",
        "system": UCUM,
        "code": "[lb_av]",
    }
    assert found["squat"]["description"].endswith(", 25 lb")  # the words stay
    assert found["lunge-with-twist"]["quantity"]["value"] == 15
    assert found["lunge-with-twist"]["description"].endswith(", 15 lb")
    assert found["hip-hinge"]["quantity"]["code"] == "[lb_av]"


def test_a_kilogram_persons_weights_are_quantities_in_kilograms_of_their_own_weights(
    a_year: tuple[History, Program], content: Content
) -> None:
    found = details(who(a_year, Unit.KG, KILOS), a_year[1], content)

    assert found["squat"]["quantity"] == {"value": 8, "unit": "kg", "system": UCUM, "code": "kg"}
    assert found["squat"]["description"].endswith(", 8 kg")
    # 5 kg is 11.02 lb in the dose: the quantity is the weight, not the pounds converted back.
    assert found["lunge-with-twist"]["quantity"]["value"] == 5
    assert found["lunge-with-twist"]["description"].endswith(", 5 kg")


def test_a_household_load_is_its_own_weight_rounded_as_the_words_say_it(
    a_year: tuple[History, Program], content: Content
) -> None:
    found = details(who(a_year, Unit.KG, NOTHING), a_year[1], content)

    squat = found["squat"]
    assert "weighed on a bathroom scale to 11 kg" in squat["description"]
    assert squat["quantity"] == {"value": 11, "unit": "kg", "system": UCUM, "code": "kg"}
    assert found["lunge-with-twist"]["quantity"]["value"] == 6
    in_pounds = details(who(a_year, Unit.LB, NOTHING), a_year[1], content)
    household = content.program.household_loads
    lunge_lb = in_pounds["lunge-with-twist"]["quantity"]["value"]
    assert in_pounds["lunge-with-twist"]["quantity"]["code"] == "[lb_av]"
    assert lunge_lb in {round(h.lb * 2) / 2 for h in household}
    assert f"({lunge_lb:g} lb)" in in_pounds["lunge-with-twist"]["description"]


def test_a_dose_without_a_weight_has_no_quantity(
    a_year: tuple[History, Program], content: Content
) -> None:
    year_end = details(who(a_year, Unit.LB, RACK), a_year[1], content)
    first_day = fhir_bundle(history(), program(), content, START)
    careplan = next(
        e["resource"] for e in first_day["entry"] if e["resource"]["resourceType"] == "CarePlan"
    )

    assert "quantity" not in year_end["cat-cow"] and "quantity" not in year_end["bird-dog"]
    assert all("quantity" not in a["detail"] for a in careplan["activity"])


@pytest.mark.parametrize("unit", list(Unit))
def test_the_bundle_with_quantities_still_validates_with_the_r4b_models(
    a_year: tuple[History, Program], content: Content, unit: Unit
) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.careplan import CarePlan

    bundle = fhir_bundle(who(a_year, unit, RACK), a_year[1], content, YEAR_END)

    assert Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True) == bundle
    [careplan] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    ]
    details = [a.detail for a in CarePlan.model_validate(careplan).activity or []]
    quantities = [d.quantity for d in details if d is not None and d.quantity is not None]
    assert len(quantities) == 3  # squat, hip hinge, lunge with a twist
    assert {(q.system, q.code) for q in quantities} == {
        (UCUM, "kg" if unit is Unit.KG else "[lb_av]")
    }
