"""Answer only when the entry answers THIS question: facets of questions and entries, and
the search refusing an entry about another election, stage period or kind of fact."""

from __future__ import annotations

import pytest

from knowledge.search import KnowledgeBase
from knowledge.search.facet_match import mismatches
from knowledge.search.facets import _stated_counts, entry_facets, question_facets


@pytest.fixture(scope="module")
def real() -> KnowledgeBase:
    return KnowledgeBase.load()


def _entry_facets(kb: KnowledgeBase, entry_id: str):  # type: ignore[no-untyped-def]
    entry = kb.entry(entry_id)
    assert entry is not None, entry_id
    return entry_facets(entry)


@pytest.mark.parametrize(
    ("question", "election"),
    [
        ("syarat paslon pilkada apa aja", "pilkada"),
        ("pilbup kapan daftar", "pilkada"),
        ("cakada harus cuti?", "pilkada"),
        ("pendaftaran cagub kapan", "pilkada"),
        ("berkas bacaleg apa saja", "pileg"),
        ("caleg dprd kabupaten kapan diajukan", "pileg"),
        ("dapil kami kuotanya berapa", "pileg"),
        ("kapan pemutakhiran data partai semester ini", "berkelanjutan"),
    ],
)
def test_the_election_is_read_from_the_question(question: str, election: str) -> None:
    assert election in question_facets(question).elections


def test_a_year_counts_when_it_names_an_election_not_when_it_is_said_in_passing() -> None:
    assert question_facets("syarat pendaftaran partai pemilu 2019").years == {2019}
    assert question_facets("jadwal pilkada thn 2020 kapan").years == {2020}
    assert question_facets("saya keluar dari partai sejak 2021, kok masih tercatat").years == set()
    assert question_facets("pendaftaran partai 2019 kapan").years == set()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("kapan batas akhir pendaftaran partai", "date"),
        ("tanggal berapa pengundian nomor urut", "date"),
        ("deadline upload sipol jam berapa", "date"),
        ("umur minimal calon bupati", "age"),
        ("usia anggota partai minimal berapa", "age"),
        ("berapa persen ambang batas pencalonan", "threshold"),
        ("jumlah anggota minimal di kabupaten", "threshold"),
        ("di mana bacaleg periksa kesehatan", "place"),
        ("kemana lapor nik dicatut", "place"),
        ("berapa lama data bocor harus diberitahukan", "duration"),
    ],
)
def test_the_kind_of_fact_asked_for_is_read_from_the_question(question: str, kind: str) -> None:
    assert kind in question_facets(question).kinds


def test_an_age_question_is_not_also_a_threshold_question() -> None:
    assert question_facets("berapa usia minimal calon kepala daerah").kinds == {"age"}


def test_the_stage_asked_about_is_not_the_one_only_referred_to() -> None:
    asked = question_facets("sampai kapan perbaikan dokumen setelah verifikasi administrasi")
    assert asked.stage == "perbaikan"
    assert "vermin" in asked.stages
    assert question_facets(
        "habis hasil vermin keluar, dikasih waktu benerin smp tgl brp"
    ).stage == ("perbaikan")
    assert question_facets("kapan verfak dimulai").stage == "verfak"


def test_subjects_next_to_the_desk_are_recognised_but_words_that_contain_them_are_not() -> None:
    assert {"ladk"} <= question_facets("batas penyerahan LADK kapan").topics
    assert {"kpps"} <= question_facets("rekrutmen kpps dibuka kapan").topics
    assert {"sengketa"} <= question_facets("cara ajukan sengketa ke bawaslu").topics
    assert question_facets("kapan pendaftaran pemilihan kepala daerah").topics == set()
    assert {"musda"} <= question_facets("musda buat milih ketua DPW hrs dihadiri KPU ga").topics
    assert {"gugat"} <= question_facets("ketua dpc dipecat dpp, gugatnya kemana").topics


