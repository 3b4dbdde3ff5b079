"""Arabic sentiment: a hand-written lexicon of common words, MSA and dialect, with negation.

VADER knows no Arabic, so it scores Arabic posts at chance. Posts about brands in
Arabic mix Modern Standard Arabic (news, announcements) with Egyptian, Gulf and
Levantine forms (complaints, praise). The lexicon holds both, written naturally and
normalised at load with the same `normalise` the posts go through, so hamza, alef,
teh marbuta and diacritics never decide a match. Valences use VADER's -4..+4 scale
and the compound uses VADER's normalisation, so thresholds mean the same in every
language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import compress
from operator import itemgetter

from rules.text import arabic_variants, normalise, tokens
from rules.vader_fast import emoji_prefilter

__all__ = ["ArabicSentiment"]

_POSITIVE_STRONG = """
ممتاز ممتازه رائع رائعه روعه رهيب رهيبه مذهل مذهله عظيم عظيمه خرافي خرافيه اسطوري
افضل احسن الافضل الاحسن احلى حلو حلوه جميل جميله جمال ابداع مبدع مبدعه تحفه
احبك حبيبي حبيبتي بحبك احبه احبها اعشق عشق سعيد سعيده سعاده فرح فرحه فرحان مبسوط
مبسوطه مبروك الف_مبروك تهانينا تهنئه ابارك مبارك الحمدلله الحمد_لله ماشاءالله ما_شاء_الله
تبارك_الله بارك_الله شكرا شكراً مشكور مشكوره يعطيك_العافيه يسلمو تسلم تسلمي
فوز فاز يفوز انتصار نصر نجاح ناجح نجح تفوق متميز مميز مميزه مميزات اعجبني عجبني
يجنن تجنن فخر فخور نفتخر برافو جبار قمه كفو كفوو اسطوره 
"""
_POSITIVE = """
جيد جيده كويس كويسه زين زينه تمام حلوين طيب لطيف لطيفه سهل سريع مريح مفيد مفيده
تطور تطوير متطور
نشكر شكر امل متفائل تفاؤل خير بخير الخير سلامه
رحمه يرحم رحمك نور نورت منور منوره يسعد صباح_الخير صباح_النور مساء_الخير
يارب اللهم ربي_يحفظ يحفظك حفظك الله_يحفظ الله_يسعدك الله_يوفقك توفيق موفق بالتوفيق
ربح ارباح مكسب مكاسب
احتفال يحتفل عيد_مبارك كل_عام_وانتم_بخير هديه هدايا
قوي قويه قوة اقوى بطل ابطال
اضحك ضحك هههه ههههه هههههه لول ابتسامه حب الحب محبه اشتقت وحشتني
ذكي ذكيه نظيف نظيفه رخيص انيق انيقه اناقه راقي راقيه فخم فخمه
احب نحب يحب تحب حبيت حبيته عجبتني يعجبني اعجاب معجب اعجبتني يستاهل تستاهل
رمضان_كريم رمضان_مبارك جمعه_مباركه سبحان_الله
الله_اكبر ان_شاء_الله انشاءالله بارك مباركه كريم  الجنه جنه دعاء ادعو
الفوز يفوز فوزه تالق متالق قمه_الروعه اجمل اروع اقوى افخم
ربنا حبيبي حبيبتي
نجاحات فايز الفايز يربح ابتسم ابتسامة سعاده فرحتنا حلم احلام طموح امال مبهج ممتع متعه
استمتع استمتعت استمتعنا بديع ساحر خلاب لذيذ لذيذه شهي راحه يريح انصح هايل هائل جامد
عسل قمر حبيت عشقت موفقين نتمنى_لكم الف_شكر شكرا_جزيلا ممنون متشكر يسلموا تسلم_ايدك
ربي_يسعدك نبارك يبارك مبروكه الفرحه احتفالات انتصارات يحقق
ازدهار نهضه تنميه جايزه جوايز تكريم يكرم شرف اعتزاز نعتز
هديه مجاني مجانا تخفيضات عروض_مميزه يستاهل تستاهلون مستاهل حماس متحمس رايق رايقه
مفاجاه مميزه ينافس قياسي رقم_قياسي تاريخي يحقق حقق انجاز انجازات
"""
_NEGATIVE = """
سيء سيئ سيئه سئ وحش وحشه زفت خايس خايسه مقرف مقرفه تعبان تعبانه تعب متعب ممل مملل
مشكله مشاكل مشكلة عطل عطلان معطل خربان خراب خرب يخرب تاخير متاخر تاخر بطيء بطيئ
غالي غاليه نصب نصاب نصابين احتيال سرقه سرقوا حرامي حراميه كذب كذاب كذابين كذبه
زعلان زعلانه حزين حزينه حزن زعل غضب غاضب قهر مقهور مقهوره ضايق متضايق ضيق ياسف
للاسف مع_الاسف اسف خساره خسر خسرنا يخسر هزيمه هزم انهزم فشل فاشل فاشله يفشل
ضعيف ضعيفه صعب صعبه معقد ازمه ازمات انهيار ينهار تراجع يتراجع انخفاض خسائر
غلط خطا اخطاء ظلم ظالم حرام عيب فضيحه فضايح مهزله تخلف متخلف غبي غبيه اغبى
 اكره اكرهك يكره مكروه ملل مرض مريض الم وجع يوجع خوف خايف قلق مخيف
