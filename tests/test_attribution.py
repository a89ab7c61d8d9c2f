import datetime as dt

from claims.attribution import Attributor
from claims.segments import paragraphs, quote_regions, split_sentences

from .conftest import seed


def statements(article_id):
    article = seed(article_id)
    return article, Attributor(article.body, article.published).statements()


def find(article, found, fragment):
    hits = [s for s in found if fragment in s.quote(article.body)]
    assert hits, f"no statement with {fragment!r}"
    return hits[0]


def test_every_quote_is_cut_from_the_body_by_offset():
    for article_id in ("000", "001", "002", "003", "004"):
        article, found = statements(article_id)
        assert found
        for st in found:
            quote = st.quote(article.body)
            # A span inside its sentence, trimmed: no quote starts or ends in whitespace or spans sentences.
            assert st.sentence_start <= st.quote_start < st.quote_end <= st.sentence_end
            assert quote == quote.strip() and quote


def test_quote_continuation_and_pronouns_keep_the_speaker():
    article, found = statements("000")
    cont = find(article, found, "And the conditions that were set out")
    assert cont.speaker == "David Lammy" and cont.direct
    article, found = statements("001")
    added = find(article, found, "prepared if this is not the moment")
    # "…”, he added" follows a Lammy quote; the Putin inside the quotation is not the speaker.
    assert added.speaker == "David Lammy"
    said = find(article, found, "he said he wanted to hold direct talks")
    assert said.speaker == "Vladimir Putin"


def test_roles_normalised_as_the_article_gives_them():
    article, found = statements("004")
    assert find(article, found, "I think what we need is evidence").role == "UK Foreign Secretary"
    assert find(article, found, "What we've seen is the huge commitment").speaker == "Yvette Cooper"
    article, found = statements("003")
    trump = find(article, found, "Many elements of a Final Agreement")
    assert (trump.speaker, trump.role) == ("Donald Trump", "former US President")


def test_statement_dates_resolve_against_publication():
    article, found = statements("004")
    assert find(article, found, "Paris is working to establish dialogue").date == dt.date(2026, 1, 6)
    assert find(article, found, "I believe the time has come").date == dt.date(2026, 1, 9)
    article, found = statements("002")
    joint = find(article, found, "pulled out of talks in London")
    assert joint.speaker == "US government"
    assert joint.date == dt.date(2025, 4, 23)
    article, found = statements("001")
    # "meet him … on Thursday in Turkey" dates the meeting, not the statement.
    assert find(article, found, "challenged his Russian counterpart").date == article.published


def test_captions_schedules_and_anonymous_sources_are_not_claims():
    article, found = statements("001")
    quotes = [s.quote(article.body) for s in found]
    assert not any("(Carlos Jasso/PA)" in q or "is expected to announce" in q for q in quotes)
    article, found = statements("002")
    assert not any("a UK source said" in s.quote(article.body) for s in found)
    article, found = statements("003")
    assert not any("are set to meet" in s.quote(article.body) for s in found)


def test_institutions_speak_under_their_canonical_names():
    article, found = statements("003")
    assert find(article, found, "No 10 maintains").speaker == "Downing Street"
    assert find(article, found, "the Kremlin has remained resistant").speaker == "Kremlin"
    article, found = statements("000")
    assert find(article, found, "London previously announced plans").speaker == "UK government"


def test_unclosed_quotation_runs_to_the_end_of_its_paragraph():
    text = 'He said "in the coming weeks.'
    assert quote_regions(text, 0) == [(9, len(text))]


def test_sentences_do_not_split_after_abbreviations():
    text = "U.K. Foreign Minister Yvette Cooper on Jan. 15 dismissed it. Mr Lammy agreed."
    assert [s.text for s in split_sentences(text, 0)] == [
        "U.K. Foreign Minister Yvette Cooper on Jan. 15 dismissed it.", "Mr Lammy agreed."]
    paras = paragraphs("Headline without stop\nA sentence.\n")
    assert paras[0].is_heading and not paras[1].is_heading


def test_people_known_from_the_ledger_resolve_bare_surnames():
    body = '"We will not give up," Smith said.\n'
    alone = Attributor(body, dt.date(2025, 1, 1)).statements()
    assert alone == []
    known = Attributor(body, dt.date(2025, 1, 1), {"Jane Smith": "UK Home Secretary"}).statements()
    assert [(s.speaker, s.role) for s in known] == [("Jane Smith", "UK Home Secretary")]


def test_a_trailing_clause_with_another_speaker_is_not_the_claim():
    article, found = statements("002")
    lammy = find(article, found, "a critical moment")
    assert lammy.speaker == "David Lammy"
    assert "walk away" not in lammy.quote(article.body)
    assert lammy.quote(article.body).endswith("“a critical moment”")


def test_a_leading_clause_with_another_speaker_is_not_the_claim():
    body = ("As the US threatened to walk away from the talks, Foreign Secretary David Lammy said the UK "
            "would keep working with Kyiv.\n")
    found = Attributor(body, dt.date(2025, 4, 24)).statements()
    lammy = [s for s in found if s.speaker == "David Lammy"]
    assert len(lammy) == 1
    assert lammy[0].quote(body) == "Foreign Secretary David Lammy said the UK would keep working with Kyiv"


def _said(body, published=dt.date(2025, 3, 4), title=""):
    found = Attributor(body, published, title=title).statements()
    return [(s.speaker, s.quote(body)) for s in found]


