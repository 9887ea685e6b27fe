"""The class report: one self-contained HTML page, a short text summary, and the LMS files.

``write_report`` reads the class (``classdata``), the mistakes the grading data knows now
(``mistakes``), the scores kept before the last regrade (``regrade``), writes
``report-<assignment>.html`` with the Canvas and Moodle grades files beside it, and returns
the text summary. The page needs no network: its one figure, the score histogram, is an
inline PNG, its style is inline, and it has no script; student lists fold in ``<details>``.
"""
import base64
import datetime
import html
import io
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.reporting.classdata import load_class
from autograder.reporting.exports import read_roster, write_canvas, write_moodle
from autograder.reporting.mistakes import explanations
from autograder.reporting.regrade import kept_scores, score_changes
from autograder.reporting.summary import summarize

#: Students named in one folded list at most (the count is always shown).
MAX_NAMES = 200
#: Slowest submissions listed under grading times.
SLOWEST = 10


@dataclass
class Written:
    """What ``write_report`` wrote: the page, the two LMS files (``exports.Export``), the text summary."""

    page: object
    canvas: object
    moodle: object
    text: str


def write_report(course, assignment, grades_csv=None, roster=None, output_dir=None, lms_column=None):
    """Write the report page and the Canvas and Moodle files of ``assignment`` into
    ``output_dir`` (default: the course folder); return what was written.

    roster: path of a roster CSV (``exports``), or None. lms_column: the grade column's
    header in the LMS files (default: the assignment's name)."""
    results = load_class(course, assignment, grades_csv)
    kept, kept_at = kept_scores(course, assignment)
    changes = None
    if kept is not None:
        now = {s.student: (s.exercises if s.status == "graded" else None) for s in results.submissions}
        changes = score_changes(kept, now)
    summary = summarize(results, explanations(assignment), changes, kept_at)
    folder = Path(output_dir) if output_dir else course.root
    folder.mkdir(parents=True, exist_ok=True)
    column = lms_column or assignment
    grades = {s.student: {column: s.final_score if s.status == "graded" else None} for s in results.submissions}
    people = read_roster(roster) if roster else None
    canvas = write_canvas(folder / f"canvas-{assignment}.csv", {column: results.max_score}, grades, people)
    moodle = write_moodle(folder / f"moodle-{assignment}.csv", {column: results.max_score}, grades, people)
    page = folder / f"report-{assignment}.html"
    page.write_text(render_page(summary, canvas, moodle), encoding="utf-8")
    return Written(page, canvas, moodle, text_summary(summary, canvas, page))


# Numbers in words ----------------------------------------------------------------------------