ما_عجبني مو_حلو مش_حلو مش_كويس بطال بطاله رديء رديئه ردئ اسوا اسوء الاسوا
"""
_NEGATIVE_STRONG = """
حرب الحرب حروب قتل قتلى مقتل يقتل قتيل قتلوا مجزره مجازر ارهاب ارهابي ارهابيه
ارهابيين تفجير انفجار تفجيرات هجوم هجمات قصف غارات غاره اشتباكات دمار تدمير
موت مات وفاه يموت ميت شهيد شهداء ضحايا ضحيه جرحى اصابه اعدام اغتيال اعتقال
كارثه كارثي مصيبه فاجعه ماساه معاناه عنف عنصريه تعذيب اغتصاب جريمه جرائم مجرم
فساد فاسد فاسدين لعنه لعن يلعن تبا حقير حقيره واطي زباله قذر قذره منحط
احتلال عدوان اعتداء اعتداءات تهديد يهدد تهدد حصار نزوح
تهجير عقوبات اتهام يتهم اتهم اتهامات ادانه يدين تدين ازمه فوضى انقلاب طائفيه طائفي
عار العار هجوم_على مقاطعه ضرب يضرب تطرف متطرف تكفيري تكفيريه
خيبه خيبه_امل محبط احباط زهقت طفشت قرف مصيبه خساير سقوط يسقط سقط انقطاع توقف تعطل
غلاء رشوه اهمال مهمل تقصير مقصر زحمه انتظار بكاء يبكي دموع حادث حوادث اصابات خطر
خطير مخاطر تحذير يحذر انتهاك انتهاكات كراهيه حقد فتنه مؤامره حسبي_الله حسبنا_الله
لا_حول_ولا_قوه انا_لله عزاء تعازي
معتقلين سجن خيانه خاين عميل دكتاتور
"""
# Opinion and mood words of everyday MSA and dialect (Gulf, Egyptian, Levantine):
# judgements of things and people (تافه، بايخ، مخزي، عبقري، احترافي), feelings
# (مؤسف، ندمت، ممتن) and verdicts on results (فشلوا، نجحت، خذلتونا، ابدعتم).
_MORE_NEGATIVE = """
كلام_فارغ تافه تافهه تفاهه سخيف سخيفه سخافه وقح وقحه وقاحه كريه كريهه بشع بشعه بشاعه مخزي مخزيه
مؤسف مؤسفه محزن محزنه مؤلم مؤلمه جارح جارحه ابتزاز مزعج مزعجه ازعاج خبيث خبيثه غدر غادر خاين
خاينه خيانه نفاق منافق منافقين كذابه جبان جبناء حاقد عدو اعداء عدائي عدائيه متهور فوضوي
تسرب تسريب تسريبات اختراق قرصنه ثغره ثغرات اخفاق اخفق تدهور يتدهور ركود افلاس تعثر يتعثر
فشلت فشلوا خذلان خذلنا خذلتونا يخذل مستحيل صعوبه صعوبات معاناه يعاني تعاني يعانون
استغلال مستغل يستغل طماع جشع نهب ينهب يسرق سرق سارق لص لصوص قبيح قبيحه مقزز مقززه يقرف قرفان
كئيب كئيبه كابه اكتئاب نكد منكد تعبت يتعب مستفز مستفزه استفزاز يستفز حقاره سافل سفاله انحطاط
وسخ وسخه خسيس فاشلين اغبياء غباء حمقى حماقه احمق جاهل جهل جهله مجنون عنيف وحشي وحشيه همجي همجيه
دموي قمع قمعي استبداد طاغيه تحريض يحرض عنصري تمييز فقر جوع مجاعه يرثى مرير مراره ندم ندمت نادم
عيب_عليك عيب_عليكم حسره تعيس تعاسه بائس بؤس مهزوم هزيل هزيله كارثيه يدمر يدمرون دمرت دمروا
بايخ بايخه بواخه ماصخ شين شينه معفن معفنه مصخره يع اف تخلفت خايب خايبه خيبتونا انقهرت قهرني
زعلني ضايقني طفشني ملينا زهقنا يقهر يزعل محبطه مخيب مخيبه للامال سييه غش غشاش غشاشين مغشوش
"""
_MORE_POSITIVE = """
اسرع خارق خارقه عبقري عبقريه مبتكر مبتكره ابتكار ابتكارات ابداعي ابداعيه حصري حصريه احترافي
احترافيه محترف متقن اتقان مثالي مثاليه موهوب موهوبه موهبه ساحره جذاب جذابه وسيم حلاوه يهبل
تهبل مبهر مبهره ابهار ملهم ملهمه الهام فخامه فاخر فاخره واثق ممتن امتنان شاكر شاكرين تشرفت يشرف
مشرف مشرفه احببت يحبه عشقي معشوق محبوب محبوبه مفضل المفضل المفضله مفضلتي يستحق تستحق يستحقها
نجحت نجحوا يتالق تالقت يبدع ابدع ابدعت ابدعتم انتصر فازت فازوا يفوزون تفوز ينمو
ربحت ربحنا احسنت جزاك_الله جزاكم_الله الله_يعطيك ميزه ميزات افضل_من اجمل_من مبهج مريحه سلسه
حماسي ممتاز_جدا حبيت_هذا عجيب يجنن_جدا يبرد_القلب فرحتني فرحني بيض_الله_وجهك كفو_والله
"""
# Everyday praise and scorn in the dialects (Egyptian, Gulf, Levantine, Maghrebi) and
# the superlatives and verb forms of MSA judgements that the inflection rules cannot
# reach ("احقر" is not "حقير" plus an ending).
_DIALECT_POSITIVE = """
منيح منيحه بجنن بيجنن بتجنن عسل وناسه ونيس يهبل تهبل فله فنان فنانه عاش عاش_يا_بطل
يا_سلام الله_عليك ياعمري يا_عمري عمري قلبي روحي حبايبي حبيت_ها حبيتها حبيته بحبه بحبها
بحبكم احبكم نحبكم نحبك يحبك احبكم مشتاق اشتقتلك اشتقتلكم وحشتيني وحشتونا سعدت يسعدني
يسعدكم يسعدك اسعدك افتخر افتخر_ب فخوره فخورين نعتز اعتز يعتز رائعين رائعون الرائع
الرائعه عظماء عظيمين الاجمل الاروع الافضل_دائما ذهبي ذهبيه عالمي اسطوري الاسطوره
ضحكت ضحكني يضحك مضحك تضحك ضحكتني مستمتع مستمتعه ممتعه انصحكم انصح_فيه انصح_به ينصح
بالتوفيق حظ_سعيد ينجح تنجح نجحنا ينتصر تنتصر انتصرت انتصرنا فزنا يستاهلون تستاهلين
مرتاح مرتاحه ارتحت طمني مطمن الحمد_لله_على_السلامه الف_سلامه سلامتك حبيبتي_انتي
حلوه_كتير كتير_حلو تحفه_فنيه جميل_جدا مبدعين متالقين ابطال_العالم بطلنا حبيبنا
نجح ينتصر انتصر يحقق_الفوز يتالق يبدع ابدعوا يفرح يفرحني فرحتي فرحه_كبيره سعاده_غامره
سلام_عليكم مرحبا اهلا اهلا_وسهلا هلا_والله حياك حياكم نورتونا
يستاهل_كل_خير الله_يبارك_فيك بارك_الله_فيك الله_يجزاك جزاك_الله_خير ربي_يحفظك
تستحق_التقدير احترام احترافيه_عاليه محترم محترمه محترمين راقي_جدا قمه_في_الروعه
عبقريه_فذه اسطوره_حيه ملك ساحر_الكره فنان_حقيقي
مرتب مرتبه منظم منظمه مطمئن مطمئنه متفائله ممتنه شاكره سعداء فرحانين
مبسوطين مستانس مستانسه مستانسين كشخه مزيون مزيونه حبوب حبوبه ميه_ميه على_راسي من_عيوني
ابشر ابشري ابشروا تم_بحمد_الله ربي_يوفقك الله_يوفقكم الله_يحفظكم الله_يسعدكم الله_يعطيك_العافيه
يعطيكم_العافيه ما_قصرتوا ماقصرتوا ما_قصرت ماقصرت كفيت_ووفيت شغل_نظيف شغل_ممتاز خدمه_ممتازه
سريعين متعاونين متعاون خلوق محترف_جدا يستاهل_الشكر انصح_بهم افضل_خدمه تجربه_رائعه راضيه
"""
_DIALECT_NEGATIVE = """
احقر اتفه افشل اقذر اغبي اسخف اوسخ احقر_الناس حقراء سفله اوغاد انذال نذل
يحرق يحرقون حرق احراق حرقوا يبكون بكيت ابكي مظلوم مظلومين ظالمين الظلمه ظلموا
ينتقم منه_لله ربنا_ينتقم الله_ينتقم الله_يلعن يلعنك لعنه_الله زهقان زهقت طفشان طفش
مرعب رعب مرعبه مخيف_جدا مرهق ارهاق منهك عصبي معصب نرفزه نرفزني يعصب معصبني
اهبل هبل هبله حمار حمير كلب كلاب خرا خره زق زقي تفو عفن معفن خنزير خنازير
مش_عاجبني مو_عاجبني مش_حلو_خالص مش_منيح مو_زين مب_زين ما_يسوى مايسوى ما_ينفع
ماينفع مش_نافع خربانه بايظ بايظه بايزه باظ عطلانه واقف_من متعطل يعلق يهنق هنق
علق_الجهاز تهنيق فاشله_جدا غلطان غلطانه كذبتوا كذبتم نصابين_محتالين حراميه_نصابين
ضحك_علينا استهبال مستهبل استغباء استهتار مستهتر مهمله مهملين ماحد_يرد محد_يرد
سيئين سيئون الاسوا_على_الاطلاق خسيسه خونه خاين_وعميل جبناء_خونه
كذاب كداب كدابين كدب يكذب يكذبون كاذب كاذبه الكذب دجال دجاجله منافقه تضليل مضلل
هدد يهدد توعد هاجم يهاجم تهاجم مهاجمه اعتدى يعتدي انتقم انتقام شتم يشتم شتيمه سب يسب
سخر يسخر سخريه استهزاء يستهزئ اهان يهين اهانه اذلال ذل مذله احتقار يحتقر عنصريه_مقيته
عصابه عصابات مرتزقه عملاء عميل خونه_العرب كابوس معضله اوهام وهم فاشلون
مايع معتوه المعتوه دلخ هطف خبل مخبول غبيه_جدا حقود قذاره نجس انجاس كافر كفار كفره
شاذ شواذ قواد ساقط ساقطه منحرف زنديق ملعون ملاعين لعين الشيطان شيطان ابليس
متوحش متوحشين مجرم_حرب سفاح سفاحين جزار طاغوت ديكتاتور قاتل قتله_الاطفال
انقاض ركام خراب_ودمار دمار_شامل نزيف ينزف جريح جرحي مصاب مصابين اصيب قصفت يقصف
خلاف خلافات نزاع صراع_دموي فتنه_طائفيه توتر متوتر ازمه_حاده فشل_ذريع
زعل زعلت مقهوره_مره خايب_الرجا حسافه حسره_عليكم ياخساره يا_خساره للاسف_الشديد
قلقان قلقانه مكتئب مكتئبه ندمان ندمانه مصدوم مصدومه مستاء مستاءه منزعج منزعجه متضايقه
تجاهل يتجاهل تتجاهلون تجاهلتوا تهرب يتهرب مماطله مماطلين وعود_كاذبه ضحك_على_الذقون
فشيله فشله يفشل تعبني تعبتوني يا_حسره مو_معقول مش_معقول الله_لا_يوفقكم الله_ياخذكم
ينعل يخرب_بيتك يخرب_بيتكم ما_في_فايده مافي_فايده بلا_فايده ما_ينصح لا_انصح ما_انصح
اسوا_خدمه خدمه_سيئه خدمه_زفت تجربه_سيئه ما_يردون مايردون ما_احد_يرد محد_رد بدون_رد
"""
# Mined from labelled tweets: per word form, as this scorer sees it, the smoothed
# log-odds of positive, negative and neutral; of the forms that stand out only those
# whose meaning carries sentiment are kept (praise, scorn, insult, enjoyment, blessing
# and curse), each with its inflections; names, places, parties, teams and news
# vocabulary are left out however well they separate the classes, as they describe
# the rows, not how people speak of a brand.
_MINED_POSITIVE = """
كيوت كيوته مسلي مسليه يستمتع نستمتع تستمتع استمتاع هنيئا هنيالك بالهنا بالعافيه
تقبل_الله تقبله_الله اقتنعت مقتنع مقتنعه مقنع مقنعه تكسب يكسب نكسب كسبنا بجوده_عاليه عالي_الجوده
صح_لسانك كلام_سليم عين_العقل صدقت صدقت_والله اتفق_معك معك_حق الله_يرحم_والديك
الله_يجزيك_خير جزاك_الله_خيرا دمت_بخير دمتم_بخير ابهرني ابهرتني يبهر انبهرت مدهش مدهشه
خيالي خياليه مهضوم مهضومه شاطر شاطره بذوق حنون حنونه طيبين اوفياء
شهم شهامه شجاع شجاعه شجعان مخلص اخلاص ربي_يخليك الله_يخليك
الله_يبارك تبارك_الرحمن نشكركم نشكرك اشكرك اشكركم ممنونين منعش
"""
_MINED_NEGATIVE = """
صنان نتن منتن ينبح ينبحون نباح رمم فطايس جيف جيفه منبطح منبطحين انبطاح خدعوك خداع
مخادع مخادعين يخدع مخدوع احراج محرج محرجه قتال اقتتال سحقا اخرس انقلع الزم_حدك
تلعب_بالنار وصمه_عار عار_عليك مهين مهينه مخجل مخجله ما_تستحي قليل_ادب قله_ادب قله_حيا
اذناب ذيول ابواق مطبل مطبلين تطبيل تافهين سخفاء مهرج تهريج افتراء تلفيق ملفق شماته
عاجز ضايع ضايعين ورطه الله_ياخذه الله_ياخذهم قاتله_الله قاتلهم_الله الله_لا_يسامحه
الله_لا_يسامحك الله_المستعان يؤسفني يحزنني احزنني كرهت اكرهه اكرهها تكره تكرهه يكرهون بغيض بغيضه
خيبت خيبتني تعيسه يائس مقهورين قهرتني نذاله وضيع وضيعه سمج سماجه ثقيل_دم مغرور متكبر
بخيل كسول مزيف مزيفه مقرف_جدا كسم فلول اخونجي اخونجيه شبيحه بلطجي بلطجيه طز قرد قرود
حثاله خرفان ذباب_الكتروني نيته_سوده نيتها_سوده نيتك_سوده نيتهم_سوده قلبه_اسود
"""
# Mined the other way round, from the odd rows, and kept by meaning: words of praise,
# affection and congratulation (يحببك، واحشني، عقبالك، لله دره، تتشرف), the Maghrebi
# زوين، مزيان، واعر, comparatives no inflection rule reaches (اشطر، اطيب), and words of
# scorn, disgust, dismay and pity (متخاذل، متآمر، هلفوت، مغفلين، امتعاض، استياء، صدمة،
# مساكين), and the killing words the earlier lists lacked (مذبحة، ذبح، سفك), as VADER's
# "massacre" and "slaughter". Most were seen once or twice: kept for what they mean.
_ODD_POSITIVE = """
واحشني وحشني وحشتوني واحشنا يحببك بيحببك تحببك بتحببك اشطر لله_دره ماتع ماتعه
بيض_الله_وجوهكم بيض_الله_وجهه تتشرف نتشرف يتشرف اتشرف تشرفنا عقبالك عقبال نفتقدك
احلا اطيب الطف اذكى اسهل
فديت فديتك فديته فديتها فديتكم الله_يحييك ربنا_يخليك ربنا_يكرمك الله_يكرمك يكرمك تقبرني حبيب_قلبي
زوين زوينه مزيان مزيانه واعر جدير جديره بارع بارعه فذ شيق شيقه مشوق مشوقه مفرح مفرحه يسعدنا يسرنا
اسطورتي يحفظه يحفظها يحفظهم يحفظكم تقبل_منا
"""
_ODD_NEGATIVE = """
كارهين كاره كارهه طاعون مذبحه مذابح مشوه نحس منحوس يستخف استخفاف متخاذل متخاذلين تخاذل اشمئزاز
اوضع معيب متآمر متآمرين هلفوت مغفل مغفلين عرص عاهات عاهه مكسل كسلان صدمه صادم صادمه اضطراب امتعاض
استياء مقلب ضيعت ضيعتوا تضييع رداءه خسئت جرذان جرذ شنيع شنيعه شنعاء مروع مروعه مفجع مفجعه عبيط عبيطه
رخم رخمه غتت لوتي مالت_عليك تعتير بلا_مخ مامزيانش ماشي_مزيان حشومه مكلخ قاسي قاسيه مهزوز احا عويل
المفتن يبتز يبتزهم شذاذ_الافاق جنون_العظمه ضاع ضاعت ضاعوا شلل استشهاد الاعيب مسكين مساكين
سفك ذبح يذبح تذبح يذبحون نابح انفعل انفعال متثيقف يسفل
"""
# Everyday opinion words written from the language, not from labelled rows: thanks
# and blessings (تسلم يداك، سلمت يمينك، وفقكم الله), Egyptian اشطا، زي الفل، جامد اوي,
# Gulf ونعم، فرحني، يسلم دياتك, Levantine يسلمو ايديك، بتهبل, and the grievances of a
# customer (خاب ظني، غشوني، نصبوا علي، ما ردوا، مش شغال، الاسعار نار). Words that
# are as often names or function words are left out: حسن، عادل، امين، صادق، نبيل،
# كرم، رضا، فرج، ماهر (names), وحده (alone, or "unity"), وفي (and in), اقدر (I can),
# ضعف (double), بيئه (the environment), فاكس (a fax).
_EVERYDAY_POSITIVE = """
حسنه احسن_شي جيد_جدا رائع_جدا ممتع ممتعين نافع مفيدين ناجحه ناجحين مثمر مدهشين باهر باهره
مبهرين متقنه مبدعون ابداعات بديعه جميلين جميلات حلوين_كتير صادقه وفاء كريمه انصاف منصف راقيين
مسرور مسروره سرني مسرات بهجه بهيج احترامي نحترم يحترم احتراما شكرا_لك شكرا_لكم شكراً_لك
الشكر شكرًا بارع مهاره موهوبين عبقرينا مبدعه_جدا مفرحه بشرى بشاره بشاير بشارة نعم_الله بركه
خيرات رزق طمانينه سكينه هدوء مرتاحين رضيت عافيه بالشفاء شفاك_الله شفاه_الله
حمدالله_على_السلامه ع_السلامه اشطا زي_الفل جامده جامدين حلو_اوي جميل_اوي تحفة
اوووف_تحفه ونعم_فيك نعم_الرجال فرحني اسعدني اسعدتني اسعدنا يفرحنا فرحتونا يبيض_الوجه
بيض_الله_وجهك يسلمو_ايديك تسلم_ايديك تسلم_ايدك يسلم_دياتك تسلم_يداك سلمت_يداك سلمت_يمينك ابدعتي
ابدعتوا بتهبل بيهبل مهضومين حبوبين لطيفين لطاف ظريف ظريفه خفيف_دم دمه_خفيف
اعجبتني_كثير حبيته_كثير استمتعت_كثير نصيحه_مني انصحك انصحكم_فيه يستحق_التجربه يستاهل_التجربه
وفقك_الله وفقكم_الله موفقه ربي_يوفقكم نجاحك نجاحكم تهاني تهنئتي مبارك_عليك مبروك_عليك
الف_الف_مبروك جيدين ممتازين رائعه_جدا متميزين تميز يتميز مميزين افضل_شي احسن_شي قويه_جدا
فخر_لنا مصدر_فخر شجاعه_نادره بطوله_حقيقيه انجاز_عظيم نجاح_باهر تالق_لافت احسنتم احسنتي حلم_تحقق
اخيرا_تحقق سعيد_جدا سعيده_جدا فرحانه فرحانين مبسوطه_مره مبسوط_مره
"""
_EVERYDAY_NEGATIVE = """
مكسور مكسوره تالف تالفه
رديئه_جدا سيئه_جدا فاشل_جدا مخيب_للامال مخيبه_للامال خيبه_الامل خاب_ظني خيبت_ظني ازعجني ازعجتني
يزعجني مؤلم_جدا يؤلم يؤلمني الم_شديد محزن_جدا مؤسف_جدا يحزن تحزن احزنني_جدا اسفه متاسف متاسفه
مخجل_جدا مشين مشينه مقيت مقيته كريهين بشعين مرعبين فظيع فظيعه فظاعه فظائع سخيفين تافهين_جدا
احمقاء جهلاء كاذبين كذابين_جدا مخادعه غشونا غشوني خدعونا خدعوني نصبوا نصبوا_علي نصب_علي سرقوني
خونه_الوطن خيانه_عظمى ظالمه مظالم قمعيه طغيان استبدادي مستبد ديكتاتوريه ضعفاء سوء اساءه مسيء
مسيئه شكوى شكاوى اشتكي نشتكي اشتكيت تذمر متذمر سخط ساخط ساخطين يائسين احباط_شديد كئيبين
عذاب يعذب معذب جحيم نكبه نكسه بلوه شر شرير اشرار حقد_دفين ذليل اهانتي اهانونا احتقار_تام
نادم خجلان وقحين وقاحه_ما_بعدها بلطجه همج همجيين قرفتونا قرفني زهقتونا طفشتونا
مليت مليت_منكم تعبتونا خنقه مخنوق مخنوقه خنقتونا منيله يخرب_بيت اهبل_جدا عبيط_جدا ماصخه ماسخ
ماسخه خرابيط كلام_فاضي هياط مهايط مش_منيحه خايبين شينين شين_مره سيء_مره زفت_مره قبيح_جدا
مو_حلو_ابد ما_عجبني_ابد ما_يعجب مايعجب مفيش_فايده مافيش_فايده مش_شغال مو_شغال ما_يشتغل مايشتغل
مش_بيشتغل عطلان_من مقطوع انقطع ينقطع بطيء_جدا بطء بطئ غالي_جدا غالي_مره اسعار_نار الاسعار_نار
نار_الاسعار
سرقه_علنيه نهب_علني استغلال_واضح ما_رد مارد ما_ردوا ماردوا ماحد_رد لا_حياه_لمن_تنادي بلا_فائده
بدون_فائده فاشلين_جدا تعيس_جدا حزين_جدا حزينه_جدا قلبي_يوجعني يوجعني يقطع_القلب يحرق_القلب
حرقه_قلب
"""
# Formulas whose sense is not the sum of their words. A prayer for the dead (الله يرحمه،
# رحمه الله) is condolence, sad but mild: "mercy" (رحمه) is positive on its own, so
# the phrase carries the difference. The greeting "ورحمة الله وبركاته" judges nothing,
# and "حل مشكلة" (the fix for a problem) is good news, not a problem.
_CONDOLENCE = "يرحمه يرحمها يرحمهم"
_WHY = "ليش لماذا"
"""A "why" put to someone is more often a grievance than curiosity ("ليش ما تردون"):
a faint lean, like a lone denial's, that one sentiment word outweighs. "ليه" is left
out: in Maghrebi Arabic it is "to him" ("قلت ليه")."""
_FORMULAS = (
    ("رحمه_الله", -2.8),  # with رحمه (+1.6): -1.2, as يرحمه
    ("ورحمه_الله_وبركاته", -1.6),  # with رحمه (+1.6): 0
    ("حل_مشكله حل_مشاكل", 3.0),  # with مشكله (-1.8): +1.2
    ("مش_بطال مش_بطاله مش_وحش مش_وحشه", 0.9),  # Egyptian "not bad", with the denied word: +1.3
)
_STRENGTHS = (  # a word in two blocks takes the later block's value
    (_EVERYDAY_POSITIVE, 1.8),
    (_EVERYDAY_NEGATIVE, -2.0),
    (_MORE_POSITIVE, 1.6),
    (_MORE_NEGATIVE, -1.8),
    (_DIALECT_POSITIVE, 1.8),
    (_DIALECT_NEGATIVE, -2.0),
    (_MINED_POSITIVE, 1.8),
    (_MINED_NEGATIVE, -2.0),
    (_ODD_POSITIVE, 1.8),
    (_ODD_NEGATIVE, -2.0),
    (_POSITIVE_STRONG, 2.6),
    (_POSITIVE, 1.6),
    (_NEGATIVE, -1.8),
    (_NEGATIVE_STRONG, -2.6),
    (_CONDOLENCE, -1.2),
    (_WHY, -0.6),
    *_FORMULAS,
)

_NEGATORS = frozenset(
    normalise(w)
    for w in "ما مش مو مب موب لا لم لن ليس ليست لست مافي مافيش مفيش بدون غير ولا عمري".split()
)
_BOOSTERS = {
    normalise(w): 0.3
    for w in "جدا جداً كتير كثير واجد مره مرة اوي قوي خالص بزاف كتيير اكثر بجد والله".split()
}
_EMOJI = {
    "😍": 2.5,
    "🥰": 2.5,
    "❤": 2.2,
    "♥": 2.0,
    "💕": 2.2,
    "💖": 2.2,
    "😘": 2.0,
    "😊": 1.8,
    "☺": 1.6,
    "🙂": 1.0,
    "👍": 1.6,
    "👏": 1.6,
    "🌹": 1.6,
    "🌷": 1.4,
    "💐": 1.4,
    "🎉": 2.0,
    "✨": 1.0,
    "💪": 1.4,
    "🙏": 1.0,
    "😁": 1.6,
    "😀": 1.6,
    "😃": 1.6,
    "😄": 1.6,
    "😎": 1.4,
    "👌": 1.6,
    "💗": 2.0,
    "💓": 2.0,
    "💞": 2.0,
    "💙": 1.8,
    "💚": 1.8,
    "💛": 1.8,
    "💜": 1.8,
    "😌": 1.2,
    "😋": 1.6,
    "😉": 1.2,
    "😆": 1.4,
    "🤩": 2.2,
    "🌞": 1.2,
    "💯": 1.6,
    "🏆": 1.8,
    "🥇": 1.8,
    "🌸": 1.2,
    "😑": -1.0,
    "😐": -0.6,
    "😓": -1.4,
    "😥": -1.4,
    "😖": -1.6,
    "😣": -1.6,
    "💩": -2.0,
    "🖕": -2.8,
    "😢": -2.0,
    "😭": -0.3,  # as often laughter, longing ("ابي ايفون 😭") or love as grief
    "💔": -2.4,
    "😡": -2.6,
    "😠": -2.4,
    "🤬": -2.8,
    "😤": -1.8,
    "😞": -1.8,
    "😔": -1.6,
    "😩": -1.8,
    "😫": -1.8,
    "👎": -2.0,
    "😒": -1.6,
    "🙄": -1.4,
    "😱": -1.6,
    "😰": -1.6,
    "🤮": -2.4,
    "🤢": -2.0,
    "😕": -1.2,
    "☹": -1.8,
}


_EMOJI_CHARS = frozenset(_EMOJI)
# one regex scan rules out most posts before a set probe per character
_MAYBE_EMOJI = emoji_prefilter(_EMOJI_CHARS)

_NOT_SENTIMENT = frozenset(
    normalise(w)
    for w in """