def test_subjects_asked_by_what_is_asked_are_recognised(real: KnowledgeBase) -> None:
    """Becoming an ad hoc officer, who wins, and campaign spending: an entry that only
    names the body, the empty box or the campaign does not answer them."""
    kpps = question_facets("syarat jd anggota kpps apa aja min")
    assert "rekrutmen" in kpps.topics
    assert "subject: rekrutmen (not in the entry)" in mismatches(
        kpps, _entry_facets(real, "anggota-asn-di-daftar")
    )
    assert "rekrutmen" not in question_facets("anggota kami ada yang jadi anggota kpps").topics
    assert "rekrutmen" not in question_facets("dokumen apa dibawa pas daftar ke kpu ri").topics
    empty_box = question_facets("kalo kotak kosong yg menang pilkadanya gmn? diulang kpn")
    assert "hasil pemilu" in empty_box.topics
    assert mismatches(empty_box, _entry_facets(real, "pilkada-paslon-tunggal"))
    assert "hasil pemilu" not in question_facets("kader kami menang pileg, mau jd cabup").topics
    spend = question_facets(
        "Is there a cap on how much a candidate pair can spend on the campaign?"
    )
    assert "dana kampanye" in spend.topics
    assert "dana kampanye" in question_facets("batas dana kampanye paslon brp").topics
    spend_long = question_facets(
        "Is there a spending limit for a Pilkada candidate pair's campaign?"
    )
    assert "dana kampanye" in spend_long.topics
    assert {"dicoblos"} <= question_facets("surat suara yg dicoblos 2 kali sah gak?").topics
    assert "nomor urut yang didapat" in question_facets("partai kami dapet nomor urut brp").topics
    assert question_facets("kapan pengundian nomor urut partai?").topics == set()
    assert {"libur nasional"} <= question_facets("hari coblosan pilkada libur nasional ga").topics
    threshold = "perhitungan ambang batas parlemen"
    assert threshold in question_facets("ambang batas parlemen 4% itu dihitung gmn").topics
    assert (
        threshold
        not in question_facets("partai yg lolos ambang batas parlemen gak diverfak?").topics
    )
    assert "dana kampanye" not in question_facets("kapan masa kampanye pilkada 2024").topics


def test_a_pilkada_question_does_not_match_a_dprd_entry(real: KnowledgeBase) -> None:
    asked = question_facets("batas pengajuan paslon pilkada di wilayah WITA pakai jam WIB?")
    reasons = mismatches(asked, _entry_facets(real, "caleg-zona-dprd"))
    assert any(reason.startswith("election:") for reason in reasons)
    assert mismatches(asked, _entry_facets(real, "pilkada-waktu-setempat")) == ()


def test_a_dprd_question_does_not_match_a_pilkada_entry(real: KnowledgeBase) -> None:
    asked = question_facets("kapan masa pengajuan bacaleg DPRD kabupaten?")
    assert any(
        r.startswith("election:")
        for r in mismatches(asked, _entry_facets(real, "pilkada-pendaftaran"))
    )
    assert mismatches(asked, _entry_facets(real, "caleg-jadwal-pengajuan")) == ()


def test_a_pilkada_question_is_never_answered_with_a_legislative_entry(real: KnowledgeBase) -> None:
    for question in (
        "pilkada: batas pengajuan calon di wilayah WIT pakai jam WIB atau waktu setempat?",
        "kapan pengajuan cabup cawabup ditutup?",
        "syarat usia calon gubernur berapa",
    ):
        result = real.search(question)
        assert not result.answered or result.hits[0].entry.category.startswith("pilkada/"), question


def test_a_date_question_does_not_get_a_procedure_entry_of_the_same_stage(
    real: KnowledgeBase,
) -> None:
    asked = question_facets("kapan verifikasi faktual keanggotaan dilakukan?")
    assert "fact: asked date, entry states none" in mismatches(
        asked, _entry_facets(real, "verfak-sampel")
    )
    assert mismatches(asked, _entry_facets(real, "verfak-jadwal")) == ()
    result = real.search("kapan verifikasi faktual keanggotaan dilakukan?")
    assert result.hits[0].entry.id != "verfak-sampel"


def test_one_period_of_verification_does_not_answer_another(real: KnowledgeBase) -> None:
    asked = question_facets("sampai kapan perbaikan setelah verifikasi administrasi?")
    assert mismatches(asked, _entry_facets(real, "vermin-perbaikan")) == ()
    assert any(
        r.startswith("stage:")
        for r in mismatches(asked, _entry_facets(real, "verfak-perbaikan-bms"))
    )


def test_a_year_the_entry_is_not_about_is_refused(real: KnowledgeBase) -> None:
    asked = question_facets("kapan pendaftaran paslon pilkada 2020?")
    assert any(
        r.startswith("year:") for r in mismatches(asked, _entry_facets(real, "pilkada-pendaftaran"))
    )


