"""The content files: what they hold, and what the loader refuses."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lumbar.content.load import Content, ContentError, load_content
from lumbar.domain.model import SpinalFlexion
from lumbar.domain.rules import RULES
from lumbar.domain.screening import RED_FLAGS

EXERCISE_IDS = [
    "bird-dog", "glute-bridge", "dead-bug", "side-plank", "cat-cow", "childs-pose",
    "hip-flexor-stretch", "piriformis-stretch", "squat", "hip-hinge", "lunge-with-twist",
    "diaphragmatic-breathing", "foam-rolling",
]  # fmt: skip
TOPICS = [
    "first-weeks", "muscle-corset", "pain-fear-cycle", "good-vs-bad-pain", "graded-exposure",
    "honest-expectations", "common-mistakes", "ergonomics-and-lifting", "breathing",
    "foam-rolling", "disclaimer",
]  # fmt: skip
SEEDS = Path(
    os.environ.get("LUMBAR_SEEDS") or Path(__file__).resolve().parents[3] / "shared" / "seeds"
)
"""The two source documents: ../shared/seeds beside the checkout, or LUMBAR_SEEDS."""


def test_the_catalogue_holds_exactly_the_thirteen_exercises(content: Content) -> None:
    assert sorted(content.catalogue) == sorted(EXERCISE_IDS)


def test_the_phases_hold_the_exercises_of_the_issue(content: Content) -> None:
    phases = {p.number: {x.exercise_id for x in p.prescriptions} for p in content.program.phases}
    assert [p.name for p in content.program.phases] == [
        "Calm and reboot", "Build stability", "Integrate",
    ]  # fmt: skip
    assert phases[1] == {
        "diaphragmatic-breathing", "cat-cow", "childs-pose", "glute-bridge", "dead-bug",
        "hip-flexor-stretch", "piriformis-stretch",
    }  # fmt: skip
    assert phases[2] == {
        "bird-dog", "side-plank", "dead-bug", "glute-bridge", "cat-cow", "diaphragmatic-breathing",
        "hip-hinge",
    }  # fmt: skip
    assert phases[3] == {
        "cat-cow", "glute-bridge", "squat", "hip-hinge", "lunge-with-twist", "bird-dog",
        "side-plank",
    }  # fmt: skip
    warm_up = [p.exercise_id for p in content.program.phase(3).prescriptions if p.warm_up]
    assert warm_up == ["cat-cow", "glute-bridge"]
    first = [p.exercise_id for p in content.program.phase(3).prescriptions][:2]
    assert first == warm_up
    assert all(len(p.steps) == 1 for p in content.program.phase(3).prescriptions if p.warm_up)
    assert not any(p.warm_up for n in (1, 2) for p in content.program.phase(n).prescriptions)


def test_every_exercise_is_complete(content: Content) -> None:
    for exercise in content.catalogue.values():
        assert exercise.name and exercise.purpose and exercise.reduced_range
        assert len(exercise.steps) >= 3 and exercise.tips and exercise.muscles
        assert exercise.doses, exercise.id
        assert exercise.spinal_flexion is not SpinalFlexion.LOADED
        assert "hamstrings" not in exercise.stretches


def test_only_cat_cow_and_childs_pose_flex_the_spine_and_neither_is_loaded(
    content: Content,
) -> None:
    flexing = {
        e.id for e in content.catalogue.values() if e.spinal_flexion is not SpinalFlexion.NONE
    }
    assert flexing == {"cat-cow", "childs-pose"}


def test_phase_3_loads_are_light_and_start_at_10_lb(content: Content) -> None:
    for prescription in content.program.phase(3).prescriptions:
        loads = [d.load_lb for d in prescription.steps if d.load_lb is not None]
        if loads:
            assert loads[0] == 10 and max(loads) <= 25 and loads == sorted(loads)
    for phase in content.program.phases[:2]:
        assert all(d.load_lb is None for p in phase.prescriptions for d in p.steps)


def test_dose_steps_never_get_easier_as_they_go_up(content: Content) -> None:
    """Within a version; each harder version (the side plank on the feet after the knees)
    comes after the easier ones."""
    for phase in content.program.phases:
        for prescription in phase.prescriptions:
            exercise = content.catalogue[prescription.exercise_id]
            order = [v.id for v in exercise.variants] + [None]
            volumes = [
                (
                    order.index(d.variant),
                    d.load_lb or 0,
                    d.sets * (d.reps or 1) * (d.hold_seconds or 1),
                )
                for d in prescription.steps
            ]
            assert volumes == sorted(volumes), (phase.number, prescription.exercise_id)


def test_the_education_topics_are_all_there(content: Content) -> None:
    assert list(content.topics) == TOPICS
    signs = {f"- {s.label};" for s in content.symptoms.values()}
    for topic in content.topics.values():
        # The safety information lists every screening sign (the screening's own labels):
        # its own words are what must stay short.
        prose = [line for line in topic.body.splitlines() if line not in signs]
        assert 100 <= len(" ".join(prose).split()) <= 300, topic.id


def test_every_symptom_code_has_a_question(content: Content) -> None:
    assert set(content.symptoms) == set(RED_FLAGS)
    assert all(s.question.endswith("?") for s in content.symptoms.values())


def test_every_rule_has_a_message(content: Content) -> None:
    assert set(content.wording.messages) == set(RULES)


def test_the_loader_refuses_a_loaded_spinal_flexion_exercise(content_copy: Path) -> None:
    crunch = (
        '\n[[exercise]]\nid = "crunch"\nname = "Crunch"\ncategory = "core-stability"\n'
        'purpose = "x"\nsteps = ["a", "b"]\ntips = ["t"]\nmuscles = ["abs"]\nequipment = []\n'
        'spinal_flexion = "loaded"\nper_side = false\nreduced_range = "r"\ncautions = ["c"]\n'
        "doses.1 = [{ sets = 1, reps = 10, rest = 30 }]\n"
        '[[exercise.alternative]]\nid = "chair"\nplace = "chair"\nname = "Seated crunch"\n'
        'steps = ["a", "b"]\ncautions = ["c"]\n'
    )
    with (content_copy / "exercises.toml").open("a") as file:
        file.write(crunch)
    with pytest.raises(ContentError, match="'crunch'.*sit-ups, crunches or toe-touches"):
        load_content(content_copy)


def test_every_exercise_says_who_should_take_care_and_the_loader_holds_it(
    content: Content, content_copy: Path
) -> None:
    for exercise in content.catalogue.values():
        assert exercise.cautions, exercise.id
    kneeling = {"cat-cow", "childs-pose", "hip-flexor-stretch", "bird-dog"}
    for exercise_id in kneeling:
        assert any("knee" in c for c in content.catalogue[exercise_id].cautions), exercise_id
    assert any("shoulder" in c for c in content.catalogue["side-plank"].cautions)
    for exercise_id in ("lunge-with-twist", "foam-rolling"):
        assert any("osteoporosis" in c for c in content.catalogue[exercise_id].cautions)
    path = content_copy / "exercises.toml"
    text = path.read_text()
    start = text.index("cautions = [", text.index('id = "squat"'))
    end = text.index("]\n", start) + 2
    path.write_text(text[:start] + text[end:])
    with pytest.raises(ContentError, match="'squat': cautions: Field required"):
        load_content(content_copy)


def test_every_exercise_has_a_chair_or_standing_alternative(content: Content) -> None:
    for exercise in content.catalogue.values():
        assert exercise.alternatives, exercise.id
        for alternative in exercise.alternatives:
            assert alternative.place in ("chair", "standing"), (exercise.id, alternative.id)
            assert len(alternative.steps) >= 3 and alternative.name != exercise.name
            assert alternative.cautions, (exercise.id, alternative.id)
            floor = ("kneel", "lie ", "lying", "hands and knees", "on your back", "on your side")
            text = " ".join(alternative.steps).lower()
            assert not any(word in text for word in floor), (exercise.id, alternative.id)


def test_the_easier_versions_come_first_in_their_ladders(content: Content) -> None:
    def versions(phase: int, exercise_id: str) -> list[str | None]:
        prescription = content.program.phase(phase).prescription(exercise_id)
        assert prescription is not None
        seen: list[str | None] = []
        for dose in prescription.steps:
            if not seen or seen[-1] != dose.variant:
                seen.append(dose.variant)
        return seen

    assert versions(2, "side-plank") == ["knees", None]
    assert versions(3, "side-plank") == [None]
    assert versions(3, "lunge-with-twist") == ["plain", "turn", None]
    lunge = content.program.phase(3).prescription("lunge-with-twist")
    assert lunge is not None
    assert all(d.load_lb is None for d in lunge.steps if d.variant is not None)
    assert [d.load_lb for d in lunge.steps if d.variant is None][0] == 10
    assert versions(2, "hip-hinge") == ["dowel"]
    hinge = content.program.phase(2).prescription("hip-hinge")
    assert hinge is not None and all(d.load_lb is None for d in hinge.steps)
    assert versions(3, "hip-hinge") == [None]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{ sets = 2, reps = 6, rest = 60, variant = "plain" }',
            '{ sets = 2, reps = 6, rest = 60, variant = "skip" }',
            "'lunge-with-twist': a phase 3 dose step names variant 'skip', which is not one",
        ),
        (
            '[[exercise.variant]]\nid = "plain"',
            '[[exercise.variant]]\nid = "spare"\nname = "x"\nsteps = ["a", "b"]\n\n'
            '[[exercise.variant]]\nid = "plain"',
            "'lunge-with-twist': variant 'spare' is used by no dose step",
        ),
        ('id = "dowel"', 'id = "chair"', "'hip-hinge': duplicate version id 'chair'"),
        ('place = "standing"\nname = "Counter stretch"', 'place = "floor"\nname = "x"', "place"),
    ],
    ids=["unknown-variant", "unused-variant", "duplicate-id", "bad-place"],
)
def test_the_loader_refuses_versions_that_do_not_add_up(
    content_copy: Path, old: str, new: str, message: str
) -> None:
    path = content_copy / "exercises.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError, match=message):
        load_content(content_copy)


def test_the_loader_refuses_an_exercise_without_an_alternative(content_copy: Path) -> None:
    path = content_copy / "exercises.toml"
    text = path.read_text()
    start = text.index("[[exercise.alternative]]", text.index('id = "squat"'))
    end = text.index("\n\n[[exercise]]", start)
    path.write_text(text[:start] + text[end:])
    with pytest.raises(ContentError, match="'squat': alternative: Field required"):
        load_content(content_copy)


def test_a_harder_version_may_not_start_with_more_volume(content_copy: Path) -> None:
    """The side plank onto the feet at 1 x 5 of 12 s after 1 x 5 of 12 s on the knees:
    the same volume is allowed; 1 x 6 of 12 s (+20%) is the most."""
    path = content_copy / "exercises.toml"
    text = path.read_text()
    knees_top = '{ sets = 1, reps = 5, hold = 12, rest = 30, variant = "knees" },\n'
    first_feet = "  { sets = 1, reps = 3, hold = 10, rest = 30 },\n"
    start = text.index(knees_top) + len(knees_top)
    assert text[start:].startswith(first_feet)
    steep = "  { sets = 2, reps = 4, hold = 10, rest = 30 },\n"
    path.write_text(text[:start] + steep + text[start + len(first_feet) :])
    with pytest.raises(ContentError, match="Side plank, phase 2, step 7 asks 33.3% more"):
        load_content(content_copy)


def test_the_loader_refuses_a_hamstring_stretch(content_copy: Path) -> None:
    path = content_copy / "exercises.toml"
    text = path.read_text().replace(
        'stretches = ["hip flexors"]', 'stretches = ["hip flexors", "hamstrings"]'
    )
    path.write_text(text)
    with pytest.raises(ContentError, match="Hip flexor stretch stretches the hamstrings"):
        load_content(content_copy)


def test_the_loader_refuses_a_phase_with_an_unknown_exercise(content_copy: Path) -> None:
    path = content_copy / "phases.toml"
    path.write_text(path.read_text().replace('"squat",', '"sit-up",'))
    with pytest.raises(ContentError, match="phases.toml: phase 3: unknown exercise 'sit-up'"):
        load_content(content_copy)


def test_the_loader_refuses_a_message_naming_a_fact_the_rule_lacks(content_copy: Path) -> None:
    path = content_copy / "messages.toml"
    path.write_text(path.read_text().replace("Next session: {next_session}.", "{weather}.", 1))
    with pytest.raises(ContentError, match="uses 'weather'"):
        load_content(content_copy)


def test_the_loader_names_the_file_and_entry_of_a_bad_field(content_copy: Path) -> None:
    path = content_copy / "exercises.toml"
    path.write_text(path.read_text().replace("\nper_side = true", '\nper_side = "yes"', 1))
    with pytest.raises(ContentError, match="exercises.toml: 'dead-bug': per_side"):
        load_content(content_copy)


def test_the_loader_refuses_broken_toml(content_copy: Path) -> None:
    (content_copy / "program.toml").write_text("training_days = [mon\n")
    with pytest.raises(ContentError, match="program.toml: not valid TOML"):
        load_content(content_copy)


def test_the_texts_are_in_the_projects_own_words(content: Content) -> None:
    """No sentence of eight words or more is copied from the source documents."""
    if not sorted(SEEDS.glob("*.txt")):
        if os.environ.get("LUMBAR_REQUIRE_SEEDS"):
            pytest.fail(f"LUMBAR_REQUIRE_SEEDS is set, and there are no seed documents in {SEEDS}")
        pytest.skip("the seed documents are not beside this checkout (set LUMBAR_SEEDS)")
    ours = " ".join(
        [t.body for t in content.topics.values()]
        + [" ".join((e.purpose, *e.steps, *e.tips)) for e in content.catalogue.values()]
    ).lower()
    ours = re.sub(r"\s+", " ", ours)
    for seed in SEEDS.glob("*.txt"):
        for sentence in re.split(r"[.!?\n]", seed.read_text().lower()):
            words = re.findall(r"[a-z']+", sentence)
            if len(words) >= 8:
                assert " ".join(words) not in re.sub(r"[^a-z' ]", "", ours), sentence


def test_a_cached_validation_is_reused_until_a_byte_changes(
    content_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = load_content(content_copy, cache=cache)
    cached = list(cache.glob("content-*.json"))
    assert len(cached) == 1
    assert load_content(content_copy, cache=cache) == first
    path = content_copy / "phases.toml"
    path.write_text(path.read_text().replace('"squat",', '"sit-up",'))
    with pytest.raises(ContentError, match="unknown exercise 'sit-up'"):
        load_content(content_copy, cache=cache)


def test_a_damaged_cache_is_ignored_and_the_files_are_validated_again(
    content_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    expected = load_content(content_copy, cache=cache)
    (cached,) = cache.glob("content-*.json")
    cached.write_text("{not json")
    assert load_content(content_copy, cache=cache) == expected
    assert cached.read_text().startswith("{")
    assert load_content(content_copy, cache=cache) == expected


def test_the_safety_rules_run_even_on_cached_content(content_copy: Path, tmp_path: Path) -> None:
    """A cache holds validated shapes only: building the domain values checks safety again."""
    import json

    cache = tmp_path / "cache"
    load_content(content_copy, cache=cache)
    (cached,) = cache.glob("content-*.json")
    data = json.loads(cached.read_text())
    data["exercises"]["exercise"][0]["spinal_flexion"] = "loaded"
    cached.write_text(json.dumps(data))
    with pytest.raises(ContentError, match="sit-ups, crunches or toe-touches"):
        load_content(content_copy, cache=cache)


# Report a problem's words (content/reporting.toml).


def test_report_words_say_who_reads_it_in_each_mode_and_advise_every_kind() -> None:
    from lumbar.content.reporting import report_words
    from lumbar.domain.model import ProblemKind

    words = report_words()

    assert words.who_reads(False).startswith("Nobody else reads it")
    assert "clinician" not in words.who_reads(False).split(":")[0]
    assert "Your clinician sees it on their dashboard" in words.who_reads(True)
    assert set(words.advice) == {kind.value for kind in ProblemKind}
    assert all(advice.points for advice in words.advice.values())
    # The fall's advice says what to watch for and when to get help.
    fall = " ".join(words.advice["fall"].points)
    assert "watch for" in fall and "emergency care" in fall


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda t: t.replace("[advice.other]", "[advice.others]"), "one for each kind"),
        (lambda t: t.replace('self_guided = "', 'x = "'), "self_guided"),
        (lambda t: t.replace("points = [", 'points = [\n  "  ",', 1), "a point is empty"),
        (lambda t: t + "\n[extra]\n", "extra"),
    ],
    ids=["unknown-kind", "missing-mode", "empty-point", "unknown-table"],
)
def test_report_words_that_do_not_fit_are_refused_when_loaded(
    tmp_path: Path, change: object, said: str
) -> None:
    from lumbar.content.reporting import FILE, load_report_words

    source = (Path(__file__).parents[2] / "src" / "lumbar" / "content" / FILE).read_text()
    broken = tmp_path / FILE
    assert callable(change)
    broken.write_text(change(source))

    with pytest.raises(ContentError, match=said):
        load_report_words(broken)
