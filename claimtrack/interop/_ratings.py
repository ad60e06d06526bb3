"""The rating words fact-checkers and promise trackers publish, and the verdict each is.

The table is written scale by scale: each group of rows names the organisations whose
published scale it comes from.  A word that several scales share (``"Falso"`` in
Spanish, Portuguese and Italian) appears once, where it was first met; the table
refuses to be built if two rows give the same normalised words different meanings.

How the scales fold onto claimtrack's verdicts:

- the true end (*True*, *Mostly True*, *Verdadeiro, mas*) is ``HELD``; the false end
  (*False*, *Mostly False*, *Pants on Fire*, *Fake*, *Altered*) is ``FAILED``;
- the middle (*Half True*, *Mixture*, *Partly False*) and the *misleading* family
  (*Misleading*, *Missing Context*, *Out of Context*, *Exaggerated*): the claim has
  something true in it but does not hold as stated, so ``PARTLY_HELD``;
- *Unproven*, *No Evidence*, *Unverifiable*: reality stayed unclear, ``UNVERIFIABLE``;
  *Disputed*, *Debatable*: ``CONTESTED``;
- words that are not a verdict at all (*Satire*, *Explainer*, *Opinion*, *Flip-Flop*)
  and promise statuses (*In Progress*, *Stalled*, *Not Yet Rated*) map to ``None``: no
  ruling.  The importer keeps them as the claim's status (see
  :mod:`claimtrack.interop.claimreview`).

Promise-meter words (both verdicts and statuses) also make the claim a ``PROMISE``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from claimtrack._enums import Verdict, to_enum
from claimtrack.errors import InvalidRecordError

__all__ = ["NUMERIC_SCALE", "RATINGS", "rating_verdict"]

H, P, F = Verdict.HELD, Verdict.PARTLY_HELD, Verdict.FAILED
U, C = Verdict.UNVERIFIABLE, Verdict.CONTESTED
N = None

# (words, verdict, language): one tuple per published label.  Languages are ISO 639-1.
_PROMISE: list[tuple[str, Verdict | None, str]] = [
    # PolitiFact's promise meters (Obameter, Trump-O-Meter, Biden Promise Tracker)
    ("Promise Kept", H, "en"),
    ("Compromise", P, "en"),
    ("Promise Broken", F, "en"),
    ("In the Works", N, "en"),
    ("Stalled", N, "en"),
    ("Not Yet Rated", N, "en"),
    # Polimeter-style trackers (Trudeau Metre, Rouhani Meter, Morrison Meter) and other
    # promise trackers: Achieved / Broken / Compromised / In progress / Not started
    ("Achieved", H, "en"),
    ("Kept", H, "en"),
    ("Fulfilled", H, "en"),
    ("Delivered", H, "en"),
    ("Compromised", P, "en"),
    ("Partially Kept", P, "en"),
    ("Partly Kept", P, "en"),
    ("Partially Fulfilled", P, "en"),
    ("Partially Achieved", P, "en"),
    ("Broken", F, "en"),
    ("Not Kept", F, "en"),
    ("Unfulfilled", F, "en"),
    ("Not Achieved", F, "en"),
    ("In Progress", N, "en"),
    ("Not Started", N, "en"),
    ("Not Yet Started", N, "en"),
    ("Underway", N, "en"),
    ("Under Way", N, "en"),
    ("Blocked", N, "en"),
    ("Delayed", N, "en"),
    # Spanish promise trackers (Chequeado's Promesómetro, Ojo Público, Animal Político)
    ("Promesa cumplida", H, "es"),
    ("Cumplida", H, "es"),
    ("Cumplido", H, "es"),
    ("Parcialmente cumplida", P, "es"),
    ("Parcialmente cumplido", P, "es"),
    ("Promesa incumplida", F, "es"),
    ("Incumplida", F, "es"),
    ("Incumplido", F, "es"),
    ("No cumplida", F, "es"),
    ("En proceso", N, "es"),
    ("En progreso", N, "es"),
    ("Estancada", N, "es"),
    ("Sin iniciar", N, "es"),
    ("No iniciada", N, "es"),
    # Portuguese promise trackers (Aos Fatos, Lupa, Estadão's promise checks)
    ("Promessa cumprida", H, "pt"),
    ("Cumprida", H, "pt"),
    ("Parcialmente cumprida", P, "pt"),
    ("Promessa não cumprida", F, "pt"),
    ("Não cumprida", F, "pt"),
    ("Descumprida", F, "pt"),
    ("Em andamento", N, "pt"),
    ("Em progresso", N, "pt"),
    ("Não iniciada", N, "pt"),
    ("Parada", N, "pt"),
    # French promise trackers (Le Monde, Libération's "promesses tenues" trackers)
    ("Promesse tenue", H, "fr"),
    ("Tenue", H, "fr"),
    ("Partiellement tenue", P, "fr"),
    ("Promesse non tenue", F, "fr"),
    ("Non tenue", F, "fr"),
    ("Rompue", F, "fr"),
    ("En cours", N, "fr"),
    ("Pas commencée", N, "fr"),
    ("Au point mort", N, "fr"),
    # German promise trackers (Wahlversprechen-Check, abgeordnetenwatch)
    ("Versprechen gehalten", H, "de"),
    ("Gehalten", H, "de"),
    ("Teilweise gehalten", P, "de"),
    ("Versprechen gebrochen", F, "de"),
    ("Gebrochen", F, "de"),
    ("In Arbeit", N, "de"),
    ("Nicht begonnen", N, "de"),
]

_FACT_CHECKS: list[tuple[str, Verdict | None, str]] = [
    # claimtrack's own verdict labels, as to_claimreview writes them
    ("held", H, "en"),
    ("partly held", P, "en"),
    ("failed", F, "en"),
    ("pending", N, "en"),
    ("unresolved", Verdict.UNRESOLVED, "en"),
    ("contested", C, "en"),
    ("unverifiable", U, "en"),
    ("void", Verdict.VOID, "en"),
    # PolitiFact's Truth-O-Meter (also Spanish PolitiFact, below)
    ("True", H, "en"),
    ("Mostly True", H, "en"),
    ("Half True", P, "en"),
    ("Mostly False", F, "en"),
    ("False", F, "en"),
    ("Pants on Fire", F, "en"),
    # PolitiFact's Flip-O-Meter rates consistency, not truth
    ("Full Flop", N, "en"),
    ("Half Flip", N, "en"),
    ("No Flip", N, "en"),
    # Snopes
    ("Mixture", P, "en"),
    ("Unproven", U, "en"),
    ("Unfounded", U, "en"),
    ("Miscaptioned", F, "en"),
    ("Misattributed", F, "en"),
    ("Correct Attribution", H, "en"),
    ("Fake", F, "en"),
    ("Scam", F, "en"),
    ("Legend", U, "en"),
    ("Labeled Satire", N, "en"),
    ("Originated as Satire", N, "en"),
    ("Outdated", N, "en"),
    ("Research in Progress", N, "en"),
    ("Recall", N, "en"),
    # The Washington Post Fact Checker's Pinocchios (its own guide: One ~ mostly true,
    # Two ~ half true, Three ~ mostly false, Four: whoppers)
    ("Geppetto Checkmark", H, "en"),
    ("One Pinocchio", H, "en"),
    ("1 Pinocchio", H, "en"),
    ("Two Pinocchios", P, "en"),
    ("2 Pinocchios", P, "en"),
    ("Three Pinocchios", F, "en"),
    ("3 Pinocchios", F, "en"),
    ("Four Pinocchios", F, "en"),
    ("4 Pinocchios", F, "en"),
    ("Bottomless Pinocchio", F, "en"),
    ("Upside-Down Pinocchio", N, "en"),
    # AFP Fact Check, Reuters Fact Check, USA Today, Lead Stories, Logically (English)
    ("Misleading", P, "en"),
    ("Missing Context", P, "en"),
    ("Lacks Context", P, "en"),
    ("Needs Context", P, "en"),
    ("Out of Context", P, "en"),
    ("Partly False", P, "en"),
    ("Partly True", P, "en"),
    ("Partially False", P, "en"),
    ("Partially True", P, "en"),
    ("Mixed", P, "en"),
    ("Altered", F, "en"),
    ("Altered Photo", F, "en"),
    ("Altered Video", F, "en"),
    ("Altered Image", F, "en"),
    ("Fabricated", F, "en"),
    ("Manipulated", F, "en"),
    ("Manipulated Media", F, "en"),
    ("Doctored", F, "en"),
    ("Hoax", F, "en"),
    ("Not True", F, "en"),
    ("Untrue", F, "en"),
    ("Wrong", F, "en"),
    ("Satire", N, "en"),
    ("Parody", N, "en"),
    ("Explainer", N, "en"),
    ("Opinion", N, "en"),
    ("Not a Factual Claim", N, "en"),
    ("No Rating", N, "en"),
    # Africa Check, Full Fact, Science Feedback, Check Your Fact, BOOM, The Quint
    # (WebQoof), India Today, Newschecker (English)
    ("Correct", H, "en"),
    ("Mostly Correct", H, "en"),
    ("Accurate", H, "en"),
    ("Mostly Accurate", H, "en"),
    ("Checks Out", H, "en"),
    ("True but", H, "en"),
    ("Incorrect", F, "en"),
    ("Mostly Incorrect", F, "en"),
    ("Inaccurate", F, "en"),
    ("Partly Correct", P, "en"),
    ("Partially Correct", P, "en"),
    ("Half Truth", P, "en"),
    ("Exaggerated", P, "en"),
    ("Understated", P, "en"),
    ("Downplayed", P, "en"),
    ("Imprecise", P, "en"),
    ("Distorted", P, "en"),
    ("Flawed Reasoning", P, "en"),
    ("Cherry-picking", P, "en"),
    ("Unsupported", U, "en"),
    ("Unsubstantiated", U, "en"),
    ("No Evidence", U, "en"),
    ("Unverified", U, "en"),
    ("Disputed", C, "en"),
    ("Debatable", C, "en"),
    ("Fake News", F, "en"),
    ("Sarcasm", N, "en"),
    # Spanish: Newtral, Maldita, EFE Verifica, AFP Factual, Chequeado, Colombiacheck,
    # La Silla Vacía, Animal Político (El Sabueso), PolitiFact en español
    ("Falso", F, "es"),
    ("Verdadero", H, "es"),
    ("Cierto", H, "es"),
    ("Verdad", H, "es"),
    ("Mayormente verdadero", H, "es"),
    ("Mayormente cierto", H, "es"),
    ("Verdadero pero", H, "es"),
    ("Cierto pero", H, "es"),
    ("Verdad a medias", P, "es"),
    ("Medio verdadero", P, "es"),
    ("Parcialmente falso", P, "es"),
    ("Parcialmente verdadero", P, "es"),
    ("Parcialmente cierto", P, "es"),
    ("Mayormente falso", F, "es"),
    ("Falso de toda falsedad", F, "es"),
    ("Engañoso", P, "es"),
    ("Exagerado", P, "es"),
    ("Impreciso", P, "es"),
    ("Sin contexto", P, "es"),
    ("Falta contexto", P, "es"),
    ("Fuera de contexto", P, "es"),
    ("Sacado de contexto", P, "es"),
    ("Bulo", F, "es"),
    ("Montaje", F, "es"),
    ("Fotomontaje", F, "es"),
    ("Manipulado", F, "es"),
    ("Estafa", F, "es"),
    ("Sin evidencias", U, "es"),
    ("Sin evidencia", U, "es"),
    ("Sin pruebas", U, "es"),
    ("No hay pruebas", U, "es"),
    ("Inchequeable", U, "es"),
    ("Insostenible", U, "es"),
    ("Apresurado", U, "es"),
    ("Discutible", C, "es"),
    ("Debatible", C, "es"),
    ("Cuestionable", C, "es"),
    ("Sátira", N, "es"),
    ("Explicador", N, "es"),
    ("Ridículo", F, "es"),
    # Portuguese: Lupa, Aos Fatos, Comprova, Estadão Verifica, UOL Confere, AFP
    # Checamos, G1 Fato ou Fake, Agência Pública (Truco)
    ("Verdadeiro", H, "pt"),
    ("Verdade", H, "pt"),
    ("Verdadeiro, mas", H, "pt"),
    ("Comprovado", H, "pt"),
    ("Fato", H, "pt"),
    ("Correto", H, "pt"),
    ("Parcialmente falso", P, "pt"),
    ("Parcialmente verdadeiro", P, "pt"),
    ("Enganoso", P, "pt"),
    ("Distorcido", P, "pt"),
    ("Subestimado", P, "pt"),
    ("Sem contexto", P, "pt"),
    ("Fora de contexto", P, "pt"),
    ("Não é bem assim", P, "pt"),
    ("Discutível", C, "pt"),
    ("Insustentável", U, "pt"),
    ("Impossível provar", U, "pt"),
    ("Sem evidências", U, "pt"),
    ("Ainda é cedo para dizer", N, "pt"),
    ("De olho", N, "pt"),
    ("Contraditório", N, "pt"),
    ("Contextualizando", N, "pt"),
    ("Boato", F, "pt"),
    ("Montagem", F, "pt"),
    ("Golpe", F, "pt"),
    ("Mentira", F, "pt"),
    ("Manipulado", F, "pt"),
    # French: AFP Factuel, Les Décodeurs (Le Monde), 20 Minutes (Fake Off),
    # Libération CheckNews, France 24 Les Observateurs
    ("Faux", F, "fr"),
    ("Vrai", H, "fr"),
    ("Plutôt vrai", H, "fr"),
    ("Vrai mais", H, "fr"),
    ("Exact", H, "fr"),
    ("Plutôt faux", F, "fr"),
    ("Erroné", F, "fr"),
    ("Inexact", F, "fr"),
    ("Trompeur", P, "fr"),
    ("Manque de contexte", P, "fr"),
    ("Partiellement faux", P, "fr"),
    ("Partiellement vrai", P, "fr"),
    ("À moitié vrai", P, "fr"),
    ("Exagéré", P, "fr"),
    ("Imprécis", P, "fr"),
    ("C'est plus compliqué", P, "fr"),
    ("Sorti de son contexte", P, "fr"),
    ("Hors contexte", P, "fr"),
    ("Détourné", P, "fr"),
    ("Montage", F, "fr"),
    ("Intox", F, "fr"),
    ("Canular", F, "fr"),
    ("Arnaque", F, "fr"),
    ("Infondé", U, "fr"),
    ("Non prouvé", U, "fr"),
    ("Invérifiable", U, "fr"),
    ("Sans preuve", U, "fr"),
    ("Parodie", N, "fr"),
    # 20 Minutes (Fake Off) writes its rating as a slug: "really_false"
    ("Really false", F, "fr"),
    # German: CORRECTIV.Faktencheck, dpa-Faktencheck, AFP Faktencheck, BR24 #Faktenfuchs
    ("Falsch", F, "de"),
    ("Größtenteils falsch", F, "de"),
    ("Frei erfunden", F, "de"),
    ("Manipuliert", F, "de"),
    ("Unwahr", F, "de"),
    ("Stimmt nicht", F, "de"),
    ("Richtig", H, "de"),
    ("Größtenteils richtig", H, "de"),
    ("Wahr", H, "de"),
    ("Stimmt", H, "de"),
    ("Teilweise falsch", P, "de"),
    ("Teilweise richtig", P, "de"),
    ("Stimmt teilweise", P, "de"),
    ("Halb wahr", P, "de"),
    ("Fehlender Kontext", P, "de"),
    ("Falscher Kontext", P, "de"),
    ("Aus dem Kontext gerissen", P, "de"),
    ("Irreführend", P, "de"),
    ("Übertrieben", P, "de"),
    ("Unbelegt", U, "de"),
    ("Nicht belegt", U, "de"),
    ("Unbewiesen", U, "de"),
    # Italian: Pagella Politica (Vero / C'eri quasi / Nì / Pinocchio andante / Panzana
    # pazzesca), Facta, Open Fact-checking, AFP
    ("Vero", H, "it"),
    ("C'eri quasi", H, "it"),
    ("Nì", P, "it"),
    ("Pinocchio andante", F, "it"),
    ("Panzana pazzesca", F, "it"),
    ("Notizia vera", H, "it"),
    ("Notizia falsa", F, "it"),
    ("Bufala", F, "it"),
    ("Truffa", F, "it"),
    ("Manipolato", F, "it"),
    ("Fuorviante", P, "it"),
    ("Contesto mancante", P, "it"),
    ("Fuori contesto", P, "it"),
    ("Parzialmente vero", P, "it"),
    ("Parzialmente falso", P, "it"),
    ("Esagerato", P, "it"),
    ("Senza prove", U, "it"),
    ("Non dimostrato", U, "it"),
    ("Satira", N, "it"),
    # Arabic: Fatabyyano, Misbar, AFP عربي, Tayyar ("زائف" false, "مضلل" misleading)
    ("زائف", F, "ar"),
    ("خطأ", F, "ar"),
    ("خاطئ", F, "ar"),
    ("كاذب", F, "ar"),
    ("غير صحيح", F, "ar"),
    ("مفبرك", F, "ar"),
    ("شائعة", F, "ar"),
    ("إشاعة", F, "ar"),
    ("احتيال", F, "ar"),
    ("صحيح", H, "ar"),
    ("حقيقي", H, "ar"),
    ("مضلل", P, "ar"),
    ("تضليل", P, "ar"),
    ("خادع", P, "ar"),
    ("عنوان مضلل", P, "ar"),
    ("صحيح جزئيا", P, "ar"),
    ("زائف جزئيا", P, "ar"),
    ("نصف صحيح", P, "ar"),
    ("ينقصه سياق", P, "ar"),
    ("سياق ناقص", P, "ar"),
    ("خارج السياق", P, "ar"),
    ("مجتزأ", P, "ar"),
    ("مبالغ فيه", P, "ar"),
    ("غير مؤكد", U, "ar"),
    ("لا دليل", U, "ar"),
    ("ساخر", N, "ar"),
    ("رأي", N, "ar"),
    # Hindi: Vishvas News, Aaj Tak / India Today Hindi, BOOM Hindi, The Quint Hindi,
    # Newschecker Hindi
    ("झूठ", F, "hi"),
    ("झूठा", F, "hi"),
    ("झूठा दावा", F, "hi"),
    ("फर्जी", F, "hi"),
    ("फ़र्ज़ी", F, "hi"),
    ("फर्जी दावा", F, "hi"),
    ("फेक", F, "hi"),
    ("गलत", F, "hi"),
    ("ग़लत", F, "hi"),
    ("गलत दावा", F, "hi"),
    ("संपादित", F, "hi"),
    ("एडिटेड", F, "hi"),
    ("सच", H, "hi"),
    ("सही", H, "hi"),
    ("सत्य", H, "hi"),
    ("भ्रामक", P, "hi"),
    ("भ्रामक दावा", P, "hi"),
    ("मिसलीडिंग", P, "hi"),
    ("गुमराह करने वाला", P, "hi"),
    ("आधा सच", P, "hi"),
    ("अधूरा सच", P, "hi"),
    ("आंशिक रूप से सच", P, "hi"),
    ("आंशिक रूप से सही", P, "hi"),
    ("आंशिक सत्य", P, "hi"),
    ("अप्रमाणित", U, "hi"),
    ("व्यंग्य", N, "hi"),
    # Chinese: Taiwan FactCheck Center (錯誤 / 部分錯誤 / 事實釐清 / 正確), MyGoPen,
    # Cofacts, AFP 中文, and the simplified forms of the same labels
    ("錯誤", F, "zh"),
    ("错误", F, "zh"),
    ("部分錯誤", P, "zh"),
    ("部分错误", P, "zh"),
    ("事實釐清", N, "zh"),
    ("事实厘清", N, "zh"),
    ("正確", H, "zh"),
    ("正确", H, "zh"),
    ("部分正確", P, "zh"),
    ("部分正确", P, "zh"),
    ("誤導", P, "zh"),
    ("误导", P, "zh"),
    ("易生誤解", P, "zh"),
    ("易誤解", P, "zh"),
    ("缺乏背景", P, "zh"),
    ("缺乏語境", P, "zh"),
    ("缺乏语境", P, "zh"),
    ("半真半假", P, "zh"),
    ("虛假", F, "zh"),
    ("虚假", F, "zh"),
    ("假", F, "zh"),
    ("假的", F, "zh"),
    ("假消息", F, "zh"),
    ("謠言", F, "zh"),
    ("谣言", F, "zh"),
    ("詐騙", F, "zh"),
    ("诈骗", F, "zh"),
    ("不實", F, "zh"),
    ("不实", F, "zh"),
    ("篡改", F, "zh"),
    ("含有不實訊息", F, "zh"),
    ("真的", H, "zh"),
    ("屬實", H, "zh"),
    ("属实", H, "zh"),
    ("含有正確訊息", H, "zh"),
    ("證據不足", U, "zh"),
    ("证据不足", U, "zh"),
    ("無法證實", U, "zh"),
    ("无法证实", U, "zh"),
    ("諷刺", N, "zh"),
    ("讽刺", N, "zh"),
    ("含有個人意見", N, "zh"),
    # Indonesian: Mafindo (turnbackhoax) and its seven kinds of content, Tempo Cek
    # Fakta, Kompas, Liputan6, Tirto, AFP Indonesia
    ("Salah", F, "id"),
    ("Hoaks", F, "id"),
    ("Keliru", F, "id"),
    ("Tidak benar", F, "id"),
    ("Disinformasi", F, "id"),
    ("Misinformasi", F, "id"),
    ("Konten palsu", F, "id"),
    ("Konten yang dimanipulasi", F, "id"),
    ("Konten tiruan", F, "id"),
    ("Penipuan", F, "id"),
    ("Benar", H, "id"),
    ("Fakta", H, "id"),
    ("Sebagian benar", P, "id"),
    ("Benar sebagian", P, "id"),
    ("Sebagian salah", P, "id"),
    ("Menyesatkan", P, "id"),
    ("Konten yang menyesatkan", P, "id"),
    ("Konteks yang salah", P, "id"),
    ("Koneksi yang salah", P, "id"),
    ("Kurang konteks", P, "id"),
    ("Tidak terbukti", U, "id"),
    ("Tidak ada bukti", U, "id"),
    ("Satire atau parodi", N, "id"),
    # Turkish: Teyit, Doğruluk Payı  # noqa: RUF003
    ("Yanlış", F, "tr"),  # noqa: RUF001
    ("Doğru", H, "tr"),
    ("Yanıltıcı", P, "tr"),  # noqa: RUF001
    ("Karışık", P, "tr"),  # noqa: RUF001
    ("Kısmen doğru", P, "tr"),  # noqa: RUF001
    # Dutch: Nieuwscheckers, AFP Feitencheck
    ("Onwaar", F, "nl"),
    ("Waar", H, "nl"),
    ("Misleidend", P, "nl"),
    ("Gedeeltelijk onwaar", P, "nl"),
]

# Marks removed when matching: Latin diacritics, Arabic harakat (and the hamza and
# madda written over alef), the Devanagari nukta.  Other scripts' combining marks
# (Devanagari vowel signs) are part of the word and kept.
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u093c]")
_SPACES = re.compile(r"\s+")
_HEAD = re.compile(r"\s*(?::|\(|\||\u2013|\u2014|\s-\s|\.\s|/)")


def normalize_rating(words: str) -> str:
    """The key a rating's words are looked up under in :data:`RATINGS`.

    Case, accents and diacritics (Latin, Arabic, the Devanagari nukta), the tatweel,
    punctuation, underscores, hyphens and spacing do not count: ``"Pants on Fire!"``
    and ``"pants-on-fire"`` are ``"pants on fire"``, ``"não_é_bem_assim"`` is
    ``"nao e bem assim"``; full-width forms read as their plain ones.
    """
    text = unicodedata.normalize("NFKD", words).casefold().replace("\u0640", "")
    text = _MARKS.sub("", text)
    # Punctuation, symbols and separators become spaces; letters, digits and the
    # combining marks that are part of a word (Devanagari vowel signs) stay.
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in text)
    return _SPACES.sub(" ", kept).strip()


def _build() -> tuple[dict[str, Verdict | None], frozenset[str], dict[str, str]]:
    table: dict[str, Verdict | None] = {}
    languages: dict[str, str] = {}
    promise: set[str] = set()
    for rows, is_promise in ((_PROMISE, True), (_FACT_CHECKS, False)):
        for words, verdict, language in rows:
            key = normalize_rating(words)
            if key in table and table[key] is not verdict:
                raise AssertionError(f"rating {words!r} is in the table twice, differently")
            table.setdefault(key, verdict)
            languages.setdefault(key, language)
            if is_promise:
                promise.add(key)
    return table, frozenset(promise), languages


_TABLE, PROMISE_KEYS, LANGUAGES = _build()

RATINGS: Mapping[str, Verdict | None] = MappingProxyType(_TABLE)
# documented where it is public: claimtrack.interop.claimreview

NUMERIC_SCALE: Mapping[str, float] = MappingProxyType({"failed_at_most": 0.25, "held_from": 0.75})
# documented where it is public: claimtrack.interop.claimreview


def ratings_table(
    ratings: Mapping[str, Verdict | str | None] | None,
) -> dict[str, Verdict | None]:
    """:data:`RATINGS` with the caller's words added or overriding, checked."""
    table: dict[str, Verdict | None] = dict(_TABLE)
    if ratings is None:
        return table
    if not isinstance(ratings, Mapping):
        raise InvalidRecordError("ratings", ratings, "must be a mapping of words to verdicts")
    for words, verdict in ratings.items():
        if not isinstance(words, str) or not normalize_rating(words):
            raise InvalidRecordError("ratings", words, "must map rating words (strings)")
        value = None if verdict is None else to_enum(Verdict, verdict, f"ratings[{words!r}]")
        table[normalize_rating(words)] = None if value is Verdict.PENDING else value
    return table


