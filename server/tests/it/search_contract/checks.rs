//! The contract's checks, each run against any backend loaded with the corpus.

use super::corpus::{corpus, judgements, key_of, Entry, CATALOGUE_AGENCY};
use app::domain::Certification;
use app::search::document::fair_key;
use app::search::{DocumentKind, SearchIndex, SearchQuery, SearchResults, SortOrder};
use std::collections::BTreeSet;

/// The mean NDCG@10 every backend must reach on the graded queries.
pub const NDCG_FLOOR: f64 = 0.95;
/// The NDCG@10 no single graded query may fall under: a mean can hide a query that
/// fails its users.
pub const QUERY_FLOOR: f64 = 0.5;

async fn run(index: &impl SearchIndex, query: SearchQuery) -> SearchResults {
    let query = query.validate().expect("the contract's queries are valid");
    index.search(&query).await.expect("the search runs")
}

fn keys(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| key_of(h.kind, h.id)).collect()
}

/// Every hit of a search, page by page, as a set.
async fn all_keys(index: &impl SearchIndex, query: SearchQuery) -> BTreeSet<String> {
    ordered_keys(index, query).await.into_iter().collect()
}

fn expected(predicate: impl Fn(&Entry) -> bool) -> BTreeSet<String> {
    corpus()
        .into_iter()
        .filter(|e| predicate(e))
        .map(|e| e.key)
        .collect()
}

fn ndcg_at_10(ranked: &[String], grades: &std::collections::BTreeMap<String, u8>) -> f64 {
    let gain = |grade: u8| f64::from((1u32 << grade) - 1);
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, key)| gain(*grades.get(key).unwrap_or(&0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, grade)| gain(*grade) / (i as f64 + 2.0).log2())
        .sum();
    dcg / idcg
}

pub async fn relevance_reaches_the_floor(index: &impl SearchIndex) {
    let mut total = 0.0;
    let mut report = String::new();
    let mut failing = Vec::new();
    let judgements = judgements();
    for judgement in &judgements {
        let results = run(
            index,
            SearchQuery {
                q: judgement.q.clone(),
                kind: judgement.kind,
                ..SearchQuery::default()
            },
        )
        .await;
        let ranked = keys(&results);
        let ndcg = ndcg_at_10(&ranked, &judgement.grades);
        total += ndcg;
        if ndcg < QUERY_FLOOR {
            failing.push(format!("{} {:?} {ndcg:.3}", judgement.id, judgement.q));
        }
        report.push_str(&format!(
            "{} {:.3} {:?} -> {:?}\n",
            judgement.id,
            ndcg,
            judgement.q,
            &ranked[..ranked.len().min(10)]
        ));
    }
    let mean = total / judgements.len() as f64;
    println!(
        "{report}mean NDCG@10 over {} queries: {mean:.4}",
        judgements.len()
    );
    assert!(
        mean >= NDCG_FLOOR,
        "mean NDCG@10 {mean:.4} is under {NDCG_FLOOR}:\n{report}"
    );
    assert!(
        failing.is_empty(),
        "queries under NDCG@10 {QUERY_FLOOR}: {failing:?}\n{report}"
    );
}

pub async fn facets_count_every_match(index: &impl SearchIndex) {
    let everything = run(index, SearchQuery::default()).await;
    let corpus = corpus();
    assert_eq!(everything.total, corpus.len() as i64);
    for kind in DocumentKind::ALL {
        let count = corpus.iter().filter(|e| e.kind == *kind).count() as i64;
        let facet = everything
            .facets
            .kind
            .iter()
            .find(|f| f.value == kind.code());
        assert_eq!(facet.map(|f| f.count), Some(count), "{kind:?}");
    }
    let products = run(
        index,
        SearchQuery {
            kind: Some(DocumentKind::Product),
            ..SearchQuery::default()
        },
    )
    .await;
    let eligible = corpus.iter().filter(|e| e.eligible).count() as i64;
    assert_eq!(products.facets.eligible, eligible);
    let batch = products
        .facets
        .batch
        .iter()
        .find(|f| f.value == "CZCX-2026-01")
        .map(|f| f.count);
    let in_batch = corpus
        .iter()
        .filter(|e| e.batch_code.as_deref() == Some("CZCX-2026-01"))
        .count() as i64;
    assert_eq!(batch, Some(in_batch));
    let certified = corpus
        .iter()
        .filter(|e| e.certifications.iter().any(|c| c == "first_set"))
        .count() as i64;
    let facet = products
        .facets
        .certification
        .iter()
        .find(|f| f.value == "first_set");
    assert_eq!(facet.map(|f| f.count), Some(certified));
    // A procurement category counts every product filed under it or below it.
    for level in ["A", "A02", "A0206", "A02061802", "A07"] {
        let below = corpus
            .iter()
            .filter(|e| {
                app::domain::procurement::path(e.procurement_code.as_deref().unwrap_or(""))
                    .contains(&level.to_owned())
            })
            .count() as i64;
        let facet = products
            .facets
            .procurement
            .iter()
            .find(|f| f.value == level)
            .map(|f| f.count);
        assert_eq!(facet, Some(below), "{level}");
    }
    // Counts follow the query: only the matching records are counted.
    let robots = run(
        index,
        SearchQuery {
            q: "机器人".into(),
            ..SearchQuery::default()
        },
    )
    .await;
    let counted: i64 = robots.facets.kind.iter().map(|f| f.count).sum();
    assert_eq!(counted, robots.total);
    assert!(robots.total < everything.total);
}

