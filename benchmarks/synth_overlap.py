"""Synthetic process records for measuring the overlap matcher (deterministic, seeded).

Why synthetic: no Pemda publishes 100,000 processes with a ground truth of which ones
overlap. The generator builds a body of many OPDs whose ordinary ("background") processes
are distinct by construction (each OPD owns its own service objects: a head such as
"Irigasi Tersier" combined with a qualifier such as "bagi Kelompok Tani"), then plants:

- duplicate pairs across OPDs, rewritten the way another OPD would write them: synonyms
  (penerbitan/pencetakan), abbreviation against expansion (KTP-el / Kartu Tanda Penduduk
  Elektronik, PBG / IMB), constituent order, affix variants (penerbitan / menerbitkan /
  diterbitkan), added generic and stop words, punctuation and case;
- near misses that must NOT be reported: names sharing only generic words, per-OPD support
  processes written alike in every OPD, and territorial services repeated by every
  kecamatan and kelurahan.

``generate(n, seed)`` returns the records and the set of planted pairs (code pairs, sorted).
Word order is varied between constituents (action, object, qualifier), not inside a
multi-word term, because nobody writes "Keluarga Kartu".
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # allow `python benchmarks/synth_overlap.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    from probis.plugins.overlap.matcher import ProcessRecord
except ImportError:  # pragma: no cover - not installed: fall back to the source tree
    import importlib
    import types

    _root = Path(__file__).resolve().parent.parent
    if "probis" not in sys.modules:
        _pkg = types.ModuleType("probis")
        _pkg.__path__ = []  # type: ignore[attr-defined]
        sys.modules["probis"] = _pkg
    _plugins = types.ModuleType("probis.plugins")
    _plugins.__path__ = [str(_root / "plugins")]  # type: ignore[attr-defined]
    sys.modules["probis.plugins"] = _plugins
    ProcessRecord = importlib.import_module("probis.plugins.overlap.matcher").ProcessRecord

# (noun, active verb, passive verb, synonym nouns). Each action normalises to one token.
ACTIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Penerbitan", "Menerbitkan", "Diterbitkan", ("Pencetakan", "Pembuatan")),
    ("Pembinaan", "Membina", "Dibina", ("Pembimbingan",)),
    ("Pengawasan", "Mengawasi", "Diawasi", ("Supervisi",)),
    ("Pemantauan", "Memantau", "Dipantau", ("Monitoring",)),
    ("Pendaftaran", "Mendaftarkan", "Didaftarkan", ("Registrasi",)),
    ("Verifikasi", "Memverifikasi", "Diverifikasi", ()),
    ("Pengujian", "Menguji", "Diuji", ()),
    ("Pemeriksaan", "Memeriksa", "Diperiksa", ()),
    ("Penetapan", "Menetapkan", "Ditetapkan", ()),
    ("Pemeliharaan", "Memelihara", "Dipelihara", ("Perawatan",)),
    ("Rehabilitasi", "Merehabilitasi", "Direhabilitasi", ()),
    ("Sosialisasi", "Mensosialisasikan", "Disosialisasikan", ("Penyuluhan", "Diseminasi")),
    ("Pelatihan", "Melatih", "Dilatih", ("Bimbingan Teknis", "Diklat", "Bimtek")),
    ("Pendampingan", "Mendampingi", "Didampingi", ()),
    ("Inventarisasi", "Menginventarisasi", "Diinventarisasi", ()),
    ("Penanganan", "Menangani", "Ditangani", ("Penanggulangan",)),
    ("Pengendalian", "Mengendalikan", "Dikendalikan", ()),
    ("Pencegahan", "Mencegah", "Dicegah", ()),
    ("Penyaluran", "Menyalurkan", "Disalurkan", ("Pendistribusian", "Distribusi")),
    ("Penilaian", "Menilai", "Dinilai", ()),
    ("Penagihan", "Menagih", "Ditagih", ()),
    ("Pemungutan", "Memungut", "Dipungut", ()),
    ("Penataan", "Menata", "Ditata", ()),
    ("Perlindungan", "Melindungi", "Dilindungi", ()),
    ("Pemberdayaan", "Memberdayakan", "Diberdayakan", ()),
    ("Promosi", "Mempromosikan", "Dipromosikan", ()),
    ("Pengesahan", "Mengesahkan", "Disahkan", ("Legalisasi",)),
    ("Pemetaan", "Memetakan", "Dipetakan", ()),
    ("Penerimaan", "Menerima", "Diterima", ()),
    ("Pengukuran", "Mengukur", "Diukur", ()),
    ("Pemberian", "Memberikan", "Diberikan", ()),
    ("Pengolahan", "Mengolah", "Diolah", ()),
    ("Penegakan", "Menegakkan", "Ditegakkan", ()),
    ("Penempatan", "Menempatkan", "Ditempatkan", ()),
    ("Publikasi", "Mempublikasikan", "Dipublikasikan", ()),
]

# Service objects ("heads") by sector. A tuple lists interchangeable ways of writing one
# object (abbreviation, expansion, older synonym); the first is the usual form.
Head = tuple[str, ...]
SECTORS: dict[str, list[Head]] = {
    "kependudukan": [
        ("KTP-el", "Kartu Tanda Penduduk Elektronik", "e-KTP", "KTP Elektronik"),
        ("Kartu Keluarga", "KK"), ("Kartu Identitas Anak", "KIA"),
        ("Akta Kelahiran", "Akte Kelahiran"), ("Akta Kematian", "Akte Kematian"),
        ("Akta Perkawinan",), ("Akta Perceraian",), ("Surat Keterangan Pindah",),
        ("Nomor Induk Kependudukan", "NIK"), ("Biodata Penduduk",),
        ("Pengakuan Anak",), ("Anak Angkat",), ("Perubahan Nama",),
        ("Kewarganegaraan",), ("Database Kependudukan",), ("Penduduk Rentan",),
    ],
    "perizinan": [
        ("PBG", "Persetujuan Bangunan Gedung", "IMB", "Izin Mendirikan Bangunan"),
        ("Sertifikat Laik Fungsi", "SLF"), ("Nomor Induk Berusaha", "NIB"),
        ("Surat Izin Usaha Perdagangan", "SIUP"), ("Tanda Daftar Perusahaan", "TDP"),
        ("Izin Reklame",), ("Izin Trayek",), ("Izin Praktik Bidan",),
        ("Surat Izin Praktik Apoteker", "SIPA"), ("Izin Penyelenggaraan Parkir",),
        ("Izin Gangguan", "HO"), ("Izin Lokasi",), ("Izin Usaha Perikanan",),
        ("Izin Toko Swalayan",), ("Izin Usaha Jasa Konstruksi",), ("Izin Apotek",),
        ("Izin Klinik Pratama",), ("Izin Optik",), ("Izin Laboratorium Klinik",),
    ],
    "pendapatan": [
        ("BPHTB", "Bea Perolehan Hak atas Tanah dan Bangunan"),
        ("PBB-P2", "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan", "PBB P2"),
        ("SPPT", "Surat Pemberitahuan Pajak Terutang"), ("NPWPD", "Nomor Pokok Wajib Pajak Daerah"),
        ("Pajak Hotel",), ("Pajak Restoran",), ("Pajak Hiburan",), ("Pajak Reklame",),
        ("Pajak Parkir",), ("Pajak Air Tanah",), ("Pajak Penerangan Jalan",),
        ("Retribusi Pasar",), ("Retribusi Sampah",), ("Retribusi Terminal",),
        ("Piutang Pajak",), ("Keberatan Pajak",), ("Objek Pajak Baru",),
    ],
    "sosial": [
        ("PKH", "Program Keluarga Harapan"), ("DTKS", "Data Terpadu Kesejahteraan Sosial"),
        ("BLT", "Bantuan Langsung Tunai"), ("BPNT", "Bantuan Pangan Non Tunai"),
        ("RTLH", "Rumah Tidak Layak Huni"), ("SKTM", "Surat Keterangan Tidak Mampu"),
        ("Penyandang Disabilitas", "Difabel"), ("Anak Terlantar",), ("Gelandangan Pengemis",),
        ("Korban Bencana Sosial",), ("Panti Sosial",), ("Karang Taruna",),
        ("Tenaga Kesejahteraan Sosial Kecamatan",), ("Panti Werdha",),
        ("Korban Perdagangan Orang",), ("Bantuan Sosial", "Bansos"),
    ],
    "kesehatan": [
        ("Imunisasi Dasar",), ("Gizi Buruk",), ("Stunting",), ("Posyandu", "Pos Pelayanan Terpadu"),
        ("Puskesmas", "Pusat Kesehatan Masyarakat"), ("Tuberkulosis",), ("Demam Berdarah",),
        ("Kesehatan Ibu Hamil",), ("Sanitasi Total Berbasis Masyarakat",), ("Jamban Sehat",),
        ("Air Minum Rumah Tangga Sehat",), ("Ambulans Gawat Darurat",),
        ("Surat Tanda Registrasi", "STR"), ("Obat Tradisional",), ("Alat Kesehatan",),
        ("Rumah Sakit Umum Daerah", "RSUD"), ("Jaminan Kesehatan Nasional", "JKN"),
        ("Kesehatan Jiwa",), ("Penyakit Tidak Menular",),
    ],
    "pendidikan": [
        ("PAUD", "Pendidikan Anak Usia Dini"), ("Sekolah Dasar", "SD"),
        ("Sekolah Menengah Pertama", "SMP"), ("PPDB", "Penerimaan Peserta Didik Baru"),
        ("Bantuan Operasional Sekolah", "BOS"), ("Kartu Indonesia Pintar", "KIP"),
        ("Ijazah",), ("Beasiswa Prestasi",), ("Guru Honorer",), ("Kurikulum Muatan Lokal",),
        ("Perpustakaan Sekolah",), ("Sarana Prasarana Sekolah",), ("Pendidikan Kesetaraan",),
        ("Sertifikasi Guru",), ("Olimpiade Sains",), ("Nomor Induk Siswa Nasional", "NISN"),
    ],
    "pertanian": [
        ("Pupuk Bersubsidi",), ("Benih Padi",), ("Alat Mesin Pertanian",), ("Irigasi Tersier",),
        ("Kelompok Tani",), ("Kios Pupuk",), ("Hama Penyakit Tanaman",),
        ("Ternak Sapi",), ("Kesehatan Hewan",), ("Rumah Potong Hewan",), ("Lahan Sawah",),
        ("Hortikultura",), ("Cadangan Pangan",), ("Keamanan Pangan Segar",),
        ("Vaksinasi Rabies",), ("Bibit Ikan",), ("Kapal Nelayan",), ("Budidaya Ikan",),
    ],
    "usaha": [
        ("UMKM", "Usaha Mikro Kecil dan Menengah", "UKM"), ("Koperasi Simpan Pinjam",),
        ("Pasar Rakyat",), ("Harga Bahan Pokok",), ("Metrologi Legal",),
        ("Produk Halal",), ("Pedagang Kaki Lima",), ("Industri Kecil Menengah", "IKM"),
        ("Pameran Produk Unggulan",), ("Investasi Daerah",), ("Kawasan Industri",),
        ("Ekspor Produk Lokal",), ("Pangan Industri Rumah Tangga", "P-IRT"),
        ("Gudang Sembako",), ("Waralaba",),
    ],
    "pekerjaan_umum": [
        ("Jalan Lingkungan",), ("Jembatan",), ("Drainase",), ("Trotoar",),
        ("Penerangan Jalan Umum", "PJU"), ("Sistem Penyediaan Air Minum", "SPAM"),
        ("Air Limbah Domestik",), ("Rusunawa",), ("Kawasan Kumuh",), ("Tanah Makam",),
        ("Rencana Detail Tata Ruang", "RDTR"), ("Rantai Pasok Konstruksi",),
        ("Tenaga Ahli Konstruksi",),
        ("Peralatan Berat",), ("Bangunan Gedung Negara",), ("Sumur Resapan",),
    ],
    "lingkungan": [
        ("Bank Sampah",), ("Tempat Penampungan Sementara", "TPS"),
        ("Tempat Pemrosesan Akhir", "TPA"), ("Ruang Terbuka Hijau", "RTH"),
        ("AMDAL", "Analisis Mengenai Dampak Lingkungan"), ("UKL-UPL",),
        ("Kualitas Udara",), ("Kualitas Air Sungai",), ("Limbah B3",), ("Pohon Peneduh",),
        ("Taman Kota",), ("Kebisingan",), ("Emisi Kendaraan",), ("Adipura",),
    ],
    "perhubungan": [
        ("Kelaikan Kendaraan Bermotor",), ("Terminal Penumpang",), ("Rambu Lalu Lintas",),
        ("Angkutan Massal",), ("Parkir Tepi Jalan",), ("Halte",),
        ("Manajemen Rekayasa Lalu Lintas",),
        ("Angkutan Sekolah",), ("Lampu Lalu Lintas",), ("Pelabuhan Pengumpan",),
        ("Rute Angkot",), ("Juru Parkir",),
    ],
    "ketertiban": [
        ("Peraturan Daerah", "Perda"), ("Ketenteraman Ketertiban Umum",),
        ("Linmas", "Perlindungan Masyarakat"),
        ("Bangunan Liar",), ("Minuman Beralkohol",), ("Pemadam Kebakaran",), ("Bencana Banjir",),
        ("Tanah Longsor",), ("Hidran Kebakaran",), ("Relawan Bencana",), ("Pengungsi",),
        ("Logistik Bencana",),
    ],
    "tenaga_kerja": [
        ("Pencari Kerja",), ("Kartu Kuning",), ("Balai Vokasi",), ("Upah Minimum",),
        ("Perselisihan Hubungan Industrial",), ("Keselamatan Kesehatan Kerja",),
        ("Tenaga Kerja Asing",), ("Pekerja Migran",), ("Bursa Kerja",), ("Pemagangan",),
    ],
    "kominfo": [
        ("Website Resmi",), ("Jaringan Intranet",), ("Ruang Server",), ("Aplikasi Layanan Publik",),
        ("Statistik Sektoral",), ("Persandian",), ("Keterbukaan Informasi Publik",),
        ("Media Sosial Resmi",), ("Hoaks",), ("Nama Domain",), ("Menara Telekomunikasi",),
    ],
    "pariwisata": [
        ("Destinasi Wisata",), ("Usaha Pariwisata",), ("Festival Budaya",), ("Cagar Budaya",),
        ("Sanggar Seni",), ("Pemandu Wisata",), ("Homestay",), ("Ekonomi Kreatif",),
        ("Museum Daerah",), ("Atlet Berprestasi",), ("Organisasi Kepemudaan",),
        ("Gelanggang Olahraga",),
    ],
    "pertanahan": [
        ("Sengketa Tanah",), ("Tanah Kas Desa",), ("Pengadaan Tanah",), ("Sertifikat Tanah Wakaf",),
        ("Batas Bidang Tanah",), ("Reforma Agraria",), ("Tanah Terlantar",),
    ],
    "perempuan_anak": [
        ("Kekerasan dalam Rumah Tangga", "KDRT"), ("Kota Layak Anak",), ("Pengarusutamaan Gender",),
        ("Forum Anak",), ("Keluarga Berencana", "KB"), ("Perkawinan Anak",),
        ("Kampung Keluarga Berkualitas",),
        ("Pusat Pembelajaran Keluarga",), ("Pekerja Anak",),
    ],
    "perpustakaan": [
        ("Arsip Statis",), ("Koleksi Perpustakaan",), ("Perpustakaan Keliling",),
        ("Naskah Kuno",), ("Minat Baca",), ("Depot Arsip",), ("Pustakawan",),
    ],
}

# Which kinds of work make sense for each sector's objects (nobody "collects" a KTP-el).
_A = {a[0]: i for i, a in enumerate(ACTIONS)}
SECTOR_ACTIONS: dict[str, list[str]] = {
    "kependudukan": ["Penerbitan", "Pendaftaran", "Verifikasi", "Pengesahan", "Pemberian",
                     "Penerimaan", "Pengolahan", "Pemeriksaan", "Sosialisasi", "Penetapan"],
    "perizinan": ["Penerbitan", "Pendaftaran", "Verifikasi", "Pemeriksaan", "Pengawasan",
                  "Penetapan", "Pemantauan", "Penilaian", "Sosialisasi", "Pengesahan"],
    "pendapatan": ["Penagihan", "Pemungutan", "Penetapan", "Pendaftaran", "Verifikasi",
                   "Penerbitan", "Pemeriksaan", "Pemantauan", "Sosialisasi", "Penilaian"],
    "sosial": ["Penyaluran", "Verifikasi", "Pemberian", "Pendampingan", "Perlindungan",
               "Pemberdayaan", "Penanganan", "Penerbitan", "Rehabilitasi", "Pemantauan"],
    "kesehatan": ["Pemeriksaan", "Pencegahan", "Pengendalian", "Penanganan", "Pemantauan",
                  "Pembinaan", "Pengawasan", "Sosialisasi", "Pengujian", "Penerbitan"],
    "pendidikan": ["Pembinaan", "Penyaluran", "Penilaian", "Penerimaan", "Penerbitan",
                   "Verifikasi", "Pelatihan", "Pemantauan", "Pemberian", "Penataan"],
    "pertanian": ["Penyaluran", "Pembinaan", "Pengendalian", "Pemeriksaan", "Pelatihan",
                  "Pendampingan", "Pengawasan", "Pemberdayaan", "Inventarisasi", "Pemetaan"],
    "usaha": ["Pembinaan", "Pengawasan", "Pelatihan", "Promosi", "Pendampingan", "Pemberdayaan",
              "Pemantauan", "Pendaftaran", "Pengujian", "Penataan"],
    "pekerjaan_umum": ["Pemeliharaan", "Rehabilitasi", "Pengawasan", "Penataan",
                       "Inventarisasi", "Pemetaan", "Pengujian", "Pembinaan", "Penilaian",
                       "Pengukuran"],
    "lingkungan": ["Pengawasan", "Pemantauan", "Pengendalian", "Pembinaan", "Pemeliharaan",
                   "Pengujian", "Penilaian", "Pengolahan", "Penataan", "Inventarisasi"],
    "perhubungan": ["Pengujian", "Pengawasan", "Pemeliharaan", "Penataan", "Pengendalian",
                    "Penerbitan", "Pemantauan", "Pembinaan", "Penagihan", "Penetapan"],
    "ketertiban": ["Penanganan", "Pencegahan", "Pengawasan", "Pelatihan", "Penegakan",
                   "Pemetaan", "Penyaluran",
                   "Inventarisasi", "Sosialisasi", "Perlindungan"],
    "tenaga_kerja": ["Pelatihan", "Pendaftaran", "Penerbitan", "Pengawasan", "Penanganan",
                     "Penempatan", "Perlindungan",
                     "Pemantauan", "Penetapan", "Verifikasi"],
    "kominfo": ["Pengolahan", "Pemeliharaan", "Pengendalian", "Penataan", "Pemantauan",
                "Penanganan", "Pengawasan", "Pengujian", "Pendaftaran",
                "Publikasi"],
    "pariwisata": ["Promosi", "Pembinaan", "Pelatihan", "Pemberdayaan", "Pemeliharaan",
                   "Penetapan", "Pendaftaran", "Perlindungan", "Penilaian", "Pendampingan"],
    "pertanahan": ["Penanganan", "Inventarisasi", "Pengukuran", "Pemetaan", "Penetapan",
                   "Verifikasi", "Pengesahan", "Penataan"],
    "perempuan_anak": ["Pencegahan", "Penanganan", "Pendampingan", "Perlindungan",
                       "Pemberdayaan", "Sosialisasi", "Pembinaan", "Pemantauan"],
    "perpustakaan": ["Pengolahan", "Pemeliharaan", "Inventarisasi", "Penilaian", "Pembinaan",
                     "Promosi", "Penerimaan", "Perlindungan"],
}

# Qualifiers: who or where. Combined with a head, they make each OPD's objects its own.
QUALIFIERS: list[str] = [
    "bagi Nelayan", "bagi Petani Muda", "bagi Penyandang Disabilitas", "bagi Lansia",
    "bagi Perempuan Kepala Keluarga", "bagi Pelajar", "bagi Mahasiswa", "bagi Pemuda",
    "bagi Ibu Hamil", "bagi Balita", "bagi Anak Sekolah", "bagi Buruh Harian",
    "bagi Pekerja Informal", "bagi Pengemudi Ojek", "bagi Pedagang Pasar", "bagi Veteran",
    "bagi Tokoh Agama", "bagi Kader Posyandu", "bagi Guru Ngaji", "bagi Santri",
    "bagi Penghuni Rusunawa", "bagi Warga Bantaran Sungai", "bagi Masyarakat Adat",
    "bagi Transmigran", "bagi Perantau", "bagi Wisatawan", "bagi Investor Asing",
    "bagi Koperasi Wanita", "bagi Kelompok Ternak", "bagi Pembudidaya Rumput Laut",
    "di Kawasan Pesisir", "di Kawasan Perbatasan", "di Daerah Aliran Sungai",
    "di Kawasan Pegunungan", "di Pulau Terluar", "di Kawasan Kumuh Perkotaan",
    "di Pasar Induk", "di Terminal Tipe C", "di Kawasan Wisata Pantai", "di Bantaran Rel",
    "di Kawasan Hutan Kota", "di Lingkungan Sekolah", "di Rumah Ibadah", "di Pondok Pesantren",
    "di Kawasan Industri Kecil", "di Perumahan Baru", "di Kampung Nelayan",
    "di Kawasan Transmigrasi",
    "di Sentra Kerajinan", "di Kawasan Agropolitan", "di Kawasan Minapolitan", "di Jalur Mudik",
    "di Lokasi Rawan Banjir", "di Lereng Gunung", "di Kawasan Bandara", "di Stasiun Kereta",
    "Berbasis Digital", "Berbasis Komunitas", "Secara Daring", "Secara Luring", "Keliling",
    "Jemput Bola", "Sistem Antrean Elektronik", "Melalui Aplikasi Seluler", "Akhir Pekan",
    "Malam Hari", "Masa Pandemi", "Pascabencana", "Prabencana", "Musim Kemarau", "Musim Hujan",
    "Hari Besar Keagamaan", "Tahun Ajaran Baru", "Menjelang Pemilu", "Skala Kecil",
    "Skala Menengah", "Skala Besar", "Tahap Awal", "Tahap Lanjutan", "Jangka Pendek",
    "Bersertifikat", "Berstandar Nasional", "Ramah Lingkungan", "Hemat Energi", "Tenaga Surya",
    "Kawasan Pinggiran", "Kawasan Pusat Kota", "Kampung Tematik", "Desa Wisata", "Kampung Iklim",
    "Klaster Batik", "Klaster Kopi", "Klaster Kakao", "Klaster Sapi Perah", "Klaster Tenun",
    "Klaster Mebel", "Klaster Kerupuk", "Klaster Gerabah", "Klaster Bambu", "Klaster Anyaman",
    "Wilayah Utara", "Wilayah Selatan", "Wilayah Timur", "Wilayah Barat", "Wilayah Tengah",
    "Bersama Perguruan Tinggi", "Bersama Dunia Usaha", "Bersama Tokoh Masyarakat",
    "Bersama TNI Polri", "Bersama Lembaga Swadaya", "Bersama Organisasi Profesi",
    "Tipe Rumah Tapak", "Golongan Rentan", "Golongan Miskin Ekstrem", "Korban Banjir Rob",
    "Kategori Darurat", "Kategori Reguler", "Kategori Khusus", "Jalur Prestasi", "Jalur Afirmasi",
    "Jalur Zonasi", "Jalur Mutasi", "Gelombang Pertama", "Gelombang Kedua", "Semester Ganjil",
    "Semester Genap", "Triwulan Pertama", "Triwulan Kedua", "Triwulan Ketiga", "Triwulan Keempat",
    "Sektor Perikanan Tangkap", "Sektor Perkebunan Rakyat", "Sektor Kuliner", "Sektor Fesyen",
    "Sektor Kriya", "Sektor Jasa Boga", "Sektor Logistik", "Sektor Otomotif", "Sektor Farmasi",
    "Sektor Peternakan Unggas", "Sektor Garam Rakyat", "Sektor Batu Bata", "Sektor Konveksi",
    "Komoditas Cabai", "Komoditas Bawang Merah", "Komoditas Jagung", "Komoditas Kedelai",
    "Komoditas Beras", "Komoditas Gula", "Komoditas Minyak Goreng", "Komoditas Telur",
    "Komoditas Daging", "Komoditas Ikan Segar", "Pola Kemitraan", "Pola Swakelola",
    "Model Inkubasi", "Model Percontohan", "Program Unggulan Wali Kota", "Gerakan Gotong Royong",
]



def _disjoint(phrases: list[str]) -> list[str]:
    """Keep qualifiers that share no word with an earlier one.

    Why: "Klaster Kopi" and "Klaster Kakao" would make two OPDs' background processes
    near-duplicates that nobody planted, blurring the ground truth.
    """
    seen: set[str] = set()
    kept = []
    for q in phrases:
        words = {w.casefold() for w in q.split()} - {"bagi", "di", "secara", "dan"}
        if not words & seen:
            kept.append(q)
            seen |= words
    return kept


_PLACE_HEAD = ["Suka", "Karang", "Mulyo", "Tanjung", "Sumber", "Banjar", "Sido", "Wono",
               "Purwo", "Tegal", "Batu", "Kali", "Gunung", "Margo", "Tirto", "Jati", "Yoso",
               "Ngaba", "Lebak", "Pasir"]
_PLACE_TAIL = ["maju", "rejo", "sari", "harjo", "asri", "jaya", "makmur", "agung", "mukti",
               "sentosa", "dadi", "wangi", "kencana", "indah", "rahayu", "mekar", "luhur",
               "laras", "wetan", "kulon"]
# Short qualifiers only: a three-word qualifier would outweigh the object it qualifies.
QUALIFIERS = [
    q for q in _disjoint(QUALIFIERS)
    if len(set(q.casefold().split()) - {"bagi", "di", "secara"}) <= 2
] + [f"di {h}{t}" for h in _PLACE_HEAD for t in _PLACE_TAIL]  # village names: one token each

CUSTOMERS: dict[str, list[str]] = {
    "kependudukan": ["Masyarakat", "Penduduk Pindahan", "Orang Tua"],
    "perizinan": ["Pelaku Usaha", "Pemohon Izin", "Investor"],
    "pendapatan": ["Wajib Pajak", "Wajib Retribusi", "Notaris"],
    "sosial": ["Keluarga Miskin", "Penerima Bantuan", "Masyarakat"],
    "kesehatan": ["Pasien", "Ibu Hamil", "Masyarakat", "Tenaga Kesehatan"],
    "pendidikan": ["Siswa", "Guru", "Orang Tua Murid", "Satuan Pendidikan"],
    "pertanian": ["Petani", "Peternak", "Nelayan"],
    "usaha": ["Pelaku Usaha", "Pedagang", "Konsumen"],
    "pekerjaan_umum": ["Masyarakat", "Penyedia Jasa", "Pengguna Jalan"],
    "lingkungan": ["Masyarakat", "Pelaku Usaha", "Bank Sampah Unit"],
    "perhubungan": ["Pengguna Jalan", "Pengusaha Angkutan", "Penumpang"],
    "ketertiban": ["Masyarakat", "Korban Bencana", "Pelanggar Perda"],
    "tenaga_kerja": ["Pencari Kerja", "Pekerja", "Perusahaan"],
    "kominfo": ["Perangkat Daerah", "Masyarakat", "Media Massa"],
    "pariwisata": ["Wisatawan", "Pelaku Seni", "Pemuda"],
    "pertanahan": ["Pemilik Tanah", "Masyarakat"],
    "perempuan_anak": ["Anak", "Perempuan", "Keluarga"],
    "perpustakaan": ["Pemustaka", "Perangkat Daerah", "Pelajar"],
}

# Support processes every OPD runs for itself: written alike everywhere, never an overlap.
SUPPORT: list[tuple[str, ...]] = [
    ("Pengelolaan Keuangan", "Penatausahaan Keuangan", "Pengelolaan Keuangan Perangkat Daerah"),
    ("Pengelolaan Kepegawaian", "Administrasi Kepegawaian", "Pengelolaan Administrasi Kepegawaian"),
    ("Penyusunan Renja", "Penyusunan Rencana Kerja", "Penyusunan Renja Perangkat Daerah"),
    ("Penyusunan Renstra", "Penyusunan Rencana Strategis"),
    ("Penyusunan LKjIP", "Penyusunan Laporan Kinerja Instansi Pemerintah", "Penyusunan LAKIP"),
    ("Pengelolaan Arsip Dinamis", "Pengelolaan Kearsipan", "Penataan Arsip"),
    ("Pengelolaan Barang Milik Daerah", "Penatausahaan BMD", "Pengelolaan Aset"),
    ("Pelayanan Rumah Tangga", "Pengelolaan Rumah Tangga dan Perlengkapan"),
    ("Penyusunan Laporan Keuangan", "Penyusunan Laporan Keuangan Akhir Tahun"),
    ("Pengelolaan Gaji dan Tunjangan", "Penggajian Pegawai", "Pembayaran Gaji Pegawai"),
    ("Penyusunan RKA", "Penyusunan Rencana Kerja dan Anggaran"),
    ("Penyusunan DPA", "Penyusunan Dokumen Pelaksanaan Anggaran"),
    ("Pengelolaan Persuratan", "Pelayanan Tata Usaha dan Persuratan"),
    ("Evaluasi Kinerja Perangkat Daerah", "Evaluasi Kinerja"),
]
SUPPORT_OUTPUTS = ["Laporan", "Dokumen", "Laporan Keuangan", "Arsip", "SPJ"]

# Territorial services: every kecamatan / kelurahan does them for its own area.
KECAMATAN: list[tuple[str, ...]] = [
    ("Pelayanan PATEN", "Pelayanan Administrasi Terpadu Kecamatan"),
    ("Penerbitan Surat Keterangan Domisili Usaha", "Pembuatan Surat Keterangan Domisili Usaha"),
    ("Rekomendasi Izin Keramaian", "Penerbitan Rekomendasi Izin Keramaian"),
    ("Pembinaan Ketenteraman dan Ketertiban Wilayah", "Pembinaan Trantib Wilayah"),
    ("Penyelenggaraan Musrenbang Kecamatan", "Pelaksanaan Musrenbang Kecamatan"),
    ("Legalisasi Surat Keterangan Ahli Waris", "Pengesahan Surat Keterangan Ahli Waris"),
    ("Pembinaan Lembaga Kemasyarakatan Kelurahan", "Pembinaan LPM Kelurahan"),
    ("Pemantauan Kebersihan Lingkungan Kecamatan",),
]
KELURAHAN: list[tuple[str, ...]] = [
    ("Penerbitan Surat Pengantar Kependudukan", "Pembuatan Surat Pengantar Kependudukan"),
    ("Pendataan Warga Pendatang", "Pencatatan Warga Pendatang"),
    ("Pembinaan Rukun Tetangga dan Rukun Warga", "Pembinaan RT RW"),
    ("Penerbitan Surat Keterangan Kelahiran", "Pembuatan Surat Keterangan Kelahiran"),
    ("Penerbitan Surat Keterangan Kematian", "Pembuatan Surat Keterangan Kematian"),
    ("Pemberdayaan Kader PKK Kelurahan",),
]
# Names made of generic words only, possibly with different objects: never an overlap.
GENERIC_FRAMES = [
    "Pelayanan Administrasi", "Penyelenggaraan Urusan Pemerintahan",
    "Koordinasi dan Fasilitasi Kegiatan",
    "Pelaksanaan Kegiatan Teknis Operasional", "Pengelolaan Data dan Dokumen",
    "Penyelenggaraan Layanan Umum", "Fasilitasi Pelaksanaan Program",
]

OWNER_TYPES = [("dinas", 0.50), ("badan", 0.15), ("kecamatan", 0.12), ("kelurahan", 0.18),
               ("sekretariat", 0.05)]


def _clash(head: str, qualifier: str) -> bool:
    """True when a qualifier repeats a word of the head ("Sertifikat ... Bersertifikat")."""
    h = head.casefold()
    words = [w for w in qualifier.casefold().split() if len(w) >= 4]
    return any(w in h or any(x in w for x in h.split() if len(x) >= 4) for w in words)


@dataclass(frozen=True)
class SynthSet:
    records: list[ProcessRecord]
    planted: frozenset[tuple[str, str]]
    n_opd: int


@dataclass
class _Opd:
    oid: str
    otype: str
    sector: str
    maps: int = 0
    in_map: int = 0
    seq: int = 0


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class _Builder:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.records: list[ProcessRecord] = []
        self.planted: set[tuple[str, str]] = set()
        self.used_objects: set[tuple[int, int, int]] = set()
        sectors = list(SECTORS)
        n_opd = max(12, n // 40)
        types = [t for t, _ in OWNER_TYPES]
        weights = [w for _, w in OWNER_TYPES]
        self.opds: list[_Opd] = []
        for k in range(n_opd):
            otype = types[k % len(types)] if k < len(types) else self.rng.choices(types, weights)[0]
            self.opds.append(_Opd(f"opd{k:05d}", otype, sectors[k % len(sectors)]))
        self.service_opds = [o for o in self.opds if o.otype in ("dinas", "badan", "sekretariat")]

    # -- helpers
    def _code(self, opd: _Opd) -> tuple[str, str]:
        if opd.in_map == 0 or opd.in_map >= 8:
            opd.maps += 1
            opd.in_map = 0
        opd.in_map += 1
        map_code = f"PB.{opd.oid[3:]}.{opd.maps:02d}"
        return f"{map_code}.{opd.in_map:02d}", map_code

    def _add(self, opd: _Opd, name: str, outputs: list[str], customers: list[str],
             category: str | None) -> ProcessRecord:
        code, map_code = self._code(opd)
        rec = ProcessRecord(code=code, name=name, outputs=tuple(outputs),
                            customers=tuple(customers), owner=opd.oid, owner_type=opd.otype,
                            category=category, map_code=map_code)
        self.records.append(rec)
        return rec

    def _style(self, text: str) -> str:
        """Case and punctuation noise that must not change the canonical tokens."""
        r = self.rng.random()
        if r < 0.15:
            text = text.upper()
        elif r < 0.3:
            text = text.lower()
        r = self.rng.random()
        if r < 0.15:
            text = text + "."
        elif r < 0.25:
            text = "  " + text.replace(" ", "  ") + " "
        elif r < 0.32:
            text = f'"{text}"'
        return text

    # -- background: ordinary, distinct processes
    def _object(self, sector: str) -> tuple[int, int, int] | None:
        heads = SECTORS[sector]
        s_idx = list(SECTORS).index(sector)
        for _ in range(50):
            obj = (s_idx, self.rng.randrange(len(heads)), self.rng.randrange(len(QUALIFIERS)))
            if obj not in self.used_objects and not _clash(heads[obj[1]][0], QUALIFIERS[obj[2]]):
                self.used_objects.add(obj)
                return obj
        return None

    def background(self, opd: _Opd) -> list[ProcessRecord]:
        sector = opd.sector
        obj = self._object(sector)
        if obj is None:  # this sector is saturated: borrow another one
            sector = self.rng.choice(list(SECTORS))
            obj = self._object(sector)
            if obj is None:
                return []
        _, h, q = obj
        head = SECTORS[sector][h][0]
        qual = QUALIFIERS[q]
        out: list[ProcessRecord] = []
        allowed = [_A[x] for x in SECTOR_ACTIONS[sector]]
        for a in self.rng.sample(allowed, self.rng.choice((1, 2, 2, 3))):
            noun = ACTIONS[a][0]
            name = f"{noun} {head} {qual}"
            outputs = [f"{head} {qual}"] if a == 0 else [f"Laporan {noun} {head} {qual}"]
            customers = self.rng.sample(CUSTOMERS[sector], 1)
            out.append(self._add(opd, name, outputs, customers,
                                 self.rng.choice(("inti", "inti", "manajemen", None))))
        return out

    # -- planted duplicates
    def paraphrase(self, rec: ProcessRecord, sector: str, head: Head, action: int,
                   qual: str) -> tuple[str, list[str]]:
        rng = self.rng
        noun, active, passive, syns = ACTIONS[action]
        head_v = rng.choice(head[1:]) if len(head) > 1 and rng.random() < 0.85 else head[0]
        qual_v = qual
        if qual.startswith(("bagi ", "di ")) and rng.random() < 0.5:
            rest = qual.split(" ", 1)[1]
            qual_v = rng.choice((f"untuk {rest}", f"kepada {rest}", rest))
        form = rng.random()
        if form < 0.25:
            name = f"{active} {head_v} {qual_v}"
        elif form < 0.45:
            name = f"{head_v} {qual_v} {passive}"
        elif form < 0.65 and syns:
            name = f"{rng.choice(syns)} {head_v} {qual_v}"
        elif form < 0.8:
            name = f"{head_v} {qual_v}: {noun}"
        else:
            if rng.random() < 0.5:
                name = f"{noun} {qual_v}, {head_v}"
            else:
                name = f"{noun} {head_v} {qual_v}"
        if rng.random() < 0.3:
            name = f"{rng.choice(('Pelayanan', 'Penyelenggaraan', 'Kegiatan', 'Layanan'))} {name}"
        outputs = [o.replace(head[0], head_v) for o in rec.outputs]
        return self._style(name), [self._style(o) for o in outputs]

    def plant(self, base: ProcessRecord, info: tuple[str, Head, int, str]) -> None:
        sector, head, action, qual = info
        choices = [o for o in self.opds if o.oid != base.owner and o.otype != "kelurahan"]
        opd = self.rng.choice(choices)
        name, outputs = self.paraphrase(base, sector, head, action, qual)
        customers = list(base.customers)
        if customers == ["Masyarakat"] and self.rng.random() < 0.5:
            customers = [self.rng.choice(("Warga", "Publik", "warga masyarakat"))]
        rec = self._add(opd, name, outputs, customers, self.rng.choice(("inti", None)))
        self.planted.add(_pair(base.code, rec.code))

    # -- near misses
    def support(self, opd: _Opd) -> None:
        for group in self.rng.sample(SUPPORT, self.rng.randint(2, 4)):
            name = self._style(self.rng.choice(group))
            cat = self.rng.choice(("pendukung", "pendukung", "manajemen", None))
            self._add(opd, name, [self.rng.choice(SUPPORT_OUTPUTS)], ["Perangkat Daerah"], cat)

    def territorial(self, opd: _Opd) -> None:
        table = KECAMATAN if opd.otype == "kecamatan" else KELURAHAN
        for group in table:
            name = self._style(self.rng.choice(group))
            self._add(opd, name, ["Surat Keterangan", "Laporan"], ["Masyarakat"], "inti")

    def generic(self, opd: _Opd) -> None:
        frame = self.rng.choice(GENERIC_FRAMES)
        obj = self._object(self.rng.choice(list(SECTORS))) if self.rng.random() < 0.5 else None
        if obj is None:
            name = frame
        else:  # generic frame + an object of its own: shares only generic words with others
            name = f"{frame} {SECTORS[list(SECTORS)[obj[0]]][obj[1]][0]} {QUALIFIERS[obj[2]]}"
        self._add(opd, self._style(name), ["Dokumen", "Data"], ["Masyarakat"], None)


def generate(n: int, seed: int = 19, planted_share: float = 0.03) -> SynthSet:
    """About ``n`` records (exactly n), of which ``planted_share * n`` planted duplicate pairs."""
    b = _Builder(n, seed)
    rng = b.rng
    for opd in b.opds:
        if len(b.records) >= n:
            break
        b.support(opd)
        if opd.otype in ("kecamatan", "kelurahan"):
            b.territorial(opd)
        if rng.random() < 0.3:
            b.generic(opd)
    n_planted = int(n * planted_share)
    bases: list[tuple[ProcessRecord, tuple[str, Head, int, str]]] = []
    opd_cycle = 0
    target_background = n - n_planted
    misses = 0
    while len(b.records) < target_background:
        opd = b.service_opds[opd_cycle % len(b.service_opds)]
        opd_cycle += 1
        made = b.background(opd)
        misses = 0 if made else misses + 1
        if misses > 1000:
            raise RuntimeError(f"vocabulary exhausted at {len(b.records)} records")
        for rec in made:
            # remember how to paraphrase it: parse back from the known structure
            bases.append((rec, _describe(rec)))
    del b.records[target_background:]
    kept = {r.code for r in b.records}
    bases = [x for x in bases if x[0].code in kept]
    for base, info in rng.sample(bases, min(n_planted, len(bases))):
        b.plant(base, info)
    while len(b.records) < n:  # top up when there were fewer bases than planned
        b.background(rng.choice(b.service_opds))
    del b.records[n:]
    kept = {r.code for r in b.records}
    planted = frozenset(p for p in b.planted if p[0] in kept and p[1] in kept)
    return SynthSet(records=b.records, planted=planted, n_opd=len(b.opds))


def _describe(rec: ProcessRecord) -> tuple[str, Head, int, str]:
    """Recover (sector, head, action, qualifier) of a background record from its name."""
    for a, (noun, *_rest) in enumerate(ACTIONS):
        if rec.name.startswith(noun + " "):
            rest = rec.name[len(noun) + 1 :]
            for sector, heads in SECTORS.items():
                for head in heads:
                    if rest.startswith(head[0] + " ") and rest[len(head[0]) + 1 :] in _QUAL_SET:
                        return sector, head, a, rest[len(head[0]) + 1 :]
    raise ValueError(f"not a background record: {rec.name!r}")


_QUAL_SET = frozenset(QUALIFIERS)


if __name__ == "__main__":  # a quick look at what the generator produces
    data = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    for r in data.records[:40]:
        print(r.code, r.owner, r.owner_type, r.category, "|", r.name, "|", list(r.outputs))
    print(len(data.records), "records,", len(data.planted), "planted pairs,", data.n_opd, "OPDs")
    by_code = {r.code: r for r in data.records}
    for a, c in sorted(data.planted)[:15]:
        print(f"  {by_code[a].name!r:70} ~ {by_code[c].name!r}")