لجنه لجنة اللجنه فندم يافندم لولا اخير الاخير اخيره الاخيره اخيرا بالاخير والاخير
بعيد ببعيد البعيد بعيده تعيد يعيد نعيد اعيد بوست البضايع بضايع الخلافه تجميل التجميل للتجميل
الارضيه ارضيه انور اسلامه يملك تملك نملك املك يملكون منظمات المنظمات منظمه المنظمه انفاق
الانفاق تباين العينه رديت رديتي رديتوا الاصلي الاصليه
الذكي الذكيه بالذكي بالذكيه العالمي العالميه للعالمي الملك للملك والملك الفنان الفنانه
للفنان والفنان الذهبي الذهبيه
الاعزاء اعزاء اعزائي غبانا غابانا اسوي تسلمته تسلمها النصره بالنصره
""".split()
)
"""Words that only look like a sentiment word once a clitic or a verb prefix is peeled
off ("لجنه", a committee, is not "ل" + "جنه", paradise; "الاخير", the last, is not
"ا" + "خير", good; "بعيد", far, is not "ب" + "عيد", a feast), or that with the
article name or describe rather than judge: "الذكي" is the smart in "الهاتف الذكي",
"العالمي" the world in "اليوم العالمي", "الملك" and "الفنان" are titles. "الاعزاء"
(the dear ones) is not "ا" + "عزاء" (condolence), "اسوي" (Gulf "I do") not "اسوء"
(worse), "تسلمته" (received it) not "تسلم" (thanks), "غبانا" is Gabbana."""


def _build() -> dict[str, float]:
    lex: dict[str, float] = {}
    for block, value in _STRENGTHS:
        for word in block.split():
            lex[normalise(word.replace("_", " "))] = value
    return lex


_LINKED = 0.6
"""How much a post that shares a link says of itself. Such a post is most often a
headline passing on news ("X launches Y http..."): its words describe the article more
than they judge it, so its compound is scaled down. With the pack's lines (ar.toml) the
faintest signals (a lone denial, laughter, a mild emoji) then leave it neutral, while a
sentiment word still decides: "ما اشتغل" alone is a grievance, "لم يعلن ... http" news."""

_ELONGATED = re.compile(r"(.)\1{2,}")
"""A letter typed three times or more is one letter stretched: "حلووووو" is "حلو"."""
_VERB_PREFIXES = ("س", "ي", "ت", "ن", "ا", "ب")
"""Future س, the present-tense persons ي ت ن ا, and the dialect present ب (بيحب)."""
_PLURAL_SUFFIXES = ("ات", "ين", "ون", "وا", "ان", "تم", "ت")
"""Plurals, duals and past-tense persons: "فاشلين" is "فاشل", "نجحوا" is "نجح"."""


def _inflections(tok: str) -> list[str]:
    """Forms of a token with inflection taken off, tried when no lexicon form fits.

    Stems keep three letters or more, as for clitics: shorter ones are ambiguous.
    """
    out: list[str] = []
    plain = _ELONGATED.sub(r"\1", tok)
    if plain != tok:
        out.append(plain)
    if tok.startswith("يا") and len(tok) >= 5:
        out.append(tok[2:])  # the vocative glued on: "ياحلو", "ياحمار"
    if tok.endswith("ا") and len(tok) >= 4:
        out.append(tok[:-1])  # the accusative's alef: "جميلا", "فوزا"
    for stem in (tok, *arabic_variants(tok)):
        for s in _PLURAL_SUFFIXES:
            if stem.endswith(s) and len(stem) - len(s) >= 3:
                out.append(stem[: -len(s)])
        if len(stem) >= 4 and stem[0] in _VERB_PREFIXES:
            out.append(stem[1:])
    return out


_RELATIVE_MA = frozenset(
    normalise(w) for w in "زي زى مثل كل بعد قبل لما حسب عند طول متى اكثر اقل بقدر كيف".split()
)
"""After these "ما" is "what" or "as", not "not": "زي ما بتحب" is "as you like"."""


def _denies(toks: list[str], j: int) -> bool:
    """Whether the token at j denies what follows: a negator, unless it is "ما" used
    as a relative after a word that takes one ("كل ما", "بعد ما", "مثل ما"), or
    "ولا" before a comparative ("تطبيق ولا اروع": an app like no other)."""
    tok = toks[j]
    if tok not in _NEGATORS:
        return False
    if tok == "ما":
        return not (j > 0 and toks[j - 1] in _RELATIVE_MA)
    if tok == "ولا":
        return not (j + 1 < len(toks) and toks[j + 1] in _UNMATCHED)
    return True


_UNMATCHED = frozenset(
    normalise(w) for w in "اروع احلى احلا اجمل احسن افضل اطيب الذ اقوى اسرع".split()
)
"""Comparatives that "ولا" makes superlatives: "ولا اروع", "ولا احلى" (none finer)."""

_PROBLEM = frozenset(normalise(w) for w in "مشكله مشكلة مشاكل مشكل".split())
_NO_PROBLEM_FILLERS = frozenset(
    normalise(w) for w in "في فيه اي أي ولا عندي عندنا هناك يوجد توجد".split()
)


def _without_no_problem(toks: list[str]) -> list[str]:
    """`toks` with "no problem" blanked out ("ما في مشكلة", "مافي اي مشكلة", "مفيش
    مشاكل", "بدون مشاكل", "لا توجد مشكلة"): nothing is wrong, so neither the problem
    nor the denial says anything; read as they are, a problem or a lone denial would
    make the post a grievance."""
    out = list(toks)
    for i, tok in enumerate(toks):
        if tok in _PROBLEM:
            j = i - 1
            while j >= 0 and i - j <= 3 and out[j] in _NO_PROBLEM_FILLERS:
                j -= 1
            if j >= 0 and i - j <= 3 and out[j] in _NEGATORS and _denies(out, j):
                for k in range(j, i + 1):
                    out[k] = ""
    return out


_SOFT_BUT = "بس"
"""Dialect's "but", as often "only" or "enough" ("بس كذا"): a "but" only between two
opinions ("حلو بس غالي", "غالي بس يستاهل")."""
_BUT = frozenset(normalise(w) for w in f"لكن ولكن لكنه لكنها لكني لكنهم لكنك {_SOFT_BUT}".split())
"""Forms of "but" (لكن, and بس between two opinions)."""


def _after_but(toks: list[str], active: list[bool]) -> list[bool]:
    """In "X لكن Y" the clause after "but" is the verdict: when it holds a sentiment word
    or a denial, the words before "but" do not count ("الشكل حلو لكن البطاريه زفت")."""
    for b, t in enumerate(toks):
        if t in _BUT and (t != _SOFT_BUT or any(active[:b])):
            if any(active[b + 1 :]):
                return [False] * (b + 1) + active[b + 1 :]
            return active
    return active


def _next_in(toks: list[str], i: int, lex: dict[str, float]) -> bool:
    return any(t in lex for t in toks[i + 1 : i + 3])


class ArabicSentiment:
    """Scores Arabic text on VADER's compound scale ([-1, 1])."""

    def __init__(self, extra: dict[str, float] | None = None) -> None:
        self.lexicon = _build()
        self._phrases = {k: v for k, v in self.lexicon.items() if " " in k}
        self._phrase_firsts = frozenset(k.split()[0] for k in self._phrases)
        for word, value in (extra or {}).items():
            self.lexicon[normalise(word)] = float(value)
        self._stems = _Stems(self.lexicon)
        self._stem = self._stems.__getitem__
        self._value = _Values(self._stem, self.lexicon).__getitem__
        self._word = _Words(self._stem, self._value).__getitem__
        # Phrases by their longest word, each with its position in the lexicon: the
        # valences of those found are added in that order, as they always were. A
        # phrase is found only where all its words are stems of the post, and its
        # longest word is the rarest: "من" and "على" begin phrases and most posts,
        # "عيوني" and "راسي" few posts.
        self._by_key: dict[str, list[tuple[int, str, float]]] = {}
        for i, (phrase, value) in enumerate(self._phrases.items()):
            key = max(phrase.split(), key=len)
            self._by_key.setdefault(key, []).append((i, f" {phrase} ", value))
        self._phrase_keys = frozenset(self._by_key)
        # A stem differs from its token only when the stem is a lexicon word, so
        # unless a negator is one, the tokens tell whether the stems hold a negator.
        self._negator_words = not _NEGATORS.isdisjoint(self.lexicon)

    def compound(self, text: str, toks: list[str] | None = None) -> float:
        if toks is None:
            toks = tokens(normalise(text))
        if not _PROBLEM.isdisjoint(toks):
            toks = _without_no_problem(toks)
        words = list(map(self._word, toks))  # memoised per token: see `_Words`
        active = list(map(_ACTIVE, words))
        total = 0.0
        if any(active):  # a sentiment word or a denial: the rest only matter around them
            if not _BUT.isdisjoint(toks):
                active = _after_but(toks, active)
            has_negator = self._negator_words or not _NEGATORS.isdisjoint(toks)
            stems = list(map(_STEM, words))
            total = self._words(stems, list(map(_VALUE, words)), active, has_negator)
        if (
            self._phrases
            and not self._phrase_firsts.isdisjoint(toks)
            and not self._phrase_keys.isdisjoint(stems := list(map(_STEM, words)))
        ):
            joined = " " + " ".join(stems) + " "
            by_key = self._by_key
            found = sorted(
                entry
                for key in by_key.keys() & set(stems)
                for entry in by_key[key]
                if entry[1] in joined
            )
            for _, _, value in found:
                total += value
        if _MAYBE_EMOJI(text) is not None and not _EMOJI_CHARS.isdisjoint(text):
            for ch in text:
                e = _EMOJI.get(ch)
                if e is not None:
                    total += e
        if total == 0:
            return 0.0
        score = max(-1.0, min(1.0, total / math.sqrt(total * total + 15)))
        if "http" in text or "www." in text:
            score *= _LINKED
        return score

    def _words(
        self,
        toks: list[str],
        values: list[float | None],
        active: list[bool],
        has_negator: bool,
    ) -> float:
        """The sum of the words' valences, with intensifiers and negation applied;
        `active` marks the sentiment words and denials, the only ones that count."""
        lex = self.lexicon
        total = 0.0
        for i in compress(range(len(toks)), active):
            tok = toks[i]
            value = values[i]
            if value is None:
                if (
                    has_negator
                    and tok in _NEGATORS
                    and _denies(toks, i)
                    and not _next_in(toks, i, lex)
                ):
                    # A denial with no sentiment word after it ("ما اشتغل", "مش شغال")
                    # leans negative, as VADER's stand-alone "no" does.
                    value = -0.6
                else:
                    continue
            # Intensifiers stand before ("كتير حلو") or, more often, after ("حلو جدا").
            for j in (i - 1, i + 1):
                if 0 <= j < len(toks) and toks[j] in _BOOSTERS:
                    value += _BOOSTERS[toks[j]] * (1 if value > 0 else -1)
                    break
            if has_negator and (
                (i > 0 and toks[i - 1] in _NEGATORS and _denies(toks, i - 1))
                or (i > 1 and toks[i - 2] in _NEGATORS and _denies(toks, i - 2))
            ):
                # A denied praise word is a complaint ("مش حلو"), but a denied complaint
                # word is barely praise: "مو سيء" leans positive below the line, and
                # "لا للارهاب", "ما في مشكله" say little good.
                value *= -0.74 if value > 0 else -0.2
            total += value
        return total


_STEM, _VALUE, _ACTIVE = (itemgetter(i) for i in range(3))


class _Words(dict[str, tuple[str, "float | None", bool]]):
    """Token -> (its stem, its valence before context, whether it counts: a sentiment
    word or a denial). Memoised: one probe a token; size capped."""

    def __init__(self, stem: Callable[[str], str], value: Callable[[str], float | None]) -> None:
        super().__init__()
        self._parts = (stem, value)

    def __missing__(self, tok: str) -> tuple[str, float | None, bool]:
        stem_of, value_of = self._parts
        stem = stem_of(tok)
        value = value_of(tok)
        entry = (stem, value, value is not None or stem in _NEGATORS)
        if len(self) > 100_000:
            self.clear()
        self[tok] = entry
        return entry


class _Stems(dict[str, str]):
    """Token -> the token, or the inflection-free form of it that the lexicon knows.
    Memoised; size capped."""

    def __init__(self, lexicon: dict[str, float]) -> None:
        super().__init__()
        self._lexicon = lexicon

    def __missing__(self, tok: str) -> str:
        lex = self._lexicon
        stem = tok
        if tok not in lex and not any(v in lex for v in arabic_variants(tok)):
            stem = next((v for v in _inflections(tok) if v in lex), tok)
        if len(self) > 100_000:
            self.clear()
        self[tok] = stem
        return stem


class _Values(dict[str, "float | None"]):
    """Token -> its valence before context: the lexicon's value for the token, its
    inflection-free stem or a clitic-free variant, 1.2 for laughter ("ههههه"), or None.
    Memoised, as the same words come back post after post; size capped."""

    def __init__(self, stem: Callable[[str], str], lexicon: dict[str, float]) -> None:
        super().__init__()
        self._stem_of = stem
        self._lexicon = lexicon

    def __missing__(self, tok: str) -> float | None:
        stem = self._stem_of(tok)
        lex = self._lexicon
        value = lex.get(stem) if tok not in _NOT_SENTIMENT else None
        if value is None and tok not in _NOT_SENTIMENT:
            for var in arabic_variants(stem):
                value = lex.get(var)
                if value is not None:
                    break
        if value is None and len(stem) >= 4 and set(stem) == {"ه"}:
            value = 1.2  # laughter is written as runs of "ه"
        if len(self) > 100_000:
            self.clear()
        self[tok] = value
        return value
