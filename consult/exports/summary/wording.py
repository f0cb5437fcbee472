"""The summary workbook's own words, in English and Urdu (terms from docs/glossary.md).

A workbook is made outside any request, often by the command line, and is read by people who
may not share the interface language: its labels are a fixed table per language rather than
the interface's gettext catalogue. A language missing here falls back to English.
"""

from __future__ import annotations

EN = {
    "overview": "Overview",
    "consultation": "Consultation",
    "period": "Period",
    "responses": "Responses",
    "filters": "Filters",
    "no_filters": "All responses",
    "left_out": "responses left out after review are not counted (the default)",
    "with_left_out": "responses left out after review are counted too",
    "excluded_title": "Responses left out after review",
    "excluded_n": "Left out after review: {n}. Respondents counted the other way: {other}.",
    "agree_with_excluded": "% agree, with excluded responses",
    "agree_without_excluded": "% agree, without excluded responses",
    "channel": "Channel",
    "language": "Language",
    "from": "from",
    "to": "to",
    "k": "Smallest number of respondents shown (k)",
    "no_responses": "No responses yet: there is nothing to summarise.",
    "group": "Stakeholder group",
    "region": "Province or region",
    "total": "Total",
    "recommendation": "Recommendation",
    "question": "Question",
    "unit": "Respondents",
    "n": "n",
    "agree": "% agree",
    "disagree": "% disagree",
    "mean": "Mean",
    "median": "Median",
    "iqr": "IQR",
    "consensus": "Consensus",
    "consensus_agree": "✔ agree",
    "consensus_disagree": "✔ disagree",
    "spread": "Spread of group means",
    "split": "Groups split",
    "yes": "yes",
    "mean_rank": "Mean rank (1 = most important)",
    "borda": "Borda points",
    "mean_rank_short": "mean rank",
    "borda_short": "Borda points",
    "borda_chart": "Borda points, overall (longer = more important)",
    "see_rankings": "Ranked: see the Rankings sheet.",
    "item": "Item",
    "comment": "Comment",
    "general": "General",
    "overall": "Overall (each respondent counts once)",
    "weighted": "Overall (each group counts equally)",
    "not_given": "Not given",
    "group_not_shown": "Group not shown (fewer than k respondents)",
    "small": "<{k}",
    "hidden": "hidden",
    "no_comments": "No comments.",
    "comments_withheld": "Comments withheld: this view holds fewer than {k} respondents.",
    "see_comments": "Open answers: see the Comments sheet.",
    "by_region": "By province or region",
    "by_group": "By stakeholder group",
    "notes": "How to read this workbook",
    "note_agree": "% agree: share choosing the top two points of the scale; % disagree: the "
    "bottom two. The neutral middle counts for neither.",
    "note_weighted": "Two overall figures stand side by side: each respondent counts once; and "
    "each stakeholder group shown counts equally, whatever its size.",
    "note_small": "<{k}: fewer than {k} respondents; no percentage or mean is shown, to protect "
    "them. 'hidden': shown neither, so that a small cell cannot be worked out from the others "
    "and the overall.",
    "note_consensus": "Consensus: at least {share:.0%} on one side and an interquartile range "
    "(IQR) of at most {iqr:g}.",
    "note_split": "Groups split: the group means lie {spread:g} point(s) or more apart, or one "
    "group's majority agrees while another's disagrees.",
    "note_comments": "Comments are sorted by text within each group, and a comment from a group "
    "with fewer than {k} respondents is shown without its group.",
    "wave_sheet": "Change since the previous wave",
    "wave_of": "This survey is a new wave of",
    "no_previous_wave": "This survey is not a new wave of an earlier one: nothing to compare.",
    "wave_note": "Each recommendation × stakeholder group: % agree in each wave, the change in "
    "percentage points and its 95% interval (Newcombe's hybrid score interval for a difference "
    "of two independent proportions). Beyond noise: the interval excludes 0. A group with "
    "fewer than {k} respondents (or hidden) in either wave shows no change.",
    "previous_unseen": "This survey repeats an earlier one that your account cannot open: its "
    "figures are not shown.",
    "missing_codes": "Question codes asked in only one wave (not compared)",
    "previous": "Previous wave",
    "this_wave": "This wave",
    "change": "Change (points)",
    "ci_low": "95% interval, low",
    "ci_high": "95% interval, high",
    "beyond_noise": "Beyond noise",
    "no": "no",
    "implementation": "Support and delivery",
    "implementation_note": "Support: the share of each group who agree with the recommendation; "
    "rating: the share who rate its implementation well, where the survey asks (a question "
    "coded *_implementation). Delivery: as entered by the organizers. An indicator is met when "
    "its latest value reaches the target, moving from its baseline.",
    "support": "Support (% agree)",
    "rating": "Implementation rated well (%)",
    "owner": "Owner",
    "status": "Status",
    "progress": "Progress (%)",
    "kpis_met": "Indicators met",
    "kpis": "Indicators",
    "evidence": "Evidence links",
    "kpi": "Indicator",
    "kpi_unit": "Unit",
    "baseline": "Baseline",
    "target": "Target",
    "latest": "Latest value",
    "measured_on": "Measured on",
    "met": "Met",
    "label": "Label",
    "url": "Address",
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "stalled": "Stalled",
}

