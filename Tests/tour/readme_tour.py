"""The README's tour, run as printed.

Every command in the ```sh blocks of the README's tour (from "A short tour for personnel
officers" to "Benchmarks") is run in order, through bash, in a scratch folder that holds the
demo node `make run` creates (the same `dossier demo` and `keys generate` lines, read from the
Makefile) as ./data, with `dossier` on the PATH. A command that exits with anything but 0 fails
the test, which prints the command, its exit status and what it said.

What a personnel officer would bring to the tour is made here, before it starts, as small files
with the names the README uses: a spreadsheet of new staff, the exports of the insurer, the
payroll and the attendance system, a workbook of grades, a scanned certificate, a password file
and a passphrase. Nothing else is changed: the commands run exactly as the README prints them.

Scripts act as another user with that user's API token (`DOSSIER_TOKEN`), as the README tells
them to; so before each command that says `--as NAME` the test issues NAME a token as the
node's administrator and hands it over in the environment. The node runs on a fixed day
(`DOSSIER_TODAY`), so the tour's dates mean the same whenever the test runs.

    python3 Tests/tour/readme_tour.py DOSSIER-BINARY
"""

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-12-04"
VERBOSE = os.environ.get("TOUR_VERBOSE") == "1"


def tour_commands(readme: str) -> list[str]:
    """The command lines of the tour's ```sh blocks, continuation lines joined, in order."""
    start = readme.index("## A short tour for personnel officers")
    end = readme.index("## Benchmarks")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme[start:end], flags=re.S):
        pending = ""
        for line in block.splitlines():
            if pending:
                line = pending + " " + line.strip()
                pending = ""
            if re.search(r"\\\s*$", line.split(" #")[0] if " #" in line else line):
                pending = re.sub(r"\\\s*$", "", line.rstrip())
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            commands.append(stripped)
    return commands


def make_run_setup(binary: str) -> list[list[str]]:
    """The lines of the Makefile's `run` target that create the demo node, as argument lists."""
    makefile = (ROOT / "Makefile").read_text()
    target = makefile[makefile.index("\nrun:") :]
    target = target[: target.index("\n\n")]
    variables = dict(re.findall(r"^(\w+) \?= (\S+)$", makefile, flags=re.M))
    lines = []
    for line in target.splitlines():
        line = line.strip().rstrip("\\").strip().removesuffix("&&").strip().removesuffix(";").strip()
        if not line.startswith(".build/release/dossier ") or " serve " in line or " quota " in line:
            continue
        line = re.sub(r'"?\$\((\w+)\)"?', lambda m: variables[m.group(1)], line)
        words = shlex.split(line)
        lines.append([binary] + words[1:])
    assert len(lines) == 2, f"expected the demo and keys lines in the Makefile's run target, found {lines}"
    return lines


class Node:
    def __init__(self, work: Path, binary: str):
        self.work = work
        self.binary = binary
        self.env = dict(os.environ)
        self.env["PATH"] = f"{work / 'bin'}:{self.env['PATH']}"
        self.env["DOSSIER_TODAY"] = TODAY
        for name in ("DOSSIER_DATA", "DOSSIER_USER", "DOSSIER_TOKEN"):
            self.env.pop(name, None)

    def admin(self, *args: str, data: str = "data") -> str:
        done = subprocess.run(
            [self.binary, *args, "--data", data], cwd=self.work, env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"setup failed: dossier {' '.join(args)}\n{done.stdout}{done.stderr}")
        return done.stdout

    def token(self, user: str, data: str) -> str:
        out = self.admin("user", "token", user, "--label", "README tour", data=data)
        return out.strip().splitlines()[-1].split()[-1]


