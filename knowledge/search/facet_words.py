"""The words behind the facets of a question and of an entry (``knowledge.search.facets``).

Each list is a paragraph of phrases separated by "|", matched on the text as
``knowledge.search.textnorm.words`` spells it out (lowercase, chat abbreviations and the
domain's short forms written out: "paslon" is also "pasangan calon"). A phrase matches at
the start of a word, so "kampanye" also finds "kampanyenya"; phrases of three letters or
fewer must match a whole word. The home of ``ELECTIONS``, ``LEVELS``, ``STAGES``,
``STAGE_MODIFIERS``, ``RACES``, ``SYSTEMS``, ``ROLES``, ``ASKED_KINDS``, ``COUNTED`` (with
``COUNT_WORDS``, ``COUNT_NOT_AFTER``, ``COUNT_SKIP``, ``COUNT_OPENERS``), ``DEADLINE_WORDS``,
``NOT_ASKED``, ``ANSWER_KINDS``, ``HELP_DESK_WORDS``, ``HELP_DESK_ASKED``, ``COST_ASKED``,
``AGE_OF_A_THING``, ``CATEGORY_ELECTIONS``, ``ELECTION_YEAR``, ``SEMESTER`` (with
``SEMESTER_NUMBER``) and ``NUMBER``; the subjects next to the desk's scope are in
``knowledge.search.topic_words``.
"""

from __future__ import annotations

from knowledge.search.lexicon import split_words


def phrases(text: str) -> tuple[str, ...]:
    """A "|"-separated paragraph of phrases, each with its inner spaces normalised."""
    return tuple(" ".join(p.split()) for p in text.split("|") if p.strip())


# Which election a text is about. "pemilu" alone is the general election (not Pilkada).
ELECTIONS: dict[str, tuple[str, ...]] = {
    "pilkada": phrases(
        """pilkada | pilbup | pilgub | pilwalkot | cakada | paslon | bapaslon | cagub | cawagub |
        cabup | cawabup | cawalkot | cawawalkot | bupati | gubernur | walikota | wali kota |
        wabup | wagub | wawali | pilwali | pilwakot | pilwalkota | pilbupati | pilgubernur |
        kepala daerah | pemilihan serentak | pasangan calon | calon perseorangan | independen |
        regional head | governor | regent | mayor | candidate pair | local election |
        regional election | gubernatorial | mayoral"""
    ),
    "pileg": phrases(
        """caleg | bacaleg | pileg | nyaleg | dprd | dpr | legislatif | dcs | dct | dapil |
        calon anggota | bakal calon anggota | anggota dewan | legislative | parliament |
        daerah pemilihan | legislator | lawmaker | parliamentary | house of representatives |
        electoral district"""
    ),
    "dpd": phrases(
        """senator | calon dpd | anggota dpd | dpd ri | calon anggota dpd | dpd candidate |
        dpd dewan pimpinan daerah candidate | candidate for the dpd | regional representative"""
    ),
    "pilpres": phrases(
        "capres | cawapres | pilpres | presiden | president | presidential | vice president"
    ),
    "berkelanjutan": phrases(
        "pemutakhiran | berkelanjutan | semester | continuous | ongoing update"
    ),
    "parpol": phrases(
        """pendaftaran partai | pendaftaran parpol | mendaftarkan partai | mendaftarkan parpol |
        verifikasi partai | verifikasi parpol | verifikasi faktual partai |
        verifikasi faktual parpol | verifikasi administrasi partai |
        verifikasi administrasi parpol | partai politik calon peserta |
        calon peserta pemilu | registering the party | registering our party"""
    ),
}
# Words that name an election as a race someone runs in, not an office or a body that
# only acts in the question ("SK berhenti dari bupati", "anggota DPRD terpilih"): a
# question naming two races is answered only by an entry about both.
RACES: dict[str, tuple[str, ...]] = {
    "pilkada": phrases(
        """pilkada | pilbup | pilgub | pilwalkot | cakada | paslon | bapaslon | cagub | cawagub |
        cabup | cawabup | cawalkot | cawawalkot | pilwali | pilwakot | pilwalkota |
        calon bupati | calon gubernur | calon wakil bupati | calon wakil gubernur |
        calon wali kota | calon walikota | calon kepala daerah | pemilihan serentak |
        pasangan calon | calon perseorangan | regional election | local election |
        candidate pair | gubernatorial | mayoral"""
    ),
    "pileg": phrases(
        """caleg | bacaleg | pileg | nyaleg | legislatif | dcs | dct | dapil | calon anggota |
        bakal calon anggota | daerah pemilihan | legislative | parliamentary | electoral district"""
    ),
    "dpd": phrases("senator | calon dpd | calon anggota dpd"),
    "pilpres": phrases("capres | cawapres | pilpres | calon presiden | presidential"),
    "parpol": ELECTIONS["parpol"],
}
GENERAL_ELECTION = phrases("pemilu | pemilihan umum | general election")

