"""The Arabic lexicon: mined sentiment words, homographs, negation scope, inflections.

Every sentence here is written for the test; none comes from a labelled data set.
"""

from __future__ import annotations

import pytest

from rules import RuleSet, load_rules
from rules.arabic import ArabicSentiment
from tests.rules.conftest import FakePost


@pytest.fixture(scope="module")
def ar() -> ArabicSentiment:
    return ArabicSentiment()


@pytest.fixture(scope="module")
def packs() -> RuleSet:
    rs = load_rules()
    assert rs.errors == []
    return rs


def label(rs: RuleSet, text: str) -> str:
    verdict = rs.classify(FakePost(text=text))
    assert verdict.language == "ar"
    return verdict.sentiment.label


@pytest.mark.parametrize(
    "text",
    [
        "المنتج كيوت والتجربه مسليه",  # cute, entertaining
        "صح لسانك كلامك عين العقل",  # "well said", "sound reasoning"
        "الله يخليك على هالخدمه",  # a blessing as thanks
        "انبهرت من سرعة التوصيل",  # amazed
        "الموظف شاطر وشهم",  # capable, gallant
        "نشكركم على التعاون",  # "we thank you"
    ],
)
def test_mined_praise_is_positive(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "شركه نيتها سوده",  # "black-hearted"
        "الزم حدك",  # "know your place"
        "خدعوك بالعروض",  # "they fooled you"
        "موظف متكبر ومغرور",  # arrogant
        "الله لا يسامحك على هالتاخير",  # a curse
        "يؤسفني هالتعامل",  # "it saddens me"
        "صار الموضوع احراج",  # embarrassment
        "طز في خدمتكم",  # contempt
        "فلول وبلطجيه",  # remnants (not ف + لول, laughter) and thugs
    ],
)
def test_mined_scorn_is_negative(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "اجتماع اللجنه اليوم",  # committee, not ل + جنه (paradise)
        "اتفضل يا فندم",  # "sir", not ف + ندم (regret)
        "الهاتف الذكي الجديد",  # smart as in smartphone
        "الساعه الذكيه متوفره",
        "اليوم العالمي للقهوه",  # international day, not "world-class"
        "لولا التحديث",  # "were it not for", not "lol" + alef
        "مباراه ضد الهلال",  # "against" is a preposition, not a grievance
        "الالبوم الاخير",  # the last, not ا + خير (good)
        "المحل بعيد عن البيت",  # far, not ب + عيد (a feast)
        "وصلت البضايع",  # goods, not ب + ضايع (lost)
        "منتجات التجميل",  # cosmetics, not ت + جميل (beautiful)
        "الشركه تملك فروع",  # owns, not ت + ملك (a king)
        "رديت على الايميل",  # I replied, not ردي (bad)
    ],
)
def test_homographs_and_descriptions_carry_no_sentiment(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) == 0.0


def test_praise_words_still_count_without_the_article(ar: ArabicSentiment) -> None:
    assert ar.compound("ولد ذكي") > 0.3
    assert ar.compound("لاعب عالمي") > 0.3


def test_vocative_and_accusative_forms_reach_the_lexicon(ar: ArabicSentiment) -> None:
    assert ar.compound("ياحمار") == ar.compound("حمار") < 0
    assert ar.compound("ياحلو") == ar.compound("حلو") > 0
    assert ar.compound("جميلا") == ar.compound("جميل") > 0
    assert ar.compound("ياسين") == 0.0  # a name: "يا" + "سين" is no word


def test_ma_after_like_or_every_is_not_a_negation(ar: ArabicSentiment) -> None:
    # "زي ما بتحب" is "as you like", "كل ما" "whenever": the verb keeps its sign.
    assert ar.compound("زي ما بتحب") > 0
    assert ar.compound("كل ما احب") > 0
    # "ما" before a verb on its own still denies it.
    assert ar.compound("ما احب") < 0
    assert ar.compound("انا ما احب الخدمه") < 0


def test_a_shared_link_scales_the_compound_down(ar: ArabicSentiment) -> None:
    plain = ar.compound("الخدمه ممتازه")
    assert ar.compound("الخدمه ممتازه https://example.com/a") == pytest.approx(plain * 0.6)
    assert ar.compound("الخدمه ممتازه www.example.com") == pytest.approx(plain * 0.6)
    assert ar.compound("خبر عن الشركه https://example.com/a") == 0.0


def test_a_lone_denial_is_a_grievance_unless_the_post_is_a_headline(packs: RuleSet) -> None:
    assert label(packs, "الجهاز ما اشتغل من امس") == "negative"
    assert label(packs, "الشركه لم تعلن موعد الاطلاق https://example.com/n") == "neutral"


def test_one_sentiment_word_decides_with_or_without_a_link(packs: RuleSet) -> None:
    assert label(packs, "التطبيق ممتاز") == "positive"
    assert label(packs, "التطبيق ممتاز https://example.com/r") == "positive"
    assert label(packs, "التطبيق فاشل") == "negative"
    assert label(packs, "التطبيق فاشل https://example.com/r") == "negative"
    assert label(packs, "وصلت الشحنه اليوم") == "neutral"


def test_laughter_alone_is_positive_but_not_in_a_headline(packs: RuleSet) -> None:
    assert label(packs, "ههههههههه شوفوا هذا") == "positive"
    assert label(packs, "ههههههههه شوفوا هذا https://example.com/v") == "neutral"


def test_no_growth_in_dying_and_no_sigh_in_a_title(ar: ArabicSentiment) -> None:
    assert ar.compound("راح نموت من الحر") < -0.3  # "we will die", not نمو (growth)
    assert ar.compound("مسلسل جيم اوف ثرونز") == 0.0  # "of", not a sigh
    assert ar.compound("نمو المبيعات") == 0.0  # growth reports, it does not judge


def test_phrases_are_found_by_any_of_their_words(ar: ArabicSentiment) -> None:
    # "من عيوني" (gladly) begins with "من", the commonest word there is.
    assert ar.compound("طلبك من عيوني") > 0.3
    assert ar.compound("الله يعطيك العافيه") > 0.3
    assert ar.compound("حسبي الله ونعم الوكيل") < -0.3
    assert ar.compound("خرجت من البيت") == 0.0
