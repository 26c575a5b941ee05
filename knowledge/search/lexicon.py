"""The word lists behind normalisation: chat abbreviations, synonyms, the domain's short
forms, words without content, question words, and the forms of address that open or
close a chat message. The home of ``DOMAIN_TERMS``, ``STOPWORDS``, ``LIGHT_WORDS``,
``SALUTATIONS``, ``INTRO_PRONOUNS`` and ``INTRO_MARKERS``; the two long lists have their own
modules (``chat_words``: ``CHAT_WORDS``; ``synonyms``: ``SYNONYMS``) and are re-exported here.

Liaisons type fast: "min kpn tgl terakhir daftar parpol yg bner??", "gmn klo akun SIPOL
blm aktif". Lists are written as paragraphs or dicts so they are easy to review.
"""

from __future__ import annotations

from knowledge.search.chat_words import CHAT_WORDS
from knowledge.search.synonyms import SYNONYMS

__all__ = [
    "CHAT_WORDS",
    "DOMAIN_TERMS",
    "DPT_NOUN_AFTER",
    "DPT_NOUN_BEFORE",
    "INTRO_MARKERS",
    "INTRO_PRONOUNS",
    "LIGHT_WORDS",
    "PHRASES",
    "SALUTATIONS",
    "STOPWORDS",
    "SYNONYMS",
    "split_words",
]


def split_words(text: str) -> list[str]:
    """A word list written as a paragraph (easier to review than a list of quoted words)."""
    return text.split()


# The domain's short forms, spelled out next to the short form so both can match.
DOMAIN_TERMS: dict[str, str] = {
    "vermin": "verifikasi administrasi",
    "verfak": "verifikasi faktual",
    "verif": "verifikasi",
    "parpol": "partai politik",
    "paslon": "pasangan calon",
    "bacaleg": "bakal calon legislatif",
    "caleg": "calon legislatif",
    "cakada": "calon kepala daerah",
    "bapaslon": "bakal pasangan calon",
    "dapil": "daerah pemilihan",
    "pilkada": "pemilihan kepala daerah",
    "pemilu": "pemilihan umum",
    "pileg": "pemilihan legislatif",
    "lo": "petugas penghubung",
    "ms": "memenuhi syarat",
    "tms": "tidak memenuhi syarat",
    "bms": "belum memenuhi syarat",
    "ktpel": "ktp elektronik",
    "kta": "kartu tanda anggota",
    "nik": "nomor induk kependudukan",
    "dpp": "dewan pimpinan pusat",
    "dpd": "dewan pimpinan daerah",
    "dpc": "dewan pimpinan cabang",
    "dpw": "dewan pimpinan wilayah",
    "dpac": "dewan pimpinan anak cabang",
    "parlok": "partai lokal",
    "kpud": "kpu daerah",
    "dpt": "daftar pemilih tetap",
    "dps": "daftar pemilih sementara",
    "apk": "alat peraga kampanye",
    "skck": "surat keterangan catatan kepolisian",
    "kk": "kartu keluarga",
    "pkpu": "peraturan kpu",
    "cabup": "calon bupati",
    "cawabup": "calon wakil bupati",
    "cagub": "calon gubernur",
    "cawagub": "calon wakil gubernur",
    "cawalkot": "calon wali kota",
    "cawawalkot": "calon wakil wali kota",
    "wabup": "wakil bupati",
    "wagub": "wakil gubernur",
    "wawali": "wakil wali kota",
    "wawalkot": "wakil wali kota",
    "pilwali": "pemilihan wali kota",
    "pilgub": "pemilihan gubernur",
    "pilbup": "pemilihan bupati",
    "pilwalkot": "pemilihan wali kota",
    "capres": "calon presiden",
    "cawapres": "calon wakil presiden",
    "pilpres": "pemilihan presiden",
    "bacalon": "bakal calon",
    "nyaleg": "caleg",
}