@pytest.mark.parametrize(
    "question",
    [
        "kapan batas akhir penyerahan LADK partai untuk pilkada?",
        "rekrutmen KPPS pilkada 2024 kapan dibuka dan syaratnya apa?",
        "partai kami mau mengajukan sengketa proses pemilu ke Bawaslu, bagaimana caranya?",
        "berapa ukuran maksimal alat peraga kampanye paslon pilkada?",
        "bagaimana cara cek daftar pemilih tetap untuk anggota partai kami?",
    ],
)
def test_questions_next_to_the_scope_are_refused(real: KnowledgeBase, question: str) -> None:
    result = real.search(question)
    assert not result.answered
    assert result.refusal
    assert result.hits  # the closest entries are still offered


def test_the_result_says_what_the_question_was_read_as_and_why_it_was_refused(
    real: KnowledgeBase,
) -> None:
    result = real.search("kapan batas akhir penyerahan LADK?")
    assert result.facets["kinds"] == ["date"]
    assert result.facets["topics"] == ["ladk"]
    assert any("ladk" in reason for reason in result.refusal)
    assert all(hit.mismatch for hit in result.hits)


def test_entries_that_agree_come_before_those_that_do_not(real: KnowledgeBase) -> None:
    result = real.search("kapan pendaftaran pasangan calon pilkada ditutup?", top=5)
    agreeing = [not hit.mismatch for hit in result.hits]
    assert agreeing == sorted(agreeing, reverse=True)
    assert result.answered and result.hits[0].entry.id == "pilkada-pendaftaran"


def test_dpt_is_the_voter_list_as_a_noun_and_the_verb_dapat_in_chat() -> None:
    assert "dpt" in question_facets("cara cek nama anggota kami di dpt gmn").topics
    assert "dpt" in question_facets("DPT pilkada kapan ditetapkan").topics
    assert "dpt" in question_facets("dpt pilkada kapan ditetapkan").topics
    assert question_facets("dapil 3 dpt brp kursi").topics == set()
    assert question_facets("partai kami blm dpt akun sipol").topics == set()


def test_the_voter_list_question_is_refused_and_dapat_still_finds_its_entry(
    real: KnowledgeBase,
) -> None:
    refused = real.search("cara cek anggota partai kami udh masuk dpt blm?")
    assert not refused.answered
    assert refused.facets["topics"] == ["dpt", "pemilih tetap"]
    found = real.search("partai baru blm dpt akun sipol, mintanya ke mana?")
    assert not any("dpt" in reason for hit in found.hits for reason in hit.mismatch)


def test_a_question_about_two_races_needs_an_entry_about_both(real: KnowledgeBase) -> None:
    asked = question_facets("caleg DPRD kami mau nyalon pilbup juga, syaratnya apa")
    assert asked.races == {"pileg", "pilkada"}
    reasons = mismatches(asked, _entry_facets(real, "caleg-syarat-admin"))
    assert any(reason.startswith("election:") for reason in reasons)
    # an office that only acts in the question is not a second race
    acting = question_facets("bacaleg kami kepala desa, SK berhentinya dari bupati belum turun")
    assert acting.races == {"pileg"}
    reasons = mismatches(acting, _entry_facets(real, "caleg-asn-kades"))
    assert not any(r.startswith("election:") for r in reasons)


def test_english_forms_name_the_election() -> None:
    assert "pilpres" in question_facets("minimum age for presidential candidates").elections
    assert "pilkada" in question_facets("when do regents register").elections


def test_at_the_latest_during_a_period_is_not_a_date(real: KnowledgeBase) -> None:
    """An entry that says what to do "at the latest during the correction period" does not
    answer WHEN something happens; one that says within how many hours still answers a
    question asking for the time limit in hours."""
    sworn = question_facets("kapan caleg dprd terpilih dilantik?")
    reasons = mismatches(sworn, _entry_facets(real, "pilkada-caleg-terpilih"))
    assert "fact: asked date, entry states none" in reasons
    assert not real.search("kapan caleg dprd terpilih dilantik?").answered
    asked = question_facets("berapa jam batas waktu mengabari orang yang datanya bocor?")
    assert {"date", "duration"} <= asked.kinds
    assert mismatches(asked, _entry_facets(real, "privasi-kebocoran")) == ()