/// Which corpus records a filter should return.
type Predicate = Box<dyn Fn(&Entry) -> bool>;

pub async fn filters_return_exactly_the_matching_records(index: &impl SearchIndex) {
    let base = SearchQuery::default;
    let wan = 1_000_000;
    let cases: Vec<(SearchQuery, Predicate)> = vec![
        (
            SearchQuery {
                kind: Some(DocumentKind::Scenario),
                ..base()
            },
            Box::new(|e| e.kind == DocumentKind::Scenario),
        ),
        (
            SearchQuery {
                category: Some("new_materials".into()),
                ..base()
            },
            Box::new(|e| e.category.as_deref() == Some("new_materials")),
        ),
        (
            SearchQuery {
                location: "320411".parse().ok(),
                ..base()
            },
            Box::new(|e| e.location.as_deref() == Some("320411")),
        ),
        (
            SearchQuery {
                eligible: true,
                first_purchased: true,
                ..base()
            },
            Box::new(|e| e.eligible && e.first_purchased),
        ),
        (
            SearchQuery {
                batch: Some("CZCX-2025-01".into()),
                ..base()
            },
            Box::new(|e| e.batch_code.as_deref() == Some("CZCX-2025-01")),
        ),
        (
            SearchQuery {
                certification: Some(Certification::FirstSet),
                ..base()
            },
            Box::new(|e| e.certifications.iter().any(|c| c == "first_set")),
        ),
        (
            SearchQuery {
                agency: Some(CATALOGUE_AGENCY.into()),
                ..base()
            },
            Box::new(|e| e.agency().as_deref() == Some(CATALOGUE_AGENCY)),
        ),
        (
            SearchQuery {
                amount_min: Some(100),
                amount_max: Some(500),
                ..base()
            },
            Box::new(move |e| {
                let (low, high) = match (e.amount_min_fen, e.amount_max_fen) {
                    (None, None) => return false,
                    (low, high) => (low.or(high).unwrap(), high.or(low).unwrap()),
                };
                low <= 500 * wan && high >= 100 * wan
            }),
        ),
        (
            SearchQuery {
                closes_from: Some(super::corpus::day(2026, 6, 1)),
                closes_to: Some(super::corpus::day(2026, 12, 31)),
                ..base()
            },
            Box::new(|e| {
                e.open_until.is_some_and(|d| {
                    d >= super::corpus::day(2026, 6, 1) && d <= super::corpus::day(2026, 12, 31)
                })
            }),
        ),
        (
            SearchQuery {
                q: "机器人".into(),
                kind: Some(DocumentKind::Product),
                eligible: true,
                ..base()
            },
            Box::new(|e| e.kind == DocumentKind::Product && e.eligible && mentions_robots(e)),
        ),
    ];
    // A parent procurement category takes in every category below it; a stored code with
    // trailing 00 pairs is found by its canonical form.
    for (filter, wanted) in [
        ("A0206", "A0206"),
        ("a07090000", "A0709"),
        ("A02052301", "A02052301"),
    ] {
        let query = SearchQuery {
            procurement: Some(filter.to_owned()),
            ..base()
        };
        let want = expected(|e| {
            app::domain::procurement::path(e.procurement_code.as_deref().unwrap_or(""))
                .iter()
                .any(|level| level == wanted)
        });
        assert!(!want.is_empty(), "the corpus has products under {wanted}");
        let got = all_keys(index, query.clone()).await;
        assert_eq!(got, want, "{query:?}");
    }
    for (query, predicate) in cases {
        let want = expected(predicate);
        assert!(!want.is_empty(), "the corpus has records for {query:?}");
        let got = all_keys(index, query.clone()).await;
        assert_eq!(got, want, "{query:?}");
    }
}

