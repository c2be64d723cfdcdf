"""Concepts heard in Bradford's other languages compose like English ones (hazard log H20).

The language files give phrases for the concept layer's own concepts (means, possession,
time, place, jump, finality, acts done...); the concept layer combines them with each
other and with English ones, so a sentence no expression holds is still heard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.risk._languages as languages
from bot.risk import LayerError, Level, assess, load_detector


@pytest.mark.parametrize(
    "text",
    [
        "mere paas rassi hai aur aaj raat yeh kar lunga",  # ur: rope + tonight + I'll do it
        "میرے پاس رسی ہے اور آج رات میں یہ کر لوں گا",  # ur, Arabic script
        "mam w plecaku wszystkie tabletki mamy",  # pl: in the backpack + all + tablets
        "wzielam wszystkie tabletki, kreci mi sie w glowie",  # pl without diacritics
        "stojim na moste a skocim",  # sk: on the bridge + I'll jump
        "am inghitit toate pastilele si ma simt ametit",  # ro: swallowed + pills + dizzy
        "أخوي بلع حبوب أمي وصار نعسان",  # ar: swallowed + pills + sleepy
        "dwi wedi llyncu'r tabledi i gyd",  # cy: swallowed + tablets
        "ami sob ghumer oshudh kheye felechi",  # bn: swallowed + sleeping pills
        "ਮੈਂ ਸਾਰੀਆਂ ਦਵਾਈਆਂ ਖਾ ਲਈਆਂ",  # pa: swallowed + medicines
    ],
)
def test_concepts_in_other_languages_compose_into_urgent(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


def test_a_concept_in_another_language_composes_with_an_english_one() -> None:
    # "got the blade ready" (English) + "aaj raat kar dungi" (Roman Urdu: tonight I'll do it)
    assert assess(["yaar got the blade ready, aaj raat kar dungi"]).level is Level.URGENT
    # and over two messages of a window
    assert assess(["got the rope", "aaj raat"]).level is Level.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "nie chcę się zabić, po prostu jest mi smutno",  # pl: I don't want to kill myself
        "nu vreau sa mor, vreau doar sa vorbesc cu cineva",  # ro: I don't want to die
        "dwi ddim isio marw, jest yn drist",  # cy: I don't want to die
    ],
)
def test_a_negated_expression_in_another_language_is_not_urgent(text: str) -> None:
    assert assess([text]).level is not Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "aaj raat ammi ke ghar ja rahi hoon",
        "pul ke paas bus stop kahan hai",
        "dziś wieczorem idę do pracy",
        "jestem na peronie, pociąg się spóźnia",
        "wszystkie tabletki mam w torebce, zawsze je noszę",
        "in seara asta merg la film cu copiii",
        "dnes večer idem vlakom do Leedsu",
        "أخذت الدواء من الصيدلية اليوم",
        "هل الجسر قريب من المحطة",
        "dwi'n mynd am dro i'r afon heno gyda'r plant",
        "aaj rate amar ma er oshudh kinte hobe",
        "ਅੱਜ ਰਾਤ ਮੈਂ ਗੁਰਦੁਆਰੇ ਜਾਵਾਂਗਾ",
        "is the waiting room near the bridge street bus stop",
        "nie wiem, most people say the safe haven is good",
    ],
)
def test_everyday_words_in_other_languages_are_not_urgent(text: str) -> None:
    assert assess([text]).level is not Level.URGENT, text


def test_a_routine_frame_lowers_an_expression_to_concern_never_to_none() -> None:
    # "I took my morning tablets, like every day": an expression, in a routine frame
    assessment = assess(["maine subah ki goliyan kha li hain, roz ki tarah"])
    assert assessment.level is Level.CONCERN
    assert "lang:routine-frame" in assessment.rules


def test_arabic_and_joined_to_a_word_is_read() -> None:
    # "وسأنهي" = "and I will end": the joined "and" does not hide the word.
    assert assess(["لدي حبل في غرفتي وسأنهي حياتي الليلة"]).level is Level.URGENT


def test_a_language_file_naming_an_unknown_concept_stops_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "languages"
    shutil.copytree(languages.DEFAULT_LANGUAGES, folder)
    path = folder / "cy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  no_such_concept:\n    - heno\n", encoding="utf-8"
    )
    monkeypatch.setattr(languages, "DEFAULT_LANGUAGES", folder)
    with pytest.raises(LayerError, match="unknown concepts"):
        load_detector()


# Blind set 4 (2026-12): the kinds it missed, each written anew in every language (not the
# set's sentences), with everyday look-alikes that must stay quiet. Urdu, Punjabi and Bengali
# in their scripts and Roman; none yet reviewed by a native speaker (hazard log H20).
@pytest.mark.parametrize(
    "text",
    [
        # a goodbye sent to everyone, and locked in a room
        "mera bhai ne sab ko allah hafiz ka message kiya aur kamre mein lock hai",
        "meri beti ne sabko khuda hafiz likha hai, darwaza nahi khol rahi",
        "میری بہن نے سب کو خدا حافظ کا میسج کیا ہے اور کمرے میں بند ہے",
        "mera munda kamre ch band aa, sab nu rab rakha likh ke bheja",
        "ਮੇਰੀ ਧੀ ਨੇ ਸਭ ਨੂੰ ਰੱਬ ਰਾਖਾ ਲਿਖਿਆ ਤੇ ਕਮਰੇ ਵਿੱਚ ਬੰਦ ਹੈ",
        "amar bon sobaike biday message pathiyeche, dorja khulche na",
        "আমার ভাই সবাইকে বিদায় লিখেছে, দরজা খুলছে না",
        "اختي بعتت رساله وداع للكل وقفلت على حالها",
        "moja siostra napisała do wszystkich pożegnanie i zamknęła się w łazience",
        "fiul meu a trimis un mesaj de adio și s-a încuiat în baie",
        "sestra napísala všetkým zbohom a zamkla sa v izbe",
        "mae fy mab wedi anfon neges ffarwel ac wedi cloi ei hun yn ei stafell",
        # a letter written, and 'after tonight I won't be here'
        "maine letter likh diya hai, aaj raat ke baad main nahi hungi",
        "آج رات کے بعد میں نہیں ہوں گا، سب کے لیے خط لکھ دیا ہے",
        "chitthi likh ditti aa, ajj raat ton baad main nahi hona",
        "ਚਿੱਠੀ ਲਿਖ ਦਿੱਤੀ ਹੈ, ਅੱਜ ਰਾਤ ਤੋਂ ਬਾਅਦ ਮੈਂ ਨਹੀਂ ਹੋਣਾ",
        "chithi likhe rekhechi, aj rater por ami thakbo na",
        "আমি চিঠি লিখে রেখেছি, আজ রাতের পর আমি থাকব না",
        "كتبت رسالة وداع، بعد الليلة ما رح كون موجود",
        "zostawiłam list dla mamy. po dzisiejszej nocy mnie nie będzie",
        "am scris o scrisoare pentru copii. după noaptea asta nu voi mai fi",
        "napísal som list rodičom. po dnešnej noci tu nebudem",
        "dwi wedi ysgrifennu llythyr. ar ôl heno fydda i ddim yma",
        # at a bridge, roof or viaduct, and 'I can't bear it any more'
        "main bridge pe hoon, ab aur bardasht nahi hota",
        "nehar ke kinare khara hoon, aur nahi seh sakta",
        "ਮੈਂ ਪੁਲ ਤੇ ਖੜ੍ਹਾ ਹਾਂ, ਹੋਰ ਨਹੀਂ ਸਹਿ ਸਕਦਾ",
        "main pul te khada haan, hor nahi seh sakda",
        "ami bridge e dariye achi, ar sojjo korte parchi na",
        "ami chhade uthe gechi, ar parchi na",
        "انا فوق الجسر ومش قادر اتحمل",
        "واقفة على الجسر وما عدت اقدر",
        "stoję na wiadukcie i nie daję już rady",
        "sunt pe pod și nu mai suport",
        "som na moste a už to nevydržím",
        "dwi ar y bont a dwi methu cymryd mwy",
        # someone left with a rope or knife saying he won't come back
        "mera bhai rassi le ke gaya hai aur kaha ab wapas nahi aayega",
        "mere abbu chaku le kar nikle, bole kabhi wapas nahi aaunga",
        "mera pati rassi lai ke gaya, kehnda si wapas nahi auna",
        "amar baba dori niye beriye geche, bolche ar firbe na",
        "ابني طلع معه حبل وقال ما رح يرجع",
        "syn wyszedł z liną i powiedział, że już nie wróci",
        "soțul meu a plecat cu o funie și a zis că nu se mai întoarce",
        "manžel odišiel s povrazom a povedal, že sa už nevráti",
        "mae fy ngŵr wedi mynd gyda rhaff, meddai fo byth yn dod yn ôl",
        # how many tablets so I won't wake up
        "kitni paracetamol khaun ke subah na uthun?",
        "kinniyan goliyan khaan ke savere na uthan",
        "kotogulo ghumer oshudh khele ar uthbo na?",
        "কয়টা প্যারাসিটামল খেলে আর ঘুম ভাঙবে না?",
        "قديش حبة بنادول لازم اخد حتى ما اصحى",
        "ile tabletek nasennych trzeba żeby się nie obudzić",
        "câte somnifere trebuie să iau ca să nu mă mai trezesc",
        "koľko liekov na spanie treba, aby som sa nezobudil",
        "faint o barasetamol sydd angen i beidio deffro",
        # someone said he'd go in front of a train, and now his phone is off
        "mera beta keh raha tha train ke saamne aa jaunga, ab phone band hai",
        "meri behen ne kaha train ke aage kood jayegi, phone nahi utha rahi",
        "mera veer keh reha si gaddi de agge aa jauga, hun phone band aa",
        "amar chele bolche train er niche jhap dibe, phone dhorche na",
        "ابني قال رح يرمي حاله قدام القطار وتلفونه مسكر",
        "syn powiedział, że rzuci się pod pociąg, ma wyłączony telefon",
        "fiul meu a zis că se aruncă în fața trenului și are telefonul închis",
        "syn povedal, že skočí pod vlak, a má vypnutý telefón",
    ],
)
def test_blind_4_kinds_in_other_languages_are_urgent(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        # controlling family or partner: phone checked, not let out, money kept
        "mera shohar mera phone check karta hai aur ghar se nikalne nahi deta",
        "susral wale saare paise rakh lete hain, bahar nahi jaane dete",
        "ਮੇਰਾ ਘਰਵਾਲਾ ਬਾਹਰ ਨਹੀਂ ਜਾਣ ਦਿੰਦਾ, ਪੈਸੇ ਰੱਖ ਲੈਂਦੇ ਨੇ",
        "pati phone check karde ne te paise rakh lainde",
        "amar shami amar phone check kore, baire jete dey na",
        "শ্বশুরবাড়ির লোক আমার টাকা নিয়ে নেয়, বাইরে যেতে দেয় না",
        "زوجي يفتش جوالي وما يخليني اطلع بدون اذنه",
        "mój chłopak sprawdza mi telefon i nie pozwala mi wychodzić",
        "soțul îmi ia banii și nu mă lasă să ies din casă",
        "priateľ mi kontroluje telefón a nepustí ma von",
        "mae o'n checkio fy ffôn a cymryd fy arian",
        # not eating for days
        "ammi teen din se khana nahi kha rahi, bas leti rehti hain",
        "mera bhai dinon se kuch nahi khaya, kamre se bahar nahi nikalta",
        "ਬਾਪੂ ਜੀ ਨੇ ਦਿਨਾਂ ਤੋਂ ਰੋਟੀ ਨਹੀਂ ਖਾਧੀ",
        "bebe ne char dina ton roti nahi khadi",
        "আমার মা তিন দিন ধরে কিছু খাচ্ছে না",
        "amar bon koyek din dhore kichu khacche na",
        "ابوي من ايام ما اكل شي",
        "tata przestał jeść i nie wychodzi z pokoju",
        "mama nu mai mănâncă de o săptămână",
        "brat už päť dní neje a leží",
        "dydy hi ddim wedi bwyta ers dyddiau",
        # 'I want to sleep and not wake up', even with 'but I won't do anything'
        "dil karta hai so jaun aur kabhi na uthun, lekin kuch nahi karungi",
        "ਦਿਲ ਕਰਦਾ ਸੌਂ ਜਾਵਾਂ ਤੇ ਕਦੇ ਨਾ ਉੱਠਾਂ, ਪਰ ਕੁਝ ਨਹੀਂ ਕਰਾਂਗਾ",
        "mone hoy ghumiye pori ar jeno ar na uthi, kichu korbo na",
        "بتمنى نام وما اصحى، بس ما رح اعمل شي",
        "chciałabym zasnąć na zawsze, ale nic sobie nie zrobię",
        "aș vrea să adorm și să nu mă mai trezesc, dar nu fac nimic",
        "chcel by som zaspať navždy, ale nič si neurobím",
        "dwi isio mynd i gysgu a byth deffro, ond dwi ddim am wneud dim",
        # 'whether I'm here or not, nobody cares'
        "main rahun ya na rahun kisi ko farq nahi padta",
        "میں رہوں یا نہ رہوں، کسی کو میری پرواہ نہیں",
        "main howan ya na howan, kise nu farak nahi painda",
        "ami thaki ba na thaki, karo kichu jay ase na",
        "الكل زهقان مني، وجودي مثل عدمه",
        "czy jestem czy mnie nie ma, nikogo nie obchodzi",
        "nimănui nu i-ar păsa dacă aș dispărea",
        "nikomu by som nechýbal, všetci ma majú dosť",
        "does neb yn poeni os dwi yma neu beidio",
    ],
)
def test_blind_4_kinds_in_other_languages_are_concern(text: str) -> None:
    assert assess([text]).level is Level.CONCERN, text


@pytest.mark.parametrize(
    "text",
    [
        # a goodbye sent to everyone, and locked in a room
        "ok thank you, khuda hafiz",
        "shukriya, allah hafiz, kal baat karte hain",
        "ঠিক আছে, বিদায়, কাল কথা হবে",
        "dziękuję, do widzenia",
        # a letter written, and 'after tonight I won't be here'
        "aaj raat main ghar nahi hungi, shaadi pe ja rahi hoon",
        "ajj raat main ghar nahi hona, kamm te jana",
        "dziś w nocy mnie nie będzie w domu, jestem w pracy",
        "am scris o scrisoare de intenție pentru job",
        # at a bridge, roof or viaduct, and 'I can't bear it any more'
        "bridge pe traffic jam hai, der ho jayegi",
        "الجسر مسكر اليوم بسبب الشغل",
        "most w Leeds jest zamknięty, jadę objazdem",
        # someone left with a rope or knife saying he won't come back
        "abbu aaj raat wapas nahi aayenge, woh Leeds mein hain",
        "mąż wróci jutro z pracy",
        "fratele meu se întoarce mâine din vacanță",
        # how many tablets so I won't wake up
        "ile tabletek dziennie mogę brać według lekarza?",
        # controlling family or partner: phone checked, not let out, money kept
        "mera phone kharab hai, check karwana hai",
        "bank ne paise rakh liye hain, card block hai",
        "mama mi sprawdza zadania domowe",
        # not eating for days
        "aaj roza hai, khana nahi kha raha",
        "ajj vrat hai, main roti nahi khani",
        "dziś nie jem obiadu, zjem później z dziećmi",
        # 'I want to sleep and not wake up', even with 'but I won't do anything'
        "kal chutti hai, subah jaldi nahi uthna",
        "jutro wolne, nie muszę wstawać rano",
        # someone said he'd go in front of a train, and now his phone is off
        "mera beta train se Leeds gaya hai, phone band hai, shayad so gaya",
    ],
)
def test_blind_4_look_alikes_in_other_languages_are_not_risk(text: str) -> None:
    assert assess([text]).level is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        # at a bridge, roof or viaduct, and 'I can't bear it any more'
        "pul te bus da stop kithe aa",
        # how many tablets so I won't wake up
        "doctor ne kaha din mein kitni goliyan leni hain?",
    ],
)
def test_blind_4_dose_and_place_questions_are_not_urgent(text: str) -> None:
    # Older phrases ("kitni goliyan", "pul te") still read these as concern; never urgent.
    assert assess([text]).level is not Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "theek hai, khuda hafiz",
        "allah hafiz bhai, kal milte hain",
        "sab ko khuda hafiz, eid mubarak",
        "abbu kal wapas nahi aayenge, woh Pakistan mein hain",
        "mera bhai ab wapas nahi aayega Bradford, London shift ho gaya",
        "phone band tha, battery khatam ho gayi thi",
        "mera beta school gaya, phone band hai",
        "kitni der lagegi appointment mein?",
        "kitne paise lagenge?",
        "ammi ki dawai kitni baar leni hai?",
        "ajj raat main ghar nahi hona, shaadi te jana",
        "rab rakha ji, fer milange",
        "kinniyan kitaban chahidiyan ne?",
        "mera munda station val gaya, train phadni si Leeds di",
        "bebe roti nahi kha rahi kyunki vrat hai",
        "koyta bus Leeds jay?",
        "koyta appointment ache aajke?",
        "ammu ar firbe na aaj, mamar bari thakbe",
        "আল্লাহ হাফেজ, পরে কথা হবে",
        "ghum theke uthte deri hoy",
        "ami chhade kapor shukate dicchi",
        "مع السلامة، بشوفك بكرة",
        "قديش الساعة هلق؟",
        "ابني راجع من المدرسة",
        "اخي ما عم يرد لانه بالشغل",
        "الله يعطيك العافية",
        "والله تعبت من الشغل اليوم",
        "mąż wyszedł do pracy, wróci wieczorem",
        "syn powiedział, że dziś nie wróci na obiad",
        "brat się przeprowadził do Leeds",
        "ile kosztuje wizyta?",
        "soțul meu s-a întors de la muncă",
        "câte zile durează programarea?",
        "nu mă lasă să plec mai devreme de la muncă, șeful e strict",
        "brat odišiel do práce",
        "koľko stojí lístok na vlak?",
        "už tu nebudem bývať, sťahujem sa do Leedsu",
        "dwi'n mynd i gysgu rŵan, nos da",
        "faint o'r gloch ydy hi?",
        "fy mab wedi mynd i'r ysgol",
        "heute ist schönes wetter",
        "I'll be back after tonight's shift",
        "my phone is off till tomorrow",
    ],
)
def test_blind_4_new_words_in_everyday_messages_stay_quiet(text: str) -> None:
    # Everyday goodbyes ("khuda hafiz", "rab rakha"), "won't be back" from work or school,
    # phones off, "how many" about buses and prices, moving house: the new phrases must not
    # read these as risk.
    assert assess([text]).level is Level.NONE, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("pul par khari hoon, ab bardasht nahi hota", "urgent"),
        ("main nehar pe hun, aur nai seh sakta", "urgent"),
        ("mera bhai chhuri le ke nikla aur bola ab wapas nahi aaunga", "urgent"),
        ("kitni neend ki goliyan lun ke subah na uthun", "urgent"),
        ("bas so jaun aur kabhi na uthun, par kuch karungi nahi", "concern"),
        ("shohar paise rakh leta hai aur ghar se nikalne nahi deta", "concern"),
        ("ਮੇਰਾ ਮੁੰਡਾ ਕਹਿੰਦਾ ਸੀ ਟਰੇਨ ਦੇ ਅੱਗੇ ਆ ਜਾਊਂਗਾ, ਹੁਣ ਫੋਨ ਬੰਦ ਹੈ", "urgent"),
        ("ਮੇਰੀ ਮਾਂ ਦਿਨਾਂ ਤੋਂ ਰੋਟੀ ਨਹੀਂ ਖਾ ਰਹੀ", "concern"),
        ("mainu ghar ton bahar nahi jaan dinde te phone vi check karde", "concern"),
        ("میں پل تے کھڑا ہاں، ہور نئیں سہہ سکدا", "urgent"),
        ("ami rail line e dariye achi, ar pari na", "urgent"),
        ("koita ghumer oshud khele r uthbo na", "urgent"),
        ("amar shami taka rekhe dey, phone check kore", "concern"),
        ("আজ রাতের পর আমি থাকবো না, সবাইকে বিদায়", "urgent"),
        ("انا على السطح وما عاد فيني", "urgent"),
        ("كتبت رسالة وداع ووضعتها على الطاولة، ما رح كون موجود بكرا", "urgent"),
        ("زوجي بيفتش تلفوني وما بيخليني اطلع", "concern"),
        ("امي بطلت تاكل من اسبوع", "concern"),
        ("stoje na moscie i nie daje juz rady", "urgent"),
        ("maz wyszedl ze sznurem i powiedzial ze juz nie wroci", "urgent"),
        ("ile tabletek nasennych zeby sie nie obudzic", "urgent"),
        ("chcialabym zasnac i sie nie obudzic, ale nic nie zrobie", "concern"),
        ("maz sprawdza mi telefon i zabiera mi pieniadze", "concern"),
        ("sunt pe acoperis si nu mai suport", "urgent"),
        ("sotul a plecat cu funia si a zis ca nu se mai intoarce", "urgent"),
        ("iubitul imi verifica telefonul si imi ia banii", "concern"),
        ("som na streche a uz to nevydrzim", "urgent"),
        ("manzel odisiel s povrazom, vraj sa uz nevrati", "urgent"),
        ("najradsej by som zaspala a uz sa nezobudila", "concern"),
        ("dwi ar y to a dwi methu diodde mwy", "urgent"),
        ("dwi isio cysgu am byth, ond wna i ddim byd", "concern"),
        ("mae o'n cymryd fy arian a ddim yn gadael i mi fynd allan", "concern"),
        ("yaar pul pe hoon, cant take it anymore", "urgent"),
        ("my brother left with a rope and said wapas nahi aayega", "urgent"),
    ],
)
def test_blind_4_kinds_without_diacritics_and_misspelt(text: str, level: str) -> None:
    # A second round, written after the first passed: no diacritics (moscie, nevydrzim),
    # texting spellings (nai, nhi, r for ar), Shahmukhi and Gurmukhi, and code-switching.
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("awazein keh rahi hain chhat se kood jao, main chhat pe hoon", "urgent"),
        ("maine nas kaat li hai aur khoon ruk nahi raha", "urgent"),
        ("shohar ne chaku nikala hai aur keh raha hai aaj tujhe maar dunga", "urgent"),
        ("kal raat phir khud ko cut kiya, zyada gehra nahi", "concern"),
        ("میں نے اپنی نس کاٹ لی ہے، خون بند نہیں ہو رہا", "urgent"),
        ("آوازیں کہتی ہیں خود کو ختم کر دو", "urgent"),
        ("bhook se mar raha hoon yaar, khana lao", "none"),
        ("is garmi ne to jaan nikal di", "none"),
        ("awaazan kehndiyan ne chhat ton chhaal maar de", "urgent"),
        ("main apni nas kat layi, khoon nahi ruk reha", "urgent"),
        ("mera pati chaku lai ke khada, kehnda ajj tainu maar dena", "urgent"),
        ("ਅਵਾਜ਼ਾਂ ਕਹਿੰਦੀਆਂ ਨੇ ਆਪਣੇ ਆਪ ਨੂੰ ਖਤਮ ਕਰ ਦੇ", "urgent"),
        ("ਮੇਰਾ ਪਤੀ ਮੈਨੂੰ ਰੋਜ਼ ਕੁੱਟਦਾ ਹੈ", "concern"),
        ("thand nal mar gaye aan ajj", "none"),
        ("kane awaj bolche chhad theke laf dao", "urgent"),
        ("hat kete felechi, rokto thamche na", "urgent"),
        ("amar shami churi niye dariye ache, bolche aj mere felbe", "urgent"),
        ("গতকাল আবার হাত কেটেছি, বেশি গভীর না", "concern"),
        ("মাথার ভেতর কেউ বলছে নিজেকে শেষ করে দে", "urgent"),
        ("hasi te more gelam 😂", "none"),
        ("في صوت براسي بيقلي اقتل حالك", "urgent"),
        ("جرحت ايدي والدم ما عم يوقف", "urgent"),
        ("جوزي ماسك سكين وعم يقول رح يقتلني الليلة", "urgent"),
        ("امبارح جرحت حالي مرة ثانية بس مش عميق", "concern"),
        ("مت من الضحك 😂", "none"),
        ("رح موت من الجوع، شو في اكل؟", "none"),
        ("głosy każą mi skoczyć z dachu, jestem na górze", "urgent"),
        ("pocięłam się i krew nie przestaje lecieć", "urgent"),
        ("mąż stoi z nożem i krzyczy że mnie zabije", "urgent"),
        ("umieram z nudów w tej pracy", "none"),
        ("zabiję cię jak zjesz mój jogurt haha", "none"),
        ("mi-am tăiat venele și sângele nu se oprește", "urgent"),
        ("soțul are un cuțit și zice că mă omoară în seara asta", "urgent"),
        ("mor de râs 😂", "none"),
        ("m-am tăiat ieri din nou, nu adânc", "concern"),
        ("hlasy mi kážu skočiť z mosta", "urgent"),
        ("porezala som sa a krv sa nezastaví", "urgent"),
        ("manžel má nôž a hovorí, že ma dnes zabije", "urgent"),
        ("mae'r lleisiau'n dweud wrtha i am neidio", "urgent"),
        ("dwi wedi torri fy hun a dwi ddim yn stopio gwaedu", "urgent"),
        ("mae fy ngŵr efo cyllell ac yn dweud ei fod o'n mynd i ladd fi", "urgent"),
        ("dwi bron â marw o chwerthin", "none"),
    ],
)
def test_blind_4_other_kinds_in_every_language(text: str, level: str) -> None:
    # A third round over kinds blind set 4 held in English but not yet in every language:
    # voices commanding (voices + command + a harm word compose, as in English), a cut that
    # won't stop bleeding, a partner with a knife threatening to kill, a cut in the past
    # (concern), and each language's "dying of laughter / hunger / cold" (none).
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("ammi ne saari dawaiyan kha li hain aur ab uth nahi rahi", "urgent"),
        ("maine poora patta kha liya, ulti aa rahi hai", "urgent"),
        ("ਮੇਰੀ ਭੈਣ ਨੇ ਸਾਰੀਆਂ ਗੋਲੀਆਂ ਖਾ ਲਈਆਂ, ਹੁਣ ਉੱਠ ਨਹੀਂ ਰਹੀ", "urgent"),
        ("main saariyan dawaiyan kha laiyan, chakkar aa rahe", "urgent"),
        ("amar ma sob oshudh kheye feleche, ekhon uthche na", "urgent"),
        ("আমি পুরো পাতা ট্যাবলেট খেয়েছি, বমি পাচ্ছে", "urgent"),
        ("اخدت علبة بنادول كاملة وعم استفرغ", "urgent"),
        ("أمي بلعت كل حبوبها وما عم تصحى", "urgent"),
        ("mama połknęła wszystkie swoje leki i nie mogę jej dobudzić", "urgent"),
        ("am luat o cutie întreagă de paracetamol și vomit", "urgent"),
        ("zjedol som celé balenie liekov a zvraciam", "urgent"),
        ("dwi wedi llyncu bocs cyfan o dabledi a dwi'n chwydu", "urgent"),
        ("aaj raat sab goliyan kha lungi, jama kar rakhi hain", "urgent"),
        ("ajj raat saariyan goliyan kha lavangi", "urgent"),
        ("aj rate sob oshudh kheye nebo", "urgent"),
        ("الليلة رح اخد كل الحبوب اللي جمعتها", "urgent"),
        ("dziś w nocy wezmę wszystkie tabletki które zbierałam", "urgent"),
        ("în seara asta iau toate pastilele pe care le-am strâns", "urgent"),
        ("dnes večer zoberiem všetky tabletky, mám ich odložené", "urgent"),
        ("heno dwi am gymryd y tabledi i gyd", "urgent"),
        ("main dariya ke kinare hoon, paani mein utar jaun ga", "urgent"),
        ("ami nodir dhare boshe achi, jhap dibo", "urgent"),
        ("انا عند النهر وبدي انط بالمي", "urgent"),
        ("siedzę nad kanałem i chcę wejść do wody i już nie wyjść", "urgent"),
        ("stau pe marginea acoperișului", "urgent"),
        ("sedím na okraji strechy", "urgent"),
        ("dwi'n eistedd ar ymyl y to", "urgent"),
        ("main sab ke liye bojh ban gayi hoon", "concern"),
        ("zindagi mein koi umeed nahi bachi", "concern"),
        ("ਮੈਂ ਸਭ ਤੇ ਬੋਝ ਬਣ ਗਿਆ ਹਾਂ", "concern"),
        ("ami sobar kache ekta bojha", "concern"),
        ("أنا عبء على الكل", "concern"),
        ("jestem dla wszystkich ciężarem", "concern"),
        ("sunt o povară pentru familia mea", "concern"),
        ("som pre všetkých len príťaž", "concern"),
        ("dwi'n faich ar bawb", "concern"),
        ("ammi ki dawai khatam ho gayi, naya nuskha chahiye", "none"),
        ("bachon ke saath nehar ke kinare picnic pe hain", "none"),
        ("aaj raat dawai lena yaad rakhna", "none"),
        ("আজ রাতে মায়ের ওষুধ খাওয়াতে হবে", "none"),
        ("بدي اجدد وصفة الدوا لامي", "none"),
        ("jutro idę po leki do apteki", "none"),
        ("am luat pastilele de la farmacie azi", "none"),
        ("dwi angen casglu tabledi mam o'r fferyllfa", "none"),
        ("اخدت حبة بنادول للصداع", "none"),
        ("اخدت بنادول وصرت احسن", "none"),
        ("بلعت حبة بنادول للصداع", "none"),
    ],
)
def test_blind_4_overdoses_plans_water_and_burden_in_every_language(text: str, level: str) -> None:
    # A fourth round: tablets taken with effects (Levantine "اخدت علبة" as well as "بلعت"),
    # a plan with means and time, going into the water (drowning words), a burden; and
    # medicine, picnics and prescriptions that stay quiet ("with the children" is a routine
    # frame in every language, as "with the kids" is in English).
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # abuse happening now: a progressive verb with a person hit, hiding or locked in, "now"
        ("woh abhi ammi ko maar rahe hain, main upar chhupi hui hoon", "urgent"),
        ("mera shohar mujhe maar raha hai, please koi bhejo", "urgent"),
        ("ابو مجھے مار رہے ہیں، میں باتھ روم میں بند ہوں", "urgent"),
        ("bapu sharab pee ke aaya te mummy nu kut reha", "urgent"),
        ("ਮੇਰਾ ਘਰਵਾਲਾ ਮੈਨੂੰ ਮਾਰ ਰਿਹਾ, ਮੈਂ ਕਮਰੇ ਵਿੱਚ ਬੰਦ ਹਾਂ", "urgent"),
        ("abba amake marche, ami bathroom e bondho", "urgent"),
        ("মদ খেয়ে এসে বাবা মাকে মারছে", "urgent"),
        ("Ojciec bije mamę, schowałam się w szafie", "urgent"),
        ("Tata o bate pe mama, m-am ascuns în cameră", "urgent"),
        ("Manžel ma práve bije, deti plačú", "urgent"),
        ("ابوي عم يضرب امي وانا مستخبية بغرفتي", "urgent"),
        ("Mae dad yn taro mam, dw i wedi cloi fy hun yn y llofft", "urgent"),
        # code-switched plans and goodbyes
        ("bas bohat ho gaya, rassi le aaya hoon", "urgent"),
        ("meri dhee keh rahi aj raat apna aap muka laina, ode kol chhuri", "urgent"),
        ("bas sab ko allah hafiz, meri galtiyan maaf kar dena", "urgent"),
        ("ابني ودعني وأعطى أغراضه لأصحابه وما يرد", "urgent"),
        # concern kinds
        ("Znova som sa porezala, nikto to nevie", "concern"),
        ("dimag mein awaazen rehti hain, neend nahi aati", "concern"),
        ("Słyszę głosy w nocy, boję się spać", "concern"),
        ("Počujem hlasy, ktoré sa mi smejú", "concern"),
        ("kade kade lagda suttiyan pai rawan te na uthan", "concern"),
        ("jeene ka koi faida nahi lagta ab", "concern"),
        ("ਹੁਣ ਜੀਣ ਦਾ ਕੀ ਮਤਲਬ", "concern"),
        ("Viața nu are sens de când a murit mama", "concern"),
        ("Zase pijem a nikomu to nepoviem", "concern"),
        ("Sora mea spune că vrea să moară", "concern"),
        ("আবার হাত কাটতে ইচ্ছে হয়", "concern"),
        ("ami rope kine enechi, aaj raate korbo", "urgent"),
        ("my husband is hitting me now, bache ro rahe hain", "urgent"),
        ("shohar maar raha hai mujhe abhi", "urgent"),
        ("Mąż mnie bije, dzieci płaczą", "urgent"),
        ("Wnes i dorri fy hun eto neithiwr", "concern"),
        ("Moja mama hovorí, že chce zomrieť", "concern"),
        ("أمي تقول إنها تريد أن تموت", "concern"),
    ],
)
def test_blind_5_kinds_in_every_language(text: str, level: str) -> None:
    # A fifth round, by kind: abuse happening now (the Urdu, Punjabi and Bengali
    # progressive with the person hit is "now"; elsewhere "now", hiding, locked in or home
    # drunk), a code-switched rope brought, a third person's knife and tonight, a goodbye
    # with "forgive me", things given away; self-harm again, voices in the head, not
    # waking, no point living, drinking again, a relative who wants to die.
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    "text",
    [
        "machhar ko maar raha hoon, bohat hain aaj",
        "dost gappen maar rahe hain, main bore ho rahi hoon",
        "bathroom mein band pani tha, plumber bulaya",
        "sabzi kaat rahi hoon chaku se, phir baat karte hain",
        "ਮਸਾਲਾ ਕੁੱਟ ਰਿਹਾ ਹਾਂ, ਅੱਜ ਰਾਤ ਦਾਲ ਬਣਾਉਣੀ",
        "ਅੱਜ ਸਾਰੀ ਸਬਜ਼ੀ ਚਾਕੂ ਨਾਲ ਕੱਟੀ",
        "sharab pee ke aaye si kal, hun theek ne",
        "hass hass ke bura haal",
        "ma maach katche boti diye, aaj raate biryani",
        "Serce mi teraz bije szybko po bieganiu",
        "Jestem w łazience, zaraz oddzwonię",
        "Umrę ze śmiechu z tego filmu",
        "Cineva ne bate la ușă, cine o fi",
        "Sunt în baie, te sun imediat",
        "Mă omoară căldura asta azi",
        "Srdce mi bije rýchlo",
        "Som v kúpeľni, zavolám neskôr",
        "حدا عم يضرب عالباب",
        "انا في الحمام هلق، بحكيك بعدين",
        "Dw i yn y stafell ymolchi, ffonia i ti wedyn",
        "chhuri kahan rakhi hai? sabzi kaatni hai",
        "nayi churiyan li hain Eid ke liye",
        "Am cumpărat un cuțit nou pentru bucătărie",
        "اشتريت سكين جديدة للمطبخ",
        "Prynais i gyllell newydd i'r gegin",
        "notun chhuri kinlam rannar jonno",
        "maar rahi hoon machhar, mujhe kaat liya",
        "Dzieci płaczą cały dzień, są chore",
        "bache ro rahe hain, neend nahi aa rahi unko",
    ],
)
def test_blind_5_new_words_in_everyday_messages_stay_quiet(text: str) -> None:
    # Killing a mosquito, gossip ("gappen maar"), pounding spices, a bathroom, a heartbeat,
    # knocking at the door, the heat "killing me", a knife for vegetables: the new phrases
    # for abuse now, hiding and cooking must not read these as risk.
    assert assess([text]).level is Level.NONE, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("aaj raat main hor nahi rehna, goliyan tayar ne", "urgent"),
        ("kuj changa nai lagda, jeen da koi faida nai", "concern"),
        ("nahi pata, goliyan bag mein hain aur aaj raat kha lungi", "urgent"),
    ],
)
def test_a_negation_does_not_reach_across_a_comma(text: str, level: str) -> None:
    # "nai lagda, jeen da koi faida": the "not" ends with its clause, as in the concept layer.
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    "text",
    ["ਮੈਂ ਮਰਨਾ ਨਹੀਂ ਚਾਹੁੰਦੀ", "میں مرنا نہیں چاہتی", "mai marna nahi chahta bas madad chahiye"],
)
def test_a_negation_inside_an_expression_negates_it(text: str) -> None:
    # Urdu and Punjabi put "not" between the verb and "want": "marna nahi chahti" is "I don't
    # want to die", not "marna ... chahti".
    assert assess([text]).level is not Level.URGENT, text
    assert assess(["main marna chahti hoon"]).level is Level.URGENT


def test_clause_starts_are_counted_in_words() -> None:
    assert languages.clause_starts("nie wiem, tabletki mam") == frozenset({2, 4})
    assert languages.words("nie wiem, tabletki mam") == ("nie", "wiem", "tabletki", "mam")


# ---------------------------------------------------- the sixth fold (2026-12, risklang6)
@pytest.mark.parametrize(
    "text",
    [
        "کبھی کبھی جی چاہتا ہے کہ مر جاؤں، مگر میں اپنے ساتھ کچھ نہیں کروں گا",  # ur
        "kabhi kabhi dil karta hai ke mar jaun, par main kuch nahi karungi",  # ur-Latn
        "ji karda mar jawan, par main kuch nahi karangi",  # pa-Latn
        "ਕਦੇ ਕਦੇ ਜੀ ਕਰਦਾ ਮਰ ਜਾਵਾਂ, ਪਰ ਮੈਂ ਕੁਝ ਨਹੀਂ ਕਰਾਂਗਾ",  # pa
        "মাঝে মাঝে মরে যেতে ইচ্ছে করে, কিন্তু আমি কিছু করব না",  # bn
        "majhe majhe more jete icche kore, kintu kichu korbo na",  # bn-Latn
        "Czasem chciałbym umrzeć. Ale nic sobie nie zrobię.",  # pl
        "Aș vrea să mor uneori. Dar nu voi face nimic.",  # ro
        "Niekedy by som chcel umrieť. Ale nič si neurobím.",  # sk
        "ليتني أموت أحياناً، لكن لن أفعل شيئاً",  # ar
        "Weithiau dw i'n dymuno marw. Wna i ddim byd.",  # cy
    ],
)
def test_a_passive_wish_with_a_denial_of_intent_is_concern_in_every_language(text: str) -> None:
    # The denial lowers an urgent expression to concern; it never erases the wish.
    assert assess([text]).level is Level.CONCERN, text


@pytest.mark.parametrize(
    "messages",
    [
        ["main station te haan", "koi faida ni, gaddi aa rahi"],  # pa-Latn
        ["ami station e", "train er shamne jabo"],  # bn-Latn
        ["jestem na torach", "pociąg nadjeżdża"],  # pl
        ["sunt pe calea ferată", "vine trenul"],  # ro
        ["أنا على سكة الحديد", "القطار قادم"],  # ar
        ["dw i ar y cledrau", "mae'r trên yn dod"],  # cy
    ],
)
def test_a_train_coming_at_a_station_or_track_with_risk_is_urgent(messages: list[str]) -> None:
    assert assess(messages).level is Level.URGENT, messages


@pytest.mark.parametrize(
    "messages",
    [
        ["mąż jest pijany", "zamknęłam się z dziećmi w pokoju", "mówi, że nas zabije"],  # pl
        ["soțul meu e beat", "m-am încuiat cu copiii", "amenință că ne omoară"],  # ro
        ["manžel je opitý", "zamkla som sa s deťmi", "hovorí, že nás zabije"],  # sk
        ["زوجي سكران", "قفلت على نفسي مع أطفالي", "يقول سيقتلنا"],  # ar
        ["shohar nashe mein hai", "bachon ke saath kamre mein band", "kehta hai sab ko maar dega"],
    ],
)
def test_locked_in_with_the_children_and_a_threat_to_kill_is_urgent(messages: list[str]) -> None:
    assert assess(messages).level is Level.URGENT, messages


@pytest.mark.parametrize(
    "text",
    [
        "Dnes v noci to skončím, povraz mám pripravený",  # sk
        "Sznur przygotowany, dziś w nocy to zakończę",  # pl
        "Funia e pregătită, la noapte termin",  # ro
        "rassi tayar kar li hai, aaj raat",  # ur-Latn
        "Mae'r rhaff yn barod, heno",  # cy
    ],
)
def test_a_rope_prepared_tonight_is_urgent(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "yaar ye paper mujhe maar dega",  # ur-Latn: this paper will kill me
        "eh exam mainu maar dooga",  # pa-Latn
        "ei gorom amake mere felbe",  # bn-Latn: the heat will kill me
        "Mama mă bate la cap toată ziua",  # ro: nags me
        "Mae'n taro fi bod hi'n oer heddiw",  # cy: it strikes me it's cold today
        "main hun ethe nahi rehna, navi jagah labh rahe",  # pa-Latn: moving house
        "sznurek do prania się zerwał",  # pl: the washing line broke
        "lano na ťahanie auta je v kufri",  # sk: the tow rope is in the boot
        "حبل الغسيل انقطع",  # ar: the washing line broke
        "duty khatam, ambulance pe thi aaj, bas thak gayi hoon",  # ur-Latn: a job, tired
        "ولدي عنده حبوب الحساسية",  # ar: my son has allergy pills (not لدي, I have)
    ],
)
def test_idioms_jobs_and_everyday_ropes_stay_quiet(text: str) -> None:
    assert assess([text]).level is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "sab ko allah hafiz, bohat kuch kehna tha lekin ab nahi, mujhe maaf kar dena",  # ur-Latn
        "sobaike biday, onek kotha baki roye gelo, amake khoma kore dio",  # bn-Latn
    ],
)
def test_a_goodbye_to_all_and_forgive_me_far_apart_are_urgent(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


def test_an_arabic_whole_word_is_not_split_into_a_proclitic() -> None:
    layer = languages.load_languages()
    # و + لدي would be "and I have"; ولدي is "my son", listed as an ordinary word.
    assert "possession" not in layer.read("ولدي").concepts
    assert "means" in layer.read("ولدي حبل").concepts


def test_a_negation_ending_one_message_does_not_reach_into_the_next() -> None:
    # "nie" answers a question; the next message says it plainly.
    assert assess(["nie", "chcę się zabić"]).level is Level.URGENT
    # ...while in one message it still negates.
    assert assess(["nie chcę się zabić"]).level is not Level.URGENT


# ---------------------------------------------------------------- the ninth fold (risklang9)


def test_a_languages_own_letters_name_it_so_od_is_from_not_an_overdose() -> None:
    layer = languages.load_languages()
    # One Polish marker word ("od") and no English: the ł makes it Polish.
    assert layer.read("telefon od zespołu kryzysowego").language == "pl"
    assert assess(["telefon od zespołu kryzysowego"]).level is Level.NONE
    assert assess(["dostałam wiadomość od zespołu, dziękuję"]).level is Level.NONE
    # English text-speak keeps its reading.
    assert assess(["gonna od tonight"]).level is Level.URGENT


def test_words_passed_over_in_an_expression_do_not_reach_across_a_clause() -> None:
    # "zabije" ... "się" across a message break is not "zabiję się" (kill myself).
    assert assess(["szefowa", "mnie zabije", "bo znowu się spóźnię haha"]).level is Level.NONE
    assert assess(["zabiję się dziś"]).level is Level.URGENT


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("mój syn się tnie, znalazłam żyletki", "concern"),  # pl: someone else cutting
        ("siostra tnie się od miesiąca", "concern"),  # pl
        ("moja dcéra sa reže, čo mám robiť", "concern"),  # sk
        ("mae fy merch yn torri ei hun", "concern"),  # cy
        ("tata przestał brać leki i mówi dziwne rzeczy", "concern"),  # pl: stopped medication
        ("mama ciągle mówi o śmierci i nie śpi", "concern"),  # pl: talk of death
        ("mera beta dinon se chup hai aur kamre se bahar nahi aata", "concern"),  # ur-Latn
        ("amar chele hoptah dhore kotha bole na, khay na", "concern"),  # bn-Latn
        ("nu mai văd niciun rost în nimic", "concern"),  # ro
        ("maine poori patti kha li hai, sar ghoom raha hai", "urgent"),  # ur-Latn: whole strip
        ("میرے بیٹے نے کیڑے مار دوا پی لی ہے، الٹیاں کر رہا ہے", "urgent"),  # ur: insecticide
        ("ਮੈਂ ਚੂਹੇ ਮਾਰ ਦਵਾਈ ਪੀ ਲਈ ਹੈ, ਢਿੱਡ ਵਿੱਚ ਜਲਣ ਹੋ ਰਹੀ ਹੈ", "urgent"),  # pa: rat poison
        ("mamu raat ko phir mere kamre mein aa gaye, main 11 saal ki hoon", "urgent"),  # ur-Latn
        ("ਸਭ ਨੂੰ ਅਲਵਿਦਾ, ਮੈਨੂੰ ਮਾਫ਼ ਕਰ ਦਿਓ", "urgent"),  # pa: goodbye to all
        ("sobai ke bolo amake maf kore dite, ar amake dekhbe na", "urgent"),  # bn-Latn
        ("fiul meu a zis că se spânzură, are o frânghie", "urgent"),  # ro
        ("stau lângă lac cu pietre în buzunare", "urgent"),  # ro: stones in pockets
        ("sotul meu zice ca ma omoara diseara", "urgent"),  # ro: partner's threat
        ("tata powiedział że skoczy z balkonu, stoi tam teraz", "urgent"),  # pl: balcony
        ("ami balcony theke lafiye porbo ekhon", "urgent"),  # bn-Latn
        ("أنا فوق الجسر، بدي ارمي نفسي", "urgent"),  # ar: throw myself
        ("dw i'n mynd i'r bont heno i neidio", "urgent"),  # cy: mutated bridge
    ],
)
def test_blind_8_and_9_kinds_in_fresh_wordings(text: str, level: str) -> None:
    assert assess([text]).level.label == level, text


@pytest.mark.parametrize(
    "text",
    [
        "m-am tăiat în deget la bucătărie, nu e nimic",  # ro: a cooking cut
        "porezal som sa do prsta pri krájaní chleba",  # sk
        "wziąłem dwie tabletki na przeziębienie",  # pl: an everyday dose
        "szef mnie zabije jak znowu się spóźnię",  # pl: hyperbole
        "skoczę do sklepu po chleb",  # pl: popping to the shop
        "ciasto tnie się na kawałki",  # pl: a recipe
        "Dw i wedi penderfynu, heno dw i'n coginio cyri",  # cy: decided, tonight a curry
        "hwyl fawr pawb, diolch am heno",  # cy: goodbye after an evening
        "woh abhi theek hai, doctor ne check kar liya",  # ur-Latn
        "sobai ke dhonnobad, kal dekha hobe",  # bn-Latn: see you tomorrow
    ],
)
def test_blind_8_and_9_look_alikes_stay_quiet(text: str) -> None:
    assert assess([text]).level is Level.NONE, text


def test_another_languages_ordinary_word_is_whole_to_a_stem() -> None:
    layer = languages.load_languages()
    # Polish "leki" (medicines) is a stem; Urdu "lekin" (but) is listed as ordinary.
    assert "means" not in layer.read("abhi theek hai lekin mujhe dar lagta hai").concepts
    assert "means" in layer.read("mam leki w torbie").concepts


def test_a_cover_phrase_hides_a_look_alike_and_is_not_a_frame() -> None:
    layer = languages.load_languages()
    reading = layer.read("kal blade chalaya, ab theek hun bas sharam aa rahi hai")
    # "hun bas" (Punjabi: enough now) is not read inside "theek hun bas" (I'm fine, just)...
    assert "finality" not in reading.concepts
    # ...and "cover" says nothing to the concept layer (it is no idiom, no everyday use).
    assert "cover" not in reading.concepts
    assert "cover" not in layer.concept_names


# ------------------------------------------------------- the tenth fold (risklang10, 2026-12)
# Folding sets 8 and 9 phrase by phrase raised them to 1.000 and moved fresh set 10's other
# languages not at all: phrases do not generalise. So each language now has its building
# blocks as separate word lists that the concept layer composes (a means, a place of danger,
# a jump, wanting to die, a goodbye, a time, another person, an act done, not waking, no point),
# and a sentence built of them reads as English does. Every wording below was written by the
# engineer, not copied from set 10; none has been read by a native speaker (hazard log H20).
@pytest.mark.parametrize(
    ("code", "concept", "words"),
    [
        ("pl", "means", "tabletki"),
        ("pl", "danger_place", "na torach"),
        ("pl", "brink", "skoczę"),
        ("pl", "intent", "zabiję się"),
        ("pl", "strong_finality", "więcej mnie nie zobaczycie"),
        ("pl", "time_now", "dziś w nocy"),
        ("pl", "someone_else", "moja córka"),
        ("pl", "act_done", "połknęła"),
        ("pl", "collapse_weak", "nie oddycha"),
        ("pl", "passive", "nie widzę sensu"),
        ("sk", "means", "lieky"),
        ("sk", "danger_place", "na moste"),
        ("sk", "brink", "skočí"),
        ("sk", "intent", "zabiť sa"),
        ("sk", "strong_finality", "už ma neuvidíte"),
        ("sk", "time_now", "dnes v noci"),
        ("sk", "someone_else", "moja dcéra"),
        ("sk", "act_done", "prehltla"),
        ("sk", "collapse_weak", "nedýcha"),
        ("sk", "passive", "nevidím zmysel"),
        ("ro", "means", "pastilele"),
        ("ro", "danger_place", "acoperișul"),
        ("ro", "brink", "să sară"),
        ("ro", "intent", "să mă omor"),
        ("ro", "strong_finality", "nu mă mai vedeți"),
        ("ro", "time_now", "diseară"),
        ("ro", "someone_else", "fiica mea"),
        ("ro", "act_done", "a înghițit"),
        ("ro", "collapse_weak", "nu respiră"),
        ("ro", "passive", "nu mai are rost"),
        ("ar", "means", "حبوب"),
        ("ar", "danger_place", "السطح"),
        ("ar", "brink", "يرمي نفسه"),
        ("ar", "intent", "اقتل نفسي"),
        ("ar", "strong_finality", "آخر رسالة مني"),
        ("ar", "time_now", "الليلة"),
        ("ar", "someone_else", "بنتي"),
        ("ar", "act_done", "بلعت"),
        ("ar", "collapse_weak", "ما عم تصحى"),
        ("ar", "passive", "معنى للحياة"),
        ("cy", "means", "chyllell"),
        ("cy", "danger_place", "y bont"),
        ("cy", "brink", "neidio"),
        ("cy", "intent", "lladd ei hun"),
        ("cy", "strong_finality", "fydda i ddim yma"),
        ("cy", "time_now", "heno"),
        ("cy", "someone_else", "fy mab"),
        ("cy", "act_done", "wedi llyncu"),
        ("cy", "passive", "petawn i ddim yma"),
        ("ur", "means", "گولیاں"),
        ("ur", "danger_place", "پٹری"),
        ("ur", "brink", "کودنے والا"),
        ("ur", "intent", "khud ko maar"),
        ("ur", "strong_finality", "main nahi rahunga"),
        ("ur", "time_now", "aaj raat"),
        ("ur", "someone_else", "meri beti"),
        ("ur", "collapse_weak", "behosh"),
        ("ur", "passive", "mar jana behtar"),
        ("pa", "means", "ਗੋਲੀਆਂ"),
        ("pa", "danger_place", "nehar de kande"),
        ("pa", "brink", "ਛਾਲ ਮਾਰ"),
        ("pa", "strong_finality", "main nahi howanga"),
        ("pa", "time_now", "ajj raat"),
        ("pa", "collapse_weak", "uth nahi reha"),
        ("pa", "passive", "jeena ni"),
        ("bn", "means", "oshudh"),
        ("bn", "danger_place", "ছাদের"),
        ("bn", "brink", "laf dibo"),
        ("bn", "intent", "nijeke mere felbo"),
        ("bn", "strong_finality", "ami ar thakbo na"),
        ("bn", "time_now", "aj rate"),
        ("bn", "someone_else", "amar fua"),
        ("bn", "passive", "mora gele bhalo"),
    ],
)
def test_each_language_has_its_building_blocks(code: str, concept: str, words: str) -> None:
    assert concept in languages.load_languages().read(words).concepts, (code, words)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("mam w szufladzie wszystkie leki, dzisiaj wieczorem to skończę", "urgent"),  # pl
        ("stoję przy torach, zaraz skoczę", "urgent"),  # pl
        ("moja córka połknęła całe opakowanie tabletek", "urgent"),  # pl
        ("napisałem list pożegnalny, jutro mnie już nie będzie", "urgent"),  # pl
        ("jestem na dachu bloku i chce skoczyc", "urgent"),  # pl
        ("moj brat jest na moscie i mowi ze skoczy", "urgent"),  # pl
        ("mam zyletke w rece, dzis w nocy sie zabije", "urgent"),  # pl
        ("nie widzę sensu życia, wszystko mi jedno", "concern"),  # pl
        ("mam leki od lekarza, biorę je codziennie", "none"),  # pl
        ("dostalam paczke od mamy, dzieki", "none"),  # pl
        ("jutro jadę pociągiem do Manchesteru, bilet już mam", "none"),  # pl
        ("od wtorku pracuje na nocki, dzis wieczorem spie", "none"),  # pl
        ("mám doma všetky tabletky a dnes v noci ich zjem", "urgent"),  # sk
        ("stojím pri koľajniciach, ide vlak", "urgent"),  # sk
        ("môj syn zjedol všetky lieky a je ospalý", "urgent"),  # sk
        ("chcem sa zabiť, mám žiletku", "urgent"),  # sk
        ("napísala som list na rozlúčku, zajtra tu už nebudem", "urgent"),  # sk
        ("brat je na streche a hovori ze skoci", "urgent"),  # sk
        ("nevidím zmysel v živote, som pre všetkých len príťaž", "concern"),  # sk
        ("dnes večer ideme s deťmi k rieke na piknik", "none"),  # sk
        ("beriem lieky od doktora každý deň", "none"),  # sk
        ("od pondelka mam novu pracu", "none"),  # sk
        ("am strâns toate pastilele și diseară le iau", "urgent"),  # ro
        ("sunt pe acoperișul blocului, vreau să sar", "urgent"),  # ro
        ("fiica mea a înghițit pastilele bunicii și nu se trezește", "urgent"),  # ro
        ("vreau să mă omor, am cuțitul lângă mine", "urgent"),  # ro
        ("iertați-mă, de mâine nu mă mai vedeți", "urgent"),  # ro
        ("fratele meu e pe pod si zice ca sare", "urgent"),  # ro
        ("nu mai are niciun rost, sunt o povară pentru toți", "concern"),  # ro
        ("am luat pastila de la farmacie, ca în fiecare zi", "none"),  # ro
        ("mă omor de râs cu filmul ăsta", "none"),  # ro
        ("diseară mergem cu copiii la râu", "none"),  # ro
        ("جمعت كل الحبوب وراح آخذها الليلة", "urgent"),  # ar
        ("أنا واقف على سطح العمارة وبدي انط", "urgent"),  # ar
        ("بنتي شربت كل دوا الضغط وما عم تصحى", "urgent"),  # ar
        ("سامحوني، هذي آخر رسالة مني", "urgent"),  # ar
        ("بدي اقتل حالي، السكين بإيدي", "urgent"),  # ar
        ("اخوي على الجسر ويقول رح ينط", "urgent"),  # ar
        ("ما في فايدة من حياتي، تعبت من كل شي", "concern"),  # ar
        ("اشتريت حبوب الصداع من الصيدلية", "none"),  # ar
        ("رحنا على البحر الليلة مع الأولاد", "none"),  # ar
        ("الله يسامحك، شكراً على الرسالة", "none"),  # ar
        ("dwi wedi casglu'r tabledi i gyd, heno dwi'n mynd i'w cymryd", "urgent"),  # cy
        ("dwi'n sefyll ar ymyl y clogwyn, dwi am neidio", "urgent"),  # cy
        ("mae fy mrawd wedi llyncu potel o dabledi ac mae'n cysgu", "urgent"),  # cy
        ("dwi isio lladd fy hun heno", "urgent"),  # cy
        ("sori am bopeth, fyddwch chi ddim yn fy ngweld i eto", "urgent"),  # cy
        ("mae fy chwaer ar y bont ac yn dweud ei bod hi am neidio", "urgent"),  # cy
        ("does dim pwynt i ddim byd, dwi'n teimlo'n wag", "concern"),  # cy
        ("dwi'n mynd i'r fferyllfa i nôl tabledi mam", "none"),  # cy
        ("heno dwi'n mynd i'r dafarn gyda ffrindiau", "none"),  # cy
        ("mae'n od, dwi ddim wedi clywed gan Siân", "none"),  # cy
        ("میں نے ساری گولیاں جمع کر لی ہیں، آج رات کھا لوں گا", "urgent"),  # ur
        ("میں ریل کی پٹری پر کھڑا ہوں، گاڑی آ رہی ہے", "urgent"),  # ur
        ("میری بیٹی نے امی کی ساری دوائیاں کھا لی ہیں اور بے ہوش ہے", "urgent"),  # ur
        ("مجھے معاف کر دینا، کل سے میں نہیں ہوں گی", "urgent"),  # ur
        ("زندگی کا کوئی مقصد نہیں رہا، سب بیکار ہے", "concern"),  # ur
        ("امی کی دوائی فارمیسی سے لانی ہے", "none"),  # ur
        ("آج رات ہم دریا کے کنارے پکنک پر جا رہے ہیں", "none"),  # ur
        ("saari goliyan jama kar li hain, aaj raat sab kha lunga", "urgent"),  # ur-Latn
        ("main chhat pe khara hoon, neeche koodne wala hoon", "urgent"),  # ur-Latn
        ("mere bhai ne abbu ki saari dawai kha li, ab hosh mein nahi", "urgent"),  # ur-Latn
        ("maaf kar dena sab, kal se main nahi rahungi", "urgent"),  # ur-Latn
        ("jeene ka dil nahi karta, sab bekaar lagta hai", "concern"),  # ur-Latn
        ("dawai chemist se le li, roz ki tarah", "none"),  # ur-Latn
        ("aaj raat chhat pe barbecue hai", "none"),  # ur-Latn
        ("ਮੈਂ ਸਾਰੀਆਂ ਗੋਲੀਆਂ ਇਕੱਠੀਆਂ ਕਰ ਲਈਆਂ, ਅੱਜ ਰਾਤ ਖਾ ਲਵਾਂਗਾ", "urgent"),  # pa
        ("ਮੈਂ ਨਹਿਰ ਦੇ ਕੰਢੇ ਖੜ੍ਹਾ ਹਾਂ, ਛਾਲ ਮਾਰ ਦੇਵਾਂਗਾ", "urgent"),  # pa
        ("ਮੇਰੇ ਪੁੱਤ ਨੇ ਸਾਰੀਆਂ ਦਵਾਈਆਂ ਖਾ ਲਈਆਂ, ਉੱਠ ਨਹੀਂ ਰਿਹਾ", "urgent"),  # pa
        ("ਜੀਣ ਦਾ ਕੋਈ ਫਾਇਦਾ ਨਹੀਂ, ਸਭ ਬੇਕਾਰ ਹੈ", "concern"),  # pa
        ("ਬੀਬੀ ਦੀਆਂ ਦਵਾਈਆਂ ਕੈਮਿਸਟ ਤੋਂ ਲੈਣੀਆਂ ਨੇ", "none"),  # pa
        ("ਅੱਜ ਰਾਤ ਅਸੀਂ ਨਹਿਰ ਤੇ ਸੈਰ ਕਰਨ ਜਾਵਾਂਗੇ", "none"),  # pa
        ("saariyan goliyan katthiyan kar laiyan, ajj raat kha lawanga", "urgent"),  # pa-Latn
        ("main nehar de kande khada haan, chaal maar dena", "urgent"),  # pa-Latn
        ("mere putt ne saariyan dawaiyan kha laiyan, uth nahi reha", "urgent"),  # pa-Latn
        ("mainu maaf kar dena, kal ton main nahi howanga", "urgent"),  # pa-Latn
        ("jeen da koi faida nahi lagda, sab bekaar", "concern"),  # pa-Latn
        ("bebe diyan dawaiyan chemist ton leniyan ne", "none"),  # pa-Latn
        ("আমি সব ঘুমের ওষুধ জমিয়ে রেখেছি, আজ রাতে খেয়ে ফেলব", "urgent"),  # bn
        ("আমি ছাদের কিনারে দাঁড়িয়ে আছি, লাফ দেব", "urgent"),  # bn
        ("আমার ছেলে সব ওষুধ খেয়ে ফেলেছে, ঘুম থেকে উঠছে না", "urgent"),  # bn
        ("আমাকে ক্ষমা করে দিও, কাল থেকে আমি আর থাকব না", "urgent"),  # bn
        ("বেঁচে থাকার কোনো মানে নেই", "concern"),  # bn
        ("মায়ের ওষুধ ফার্মেসি থেকে আনতে হবে", "none"),  # bn
        ("আজ রাতে আমরা নদীর ধারে বেড়াতে যাব", "none"),  # bn
        ("ami sob ghumer oshud jomiye rakhsi, aj rate kheye felbo", "urgent"),  # bn-Latn
        ("ami chader kinare dariye achi, laf dibo", "urgent"),  # bn-Latn
        ("amar meye sob oshudh kheye feleche, uthche na", "urgent"),  # bn-Latn
        ("amake maf kore dio, kal theke ami ar thakbo na", "urgent"),  # bn-Latn
        ("bechhe thakar kono mane nai", "concern"),  # bn-Latn
        ("ma er oshudh pharmacy theke ante hobe", "none"),  # bn-Latn
        ("aj rate amra nodir dhare ghurte jabo", "none"),  # bn-Latn
        ("moja siostra stoi na wiadukcie i mówi że skoczy", "urgent"),  # pl
        ("mąż połknął wszystkie tabletki nasenne, nie mogę go obudzić", "urgent"),  # pl
        ("chce sie powiesic dzis w nocy, sznur juz mam", "urgent"),  # pl
        ("wybaczcie mi, więcej mnie nie zobaczycie", "urgent"),  # pl
        ("jestem ciężarem dla wszystkich, lepiej by było beze mnie", "concern"),  # pl
        ("dzieki za wiadomosc od pani, do zobaczenia", "none"),  # pl
        ("môj otec je na streche a hovorí že skočí", "urgent"),  # sk
        ("sestra prehltla celé balenie liekov a nereaguje", "urgent"),  # sk
        ("dnes v noci sa obesím, povraz mám pripravený", "urgent"),  # sk
        ("odpustite mi, už ma neuvidíte", "urgent"),  # sk
        ("som pre všetkých len príťaž, nemá to zmysel", "concern"),  # sk
        ("od rána varím, dcéra príde večer", "none"),  # sk
        ("brat skočil do bazéna a smial sa", "none"),  # sk
        ("mama e pe balcon și zice că sare", "urgent"),  # ro
        ("soțul meu a înghițit toate somniferele și nu mai respiră normal", "urgent"),  # ro
        ("vreau să mă sinucid diseară, am funia", "urgent"),  # ro
        ("iartă-mă, nu o să mă mai vezi", "urgent"),  # ro
        ("sunt o povară pentru familie, nu mai are rost", "concern"),  # ro
        ("mor de foame, ce facem la cină?", "none"),  # ro
        ("am cumpărat bilet de tren pentru mâine", "none"),  # ro
        ("ابوي طلع على السطح ويقول بدو ينط", "urgent"),  # ar
        ("اختي بلعت علبة حبوب النوم وما عم تفيق", "urgent"),  # ar
        ("رح اقتل حالي الليلة، الحبل جاهز", "urgent"),  # ar
        ("سامحيني يا امي، ما رح تشوفيني بعد اليوم", "urgent"),  # ar
        ("تعبت من الحياة وما في امل", "concern"),  # ar
        ("متت من الضحك على الفيديو", "none"),  # ar
        ("اخوي على السطح عم يصلح الدش", "none"),  # ar
        ("mae fy nhad ar y to ac yn dweud ei fod am neidio", "urgent"),  # cy
        ("mae fy merch wedi llyncu'r tabledi i gyd ac yn cysgu", "urgent"),  # cy
        ("dwi am ladd fy hun heno, mae'r rhaff yn barod", "urgent"),  # cy
        ("maddeuwch i mi, fyddwch chi ddim yn fy ngweld i eto", "urgent"),  # cy
        ("byddai pawb yn well pe bawn i ddim yma", "concern"),  # cy
        ("mae fy mab yn neidio ar y trampolîn", "none"),  # cy
        ("dwi'n nôl tabledi mam o'r fferyllfa heddiw", "none"),  # cy
        ("meri behen chhat ke kinare khari hai, keh rahi hai kood jaungi", "urgent"),  # ur-Latn
        ("abbu ne neend ki saari goliyan kha li hain, hosh mein nahi", "urgent"),  # ur-Latn
        ("aaj raat khud ko khatam kar dunga, rassi tayar hai", "urgent"),  # ur-Latn
        ("mar jana behtar hai, koi matlab nahi is zindagi ka", "concern"),  # ur-Latn
        ("khushi se mar gayi jab result aya", "none"),  # ur-Latn
        ("میری بہن چھت کے کنارے کھڑی ہے اور کہتی ہے کود جاؤں گی", "urgent"),  # ur
        ("ابو نے نیند کی ساری گولیاں کھا لی ہیں، ہوش میں نہیں", "urgent"),  # ur
        ("ہم شام کو نہر کے کنارے سیر کرنے گئے", "none"),  # ur
        ("mera veer nehar de kande khada, kehnda chhal maar dena", "urgent"),  # pa-Latn
        ("hun jeena ni, koi matlab nahi", "concern"),  # pa-Latn
        ("ajj shaam nehar te sair karan gaye si", "none"),  # pa-Latn
        ("ਮੇਰਾ ਵੀਰ ਨਹਿਰ ਦੇ ਕੰਢੇ ਖੜ੍ਹਾ, ਕਹਿੰਦਾ ਛਾਲ ਮਾਰ ਦੇਵਾਂਗਾ", "urgent"),  # pa
        ("ਜੀਣ ਦਾ ਕੋਈ ਫਾਇਦਾ ਨਹੀਂ, ਕੋਈ ਮਤਲਬ ਨਹੀਂ", "concern"),  # pa
        ("amar bhai chader kinare dariye ache, bolche laf dibe", "urgent"),  # bn-Latn
        ("amar bon sob ghumer oshudh kheye feleche, uthche na", "urgent"),  # bn-Latn
        ("mora gele bhalo hoito, bachar kono mane nai", "concern"),  # bn-Latn
        ("aj sobji katlam, ranna korchi", "none"),  # bn-Latn
        ("আমার ভাই ছাদের কিনারে দাঁড়িয়ে আছে, বলছে লাফ দেবে", "urgent"),  # bn
        ("মরে গেলে ভালো হতো, বাঁচার কোনো মানে নেই", "concern"),  # bn
        # written after the changes, before any change for them (scored 26 of 26)
        ("corka napisala list pozegnalny i nie odbiera telefonu", "urgent"),  # pl
        ("mam przy sobie żyletki i chcę umrzeć", "urgent"),  # pl
        ("nie chcę się zabić, chcę tylko z kimś pogadać", "none"),  # pl
        ("tata naprawia dach, jutro skończy", "none"),  # pl
        ("mama prehltla prášky na spanie a nedýcha normálne", "urgent"),  # sk
        ("chcem zomrieť, mám pri sebe žiletku", "urgent"),  # sk
        ("zajtra idem s mamou k rieke kŕmiť kačky", "none"),  # sk
        ("fratele meu vrea să se sinucidă în seara asta", "urgent"),  # ro
        ("am lama de ras lângă mine și vreau să mor", "urgent"),  # ro
        ("nu vreau să mor, vreau doar ajutor cu chiria", "none"),  # ro
        ("fiul meu a înghițit o bomboană, e bine", "none"),  # ro
        ("امي اخذت كل حبوب النوم وما عم تتنفس منيح", "urgent"),  # ar
        ("بدي موت الليلة، الشفرة معي", "urgent"),  # ar
        ("ما بدي موت، بس بدي حدا احكي معه", "none"),  # ar
        ("ابني نط بالمسبح وانبسط كتير", "none"),  # ar
        ("mae fy mam wedi cymryd y tabledi i gyd ac yn methu deffro", "urgent"),  # cy
        ("fydda i ddim yma fory, sori am bopeth", "urgent"),  # cy
        ("fydda i ddim yn y gwaith fory, dwi'n sâl", "none"),  # cy
        ("meri ammi ne saari neend ki goliyan kha li, behosh hain", "urgent"),  # ur-Latn
        ("main pul pe khara hoon, aaj raat kood jaunga", "urgent"),  # ur-Latn
        ("kal pul pe traffic bohat tha, der se pohancha", "none"),  # ur-Latn
        ("amar abbu sob oshudh kheye felse, behush", "urgent"),  # bn-Latn
        ("ami aj rate nijeke sesh kore dibo", "urgent"),  # bn-Latn
        ("aj rate ami bondhur basay thakbo", "none"),  # bn-Latn
        ("main ajj raat nehar vich chhal maar dena", "urgent"),  # pa-Latn
        ("ajj raat assi nehar kol picnic kita", "none"),  # pa-Latn
    ],
)
def test_fresh_sentences_composed_of_the_blocks_read_as_english_does(text: str, level: str) -> None:
    assert assess([text]).level.label == level, text


def test_polish_typed_without_its_letters_is_named_so_od_is_from() -> None:
    layer = languages.load_languages()
    # "dzieki" (thanks) and "od" are two Polish words: no English text-speak overdose.
    assert layer.read("dostalam paczke od mamy, dzieki").language == "pl"
    assert assess(["dostalam paczke od mamy, dzieki"]).level is Level.NONE
    assert assess(["gonna od tonight"]).level is Level.URGENT


# ---------------------------------------------------- the eleventh fold (risklang11, 2026-12)
# Set 11's other languages missed words, not sentences: a Sylheti knife spelt "suri" and a door
# "bond koriya", "kotogula" for how many, a third person who "bachte chay na", Shahmukhi cuts
# ("کٹ لائے") and Gurmukhi "can't bear it" ("ਨਹੀਂ ਜਰ ਸਕਦਾ"), "letters for everyone", Romanian
# goodbyes with a pet left, Arabic dizziness and a whole box. So the building blocks were widened
# with spellings and inflections (hazard log H29). Every wording below was written by the
# engineer, not copied from set 11: the first batch (bench/risk-selfcheck-risklang11.jsonl)
# before any change, 0.941 / 0.793 / 0.909; this second batch after the changes and before any
# change for it, 1.000 / 0.833 / 0.833 on the unchanged files and 1.000 / 1.000 / 0.833 after
# (its one benign miss, a Welsh jump into the swimming pool, is now an everyday use).
@pytest.mark.parametrize(
    ("code", "concept", "words"),
    [
        ("bn", "means", "suri"),
        ("bn", "barricade", "dorja bond koriya"),
        ("bn", "lethality", "kotogula paracetamol khele"),
        ("bn", "passive", "o ar bachte chay na"),
        ("bn", "intent", "more jete chay"),
        ("bn", "act_done", "kheye felsi"),
        ("bn", "effects", "matha ghurtese"),
        ("bn", "sh_named", "haat kete felse"),
        ("bn", "sh_recent", "gotokal"),
        ("bn", "strong_finality", "সবার জন্য চিঠি"),
        ("pa", "sh_named", "بانہہ تے کٹ لائے"),
        ("pa", "sh_recent", "کل رات"),
        ("pa", "passive", "ਹੋਰ ਨਹੀਂ ਜਰ ਸਕਦਾ"),
        ("pa", "passive", "jeeun nu mann nahi karda"),
        ("pa", "brink", "ਕੰਢੇ ਖੜ੍ਹਾ"),
        ("pa", "strong_finality", "chitthi table te rakh diti"),
        ("pa", "love_said", "main pyaar karda si"),
        ("pa", "entrust", "bebe nu dassna"),
        ("ar", "effects", "أشعر بالدوار"),
        ("ar", "quantity", "علبة كاملة"),
        ("ar", "sh_named", "جرحت ايدها"),
        ("ro", "finality", "mi-am luat la revedere"),
        ("ro", "danger_place", "merg la pod"),
        ("ro", "safe_now", "acum e la muncă"),
        ("ro", "sh_named", "s-a taiat pe mana"),
        ("cy", "passive", "nad yw e eisiau bod yma"),
        ("cy", "sh_named", "wedi torri ei hun"),
        ("sk", "passive", "lepsie keby nezil"),
        ("pl", "intent_denied", "nic sobie nie zrobi"),
        ("ur", "sh_named", "kalai pe blade se kaat"),
    ],
)
def test_eleventh_fold_building_blocks(code: str, concept: str, words: str) -> None:
    assert concept in languages.load_languages().read(words).concepts, (code, words)


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        # ur-Latn
        (["mere bhai ne kamre ka darwaza band kar liya hai, andar rassi hai"], "urgent"),
        (["meri ammi kehti hain ab jeene ka dil nahi karta, par kuch karengi nahi"], "concern"),
        (["ਮੈਂ ਸਾਰੀਆਂ ਗੋਲੀਆਂ ਖਾ ਲਈਆਂ ਨੇ, ਚੱਕਰ ਆ ਰਹੇ ਨੇ"], "urgent"),  # pa
        (["meri kudi ne fer baanh te blade naal kat laaye, hun theek aa"], "concern"),  # pa-Latn
        (["ami ek pata ghumer oshud kheye felechi, chokh khulte parchi na"], "urgent"),  # bn-Latn
        (["amar chele bole o ar beche thakte chay na, kichu koreni"], "concern"),  # bn-Latn
        (["আমি সবার কাছে বিদায় নিয়েছি, এখন ব্রিজের উপর আছি"], "urgent"),  # bn
        (["pozegnalam sie z dziecmi", "ide na most"], "urgent"),  # pl, no diacritics
        (["corka pocięła się znowu wczoraj, ale już jest ok"], "concern"),  # pl
        (["am inghitit toate pastilele de dormit, mi-e rau si ma invart"], "urgent"),  # ro
        (["sotia mea zice ca nu mai vrea sa traiasca, dar nu si-a facut nimic"], "concern"),  # ro
        (["napisala som listy pre vsetkych, dnes vecer to skoncim"], "urgent"),  # sk
        (["ابني قاعد عالسطح وبيقول رح ينط"], "urgent"),  # ar
        (["Mae fy chwaer yn dweud nad yw hi eisiau byw rhagor"], "concern"),  # cy
        (["Dw i wedi llyncu'r tabledi i gyd, dw i'n teimlo'n benysgafn"], "urgent"),  # cy
        (["ami brij er upor theke chobi tullam, sundor view"], "none"),  # bn-Latn
        (["skoczyłem z mostu na bungee, super przygoda"], "none"),  # pl
        (["dwi'n mynd i neidio i'r pwll nofio gyda'r plant"], "none"),  # cy
        (["bebe nu dassna ki main roti kha layi"], "none"),  # pa-Latn
        # a third batch, written after the changes above and before any change for it
        (["ami ajke rate nodite jhap dimu, ar parina"], "urgent"),  # bn-Latn (Sylheti)
        (["koyta ghumer tablet khaile manush more?"], "urgent"),  # bn-Latn
        (["amar ammu proti din kande, bole allah amare niya jao"], "concern"),  # bn-Latn
        (["moja corka znowu sie pociela wczoraj wieczorem"], "concern"),  # pl, no diacritics
        (["أختي بتقول ما بدها تعيش، بس ما عملت شي"], "concern"),  # ar
        (["am sarit cu parasuta deasupra Brasovului, super experienta"], "none"),  # ro
        (["ودعت صحابي بالمطار وتركت القطة عند جارتي لانو مسافرة"], "none"),  # ar
        (["ajj gaddi bridge te kharab ho gayi, mechanic bulaya"], "none"),  # pa-Latn
    ],
)
def test_eleventh_fold_fresh_sentences(messages: list[str], level: str) -> None:
    assert assess(messages).level.label == level, messages


@pytest.mark.parametrize(
    "text",
    [
        # Everyday uses of the new words stay quiet (H29).
        "ਕੱਲ੍ਹ ਮੈਂ ਨਹਿਰ ਕੰਢੇ ਸੈਰ ਕਰਨ ਗਿਆ",  # pa: walked along the canal bank
        "amar meye gotokal pool e laf dilo, khub moja",  # bn-Latn: jumped in the pool
        "matha ghurche, gotokal theke jor",  # bn-Latn: dizzy, fever since yesterday
        "i-am spus mamei că o iubesc",  # ro: told mum I love her
        "powiedz mamie że ją kocham",  # pl: tell mum I love her
        "mi-am luat la revedere de la colegi, plec in concediu",  # ro: goodbye to colleagues
        "nechala som psa u susedy, idem na dovolenku",  # sk: dog with the neighbour, holiday
        "ودعت امي بالمطار، رايحة ع لندن",  # ar: said goodbye to mum at the airport
        "عند الدوار الثاني بتلاقي العيادة",  # ar: the clinic is at the second roundabout
        "الدواء الجديد بيعملي دوخة، هل هي آثار جانبية؟",  # ar: dizzy, a side effect?
        "sab ke liye khat likh rahi hun Eid card ke saath",  # ur-Latn: Eid cards for everyone
        "sobota rano idę na basen z dziećmi",  # pl: "sobota" is not Bengali "sob" (all)
        "e la muncă acum, vine diseară",  # ro: he's at work, home tonight
        "mera veer gym vich box jump karda",  # pa-Latn: box jumps at the gym
    ],
)
def test_eleventh_fold_everyday_uses_stay_quiet(text: str) -> None:
    assert assess([text]).level is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        # A leisure word never hides a jump said with wanting to die (H29).
        "skoczę z dachu do basenu sąsiada, mam dość życia",
        "dwi'n mynd i neidio i'r pwll o ben y to, dw i eisiau marw",
        "sar de pe trambulina in rau, vreau sa mor",
        "skoczę ze spadochronem z mostu, chcę umrzeć",
        "main chhat se box jump karunga, marna chahta hun",
        # Abuse told while he is at work is concern; said with "now" and no safety, urgent.
        "Iubitul meu mă bate acum, sunt încuiată în baie",
    ],
)
def test_eleventh_fold_leisure_and_safety_never_hide_risk(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


def test_eleventh_fold_abuse_while_he_is_at_work_is_concern() -> None:
    assert assess(["Iubitul meu mă bate când bea. Acum e la muncă."]).level is Level.CONCERN
    assert assess(["mąż mnie bije, teraz jest w pracy"]).level is Level.CONCERN