def test_an_age_question_is_answered_by_an_entry_about_the_same_people(
    real: KnowledgeBase,
) -> None:
    liaison = question_facets("berapa usia minimal admin SIPOL atau LO partai?")
    assert liaison.roles == {"admin", "penghubung"}
    reasons = mismatches(liaison, _entry_facets(real, "anggota-usia-17"))
    assert any(reason.startswith("subject: asked the age of") for reason in reasons)
    member = question_facets("anggota partai umur 16 tapi sudah menikah, sah?")
    assert mismatches(member, _entry_facets(real, "anggota-usia-17")) == ()
    candidate = question_facets("calon wakil wali kota kami umurnya baru 25, dihitung kapan?")
    assert not any(
        r.startswith("subject:") for r in mismatches(candidate, _entry_facets(real, "pilkada-usia"))
    )


def test_a_category_title_naming_both_verification_periods_does_not_make_an_entry_both(
    real: KnowledgeBase,
) -> None:
    """The correction after administrative verification is not answered by the correction
    after factual verification, though both sit under a title naming both periods."""
    question = "setelah hasil verifikasi dokumen keluar, sampai tgl brp buat benerin?"
    searcher = real.searcher
    position = [e.id for e in searcher.entries].index("verfak-perbaikan-bms")
    reasons = mismatches(question_facets(question), searcher.facets[position])
    assert any(reason.startswith("stage:") for reason in reasons)
    assert real.search(question).hits[0].entry.id == "vermin-perbaikan"


def test_a_question_about_one_system_is_not_answered_by_an_entry_about_another(
    real: KnowledgeBase,
) -> None:
    """SILON's file limits are not SIPOL's: the system named must be the entry's."""
    asked = question_facets("batas ukuran file scan ktp di sipol berapa mb?")
    assert asked.systems == {"sipol"}
    reasons = mismatches(asked, _entry_facets(real, "dok-format-silon"))
    assert any(reason.startswith("system: asked sipol") for reason in reasons)
    assert mismatches(asked, _entry_facets(real, "dok-ukuran-sipol")) == ()
    assert question_facets("lupa password, bisa reset sendiri?").systems == set()


def test_a_numbered_semester_is_answered_only_by_an_entry_stating_it(real: KnowledgeBase) -> None:
    """The deadline of one semester's update is not another semester's."""
    entry = _entry_facets(real, "pemutakhiran-batas")
    assert {(2, 2025), (1, 2026)} <= entry.semesters
    later = question_facets("sampai tgl brp update sipol semester II tahun 2026?")
    assert later.semesters == {(2, 2026)}
    assert any(reason.startswith("period:") for reason in mismatches(later, entry))
    stated = question_facets("batas pemutakhiran semester kedua 2025 kapan")
    assert stated.semesters == {(2, 2025)}
    assert mismatches(stated, entry) == ()
    assert not real.search("sampai tgl brp update sipol semester II tahun 2026?").answered


def test_a_count_is_answered_only_by_an_entry_giving_a_number_of_the_same_thing(
    real: KnowledgeBase,
) -> None:
    """ "How many seats" is not answered by a quota stated as a share of the seats; "umur
    berapa" asks an age, and "jumlah" alone asks nothing."""
    seats = question_facets("dapil kami dapat berapa kursi di dprd kota?")
    assert seats.counts == {"seats"}
    reasons = mismatches(seats, _entry_facets(real, "caleg-kuota-dapil"))
    assert "fact: asked the number of seats, entry states none" in reasons
    women = question_facets("berapa perempuan minimal di daftar caleg per dapil?")
    assert women.counts == {"people"}
    assert mismatches(women, _entry_facets(real, "caleg-kuota-dapil")) == ()
    assert question_facets("umur berapa orang sah jadi anggota partai?").counts == set()
    assert question_facets("jumlah anggota di sipol kok gak nambah").counts == set()
    # the count asked at the end of the clause, after what it counts
    assert question_facets("jumlah kursi dpr di dapil 1 ada brp").counts == {"seats"}
    assert question_facets("jumlah anggota minimal di kabupaten berapa").counts == {"people"}
    assert question_facets("dapil 3 kota medan jatah kursi DPRD nya brp").counts == {"seats"}
    assert question_facets("jumlah anggota kami udh 900, kurang berapa hari lagi?").counts == set()
    assert question_facets("how many members must a party have per regency").counts == {"people"}
    assert question_facets("biayanya berapa? partai kami belum punya dana").counts == set()
    assert _stated_counts("minimal seribu anggota di setiap kabupaten") == {"people"}
    assert _stated_counts("at least three women") == {"people"}
    assert _stated_counts("menunjuk satu admin SILON untuk setiap pasangan calon") == {"people"}
    assert _stated_counts("PKPU Nomor 10 Tahun 2023") == set()