def lookup(words: str, table: Mapping[str, Verdict | None]) -> str | None:
    """The table key the words match (whole, else their head), or ``None``."""
    key = normalize_rating(words)
    if key in table:
        return key
    match = _HEAD.search(words)
    if match is not None and match.start() > 0:
        head = normalize_rating(words[: match.start()])
        if head in table:
            return head
    return None


def rating_verdict(
    words: str | None = None,
    value: float | None = None,
    *,
    best: float | None = None,
    worst: float | None = None,
    ratings: Mapping[str, Verdict | str | None] | None = None,
) -> Verdict | None:
    """The verdict a fact-checker's rating becomes on import.

    Words are looked up in :data:`RATINGS` (updated with *ratings*).  A numeric
    *value* is read only when there are no words and both ends of its scale are given
    (:data:`NUMERIC_SCALE`): unknown words with a number give no verdict, because
    publishers use the number as a position in their own list of labels.

    Args:
        words: the rating in words (``"Mostly False"``, ``"Engañoso"``).
        value: a numeric rating.
        best: the best value of the numeric scale.
        worst: the worst value of the numeric scale.
        ratings: extra or overriding entries for the table.

    Returns:
        The verdict, or ``None`` when the rating means no ruling, is not known, or is
        a number without words and without both ends of its scale.

    Raises:
        InvalidRecordError: the numeric value is off its scale, or the scale is empty.

    Example:
        >>> from claimtrack.interop.claimreview import rating_verdict
        >>> rating_verdict("Pants on Fire!"), rating_verdict("não_é_bem_assim")
        (<Verdict.FAILED: 'failed'>, <Verdict.PARTLY_HELD: 'partly_held'>)
        >>> rating_verdict(value=4, best=5, worst=1)
        <Verdict.HELD: 'held'>
        >>> rating_verdict("Falso", value=4, best=6, worst=1)
        <Verdict.FAILED: 'failed'>
        >>> rating_verdict("Stalled") is None, rating_verdict(value=4) is None
        (True, True)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 A number is read only without words and with both ends
       of its scale (it used to assume 1 to 5).
    """
    table = ratings_table(ratings)
    if words is not None and words.strip():
        key = lookup(words, table)
        return None if key is None else table[key]
    if value is None or best is None or worst is None:
        return None
    return numeric_verdict(value, best, worst)


def numeric_verdict(value: float, best: float, worst: float) -> Verdict:
    """Place *value* on the scale *worst* … *best* (see :data:`NUMERIC_SCALE`)."""
    if best == worst:
        raise InvalidRecordError("bestRating", best, "must differ from worstRating")
    position = (value - worst) / (best - worst)
    if not 0.0 <= position <= 1.0:
        raise InvalidRecordError(
            "ratingValue", value, f"is not between worstRating {worst} and bestRating {best}"
        )
    if position >= NUMERIC_SCALE["held_from"]:
        return H
    if position <= NUMERIC_SCALE["failed_at_most"]:
        return F
    return P
