#!/usr/bin/env python3
"""Generate transcripts/survey.csv: a synthetic staff survey of front-line
social workers in English local authorities (480 respondents).

Deterministic: seeded with random.Random(2009) and uses the standard library
only, so running it again reproduces the same file byte for byte.

Free-text answers are built from hand-written comment fragments. Each
fragment may carry tags in square brackets that restrict who can say it:

    mood:       pos, neg, mix      (respondent's mood for that question)
    setting:    cf (children and families), ad (any adult group),
                op, mh, ld, pd     (specific adult client groups)
    role:       sw, sp, mgr        (social worker, senior practitioner, manager)
    other:      nq (qualified 0-2 years), exp (10+ years), vet (20+ years),
                pt (part-time),
                old (55 and over)

Untagged fragments can be used by anyone.

Usage:  python transcripts/tools/make_survey.py [output.csv]
"""

import csv
import random
import re
import sys
from pathlib import Path

SEED = 2009
N_RESPONDENTS = 480

COLUMNS = [
    "respondent_id", "sector", "job", "client_group", "years_experience",
    "age_band", "gender", "hours",
    "q_supervision", "q_help", "q_cease", "q_other",
]

# ---------------------------------------------------------------------------
# Comment fragments
# ---------------------------------------------------------------------------

SUPERVISION = """
[pos] My supervisor is excellent and I always come out of supervision feeling clearer about what I need to do.
[pos] Supervision is monthly and very rarely cancelled, which I know is not the case in other teams.
[pos] My team manager makes time for proper reflective discussion, not just ticking off tasks.
[pos] Good supervision is the main reason I have stayed in this team.
[pos] I can always get informal advice from my senior practitioner in between sessions.
[pos] my manager has an open door policy which helps alot
[pos] Supervision is supportive and I feel listened to.
[pos] My supervisor is very knowledgeable and always makes time for me, even when she is under a lot of pressure herself.
[pos] I moved teams last year and the difference in supervision is night and day - I now feel properly supported.
[pos] Supervision is recorded and I get a signed copy, which is more than I ever got in my last authority.
[pos] We always start with how I am and how I'm coping before we get on to the cases.
[pos] Excellent. My manager challenges my thinking and helps me look at cases from a different angle.
[pos] I value supervision highly, it is the one protected space in the month.
[pos] my TM is brilliant, very experienced and knows the families as well as I do
[pos] Supervision has got much better since the new team manager came in.
[pos] Supervision helped me through a really difficult period last year when a case went badly wrong.
[neg] Supervision is supposed to be monthly but I have had two sessions in the last six months.
[neg] It is almost entirely case management - going through the list of cases and checking timescales.
[neg] There is no time for reflection at all.
[neg] Supervision gets cancelled whenever there is a crisis, which is most weeks.
[neg] My manager is agency and we have had three different ones this year, so there is no continuity whatsoever.
[neg] I am supervised by someone who is not a social worker and doesn't understand the statutory side of the job.
[neg] Supervision feels like a tick box exercise for the auditors rather than something that is for me.
[neg] We never discuss my development or how I am coping emotionally.
[neg] My supervisor is lovely but completely overloaded herself, so sessions are rushed and often cut short.
[neg] Most of my supervision happens in the corridor or by the photocopier.
[neg] supervision is a joke
[neg] I have to chase my manager for supervision and then it gets moved at the last minute.
[neg] It is mostly about performance indicators and whether ICS is up to date.
[neg] I find supervision stressful rather than supportive, it feels like being checked up on.
[neg] When I said how stressed I was I was told "everyone is in the same boat".
[neg] Our team manager supervises 14 people so it is impossible for her to give everyone proper time.
[neg] I would like supervision to be about the families, not about the computer.
[neg] There is a big difference between supervision on paper and what actually happens.
[neg] Newly promoted managers have had no training in how to supervise, and it shows.
[neg] Supervision notes are not typed up for weeks, if at all, so nothing agreed gets followed through.
[neg] I haven't had formal supervision since March.
[neg] My manager looks at her emails during supervision. It doesn't make you feel valued.
[neg] Decisions are made in supervision and then changed the next day by the service manager without telling me.
[neg] very poor. irregular, rushed and no reflection
[mix] Supervision is OK but could be more reflective.
[mix] Good when it happens, but it doesn't happen often enough.
[mix] I get supervision about every six weeks, which is just about adequate.
[mix] Peer supervision has filled the gap to some extent.
[mix] Informal supervision is good, formal supervision less so.
[mix] It depends very much on which manager you get.
[mix] My manager is supportive but there is only time to discuss the most urgent cases.
[mix] Group supervision was introduced this year and is a useful addition, but it doesn't replace one-to-one time.
[mix] Supervision is fine for case direction but I get my emotional support from colleagues.
[mix] It's adequate. Nothing more, nothing less.
[mix] I'd value some external or clinical supervision as well as line management supervision.
[mix] Regular enough, but it's 90% case management and 10% everything else.
[cf,neg] Child protection cases take up the whole session so the rest of my caseload never gets discussed.
[cf,neg] Decisions about care proceedings are made in supervision without any real time to think them through.
[cf,pos] My manager is very good on court work and has helped me enormously with care proceedings.
[cf,mix] Supervision is dominated by timescales for initial and core assessments.
[ad,neg] In adult services supervision seems to be seen as optional.
[ad,neg] My supervisor is an OT and so can't really advise on safeguarding adults or mental capacity issues.
[ad,mix] Supervision is mainly about budgets and care packages rather than practice.
[mh,pos] My AMHP supervision is separate and far better than my team supervision.
[mh,mix] In the CMHT I am supervised by a nurse manager for my caseload and a senior social worker for professional issues, which works reasonably well.
[ld,mix] Supervision in the integrated team is fine for health tasks but social work issues get lost.
[nq,pos] As an NQSW I get fortnightly supervision and it has been invaluable.
[nq,neg] As an NQSW I was promised weekly supervision in my first six months and it just hasn't happened.
[nq,mix] I am newly qualified and still not sure what I should be getting out of supervision.
[sp,mix] As a senior practitioner I supervise others but rarely get supervision myself.
[sp,neg] Senior practitioners are expected to pick up the supervision the managers don't have time for, on top of a full caseload.
[mgr,mix] As a manager I try to protect supervision time but it is the first thing to go when the team is short.
[mgr,neg] I supervise 11 staff and get supervision from my head of service maybe three times a year.
[mgr,pos] I have monthly supervision with my service manager which is genuinely helpful.
[pt,neg] I work part-time and supervision is often booked on days I don't work.
[vet,mix] After 20 years I don't need my hand held, but it would be nice to be asked what I think occasionally.
"""