def test_a_party_registration_question_is_not_answered_by_a_pilkada_entry(
    real: KnowledgeBase,
) -> None:
    """Parties register and are verified for the general election; a question about that
    "for the Pilkada" names two races, and no Pilkada entry is about both."""
    asked = question_facets("kapan verifikasi faktual parpol untuk pilkada 2024?")
    assert asked.races == {"parpol", "pilkada"}
    reasons = mismatches(asked, _entry_facets(real, "pilkada-perseorangan-jadwal"))
    assert any(reason.startswith("election:") for reason in reasons)
    assert not real.search("kapan verifikasi faktual parpol untuk pilkada 2024?").answered
    alone = question_facets("kapan pendaftaran parpol peserta pemilu 2024 ditutup")
    assert alone.elections == {"parpol"}
    assert mismatches(alone, _entry_facets(real, "daftar-batas-waktu")) == ()


def test_a_chat_verb_in_in_reads_as_its_kan_form() -> None:
    """ "diumumin" is "diumumkan": the stage it names is found."""
    assert question_facets("dct kpn diumumin").stage == "penetapan"
    assert question_facets("kapan hasil verfak diumumkan").stages >= {"penetapan"}


def test_vote_buying_is_a_subject_next_to_the_desk(real: KnowledgeBase) -> None:
    result = real.search("lapor politik uang ke bawaslu paling lambat berapa hari?")
    assert not result.answered
    assert any("politik uang" in reason for reason in result.refusal)


def test_village_head_elections_and_election_witnesses_are_next_to_the_desk() -> None:
    """ "Pilkades" is not the Pilkada, and witnesses at the polling station are not party
    registration or candidacy: the question is answered only by an entry naming them."""
    assert question_facets("jadwal pilkades serentak kapan").topics == {"pilkades"}
    assert "saksi" in question_facets("mandat saksi partai di tps diurus ke siapa").topics
    assert "pilkada" not in question_facets("jadwal pilkades serentak kapan").elections


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("syarat usia wawali kota kami", "kabkota"),
        ("pilwali dibuka kapan", "kabkota"),
        ("wagub harus cuti gak", "provinsi"),
    ],
)
def test_deputy_heads_and_mayoral_races_name_their_level(question: str, level: str) -> None:
    facets = question_facets(question)
    assert level in facets.levels and "pilkada" in facets.elections


def test_replacement_candidates_are_a_period_of_their_own(real: KnowledgeBase) -> None:
    """Putting forward a replacement candidate is not the first submission of candidates:
    the longest stage phrase where the question names one is the stage asked."""
    asked = question_facets("kapan pengajuan calon pengganti caleg dprd")
    assert asked.stage == "penggantian"
    reasons = mismatches(asked, _entry_facets(real, "caleg-jadwal-pengajuan"))
    assert any(reason.startswith("stage: asked penggantian") for reason in reasons)
    assert mismatches(asked, _entry_facets(real, "caleg-pencermatan-dcs")) == ()
    assert question_facets("kapan pengajuan bacaleg dprd").stage == "pendaftaran"


def test_a_time_limit_in_words_or_years_is_a_duration(real: KnowledgeBase) -> None:
    """ "5 tahun" and "lima hari" state how long; a regulation's "Nomor 10 Tahun 2023" does
    not; "sampai tahapan terakhir" tells until when."""
    asked = question_facets("berapa lama jeda setelah keluar penjara supaya bisa jadi caleg")
    assert mismatches(asked, _entry_facets(real, "caleg-mantan-terpidana")) == ()
    until = question_facets("kantor partai harus ada sampe kapan")
    assert mismatches(until, _entry_facets(real, "dok-kantor-tetap")) == ()