# The default election of an entry, by its category, when its own words name none.
CATEGORY_ELECTIONS: dict[str, frozenset[str]] = {
    "pilkada": frozenset({"pilkada"}),
    "pencalonan": frozenset({"pileg"}),
    "pendaftaran": frozenset({"parpol"}),
    "verifikasi": frozenset({"parpol"}),
    "keanggotaan": frozenset({"parpol", "berkelanjutan"}),
    "dokumen": frozenset({"parpol"}),
    "pemutakhiran": frozenset({"berkelanjutan"}),
}

# The level of the office a candidate runs for (or a council sits at). Where a party
# board or a KPU office sits is not a level here: liaisons name their own board and town
# in passing ("kami dari DPC ...", "warga di desa kami"). Plain "DPRD" is both levels.
LEVELS: dict[str, tuple[str, ...]] = {
    "pusat": phrases("dpr | dpr ri | presiden | capres | cawapres | president | dpd ri"),
    "provinsi": phrases(
        """dprd | dprd provinsi | gubernur | pilgub | cagub | cawagub | wagub | governor |
        provincial council | provincial parliament"""
    ),
    "kabkota": phrases(
        """dprd | dprd kabupaten | dprd kota | dprd kab | dprd kabkota | bupati | walikota |
        wali kota | pilbup | pilwalkot | pilwali | cabup | cawabup | cawalkot | cawawalkot |
        wabup | wawali | regent | mayor | regency council | city council"""
    ),
}

# The information system a text is about: SIPOL is the parties' (registration,
# membership, the continuous update), SILON the candidates'. A question about one is not
# answered by an entry about another (a file-size limit of SILON is not SIPOL's).
SYSTEMS: dict[str, tuple[str, ...]] = {
    "sipol": phrases("sipol | sistem informasi partai politik"),
    "silon": phrases("silon | sistem informasi pencalonan"),
    "sidalih": phrases("sidalih | sistem informasi data pemilih"),
    "sirekap": phrases("sirekap | sistem informasi rekapitulasi"),
}

# The period of a stage a text is about. Verification has two periods of its own.
STAGES: dict[str, tuple[str, ...]] = {
    "pendaftaran": phrases(
        """pendaftaran | mendaftar | didaftarkan | daftar ulang | registrasi | pengajuan |
        mengajukan | diajukan | register | registering | registered | registration"""
    ),
    "perbaikan": phrases(
        """perbaikan | memperbaiki | diperbaiki | perbaiki | revisi | benerin | dibenerin |
        betulin | membetulkan | correction | corrected | fix | fixing | revise"""
    ),
    "vermin": phrases(
        """verifikasi administrasi | vermin | verifikasi dokumen | administrative verification |
        admin verification | admin check | administrative check"""
    ),
    "verfak": phrases(
        """verifikasi faktual | verfak | faktual | factual verification | factual |
        field check | field checks | field visit | factual check"""
    ),
    "verifikasi": phrases(
        """verifikasi | verif | diverifikasi | memverifikasi | verification | verified |
        penelitian | meneliti | diteliti"""
    ),
    "penetapan": phrases(
        """penetapan | ditetapkan | menetapkan | determination | determined | confirmed |
        designated | designation | pengumuman | diumumkan | announced"""
    ),
    "pemutakhiran": phrases("pemutakhiran | memutakhirkan | mutakhir | updating"),
    "pengundian": phrases("pengundian | undian | nomor urut | draw of numbers | ballot number"),
    "pengumuman-pendaftaran": phrases(
        """pengumuman pendaftaran | pengumuman pengajuan | diumumkan pendaftaran |
        announcement of registration | registration announcement | registration announced"""
    ),
    "penggantian": phrases(
        """calon pengganti | penggantian calon | pengajuan calon pengganti |
        mengajukan calon pengganti | ajukan calon pengganti | replacement candidate |
        replacement candidates"""
    ),
}
# Whose fact a question asks about, where the answer differs by person: a member's age
# is not a candidate's or a liaison's. Read on the question's and the entry's own words
# (not its answer, which names many people).
ROLES: dict[str, tuple[str, ...]] = {
    "anggota": phrases("anggota | kader | member | recruit"),
    "calon": phrases(
        """calon | caleg | bacaleg | cakada | paslon | bapaslon | cagub | cabup | cawalkot |
        candidate | nominee"""
    ),
    "penghubung": phrases("penghubung | liaison"),
    "admin": phrases("admin | operator"),
    "pengurus": phrases("pengurus | kepengurusan | ketua | sekretaris | bendahara | board"),
    "pendukung": phrases("pendukung | dukungan | supporter"),
    "pemilih": phrases("pemilih | voter"),
}

