"""The numbers of a class report, computed once from ``ClassResults``: what the page and the
text summary show."""
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from autograder.reporting.mistakes import MISTAKE, NOT_ATTEMPTED, UNEXPLAINED, read_failure


@dataclass
class ExerciseStats:
    """One exercise over the graded students: ``passed`` got full points; ``mistakes``,
    ``unexplained`` and ``not_attempted`` count students whose failure reads so."""

    name: str
    points: float
    passed: int = 0
    mean: float = 0.0
    not_attempted: int = 0
    mistakes: int = 0
    unexplained: int = 0


@dataclass
class Group:
    """Students whose failure of ``exercise`` reads the same ``text`` (a mistake or a message)."""

    exercise: str
    text: str
    students: list = field(default_factory=list)


@dataclass
class Summary:
    """scores: each graded student's points (before any late penalty). problems: submissions
    stopped or not graded; notes: graded ones the grader noted something about (a time
    limit, a dead kernel, missing feedback). times: (student, seconds), slowest first."""

    assignment: str
    max_score: float
    submissions: int
    scores: list
    exercises: list
    mistakes: list
    unexplained: list
    problems: list
    notes: list
    times: list
    late: int = 0
    changes: list = None
    kept_at: object = None

    @property
    def graded(self):
        return len(self.scores)

    def count(self, status):
        return sum(p.status == status for p in self.problems)


def summarize(results, known, changes=None, kept_at=None):
    """The Summary of ``results`` (ClassResults); ``known``: ``mistakes.explanations``;
    ``changes``/``kept_at``: the regrade's score changes and when the old scores were kept."""
    graded = results.graded
    stats = {name: ExerciseStats(name, points) for name, points in results.exercises.items()}
    groups = {MISTAKE: defaultdict(list), UNEXPLAINED: defaultdict(list)}
    for submission in graded:
        for name, points in submission.exercises.items():
            stats[name].passed += points >= results.exercises[name]
        for name, text in submission.failures.items():
            reading = read_failure(known, name, text)
            if reading.kind == NOT_ATTEMPTED:
                stats[name].not_attempted += 1
                continue
            if reading.kind == MISTAKE:
                stats[name].mistakes += 1
            else:
                stats[name].unexplained += 1
            groups[reading.kind][(name, reading.text)].append(submission.student)
    for name, stat in stats.items():
        stat.mean = statistics.fmean(s.exercises[name] for s in graded) if graded else 0.0
    order = list(results.exercises)

    def ranked(found):
        return sorted((Group(name, text, sorted(students)) for (name, text), students in found.items()),
                      key=lambda g: (-len(g.students), order.index(g.exercise), g.text))

    times = sorted(((s.student, s.seconds) for s in graded if s.seconds is not None), key=lambda t: (-t[1], t[0]))
    return Summary(
        assignment=results.assignment, max_score=results.max_score, submissions=len(results.submissions),
        scores=[s.score for s in graded], exercises=list(stats.values()),
        mistakes=ranked(groups[MISTAKE]), unexplained=ranked(groups[UNEXPLAINED]),
        problems=[s for s in results.submissions if s.status != "graded"],
        notes=[s for s in graded if s.message], times=times, late=sum(s.penalty > 0 for s in graded),
        changes=changes, kept_at=kept_at)