def test_a_deadline_is_answered_by_a_time_limit_and_a_birth_date_asks_no_date(
    real: KnowledgeBase,
) -> None:
    deadline = question_facets("deadline to report a personal data breach")
    assert deadline.deadline
    assert mismatches(deadline, _entry_facets(real, "privasi-kebocoran")) == ()
    assert not question_facets("kapan hasil verfak diumumkan").deadline
    assert "date" not in question_facets("jenis kelamin tgl lahir di ktp dicek juga?").kinds


# An entry's own phrasing the gate refuses, and why: the entry does not state the fact
# the phrasing asks for, so it is offered among the closest entries, not as the answer.
OWN_PHRASINGS_REFUSED = {
    ("privasi-yang-disimpan", "berapa lama riwayat tiket disimpan"),  # a limit, no length
    ("privasi-yang-disimpan", "berapa lama percakapan dengan bot disimpan"),
    ("caleg-pembulatan-30", "how many women for a district with 8 seats"),  # not verified
    ("verfak-sampel", "berapa anggota yang diambil sampel untuk verfak"),  # size not stated
    ("pilkada-caleg-terpilih", "surat pengunduran diri calon terpilih kpn diserahkan"),
}


def test_every_entry_answers_its_own_question_and_phrasings(real: KnowledgeBase) -> None:
    """The gate's word lists are checked against the entries' own wording: a new facet
    that refuses an entry for how its own phrasings ask shows up here."""
    refused = set()
    for entry, facets in zip(real.searcher.entries, real.searcher.facets, strict=True):
        texts = [*entry.question.values(), *(p for ps in entry.phrasings.values() for p in ps)]
        for text in texts:
            if mismatches(question_facets(text), facets):
                refused.add((entry.id, text))
    assert refused == OWN_PHRASINGS_REFUSED


def test_the_announcement_of_a_registration_is_a_period_of_its_own(real: KnowledgeBase) -> None:
    """ "Pengumuman pendaftaran" comes before the registration and is not the announcement
    of the parties confirmed: only an entry stating the announcement's dates answers it."""
    asked = question_facets("pengumuman pendaftaran parpol pemilu 2024 tanggal berapa")
    assert asked.stage == "pengumuman-pendaftaran"
    reasons = mismatches(asked, _entry_facets(real, "parpol-penetapan"))
    assert any(reason.startswith("stage: asked pengumuman-pendaftaran") for reason in reasons)
    result = real.search("pengumuman pendaftaran parpol pemilu 2024 tanggal berapa")
    assert result.answered and result.hits[0].entry.id == "daftar-tahapan-2022"


def test_a_year_beside_a_race_names_that_race_s_election(real: KnowledgeBase) -> None:
    """The 2019 candidates' registration is not the 2023 one; "partai 2019" still names
    the parties that took part then, not an election."""
    assert question_facets("pendaftaran caleg dpr ri 2019 kapan").years == {2019}
    assert question_facets("capres 2029 daftar kapan").years == {2029}
    assert question_facets("pendaftaran partai 2019 kapan").years == set()
    assert question_facets("jadwal verifikasi faktual parpol tahun 2019").years == {2019}
    assert question_facets("saya keluar partai sejak tahun 2021").years == set()
    assert not real.search("pendaftaran caleg dpr ri 2019 kapan").answered


def test_odd_and_even_semesters_are_numbered() -> None:
    assert question_facets("batas update sipol semester ganjil 2027").semesters == {(1, 2027)}
    assert question_facets("pemutakhiran semester genap kapan").semesters == {(2, None)}
    assert question_facets("update for semester 2 of 2026").semesters == {(2, 2026)}
    assert question_facets("deadline for the second half of 2026").semesters == {(2, 2026)}


@pytest.mark.parametrize(
    "question",
    [
        "ongkos bikin surat sehat bacaleg di rsud brp ya?",
        "ngurus surat keterangan bukan anggota parpol itu bayar gak?",
        "Do we have to pay a fee for the certificate that someone is not a party member?",
    ],
)
def test_a_cost_is_answered_only_by_an_entry_stating_one(
    real: KnowledgeBase, question: str
) -> None:
    assert "cost" in question_facets(question).kinds
    result = real.search(question)
    assert not result.answered
    assert result.hits  # the entry about the document is still offered
    assert "fact: asked cost, entry states none" in result.hits[0].mismatch


