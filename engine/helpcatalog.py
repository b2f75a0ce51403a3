"""Indonesian and English of the ``--help`` texts of probis's commands and of the commands its
bundled plugins add (engine/helptext.py shows them in the run's language). The English text
is the one written at the command; edit both together (tests/engine/test_one_language.py
finds a help page that falls back to the other language)."""

from __future__ import annotations

from .i18n import Text, text

_LANG = text(id="Bahasa setiap teks (bawaan: PROBIS_LANG, selain itu id).",
             en="Language of every text (default: PROBIS_LANG, else id).")

PAIRS: list[Text] = [
    # click's usage line
    text(id="[OPSI]", en="[OPTIONS]"),
    text(id="PERINTAH [ARG]...", en="COMMAND [ARGS]..."),
    # the probis group and the --lang option every command shares
    text(id="probis: audit peta proses bisnis (Peta Proses Bisnis) sebuah Pemda.\n\n"
            "Mulailah dengan `probis check sample_maps/kota-metro`.",
         en="probis: audit business process maps (Peta Proses Bisnis) of a Pemda.\n\n"
            "Start with `probis check sample_maps/kota-metro`."),
    _LANG,
    text(id="Tampilkan versi lalu keluar.", en="Show the version and exit."),
    # click makes (and keeps) its --help option once, in the language of that moment
    text(id="Tampilkan pesan ini lalu keluar.", en="Show this message and exit."),
    text(id="PROBIS_LANG atau id", en="PROBIS_LANG or id"),
    text(id="Bahasa teksnya.", en="Language of the text."),
    text(id="Bahasa pesannya.", en="Language of messages."),
    # check
    text(id="Audit WORKSPACE (folder berisi probis.yaml) dan laporkan temuan berskor.",
         en="Audit WORKSPACE (a folder with probis.yaml) and report scored findings."),
    text(id="Format laporan (terminal, json, ...); ulangi bersama -o untuk beberapa keluaran.",
         en="Report format (terminal, json, ...); repeat with -o for several outputs."),
    text(id="Tulis laporan ke FILE (secara atomik; `-` berarti keluaran standar); berpasangan "
            "dengan -f menurut urutan; tanpa -f formatnya mengikuti akhiran nama FILE (.json "
            ".html .md .sarif .xml .pdf .docx .txt).",
         en="Write the report to FILE (atomically; `-` is standard output); pairs with -f in "
            "order; without -f the format follows FILE's extension (.json .html .md .sarif "
            ".xml .pdf .docx .txt)."),
    text(id="Keluar dengan kode 1 bila ada temuan pada tingkat ini atau di atasnya.",
         en="Exit 1 when a finding is at or above this severity."),
    text(id="Tanggal audit untuk aturan yang bergantung pada tanggal (bawaan: hari ini).",
         en="Audit date for date-dependent rules (default: today)."),
    text(id="Proses pekerja untuk memuat, mengevaluasi, dan laporan JSON yang besar "
            "(bawaan 0: satu per inti prosesor); laporannya sama untuk setiap nilai.",
         en="Worker processes for loading, evaluation and a large JSON report (default 0: "
            "one per core); the report is the same for every value."),
    text(id="Cetak traceback lengkap setiap kegagalan plugin (ENG001) ke stderr.",
         en="Print the full traceback of every plugin failure (ENG001) on stderr."),
    text(id="Laporan terminal: semua temuan, tidak hanya sepuluh yang pertama.",
         en="Terminal report: every finding, not only the first ten."),
    text(id="Laporan JSON dari audit sebelumnya: tandai tiap temuan sebagai baru atau masih "
            "terbuka, daftar yang sudah diperbaiki, dan perubahan skor per OPD.",
         en="JSON report of an earlier run: mark each finding new or still open, list the "
            "fixed ones and the score change per OPD."),
    # check-many
    text(id="Audit setiap ruang kerja di bawah FOLDER dan urutkan Pemda menurut skornya.",
         en="Audit every workspace below FOLDER and rank the Pemda by score."),
    text(id="Keluar dengan kode 1 bila satu ruang kerja punya temuan pada tingkat ini atau di "
            "atasnya.",
         en="Exit 1 when a workspace has a finding at or above this severity."),
    text(id="Tulis satu laporan JSON per ruang kerja, ranking.json dan ranking.md ke sini.",
         en="Write one JSON report per workspace, ranking.json and ranking.md here."),
    text(id="Proses pekerja lokal, satu ruang kerja masing-masing (bawaan 0: satu per inti "
            "prosesor).",
         en="Local worker processes, one workspace each (default 0: one per core)."),
    text(id="Jalankan ruang kerjanya di sini atau di klaster Dask.",
         en="Run the workspaces here or on a Dask cluster."),
    text(id="Alamat penjadwal Dask (bersama --executor dask), mis. tcp://host:8786.",
         en="Address of the Dask scheduler (with --executor dask), e.g. tcp://host:8786."),
    # rules, explain, plugins, new-plugin, docs
    text(id="Daftar semua aturan dengan id, tingkat, himpunan aturan, dan judulnya.",
         en="List every rule with id, severity, rule set and title."),
    text(id="Hanya aturan dari himpunan aturan ini (namanya dalam bahasa Indonesia atau "
            "Inggris).",
         en="Only rules of this rule set (its English or Indonesian name)."),
    text(id="Cetak dokumentasi lengkap satu aturan, misalnya REG005.",
         en="Print the full documentation of one rule, such as REG005."),
    text(id="Daftar plugin yang dimuat dengan versi, kait (hook) yang diisinya, dan id "
            "aturannya.",
         en="List loaded plugins with version, implemented hooks and rule ids."),
    text(id="Cetak traceback lengkap setiap kegagalan plugin ke stderr.",
         en="Print the full traceback of every plugin failure on stderr."),
    text(id="Buat kerangka paket plugin NAME (mis. perda-banjir) yang ujinya langsung lulus.",
         en="Create a plugin package skeleton NAME (e.g. perda-banjir) whose tests pass at "
            "once."),
    text(id="Folder tempat paket dibuat.", en="Folder to create the package in."),
    text(id="Awalan id aturan, 2-5 huruf kapital (bawaan: dari NAME).",
         en="Rule id prefix, 2-5 capital letters (default: from NAME)."),
    text(id="Tulis satu halaman Markdown per aturan dan sebuah indeks ke DIRECTORY (seperti "
            "docs/rules/).",
         en="Write one Markdown page per rule and an index into DIRECTORY (as docs/rules/)."),
    text(id="Tulis halaman aturan plugin ini (bawaan: aturan probis sendiri).",
         en="Write the pages of this plugin's rules (default: probis's own rules)."),
    # diff, init, schema, validate (engine/commands)
    text(id="Bandingkan dua laporan JSON dari `probis check -f json`: temuan baru, masih "
            "terbuka, dan sudah diperbaiki (menurut sidik jari), perubahan skor dan nilai "
            "per OPD. Keluar dengan kode 1 bila ada temuan baru.",
         en="Compare two JSON reports of `probis check -f json`: new, still open and fixed "
            "findings\n(by fingerprint), score and grade change per OPD. Exit 1 when there is "
            "a new finding."),
    text(id="Format keluaran.", en="Output format."),
    text(id="Tulis ke FILE (secara atomik), bukan ke keluaran standar.",
         en="Write to FILE (atomically) instead of standard output."),
    text(id="Buat ruang kerja baru di DIRECTORY dengan templat berkomentar untuk diisi "
            "(berbahasa Indonesia).",
         en="Create a new workspace in DIRECTORY with commented templates to fill in "
            "(Indonesian)."),
    text(id='Nama Pemda, mis. "Pemerintah Kabupaten Contoh".',
         en='Name of the Pemda, e.g. "Pemerintah Kabupaten Contoh".'),
    text(id="Berkas SOTK yang sudah ada (kind: sotk) untuk disalin ke dalamnya.",
         en="An existing SOTK file (kind: sotk) to copy in."),
    text(id='Satu OPD dari SOTK baru yang masih kosong (ulangi), mis. --opd '
            '"dinkes=Dinas Kesehatan".',
         en='An OPD of a new, empty SOTK (repeat), e.g. --opd "dinkes=Dinas Kesehatan".'),
    text(id="Periode RPJMD, mis. 2025-2029.", en="RPJMD period, e.g. 2025-2029."),
    text(id="Tulis ke folder yang tidak kosong.", en="Write into a folder that is not empty."),
    text(id="Cetak atau tulis JSON Schema format masukan, untuk penyunting (VS Code YAML).",
         en="Print or write the JSON Schema of the input format, for editors (VS Code YAML)."),
    text(id="Hanya skema jenis dokumen ini (bawaan: setiap jenis dan skema gabungan menurut "
            "`kind`).",
         en="Only the schema of this document kind (default: every kind and the combined "
            "schema keyed on `kind`)."),
    text(id="Tulis berkas <kind>.schema.json ke DIR (bawaan: cetak skemanya).",
         en="Write <kind>.schema.json files into DIR (default: print the schema)."),
    text(id="Bahasa keterangan yang ditampilkan penyunting.",
         en="Language of the descriptions an editor shows."),
    text(id="Periksa berkas WORKSPACE terhadap format masukan, tanpa menjalankan aturan "
            "(keluar 0/2).",
         en="Check WORKSPACE's files against the input format, without running rules "
            "(exit 0/2)."),
    # plugins/alignment
    text(id="Matriks cakupan: tiap misi → tujuan → sasaran RPJMD beserta proses yang "
            "melayaninya.",
         en="Coverage matrix: each RPJMD misi → tujuan → sasaran with the processes serving "
            "it."),
    text(id="Telusuri CODE: sebuah proses ke atas sampai visi, atau sebuah sasaran ke bawah "
            "sampai setiap proses yang melayaninya.",
         en="Trace CODE: a process up to the visi, or a sasaran down to every process serving "
            "it."),
    # plugins/interop
    text(id="Tulis peta lintas fungsi PROCESS_CODE dalam WORKSPACE sebagai BPMN 2.0 (dengan "
            "tata letak).",
         en="Write the cross-functional map of PROCESS_CODE in WORKSPACE as BPMN 2.0 (with "
            "layout)."),
    text(id="Berkas .bpmn yang ditulis.", en="The .bpmn file to write."),
    text(id="Ubah buku kerja peta proses (FILE.xlsx, mis. salinan templat bawaan yang sudah "
            "diisi) menjadi YAML format v1 dalam sebuah folder, digabung dengan apa yang "
            "ditulis impor sebelumnya di sana.\n\n"
            "Kode keluar: 0 semua sel terbaca; 2 ada sel atau baris yang tidak terbaca "
            "(sisanya ditulis) atau galat penggunaan; 3 folder atau berkas di dalamnya tidak "
            "dapat ditulis; 4 ditolak: berkas yang diubah sejak "
            "impor terakhir akan ditimpa (tidak ada yang ditulis; --force menimpanya).",
         en="Turn a process-map workbook (FILE.xlsx, e.g. a filled-in copy of the shipped "
            "template)\ninto format-v1 YAML in a folder, merging with what an earlier import "
            "wrote there.\n\nExit codes: 0 every cell read; 2 cells or rows that could not be "
            "read (the rest is\nwritten) or a usage error; 3 the folder or a file in it could "
            "not be written; 4 refused:\na file changed since the last import would be "
            "replaced (nothing written; --force replaces\nit)."),
    text(id='Folder untuk berkas YAML `peta-proses` (satu per peta; sel "Berkas" menamai '
            "berkas di bawahnya).",
         en='Folder for the `peta-proses` YAML files (one per map; the "Berkas" cell names a '
            "file below it)."),
    text(id="Timpa juga berkas yang diubah sejak impor terakhir (atau yang tidak ditulis "
            "olehnya).",
         en="Also replace files changed since the last import (or not written by it)."),
    text(id="Katakan apa yang akan ditulis atau ditolak, tanpa menulis apa pun.",
         en="Say what would be written or refused, and write nothing."),
    text(id="Salin buku kerja templat peta proses (`peta-proses-template.xlsx`) dari paket "
            "yang "
            "terpasang, untuk diisi lalu diubah dengan `probis import-excel`. Kode keluar 4: "
            "berkasnya sudah ada dan --force tidak diberikan.",
         en="Copy the process-map template workbook (`peta-proses-template.xlsx`) out of the "
            "installed\npackage, to fill in and convert with `probis import-excel`. Exit code "
            "4: the file exists\nand --force was not given."),
    text(id="Sebuah folder (nama berkasnya tetap) atau nama berkas .xlsx.",
         en="A folder (the file keeps its name) or a .xlsx file name."),
    text(id="Timpa berkas yang sudah ada.", en="Replace a file that exists."),
    text(id="Tulis peta proses (`peta-proses`) WORKSPACE ke satu buku kerja dengan tata letak "
            "templat: satu lembar per peta, daftar pilihan unit dan sasaran dari SOTK dan "
            "dokumen perencanaan, sel penetapan dan evaluasi, serta lembar petunjuk. Sunting "
            "lalu bawa kembali dengan `probis import-excel FILE -o WORKSPACE/<folder peta>`."
            "\n\nKode keluar: 0 ditulis; 2 ada berkas ruang kerja yang tidak terbaca (buku "
            "kerjanya memuat sisanya) atau galat penggunaan; 3 buku kerjanya tidak dapat "
            "ditulis; 4 buku kerjanya sudah ada dan "
            "--force tidak diberikan.",
         en="Write the process maps (`peta-proses`) of WORKSPACE into one workbook in the "
            "template\nlayout: a sheet per map, drop-down lists of units and sasaran from the "
            "SOTK and plans, the\npenetapan and evaluation cells, and the instruction sheet. "
            "Edit it and bring it back with\n`probis import-excel FILE -o WORKSPACE/<maps "
            "folder>`.\n\nExit codes: 0 written; 2 some files of the workspace could not be "
            "read (the workbook holds\nthe rest) or a usage error; 3 the workbook could not be "
            "written; 4 the workbook exists and\n--force was not given."),
    text(id="Buku kerja .xlsx yang ditulis.", en="The .xlsx workbook to write."),
    text(id="Timpa buku kerja yang sudah ada.", en="Replace a workbook that exists."),
    # plugins/overlap
    text(id="Antrean tinjauan kandidat tumpang tindih: pasangan dari --floor ke atas, "
            "berurutan, dengan buktinya.",
         en="Review queue of overlap candidates: pairs from --floor up, ranked, with "
            "evidence."),
    text(id="Skor terendah yang dicantumkan (ambang OVL001 mengikuti profil).",
         en="Lowest score listed (OVL001's threshold is the profile's)."),
    text(id="Tulis ke FILE (secara atomik; `-` berarti keluaran standar), bukan ke keluaran "
            "standar.",
         en="Write to FILE (atomically; `-` is standard output) instead of standard output."),
    text(id="Tanggal berlakunya pengecualian dan pelimpahan (bawaan: hari ini).",
         en="Date for waivers and delegations in force (default: today)."),
    text(id="Catat pasangan kode proses A, B sebagai bukan tumpang tindih (pengecualian "
            "OVL001).",
         en="Record the pair of process codes A, B as dismissed (an OVL001 waiver)."),
    text(id="Alasan pasangan itu bukan tumpang tindih (bersama --dismiss).",
         en="Why the pair is not an overlap (with --dismiss)."),
    text(id="Siapa yang menyetujui pengecualiannya (bersama --dismiss).",
         en="Who approves the dismissal (with --dismiss)."),
    text(id="Kedaluwarsa pengecualian (bersama --dismiss; bawaan: satu tahun setelah "
            "--as-of).",
         en="Waiver expiry (with --dismiss; default: one year after --as-of)."),
    text(id="Bersama --dismiss: tambahkan pengecualiannya ke berkas pengecualian ruang kerja, "
            "bukan dicetak.",
         en="With --dismiss: add the waiver to the workspace's waivers file instead of "
            "printing it."),
    # plugins/restructure
    text(id="Dampak SOTK/RPJMD baru pada WORKSPACE: peta terdampak, usulan, skor "
            "sebelum/sesudah.",
         en="Impact of a new SOTK/RPJMD on WORKSPACE: affected maps, proposals, scores "
            "before/after."),
    text(id="SOTK baru (berkas sotk di ruang kerja, mis. sotk/sotk-2025.yaml).",
         en="The new SOTK (a sotk file of the workspace, e.g. sotk/sotk-2025.yaml)."),
    text(id="Berkas RPJMD baru.", en="The new RPJMD file."),
    text(id="Tulis salinan berkas peta terdampak dengan unit usulan ke DIR.",
         en="Write copies of the affected map files with the proposed units into DIR."),
    text(id="Tanggal audit (bawaan: hari ini).", en="Audit date (default: today)."),
    text(id="Jangan membaca atau menulis .probis-cache/.",
         en="Do not read or write .probis-cache/."),
    text(id="Cetak juga angka mesin aturan (fakta dikirim, cache dipakai ulang, waktu).",
         en="Also print the engine's figures (facts sent, cache reuse, timings)."),
    # plugins/sop
    text(id="Draf SOP (PermenPANRB 35/2012) dari peta lintas fungsi sebuah proses.",
         en="SOP draft (PermenPANRB 35/2012) from a process's cross-functional map."),
    text(id="FILE (.docx, .xlsx atau .yaml); bersama --all sebuah folder",
         en="FILE (.docx, .xlsx or .yaml); with --all a folder"),
    text(id="setiap proses tingkat terbawah yang punya peta lintas fungsi",
         en="every lowest-level process with a cross-functional map"),
    text(id="jenis berkas yang ditulis bersama --all", en="file type written with --all"),
    text(id="tanggal pembuatan draf (bawaan: hari ini)",
         en="creation date (tanggal pembuatan) of the draft (default: today)"),
    text(id="Kemajuan peta per OPD, berurutan: siapa yang dihubungi lebih dulu.",
         en="Map progress per OPD, ranked: who to call first."),
    text(id="tanggal akhir jendela evaluasi 12 bulan (bawaan: hari ini)",
         en="date the 12-month evaluation window ends (default: today)"),
]