def test_an_institution_speaks_under_its_gazetteer_name_and_a_generic_noun_binds_to_it():
    body = ("The Bank of England cut interest rates to 3.5% on Thursday.\n"
            "The Bank said further cuts would depend on wage growth.\n")
    assert [s for s, _ in _said(body)] == ["Bank of England", "Bank of England"]


def test_a_pronoun_takes_the_last_subject_not_the_last_name_mentioned():
    body = ("Finance minister Ana Reyes said the port levy would stay.\n"
            "Reyes blamed Victor Lund's tariffs for the slowdown. She added that exports would recover by spring.\n")
    speakers = [s for s, _ in _said(body)]
    assert speakers and set(speakers) == {"Ana Reyes"}


def test_a_company_and_its_chief_executive_are_told_apart():
    body = ("Norvik Energy said it would cut its solar budget by $2 billion.\n"
            "Chief executive Mara Holm said the company would focus on gas.\n"
            "The company also plans to sell its wind farms.\n")
    assert [s for s, _ in _said(body)] == ["Norvik Energy", "Mara Holm", "Norvik Energy"]


def test_a_dateline_is_not_the_speaker():
    body = "OSLO (AP) — Norvik Energy confirmed Tuesday that it would close two refineries.\n"
    (speaker, quote), = _said(body)
    assert speaker == "Norvik Energy" and quote.startswith("Norvik Energy confirmed")


def test_hard_wrapped_lines_are_one_paragraph():
    body = ("Norvik Energy confirmed Tuesday that it\nwould close two refineries and cut its\n"
            "output, a change that has been met with\nsurprise by analysts.\n")
    (speaker, quote), = _said(body)
    assert speaker == "Norvik Energy" and quote.endswith("surprise by analysts")


def test_an_acronym_speaks_under_the_name_it_abbreviates():
    body = ("The Coastal Research Institute (CRI) published its review on Monday.\n"
            "The CRI said sea walls would need £3bn more.\n")
    assert ("Coastal Research Institute", "The CRI said sea walls would need £3bn more") in _said(body)


def test_officials_of_one_government_acting_together_speak_for_it_and_different_governments_for_no_one():
    body = ("US Secretary of State Marco Rubio and envoy Steve Witkoff pulled out of the summit, blaming delays.\n"
            "The UK and France continue efforts to build a coalition.\n")
    assert [s for s, _ in _said(body)] == ["US government"]


def test_two_figures_in_two_clauses_are_two_claims():
    body = ("The Bank of England also sounded the alarm, downgrading its growth forecast from 1.5% to 0.75% "
            "and warning that inflation would reach 3.7% by the autumn.\n")
    quotes = [q for _, q in _said(body)]
    assert len(quotes) == 2 and "0.75%" in quotes[0] and "3.7%" in quotes[1]


def test_the_headline_repeated_in_the_body_is_no_claim():
    body = "Ana Reyes insists port levy stays despite protests\n\nFinance minister Ana Reyes said the port levy would stay.\n"
    assert len(_said(body, title="Ana Reyes insists port levy stays despite protests")) == 1


def test_no_speaker_that_is_not_an_actor():
    body = ("World War II ended in 1945, historians said.\n"
            "Markets said little on Friday.\n"
            "The robotaxi said nothing, and robotaxis remain rare.\n")
    assert _said(body) == []


def test_a_title_inside_an_organisation_phrase_leads_to_the_person():
    body = "Coastal Research Group chair Mara Holm said: “The sea walls will not hold past 2040.”\n"
    assert [s for s, _ in _said(body)] == ["Mara Holm"]


def test_a_product_named_beside_a_service_is_no_speaker():
    body = ("Norvik Energy said it would expand its Skyferry service.\n"
            "The Skyferry service may soon drop its safety stewards, the filing showed.\n")
    assert [s for s, _ in _said(body)] == ["Norvik Energy"]


def test_an_agentless_forecast_with_a_figure_belongs_to_the_reporting_institution():
    body = ("The Bank of England held interest rates at 3.5% on Thursday.\n"
            "Harvest output is projected to fall by 6 percent in the spring.\n"
            "The new stadium is expected to open next year.\n")
    said = _said(body)
    assert ("Bank of England", "Harvest output is projected to fall by 6 percent in the spring") in said
    assert not any("stadium" in q for _, q in said), "no figure, no institution's forecast"


def test_people_of_different_groups_named_together_each_make_the_statement():
    body = "Both John Carter and Maria Lopez pointed out that the port levy had been halved.\n"
    assert sorted(s for s, _ in _said(body)) == ["John Carter", "Maria Lopez"]


def test_a_surname_misspelt_by_one_letter_is_the_person_the_article_names():
    body = ("Chief executive Mara Holmgren said the plant would close.\n"
            "\"We had no choice,\" Holmgrem said.\n")
    assert [s for s, _ in _said(body)] == ["Mara Holmgren", "Mara Holmgren"]


def test_a_decision_and_a_statement_in_coordinated_clauses_are_two_claims():
    body = "Finance Minister Ana Reyes will delay the port levy by a year, but has argued it is wrong to call it a U-turn.\n"
    quotes = [q for _, q in _said(body)]
    assert len(quotes) == 2 and "delay the port levy" in quotes[0] and "argued" in quotes[1]