# Words after which a stage is only a point of reference ("perbaikan setelah verifikasi").
STAGE_MODIFIERS = frozenset(
    split_words("setelah sesudah sebelum usai pasca seusai habis after before following prior")
)

# The kind of fact a question asks for. Procedures and documents are not told apart
# reliably enough to refuse on, so only these six are asked for. A cost ("biayanya
# berapa", "bayar gak") is only answered by an entry that states what is paid or that
# it is free: an entry about the document or service whose cost is asked does not.
ASKED_KINDS: dict[str, tuple[str, ...]] = {
    "age": phrases("umur | usia | berumur | berusia | how old | age"),
    "date": phrases(
        """kapan | tanggal | batas waktu | batas akhir | tenggat | deadline | jam berapa |
        pukul berapa | sampai jam | sampai kapan | hari apa | bulan apa | when is | when was |
        when were | when are | when do | when does | when did | when will | when can |
        when should | when must | when could | by when | what time | what date | which date |
        until when | due date"""
    ),
    "duration": phrases(
        """berapa lama | berapa hari | berapa jam | berapa bulan | how long | how many days |
        how many hours | within how"""
    ),
    "threshold": phrases(
        """berapa persen | persen | minimal | minimum | maksimal | maksimum | paling sedikit |
        paling banyak | jumlah | berapa banyak | berapa orang | berapa kursi | ambang batas |
        kuota | how many | how much | percent | threshold | at least | at most"""
    ),
    "place": phrases("di mana | dimana | ke mana | kemana | where | lokasi | alamat"),
    "cost": phrases(
        """biaya | ongkos | tarif | harga | bayar | membayar | dibayar | berbayar | gratis |
        pungutan | dipungut | cost | costs | fee | fees | price | paid | pay | free of charge"""
    ),
}

# What a question counts ("berapa kursi", "berapa jumlah partai", "how many members"): the
# noun after the count word names a class ("jumlah" alone is often no question: "jumlah
# anggota di sipol gak nambah"), and an answer tells that count only if it puts a
# number right before a noun of the class ("100% dari jumlah kursi" is no number of
# seats). ``COUNT_WORDS`` open the count; ``COUNT_SKIP`` may stand between it and the noun.
COUNT_WORDS = frozenset(split_words("berapa many"))
# Words naming a count asked at the end of the clause ("jatah kursi dapil 3 berapa").
COUNT_OPENERS = frozenset(split_words("jumlah jatah banyaknya total"))
# "umur berapa", "jam berapa", "nomor berapa": a count word after these asks which one.
COUNT_NOT_AFTER = frozenset(
    split_words("umur usia jam pukul tanggal hari bulan tahun nomor ke pasal ayat versi")
)
COUNT_SKIP = frozenset(
    split_words("jumlah banyak sih ya kah total maksimal minimal paling the of sedikit")
)
COUNTED: dict[str, tuple[str, ...]] = {
    "seats": phrases("kursi | seat | seats"),
    "parties": phrases("partai | parpol | party | parties"),
    "people": phrases(
        """orang | anggota | calon | bakal calon | caleg | bacaleg | pengurus | kader |
        pendukung | dukungan | perempuan | pemilih | penduduk | member | members | people |
        candidate | candidates | supporter | supporters | women | persons | admin | admins |
        operator | operators | penghubung | petugas | officer | officers"""
    ),
    "share": phrases("persen | percent | prosentase | persentase"),
}

