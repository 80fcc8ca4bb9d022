"""Bringing your own spreadsheet, in real Chromium: an ESR-style export goes through the
mapping step, is imported, and its column choices are saved and reused next time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_journeys import given_a_signed_in, then_the_page_is

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "esr-style"
# The people.csv values that do not map by themselves, and what docs/examples' mapping
# says they are.
CHOICES = {
    "Ethnic Origin: 'Undefined'": "99",
    "Staff Group: 'Administrative and Clerical'": "general_management",
    "Staff Group: 'Medical and Dental'": "medical",
    "Staff Group: 'Nursing and Midwifery Registered'": "nursing",
    "Staff Group: 'Allied Health Professionals'": "ahp",
    "Staff Group: 'Add Prof Scientific and Technic'": "other_clinical",
}


def test_import_an_esr_export_through_the_mapping_step_and_reuse_it(user_for: Any) -> None:
    # given an organisation administrator with an ESR export of people
    user = given_a_signed_in(user_for, "org_admin")
    user.visit("/data")
    # when they upload it as it is
    user.page.get_by_label("People", exact=True).check()
    user.page.get_by_label("Upload a file").set_input_files(str(EXAMPLE / "people.csv"))
    user.page.get_by_role("button", name="Check the file").click()
    # then they are asked which column holds what, with the columns already suggested
    then_the_page_is(user, "Match the columns of people.csv")
    expect(user.page.get_by_label("person_id", exact=True)).to_have_value("file:Employee Number")
    expect(user.page.get_by_label("ethnic_category", exact=True)).to_have_value(
        "file:Ethnic Origin"
    )
    # when they choose what each unknown value means and save the choices under a name
    for label, value in CHOICES.items():
        user.page.get_by_label(label).select_option(value)
    user.page.get_by_label("Save them as (optional)").fill("ESR people export")
    user.check("mapping step filled in")
    user.page.get_by_role("button", name="Check the file with these choices").click()
    # then every row passes and they confirm the import
    then_the_page_is(user, "Check and confirm the import of people.csv")
    expect(
        user.page.get_by_text("read with your saved column choices 'ESR people export'")
    ).to_be_visible()
    user.page.get_by_role("button", name="Confirm and import").click()
    expect(user.page.locator(".nhsuk-panel")).to_contain_text("people.csv imported")
    user.check("mapped import done")
    # when they upload the next export with the saved choices
    user.visit("/data")
    user.page.get_by_label("People", exact=True).check()
    user.page.get_by_label("Upload a file").set_input_files(str(EXAMPLE / "people.csv"))
    user.page.get_by_label("Read it with saved column choices").select_option(
        label="ESR people export (people)"
    )
    user.page.get_by_role("button", name="Check the file").click()
    # then it is read at once, and nothing in it is new
    then_the_page_is(user, "Check and confirm the import of people.csv")
    row = user.page.locator("table tbody tr").first
    expect(row.locator("td")).to_have_text(["people", "0", "0", "8"])
