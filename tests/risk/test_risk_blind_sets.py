"""The blind sets (bot/risk/data/training-blind*.yaml), folded in after they were scored.

Each was written by someone who never saw the detector and scored before anything learned
from it (bench/blind/README.md has the figures: set 1 urgent recall 0.525, any-risk 0.658,
benign specificity 0.938; set 2 0.583 / 0.804 / 0.972; set 3 0.694 / 0.759 / 0.892 on the
code it was written against; set 4 0.792 / 0.824 / 0.950 with sets 1-3 folded; set 5
0.681 / 0.819 / 0.833 with sets 1-4 folded). They are training data now, so these floors
guard against regressions only: they say nothing about unseen wording.

Set 3's floors are what its fold reached, not set 2's 0.95: the urgent cases still missed
(a goodbye told with a "song", threats to children, "not going home" by a reservoir) are
kinds the lexicons do not yet read, left for the next change to raise.

Set 4's floors are what its fold reached too: every English case is read right (urgent
1.000, any-risk 1.000, benign 1.000); the cases still missed are in other languages
(a goodbye letter in Shahmukhi or Polish, a son heading for the train in Punjabi), left to
the language files (bot/risk/languages/), which another change is widening.

Set 5's floors are what its English fold reached with the other-language misses left to the
language files again: English 1.000 / 1.000 / 1.000, all languages 0.929 / 0.930 / 0.975
(first score 0.681 / 0.819 / 0.833). Raise them when the language files are merged.

Set 6 holds only its 178 English cases (the others are the language files' to fold); first
score 0.773 / 0.878 / 0.810 in English, after the fold 1.000 / 1.000 / 0.952 (three benign
misses left: a past overdose told with "today" and a degree, "on the roof" before "of the
shed", "can't do this anymore" before "this crossword", each a run read on its own).

Set 7 holds only its 191 English cases (the others are the language files' to fold); first
score 0.628 / 0.827 / 0.828 in English, after the fold by kind (concepts/concepts.yaml,
"the seventh blind set's kinds") 1.000 / 1.000 / 1.000, not blind.

Sets 8 and 9 hold only their English cases (191 and 187; branch riskfold9). Set 8: first score
0.771 / 0.855 / 0.905 in English, 0.829 / 0.855 / 0.919 on the fold's start code; set 9: first
score 0.885 / 0.934 / 0.803, 0.923 / 0.934 / 0.803 on the fold's start code. After the fold by
kind ("the eighth and ninth blind sets' kinds" in concepts/concepts.yaml): set 8 1.000 / 1.000 /
0.959, set 9 1.000 / 1.000 / 0.894, not blind. The benign misses left are split windows whose
later text says it was a joke, a film, an exam or a normal dose (hazard log H22: an urgent run
is never quieted by a later text), and a mate's joke threat with only an emoji to say so.

Set 10 holds only its 200 English cases (branch riskfold10): first score 0.873 / 0.907 / 0.887
on the fold's start code (sets 1-9 folded). After the fold by kind ("the tenth blind set's kinds"
in concepts/concepts.yaml) 1.000 / 1.000 / 0.901, not blind. The benign misses left are all split
windows whose first text is urgent on its own ("bridge", "on the edge", "rope's ready", "gave all
my stuff away today") and whose later text makes it everyday: never quieted, by design (H22).

Set 11 holds only its 190 English cases (branch riskfold11): first score 0.816 / 0.926 / 0.882 on
the fold's start code (sets 1-10 folded). After the fold by kind ("the eleventh blind set's kinds"
in concepts/concepts.yaml, hazard log H28) 1.000 / 1.000 / 0.941, not blind. The four benign
misses left are split windows whose first text is urgent alone ("ive done it", "gave away all my
stuff today", "I've got the tablets in my hand", "I jumped off the bridge"): never quieted (H22).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from bot.risk import assess

DATA = Path(__file__).resolve().parents[2] / "bot" / "risk" / "data"


class Floors(NamedTuple):
    cases: int  # at least this many cases in the file
    urgent: float  # urgent recall
    risk: float  # any-risk recall
    benign: float  # benign specificity
    urgent_missed: int  # urgent messages read as nothing at all, at most


FLOORS = {
    "training-blind1.yaml": Floors(400, 0.95, 0.95, 0.95, 3),
    "training-blind2.yaml": Floors(230, 0.95, 0.95, 0.95, 2),
    "training-blind3.yaml": Floors(322, 0.90, 0.93, 0.99, 7),
    "training-blind4.yaml": Floors(329, 0.94, 0.93, 0.99, 3),
    "training-blind5.yaml": Floors(347, 0.92, 0.92, 0.97, 6),
    "training-blind6.yaml": Floors(178, 0.99, 0.99, 0.95, 0),
    "training-blind7.yaml": Floors(191, 0.99, 0.99, 0.98, 0),
    "training-blind8.yaml": Floors(191, 0.99, 0.99, 0.95, 0),
    "training-blind9.yaml": Floors(187, 0.99, 0.99, 0.89, 0),
    "training-blind10.yaml": Floors(200, 0.99, 0.99, 0.90, 0),
    "training-blind11.yaml": Floors(190, 0.99, 0.99, 0.94, 0),
}


def _cases(name: str) -> list[tuple[str, list[str]]]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    out = []
    for entries in data.values():
        for level, text in entries:
            out.append((str(level), list(text) if isinstance(text, list) else [str(text)]))
    return out


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_each_blind_set_holds_its_floors(name: str) -> None:
    floors = FLOORS[name]
    cases = _cases(name)
    assert len(cases) >= floors.cases
    got = [(level, assess(messages).level.label) for level, messages in cases]
    urgent = [g for level, g in got if level == "urgent"]
    risk = [g for level, g in got if level != "none"]
    benign = [g for level, g in got if level == "none"]
    assert sum(g == "urgent" for g in urgent) / len(urgent) >= floors.urgent
    assert sum(g != "none" for g in risk) / len(risk) >= floors.risk
    assert sum(g == "none" for g in benign) / len(benign) >= floors.benign
    assert sum(g == "none" for g in urgent) <= floors.urgent_missed