# Words that ask for a deadline: it may be a date or a time limit ("dalam 3 x 24 jam"),
# so an entry stating either answers it.
DEADLINE_WORDS = phrases(
    """batas waktu | batas akhir | tenggat | deadline | paling lambat | selambat lambatnya |
    time limit | due date"""
)
# Said, not asked, and set aside before facets are read: "tgl lahir", "sampai tgl 14", what the
# asked thing is compared with ("lebih muda dari syarat calon bupati"), a decree
# ("ditetapin di keputusan KPU"), a place in a list ("where ... placed"), a use ("buat spanduk").
NOT_ASKED = (
    r"\b(?:tanggal lahir|tgl lahir|date of birth|birth date)\b|\btanggal (?=\d{1,2}\b)"
    r"|\b(?:lebih\s+\w+\s+(?:dari|daripada)|dibanding\w*|than)\b(?:\s+\w+){1,4}"
    r"|\b(?:sebelum|sesudah|setelah|menjelang|before|after|until)\s+(?:hari\s+)?(?:pemungutan suara"
    r"|pencoblosan|coblosan|hari h|voting day|election day)\b"
    r"|\b(?:ditetap\w*|menetapkan|diatur|determined|set|laid down)\b(?=\s+(?:di|dalam|lewat"
    r"|melalui|dengan|oleh|pada|in|by)\s+(?:keputusan|kputusan|keptusan|peraturan|pkpu|kpt|sk"
    r"|undang|uu|decree"
    r"|decision|regulation)\b)|\b(?:where|di mana|dimana)\b(?=(?:\s+\w+){0,8}?\s+(?:placed"
    r"|positioned|put|listed|ranked|urutan|nomor urut|posisi|ditaruh|diletakkan)\b)"
    r"|\b(?:mau|buat|untuk|biar|akan)\s+(?:\w+\s+){0,2}?(?:tulis|ditulis|nulis|cetak|dicetak"
    r"|tempel|ditempel|umumkan|diumumkan|share|sebar)\w*\s+(?:(?:di|ke)\s+\w+|(?:baliho|spanduk"
    r"|poster|stiker|brosur|kalender|banner)\b)"
)

# What an answer must contain to tell a fact of each kind (regular expressions on the
# folded answer and question). "Paling lambat" alone ("at the latest during the
# correction period") tells how long, not when.
ANSWER_KINDS: dict[str, str] = {
    "age": r"\b(usia|umur|berusia|berumur|age|aged|years old|dewasa|menikah|married)\b",
    "date": (
        r"\b(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november"
        r"|desember|january|february|april|june|july|august|september|october|november"
        r"|december|senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday"
        r"|thursday|friday|saturday|sunday|pukul|semester|tenggat|deadline|kapan saja"
        r"|tahapan terakhir|akhir tahapan|last stage|end of the stages"
        r"|setiap hari|hari kerja|jam kerja|working days?|working hours|office hours"
        r"|wib|wita|wit|every day|any time|anytime)\b"
        r"|\b\d{1,2} (may|march|mar)\b|\b(may|march) \d{1,2}\b|\btanggal \d|\bh ?\d"
    ),
    "duration": (
        r"\d+\s*(hari|bulan|minggu|jam|menit|days?|months?|weeks?|hours?|minutes?)\b"
        r"|\b\d{1,2} (tahun|years?)\b(?! \d{4})"  # "5 tahun", not "Nomor 10 Tahun 2023"
        r"|\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|one|two|three"
        r"|four|five|six|seven|eight|nine|ten) (hari|bulan|minggu|jam|tahun|days?|months?"
        r"|weeks?|hours?|years?)\b"
        r"|\b(sehari|seminggu|sebulan|setahun|selama|within|paling lambat|selambat)\b"
    ),
    "threshold": (
        r"\d+\s*(%|persen|percent|orang|anggota|kursi|calon|kb|mb|members?|people|seats?)"
        r"|\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas"
        r"|puluh|ratus|ribu|separuh|setengah|persen|percent|minimal|maksimal|paling sedikit"
        r"|paling banyak|at least|at most|one|two|three|four|five|half|ambang|kuota)\b"
        r"|\b\d{1,3}\b"
    ),
    "place": (
        r"\b(kantor|kpu|bawaslu|dkpp|laman|situs|website|portal|alamat|lokasi|rumah sakit"
        r"|rsud|puskesmas|polisi|kepolisian|pengadilan|dukcapil|sipol|silon|office|hospital"
        r"|lewat|melalui|via|online|daring)\b|https?:"
    ),
    "cost": (
        r"\b(biaya|ongkos|tarif|harga|bayar|membayar|dibayar|berbayar|gratis|cuma cuma"
        r"|pungutan|dipungut|rp|rupiah|ditanggung|cost|costs|fee|fees|price|paid|pay"
        r"|free of charge)\b"
    ),
}

# A cost asked, not only mentioned: paying or being free named, or a cost beside a
# question word ("berapa biayanya", "ada biaya", "how much is the fee").
COST_NOUN = r"(?:biaya|ongkos|tarif|harga|cost|costs|fee|fees|price|charge)"
COST_ASKED = (
    r"\b(?:bayar|membayar|dibayar|berbayar|gratis|cuma cuma|dipungut|pungutan|ditanggung"
    r"|menanggung|paid|pay|free|charged)\b"
    r"|\b(?:berapa|ada|apa|apakah|kena|how much|any|is there|what)\b"
    rf"(?:\s+\w+){{0,2}}?\s+{COST_NOUN}"
    rf"|\b{COST_NOUN}\w*(?:\s+\w+){{0,10}}?\s+(?:berapa|ada|apa|tidak|gak|ga|nggak|kah)\b"
)


