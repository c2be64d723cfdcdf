"""The blind sets' cases in other languages, folded into the language files
(bot/risk/data/training-blind{6,7,8,9,10,11}-lang.yaml).

Scored before anything learned from them (bench/blind/README.md): set 6 urgent recall
0.882, any-risk 0.875, benign specificity 0.935; set 7 0.595, 0.692, 0.926; set 8 0.776,
0.776, 0.897; set 9 0.818, 0.838, 0.903; set 10 0.842, 0.774, 0.938; set 11 0.829, 0.846,
0.966. After each fold every one is read right (but those listed as known); they are
training data now, so this guards against regressions only and says nothing about unseen
wording. The English cases are in other folds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.risk import assess

DATA = Path(__file__).resolve().parents[2] / "bot" / "risk" / "data"

# file: (at least so many cases, windows still read above their level)
SETS: dict[str, tuple[int, frozenset[str]]] = {
    "training-blind6-lang.yaml": (87, frozenset()),
    # Cricket hyperbole ("dil kar raha tha mar jaun" after a lost match) is concern, since
    # no idiom yet covers a wish to die said of a game; left for native review.
    "training-blind7-lang.yaml": (
        92,
        frozenset({"uff yaar aaj ka match dekh ke dil kar raha tha mar jaun 😂 phir se haar gaye"}),
    ),
    # Read above their level, left for the next round: a past overdose told from home
    # ("pichle mahine goliyan kha li thi") and a sister's wish to die with "she is fine now"
    # are urgent, not concern; a recovered attempt thanked for is urgent, not none; and
    # "I'll kill you 😂" over a samosa is the English rules' (another fold's) to quieten.
    "training-blind8-lang.yaml": (
        105,
        frozenset(
            {
                "pichle mahine goliyan kha li thi, hospital se wapas aa gaya hoon, ab bhi udaas"
                " hoon",
                "bhai agar mera samosa khaya na toh I'll kill you 😂",
            }
        ),
    ),
    "training-blind9-lang.yaml": (
        99,
        frozenset(
            {
                "meri behen baar baar kehti hai k mar jana behtar hai. abhi to theek hai, khana"
                " bhi kha liya, lekin mujhe dar lagta hai",
                "5 saal pehle maine khudkushi ki koshish ki thi, alhamdulillah ab bohot behtar"
                " hun, bas shukriya kehna tha",
            }
        ),
    ),
    # Set 10 was folded by composing words, not its sentences (risklang10). Read above their
    # level, left for the next round: a past attempt told with "today I'm in a better place"
    # is urgent, not none (English reads its gloss so too); a mother's "I won't be around
    # much longer" before a doctor's appointment is the strong goodbye "ami ar thakbo na".
    "training-blind10-lang.yaml": (
        94,
        frozenset(
            {
                "rok temu próbowałam się zabić, dziś jestem w dużo lepszym miejscu i chciałam"
                " tylko podziękować",
                "amar ammu bole 'ami ar beshi din thakbo na', doctor er appointment 3 mash pore",
            }
        ),
    ),
    # Set 11 was folded by widening the composing words with spellings and inflections
    # (risklang11, hazard log H29): 0.829 / 0.846 / 0.966 before, 1.000 / 1.000 / 1.000 after.
    # The split "main ne chhalang laga di" | "box jump at the gym" is none only through the
    # learned layer (its first message alone is concern, and a language file's everyday use
    # does not resolve a run of messages), so retraining must keep it.
    "training-blind11-lang.yaml": (94, frozenset()),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_a_blind_sets_other_languages_are_read_at_their_level(name: str) -> None:
    least, known = SETS[name]
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    cases = [
        (str(level), list(text) if isinstance(text, list) else [str(text)])
        for entries in data.values()
        for level, text in entries
    ]
    assert len(cases) >= least
    read = [(level, assess(messages).level.label, messages) for level, messages in cases]
    wrong = [
        f"{level} <- {got}: {messages}"
        for level, got, messages in read
        if got != level and " ".join(messages) not in known
    ]
    assert not wrong, "\n".join(wrong)
