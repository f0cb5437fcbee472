"""The brief's own words, in English and Urdu (terms from docs/glossary.md).

As for the summary workbook (exports/summary/wording.py, whose words the brief shares): a brief
is made outside any request, often by the command line, and read by people who may not share
the interface language, so its words are a fixed table per language. English for any other.
"""

from __future__ import annotations

from consult.exports.summary.wording import words as workbook_words

EN = {
    "brief": "Policy brief",
    "made": "Made on {day} from {n} responses.",
    "who": "Who answered",
    "who_intro": "{n} responses from {first} to {last}. A count below {k} shows as “<{k}”.",
    "by_channel": "How the answers arrived",
    "by_language": "Language answered in",
    "findings": "Where each stakeholder group stands",
    "findings_intro": "The bars show the share who agree (the top two points of the scale), "
    "from 0 to 100%, for each stakeholder group and overall. “<{k}”: fewer than {k} "
    "respondents, not shown; “hidden”: not shown, so that a small group cannot be worked out.",
    "in_words": "In plain words",
    "agree_verb": "agree",
    "disagree_verb": "disagree",
    "neutral_verb": "are mostly neutral",
    "divided_verb": "are divided",
    "split": "The groups are split: their means lie {spread} points apart.",
    "not_split": "The groups are not split (their means lie {spread} points apart).",
    "no_groups": "Too few respondents in any group to say where the groups stand.",
    "and": " and ",
    "list_sep": ", ",
    "clause_sep": "; ",
    "end": ".",
    "priorities": "Top-ranked priorities",
    "priorities_intro": "Longer bars are more important: Borda points as a share of the most "
    "possible (100% = ranked first by everyone). Mean rank: 1 = most important.",
    "first_choice": "Ranked first",
    "first_by_group": "What each group ranks first",
    "quotes": "In their own words",
    "quotes_intro": "Comments starred by the organizers. A comment from a group with fewer "
    "than {k} respondents is shown without its group.",
    "no_quotes": "No comment has been starred as a quote yet.",
    "quotes_withheld": "No quotes: this selection holds fewer than {k} respondents.",
    "method": "Method",
    "m_period": "Response period",
    "m_filters": "Responses included",
    "m_k": "Small groups",
    "m_k_text": "A figure built from fewer than {k} respondents is not shown, nor any figure "
    "from which it could be worked out; their comments carry no group name.",
    "m_consensus": "Consensus",
    "m_consensus_text": "At least {share:.0%} on one side (agree or disagree) and an "
    "interquartile range of at most {iqr:g} points.",
    "m_split": "Split",
    "m_split_text": "The group means lie {spread:g} point(s) or more apart, or one group's "
    "majority agrees while another's disagrees.",
    "m_weighting": "Weighting",
    "m_weighting_text": "Two overall figures: each respondent counts once; and each "
    "stakeholder group shown counts equally, whatever its size.",
    "m_ranking": "Priorities",
    "m_ranking_text": "An item ranked r of m earns m − r Borda points from a respondent.",
    "m_hash": "Fingerprint of the data and settings",
    "m_hash_text": "SHA-256 of the counts behind every figure, the questions, the thresholds, "
    "the filters and the quotes: the same fingerprint means the same figures.",
    "page": "Page",
}