def test_an_entry_stating_a_fee_or_that_it_is_free_answers_a_cost() -> None:
    assert "cost" in _stated_kinds("Layanan ini gratis, tidak dipungut biaya.")
    assert "cost" in _stated_kinds("The certificate costs Rp 50.000 at a public hospital.")
    assert "cost" not in _stated_kinds("Surat sehat jasmani dan rohani dari rumah sakit.")


def _stated_kinds(answer: str) -> frozenset[str]:
    from knowledge.content.faq import Entry

    entry = Entry("x", "dokumen/x", {"id": "Apa?"}, {"id": answer}, {}, (), (), False, None, None)
    return entry_facets(entry).kinds


def test_an_election_year_accepts_an_entry_dated_in_the_two_years_before_it(
    real: KnowledgeBase,
) -> None:
    """The candidacy for Pemilu 2024 ran in 2023; Pemilu 2019 is not answered by it."""
    asked = question_facets("What's the minimum age for a DPR candidate in the 2024 election?")
    entry = _entry_facets(real, "caleg-syarat-admin")
    assert 2023 in entry.years and 2024 not in entry.years
    assert not any(r.startswith("year:") for r in mismatches(asked, entry))
    older = question_facets("berapa usia minimal caleg DPR di pemilu 2019?")
    assert any(r.startswith("year:") for r in mismatches(older, entry))


def test_the_age_of_a_photo_or_a_document_asks_how_recent_it_is() -> None:
    photo = question_facets("How old can the candidate pair photo on the Pilkada 2024 ballot be?")
    assert "age" not in photo.kinds and "duration" in photo.kinds
    assert "age" not in question_facets("umur foto paslon maksimal brp bulan").kinds
    assert "age" in question_facets("how old must a regent candidate be").kinds


def test_a_help_desks_hours_during_a_stage_are_not_the_stages_dates(real: KnowledgeBase) -> None:
    asked = question_facets("helpdesk sipol kpu ri wkt pendaftaran 2022 buka jam brp?")
    assert asked.help_desk and asked.stage == "pendaftaran"
    assert mismatches(asked, _entry_facets(real, "hd-jam-layanan")) == ()
    plain = question_facets("pendaftaran parpol 2022 tutup jam brp?")
    assert not plain.help_desk
    assert mismatches(plain, _entry_facets(real, "hd-jam-layanan"))


def test_a_cost_mentioned_in_passing_is_not_asked() -> None:
    def asks_cost(question: str) -> bool:
        return "cost" in question_facets(question).kinds

    assert not asks_cost("hasil vermin keluar tgl brp? biar bendahara siap2 biaya perbaikan")
    assert not asks_cost("habis verfak kantor boleh dilepas kan? hemat biaya kata bendahara")
    assert asks_cost("daftar partai ke kpu ada biayanya gak")
    assert asks_cost("berapa biaya pendaftaran partai")
    assert asks_cost("is registration free of charge")
    assert asks_cost("biayanya ditanggung siapa")


def test_what_is_said_of_something_else_is_not_read_as_asked(real: KnowledgeBase) -> None:
    decree = question_facets("jumlah minimal anggota itu ditetapin di keputusan KPU nomor brp")
    assert decree.stage is None  # asks for the decree, not the determination stage
    typed = question_facets("angka minimal anggota tuh ditetapin di kputusan KPU no brp")
    assert typed.stage is None  # the same, with the decree misspelt
    compared = question_facets("umur minimal bacaleg DPRD brp? lebih muda dari calon bupati kan?")
    assert compared.elections == {"pileg"}  # the regent's age is what it is compared with
    assert question_facets("syarat umur calon bupati berapa").elections == {"pilkada"}
    banner = question_facets("DCT diumumin ke publik kapan? tim kami mau cetak baliho stlh itu")
    assert not banner.topics and "date" in banner.kinds
    assert "age" not in question_facets("Pilkada ballot photo: max age of photo?").kinds
    assert "age" not in question_facets("How old can the candidate pair's ballot photo be?").kinds
    before = question_facets("kontrak habis sebelum pemungutan suara, harus ada sampai kapan")
    assert not before.topics  # voting day is when, not what
    assert question_facets("kapan pemungutan suara pemilu 2024").topics
    asked = question_facets("On which date could parties start registering for the election?")
    assert asked.stage == "pendaftaran" and "date" in asked.kinds
    assert question_facets("verfak 2029 masih pake sampel ga?").years == {2029}
    assert not question_facets("anggota dprd periode 2024-2029 mau maju pilkada").years
    assert question_facets("kapan partai peserta ditetapkan kpu").stage == "penetapan"
    assert "place" not in question_facets("where must the women candidates be placed").kinds
    assert "place" in question_facets("where do we submit the candidate files").kinds
    purpose = question_facets("tanggal penetapan dct kapan min? mau sy tulis di spanduk")
    assert not purpose.topics  # what the answer is for, not what is asked
    assert question_facets("aturan pasang spanduk partai gimana").topics
    assert "date" not in question_facets("ketum gak dateng ke kpu smp tgl 14, aman kan?").kinds
    assert "date" in question_facets("pendaftaran ditutup tgl berapa?").kinds
    result = real.search("dalam daftar caleg, where must the women candidates be placed?")
    assert result.hits[0].entry.id == "caleg-kuota-dapil", result.hits[0].entry.id