# Words that carry no content for finding an answer.
STOPWORDS: frozenset[str] = frozenset(
    split_words(
        """
        yang dan atau di ke dari untuk dengan pada ini itu saya kami kita anda kamu
        mereka ada adalah akan juga saja lagi sih dong deh kok nih ya yah lho kah pun
        tolong mohon min kak kakak mas mbak pak bu bapak ibu bro gan sis halo hai
        hallo permisi selamat pagi siang sore malam terima kasih please thanks thank hi
        hello dear the a an is are am was were be been do does did to of in on at for by
        with and or i me my we our us you your it its this that these those there here
        can could would should will shall may might must please about as from into if
        then than so tersebut sebagai oleh para sang si nya lah tah agar supaya serta
        dalam atas bagi mau ingin tanya bertanya nanya info informasi mengenai tentang
        terkait perihal dong apakah gitu begitu banget sekali sangat aja jadi tapi namun
        terus lalu kalau jika bila apabila karena sebab masih sudah telah sedang baru ok
        oke okay sama hal cara please tell know want each every any all some per also
        just only still already yet get got el e saat ketika diri sendiri nanti kah apa2
        gimana2 dulu
        doang mulu melulu waduh aduh duh wah nah tuh loh kan kemarin kemaren tadi barusan
        biar cuma cuman soalnya ternyata sebenarnya sebenernya emang memang kayak kayaknya
        bilang dibilang katanya ku mu bang bg om ijin izin numpang nanya nanyain maaf
        mengganggu ganggu assalamualaikum assalamu alaikum wr wb salam pencerahan
        pencerahannya infonya dibantu urgent mohon plis tq trims hehe wkwk haha oh
        dia re ve ll menjadi ditanya ditanyakan menanyakan tanyakan nnti
        sing ingkang neng ning teng karo kalih wae mawon ae nek yen menawi arep ajeng
        badhe dhewe dewe iki niki kuwi niku iku lha je tho punten mangga nuhun euy teh
        atuh mah kang akang teteh abdi urang sareng ti anu hoyong nyang aje ente elu
        lu gua mao ambo awak ko lae bah ito amang inang tulang daeng cak dek dik bung bos
        ji mi pi tabe kodong sa beta ose ale katong torang kitorang pu ka heula bade
        nggo kanggo kitu kite ta
        tetangga abang sodara saudara saudari istri suami adik ponakan keponakan ortu
        teman temen kawan sepupu om paman bibi tante nephew niece friend neighbour
        neighbor brother sister wife husband son daughter cousin uncle aunt relative
        gawat darurat kesel kesal syok kaget capek panik heboh pusing takut khawatir
        rame ramai worried confused panicking actually really thing going supposed aye
        jo pulo drpd daripada ane se
                """
    )
)

# Question and polarity words: weak evidence for ranking, no evidence of being in scope.
LIGHT_WORDS: frozenset[str] = frozenset(
    split_words(
        """
        apa kapan berapa siapa mana bagaimana kenapa mengapa bisa harus perlu sejak
        mulai tidak belum bukan jangan buat how when what where who which why many much long
        not no can must should does do need have has
        """
    )
)

# Words that address the desk or greet ("selamat pagi admin", "... ya min"): dropped at
# the start and end of a question, where they are a form of address, even when they carry
# content elsewhere ("admin SIPOL").
SALUTATIONS: frozenset[str] = frozenset(
    split_words(
        """
        min admin mimin kak kakak bang mas mbak pak bu bapak ibu gan sis bro om halo hai
        hallo hi hello permisi selamat pagi siang sore malam assalamualaikum assalamu
        alaikum wr wb maaf mengganggu izin ijin mau ingin tanya bertanya nanya numpang
        mohon tolong dibantu info infonya pencerahan pencerahannya terima kasih makasih
        trims thanks thank you please pls ya yah dong sih nih kah good morning dear sir
        punten mangga tabe kang akang teteh lae bah daeng cak bung dek dik
        """
    )
)

