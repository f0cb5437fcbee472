"""Which language a comment is written in (English, Urdu, Roman Urdu), and its words.

A comment's language is not the language of the form it came through: people answer the English
form in Roman Urdu and the Urdu form in English. Urdu script is told by its letters; Latin text
by its function words, which Roman Urdu and English do not share. Good enough to centre each
language's vectors (``matching``) and to pick stop words; never shown as a fact about a person.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ENGLISH, URDU, ROMAN_URDU = "en", "ur", "ur-Latn"

# The most frequent function words of each; content words are left out on purpose.
ENGLISH_WORDS = frozenset(
    "the a an and or but is are was were be been being of to in on at for from by with as it "
    "its this that these those they them their we our us you your he she his her not no do does "
    "did have has had will would should must can could may might there here which who what when "
    "than then so if into about only also more most very any all each every other such own".split()
)
ROMAN_URDU_WORDS = frozenset(
    "hai hain ho hon hota hoti hote hoga hogi honge tha thi the ka ki ke ko se mein main men "
    "nahi nahin na aur ya ye yeh wo woh us un unka unki unke uska uski iska iski apna apni apne "
    "bhi kar karo karna karein karte karta karti kiya kiye chahiye liye lekin magar sab koi kuch "
    "bohat bahut bohot zyada kam par pe tak jo jab tab agar to phir hum tum aap ap mera meri "
    "hamara hamari jaye jata jati jate diya dete deta raha rahe rahi gaya gayi gaye sirf abhi "
    "sath saath wala wali wale kyun kyunke kyunki taake taki har baad bilkul sahi theek acha "
    "achi".split()
)
URDU_WORDS = frozenset(
    "اور کے کی کا کو سے میں ہے ہیں ہو ہوں تھا تھی تھے یہ وہ نہ نہیں بھی کر کریں کرنا کیا کیے "
    "جائے جاتا جاتی جاتے چاہیے لیے لیکن مگر سب کوئی کچھ بہت پر تک جو جب اگر تو پھر ہم آپ اس ان "
    "اپنی اپنا اپنے ایک دیا دی دیے رہا رہے رہی گیا گئی گئے صرف ہی تاکہ یا".split()
)
STOP_WORDS = ENGLISH_WORDS | ROMAN_URDU_WORDS | URDU_WORDS

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def normalise(text: str) -> str:
    """The text as compared and embedded: Unicode NFC, spaces collapsed, no outer space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def digest(text: str) -> str:
    """The key of a distinct text (normalised): the same words are embedded once."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def words(text: str) -> list[str]:
    """Lower-case words, without digits and punctuation (any script)."""
    return [w.lower() for w in WORD.findall(unicodedata.normalize("NFC", text))]


def _arabic_script(char: str) -> bool:
    return (
        "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff"
    )


def detect(text: str) -> str:
    """ENGLISH, URDU or ROMAN_URDU: the script first, then which function words it uses."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ENGLISH
    if sum(map(_arabic_script, letters)) * 2 >= len(letters):
        return URDU
    found = words(text)
    roman = sum(w in ROMAN_URDU_WORDS for w in found)
    english = sum(w in ENGLISH_WORDS for w in found)
    return ROMAN_URDU if roman > english else ENGLISH
