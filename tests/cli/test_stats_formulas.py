"""``talentboard stats --format csv`` writes an organisation named like a formula as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.conftest import Run


def test_an_organisation_named_like_a_formula_is_text_in_the_csv(tmp_path: Path, run: Run) -> None:
    db = f"sqlite:///{tmp_path / 'stats.db'}"
    assert run("init", "--db", db)[0] == 0
    files = {
        "organisations": "ods_code,name,kind,region_code,icb_code,staff_headcount,bme_staff_share\n"
        "TST01,'=SUM(1+2),acute,Y56,,1000,0.2\n",
        "posts": "post_id,ods_code,role_code,title,level,executive,voting,established_from,"
        "established_to\nTST01-CEO,TST01,chief_executive,Chief Executive,board,true,true,,\n",
        "people": "person_id,given_name,family_name,ethnic_category,sex,disability,"
        "professional_background,birth_year\nP1,Amara,Okafor,N,female,no,nursing,1972\n",
        "appointments": "person_id,post_id,start_date,end_date,appointment_type,end_reason\n"
        "P1,TST01-CEO,2020-01-01,,substantive,\n",
    }
    for kind, text in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        code, _, err = run("import", kind, str(path), "--db", db)
        assert code == 0, err

    code, out, err = run(
        "stats", "--at", "2026-09-30", "--by", "org", "--format", "csv", "--db", db
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    ours = [r for r in rows if r["group"] == "TST01"]
    assert len(ours) == 1
    assert ours[0]["label"] == "'=SUM(1+2)"
    assert ours[0]["exec_vacancy_rate"] == "0.0"
