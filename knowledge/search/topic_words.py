"""Subjects next to the help desk's scope, for the facets of a question
(``knowledge.search.facets``): named by a phrase (``OUTSIDE_TOPICS``, in the format of
``knowledge.search.facet_words``) or by what the question asks (``ASKED_TOPICS``, regular
expressions on its spelled-out words), and the wordings an entry may name each one by
(``SAME_SUBJECT``). A question naming such a subject is answered only by an entry that
names it too.
"""

from __future__ import annotations

from knowledge.search.facet_words import phrases

# Subjects next to the desk's scope (campaigns, finance reports, ad hoc bodies, voters,
# voting and counting, disputes, a party's own congresses). A question naming one is
# answered only by an entry that names it too; otherwise it is a question for someone else.
OUTSIDE_TOPICS: tuple[str, ...] = phrases(
    """ladk | lpsdk | lppdk | laporan dana kampanye | laporan awal dana | sumbangan dana |
    dana kampanye | kampanye | alat peraga | baliho | spanduk | iklan | masa tenang | debat |
    campaign | kpps | pps | ppk | pantarlih | ad hoc | adhoc | rekrutmen | seleksi anggota |
    recruitment | polling station | tps | pemungutan suara | penghitungan suara |
    hitung suara | rekapitulasi | rekap | sirekap | quick count | hitung cepat |
    perolehan suara | hasil pemilu | kotak suara | coblos | mencoblos | nyoblos | dicoblos |
    tercoblos | suara sah | suara tidak sah | ballot |
    vote count | dpt | pemilih tetap | pemilih pemula | coklit | pindah memilih | hak pilih |
    voter | sengketa | gugatan | menggugat | mahkamah konstitusi | mk | ptun | banding |
    dispute | lawsuit | appeal | kode etik | logistik | pemilih sementara | politik uang |
    money politic | vote buying | pelanggaran pemilu | dugaan pelanggaran | election offence |
    pilkades | pemilihan kepala desa | calon kepala desa | cakades | village head election |
    saksi | witness |
    pemungutan suara ulang | psu | pergantian antarwaktu | pergantian antar waktu | paw |
    sidalih | sidakam | sikadeka | silog | musda | musdalub | munas | munaslub | muscab |
    muswil | musyawarah daerah | musyawarah wilayah | musyawarah cabang | musyawarah nasional |
    kongres partai | muktamar | rakernas | rapimnas | party congress | mahkamah partai | gugat |
    dipecat | pemecatan | memecat | libur nasional | hari libur nasional | cuti bersama |
    public holiday | gmail | akun google | google account"""
)

