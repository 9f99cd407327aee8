"""A reproducible labelled set for the sample study, shared by the suggestion benchmarks.

The sample study ships without codings, so the benchmarks label it with hand-written
rules, written by reading the data (not generated from the framework's keyword lists,
although some words inevitably coincide):

* Interview segments are labelled by the topic guide: each respondent turn gets the
  theme(s) of the interviewer question it answers (``INTERVIEW_QUESTION_RULES``,
  matched against the question, never the answer). A follow-up question that names no
  topic keeps the current one; an opening or closing question clears it. The answer's
  own words play no part, so the labels do not favour any method's vocabulary.
* Survey answers are labelled by ``SURVEY_RULES`` on the answer text, one or more
  survey themes per answer.

``split`` then puts a third of each theme's labelled segments (rounded up) into the
training set with a fixed seed; the rest is the test set.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence

from qualcode.domain.model import Segment

INTERVIEW_QUESTION_RULES: dict[str, str] = {
    "1.1": r"vacanc|staffing (levels|position)|workforce.{0,40}size|placed for social workers"
    r"|filling (those|the) posts",
    "1.2": r"support staff|administrative|business support|family support workers"
    r"|social work assistants|other (staff )?roles",
    "1.3": r"\bagency\b",
    "1.4": r"leave and sickness|sickness|maternity",
    "1.5": r"role differentiation|differentiat\w* (the )?roles|roles are differentiated"
    r"|other (staff )?roles|career grade",
    "2.1": r"\bduty\b",
    "2.2": r"performance management|appraisal",
    "2.3": r"supervis",
    "2.4": r"workload|caseload|allocation|waiting list|weighting",
    "2.5": r"recording system|recording\?|electronic|\bics\b|records system|what system",
    "2.6": r"actually (being )?seen|users are seen|feedback",
    "2.7": r"closing cases|\breviews\b",
    "3.1": r"\bcaf\b|prevent|early intervention",
    "3.2": r"threshold|eligib|\bfacs\b",
    "4.1": r"\bstudents\b|student placements",
    "4.2": r"grow your own|secondment|trainee",
    "4.3": r"ready|readiness|nqsw|newly qualified|protect\w* (their )?caseload",
    "5.1": r"first[- ]line managers",
    "5.2": r"\bcpd\b|post-qualifying|\bpq\b",
    "6.1": r"recruit|market supplement|golden hello",
    "6.2": r"retention|retain|career structure",
    "7": r"key messages|messages to government",
}
OPENING_OR_CLOSING = r"your role|thank you (very much|for your time)|finish on|that's (all|it)"

SURVEY_RULES: dict[str, str] = {
    "S1.1": r"monthly|fortnightly|weekly supervision|every six weeks|cancel|last minute"
    r"|haven't had (formal )?supervision|two sessions|times a year|often enough"
    r"|chase my manager|\bregular|irregular|rarely get supervision|corridor|open door"
    r"|between sessions|booked on days",
    "S1.2": r"reflect|case management|tick box|checking timescales|list of cases|emotional"
    r"|how i am and how|my development|peer supervision|group supervision"
    r"|clinical supervision|urgent cases|case direction|not about the computer"
    r"|rather than practice|whole session|time to think|challenges my thinking",
    "S1.3": r"supervisor|my (team )?manager\b|my tm\b|managers have had no training"
    r"|not a social worker|which manager you get|new team manager|different ones"
    r"|an ot\b|nurse manager|manager who understands|permanent manager",
    "S2.1": r"caseload|too many cases|unmanageable|volume of work|court work|workload"
    r"|in crisis|what one worker",
    "S2.2": r"cap on caseloads|weighting|allocat|given new cases|protected caseload"
    r"|spans of control|full-time caseloads|cover my cases|say no",
    "S3.1": r"paperwork|\bforms?\b|duplication|targets|timescales|recording|quality assurance"
    r"|typing|write up|exemplar|process now|computer screen|reports",
    "S3.2": r"computer|laptop|\bit\b(?= that)|\bics\b|integrated children's system|crash"
    r"|hot desking|phone that works|\bdesk\b",
    "S4.1": r"vacanc|vacant|workers down|agency|short.?staffed|understaffed"
    r"|more social workers|more sw|only qualified worker|no staff|no extra staff"
    r"|good people|staffing|nobody to cover|experienced colleagues",
    "S4.2": r"admin|minute taker|photocopying|support workers|social work assistants"
    r"|answer the phones|unqualified staff",
    "S5.1": r"\bpay\b|salary|paid|money|£|\bearn",
    "S5.2": r"annual leave|on leave|\bhours\b|toil|flexi|evenings|weekends|part-time"
    r"|working from home|over my contract|having a family|own family",
    "S6.1": r"senior manag|management|listen|valued|recognition|bullying|trusted"
    r"|micro-managed|them and us|from the top|treated as a number|from above"
    r"|professional judgement|managers (have|get|are under)",
    "S6.2": r"restructur|initiatives|stability|integrated teams|out of the cmht"
    r"|changed out of all recognition|changes to",
    "S6.3": r"my team|great team|colleagues|team meetings|morale|losing my team"
    r"|holding the team together|peer support",
    "S7.1": r"training|\bcpd\b|\bpq\b|research|dols",
    "S7.2": r"nqsw|newly qualified|induction|deep end|first year|second year|university"
    r"|students|protected caseload",
    "S7.3": r"career|progression|promot|management to get on|stay in practice"
    r"|senior practitioner|manager's job|lecturing",
    "S8.1": r"media|press|baby p\b|the public|news|government|promote the profession"
    r"|skilled job|public and",
    "S8.2": r"blame|struck off|hung out to dry|serious case review|complaint"
    r"|council's back|manage risk|practise safely|cut corners|backlash|other agencies fail",
    "S9.1": r"stress|health\b(?! (and|doing|takes|visitors))|burnout|exhaust|sleepless|tired"
    r"|off sick|worry|under pressure",
    "S9.2": r"\bleav(e|ing)\b(?! them)|notice|retire|thinking about it|counting the days"
    r"|considering|right choice|applied for jobs|going agency|australia"
    r"|gone tomorrow|stop practising|love (my|the) job|lottery|proud|rewarding",
    "S10.1": r"resources|placements|\bbeds\b|care packages|funding|cutting services|cut back"
    r"|no money|thresholds|camhs|facs|personalisation|equipment|day opportunities"
    r"|discharge|legal advice|panel|ration|more with less|extra money",
    "S10.2": r"direct work|service users?|families|children\b|people rather|contact with"
    r"|violence|threats|lone working|a difference|about people|see people"
    r"|time with|work with the child|care visits",
}


def _compiled(rules: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {theme: re.compile(rule, re.IGNORECASE) for theme, rule in rules.items()}


def label(segments: Sequence[Segment], kinds: dict[str, str]) -> dict[str, set[str]]:
    """Segment id -> themes, for respondent segments the rules label.

    ``segments`` must include interviewer turns, in reading order per source.
    """
    interview = _compiled(INTERVIEW_QUESTION_RULES)
    survey = _compiled(SURVEY_RULES)
    reset = re.compile(OPENING_OR_CLOSING, re.IGNORECASE)
    out: dict[str, set[str]] = {}
    topic: dict[str, set[str]] = {}
    for seg in segments:
        if kinds[seg.source] == "survey":
            themes = {t for t, rule in survey.items() if rule.search(seg.text)}
            if themes:
                out[seg.id] = themes
            continue
        if seg.role == "interviewer":
            found = {t for t, rule in interview.items() if rule.search(seg.text)}
            if found:
                topic[seg.source] = found
            elif reset.search(seg.text):
                topic[seg.source] = set()
            continue
        if topic.get(seg.source):
            out[seg.id] = set(topic[seg.source])
    return out


def split(
    labels: dict[str, set[str]], fraction: float = 1 / 3, seed: int = 2009
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(train, test): about ``fraction`` of each theme's segments in train, seeded."""
    ids = sorted(labels)
    random.Random(seed).shuffle(ids)
    totals: dict[str, int] = {}
    for sid in ids:
        for t in labels[sid]:
            totals[t] = totals.get(t, 0) + 1
    quota = {t: math.ceil(n * fraction) for t, n in totals.items()}
    taken = dict.fromkeys(totals, 0)
    train: dict[str, set[str]] = {}
    test: dict[str, set[str]] = {}
    # Rarest themes first, so each gets its third before common ones fill the set.
    order = sorted(ids, key=lambda s: min(totals[t] for t in labels[s]))
    for sid in order:
        if any(taken[t] < quota[t] for t in labels[sid]):
            train[sid] = labels[sid]
            for t in labels[sid]:
                taken[t] += 1
        else:
            test[sid] = labels[sid]
    return train, test
