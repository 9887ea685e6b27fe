"""The instructor's view of a class graded for real (tests/class_batch.py): the report page's
numbers, the Canvas and Moodle files and the nbgrader export plugins, the regrade's changes,
and an empty, a one-student and a 1000-student class."""
import base64
import csv
import io
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from autograder.course import Course, tool_environment
from autograder.reporting.exports import CANVAS_IDENTITY, MOODLE_IDENTITY
from autograder.reporting.mistakes import MISTAKE, UNEXPLAINED, explanations, read_failure
from autograder.reporting.regrade import snapshot_path
from autograder.reporting.report import write_report
from autograder.reporting.scores import NOTEBOOK
from tests import class_batch
from tests.class_batch import CHAPTER, MUTANT_NOTEBOOKS, REFERENCES, UNTOUCHED

GRADED = REFERENCES + UNTOUCHED + len(MUTANT_NOTEBOOKS)
#: The documented header rows (see autograder/reporting/exports.py for the sources).
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["Full name", "Username", "ID number", "Email address"]


def page(path):
    return BeautifulSoup(path.read_text(), "html.parser")


def rows(soup, table_id):
    """The body rows of a table of the page, as lists of cell texts."""
    table = soup.find("table", id=table_id)
    return [] if table is None else [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
                                     for tr in table.find("tbody").find_all("tr")]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def points_of(graded_class):
    reference = graded_class.results["class.reference.0"]
    return reference.exercises


def expected_groups(predicted, known):
    """({(mistake, exercise): [students]}, {(failure, exercise): [students]}) of predicted failures."""
    groups = {MISTAKE: {}, UNEXPLAINED: {}}
    for student, (name, text) in predicted.items():
        if text is None:
            continue
        reading = read_failure(known, name, text)
        groups[reading.kind].setdefault((reading.text, name), []).append(student)
    return groups[MISTAKE], groups[UNEXPLAINED]


def table_groups(soup, table_id):
    """{(text, exercise): [students]} of a mistakes or failures table (names in a <details>)."""
    groups = {}
    table = soup.find("table", id=table_id)
    for tr in table.find("tbody").find_all("tr") if table else []:
        text, exercise, _, who = tr.find_all("td")
        details = who.find("details")
        details.find("summary").extract()
        groups[(text.get_text(strip=True), exercise.get_text(strip=True))] = details.get_text().split(", ")
    return groups


def counts(soup, table_id):
    return {(text, exercise): count for text, exercise, count, _ in rows(soup, table_id)}


def as_counts(groups):
    return {key: f"{len(students)} of {GRADED}" for key, students in groups.items()}


# The first report: the class as graded ------------------------------------------------------

def test_the_overview_counts_every_submission_and_the_mean_score(graded_class):
    soup = page(graded_class.first.page)
    overview = soup.find(id="overview").get_text()
    assert f"22 submissions: {GRADED} graded, 0 stopped, 1 not graded" in overview
    scores = [r.score for r in graded_class.results.values() if r.status == "graded"]
    assert len(scores) == GRADED and f"median {statistics.median(scores):g}" in overview
    assert f"mean {statistics.fmean(scores):.2f}".rstrip("0") in overview


def test_each_exercise_has_its_pass_rate_mean_points_and_failures_read(graded_class):
    points = points_of(graded_class)
    table = {row[0]: row[1:] for row in rows(page(graded_class.first.page), "exercises-table")}
    assert list(table) == list(points), "exercises in the order of their test cells"
    for name, full in points.items():
        mutated = sum(function == name for function, _ in MUTANT_NOTEBOOKS.values())
        passed = REFERENCES + len(MUTANT_NOTEBOOKS) - mutated
        stated_points, stated_passed, rate, mean, not_attempted, mistakes, unexplained = table[name]
        assert stated_points == f"{full:g}" and stated_passed == f"{passed} of {GRADED}"
        assert rate == f"{100 * passed / GRADED:.0f}%"
        assert float(mean) == pytest.approx(passed * full / GRADED, abs=0.005)
        assert int(not_attempted) == UNTOUCHED
        assert int(mistakes) + int(unexplained) == mutated, "every mutant's failure is read one way or the other"


