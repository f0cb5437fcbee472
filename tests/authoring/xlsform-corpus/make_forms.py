"""Writes the project's own XLSForms, in the way KoboToolbox users write them: metadata rows,
capitalised names, Urdu labels, calculations, cascading province → district → tehsil lists.

Run ``python tests/authoring/xlsform-corpus/make_forms.py`` to write them again; the test reads
the .xlsx files beside this script, as it reads pyxform's.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
EN, UR = "label::English (en)", "label::Urdu (ur)"

YES_NO = [
    {"list_name": "yes_no", "name": "yes", EN: "Yes", UR: "ہاں"},
    {"list_name": "yes_no", "name": "no", EN: "No", UR: "نہیں"},
]
PLACES = [
    ("province", "PB", "Punjab", "پنجاب", {}),
    ("province", "SD", "Sindh", "سندھ", {}),
    ("province", "KP", "Khyber Pakhtunkhwa", "خیبر پختونخوا", {}),
    ("district", "LHR", "Lahore", "لاہور", {"province": "PB"}),
    ("district", "RWP", "Rawalpindi", "راولپنڈی", {"province": "PB"}),
    ("district", "KHI", "Karachi", "کراچی", {"province": "SD"}),
    ("district", "PEW", "Peshawar", "پشاور", {"province": "KP"}),
    ("tehsil", "LHR_C", "Lahore City", "لاہور شہر", {"district": "LHR"}),
    ("tehsil", "LHR_M", "Model Town", "ماڈل ٹاؤن", {"district": "LHR"}),
    ("tehsil", "RWP_M", "Murree", "مری", {"district": "RWP"}),
    ("tehsil", "KHI_S", "Saddar", "صدر", {"district": "KHI"}),
    ("tehsil", "PEW_C", "Peshawar City", "پشاور شہر", {"district": "PEW"}),
]


def places() -> list[dict[str, str]]:
    return [
        {"list_name": lst, "name": n, EN: en, UR: ur, **extra} for lst, n, en, ur, extra in PLACES
    ]


FORMS: dict[str, dict[str, list[dict[str, str]]]] = {
    "kobo_household.xlsx": {
        "survey": [
            {"type": "start", "name": "start"},
            {"type": "end", "name": "end"},
            {"type": "today", "name": "today"},
            {"type": "deviceid", "name": "deviceid"},
            {"type": "username", "name": "username"},
            {"type": "begin_group", "name": "HH", EN: "Household", UR: "گھرانہ"},
            {
                "type": "integer",
                "name": "HH_Size",
                EN: "How many people live here?",
                UR: "یہاں کتنے لوگ رہتے ہیں؟",
                "required": "yes",
                "constraint": ". > 0",
            },
            {
                "type": "integer",
                "name": "Children",
                EN: "How many are under 18?",
                UR: "ان میں سے کتنے 18 سال سے کم ہیں؟",
                "constraint": ". <= ${HH_Size}",
            },
            {"type": "calculate", "name": "Adults", "calculation": "${HH_Size} - ${Children}"},
            {
                "type": "select_one yes_no",
                "name": "Q1",
                EN: "Does anyone work outside?",
                UR: "کیا کوئی باہر کام کرتا ہے؟",
            },
            {
                "type": "text",
                "name": "Q1_Work",
                EN: "What work?",
                UR: "کیا کام؟",
                "relevant": "${Q1} = 'yes'",
            },
            {"type": "end_group", "name": ""},
        ],
        "choices": YES_NO,
        "settings": [
            {
                "form_title": "Household",
                "form_id": "kobo_household",
                "default_language": "English (en)",
            }
        ],
    },
    "kobo_cascade.xlsx": {
        "survey": [
            {"type": "select_one province", "name": "province", EN: "Province", UR: "صوبہ"},
            {
                "type": "select_one district",
                "name": "district",
                EN: "District",
                UR: "ضلع",
                "choice_filter": "province=${province}",
            },
            {
                "type": "select_one tehsil",
                "name": "tehsil",
                EN: "Tehsil",
                UR: "تحصیل",
                "choice_filter": "district=${district}",
            },
        ],
        "choices": places(),
        "settings": [{"form_id": "kobo_cascade", "default_language": "English (en)"}],
    },
    "kobo_consultation.xlsx": {
        "survey": [
            {
                "type": "select_one stakeholder",
                "name": "Group",
                EN: "You are",
                UR: "آپ ہیں",
                "role": "group",
            },
            {
                "type": "select_one province",
                "name": "Province",
                EN: "Province",
                UR: "صوبہ",
                "role": "region",
            },
            {
                "type": "select_one agree",
                "name": "R1_Agree",
                EN: "Agree with R1?",
                UR: "کیا آپ R1 سے متفق ہیں؟",
                "recommendation": "R1",
            },
            {
                "type": "select_one agree",
                "name": "R2_Agree",
                EN: "Agree with R2?",
                UR: "کیا آپ R2 سے متفق ہیں؟",
                "recommendation": "R2",
            },
            {
                "type": "text",
                "name": "R2_Why",
                EN: "Why not?",
                UR: "کیوں نہیں؟",
                "relevant": "${R2_Agree} <= 2",
                "recommendation": "R2",
            },
        ],
        "choices": [
            {
                "list_name": "stakeholder",
                "name": "media",
                EN: "Media",
                UR: "میڈیا",
                "stakeholder_group": "yes",
            },
            {
                "list_name": "stakeholder",
                "name": "ulema",
                EN: "Religious scholars",
                UR: "علمائے کرام",
                "stakeholder_group": "yes",
            },
            *[
                {"list_name": "agree", "name": str(i), EN: e, UR: u}
                for i, (e, u) in enumerate(
                    [
                        ("Strongly disagree", "بالکل متفق نہیں"),
                        ("Disagree", "متفق نہیں"),
                        ("Neutral", "غیر جانبدار"),
                        ("Agree", "متفق"),
                        ("Strongly agree", "مکمل طور پر متفق"),
                    ],
                    start=1,
                )
            ],
            *[p for p in places() if p["list_name"] == "province"],
        ],
        "recommendations": [
            {"name": "R1", EN: "Inter-agency coordination", UR: "اداروں کے درمیان رابطہ کاری"},
            {"name": "R2", EN: "Monitoring and evaluation", UR: "نگرانی اور جائزہ"},
        ],
        "settings": [{"form_id": "kobo_consultation", "default_language": "English (en)"}],
    },
    "kobo_calculations.xlsx": {
        "survey": [
            {"type": "decimal", "name": "Income", EN: "Monthly income", UR: "ماہانہ آمدنی"},
            {"type": "integer", "name": "Members", EN: "Members", UR: "افراد"},
            {
                "type": "calculate",
                "name": "PerHead",
                "calculation": "if(${Members} > 0, round(${Income} div ${Members}, 2), 0)",
            },
            {
                "type": "calculate",
                "name": "Band",
                "calculation": "if(${PerHead} >= 10000, 'high', 'low')",
            },
            {"type": "note", "name": "Shown", EN: "Per head: ${PerHead}", UR: "فی کس: ${PerHead}"},
            {
                "type": "text",
                "name": "Why_Low",
                EN: "Why is it low?",
                UR: "کم کیوں ہے؟",
                "relevant": "${Band} = 'low'",
            },
        ],
        "settings": [{"form_id": "kobo_calculations", "default_language": "English (en)"}],
    },
    "kobo_capitals.xlsx": {
        "survey": [
            {"type": "acknowledge", "name": "_consent", EN: "I agree", UR: "میں متفق ہوں"},
            {"type": "select_one yes_no", "name": "Q1", EN: "Q1", UR: "سوال 1"},
            {"type": "select_one yes_no", "name": "q1", EN: "q1 (lower case)", UR: "سوال ا"},
            {
                "type": "integer",
                "name": "HH-Size.v2",
                EN: "Size",
                UR: "تعداد",
                "relevant": "${Q1} = 'yes' and ${q1} = 'no'",
            },
        ],
        "choices": YES_NO,
        "settings": [{"form_id": "kobo_capitals", "default_language": "English (en)"}],
    },
    "kobo_media.xlsx": {
        "survey": [
            {
                "type": "note",
                "name": "Intro",
                EN: "Welcome",
                UR: "خوش آمدید",
                "media::image::English (en)": "welcome.png",
            },
            {"type": "image", "name": "Photo", EN: "Photo of the site", UR: "جگہ کی تصویر"},
            {"type": "audio", "name": "Voice", EN: "Record a message", UR: "پیغام ریکارڈ کریں"},
            {
                "type": "select_one yes_no",
                "name": "Safe",
                EN: "Do you feel safe?",
                UR: "کیا آپ محفوظ محسوس کرتے ہیں؟",
                "appearance": "quick",
            },
        ],
        "choices": [{**c, "media::image": f"{c['name']}.png"} for c in YES_NO],
        "settings": [{"form_id": "kobo_media", "default_language": "English (en)"}],
    },
    "kobo_nested.xlsx": {
        "survey": [
            {
                "type": "select_one yes_no",
                "name": "Attend",
                EN: "Did you attend?",
                UR: "کیا آپ شریک ہوئے؟",
            },
            {
                "type": "begin group",
                "name": "Meeting",
                EN: "The meeting",
                UR: "اجلاس",
                "relevant": "${Attend} = 'yes'",
            },
            {"type": "integer", "name": "Hours", EN: "Hours", UR: "گھنٹے"},
            {
                "type": "begin group",
                "name": "Speakers",
                EN: "Speakers",
                UR: "مقررین",
                "relevant": "${Hours} > 1",
            },
            {"type": "text", "name": "Best", EN: "Best speaker", UR: "بہترین مقرر"},
            {"type": "end group", "name": ""},
            {"type": "text", "name": "Missing", EN: "What was missing?", UR: "کیا کمی تھی؟"},
            {"type": "end group", "name": ""},
        ],
        "choices": YES_NO,
        "settings": [{"form_id": "kobo_nested", "default_language": "English (en)"}],
    },
    "kobo_or_other.xlsx": {
        "survey": [
            {
                "type": "select_multiple sources or_other",
                "name": "Sources",
                EN: "Where do you get news?",
                UR: "آپ خبریں کہاں سے لیتے ہیں؟",
            },
            {
                "type": "select_one yes_no",
                "name": "Trust",
                EN: "Do you trust them?",
                UR: "کیا آپ ان پر اعتماد کرتے ہیں؟",
                "appearance": "minimal",
            },
        ],
        "choices": [
            {"list_name": "sources", "name": "tv", EN: "Television", UR: "ٹیلی ویژن"},
            {"list_name": "sources", "name": "radio", EN: "Radio", UR: "ریڈیو"},
            {"list_name": "sources", "name": "social", EN: "Social media", UR: "سوشل میڈیا"},
            *YES_NO,
        ],
        "settings": [{"form_id": "kobo_or_other", "default_language": "English (en)"}],
    },
    "kobo_legacy.xlsx": {
        "survey": [
            {
                "type": "select one from yes_no",
                "name": "Voted",
                "label:English": "Did you vote?",
                "label:Urdu": "کیا آپ نے ووٹ دیا؟",
            },
            {
                "type": "select all that apply from issues",
                "name": "Issues",
                "label:English": "Main issues",
                "label:Urdu": "اہم مسائل",
            },
        ],
        "choices": [
            {"list name": "yes_no", "name": "yes", "label:English": "Yes", "label:Urdu": "ہاں"},
            {"list name": "yes_no", "name": "no", "label:English": "No", "label:Urdu": "نہیں"},
            {
                "list name": "issues",
                "name": "water",
                "label:English": "Water",
                "label:Urdu": "پانی",
            },
            {
                "list name": "issues",
                "name": "security",
                "label:English": "Security",
                "label:Urdu": "سیکیورٹی",
            },
        ],
    },
    "kobo_times_places.xlsx": {
        "survey": [
            {"type": "date", "name": "Visit_Date", EN: "Date of visit", UR: "دورے کی تاریخ"},
            {"type": "time", "name": "Visit_Time", EN: "Time of visit", UR: "دورے کا وقت"},
            {"type": "datetime", "name": "Next_Visit", EN: "Next visit", UR: "اگلا دورہ"},
            {"type": "geopoint", "name": "Location", EN: "Location", UR: "مقام"},
            {
                "type": "range",
                "name": "Rating",
                EN: "Rating",
                UR: "درجہ بندی",
                "parameters": "start=1 end=10 step=1",
            },
            {"type": "barcode", "name": "Card", EN: "Card number", UR: "کارڈ نمبر"},
        ],
        "settings": [{"form_id": "kobo_times_places", "default_language": "English (en)"}],
    },
    # Refused: a repeat holds one answer per household member, which consult cannot keep.
    "kobo_repeat.xlsx": {
        "survey": [
            {"type": "begin_repeat", "name": "Member", EN: "Member", UR: "رکن"},
            {"type": "text", "name": "Name", EN: "Name", UR: "نام"},
            {"type": "end_repeat", "name": ""},
        ],
        "settings": [{"form_id": "kobo_repeat", "default_language": "English (en)"}],
    },
}


def write(name: str, sheets: dict[str, list[dict[str, str]]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        headers: list[str] = []
        for row in rows:
            headers += [key for key in row if key not in headers]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h, None) or None for h in headers])
    book.save(HERE / name)


if __name__ == "__main__":
    for form, content in FORMS.items():
        write(form, content)