def test_a_question_about_the_help_desks_own_hours_needs_an_entry_about_the_desk(
    real: KnowledgeBase,
) -> None:
    asked = "helpdesk kpu ri pas pendaftaran parpol 2022 buka jam brp?"
    assert question_facets(asked).help_desk
    assert real.search(asked).hits[0].entry.id == "hd-jam-layanan"
    greeted = question_facets("halo helpdesk, pendaftaran partai tutup jam berapa?")
    assert not greeted.help_desk  # the desk greeted, the registration asked about
    assert real.search("halo helpdesk, pendaftaran partai tutup jam berapa?").answered


@pytest.mark.parametrize(
    "question",
    [
        "syarat dukungan calon DPD brp KTP?",
        "KTA partai sy ilang, cetak ulangnya dimana?",
        "cara ganti ketua DPC di SK kepengurusan, urus ke kemenkumham gmn prosedurnya?",
        "cara ganti ketua DPC di tengah periode sesuai AD/ART gmn ya?",
        "NIK anggota kami beda sama di KTP, ngurus perbaikan di dukcapil syaratnya apa?",
        "bikin SKCK di polres syaratnya apa aja, bs online?",
        "cara bikin SKCK di polres buat cabup gmn? bisa online ga?",
        "pendaftaran calon kepala desa di Kab Gowa diurus KPU juga kah?",
        "What is the registration schedule for DPD (regional senate) candidates?",
        "mau bikin partai baru, syarat pengesahan badan hukum di kemenkumham apa aja",
        "lupa pasword gmail sy, gmn cara resetnya",
    ],
)
def test_a_dpd_candidacy_a_lost_card_and_kemenkumham_procedures_are_next_to_the_desk(
    real: KnowledgeBase, question: str
) -> None:
    assert question_facets(question).topics
    assert not real.search(question).answered


def test_where_a_document_is_obtained_is_still_the_desk_s_question(real: KnowledgeBase) -> None:
    asked = "surat keterangan tidak pernah dipidana untuk calon bupati diurus di mana"
    assert not question_facets(asked).topics
    assert real.search(asked).hits[0].entry.id == "pilkada-dokumen-calon"
    running = real.search("kepala desa mau nyaleg dprd hrs mundur?")  # not a village election
    assert running.answered and running.hits[0].entry.id == "caleg-asn-kades"


def test_a_party_s_provincial_board_is_not_a_dpd_candidacy() -> None:
    assert not question_facets("yg daftar ke kpu ri itu dpd provinsi kami ato dpp?").topics
    assert not question_facets("ketua DPC kami ganti, data di sipol diubah gimana?").topics


def test_a_local_office_s_number_or_hours_need_an_entry_naming_that_office(
    real: KnowledgeBase,
) -> None:
    for question in (
        "minta nomor WA helpdesk KPU Kabupaten Sekadau dong",
        "nomor WA helpdesk KPU RI brp ya min?",
        "helpdesk KPU Sleman buka hari Sabtu gak?",
        "jam helpdesk kpu kota kupang hari sabtu sampe jam brp?",
    ):
        assert not real.search(question).answered, question
    assert question_facets("jam helpdesk KPU Kota Kupang hari sabtu").offices == {"kupang"}
    assert not question_facets("helpdesk KPU RI buka jam brp").offices
    assert "nomor kontak" not in question_facets("ada nomor telepon helpdesk?").topics
    assert real.search("helpdesk kpu ri pas pendaftaran parpol 2022 buka jam brp?").answered