def test_recognised_mistakes_are_ranked_with_how_many_students_made_each(graded_class):
    soup = page(graded_class.first.page)
    mistakes, _ = expected_groups(graded_class.before, explanations(CHAPTER))
    assert counts(soup, "mistakes-table") == as_counts(mistakes)
    assert table_groups(soup, "mistakes-table") == {key: sorted(students) for key, students in mistakes.items()}
    numbers = [int(count.split()[0]) for _, _, count, _ in rows(soup, "mistakes-table")]
    assert numbers == sorted(numbers, reverse=True) and sum(numbers) == sum(map(len, mistakes.values()))
    assert len(mistakes) >= len(MUTANT_NOTEBOOKS) // 2, "most catalogued mutants are recognised in the real batch"


def test_failures_no_mutant_explains_are_grouped_by_their_message(graded_class):
    soup = page(graded_class.first.page)
    _, unexplained = expected_groups(graded_class.before, explanations(CHAPTER))
    assert unexplained, "chapter 0 has a mutant whose real-kernel output no catalogued mutant reproduces"
    assert counts(soup, "unexplained-table") == as_counts(unexplained)
    untouched = [f"class.untouched.{i}" for i in range(UNTOUCHED)]
    assert not any(student in who for *_, who in rows(soup, "unexplained-table") for student in untouched), \
        "an untouched stub is 'not attempted', not an unexplained failure"


def test_submissions_not_graded_are_listed_with_their_reason(graded_class):
    problems = rows(page(graded_class.first.page), "problems-table")
    assert len(problems) == 1
    student, status, reason = problems[0]
    assert student == class_batch.CORRUPT and status == "not graded" and "invalid JSON" in reason


def test_grading_times_are_shown_slowest_first(graded_class):
    soup = page(graded_class.first.page)
    times = rows(soup, "times-table")
    assert 0 < len(times) <= 10
    seconds = [float(s) for _, s in times]
    assert seconds == sorted(seconds, reverse=True) and all(0 < s < 60 for s in seconds)
    assert "median" in soup.find(id="times").get_text()


def test_the_histogram_is_an_inline_png_with_alt_text_from_the_scores(graded_class):
    image = page(graded_class.first.page).find("img", id="histogram")
    source = image["src"]
    assert source.startswith("data:image/png;base64,")
    assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    scores = Counter(r.score for r in graded_class.results.values() if r.status == "graded")
    alt = image["alt"]
    assert f"{GRADED} graded submissions" in alt
    assert all(f"{count} at {score:g}" in alt for score, count in scores.items()), alt


def test_the_page_is_self_contained(graded_class):
    soup = page(graded_class.first.page)
    assert not soup.find_all(["script", "link", "iframe"])
    sources = [tag.get("src") for tag in soup.find_all(src=True)] + [tag.get("href") for tag in soup.find_all(href=True)]
    assert all(source.startswith("data:") for source in sources), sources


def test_the_text_summary_names_the_counts_and_the_top_mistakes(graded_class):
    text = graded_class.first.text.splitlines()
    assert text[0].startswith(f"{CHAPTER}: 22 submissions: {GRADED} graded")
    assert "most common recognised mistakes:" in text
    top = text[text.index("most common recognised mistakes:") + 1]
    assert f"of {GRADED}" in top and text[-1] == f"report: {graded_class.first.page}"


def test_lms_files_without_a_roster_have_every_student_under_their_own_id(graded_class):
    results = graded_class.results
    canvas = read_csv(graded_class.first.canvas.path)
    assert canvas[0] == [*CANVAS_HEADER, CHAPTER] and list(CANVAS_IDENTITY) == CANVAS_HEADER
    assert canvas[1] == ["Points Possible", "", "", "", "", "8"]
    by_login = {row[3]: row for row in canvas[2:]}
    assert set(by_login) == set(results)
    for student, result in results.items():
        expected = f"{result.score:g}" if result.status == "graded" else ""
        assert by_login[student][-1] == expected and by_login[student][0] == student
    moodle = read_csv(graded_class.first.moodle.path)
    assert moodle[0] == [*MOODLE_HEADER, CHAPTER] and list(MOODLE_IDENTITY) == MOODLE_HEADER
    assert {row[1]: row[-1] for row in moodle[1:]} == {s: row[-1] for s, row in by_login.items()}
    assert graded_class.first.canvas.without_grade == [class_batch.CORRUPT] and not graded_class.first.canvas.unknown