# Subjects next to the desk's scope that a question names by what it asks rather than by
# one phrase: becoming an ad hoc officer ("syarat jadi anggota KPPS", where an entry about
# party members who sit on a KPPS names the body too), who wins an election, and what a
# campaign may spend. Read on the question's spelled-out words; each is the name of a
# subject in ``SAME_SUBJECT``.
_AD_HOC = r"(?:kpps|pps|ppk|pantarlih|ptps|panwascam|pengawas tps|petugas tps)"
_CONTACT = r"(?:wa|whatsapp|telepon|telp|telpon|hp|handphone|kontak|phone|contact|hotline)"
# Getting something done at another agency: Dukcapil's records, a police certificate.
_GET_DONE = r"\b(?:urus|mengurus|ngurus|diurus|buat|membuat|perbaikan|memperbaiki|perbaiki)\w*\b"
_AGENCY = r"(?:disdukcapil|dukcapil|capil|polres|polsek|polda|kantor polisi)"
ASKED_TOPICS: dict[str, str] = {
    "rekrutmen": (
        r"\b(?:syarat|persyaratan|cara|daftar|mendaftar|pendaftaran|lowongan|rekrutmen"
        r"|seleksi|gaji|honor|honorarium|requirements?|apply|applying|join)\b"
        rf"(?:\s+\w+){{0,3}}\s+{_AD_HOC}\b"
        r"|\b(?:become|becoming)\s+(?:an?\s+)?(?:kpps|polling station|poll)\b"
    ),
    "hasil pemilu": (
        r"\bkotak kosong\b(?:\s+\w+){0,3}\s+(?:menang|kalah|unggul)\b"
        r"|\b(?:menang|kalah|unggul)\b(?:\s+\w+){0,2}\s+kotak kosong\b"
        r"|\b(?:siapa|who)\b(?:\s+\w+){0,3}\s+(?:menang|pemenang|won|wins|win)\b"
        r"|\bempty box\b(?:\s+\w+){0,3}\s+(?:wins|won|win)\b"
    ),
    "perhitungan ambang batas parlemen": (
        r"\b(?:ambang batas parlemen|ambang batas parlementer|parliamentary threshold)\b"
        r"(?:\s+\w+){0,8}?\s+(?:berapa|dihitung|hitung|itungan|hitungannya|perhitungan"
        r"|persen|calculated|computed|how much|percent)\b"
        r"|\b(?:what s|what is|berapa)\b(?:\s+\w+){0,2}?\s+(?:ambang batas parlemen"
        r"|ambang batas parlementer|parliamentary threshold)\b"
    ),
    "nomor urut yang didapat": (
        r"\b(?:dapat|dapet|mendapat|memperoleh|got|get|drew)\b(?:\s+\w+){0,2}?\s+nomor urut\b"
        r"(?:\s+\w+){0,2}?\s+berapa\b"
        r"|\bnomor urut\s+(?:partai\s+|parpol\s+)?(?:kami|kita|saya)\b(?:\s+\w+){0,6}?\s+berapa\b"
        r"|\bwhat (?:ballot )?number did (?:we|our party)\b"
    ),
    "kta hilang": (
        r"\b(?<!data )kta\b(?:\s+(?!diupload|upload|diunggah|unggah)\w+){0,5}?"
        r"\s+(?:hilang|ilang|rusak)\b"
        r"|\bcetak ulang\w*(?:\s+\w+){0,2}?\s+kta\b"
        r"|\b(?:lost|replace|reprint)\w*\s+(?:\w+\s+){0,3}?(?:kta|membership cards?)\b"
    ),
    "pencalonan dpd": (
        r"\b(?:syarat|persyaratan|dukungan|daftar|mendaftar|pendaftaran|nyalon|requirements?"
        r"|support|regist)\w*(?:\s+\w+){0,4}?\s+(?:calon\s+)?(?:anggota\s+)?dpd\b"
        r"(?!(?:\s+dewan pimpinan daerah)?\s+(?:provinsi|prov|partai|parpol|kami|kita|nya))"
    ),
    "urusan di kemenkumham": (
        r"\b(?:urus|mengurus|ngurus|diurus|proses|prosedur|ganti|mengganti|ubah|mengubah"
        r"|pengesahan|mengesahkan|disahkan)\w*\b"
        r"(?:\s+\w+){0,8}?\s+(?:ke|di)\s+(?:kemenkumham|kementerian hukum)"
    ),
    "urusan di dukcapil atau kepolisian": (
        rf"\b(?:cara|syarat|prosedur)\w*\s+{_GET_DONE}(?:\s+\w+){{0,6}}?\s+di\s+{_AGENCY}\b"
        rf"|{_GET_DONE}(?:\s+\w+){{0,6}}?\s+di\s+{_AGENCY}\b(?:\s+\w+){{0,6}}?"
        r"\s+(?:syarat|cara|prosedur|online|biaya|bayar)"
    ),
    "nomor kontak": (
        rf"\b(?:nomor|nomer|no)\s+{_CONTACT}\b(?:\s+\w+){{0,8}}?\s+berapa\b"
        rf"|\b(?:minta|mintak|bagi|kasih|share)\s+(?:\w+\s+){{0,2}}?(?:nomor|nomer|no)\s+{_CONTACT}\b"
        rf"|\b(?:what is|what s|give me|send me)\s+(?:\w+\s+){{0,4}}?{_CONTACT} number\b"
    ),
    "pergantian pengurus menurut ad art": (
        r"\b(?:ganti|mengganti|pergantian|penggantian|copot|mencopot|lengser)\w*\s+(?:\w+\s+){0,10}?"
        r"(?:sesuai|menurut|berdasarkan|per|according to)\s+(?:ad art|anggaran dasar|statutes?)\b"
        r"|\b(?:ganti|mengganti|pergantian|penggantian)\w*\s+(?:\w+\s+){0,8}?konflik internal\b"
    ),
    "dana kampanye": (
        r"\b(?:spend|spending|spent|expenditure|expenses|cost|costs|budget|dana|biaya"
        r"|belanja|pengeluaran|uang|sumbangan)\b(?:\s+\w+){0,12}?\s+(?:kampanye|campaign)\b"
        r"|\b(?:kampanye|campaign)\s+(?:spending|finance|funds?|budget|expenditure|dana"
        r"|biaya|belanja)\b"
    ),
}


# Wordings of one subject: an entry naming any of them names the subject a question asks
# about ("hitung suara" in the question, "penghitungan suara" in the entry).
SAME_SUBJECT: tuple[frozenset[str], ...] = (
    frozenset({"hitung suara", "penghitungan suara", "vote count"}),
    frozenset({"rekap", "rekapitulasi"}),
    frozenset({"coblos", "mencoblos", "nyoblos", "dicoblos", "tercoblos", "pemungutan suara"}),
    frozenset({"dpt", "pemilih tetap"}),
    frozenset({"kampanye", "campaign"}),
    frozenset({"rekrutmen", "recruitment", "seleksi anggota"}),
    frozenset({"hasil pemilu", "perolehan suara", "pemenang"}),
    frozenset({"perhitungan ambang batas parlemen", "parliamentary threshold calculation"}),
    frozenset({"dana kampanye", "laporan dana kampanye", "campaign finance", "campaign funds"}),
    frozenset({"sengketa", "gugatan", "menggugat", "gugat", "dispute", "lawsuit"}),
    frozenset({"dipecat", "pemecatan", "memecat"}),
    frozenset(
        {
            "pilkades",
            "pemilihan kepala desa",
            "calon kepala desa",
            "cakades",
            "village head election",
        }
    ),
    frozenset({"saksi", "witness"}),
    frozenset({"pemungutan suara ulang", "psu"}),
    frozenset({"pergantian antarwaktu", "pergantian antar waktu", "paw"}),
)