HELP = """
Less paperwork.
More admin support so I can spend time with people rather than typing.
A working computer system!
More time to do direct work.
Lower caseloads.
A cap on caseloads that is actually enforced.
Filling the vacancies in our team - we have been three workers down for over a year.
A laptop so I can write up notes between visits instead of driving back to the office.
Regular, good quality supervision.
Being trusted as a professional rather than micro-managed.
Senior managers actually listening to front line staff.
Better pay that reflects the responsibility we carry.
Access to resources. There is no point assessing need if there is nothing to offer.
Having a desk! Hot desking means I spend 20 minutes every morning looking for somewhere to sit.
Protected time for training and for reading research.
Less duplication - I enter the same information in three different places.
A minute taker for meetings.
Fewer targets and timescales.
Better communication between teams.
A permanent manager instead of a string of agency ones.
Recognition that social work is a skilled job.
Stability. Stop restructuring every eighteen months.
flexi time that you can actually take
Being able to take my TOIL.
Better joint working with health.
Working from home one day a week to catch up on recording.
a mobile phone that works
More experienced colleagues - our team is mostly NQSWs and agency staff.
Time. Just time.
Clearer thresholds so we aren't taking referrals that should go elsewhere.
Quicker decisions from panel.
Less blame when things go wrong.
Support from the government and the media instead of constant criticism.
Realistic expectations from managers about what one worker can do in a week.
IT that doesn't crash when you've just typed up an hour's worth of notes.
more SW's
An end to the long hours culture.
Access to legal advice without waiting days for a reply.
A smaller patch - I spend hours every week driving.
Someone to answer the phones when we're on duty.
Proper reflective supervision, not just case management.
More support workers for the hands-on work.
Being able to close cases without a mountain of forms.
A decent parking space near the office, as I need my car every day.
Shorter, simpler assessment forms.
Admin staff to do the photocopying, scanning and filing.
Training that is relevant to my actual job, not e-learning on fire safety.
To be allowed to use my professional judgement.
A manager who understands social work.
Team meetings where we actually discuss practice.
Somewhere private to make phone calls and see people.
Not to be given new cases when I'm already over my weighting.
More social workers, fewer managers.
A pay rise of more than 1%!
Quiet space to write reports.
An extra day in the week! (joke, sort of)
Someone to cover my cases when I'm on leave so I don't come back to chaos.
Getting rid of the endless "quality assurance" forms.
[cf] Get rid of ICS or at least make it fit for purpose.
[cf] More foster placements, especially for teenagers and sibling groups.
[cf] Social work assistants to do transport and supervised contact.
[cf] CAMHS being available when we need them.
[cf] Less time in court and more time with children.
[cf] Schools and health doing their bit with CAFs instead of referring everything to us.
[cf] The core assessment exemplar being cut down - it's 40 pages long.
[ad] More money for care packages.
[ad] Reviews done by unqualified staff so social workers can do the complex work.
[ad] Better training on mental capacity and DoLS.
[ad] A faster response from the OT service.
[ad] Fewer hoops to jump through to get funding agreed.
[op] More residential and nursing placements locally - families are having to travel miles.
[op] Better hospital discharge arrangements - we're being rushed to get people out.
[mh] More AMHPs on the rota so we're not doing assessments every other day.
[mh] Beds! There are never any beds.
[ld] Proper transition planning from children's services.
[ld] More day opportunities for young adults with learning disabilities.
[pd] Equipment delivered in days, not months.
[nq] A protected caseload for newly qualified workers.
[nq] A proper induction - I was given cases on my second day.
[mgr] More team managers so that spans of control are manageable.
[mgr] Being able to recruit to vacant posts without going through a vacancy panel.
[sp] A clear role for senior practitioners rather than just being a caseholder who also supervises.
[pt] Recognising that part-time staff shouldn't have full-time caseloads.
"""

