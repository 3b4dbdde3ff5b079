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


@pytest.mark.parametrize(
    "text",
    [
        "عروض رمضان على الجوالات",  # Ramadan offers: a season, not an opinion
        "تذاكر الحفل متوفره",  # tickets
        "بطولة الدوري تبدا الاسبوع الجاي",  # a championship
        "عيد الميلاد في المحل",  # a feast
        "اطلاق المنتج الجديد",  # a launch
        "اتفاقيه شراكه مع البنك",  # a deal
        "قال رسول الله صلى الله عليه وسلم",  # an honorific names, it does not judge
        "بيان عن داعش والميليشيات",  # groups named in the news
        "حصلت خصم على الفاتوره",  # a discount or a deduction: the post must say which
    ],
)
def test_topic_words_carry_no_sentiment(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "عملاؤنا الاعزاء",  # the dear ones, not ا + عزاء (condolence)
        "ابي اسوي طلب جديد",  # Gulf "I do", not اسوء (worse)
        "جاكيت دولتشي غبانا",  # Gabbana, not غباء (stupidity)
        "الطلب تسلمته امس",  # "I received it", not تسلم (thanks)
    ],
)
def test_more_homographs_carry_no_sentiment(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "القهوه عندكم تحببك بالصباح",  # makes you love
        "عقبالك يا رب",  # congratulations: "may you be next"
        "المحل زوين والخدمه مزيان",  # Maghrebi praise
        "نتشرف بخدمتكم",  # honoured
        "الله يحفظه على هالتعامل",  # a blessing
    ],
)
def test_odd_mined_praise_is_positive(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "موظفين متخاذلين",  # shirkers
        "تعامل معيب",  # shameful
        "العرض طلع مقلب",  # a con
        "امتعاض العملاء من الاسعار",  # resentment
        "ضاعت الشحنه",  # lost
        "هلفوت ما يفهم",  # Egyptian scorn
    ],
)
def test_odd_mined_scorn_is_negative(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) < -0.3


def test_the_clause_after_but_decides(ar: ArabicSentiment, packs: RuleSet) -> None:
    assert ar.compound("الشكل حلو") > 0.3
    assert ar.compound("الشكل حلو لكن البطاريه زفت") == ar.compound("البطاريه زفت") < 0
    assert ar.compound("التطبيق بطيء ولكن الدعم ممتاز") == ar.compound("الدعم ممتاز") > 0
    # nothing to judge after "but": the words before it still count
    assert ar.compound("الخدمه ممتازه لكن") == ar.compound("الخدمه ممتازه") > 0
    assert label(packs, "الكاميرا حلوه لكن الشحن سيء جدا") == "negative"


def test_dialect_but_decides_only_between_two_opinions(ar: ArabicSentiment) -> None:
    assert ar.compound("حلو بس غالي") == ar.compound("غالي") < 0
    assert ar.compound("غالي بس يستاهل") == ar.compound("يستاهل") > 0
    # "بس" as "only" or "enough": nothing to turn around before it
    assert ar.compound("وصل بس ساعه، رائع") == ar.compound("وصل ساعه، رائع") > 0
    assert ar.compound("بس البطاريه سيئه") < 0


def test_a_denied_complaint_word_is_barely_praise(ar: ArabicSentiment, packs: RuleSet) -> None:
    assert ar.compound("مش حلو") < -0.2  # a denied praise word still complains
    assert 0 < ar.compound("مو سيء") < 0.2  # leans positive, below the line
    assert label(packs, "مو سيء") == "neutral"
    assert label(packs, "ما في مشكله بالتوصيل") == "neutral"
    assert label(packs, "لا للارهاب") == "neutral"


def test_condolence_is_mild_and_a_greeting_is_nothing(ar: ArabicSentiment) -> None:
    sad = ar.compound("الله يرحمه")
    assert -0.4 < sad < -0.2  # condolence: sad, not a curse
    assert ar.compound("رحمه الله") == pytest.approx(sad)
    assert ar.compound("الله يرحمهم") == pytest.approx(sad)
    assert ar.compound("السلام عليكم ورحمة الله وبركاته") == 0.0
    assert ar.compound("رحمة") > 0.3  # mercy alone is still a good word