UR = {
    "brief": "پالیسی بریف",
    "made": "{day} کو {n} جوابات کی بنیاد پر تیار کیا گیا۔",
    "who": "جواب کس نے دیے",
    "who_intro": "{first} سے {last} تک {n} جوابات۔ {k} سے کم تعداد “<{k}” لکھی گئی ہے۔",
    "by_channel": "جوابات کس ذریعے سے آئے",
    "by_language": "جواب کی زبان",
    "findings": "فریقین کا ہر گروہ کہاں کھڑا ہے",
    "findings_intro": "پٹیاں متفق ہونے والوں کا تناسب (پیمانے کے اوپر کے دو درجے) 0 سے 100٪ تک "
    "دکھاتی ہیں، فریقین کے ہر گروہ کے لیے اور مجموعی طور پر۔ “<{k}”: {k} سے کم شرکا، ظاہر نہیں کیا "
    "گیا؛ “پوشیدہ”: ظاہر نہیں کیا گیا تاکہ چھوٹے گروہ کے اعداد معلوم نہ کیے جا سکیں۔",
    "in_words": "سادہ الفاظ میں",
    "agree_verb": "متفق ہیں",
    "disagree_verb": "متفق نہیں",
    "neutral_verb": "زیادہ تر غیر جانبدار ہیں",
    "divided_verb": "کی رائے منقسم ہے",
    "split": "گروہوں میں اختلاف ہے: ان کی اوسط میں {spread} درجوں کا فرق ہے۔",
    "not_split": "گروہوں میں اختلاف نہیں (ان کی اوسط میں {spread} درجوں کا فرق ہے)۔",
    "no_groups": "کسی گروہ میں اتنے شرکا نہیں کہ گروہوں کی رائے بتائی جا سکے۔",
    "and": " اور ",
    "list_sep": "، ",
    "clause_sep": "؛ ",
    "end": "۔",
    "priorities": "سب سے اہم ترجیحات",
    "priorities_intro": "لمبی پٹی زیادہ اہم ہے: بورڈا پوائنٹس، زیادہ سے زیادہ ممکن "
    "پوائنٹس کے تناسب سے (100٪ = سب نے پہلے نمبر پر رکھا)۔ اوسط درجہ: 1 = سب سے اہم۔",
    "first_choice": "پہلے نمبر پر",
    "first_by_group": "ہر گروہ نے کسے پہلے نمبر پر رکھا",
    "quotes": "ان کے اپنے الفاظ میں",
    "quotes_intro": "منتظمین کی منتخب کردہ آرا۔ جس گروہ میں {k} سے کم شرکا ہوں اس کی "
    "رائے گروہ کا نام ظاہر کیے بغیر دی گئی ہے۔",
    "no_quotes": "ابھی کوئی رائے اقتباس کے لیے منتخب نہیں کی گئی۔",
    "quotes_withheld": "کوئی اقتباس نہیں: اس انتخاب میں {k} سے کم شرکا ہیں۔",
    "method": "طریقۂ کار",
    "m_period": "جوابات کی مدت",
    "m_filters": "شامل جوابات",
    "m_k": "چھوٹے گروہ",
    "m_k_text": "{k} سے کم شرکا سے بننے والا کوئی عدد ظاہر نہیں کیا جاتا، نہ ہی کوئی "
    "ایسا عدد جس سے اسے معلوم کیا جا سکے؛ ان کی آرا گروہ کے نام کے بغیر دی جاتی ہیں۔",
    "m_consensus": "اتفاقِ رائے",
    "m_consensus_text": "کم از کم {share:.0%} ایک طرف (متفق یا متفق نہیں)، اور درمیانی نصف کی وسعت "
    "(IQR) زیادہ سے زیادہ {iqr:g} درجے۔",
    "m_split": "اختلاف",
    "m_split_text": "گروہوں کی اوسط میں {spread:g} یا زیادہ درجوں کا فرق ہو، یا ایک گروہ کی اکثریت "
    "متفق اور دوسرے کی اکثریت متفق نہ ہو۔",
    "m_weighting": "وزن",
    "m_weighting_text": "دو مجموعی اعداد: ایک میں ہر شریک ایک بار شمار ہوتا ہے، دوسرے میں "
    "ظاہر کیا گیا ہر گروہ برابر شمار ہوتا ہے، چاہے اس کی تعداد کچھ بھی ہو۔",
    "m_ranking": "ترجیحات",
    "m_ranking_text": (
        "m میں سے r درجے پر رکھی گئی سفارش کو ہر شریک سے m − r بورڈا پوائنٹس ملتے ہیں۔"
    ),
    "m_hash": "اعداد و ترتیبات کی شناخت",
    "m_hash_text": "ہر عدد کے پیچھے کی گنتی، سوالات، حدود، چھانٹی اور اقتباسات کا SHA-256: ایک "
    "جیسی شناخت کا مطلب ایک جیسے اعداد ہیں۔",
    "page": "صفحہ",
}

WORDS = {"en": EN, "ur": UR}


def words(lang: str) -> dict[str, str]:
    """The brief's words in ``lang``, and the workbook's (group names, "<k", notes) beneath."""
    return workbook_words(lang) | WORDS.get(lang, EN)