CEASE = """
Being blamed for something that goes wrong despite doing my best.
Being involved in a serious case review and being hung out to dry by management.
The media coverage after Baby P made me seriously think about leaving.
Continuing stress and the effect it is having on my health.
Being struck off by the GSCC for a mistake made under pressure.
Violence or threats from service users, which are increasing.
The hours are not compatible with having a family.
If flexible working was withdrawn.
Another restructure.
Bullying management.
Feeling that I can no longer practise safely.
The constant criticism from the public and the press.
pay
If I was forced to go into management to get on.
More paperwork and less contact with service users.
If caseloads keep rising at this rate.
Poor supervision and nobody to talk to about difficult cases.
Being the only qualified worker left in the team.
Lack of support from senior managers when things go wrong.
The feeling that the job is about managing risk to the council rather than helping people.
Sleepless nights worrying about cases.
Not being able to take annual leave because there is nobody to cover.
If the computer system stays the way it is.
A pay freeze on top of everything else.
Lack of career progression without leaving practice.
Working evenings and weekends without being paid for it.
If the council keep cutting services so that all we do is ration.
Being asked to cut corners that put people at risk.
Being off sick with stress again - I've been off twice in three years.
Moving to Australia or New Zealand where social workers are valued and paid properly.
Having to tell people there is no money for the help they need, over and over.
Being treated as a number rather than a professional.
Being told to "manage risk" when what they mean is cover the council's back.
The "do more with less" message from the top, year after year.
If my manager left - she's the only thing holding the team together.
Losing my team. They are what keeps me going.
A complaint against me that wasn't supported by my managers.
Exhaustion.
Burnout, I am tired all the time
When the job stops being about people.
I'm already thinking about it, to be honest.
Having to choose between my own family and the families on my caseload.
If I stopped being able to make a difference.
The sheer volume of work. Something has to give and I don't want it to be my health.
If I could get the same money for a less stressful job I'd be gone tomorrow.
I have thought about going agency - more money, less hassle.
I've applied for jobs in the voluntary sector.
[neg] I already am considering it - the workload is unsustainable.
[neg] I have handed in my notice. Enough is enough.
[neg] Honestly? Everything. I am counting the days.
[pos] Nothing - I love the job despite everything.
[pos] Nothing would make me stop practising, but I might leave this authority.
[pos] If I won the lottery!
[pos] Nothing at the moment, I work for a good authority.
[pos] Retirement is the only thing that will stop me!
[old] I'm due to retire in two years and won't be looking back.
[old] I'll be taking early retirement as soon as I can afford to.
[exp] I am looking at lecturing or practice teaching - somewhere I can use my experience without the stress.
[vet] After 25 years I have seen it all, but the last two years have been the worst by far.
[cf] Unmanageable court work on top of a full caseload.
[cf] Another child death case in the news and the backlash against all of us.
[cf] If I had to go back to a child protection team.
[cf] Being asked to place children somewhere unsuitable because there's nothing else.
[ad] Personalisation being used as an excuse to cut jobs and services.
[ad] Being turned into a care manager who just buys services rather than a social worker.
[ad] The FACS criteria going up to critical only.
[mh] The changes to the AMHP role - the responsibility without the backup.
[mh] Being pushed out of the CMHT as health takes over.
[ld] Seeing the services for people with learning disabilities cut back year after year.
[op] Being pressured to discharge older people from hospital before it's safe.
[nq] If my second year is like my first.
[nq] I'm newly qualified and already wondering if I've made the right choice.
[pt] If I lost my part-time hours.
[mgr] The pressure from above to hit targets regardless of what it does to my staff.
[mgr] Being held responsible for decisions made when I have no staff to carry them out.
[sp] Being expected to do a manager's job on a practitioner's salary.
"""

