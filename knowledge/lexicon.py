"""The word lists behind normalisation: chat abbreviations, synonyms, the domain's short
forms, words without content, question words, and the forms of address that open or
close a chat message.

Liaisons type fast: "min kpn tgl terakhir daftar parpol yg bner??", "gmn klo akun SIPOL
blm aktif". Lists are written as paragraphs or dicts so they are easy to review.
"""

from __future__ import annotations


def split_words(text: str) -> list[str]:
    """A word list written as a paragraph (easier to review than a list of quoted words)."""
    return text.split()


# Chat abbreviations and spoken forms, to the written word (one word or a few).
CHAT_WORDS: dict[str, str] = {
    "yg": "yang",
    "yng": "yang",
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "bgm": "bagaimana",
    "gmana": "bagaimana",
    "kpn": "kapan",
    "kpan": "kapan",
    "brp": "berapa",
    "brapa": "berapa",
    "brpa": "berapa",
    "tgl": "tanggal",
    "tggl": "tanggal",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "sudh": "sudah",
    "blm": "belum",
    "blum": "belum",
    "belom": "belum",
    "ga": "tidak",
    "gak": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "g": "tidak",
    "tdk": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "kagak": "tidak",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "krn": "karena",
    "krna": "karena",
    "karna": "karena",
    "bs": "bisa",
    "bsa": "bisa",
    "dll": "dan lain lain",
    "dsb": "dan sebagainya",
    "dr": "dari",
    "sy": "saya",
    "sya": "saya",
    "aq": "saya",
    "aku": "saya",
    "gw": "saya",
    "gue": "saya",
    "kmi": "kami",
    "jd": "jadi",
    "jdi": "jadi",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "klu": "kalau",
    "trs": "terus",
    "tp": "tapi",
    "tpi": "tapi",
    "dpt": "dapat",
    "hrs": "harus",
    "msh": "masih",
    "masi": "masih",
    "org": "orang",
    "skrg": "sekarang",
    "skg": "sekarang",
    "bln": "bulan",
    "thn": "tahun",
    "th": "tahun",
    "dmn": "mana",
    "dmana": "mana",
    "dimana": "mana",
    "knp": "kenapa",
    "knpa": "kenapa",
    "napa": "kenapa",
    "kpd": "kepada",
    "pd": "pada",
    "sbg": "sebagai",
    "ttg": "tentang",
    "spt": "seperti",
    "sblm": "sebelum",
    "stlh": "setelah",
    "lg": "lagi",
    "aja": "saja",
    "aj": "saja",
    "emg": "memang",
    "bkn": "bukan",
    "sampe": "sampai",
    "smpai": "sampai",
    "pake": "pakai",
    "gmn2": "bagaimana",
    "mksd": "maksud",
    "maksudnya": "maksud",
    "tlg": "tolong",
    "mhn": "mohon",
    "trims": "terima kasih",
    "makasih": "terima kasih",
    "tks": "terima kasih",
    "thx": "thanks",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "r": "are",
    "hv": "have",
    "abt": "about",
    "bcs": "because",
    "coz": "because",
    "cuz": "because",
    "wanna": "want to",
    "gonna": "going to",
    "lgsg": "langsung",
    "bener": "benar",
    "bner": "benar",
    "sm": "sama",
    "ama": "sama",
    "tau": "tahu",
    "gitu": "begitu",
    "gt": "begitu",
    "sj": "saja",
    "bgt": "banget",
    "ngecek": "cek",
    "ngisi": "isi",
    "nyari": "cari",
    "ngurus": "urus",
    "ngirim": "kirim",
    "ngapain": "apa",
    "dimn": "mana",
    "apkh": "apakah",
    "apa2": "apa",
    "tsb": "tersebut",
    "nmr": "nomor",
    "kab": "kabupaten",
    "kec": "kecamatan",
    "prov": "provinsi",
    "pemda": "pemerintah daerah",
    "kabkota": "kabupaten kota",
    "lemot": "lambat",
    "lelet": "lambat",
    "ktpel": "ktp elektronik",
    "ektp": "ktp elektronik",
    "abis": "setelah",
    "mesti": "harus",
    "musti": "harus",
    "dipake": "dipakai",
    "liat": "lihat",
    "ngeliat": "lihat",
    "ngadu": "lapor",
    "nikah": "kawin",
    "menikah": "kawin",
    "walikota": "wali kota",
    "walkot": "wali kota",
    "kades": "kepala desa",
    "napi": "narapidana",
    "nyoba": "coba",
    "dlm": "dalam",
    "dtg": "datang",
    "ilang": "hilang",
    "dikit": "sedikit",
    "pdhl": "padahal",
    "bnyk": "banyak",
    "bbrp": "beberapa",
    "smua": "semua",
    "jg": "juga",
    "kmrn": "kemarin",
    "msk": "masuk",
    "lbh": "lebih",
    "krg": "kurang",
    "ttd": "tanda tangan",
    "ngasih": "beri",
    "ngupload": "unggah",
    "ngeupload": "unggah",
    "diupload": "unggah",
    "apdet": "update",
    "rs": "rumah sakit",
    "rsud": "rumah sakit",
    "bikin": "buat",
    "dicek": "cek",
    "knapa": "kenapa",
    "pengen": "ingin",
    "pingin": "ingin",
    "pgn": "ingin",
    "ngerti": "paham",
    "trus": "terus",
    "gpp": "tidak apa",
    "gapapa": "tidak apa",
    "hrus": "harus",
    "blh": "boleh",
    "bole": "boleh",
    "kaga": "tidak",
}

