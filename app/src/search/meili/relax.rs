//! Long queries on Meilisearch. Its matching strategies only ever drop words from one end
//! (`last`: the query's last words first; `frequency`: the commonest first), so a record
//! that lacks the one word kept to the end is never found, however many of the other words
//! it holds: in 「AI 视觉检测」 a vision-inspection system without `AI`, in
//! 「光伏储能充电一体化」 a charger or a storage system. The embedded index finds a record by
//! any of the query's words and ranks the records holding more of them first; Meilisearch
//! is made to do the same by searching the query and its shorter tails together in one
//! federated search, each tail weighted by the share of the query's words it holds, so a
//! record is found by any word and still ranked by how many it holds.

use crate::search::segment::query_terms;

/// At most this many searches for one query (the query and its longest tails): words past
/// the eighth of a query are rare, and each tail is one more search.
const MAX_VARIANTS: usize = 8;

/// The searches that stand for `q` (already normalised), with their federation weights:
/// `q` itself (1.0), then, for a query of `n` words, the tail from its `i`-th word on,
/// weighted `(n - i) / n`. A query of one word, or one using phrase (`"…"`) or exclusion
/// (`-word`) syntax, is searched as it is.
pub fn relaxed(q: &str) -> Vec<(String, f32)> {
    let whole = vec![(q.to_owned(), 1.0)];
    if q.contains('"') || q.split_whitespace().any(|w| w.starts_with('-')) {
        return whole;
    }
    let terms = query_terms(q);
    let n = terms.len();
    if n < 2 {
        return whole;
    }
    let mut variants = whole;
    for start in 1..n.min(MAX_VARIANTS) {
        variants.push((terms[start..].join(" "), (n - start) as f32 / n as f32));
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_query_is_searched_with_its_tails_weighted_by_their_words() {
        let variants = relaxed("光伏储能充电一体化");
        let texts: Vec<&str> = variants.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts[0], "光伏储能充电一体化");
        assert!(texts.contains(&"一体化"), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("储能")), "{texts:?}");
        let weights: Vec<f32> = variants.iter().map(|(_, w)| *w).collect();
        assert!(weights.windows(2).all(|w| w[0] > w[1]), "{weights:?}");
        assert!(relaxed("ai 视觉检测")[1].0.starts_with("视觉"));
    }

    #[test]
    fn one_word_and_query_syntax_stay_one_search() {
        assert_eq!(relaxed("机器人").len(), 1);
        assert_eq!(relaxed("\"智能制造\" 光伏").len(), 1);
        assert_eq!(relaxed("机器人 -焊接").len(), 1);
        assert_eq!(relaxed("czcx-2026-01").len(), 1);
    }
}