def people(node: Node) -> list[dict]:
    return json.loads(node.admin("person", "list", "--reveal", "--format", "json", "--limit", "50"))


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """A one-sheet workbook with every cell as an inline string (what Excel writes for text)."""

    def column(index: int) -> str:
        name = ""
        index += 1
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        return name

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    sheet_rows = "".join(
        f'<row r="{r + 1}">'
        + "".join(
            f'<c r="{column(c)}{r + 1}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            for c, value in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows)
    )
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + sheet_rows
        + "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def identity_number(region: str, born: str, sequence: int) -> str:
    """A valid identity number (GB 11643: the check character over the first seventeen)."""
    body = f"{region}{born}{sequence:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def new_staff(first: int, count: int, org: str) -> list[list[str]]:
    """Rows of the import format for people not on file, hired into `org`."""
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋"
    rows = []
    for n in range(first, first + count):
        rows.append(
            [
                identity_number("390102", f"1997{1 + n % 12:02d}{1 + n % 28:02d}", 100 + n),
                surnames[n % 10] + given[(n * 3) % 10] + given[(n * 7 + 1) % 10],
                "", "", "汉族", "本科", "群众", "", org, "admin", "一级科员", "", "在职", "2026-11-02",
            ]
        )
    return rows


STAFF_HEADER = (
    "id_number,name,sex,birth_date,ethnicity,education,political_status,phone,org_code,category,rank,post,status,hired_on"
).split(",")
STAFF_HEADER_CHINESE = (
    "公民身份号码,姓名,性别,出生日期,民族,学历,政治面貌,联系电话,单位统一社会信用代码,编制类型,职级,领导职务,人员状态,入职日期"
).split(",")


def bring_files(node: Node) -> None:
    """The files a personnel officer brings to the tour, made from the demo's own people."""
    work = node.work
    on_file = people(node)
    quotas = json.loads(node.admin("quota", "show", "--format", "json"))
    roomy = next(q["org"] for q in quotas if q["category"] == "admin" and q["vacant"] >= 15)
    write_csv(work / "staff.csv", [STAFF_HEADER] + new_staff(1, 3, roomy))
    write_xlsx(work / "staff.xlsx", [STAFF_HEADER] + new_staff(4, 3, roomy))
    write_csv(work / "花名册.csv", [STAFF_HEADER_CHINESE] + new_staff(7, 3, roomy), encoding="gb18030")

    insured = [p for p in on_file[40:] if p["status"] == "active"][:6]
    social = [["公民身份号码", "姓名", "单位统一社会信用代码", "险种类型", "个人缴费状态", "离退休标志", "状态变更日期"]]
    for index, person in enumerate(insured):
        stopped = index == 0
        social.append(
            [person["id_number"], person["name"], person["org"], "110", "2" if stopped else "1", "0",
             "2026-09-30" if stopped else "2015-01-01"]
        )
    write_csv(work / "社保参保明细.csv", social)
    payroll = [["公民身份号码", "姓名", "单位统一社会信用代码", "发放年月", "应发合计", "实发合计"]]
    payroll += [[p["id_number"], p["name"], p["org"], "2026-10", "9800.00", "7650.50"] for p in insured]
    write_csv(work / "工资发放.csv", payroll)
    write_xlsx(work / "工资发放.xlsx", payroll[:1] + [row[:4] + ["9900.00", "7700.00"] for row in payroll[1:]])
    attendance = [["公民身份号码", "姓名", "日期", "考勤状态"]]
    for person in insured:
        attendance += [[person["id_number"], person["name"], f"2026-10-{day:02d}", "出勤"] for day in range(8, 32)]
    write_csv(work / "考勤.csv", attendance, encoding="gb18030")

    write_xlsx(
        work / "2025年度考核.xlsx",
        [["file_number", "year", "grade", "reason", "decided_on"], ["21", "2025", "称职", "", "2026-01-20"],
         ["22", "2025", "称职", "", "2026-01-20"]],
    )
    (work / "新职级规定.yaml").write_text((ROOT / "Policies" / "rank-ladder.yaml").read_text())
    (work / "scan.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    (work / "passphrase.txt").write_text("海上生明月，天涯共此时。春眠不觉晓\n")
    (work / "password-file").write_text("wang-2026-十二月\n")
    authority = work / "authority"
    authority.mkdir()
    openssl(authority, "genpkey", "-algorithm", "SM2", "-out", "root.key")
    openssl(
        authority, "req", "-new", "-x509", "-key", "root.key", "-sm3", "-sigopt", SM2_ID, "-subj", "/CN=Inspector Root",
        "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", "root.pem",
    )
    (work / "authority-root.pem").write_bytes((authority / "root.pem").read_bytes())


SM2_ID = "distid:1234567812345678"


def openssl(directory: Path, *args: str) -> None:
    done = subprocess.run(["openssl", *args], cwd=directory, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"openssl {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def authority_issues(work: Path) -> None:
    """The certificate authority's part, between `keys request` and `keys certificate`."""
    authority = work / "authority"
    (authority / "node.csr").write_bytes((work / "request.pem").read_bytes())
    openssl(
        authority, "x509", "-req", "-in", "node.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
        "-days", "365", "-sm3", "-sigopt", SM2_ID, "-vfyopt", SM2_ID, "-out", "node.pem",
    )
    (work / "issued-chain.pem").write_bytes((authority / "node.pem").read_bytes())


# What happens outside Dossier between two commands of the tour, after the command it names.
AFTER = {"dossier keys request ": authority_issues}


def main() -> int:
    binary = str(Path(sys.argv[1]).resolve())
    readme = (ROOT / "README.md").read_text()
    commands = tour_commands(readme)
    with tempfile.TemporaryDirectory(prefix="dossier-tour-") as scratch:
        work = Path(scratch)
        (work / "bin").mkdir()
        (work / "bin" / "dossier").symlink_to(binary)
        node = Node(work, binary)
        for setup in make_run_setup(binary):
            done = subprocess.run(setup, cwd=work, env=node.env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"make run's setup failed: {' '.join(setup)}\n{done.stdout}{done.stderr}")
                return 1
        bring_files(node)
        failures = 0
        for number, command in enumerate(commands, 1):
            env = dict(node.env)
            acting = re.search(r"--as (\S+)", command)
            data = re.search(r"--data (\S+)", command)
            if acting:
                env["DOSSIER_TOKEN"] = node.token(acting.group(1), data.group(1) if data else "data")
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command], cwd=work, env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                failures += 1
                print(f"FAIL {number}: {command}\n  exit {done.returncode}\n  {done.stderr.strip()[:600]}")
            else:
                print(f"ok   {number}: {command}")
                if VERBOSE and done.stdout.strip():
                    print("\n".join("     " + line[:160] for line in done.stdout.strip().splitlines()[:12]))
            for prefix, outside in AFTER.items():
                if command.startswith(prefix):
                    outside(work)
        print(f"{len(commands) - failures} of {len(commands)} README commands ran as printed.")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
