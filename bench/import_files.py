#!/usr/bin/env python3
"""bench/import_files.py - the input files of bench/import.sh, deterministic (a fixed seed).

usage: import_files.py clients ROWS OUT [FIRST]  a client CSV as Excel writes it (UTF-8, ";"):
           name;phone;company;segment;source;owner with Russian, Turkish and Vietnamese names,
           landline numbers typed the local way (nc-gen's clients have mobiles only, so no row
           is a duplicate of them or of another row), the segments, sources and reps nc-gen makes;
           FIRST (default 0): the number of the first row, so that files of different FIRST do
           not share a number
       import_files.py cdr ROWS PHONES NOW OUT [FIRST]  Asterisk's Master.csv (18 columns: uniqueid
           and userfield, GMT): one row per call over the 30 days before NOW (epoch seconds),
           inbound from and outbound to the numbers in the file PHONES (one E.164 per line: the
           database's clients) and to unknown ones, reps on extensions 101..110; FIRST: as
           above, for the uniqueids
"""
import random
import sys
import time

RU_F = ["Анна", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Мария", "Светлана"]
RU_M = ["Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил", "Николай", "Павел"]
RU_S = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков"]
TR_F = ["Ayşe", "Fatma", "Zeynep", "Elif", "Emine", "Hülya"]
TR_M = ["Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Murat"]
TR_S = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın"]
VN_F = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
VN_G = ["Anh", "Bình", "Cường", "Dũng", "Hà", "Lan", "Minh", "Thảo", "Tuấn"]
FIRMS = ["ООО «Вектор»", "АО «Север-Снаб»", "ИП Ковалёв", "Anadolu Tekstil A.Ş.",
         "Ege Lojistik Ltd. Şti.", "Công ty TNHH Minh Phát", "Công ty CP Thái Bình", ""]
# nc-gen's (bench/names.c), and blank cells
SEGMENTS = ["Частные клиенты", "Малый бизнес", "Корпоративные", "Дилеры", ""]
SOURCES = ["Яндекс.Директ", "Google Ads", "Avito", "Сайт", "Рекомендации", "Выставки", ""]


def clients(rows, out, first):
    r = random.Random(1 + first)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("Имя;Телефон;Компания;Сегмент;Источник;Ответственный\r\n")
        for i in range(first, first + rows):
            m = i % 3
            # landlines: i is spread over the numbers by an affine bijection, so none repeats
            if m == 0:
                v = (i * 7919 + 1234567) % 10000000
                name = f"{r.choice(RU_M + RU_F)} {r.choice(RU_S)}"
                phone = f"8 (495) {v // 10000:03d}-{v // 100 % 100:02d}-{v % 100:02d}"
            elif m == 1:
                v = (i * 7919 + 7654321) % 10000000
                name = f"{r.choice(TR_M + TR_F)} {r.choice(TR_S)}"
                phone = f"+90 212 {v // 10000:03d} {v // 100 % 100:02d} {v % 100:02d}"
            else:
                v = (i * 7919 + 3141592) % 10000000
                name = f"{r.choice(VN_F)} Văn {r.choice(VN_G)}"
                phone = f"+84 28 3{v // 10000:03d} {v % 10000:04d}"
            company = r.choice(FIRMS)
            if '"' in company or ";" in company:
                company = '"' + company.replace('"', '""') + '"'
            f.write(f"{name};{phone};{company};{r.choice(SEGMENTS)};{r.choice(SOURCES)};"
                    f"rep{r.randint(1, 10):02d}\r\n")


def cdr(rows, phones_file, now, out, first):
    r = random.Random(2 + first)
    with open(phones_file) as f:
        phones = [p.strip() for p in f if p.strip()]
    if not phones:
        phones = ["+74950000000"]
    t0 = now - 30 * 86400
    step = max(1, (30 * 86400 - 3600) // max(rows, 1))
    with open(out, "w", encoding="utf-8", newline="") as f:
        for i in range(rows):
            start = t0 + i * step + r.randrange(step)
            ext = 101 + r.randrange(10)
            known = r.random() < 0.8
            num = r.choice(phones) if known else f"+7495{r.randrange(10000000):07d}"
            local = "8" + num[2:] if num.startswith("+7") else num
            inbound = r.random() < 0.4
            disp = r.choices(["ANSWERED", "NO ANSWER", "BUSY", "FAILED"], [70, 22, 6, 2])[0]
            ring = r.randint(2, 25)
            talk = r.randint(20, 900) if disp == "ANSWERED" else 0
            if disp == "BUSY" or disp == "FAILED":
                ring = r.randint(0, 3)
            end = start + ring + talk
            fmt = lambda t: time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
            answer = f'"{fmt(start + ring)}"' if disp == "ANSWERED" else ""
            # Asterisk's "epoch.sequence"; the sequence far above nc-gen's own (its calls
            # carry "epoch.N" with N under the number of calls), so that a call of the file
            # never has the uniqueid of a generated one ("already imported")
            uid = f"{start}.{900000000 + first + i}"
            if inbound:
                row = ["", local, "6000", "from-trunk", f'"" <{local}>', f"PJSIP/trunk-{i:08x}",
                       f"PJSIP/{ext}-{i:08x}", "Dial", f"PJSIP/{ext},30"]
            else:
                row = ["", str(ext), local, "from-internal", f'"rep" <{ext}>',
                       f"PJSIP/{ext}-{i:08x}", f"PJSIP/trunk-{i:08x}", "Dial",
                       f"PJSIP/trunk/{local},60"]
            q = ['"' + v.replace('"', '""') + '"' for v in row]
            q += [f'"{fmt(start)}"', answer, f'"{fmt(end)}"', str(ring + talk), str(talk),
                  f'"{disp}"', '"DOCUMENTATION"', f'"{uid}"', '""']
            f.write(",".join(q) + "\n")


if __name__ == "__main__":
    a = sys.argv
    if len(a) in (4, 5) and a[1] == "clients":
        clients(int(a[2]), a[3], int(a[4]) if len(a) == 5 else 0)
    elif len(a) in (6, 7) and a[1] == "cdr":
        cdr(int(a[2]), a[3], int(a[4]), a[5], int(a[6]) if len(a) == 7 else 0)
    else:
        sys.exit(__doc__)
