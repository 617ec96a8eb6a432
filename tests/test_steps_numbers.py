"""Number steps (`kg.extract.numbers`): money, percentages, ages, penalties, times of day
and counts, on sentences of our own. Each row names the extractor that must have made
the fact, so a step switched off fails its rows; the second table holds numbers that
must not become facts."""

from __future__ import annotations

import pytest

from kg.model import Quantity, TimeOfDay

from .steps import found, graph

# (sentence, facts (subject, property, value, extractor) that must be found)
CASES = [
    # numbers.money: the role from the noun or the verb, the owner from the parse
    ("Quarterly profits at Halvorsen Foods jumped to $1.13bn (£600m) in the three months to December.",
     {("Halvorsen Foods", "profit", "1130000000", "numbers.money"),
      ("Halvorsen Foods", "profit", "600000000", "numbers.money")}),
    ("Hanna Berg beat Lucy Dunn in the final in Oslo. The 24-year-old will play in Paris next.",  # the one named first
     {("Hanna Berg", "age", "24", "numbers.age")}),
    ('Anna Berg won her quarter-final in straight sets. She will now meet Kim Lund. "Bring it on," said the '
     "23-year-old.",  # the pronoun first in the sentence before stands for the one named
     {("Anna Berg", "age", "23", "numbers.age")}),
    ("Around 10,000 pieces of baggage were left behind.",  # the label says what the pieces are of
     {("pieces of baggage", "count", "10000", "numbers.count")}),
    ("A firm with 200 staff opened in the town.",  # with a count: the noun's the phrase is on
     {("firm", "count", "200", "numbers.count")}),
    ("Pierre Moreau, a veteran of 43 international caps, said the side were underdogs.",  # the apposition's
     {("Pierre Moreau", "count", "43", "numbers.count")}),
    ("There are more than 6,000 companies at the fair.",  # the words of the count kept whole
     {("more than 6,000 companies", "count", "6000", "numbers.count")}),
    ("At least 12 soldiers guarded the bridge.",
     {("At least 12 soldiers", "count", "12", "numbers.count")}),
    ("Kestrel Networks had an operating loss for the three months to December of 7.5bn yen ($71.5m; £38.4m).",
     {("operating loss", "amount", "7500000000", "numbers.money"),  # the loss's, not the months'
      ("operating loss", "amount", "38400000", "numbers.money")}),  # the same sum after the semicolon
    ("Brightwater Energy was fined £1.2m.",
     {("Brightwater Energy", "fine", "1200000", "numbers.money")}),
    ("The club sold the striker for 150,000 euros.",
     {("striker", "price", "150000", "numbers.money")}),
    ("The Ostland market for games was worth a record £1,152m in 2003.",  # the market's, not the record's
     {("Ostland market", "amount", "1152000000", "numbers.money")}),
    ("The deal was worth CDN$3.5 million.",
     {("deal", "amount", "3500000", "numbers.money")}),
    ("The new bridge will cost 200 million euros.",
     {("new bridge", "cost", "200000000", "numbers.money")}),
    # numbers.percentages
    ("Turnout was about 15 per cent, down from 1.5 percent.",
     {("Turnout", "percentage", "15", "numbers.percentage"),
      ("Turnout", "percentage", "1.5", "numbers.percentage")}),
    # a percentage is of the noun it measures, not of that noun's holder (no property says "stake")
    ("Vellacor Bank raised its stake to 15%.",
     {("stake", "percentage", "15", "numbers.percentage")}),
    # in brackets after a name: that name's; by a preposition of a verb with an object: the object's
    ("The other owners of Fiatco are the Italian state (12%) and Germany's Siemens (25%).",
     {("Italian state", "percentage", "12", "numbers.percentage"),
      ("Siemens", "percentage", "25", "numbers.percentage")}),
    ("The index stood at 98.2 in March, implying GDP growth at 1.7% in the third quarter.",
     {("GDP growth", "percentage", "1.7", "numbers.percentage")}),
    ("Profits at Vodafone jumped 76% in the year.",
     {("Profits at Vodafone", "percentage", "76", "numbers.percentage")}),
    ("Ostland's trade surplus grew to 12 billion euros.",
     {("Ostland's trade surplus", "amount", "12000000000", "numbers.money")}),
    # a number modifying a noun is that noun's: "a 2bn euro charge", "a 7% rise"
    ("Fenwick took a 2bn euro one-off charge in the third quarter.",
     {("charge", "amount", "2000000000", "numbers.money")}),
    ("Fenwick had revenue of $3bn last year, a 7% rise on the year before.",
     {("rise", "percentage", "7", "numbers.percentage")}),
    # numbers.ages
    ("Marco Rossi, 63, was sentenced to four years in prison.",
     {("Marco Rossi", "age", "63", "numbers.age"),
      ("Sentencing: Marco Rossi", "penaltyYears", "4", "numbers.penalty")}),
    ("The 22-year-old driver was arrested.", {("22-year-old driver", "age", "22", "numbers.age")}),
    ("A woman aged 40 was taken to hospital.", {("woman", "age", "40", "numbers.age")}),
    ("Ingrid Solberg died at the age of 87.", {("Ingrid Solberg", "age", "87", "numbers.age")}),
    ("Ingrid Solberg died at 87 on Monday.", {("Ingrid Solberg", "age", "87", "numbers.age")}),
    ("The victims were aged nine, 49 and 59.",
     {("victims", "age", "9", "numbers.age"), ("victims", "age", "49", "numbers.age"),
      ("victims", "age", "59", "numbers.age")}),
    # numbers.penalties
    ("Marco Rossi was jailed for 18 months.", {("Sentencing: Marco Rossi", "penaltyYears", "1.5", "numbers.penalty")}),
    ("A judge sentenced Ann Berg to six years in jail on Monday.",
     {("Sentencing: judge → Ann Berg (2024-01-01)", "penaltyYears", "6", "numbers.penalty")}),
    ("Ann Berg received a ten-year sentence.", {("Ann Berg", "penaltyYears", "10", "numbers.penalty")}),
    # numbers.times_of_day
    ("The explosion happened at 10:30 am near the station.",
     {("Explosion", "timeOfDay", "10:30:00", "numbers.time_of_day")}),
    ("The attack began at about 8pm local time, police said.",
     {("Attack", "timeOfDay", "20:00:00", "numbers.time_of_day")}),
    # numbers.counts
    # after a verb of having, the subject has what is counted; after others, the count is the object's
    ("Castellan Motors will cut 2,000 jobs at its plant in Leeds.", {("jobs", "count", "2000", "numbers.count")}),
    ("Castellan Motors employs 2,000 people in Leeds.", {("Castellan Motors", "count", "2000", "numbers.count")}),
    ("The stations received 5,000 complaints.", {("complaints", "count", "5000", "numbers.count")}),
    ("Police found three bombs near the station.", {("Bombing", "count", "3", "numbers.count")}),
    ("The motion passed by 312 votes to 290.", {("motion", "votes", "312", "numbers.votes")}),
    ("Police said 35 people were rescued from the fire.", {("Disaster", "count", "35", "numbers.count")}),
    ("A dozen protesters gathered outside the embassy.",
     {("dozen protesters", "count", "12", "numbers.count")}),
    ("The bishop spoke to a congregation of 2,000 at the cathedral.",
     {("congregation", "count", "2000", "numbers.count")}),
    ("Kestrel Games has sold almost 4m consoles.", {("consoles", "count", "4000000", "numbers.count")}),
    ("Eighty large firms have switched on software to stop net attacks.",
     {("Eighty large firms", "count", "80", "numbers.count")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_number_facts(nlp, text: str, expected: set[tuple[str, str, str, str]]) -> None:
    facts = found(graph(nlp, text))
    assert expected <= facts, sorted(facts)


# (sentence, the value that must not be stated by any number step)
NOT_NUMBERS = [
    ("The show moved to BBC Two last year.", "2"),  # a name
    ("Flight 370 vanished over the sea.", "370"),  # an identifier
    ("The hikers walked 12 km to the village.", "12"),  # a measurement
    ("The talks lasted three days.", "3"),  # a duration
    ("United won 3-1 at home.", "3"),  # a score
    ("She is one of the founders.", "1"),  # a pronoun
    ("Dozens of people gathered.", "24"),  # no number stated
    ("About a third of the voters stayed home.", "1"),  # a fraction
    ("The rate was three per 100,000 people.", "100000"),  # a rate
    ("He faces up to ten years in prison.", "10"),  # a maximum, not a penalty
    ("They weighed 10 pounds.", "10"),  # a weight, not money
    ("She finished 501st in the race.", "501"),  # an ordinal
    ("He won the 100m race.", "100000000"),  # metres, not millions
    ("The 2019 elections were close.", "2019"),  # a year
    ("Users may find 4G networks slow.", "4"),  # a name glued to its letter
    ("Nearly a quarter of a million homes lost power.", "1000000"),  # a fraction of a scale
    ("The 500-member threshold has angered smaller clubs.", "500"),  # a word of a longer noun
    ("He backed a two party consensus on the issue.", "2"),  # the same without the hyphen
    ("He has toured the country with his one man show.", "1"),
    ("The remaining 33% said they could not live without the sites.", "33"),  # of nothing but itself
    ("Days later she won the final of the 800m.", "800"),  # metres at a sentence end
    ('"We knew," said Tom Baker, one of the engineers sacked by the firm.', "1"),  # one of a set, not an age
    ("Four times more phones with cameras will be sold in Europe this year.", "4"),  # a multiplier
    ("Spectrum 128 fans still write games for the machine.", "128"),  # a name's number, sentence first
    ("At 5km/h, the robot walks as fast as a person.", "5"),  # a speed
]


@pytest.mark.parametrize(("text", "value"), NOT_NUMBERS)
def test_not_numbers(nlp, text: str, value: str) -> None:
    facts = found(graph(nlp, text))
    stated = {f for f in facts if f[3].startswith("numbers.") and f[2] == value}
    assert not stated, sorted(facts)


def test_money_keeps_its_currency_and_modifiers(nlp) -> None:
    g = graph(nlp, "The company paid about $5m for the site, and at least £3m in fees.")
    values = {f.object for f in g.facts if isinstance(f.object, Quantity) and f.object.kind == "money"}
    assert Quantity(5_000_000, "about $5m", approximate=True, kind="money", unit="USD") in values
    assert Quantity(3_000_000, "at least £3m", bound="min", kind="money", unit="GBP") in values


def test_a_number_given_with_another_as_a_choice_is_approximate(nlp) -> None:
    g = graph(nlp, "We have got three or four Spanish players here now.")
    counts = [f.object for f in g.facts if isinstance(f.object, Quantity) and f.object.kind == "count"]
    assert [(q.value, q.approximate) for q in counts] == [(3, True)]


def test_range_gives_both_ends(nlp) -> None:
    g = graph(nlp, "The repairs will cost between $20m and $25m.")
    values = sorted(
        (f.object.value, f.object.bound) for f in g.facts if isinstance(f.object, Quantity) and f.object.kind == "money"
    )
    assert values == [(20_000_000, "min"), (25_000_000, "max")]


def test_time_of_day_as_stated(nlp) -> None:
    g = graph(nlp, "The blast struck the market at 2024 UTC on Friday.")
    times = [f.object for f in g.facts if isinstance(f.object, TimeOfDay)]
    assert times == [TimeOfDay("20:24:00", "2024 UTC")]


def test_a_count_is_of_its_noun_without_the_scale(nlp) -> None:
    g = graph(nlp, "The site indexes 200m web pages for its readers.")
    owners = {n.label for f in g.facts if f.predicate == "count" for n in g.nodes if n.key == f.subject}
    assert owners == {"web pages"}, owners  # not "m web pages"


def test_counts_have_their_unit(nlp) -> None:
    g = graph(nlp, "Nine people and 40 cars were caught in the flood.")
    units = {(f.object.value, f.object.unit) for f in g.facts if isinstance(f.object, Quantity)}
    assert {(9, "person"), (40, "car")} <= units


# (sentence, value, its own phrase): a count in a clause on a noun is not that noun's, nor
# that of the subject of the verb the noun hangs from; at most the counted phrase's own
NOT_OF = [
    ("Police questioned nine men linked to the gang in four cities.", "4", "four cities"),
    ("Agents detained seven traders connected to the network in five ports.", "5", "five ports"),
    ("Prosecutors said the bribes were paid by three builders.", "3", "builders"),  # who acts, not what
    ("The jury picked three of the film's five writers for the award.", "5", ""),  # the set a part is of
    ("The jury picked three of the film's five writers for the award.", "3", ""),  # a part of a set
    ("Some 40% of the country is not online.", "40", "40% of the country"),  # a share of it, not its
    ("The Berg family controls 48% of the group, which is worth $17bn.", "48", "48% of the group"),  # not the clause
    # a clause with a quotation in it goes whole, not cut at the quotation mark; a clause with none stays
    ('Fear has eased, with only 61% of retailers calling it a "grave risk" now.', "61", "61% of retailers"),
    ("About 30% of people living in the valley voted.", "30", "30% of people living in the valley"),
    # a subject of another clause: the complaints', not the stations'
    ("Nine regional stations were fined $200,000 after more than 31,000 complaints were filed.", "31000", "complaints"),
    ("The song is the fourth in a series of 12 reissues.", "12", "series"),  # the series', not the song's
    # raised to a sum by a relative clause: the bid's, not who raised it nor who made it
    (
        "The board rejected a bid from Carrow, which the company raised to $3.2bn last week.",
        "3200000000",
        "bid from Carrow",
    ),
    # a counted noun in a phrase on a noun is not the clause subject's
    ("The index fell despite the arrival of 5,000 tourists.", "5000", "tourists"),
    # a plural phrase is not the one party named before it
    ("Labour and the Tories met. The two opposition parties then left.", "2", "two opposition parties"),
]


@pytest.mark.parametrize(("text", "value", "own"), NOT_OF)
def test_count_not_of_the_noun_a_clause_hangs_from(nlp, text: str, value: str, own: str) -> None:
    facts = found(graph(nlp, text))
    assert not {f for f in facts if f[2] == value and f[0] != own}, sorted(facts)


# (sentence, value, hedged): a number supposed, wanted, planned or expected is stated as
# hedged; one stated as so, or in the subject of a verb of wanting, is not
HEDGED = [
    ("A merged Tolvik and Brennar would have annual sales of $32bn.", "32000000000", True),
    ("The ministry plans to close 140 branches by March.", "140", True),
    ("Marlow Airways needs to cut 4,000 jobs this year.", "4000", True),
    ("The accord gives nurses the right to buy 2 million shares.", "2000000", True),
    ("The film took more than the expected $12m at the box office.", "12000000", True),
    ("If sales fell by 8%, the plant would close.", "8", True),
    ("Marlow Airways cut 4,000 jobs last year.", "4000", False),
    ("Some 30,000 people wanted to stay in the union.", "30000", False),
    ("The minister attacked the party's six new pledges.", "6", False),
    ("Profits at Halvorsen Foods rose 12% to $40m.", "12", False),
    ("GDP rose 2.1%, short of the 2.4% which the ministry had predicted.", "2.4", True),
    ("The union called for the minimum wage to be raised from £5.05 to a living wage of £6.", "5.05", False),  # now
    ("The union called for the minimum wage to be raised from £5.05 to a living wage of £6.", "6", True),  # wanted
    # a coordinated clause with a subject of its own is stated as so; a verb sharing the modal is not
    ("We could not keep the ball and Norway scored three goals in the second half.", "3", False),
    ("Tolvik would sell the plant and cut 300 jobs.", "300", True),
    # a forecast or a plan ("will", "is tipped to") is not stated as so
    ("The new bridge over the Tay will cost 200 million euros.", "200000000", True),
    ("Growth in the region is tipped to be 3.5% next year.", "3.5", True),
    # "be to" is a plan; a modal or a condition holds for a number in its subject too
    ("Halvorsen Foods is to invest 2.5bn rupees in a new plant.", "2500000000", True),
    ("Under the review, 140 quangos would be abolished.", "140", True),
    ("If 6,000 fans came, the club made a profit.", "6000", True),
    # a relative clause is stated as so, whatever the clause it is on
    ("The cuts would not hit its home market, where most of the 35,000 staff of Norair work.", "35000", False),
]


@pytest.mark.parametrize(("text", "value", "hedged"), HEDGED)
def test_numbers_not_stated_as_so_are_hedged(nlp, text: str, value: str, hedged: bool) -> None:
    g = graph(nlp, text)
    numbers = [f for f in g.facts if isinstance(f.object, Quantity) and str(f.object.value) == value]
    assert numbers, sorted(found(g))
    assert {f.hedged for f in numbers} == {hedged}, [(f.predicate, f.hedged) for f in numbers]


def test_the_scale_of_a_sum_is_no_owner(nlp) -> None:
    """ "took $9.4m": the parse makes "m" the verb's object; no number is stated of it."""
    facts = found(graph(nlp, "The Navigator took $5.2m after expanding from 30 to 1,200 cinemas on Boxing Day."))
    assert not {f for f in facts if f[0] in ("m", "bn")}, sorted(facts)