OTHER = """
Thank you for doing this survey - I hope someone listens.
I love my job, but the conditions make it very hard to do it well.
Social work is a rewarding career and I would recommend it, with reservations.
Morale in my team is the lowest I've known it.
We need a national pay scale for social workers.
The government needs to stand up for social workers instead of joining in with the media.
Too many of my colleagues are off with stress.
I worry about the future of the profession.
Students are coming out of university without the skills they need for statutory work.
I have a great team and that makes all the difference.
The agency workers in my team earn £10 an hour more than me for doing exactly the same job.
I earn £26,500 as a qualified professional. My friend who is a teacher earns a lot more, with the holidays.
Surveys like this never change anything.
Please make sure this reaches the people who make decisions.
Senior managers have no idea what it's like on the front line.
It's a shame so many good social workers leave in the first few years.
I came into social work to make a difference and I still believe I do, some days.
the public think we either snatch children or leave them to die
I work about 10 hours a week over my contract and never get it back.
Managers are under as much pressure as we are, I don't blame them.
There needs to be a proper career path for experienced practitioners who want to stay in practice.
Training budgets have been cut to almost nothing.
Office accommodation is dreadful. No room for private phone calls and the heating doesn't work.
Partnership working with health is getting better but there's a long way to go.
We need to be able to say no when our caseloads are full.
I'm proud to be a social worker.
Some weeks I see more of my computer screen than of any service user.
Lone working policies are not followed - nobody knows where I am half the time.
The thresholds keep going up so we only ever see people in crisis.
My authority is actually a good place to work - decent managers, flexible hours and good training.
There's a "them and us" culture between senior management and front-line staff.
If I could change one thing it would be the blame culture.
I'd like the chance to do more preventative work before people hit crisis point.
I'm going part-time next year because full-time is just not sustainable.
No further comments.
As above.
The survey was a bit long!
Please don't quote me on any of this.
The job has changed out of all recognition. It's all about process now, not people.
We are constantly told to do more with less.
Good luck with the research.
Social workers are the only ones who get blamed when other agencies fail too.
The GSCC should be doing more to promote the profession, not just registering us.
I don't think the public understand what we actually do day to day.
Our team has had four restructures in five years. Every time we lose good people.
We need more men in social work.
Agency staff come and go and the families have to keep telling their story to a new face.
[cf] Baby P has changed everything - referrals have gone through the roof.
[cf] The Integrated Children's System has been a disaster for practice.
[cf] Everyone thinks children's services got lots of extra money after Baby P - we certainly haven't seen it on the front line.
[cf] Core groups and conferences take up so much time there's none left for the actual work with the child.
[ad] Adult services are forgotten about - everyone focuses on children.
[ad] Personalisation is a good idea in principle but it hasn't been resourced.
[ad] Safeguarding adults referrals have doubled and there's been no extra staff.
[op] Older people deserve better than 15-minute care visits.
[mh] The relationship between the council and the trust is a mess and social workers are caught in the middle.
[ld] The move to integrated teams has diluted the social work role.
[nq] As an NQSW I feel I've been thrown in at the deep end.
[nq] My university course didn't prepare me for the amount of paperwork.
[vet] I have been qualified for over 20 years and have never known it this bad.
[exp] I have seen many initiatives come and go. This is the worst it's been for staffing.
[mgr] Managers get squeezed from both sides and nobody asks how we're coping.
[pt] Part-time workers are treated as if they're less committed, which is not the case.
"""