/// Whether a record holds 机器人 or a term the glossary equates with it (`robots`).
fn mentions_robots(e: &Entry) -> bool {
    let text = app::search::normalise::normalise(&format!("{} {}", e.title, e.body)).to_lowercase();
    app::search::glossary::glossary()
        .groups_in(&text)
        .iter()
        .any(|group| group.chinese.iter().any(|term| term == "机器人"))
}

pub async fn sorting_orders_as_asked(index: &impl SearchIndex) {
    let newest = run(
        index,
        SearchQuery {
            sort: SortOrder::Newest,
            ..SearchQuery::default()
        },
    )
    .await;
    let corpus = corpus();
    let published = |key: &String| {
        corpus
            .iter()
            .find(|e| &e.key == key)
            .and_then(|e| e.published_at)
    };
    let dates: Vec<_> = keys(&newest).iter().map(published).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    let closing = run(
        index,
        SearchQuery {
            sort: SortOrder::ClosingSoon,
            ..SearchQuery::default()
        },
    )
    .await;
    let deadlines: Vec<_> = keys(&closing)
        .iter()
        .map(|key| {
            corpus
                .iter()
                .find(|e| &e.key == key)
                .and_then(|e| e.open_until)
        })
        .collect();
    // Only scenarios still open, nearest deadline first.
    let today = crate::helpers::test_today();
    let open = corpus
        .iter()
        .filter(|e| e.open_until.is_some_and(|d| d >= today))
        .count();
    assert!(open >= 2, "the corpus has open scenarios");
    assert_eq!(deadlines.len(), open, "{deadlines:?}");
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
}

/// Every hit of a search in the order given, page by page.
async fn ordered_keys(index: &impl SearchIndex, query: SearchQuery) -> Vec<String> {
    let mut found = Vec::new();
    for page in 1.. {
        let results = run(
            index,
            SearchQuery {
                page,
                ..query.clone()
            },
        )
        .await;
        if results.hits.is_empty() {
            break;
        }
        found.extend(keys(&results));
    }
    found
}

/// Searches ordered by date (no keywords, or "newest") or by deadline ("closing soon") put
/// records of the same date in the day's fair order, ascending
/// `document::fair_key(kind, id, today)`, on every backend: never in insertion or id order.
pub async fn equal_records_fall_in_the_days_fair_order(index: &impl SearchIndex) {
    use std::cmp::Ordering;
    let today = crate::helpers::test_today();
    let corpus = corpus();
    let entry = |key: &String| {
        corpus
            .iter()
            .find(|e| &e.key == key)
            .expect("a corpus record")
    };
    let fair = |e: &Entry| fair_key(e.kind, e.id(), today);
    // Newest first (a record without a date last), then the fair order.
    let by_date = |a: &Entry, b: &Entry| {
        b.published_at
            .cmp(&a.published_at)
            .then(fair(a).cmp(&fair(b)))
    };
    let by_deadline =
        |a: &Entry, b: &Entry| a.open_until.cmp(&b.open_until).then(fair(a).cmp(&fair(b)));
    let sorted = |mut entries: Vec<&Entry>, order: &dyn Fn(&Entry, &Entry) -> Ordering| {
        entries.sort_by(|a, b| order(a, b));
        entries
            .into_iter()
            .map(|e| e.key.clone())
            .collect::<Vec<_>>()
    };
    // The corpus has records sharing a date and a deadline, or nothing here would be tested.
    let ties = |keys: &[String], same: &dyn Fn(&Entry, &Entry) -> bool| {
        keys.windows(2)
            .filter(|w| same(entry(&w[0]), entry(&w[1])))
            .count()
    };
    let same_date = |a: &Entry, b: &Entry| a.published_at == b.published_at;
    let same_deadline = |a: &Entry, b: &Entry| a.open_until == b.open_until;

    let newest_first = sorted(corpus.iter().collect(), &by_date);
    assert!(ties(&newest_first, &same_date) >= 5, "{newest_first:?}");
    // Equals in the order they were written (the corpus's, by kind and id) would be
    // Meilisearch's order without the fair key.
    let as_written = sorted(corpus.iter().collect(), &|a: &Entry, b: &Entry| {
        b.published_at.cmp(&a.published_at)
    });
    assert_ne!(
        newest_first, as_written,
        "the fair order is not the insertion order"
    );
    for sort in [SortOrder::Relevance, SortOrder::Newest] {
        let got = ordered_keys(
            index,
            SearchQuery {
                sort,
                ..SearchQuery::default()
            },
        )
        .await;
        assert_eq!(got, newest_first, "no keywords, {sort:?}");
    }

    let open: Vec<&Entry> = corpus
        .iter()
        .filter(|e| e.open_until.is_some_and(|d| d >= today))
        .collect();
    let closing_first = sorted(open, &by_deadline);
    assert!(
        ties(&closing_first, &same_deadline) >= 2,
        "{closing_first:?}"
    );
    let got = ordered_keys(
        index,
        SearchQuery {
            sort: SortOrder::ClosingSoon,
            ..SearchQuery::default()
        },
    )
    .await;
    assert_eq!(got, closing_first, "closing soon");
    // With keywords too: whichever records match, they come newest first, equals in the
    // day's order (the two robots of the same day included).
    let got = ordered_keys(
        index,
        SearchQuery {
            q: "机器人".into(),
            sort: SortOrder::Newest,
            ..SearchQuery::default()
        },
    )
    .await;
    assert!(ties(&got, &same_date) >= 1, "{got:?}");
    let entries: Vec<&Entry> = got.iter().map(entry).collect();
    assert!(
        entries
            .windows(2)
            .all(|w| by_date(w[0], w[1]) != Ordering::Greater),
        "newest with keywords: {got:?}"
    );
}