# The regrade after the instructor's fix ------------------------------------------------------

def expected_changes(graded_class):
    """{student: (before, after)} of the mutant notebooks whose verdict the fix changes."""
    points = points_of(graded_class)
    changes = {}
    for student, (name, failure) in graded_class.before.items():
        fixed = graded_class.after[student][1]
        if (failure is None) != (fixed is None):
            before = graded_class.results[student].score
            changes[student] = (before, before + (points[name] if fixed is None else -points[name]))
    return changes


def test_the_regrade_says_whose_score_changed_and_by_how_much(graded_class):
    changes = expected_changes(graded_class)
    assert changes, "the fix changes at least one score"
    output = graded_class.regrade_output
    assert f"regrade: {len(changes)} of 22 scores changed" in output
    for student, (before, after) in changes.items():
        assert f"  {student}: {before:g} -> {after:g} ({after - before:+g})" in output


def test_the_report_after_the_regrade_shows_the_changes_and_the_new_mutant(graded_class):
    soup = page(graded_class.root / "second" / f"report-{CHAPTER}.html")
    changes = expected_changes(graded_class)
    shown = {student: (float(before), float(after), difference)
             for student, before, after, difference, _ in rows(soup, "changes-table")}
    assert shown == {s: (b, a, f"{a - b:+g}") for s, (b, a) in changes.items()}
    with class_batch.fixed():
        known = explanations(CHAPTER)
    mistakes, unexplained = expected_groups(graded_class.after, known)
    assert counts(soup, "mistakes-table") == as_counts(mistakes)
    assert counts(soup, "unexplained-table") == as_counts(unexplained)
    new = class_batch.gate_parameters_nand_for_every_gate.__doc__.splitlines()[0]
    assert counts(soup, "mistakes-table").get((new, "gate_parameters")) == f"1 of {GRADED}"


def test_scores_are_kept_before_a_regrade(graded_class, course):
    with open(snapshot_path(course, CHAPTER), newline="") as f:
        kept = {row["student"]: float(row["score"]) for row in csv.DictReader(f)}
    for student, result in graded_class.results.items():
        if result.status == "graded":
            assert kept[student] == result.score, "the snapshot holds the scores before the regrade"


# LMS files with a roster, and nbgrader's own export ------------------------------------------

def test_a_roster_maps_ids_and_students_outside_it_are_reported(graded_class):
    roster_students = ["class.reference.0", "class.reference.1", "class.mutant.perceptron_fires_on_the_line"]
    unknown = sorted(set(graded_class.results) - set(roster_students))
    assert f"warning: {len(unknown)} students not in the roster, so not in the LMS files" in graded_class.report_output
    canvas = read_csv(graded_class.root / "second" / f"canvas-{CHAPTER}.csv")
    fixed_score = expected_changes(graded_class).get("class.mutant.perceptron_fires_on_the_line", (0, 6))[1]
    assert canvas[2:] == [["Lovelace, Ada", "501", "1001", "ada", "A", "8"],
                          ["Hopper, Grace", "502", "1002", "grace", "A", "8"],
                          ["Turing, Alan", "503", "1003", "alan", "B", f"{fixed_score:g}"],
                          ["Dijkstra, Edsger", "504", "1004", "edsger", "B", ""]]
    moodle = read_csv(graded_class.root / "second" / f"moodle-{CHAPTER}.csv")
    assert moodle[1] == ["Lovelace, Ada", "ada", "1001", "ada@example.edu", "8"]
    exports = page(graded_class.root / "second" / f"report-{CHAPTER}.html").find(id="exports").get_text()
    assert f"{len(unknown)} students not in the roster" in exports and "class.untouched.0" in exports


def nbgrader_export(course, *args):
    run = subprocess.run([sys.executable, "-m", "nbgrader", "export", *args], cwd=course.root, capture_output=True,
                         text=True, env=tool_environment())
    assert run.returncode == 0, run.stderr[-1000:]
    return run