def points(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural(count, noun):
    """'1 student', '2 students'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def of_class(count, total):
    return f"{count} of {total}"


def score_line(summary):
    """'mean 5.14 of 8 (64%), median 5' over the graded students, or that none was graded."""
    if not summary.scores:
        return "no graded submissions"
    mean = statistics.fmean(summary.scores)
    percent = 100 * mean / summary.max_score if summary.max_score else 0.0
    return f"mean {points(mean)} of {points(summary.max_score)} ({percent:.0f}%), median {points(statistics.median(summary.scores))}"


def counts_line(summary):
    return (f"{plural(summary.submissions, 'submission')}: {summary.graded} graded, {summary.count('stopped')} stopped, "
            f"{summary.count('not graded')} not graded")


def time_line(summary):
    seconds = [s for _, s in summary.times]
    if not seconds:
        return "no grading times recorded"
    slowest_student, slowest = summary.times[0]
    ninetieth = np.percentile(seconds, 90)
    return (f"median {statistics.median(seconds):.1f} s, 90th percentile {ninetieth:.1f} s, "
            f"slowest {slowest:.1f} s ({slowest_student}); {sum(seconds) / 60:.1f} min in all")


# The histogram -------------------------------------------------------------------------------

def histogram_bins(max_score):
    """Bin edges: one bar a point for whole-point scores up to 50 points, else 20 bars."""
    if max_score == int(max_score) and 0 < max_score <= 50:
        return np.arange(-0.5, max_score + 1.0, 1.0)
    return np.linspace(0.0, max(max_score, 1.0), 21)


def histogram(summary):
    """(PNG bytes, alt text) of the score distribution of the graded students."""
    # Imported here: every nnbook-grader command loads this module, only the report draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    edges = histogram_bins(summary.max_score)
    counts, _ = np.histogram(summary.scores, bins=edges)
    figure = Figure(figsize=(7.0, 3.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.hist(summary.scores, bins=edges, color="#3b6ea5", edgecolor="white")
    axes.set_title(f"Scores of the {summary.graded} graded submissions of {summary.assignment}")
    axes.set_xlabel(f"score (points, out of {points(summary.max_score)})")
    axes.set_ylabel("students")
    axes.set_xlim(edges[0], edges[-1])
    axes.yaxis.get_major_locator().set_params(integer=True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    centres = (edges[:-1] + edges[1:]) / 2
    bars = [f"{count} at {points(centre)}" for centre, count in zip(centres, counts) if count]
    alt = (f"Histogram of the scores of {summary.graded} graded submissions, out of {points(summary.max_score)} "
           f"points: {'; '.join(bars)}. {score_line(summary).capitalize()}.")
    return buffer.getvalue(), alt


# The page ------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 62rem; padding: 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
p, h1, h2, li, details { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; white-space: nowrap; }
td.long { overflow-wrap: anywhere; min-width: 12rem; }
img { max-width: 100%; height: auto; }
details summary { cursor: pointer; color: #3b6ea5; }
.note { color: #555; }
"""


def escape(text):
    return html.escape(str(text), quote=True)


def table(table_id, header, rows, numeric=(), long=()):
    """An HTML table; ``rows`` hold already-escaped cell HTML; ``numeric`` and ``long`` (text
    that may break anywhere) are column indices."""
    def cell(tag, index, content):
        kind = "number" if index in numeric else "long" if index in long else "text"
        return f"<{tag} class='{kind}'>{content}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<div class='scroll'><table id='{table_id}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def names(students):
    shown = ", ".join(escape(s) for s in students[:MAX_NAMES])
    more = f", and {len(students) - MAX_NAMES} more" if len(students) > MAX_NAMES else ""
    return f"<details><summary>{plural(len(students), 'student')}</summary>{shown}{more}</details>"


def section(section_id, title, body):
    return f"<section id='{section_id}'><h2>{escape(title)}</h2>{body}</section>"


def distribution_section(summary):
    if not summary.scores:
        return section("distribution", "Score distribution", "<p>No graded submissions.</p>")
    png, alt = histogram(summary)
    data = base64.b64encode(png).decode()
    late = (f"<p class='note'>{plural(summary.late, 'student')} with a late penalty: the histogram shows scores before it, "
            f"the LMS files after it.</p>") if summary.late else ""
    return section("distribution", "Score distribution",
                   f"<img id='histogram' src='data:image/png;base64,{data}' alt='{escape(alt)}'>{late}")


def exercises_section(summary):
    graded = summary.graded
    rows = [[escape(e.name), points(e.points), of_class(e.passed, graded),
             f"{100 * e.passed / graded:.0f}%" if graded else "-", points(e.mean), str(e.not_attempted),
             str(e.mistakes), str(e.unexplained)] for e in summary.exercises]
    header = ["exercise", "points", "full points", "pass rate", "mean", "not attempted", "recognised mistake",
              "unexplained failure"]
    return section("exercises", "Exercises", table("exercises-table", header, rows, numeric=range(1, 8)))


def groups_section(section_id, title, intro, groups, graded, first_column):
    if not groups:
        return section(section_id, title, f"<p>{escape(intro)} None in this class.</p>")
    rows = [[escape(g.text), escape(g.exercise), of_class(len(g.students), graded), names(g.students)] for g in groups]
    return section(section_id, title, f"<p>{escape(intro)}</p>" + table(
        f"{section_id}-table", [first_column, "exercise", "students", "who"], rows, numeric=[2], long=[0, 3]))


def problems_section(summary):
    body = ""
    if summary.problems:
        rows = [[escape(s.student), escape(s.status), escape(s.message)] for s in summary.problems]
        body += table("problems-table", ["student", "status", "reason"], rows, long=[0, 2])
    else:
        body += "<p>Every submission was graded.</p>"
    if summary.notes:
        rows = [[escape(s.student), points(s.score), escape(s.message)] for s in summary.notes]
        body += "<p>Graded, with a note from the grader:</p>" + table("notes-table", ["student", "score", "note"], rows,
                                                                       numeric=[1], long=[0, 2])
    return section("problems", "Stopped or not graded", body)


def times_section(summary):
    rows = [[escape(student), f"{seconds:.1f}"] for student, seconds in summary.times[:SLOWEST]]
    slowest = f"<p>The slowest {len(rows)}:</p>" + table("times-table", ["student", "seconds"], rows, numeric=[1],
                                                            long=[0]) \
        if rows else ""
    return section("times", "Grading times", f"<p>Autograde and feedback, a submission: {escape(time_line(summary))}.</p>"
                   + slowest)


def changes_section(summary):
    if summary.changes is None:
        return ""
    when = summary.kept_at.strftime("%Y-%m-%d %H:%M")
    intro = f"<p>Compared with the scores kept before the last regrade ({escape(when)}).</p>"
    if not summary.changes:
        return section("changes", "Changed by the regrade", intro + "<p>No score changed.</p>")
    rows = []
    for change in summary.changes:
        after = "not graded" if change.after is None else points(change.after)
        difference = "" if change.difference is None else f"{change.difference:+g}"
        moved = ", ".join(f"{escape(name)} {points(a)} → {points(b)}" for name, (a, b) in change.exercises.items())
        rows.append([escape(change.student), points(change.before), after, difference, moved])
    return section("changes", "Changed by the regrade", intro + f"<p>{plural(len(rows), 'score')} changed.</p>" + table(
        "changes-table", ["student", "before", "after", "change", "exercises"], rows, numeric=[1, 2, 3], long=[0, 4]))


def exports_section(canvas, moodle):
    items = "".join(f"<li>{label}: <code>{escape(export.path.name)}</code>, {plural(export.rows, 'student')}</li>"
                    for label, export in [("Canvas", canvas), ("Moodle", moodle)])
    body = f"<ul>{items}</ul>"
    if canvas.unknown:
        body += (f"<p><strong>{plural(len(canvas.unknown), 'student')} not in the roster</strong>, so not in the LMS "
                 f"files:</p>{names(canvas.unknown)}")
    if canvas.without_grade:
        body += f"<p>Written with an empty grade (not graded, or no submission):</p>{names(canvas.without_grade)}"
    return section("exports", "Grades for the LMS", body)


def render_page(summary, canvas, moodle):
    """The report page's HTML."""
    graded = summary.graded
    mistakes = groups_section(
        "mistakes", "Recognised mistakes",
        "Failures a catalogued mutant reproduces, by how many students made each (a student counts once a mistake).",
        summary.mistakes, graded, "mistake")
    unexplained = groups_section(
        "unexplained", "Failures no mutant explains",
        "Failed hidden tests that no catalogued mutant reproduces, grouped by the grader's one-line message: "
        "a new misconception, or an exercise or hidden case to look at again.",
        summary.unexplained, graded, "failure")
    generated = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    body = "".join([
        f"<h1>Class report: {escape(summary.assignment)}</h1>",
        f"<p id='overview'>{escape(counts_line(summary))}. Scores: {escape(score_line(summary))}.</p>",
        f"<p class='note'>Made by nnbook-grader report on {generated}.</p>",
        distribution_section(summary), exercises_section(summary), mistakes, unexplained,
        problems_section(summary), times_section(summary), changes_section(summary), exports_section(canvas, moodle),
    ])
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>Class report: {escape(summary.assignment)}</title><style>{STYLE}</style></head>"
            f"<body><main><article>{body}</article></main></body></html>\n")