pub async fn pages_split_the_hits_without_overlap(index: &impl SearchIndex) {
    let first = run(index, SearchQuery::default()).await;
    let second = run(
        index,
        SearchQuery {
            page: 2,
            ..SearchQuery::default()
        },
    )
    .await;
    assert_eq!(first.hits.len(), 20);
    assert_eq!(second.page, 2);
    let first_keys: BTreeSet<String> = keys(&first).into_iter().collect();
    assert!(keys(&second).iter().all(|k| !first_keys.contains(k)));
    let all = all_keys(index, SearchQuery::default()).await;
    assert_eq!(all.len(), corpus().len());
    let beyond = run(
        index,
        SearchQuery {
            page: 50,
            ..SearchQuery::default()
        },
    )
    .await;
    assert!(beyond.hits.is_empty());
    assert_eq!(beyond.total, first.total);
}

pub async fn matched_words_are_highlighted(index: &impl SearchIndex) {
    let results = run(
        index,
        SearchQuery {
            q: "机器人".into(),
            ..SearchQuery::default()
        },
    )
    .await;
    let robot = results
        .hits
        .iter()
        .find(|h| key_of(h.kind, h.id) == "p01")
        .expect("the robot is found");
    let marked: String = robot
        .title
        .iter()
        .filter(|f| f.hit)
        .map(|f| f.text.as_str())
        .collect();
    assert!(marked.contains("机器人"), "{:?}", robot.title);
    let whole: String = robot.title.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(whole, "六轴工业机器人 XR-20");
    assert!(robot.snippet.iter().any(|f| f.hit), "{:?}", robot.snippet);
}

pub async fn withdrawn_records_leave_and_republished_ones_return(index: &impl SearchIndex) {
    let robot_query = || SearchQuery {
        q: "六轴工业机器人".into(),
        ..SearchQuery::default()
    };
    let found = |results: &SearchResults| keys(results).contains(&"p01".to_owned());
    assert!(found(&run(index, robot_query()).await));
    // The landing view (no words, no filters) before the change, so that a backend
    // keeping it must notice the change.
    let before = run(index, SearchQuery::default()).await;
    assert_eq!(before.total, corpus().len() as i64);
    index
        .apply(Vec::new(), vec![(DocumentKind::Product, 1)])
        .await
        .unwrap();
    let after = run(index, robot_query()).await;
    assert!(!found(&after), "withdrawn: {:?}", keys(&after));
    let everything = run(index, SearchQuery::default()).await;
    assert_eq!(everything.total, corpus().len() as i64 - 1);
    let entry = corpus().into_iter().find(|e| e.key == "p01").unwrap();
    index
        .apply(vec![(entry.kind, entry.document())], Vec::new())
        .await
        .unwrap();
    assert!(found(&run(index, robot_query()).await));
}