def test_the_nbgrader_export_plugins_give_the_numbers_of_nbgrader_and_of_the_report(graded_class, course, tmp_path):
    nbgrader_export(course, "--assignment", CHAPTER, "--to", tmp_path / "plain.csv")
    with open(tmp_path / "plain.csv", newline="") as f:
        plain = {row["student_id"]: row["score"] for row in csv.DictReader(f) if row["assignment"] == CHAPTER}
    nbgrader_export(course, "--exporter", "autograder.reporting.nbgrader_export.CanvasExport",
                    "--assignment", CHAPTER, "--to", tmp_path / "canvas.csv")
    nbgrader_export(course, "--exporter", "autograder.reporting.nbgrader_export.MoodleExport",
                    "--assignment", CHAPTER, "--to", tmp_path / "moodle.csv",
                    f"--MoodleExport.roster={graded_class.root / 'roster.csv'}")
    canvas = read_csv(tmp_path / "canvas.csv")
    assert canvas[0] == [*CANVAS_HEADER, CHAPTER] and canvas[1][0] == "Points Possible"
    exported = {row[3]: row[-1] for row in canvas[2:]}
    with open(graded_class.grades, newline="") as f:
        now = {row["student"]: row for row in csv.DictReader(f)}
    graded = [s for s, row in now.items() if row["status"] == "graded"]
    assert len(graded) == GRADED
    for student in graded:
        assert float(exported[student]) == float(plain[student]) == float(now[student]["score"]), student
    second = {row[3]: row[-1] for row in read_csv(graded_class.root / "second" / f"canvas-{CHAPTER}.csv")[2:]}
    moodle = {row[1]: row[-1] for row in read_csv(tmp_path / "moodle.csv")[1:]}
    assert moodle == {login: value for login, value in second.items()}, "the plugin and the report agree"


# Small and large classes --------------------------------------------------------------------

def class_csv(graded_class, path, students):
    with open(graded_class.grades, newline="") as f:
        reader = csv.DictReader(f)
        kept = [row for row in reader if row["student"] in students]
        header = reader.fieldnames
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(kept)
    return path


def test_an_empty_class_gets_a_report_with_nothing_to_count(graded_class, course, tmp_path):
    written = write_report(course, CHAPTER, class_csv(graded_class, tmp_path / "empty.csv", []), output_dir=tmp_path)
    soup = page(written.page)
    assert "0 submissions: 0 graded" in soup.find(id="overview").get_text()
    assert soup.find("img") is None and "No graded submissions" in soup.find(id="distribution").get_text()
    assert read_csv(written.canvas.path)[2:] == [] and "no graded submissions" in written.text


def test_a_class_of_one_gets_a_report(graded_class, course, tmp_path):
    written = write_report(course, CHAPTER, class_csv(graded_class, tmp_path / "one.csv", ["class.reference.0"]),
                           output_dir=tmp_path)
    soup = page(written.page)
    assert "1 submission: 1 graded" in soup.find(id="overview").get_text()
    assert "1 at 8" in soup.find("img", id="histogram")["alt"]
    assert all(row[2] == "1 of 1" for row in rows(soup, "exercises-table"))
    assert rows(soup, "mistakes-table") == []


def clone_submission(db, assignment_id, template, student):
    """Copy ``template``'s gradebook submission of the assignment as ``student``'s."""
    def new_id():
        return uuid.uuid4().hex

    db.execute("INSERT INTO student (id) VALUES (?)", (student,))
    old = db.execute("SELECT id FROM submitted_assignment WHERE student_id = ? AND assignment_id = ?",
                     (template, assignment_id)).fetchone()[0]
    submitted = new_id()
    db.execute("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp, extension) "
               "SELECT ?, assignment_id, ?, timestamp, extension FROM submitted_assignment WHERE id = ?",
               (submitted, student, old))
    for (notebook,) in db.execute("SELECT id FROM submitted_notebook WHERE assignment_id = ?", (old,)).fetchall():
        copy = new_id()
        db.execute("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, late_submission_penalty) "
                   "SELECT ?, ?, notebook_id, flagged, late_submission_penalty FROM submitted_notebook WHERE id = ?",
                   (copy, submitted, notebook))
        for table, columns in [("grade", "cell_id, auto_score, manual_score, extra_credit, needs_manual_grade"),
                               ("comment", "cell_id, auto_comment, manual_comment")]:
            for (row,) in db.execute(f"SELECT id FROM {table} WHERE notebook_id = ?", (notebook,)).fetchall():
                db.execute(f"INSERT INTO {table} (id, notebook_id, {columns}) SELECT ?, ?, {columns} FROM {table} "
                           f"WHERE id = ?", (new_id(), copy, row))