# Words that careless typists (or spell-checkers) get wrong.
TYPOS = [
    ("definitely", "definately"), ("receive", "recieve"),
    ("separate", "seperate"), ("management", "managment"),
    ("a lot", "alot"), ("until", "untill"), ("because", "becuase"),
    ("which", "whcih"), ("believe", "beleive"), ("really", "realy"),
    ("their", "thier"), ("supervision", "supervison"),
    ("colleagues", "collegues"), ("committed", "commited"),
    ("necessary", "neccessary"), ("the", "teh"),
]

# Shorthands front-line staff use.
SHORTHANDS = [
    (r"\bsocial workers\b", "SWs"), (r"\bsocial worker\b", "SW"),
    (r"\bmanager\b", "mgr"), (r"\bmanagers\b", "mgrs"),
    (r"\bteam manager\b", "TM"), (r"\bwithout\b", "w/o"),
    (r"\band\b", "&"), (r"\bsupervision\b", "supn"),
]

# Openings that keep their capital letter after a dash.
KEEP_CAPITAL = ("I ", "I'", "Baby P", "Australia", "CAMHS", "ICS", "GSCC",
                "NQSW", "OT ")

TAG_RE = re.compile(r"^\[([a-z,]+)\]\s*(.*)$")
MOODS = {"pos", "neg", "mix"}


def parse_pool(text):
    """Turn a block of lines into [(text, frozenset(tags))]."""
    pool = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        m = TAG_RE.match(line)
        if m:
            tags = frozenset(m.group(1).split(","))
            body = m.group(2)
        else:
            tags, body = frozenset(), line
        pool.append((body, tags))
    return pool


POOLS = {
    "q_supervision": parse_pool(SUPERVISION),
    "q_help": parse_pool(HELP),
    "q_cease": parse_pool(CEASE),
    "q_other": parse_pool(OTHER),
}

# Chance that an answer is left blank, and how many fragments (1, 2, 3).
EMPTY_RATE = {"q_supervision": 0.19, "q_help": 0.17, "q_cease": 0.23, "q_other": 0.26}
LENGTH_WEIGHTS = {
    "q_supervision": (45, 38, 17),
    "q_help": (62, 29, 9),
    "q_cease": (55, 33, 12),
    "q_other": (50, 35, 15),
}

# ---------------------------------------------------------------------------
# Respondent profile
# ---------------------------------------------------------------------------

ADULT_GROUPS = ["older people", "mental health", "learning disabilities",
                "physical disabilities"]
GROUP_TAG = {"older people": "op", "mental health": "mh",
             "learning disabilities": "ld", "physical disabilities": "pd"}
JOB_TAG = {"social worker": "sw", "senior practitioner": "sp", "manager": "mgr"}
AGE_BANDS = [("under 25", 21, 24), ("25-34", 25, 34), ("35-44", 35, 44),
             ("45-54", 45, 54), ("55 and over", 55, 64)]