# The age of a thing, not of a person: how recent a photo or a document may be.
AGE_OF_A_THING = (
    r"\b(?:how old|umur|usia|age)\b(?:\s+\w+){0,7}?\s+(?:photo|photos|picture|foto|pas foto"
    r"|document|documents|dokumen|surat|letter|ijazah|certificate)\b"
    r"|\b(?:photo|picture|foto|document|dokumen|surat|letter|ijazah|certificate)\w*"
    r"(?:\s+\w+){0,2}\s+(?:umur|usia)\b"
)

# A help desk, asked about: its hours during a stage are not the stage's own dates.
HELP_DESK_WORDS = phrases("helpdesk | help desk | meja bantuan | meja layanan | layanan konsultasi")
_DESK = rf"(?<!halo )(?<!hai )(?<!pagi )(?<!siang )(?<!malam )(?:{'|'.join(HELP_DESK_WORDS)})\b"
_SERVES = r"(?:(?:di)?buka|(?:di)?tutup|(?:me)?layani|jam|open|opens|closed|closes|hours|daily)\b"
# Its own service asked: named near when it opens, not only greeted ("halo helpdesk, ...").
HELP_DESK_ASKED = rf"\b{_DESK}(?: \w+){{0,12}}? {_SERVES}|\b{_SERVES}(?: \w+){{0,3}}? {_DESK}"


# A year that names an election or its race ("pemilu 2019", "pilkada thn 2020", "caleg
# DPR RI 2019", "the 2019 election"), not one a liaison mentions in passing ("keluar
# sejak 2021", "partai 2019": the parties that took part then), or a stage's year said
# as such ("verifikasi faktual parpol tahun 2019").
ELECTION_YEAR = (
    r"\b(?:pemilu|pemilihan umum|pilkada|pemilihan kepala daerah|pileg|pemilihan legislatif"
    r"|pilpres|pemilihan presiden|pilgub|pilbup|pilwalkot|serentak|election|elections"
    r"|legislatif|presiden|kepala daerah|pasangan calon|dpr|dpr ri|dprd|dct|dcs"
    r"|daftar calon tetap|daftar calon sementara)"
    r"(?: tahun| thn)? (19[5-9]\d|20\d\d)\b|\b(19[5-9]\d|20\d\d) (?:general |local )?elections?\b"
    r"|\b(?:partai|parpol|politik|pendaftaran|verifikasi|faktual|administrasi|pencalonan"
    r"|tahapan|jadwal|penetapan|pengundian) (?:tahun|thn) (19[5-9]\d|20\d\d)\b"
    # a stage of an election still to come, without "tahun": "verfak 2029"
    r"|\b(?:pendaftaran|verifikasi|faktual|administrasi|pencalonan|tahapan|jadwal)"
    r" (202[7-9]|20[3-9]\d)\b"
)

# "semester 2 2026", "semester II tahun 2025", "semester ganjil" (the first half year):
# the number, the year if any.
SEMESTER = (
    r"\bsemester (1|2|i|ii|satu|dua|pertama|kedua|ke 1|ke 2|ganjil|gasal|genap)\b"
    r"(?: (?:tahun |thn |of )?(20\d\d)\b)?"
    r"|\b(first|second) (?:semester|half)(?: of)?(?: the year)?(?: (20\d\d)\b)?"
)
SEMESTER_NUMBER = {
    **dict.fromkeys(("1", "i", "satu", "pertama", "ke 1", "ganjil", "gasal", "first"), 1),
    **dict.fromkeys(("2", "ii", "dua", "kedua", "ke 2", "genap", "second"), 2),
}
# A number as an answer writes it before what it counts ("18 partai", "30% perempuan").
NUMBER = (
    r"(?:\d+(?: ?%)?|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas"
    r"|seratus|seribu|setengah|separuh|\w+ (?:belas|puluh|ratus|ribu)"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|half)"
)

# A KPU office named by its place ("KPU Kab Sorong", "KPU Sleman"), read on the question as
# typed: after an administrative word in any case, or a capitalised name after "KPU".
NAMED_OFFICE = (
    r"(?i:\bkpu\s+(?:kabupaten|kab|kota|provinsi|prov)\b\.?\s+)([A-Za-z]+)"
    r"|\bKPU\s+(?!RI\b|Kab|Kota\b|Prov)([A-Z][a-z]+)"
)