@pytest.fixture
def large_class(graded_class, course, tmp_path):
    """A course of 1000 students, each a copy of one of the graded class (gradebook rows,
    autograded notebook, grading times), and its grades CSV."""
    big = Course(tmp_path / "course")
    big.root.mkdir()
    shutil.copyfile(course.root / "gradebook.db", big.root / "gradebook.db")
    with open(graded_class.grades, newline="") as f:
        reader = csv.DictReader(f)
        templates = [row for row in reader if row["status"] == "graded"]
        header = reader.fieldnames
    db = sqlite3.connect(big.root / "gradebook.db")
    assignment_id = db.execute("SELECT id FROM assignment WHERE name = ?", (CHAPTER,)).fetchone()[0]
    rows_out, start = [], time.time() - 3600
    for i in range(1000):
        template = templates[i % len(templates)]
        student = f"student{i:04d}"
        clone_submission(db, assignment_id, template["student"], student)
        graded = course.root / "autograded" / template["student"] / CHAPTER / f"{NOTEBOOK}.ipynb"
        target = big.root / "autograded" / student / CHAPTER
        target.mkdir(parents=True)
        shutil.copyfile(graded, target / graded.name)
        submitted = big.submitted_notebook(student, CHAPTER)
        submitted.parent.mkdir(parents=True)
        submitted.write_text("{}")
        marker = target / ".nnbook-graded-sha256"
        marker.write_text("0" * 64)
        os.utime(submitted, (start + i, start + i))
        os.utime(marker, (start + i + 1 + i % 7, start + i + 1 + i % 7))
        rows_out.append({**template, "student": student})
    db.commit()
    db.close()
    grades = tmp_path / "grades.csv"
    with open(grades, "w", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows_out)
    return big, grades, [template["student"] for template in templates]


def test_a_class_of_1000_is_reported_in_under_10_seconds(large_class, graded_class, course, tmp_path):
    big, grades, templates = large_class
    start = time.perf_counter()
    written = write_report(big, CHAPTER, grades, output_dir=tmp_path / "out")
    seconds = time.perf_counter() - start
    print(f"report of 1000 students: {seconds:.2f} s")
    assert seconds < 10
    soup = page(written.page)
    assert "1000 submissions: 1000 graded" in soup.find(id="overview").get_text()
    small = page(write_report(course, CHAPTER, graded_class.grades, output_dir=tmp_path / "small").page)
    for table_id in ["mistakes-table", "unexplained-table"]:
        copied = {key: sum(templates[i % len(templates)] in who for i in range(1000))
                  for key, who in table_groups(small, table_id).items()}
        assert counts(soup, table_id) == {key: f"{n} of 1000" for key, n in copied.items()}
    assert written.canvas.rows == 1000 and len(read_csv(written.canvas.path)) == 1002
    assert io.StringIO(written.text).readline().startswith(f"{CHAPTER}: 1000 submissions")


# The command line ---------------------------------------------------------------------------

def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=tool_environment())


def test_report_help_names_its_options():
    run = cli("report", "--help")
    assert run.returncode == 0 and all(option in run.stdout for option in ["--grades", "--roster", "--output-dir"])


@pytest.mark.parametrize("roster,message", [
    ("name,email\nAda,ada@example.edu\n", "a roster needs a 'student' column"),
    ("student,nickname\nada,A\n", "unknown roster columns ['nickname']"),
    ("student,name\nada,Ada\nada,Ada again\n", "student 'ada' is listed twice"),
])
def test_a_bad_roster_is_a_one_line_error(graded_class, course, tmp_path, roster, message):
    (tmp_path / "roster.csv").write_text(roster)
    run = cli("report", CHAPTER, "--course", course.root, "--grades", graded_class.grades, "--roster",
              tmp_path / "roster.csv", "--output-dir", tmp_path)
    assert run.returncode != 0 and run.stderr.count("\n") == 1 and message in run.stderr, run.stderr


def test_a_report_without_a_graded_course_is_a_one_line_error(course, tmp_path):
    for args, message in [(["--course", tmp_path], "has no gradebook.db"),
                          (["--course", course.root, "--grades", tmp_path / "nowhere.csv"], "no such grades CSV")]:
        run = cli("report", CHAPTER, *args, "--output-dir", tmp_path)
        assert run.returncode != 0 and run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