def profile(rng, n):
    sector = rng.choices(["CSD", "DASS", "Joint", "PVI"], [45, 38, 9, 8])[0]
    if sector == "CSD":
        group = "children and families"
    elif sector == "DASS":
        group = rng.choices(ADULT_GROUPS, [40, 20, 20, 20])[0]
    elif sector == "Joint":      # joint health and social care trusts
        group = rng.choices(["mental health", "learning disabilities",
                             "older people"], [55, 30, 15])[0]
    else:                        # private, voluntary and independent
        group = rng.choices(["children and families"] + ADULT_GROUPS,
                            [45, 15, 15, 15, 10])[0]

    band, lo, hi = rng.choices(AGE_BANDS, [5, 27, 25, 28, 15])[0]
    age = rng.randint(lo, hi)
    max_years = max(0, min(35, age - 22))
    years = int(round(rng.triangular(0, max_years, max_years * 0.35)))

    job = rng.choices(["social worker", "senior practitioner", "manager"],
                      [66, 20, 14])[0]
    if job == "manager" and years < 5:
        job = "social worker"
    if job == "senior practitioner" and years < 3:
        job = "social worker"

    gender = rng.choices(["female", "male", "prefer not to say"], [77, 20, 3])[0]
    hours = rng.choices(["full-time", "part-time"],
                        [84, 16] if gender != "male" else [95, 5])[0]

    tags = {JOB_TAG[job]}
    if group == "children and families":
        tags.add("cf")
    else:
        tags.update({"ad", GROUP_TAG[group]})
    if years <= 2:
        tags.add("nq")
    if years >= 10:
        tags.add("exp")
    if years >= 20:
        tags.add("vet")
    if hours == "part-time":
        tags.add("pt")
    if band == "55 and over":
        tags.add("old")

    return {
        "respondent_id": f"R{n:04d}",
        "sector": sector,
        "job": job,
        "client_group": group,
        "years_experience": years,
        "age_band": band,
        "gender": gender,
        "hours": hours,
    }, tags


# ---------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------

def eligible(pool, tags, mood):
    out = []
    for body, ftags in pool:
        fmood = ftags & MOODS
        if fmood and mood not in fmood:
            continue
        if (ftags - MOODS) - tags:
            continue
        out.append((body, ftags))
    return out


def roughen(rng, text):
    """Make some answers look typed in a hurry."""
    if rng.random() < 0.10:
        present = [(a, b) for a, b in TYPOS if re.search(rf"\b{a}\b", text)]
        if present:
            a, b = rng.choice(present)
            text = re.sub(rf"\b{a}\b", b, text, count=1)
    if rng.random() < 0.10:
        present = [(a, b) for a, b in SHORTHANDS if re.search(a, text)]
        if present:
            a, b = rng.choice(present)
            text = re.sub(a, b, text, count=1)
    if rng.random() < 0.07:
        text = text.lower()
    if rng.random() < 0.12 and text.endswith("."):
        text = text[:-1]
    if rng.random() < 0.12:
        text = text.replace("'", "\u2019")
        text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
    return text


def join(rng, parts):
    out = parts[0]
    for part in parts[1:]:
        r = rng.random()
        if r < 0.05:
            sep = "\n"
        elif r < 0.07:
            sep = "\n\n"
        elif r < 0.13:
            sep = " - "
            if not (part.startswith(KEEP_CAPITAL) or part[:2].isupper()):
                part = part[0].lower() + part[1:]
        elif r < 0.16:
            sep = "... "
        else:
            sep = " "
        if sep in (" - ", "... ") and out[-1] in ".!":
            out = out.rstrip(".!")
        elif out[-1] not in ".!?)" and sep == " ":
            sep = ". "
        out = out + sep + part
    return out


def answer(rng, question, tags, mood):
    if rng.random() < EMPTY_RATE[question]:
        return ""
    pool = eligible(POOLS[question], tags, mood)
    # Fragments specific to the respondent's setting or role are more likely.
    weights = [3 if (ftags - MOODS) else 1 for _, ftags in pool]
    k = rng.choices([1, 2, 3], LENGTH_WEIGHTS[question])[0]
    chosen = []
    while len(chosen) < k:
        body = rng.choices(pool, weights)[0][0]
        if body not in chosen:
            chosen.append(body)
    return roughen(rng, join(rng, chosen))


def main(out_path):
    rng = random.Random(SEED)
    rows = []
    for n in range(1, N_RESPONDENTS + 1):
        row, tags = profile(rng, n)
        morale = rng.choices(["pos", "mix", "neg"], [25, 40, 35])[0]
        sup_mood = rng.choices(["pos", "mix", "neg"], [30, 30, 40])[0]
        row["q_supervision"] = answer(rng, "q_supervision", tags, sup_mood)
        row["q_help"] = answer(rng, "q_help", tags, morale)
        row["q_cease"] = answer(rng, "q_cease", tags, morale)
        row["q_other"] = answer(rng, "q_other", tags, morale)
        rows.append(row)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in COLUMNS])
    return rows


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "survey.csv"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    rows = main(target)
    print(f"wrote {len(rows)} rows to {target}")