# A clause that says who is asking: it starts with one of INTRO_PRONOUNS and names a role
# or an origin (INTRO_MARKERS) right after ("kami dari DPC ...", "saya LO partai ...").
INTRO_PRONOUNS: frozenset[str] = frozenset(split_words("saya sy aku kami kmi kita gue gw i we im"))
INTRO_MARKERS: frozenset[str] = frozenset(
    split_words(
        """
        dari lo admin operator pengurus ketua sekretaris bendahara petugas staf staff
        kader tim wakil penghubung from liaison officer secretary chairman am staff
        """
    )
)

# "dpt" is "dapat" (to get, can) in chat, and DPT (daftar pemilih tetap, the final voter
# list) as a noun: it is the list when written in capitals, or after or before a word
# that makes it a noun ("masuk dpt", "data dpt", "dpt pilkada").
DPT_NOUN_BEFORE: frozenset[str] = frozenset(
    split_words(
        """di dalam dlm masuk ke dari data cek daftar penetapan pemutakhiran rekap soal tentang
    ttg terkait nama dgn dengan the in on from list"""
    )
)
DPT_NOUN_AFTER: frozenset[str] = frozenset(
    split_words(
        """pemilu pilkada pileg pilpres tahun thn 2019 2020 2024 2029 final hasil online tps kpu
    ri kabupaten kab kota provinsi prov desa kelurahan kecamatan"""
    )
)

# Phrases of several words that mean one thing the entries say in their own words, as
# the words read once chat abbreviations are spelled out ("ga bs" is "tidak bisa"): the
# English of liaisons and Indonesian turns of phrase. Replaced by the entries' words; an
# English plural ("field checks") is the same phrase.
PHRASES: dict[str, str] = {
    # English
    "field check": "verifikasi faktual",
    "field visit": "verifikasi faktual",
    "admin check": "verifikasi administrasi",
    "administrative check": "verifikasi administrasi",
    "document check": "verifikasi administrasi",
    "second term": "petahana",
    "step away": "cuti",
    "step aside": "cuti",
    "take leave": "cuti",
    "on leave": "cuti",
    "did time": "terpidana",
    "served time": "terpidana",
    "prison term": "terpidana",
    "prison sentence": "terpidana",
    "out of town": "luar kota",
    "supervisory agency": "bawaslu",
    "election supervisory": "bawaslu",
    "election watchdog": "bawaslu",
    "carried over": "migrasi",
    "carry over": "migrasi",
    "from scratch": "ulang",
    "sign up": "daftar",
    "signed up": "daftar",
    "signing up": "daftar",
    "hand over": "serah",
    "handed over": "serah",
    "hand in": "serah",
    "handed in": "serah",
    "turn in": "serah",
    "set of candidates": "pasangan calon",
    "pair of candidates": "pasangan calon",
    "candidate pair": "pasangan calon",
    "empty box": "kotak kosong",
    "blank box": "kotak kosong",
    "id card": "ktp",
    "id number": "nik",
    "fixed office": "kantor tetap",
    "identity number": "nik",
    "national id number": "nik",
    "identity card": "ktp",
    "family card": "kartu keluarga",
    "membership card": "kta",
    "party card": "kta",
    "voter list": "daftar pemilih",
    "electoral roll": "daftar pemilih",
    "electoral district": "daerah pemilihan",
    "regional head": "kepala daerah",
    "local time": "waktu setempat",
    "time zone": "zona waktu",
    # Indonesian
    "non aktif": "cuti",
    "periode kedua": "petahana",
    "dua periode": "petahana",
    "nyalon lagi": "petahana",
    "maju lagi": "petahana",
    "jalur perseorangan": "calon perseorangan",
    "jalur independen": "calon perseorangan",
    "jalur non partai": "calon perseorangan",
    "non partai": "perseorangan",
    "tanpa partai": "perseorangan",
    "paslon tunggal": "pasangan calon tunggal",
    "calon tunggal": "pasangan calon tunggal",
    "tidak sengaja": "terlanjur",
    "salah kirim": "terlanjur",
    "dari nol": "ulang",
}