UR = {
    "overview": "خلاصہ",
    "consultation": "مشاورت",
    "period": "مدت",
    "responses": "جوابات",
    "filters": "چھانٹی",
    "no_filters": "تمام جوابات",
    "left_out": "جائزے کے بعد خارج کیے گئے جوابات شمار نہیں (طے شدہ)",
    "with_left_out": "جائزے کے بعد خارج کیے گئے جوابات بھی شمار",
    "excluded_title": "جائزے کے بعد خارج کیے گئے جوابات",
    "excluded_n": "جائزے کے بعد خارج: {n}۔ دوسری صورت میں شمار جواب دہندگان: {other}۔",
    "agree_with_excluded": "٪ متفق، خارج شدہ جوابات سمیت",
    "agree_without_excluded": "٪ متفق، خارج شدہ جوابات کے بغیر",
    "channel": "ذریعہ",
    "language": "زبان",
    "from": "سے",
    "to": "تک",
    "k": "ظاہر کیے جانے والے شرکا کی کم از کم تعداد (k)",
    "no_responses": "ابھی کوئی جواب موصول نہیں ہوا، اس لیے خلاصہ بنانے کے لیے کچھ موجود نہیں۔",
    "group": "فریقین کا گروہ",
    "region": "صوبہ یا علاقہ",
    "total": "کل",
    "recommendation": "سفارش",
    "question": "سوال",
    "unit": "شرکا",
    "n": "تعداد",
    "agree": "٪ متفق",
    "disagree": "٪ متفق نہیں",
    "mean": "اوسط",
    "median": "درمیانی قدر",
    "iqr": "درمیانی نصف کی وسعت (IQR)",
    "consensus": "اتفاقِ رائے",
    "consensus_agree": "✔ متفق",
    "consensus_disagree": "✔ متفق نہیں",
    "spread": "گروہوں کی اوسط میں فرق",
    "split": "گروہوں میں اختلاف",
    "yes": "ہاں",
    "mean_rank": "اوسط درجہ (1 = سب سے اہم)",
    "borda": "بورڈا پوائنٹس",
    "mean_rank_short": "اوسط درجہ",
    "borda_short": "بورڈا پوائنٹس",
    "borda_chart": "بورڈا پوائنٹس، مجموعی (لمبی پٹی = زیادہ اہم)",
    "see_rankings": "درجہ بندی: درجہ بندی کی شیٹ دیکھیں۔",
    "item": "سفارش",
    "comment": "رائے",
    "general": "عمومی",
    "overall": "مجموعی (ہر شریک ایک بار)",
    "weighted": "مجموعی (ہر گروہ برابر)",
    "not_given": "درج نہیں",
    "group_not_shown": "گروہ ظاہر نہیں کیا گیا (k سے کم شرکا)",
    "small": "<{k}",
    "hidden": "پوشیدہ",
    "no_comments": "کوئی رائے موصول نہیں ہوئی۔",
    "comments_withheld": "آرا ظاہر نہیں کی گئیں: اس انتخاب میں {k} سے کم شرکا ہیں۔",
    "see_comments": "کھلے جوابات: رائے کی شیٹ دیکھیں۔",
    "by_region": "صوبہ یا علاقہ وار",
    "by_group": "فریقین کے گروہ وار",
    "notes": "اس ورک بک کو پڑھنے کا طریقہ",
    "note_agree": "٪ متفق: پیمانے کے اوپر کے دو درجے منتخب کرنے والوں کا تناسب؛ ٪ متفق نہیں: نیچے "
    "کے دو درجے۔ درمیانی غیر جانبدار درجہ کسی میں شمار نہیں ہوتا۔",
    "note_weighted": "دو مجموعی اعداد ساتھ ساتھ دیے گئے ہیں: ایک میں ہر شریک ایک بار شمار ہوتا ہے، "
    "دوسرے میں ہر ظاہر کیا گیا گروہ برابر شمار ہوتا ہے، چاہے اس کی تعداد کچھ بھی ہو۔",
    "note_small": "<{k}: {k} سے کم شرکا؛ ان کے تحفظ کے لیے کوئی فیصد یا اوسط ظاہر نہیں کی جاتی۔ "
    "'پوشیدہ': یہ بھی ظاہر نہیں کیا گیا تاکہ چھوٹے گروہ کے اعداد باقی گروہوں اور مجموعی اعداد سے "
    "معلوم نہ کیے جا سکیں۔",
    "note_consensus": "اتفاقِ رائے: کم از کم {share:.0%} ایک طرف، اور درمیانی نصف کی وسعت (IQR) "
    "زیادہ سے زیادہ {iqr:g}۔",
    "note_split": "گروہوں میں اختلاف: گروہوں کی اوسط میں {spread:g} یا زیادہ درجوں کا فرق ہو، یا "
    "ایک گروہ کی اکثریت متفق اور دوسرے کی اکثریت متفق نہ ہو۔",
    "note_comments": "ہر گروہ کی آرا متن کی ترتیب سے دی گئی ہیں، اور جس گروہ میں {k} سے کم "
    "شرکا ہوں اس کی رائے گروہ کا نام ظاہر کیے بغیر دی جاتی ہے۔",
    "wave_sheet": "پچھلے مرحلے کے بعد تبدیلی",
    "wave_of": "یہ سروے اس سابقہ سروے کا نیا مرحلہ ہے:",
    "no_previous_wave": "یہ سروے کسی سابقہ سروے کا نیا مرحلہ نہیں، اس لیے موازنے کے لیے کچھ نہیں۔",
    "wave_note": "ہر سفارش اور فریقین کے ہر گروہ کے لیے: ہر مرحلے میں ٪ متفق، فیصدی درجوں میں "
    "تبدیلی اور اس کا 95٪ وقفہ (دو آزاد تناسبوں کے فرق کے لیے نیوکومب کا ہائبرڈ اسکور وقفہ)۔ "
    "شور سے زیادہ: وقفے میں صفر شامل نہیں۔ جس گروہ میں کسی بھی مرحلے میں {k} سے کم شرکا "
    "ہوں (یا پوشیدہ ہو) اس کی تبدیلی ظاہر نہیں کی جاتی۔",
    "previous_unseen": "یہ سروے ایک سابقہ سروے کا اعادہ ہے جسے آپ کا اکاؤنٹ نہیں کھول سکتا، اس لیے "
    "اس کے اعداد ظاہر نہیں کیے گئے۔",
    "missing_codes": "وہ سوالات جو صرف ایک مرحلے میں پوچھے گئے (موازنہ نہیں کیا گیا)",
    "previous": "پچھلا مرحلہ",
    "this_wave": "یہ مرحلہ",
    "change": "تبدیلی (فیصدی درجے)",
    "ci_low": "95٪ وقفہ، کم حد",
    "ci_high": "95٪ وقفہ، زیادہ حد",
    "beyond_noise": "شور سے زیادہ",
    "no": "نہیں",
    "implementation": "حمایت اور عمل درآمد",
    "implementation_note": "حمایت: ہر گروہ میں سفارش سے متفق شرکا کا تناسب؛ درجہ بندی: جہاں سروے "
    "پوچھے (*_implementation کوڈ والا سوال)، عمل درآمد کو اچھا قرار دینے والوں کا تناسب۔ "
    "عمل درآمد: منتظمین کے درج کردہ کوائف۔ کوئی اشاریہ تب پورا ہوتا ہے جب اس کی تازہ ترین قدر "
    "ابتدائی قدر سے ہدف کی سمت چلتے ہوئے ہدف تک پہنچ جائے۔",
    "support": "حمایت (٪ متفق)",
    "rating": "عمل درآمد کو اچھا قرار دیا (٪)",
    "owner": "ذمہ دار ادارہ",
    "status": "صورتِ حال",
    "progress": "پیش رفت (٪)",
    "kpis_met": "پورے ہونے والے اشاریے",
    "kpis": "اشاریے",
    "evidence": "ثبوت کے روابط",
    "kpi": "اشاریہ",
    "kpi_unit": "اکائی",
    "baseline": "ابتدائی قدر",
    "target": "ہدف",
    "latest": "تازہ ترین قدر",
    "measured_on": "پیمائش کی تاریخ",
    "met": "پورا ہوا",
    "label": "عنوان",
    "url": "پتا",
    "not_started": "شروع نہیں ہوا",
    "in_progress": "جاری ہے",
    "done": "مکمل",
    "stalled": "رکا ہوا",
}

CHANNELS = {
    "en": {
        "web": "Web",
        "enumerator": "Interviewer",
        "paper": "Paper",
        "import": "Imported",
        "synthetic": "Synthetic",
        "api": "API (another program)",
    },
    "ur": {
        "web": "ویب",
        "enumerator": "انٹرویو کنندہ",
        "paper": "کاغذی فارم",
        "import": "درآمد شدہ",
        "synthetic": "مصنوعی",
        "api": "اے پی آئی (کوئی دوسرا پروگرام)",
    },
}

WORDS = {"en": EN, "ur": UR}


def words(lang: str) -> dict[str, str]:
    """The workbook's words in ``lang`` (English for a language not written here)."""
    return WORDS.get(lang, EN)


def channel_name(channel: str, lang: str) -> str:
    return CHANNELS.get(lang, CHANNELS["en"]).get(channel, channel)