def test_the_fix_for_a_problem_is_good_news(ar: ArabicSentiment) -> None:
    assert ar.compound("عندي مشكلة في الشحن") < -0.3
    assert ar.compound("التحديث فيه حل مشكلة الشحن") > 0.2


def test_why_leans_towards_a_grievance(packs: RuleSet) -> None:
    assert label(packs, "ليش التطبيق كذا") == "negative"
    assert label(packs, "لماذا غيرت الشركه شعارها https://example.com/n") == "neutral"
    assert label(packs, "ليش الخدمه ممتازه كذا") == "positive"  # a praise word outweighs it


def test_crying_face_is_no_grief_on_its_own(packs: RuleSet) -> None:
    assert label(packs, "ابي ايفون 😭") == "neutral"
    assert label(packs, "ابي ايفون 😢") == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "سلمت يمينك",  # thanks: "bless your right hand"
        "الخدمه اشطا",  # Egyptian "great"
        "الخدمه زي الفل",  # Egyptian "just fine"
        "اسعدتني خدمتكم",  # "your service made me happy"
        "وفقكم الله",  # a blessing
        "التطبيق مثمر ونافع",  # fruitful, useful
    ],
)
def test_everyday_praise_and_thanks_are_positive(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "خاب ظني في المنتج",  # let down
        "غشوني في الطلب",  # cheated me
        "ازعجني الاتصال",  # it annoyed me
        "التطبيق مش شغال",  # not working
        "الاسعار نار",  # prices on fire
        "لا حياة لمن تنادي",  # "no one alive to hear you"
        "قرفتونا بالاعلانات",  # sick of you
    ],
)
def test_everyday_grievances_are_negative(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "الاشتراك بلا رسوم",  # بلا (without) is not بلاء (affliction) once hamza folds
        "تغيير السياسيه",  # not س + ياس (despair)
        "تسليم على الاراضي",  # lands, not ا + راضي (satisfied)
        "شنطه بربري",  # Burberry
        "كلمنا حسن وعادل",  # names, not "good" and "fair"
        "ارسلها بالفاكس",  # a fax
        "اقدر اطلب اليوم",  # "I can"
    ],
)
def test_everyday_homographs_carry_no_sentiment(ar: ArabicSentiment, text: str) -> None:
    assert ar.compound(text) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "ما في اي مشكلة والحمد لله",
        "مافي مشكله",
        "مفيش مشاكل خالص",
        "بدون مشاكل من اول يوم",
        "لا توجد مشكلة",
    ],
)
def test_no_problem_is_neither_a_problem_nor_a_complaint(
    ar: ArabicSentiment, packs: RuleSet, text: str
) -> None:
    assert ar.compound(text) == 0.0
    assert "complaint" not in packs.classify(FakePost(text=text)).labels


def test_a_problem_said_is_still_one(ar: ArabicSentiment, packs: RuleSet) -> None:
    assert ar.compound("عندي مشكلة في الدخول") < -0.3
    assert ar.compound("المشكلة ما انحلت") < -0.3
    assert "complaint" in packs.classify(FakePost(text="عندي مشكلة في الدخول")).labels


def test_none_finer_and_not_bad_are_praise(ar: ArabicSentiment, packs: RuleSet) -> None:
    # "ولا" before a comparative makes a superlative, not a denial
    assert ar.compound("تطبيق ولا اروع") > 0.3
    assert packs.classify(FakePost(text="تطبيق ولا اروع")).category == "praise"
    assert ar.compound("ولا شي يشتغل") < 0  # "ولا" still denies
    # Egyptian "مش بطال", "مش وحش": not bad, so decent
    assert label(packs, "الخدمة مش بطالة") == label(packs, "التطبيق مش وحش") == "positive"
    assert label(packs, "الخدمة بطالة") == "negative"