# Words with the same meaning here, to one of them (after stemming); English to Indonesian
# where liaisons mix the two ("upload KTA", "deadline daftar").
SYNONYMS: dict[str, str] = {
    "pakai": "guna",
    "use": "guna",
    "used": "guna",
    "using": "guna",
    "upload": "unggah",
    "uploaded": "unggah",
    "input": "unggah",
    "entri": "unggah",
    "register": "daftar",
    "registration": "daftar",
    "registering": "daftar",
    "deadline": "tenggat",
    "member": "anggota",
    "membership": "anggota",
    "party": "partai",
    "candidate": "calon",
    "requirement": "syarat",
    "berkas": "dokumen",
    "document": "dokumen",
    "file": "dokumen",
    "account": "akun",
    "password": "sandi",
    "schedule": "jadwal",
    "umur": "usia",
    "age": "usia",
    "photo": "foto",
    "office": "kantor",
    "hp": "telepon",
    "telpon": "telepon",
    "telp": "telepon",
    "phone": "telepon",
    "wa": "whatsapp",
    "surel": "email",
    "aktivasi": "aktif",
    "activate": "aktif",
    "activation": "aktif",
    "active": "aktif",
    "ganti": "ubah",
    "change": "ubah",
    "delete": "hapus",
    "remove": "hapus",
    "check": "cek",
    "send": "kirim",
    "open": "buka",
    "close": "tutup",
    "closed": "tutup",
    "pukul": "jam",
    "hour": "jam",
    "minimum": "minimal",
    "maximum": "maksimal",
    "wanita": "perempuan",
    "women": "perempuan",
    "woman": "perempuan",
    "female": "perempuan",
    "report": "lapor",
    "adu": "lapor",
    "complain": "lapor",
    "complaint": "lapor",
    "slow": "lambat",
    "verification": "verifikasi",
    "verify": "verifikasi",
    "regency": "kabupaten",
    "city": "kota",
    "province": "provinsi",
    "district": "kecamatan",
    "helpdesk": "helpdesk",
    "help": "bantu",
    "narapidana": "terpidana",
    "married": "kawin",
    "designation": "tetap",
    "designated": "tetap",
    "designate": "tetap",
    "confirmed": "tetap",
    "confirm": "tetap",
    "determined": "tetap",
    "determine": "tetap",
    "determination": "tetap",
    "tentara": "tni",
    "polisi": "polri",
    "pns": "asn",
    "dobel": "ganda",
    "double": "ganda",
    "duplicate": "ganda",
    "operator": "admin",
}

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
    "kk": "kartu keluarga",
    "pkpu": "peraturan kpu",
    "cabup": "calon bupati",
    "cawabup": "calon wakil bupati",
    "cagub": "calon gubernur",
    "cawagub": "calon wakil gubernur",
    "cawalkot": "calon wali kota",
    "cawawalkot": "calon wakil wali kota",
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