# The text summary ----------------------------------------------------------------------------

def text_summary(summary, canvas, page, top=5):
    """A few lines for the terminal: counts, scores, each exercise, the top mistakes, problems."""
    graded = summary.graded
    lines = [f"{summary.assignment}: {counts_line(summary)}; {score_line(summary)}"]
    for e in summary.exercises:
        lines.append(f"  {e.name}: full points {of_class(e.passed, graded)}, mean {points(e.mean)} of {points(e.points)}")
    if summary.mistakes:
        lines.append("most common recognised mistakes:")
        lines += [f"  {of_class(len(g.students), graded)}  {g.exercise}: {g.text}" for g in summary.mistakes[:top]]
    if summary.unexplained:
        students = len({s for g in summary.unexplained for s in g.students})
        lines.append(f"failures no mutant explains: {plural(len(summary.unexplained), 'message')}, "
                     f"{plural(students, 'student')}")
    if summary.changes:
        lines.append(f"changed by the regrade: {plural(len(summary.changes), 'score')}")
    if canvas.unknown:
        lines.append(f"warning: {plural(len(canvas.unknown), 'student')} not in the roster, so not in the LMS files: "
                     + ", ".join(canvas.unknown[:20]) + (" ..." if len(canvas.unknown) > 20 else ""))
    lines.append(f"report: {page}")
    return "\n".join(lines)