pub async fn query_syntax_and_odd_input_are_only_text(index: &impl SearchIndex) {
    for q in [
        "\"机器人\"",
        "机器人 OR 1=1",
        "sector = \"智能制造\" OR true",
        "(a) AND (b)",
        "robot' --",
        "\\\" \\\\ \\",
        "a:b* ~2 ^3 [1 TO 9]",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{fffd} é",
        &"长".repeat(200),
    ] {
        let results = run(
            index,
            SearchQuery {
                q: q.to_owned(),
                ..SearchQuery::default()
            },
        )
        .await;
        assert!(results.total <= corpus().len() as i64, "{q}");
    }
    let quoted = run(
        index,
        SearchQuery {
            q: "\"机器人\"".into(),
            ..SearchQuery::default()
        },
    )
    .await;
    assert!(keys(&quoted).contains(&"p01".to_owned()));
    // A filter value is a value, never an expression.
    for agency in [
        "常州市科学技术局\" OR agency EXISTS OR agency = \"x",
        "x' OR '1'='1",
        "(常州市科学技术局)",
    ] {
        let results = run(
            index,
            SearchQuery {
                agency: Some(agency.into()),
                ..SearchQuery::default()
            },
        )
        .await;
        assert_eq!(results.total, 0, "{agency}");
    }
}

/// Every written form of a query finds what its plain form finds, in the same order:
/// full-width letters and digits (input methods), traditional characters (Hong Kong,
/// Macao, Taiwan and many documents), curly quotation marks.
pub async fn every_written_form_finds_the_same_records(index: &impl SearchIndex) {
    let pairs = [
        ("５Ｇ", "5G"),
        ("ＡＩ", "AI"),
        ("機器人", "机器人"),
        ("處理", "处理"),
        ("工業機器人視覺檢測", "工业机器人视觉检测"),
        // Curly quotes are straight ones (a phrase, where the backend reads phrases).
        ("“智能制造”", "\"智能制造\""),
        ("‘光伏’", "'光伏'"),
        ("光伏　储能", "光伏 储能"),
    ];
    for (written, plain) in pairs {
        let query = |q: &str| SearchQuery {
            q: q.to_owned(),
            ..SearchQuery::default()
        };
        let expected = run(index, query(plain)).await;
        let found = run(index, query(written)).await;
        assert!(expected.total > 0, "{plain} finds something in the corpus");
        assert_eq!(
            (found.total, keys(&found)),
            (expected.total, keys(&expected)),
            "{written} finds what {plain} finds"
        );
    }
}

/// An English term of the glossary finds every record holding its Chinese term, and the
/// other way round: the expansion goes through the documents' own segmentation (the
/// fault behind `lidar` finding nothing and `medical device` finding a third).
pub async fn glossary_terms_find_each_others_records(index: &impl SearchIndex) {
    let pairs = [
        ("lidar", "激光雷达"),
        ("medical device", "医疗器械"),
        ("energy storage", "储能"),
        ("drone", "无人机"),
        ("solar", "光伏"),
        ("battery recycling", "电池回收"),
    ];
    let corpus = corpus();
    let holding = |term: &str| -> BTreeSet<String> {
        corpus
            .iter()
            .filter(|e| {
                let text = format!(
                    "{} {} {}",
                    e.title,
                    e.body,
                    e.organisation_name.as_deref().unwrap_or_default()
                );
                app::search::normalise::normalise(&text)
                    .to_lowercase()
                    .contains(term)
            })
            .map(|e| e.key.clone())
            .collect()
    };
    for (english, chinese) in pairs {
        let query = |q: &str| SearchQuery {
            q: q.to_owned(),
            ..SearchQuery::default()
        };
        let by_english = all_keys(index, query(english)).await;
        let by_chinese = all_keys(index, query(chinese)).await;
        let chinese_holders = holding(chinese);
        let english_holders = holding(english);
        assert!(!chinese_holders.is_empty(), "{chinese} is in the corpus");
        assert!(
            by_english.is_superset(&chinese_holders),
            "{english} misses {:?}",
            chinese_holders.difference(&by_english).collect::<Vec<_>>()
        );
        assert!(
            by_chinese.is_superset(&english_holders),
            "{chinese} misses {:?}",
            english_holders.difference(&by_chinese).collect::<Vec<_>>()
        );
        // And nothing else: a one-word term finds only records holding a term of its group
        // (an engine finding everything would pass the checks above).
        if !english.contains(' ') {
            let group = app::search::glossary::glossary()
                .groups
                .iter()
                .find(|g| g.english.iter().any(|term| term == english))
                .expect("the term is in the glossary");
            let mut holders_of_any = BTreeSet::new();
            for term in group.terms() {
                holders_of_any.extend(holding(term));
            }
            assert!(
                by_english.is_subset(&holders_of_any),
                "{english} finds records holding none of {:?}: {:?}",
                group.terms().collect::<Vec<_>>(),
                by_english.difference(&holders_of_any).collect::<Vec<_>>()
            );
        }
    }
}
