//! Word matching, standing in for Meilisearch's tokenizer (charabia, with Chinese
//! segmentation) without reproducing it: deterministic and close enough for the fixtures.
//!
//! - Text is compared lowercased, with any run of non-alphanumeric characters as one space.
//! - A query splits into terms: runs of non-CJK letters and digits are words, matched as
//!   whole words with typos (one from `oneTypo` letters, two from `twoTypos`; a wrong first
//!   letter counts twice), the query's last word also as a prefix. CJK text has no spaces,
//!   so a run of CJK characters is matched as a substring, and so are its substrings of two
//!   or more characters, each counting as a word of its own (`机器人` is `机器人`, `机器`,
//!   `器人`), which ranks a text holding the whole run above one holding a part.
//! - `"quoted phrases"` must appear as they are; `-word` excludes documents containing it.
//! - Synonyms (one-way, as configured) are alternatives of the term they are set for.
//! - Highlighting wraps each match; a CJK match is cut in two-character pieces, about the
//!   words a Chinese segmenter finds (`<mark>机器</mark><mark>人</mark>`, fixture 11).

use std::collections::HashSet;
use std::ops::Range;

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
}

fn is_latin(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A text ready for matching.
pub struct Prepared {
    /// Letters and digits lowercased; any other run of characters is one space.
    chars: Vec<char>,
    /// For each of `chars`, its index among the source's characters.
    orig: Vec<usize>,
    /// The non-CJK words, as ranges of `chars`.
    words: Vec<Range<usize>>,
}

impl Prepared {
    pub fn new(text: &str) -> Self {
        let mut chars = Vec::new();
        let mut orig = Vec::new();
        for (i, c) in text.chars().enumerate() {
            if c.is_alphanumeric() {
                chars.push(lower(c));
                orig.push(i);
            } else if chars.last().is_some_and(|&last| last != ' ') {
                chars.push(' ');
                orig.push(i);
            }
        }
        let words = runs(&chars, is_latin);
        Prepared { chars, orig, words }
    }

    /// Source characters of `chars[range]` (a match never spans a removed separator run
    /// except inside a phrase, where it then covers it).
    fn source(&self, range: Range<usize>) -> Range<usize> {
        self.orig[range.start]..self.orig[range.end - 1] + 1
    }

    fn find_all(&self, needle: &[char]) -> Vec<usize> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return Vec::new();
        }
        (0..=self.chars.len() - needle.len())
            .filter(|&at| self.chars[at..at + needle.len()] == *needle)
            .collect()
    }

    /// A phrase match does not start or end inside a word.
    fn on_word_boundaries(&self, range: &Range<usize>) -> bool {
        let inside = |a: usize, b: usize| is_latin(self.chars[a]) && is_latin(self.chars[b]);
        (range.start == 0 || !inside(range.start - 1, range.start))
            && (range.end == self.chars.len() || !inside(range.end - 1, range.end))
    }
}

/// Maximal runs of characters that pass `keep`.
fn runs(chars: &[char], keep: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if keep(chars[at]) {
            let start = at;
            while at < chars.len() && keep(chars[at]) {
                at += 1;
            }
            out.push(start..at);
        } else {
            at += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Word {
        chars: Vec<char>,
        max_typos: usize,
        prefix: bool,
    },
    Cjk(Vec<char>),
    Phrase(Vec<char>),
}

/// Where a term matched, in source characters, and with how many typos.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub cjk: bool,
}

impl Term {
    fn matches(&self, text: &Prepared, allow_typos: bool) -> Vec<(usize, Span)> {
        match self {
            Term::Word {
                chars,
                max_typos,
                prefix,
            } => {
                let max_typos = if allow_typos { *max_typos } else { 0 };
                text.words
                    .iter()
                    .filter_map(|word| {
                        let (typos, len) =
                            word_match(chars, max_typos, *prefix, &text.chars[word.clone()])?;
                        let start = text.orig[word.start];
                        Some((
                            typos,
                            Span {
                                start,
                                end: start + len,
                                cjk: false,
                            },
                        ))
                    })
                    .collect()
            }
            Term::Cjk(chars) | Term::Phrase(chars) => {
                let cjk = matches!(self, Term::Cjk(_));
                text.find_all(chars)
                    .into_iter()
                    .map(|at| at..at + chars.len())
                    .filter(|range| cjk || text.on_word_boundaries(range))
                    .map(|range| {
                        let source = text.source(range);
                        (
                            0,
                            Span {
                                start: source.start,
                                end: source.end,
                                cjk,
                            },
                        )
                    })
                    .collect()
            }
        }
    }
}

/// Typos used and characters matched (less than the word for a prefix), if `term` matches.
fn word_match(
    term: &[char],
    max_typos: usize,
    prefix: bool,
    word: &[char],
) -> Option<(usize, usize)> {
    if word == term {
        return Some((0, word.len()));
    }
    if prefix && word.starts_with(term) {
        return Some((0, term.len()));
    }
    if max_typos == 0 {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    let mut consider = |candidate: &[char]| {
        let typos = typo_cost(term, candidate);
        if typos <= max_typos && best.is_none_or(|(t, _)| typos < t) {
            best = Some((typos, candidate.len()));
        }
    };
    if word.len().abs_diff(term.len()) <= max_typos {
        consider(word);
    }
    if prefix {
        let shortest = term.len().saturating_sub(max_typos).max(1);
        let longest = (term.len() + max_typos).min(word.len().saturating_sub(1));
        for len in shortest..=longest {
            consider(&word[..len]);
        }
    }
    best
}

/// Optimal string alignment distance (a swap of neighbours is one typo, as "helol" for
/// "hello" in fixture 17); a wrong first letter counts as two typos, as in Meilisearch.
fn typo_cost(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    let first_letter = usize::from(a.first() != b.first());
    d[n][m] + first_letter
}

/// The index settings the query parser reads.
#[derive(Debug, Clone, Default)]
pub struct QueryRules {
    pub typo: TypoRules,
    /// Word → its synonyms, as configured.
    pub synonyms: Vec<(String, Vec<String>)>,
    pub stop_words: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TypoRules {
    pub enabled: bool,
    pub one_typo: usize,
    pub two_typos: usize,
    pub disabled_words: Vec<String>,
    pub disabled_on_numbers: bool,
}

impl TypoRules {
    fn allowed(&self, word: &str) -> usize {
        let number = word.chars().all(|c| c.is_ascii_digit());
        if !self.enabled
            || self.disabled_words.iter().any(|w| w == word)
            || (self.disabled_on_numbers && number)
        {
            return 0;
        }
        let len = word.chars().count();
        if len >= self.two_typos {
            2
        } else if len >= self.one_typo {
            1
        } else {
            0
        }
    }
}

/// One query word: it matches if any of its terms (itself or a synonym) does.
#[derive(Debug, Clone)]
pub struct Group {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Default)]
pub struct TextQuery {
    pub groups: Vec<Group>,
    /// `-word` and `-"phrase"`: documents matching one are left out.
    pub negative: Vec<Term>,
}

enum Piece {
    Word(String),
    Cjk(Vec<char>),
    Phrase(Vec<char>),
}

impl TextQuery {
    pub fn parse(q: &str, rules: &QueryRules) -> TextQuery {
        let (mut pieces, negative_pieces) = split_query(q);
        // Stop words are ignored, unless the query has nothing else.
        if pieces
            .iter()
            .any(|p| !matches!(p, Piece::Word(w) if rules.stop_words.contains(w)))
        {
            pieces.retain(|p| !matches!(p, Piece::Word(w) if rules.stop_words.contains(w)));
        }
        let prefix_last = q.chars().last().is_some_and(char::is_alphanumeric);
        let count = pieces.len();
        let mut seen = HashSet::new();
        let mut groups = Vec::new();
        for (i, piece) in pieces.into_iter().enumerate() {
            match piece {
                Piece::Word(word) => {
                    if seen.insert(word.clone()) {
                        let term = Term::Word {
                            chars: word.chars().collect(),
                            max_typos: rules.typo.allowed(&word),
                            prefix: prefix_last && i + 1 == count,
                        };
                        groups.push(group(term, &word, rules));
                    }
                }
                Piece::Cjk(run) => {
                    // The run, then its substrings of two characters or more, longest first.
                    for len in (2..=run.len()).rev().chain((run.len() == 1).then_some(1)) {
                        for start in 0..=run.len() - len {
                            let part: String = run[start..start + len].iter().collect();
                            if seen.insert(part.clone()) {
                                let term = Term::Cjk(part.chars().collect());
                                groups.push(group(term, &part, rules));
                            }
                        }
                    }
                }
                Piece::Phrase(chars) => groups.push(Group {
                    terms: vec![Term::Phrase(chars)],
                }),
            }
        }
        let negative = negative_pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Word(word) => Term::Word {
                    chars: word.chars().collect(),
                    max_typos: 0,
                    prefix: false,
                },
                Piece::Cjk(chars) => Term::Cjk(chars),
                Piece::Phrase(chars) => Term::Phrase(chars),
            })
            .collect();
        TextQuery { groups, negative }
    }

    pub fn is_placeholder(&self) -> bool {
        self.groups.is_empty()
    }

    /// For each group, the fewest typos it matches `text` with, if it does.
    pub fn group_typos(&self, text: &Prepared, allow_typos: bool) -> Vec<Option<usize>> {
        self.groups
            .iter()
            .map(|g| {
                g.terms
                    .iter()
                    .flat_map(|t| t.matches(text, allow_typos))
                    .map(|(typos, _)| typos)
                    .min()
            })
            .collect()
    }

    pub fn excludes(&self, text: &Prepared) -> bool {
        self.negative
            .iter()
            .any(|t| !t.matches(text, false).is_empty())
    }

    /// Every match in `text`, for highlighting and cropping.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let prepared = Prepared::new(text);
        self.groups
            .iter()
            .flat_map(|g| g.terms.iter())
            .flat_map(|t| t.matches(&prepared, true))
            .map(|(_, span)| span)
            .collect()
    }
}

fn group(term: Term, base: &str, rules: &QueryRules) -> Group {
    let mut terms = vec![term];
    for (word, synonyms) in &rules.synonyms {
        if normalized(word) == base {
            terms.extend(synonyms.iter().filter_map(|s| term_for(s)));
        }
    }
    Group { terms }
}

/// A text as matching sees it, spaces at the ends removed.
fn normalized(text: &str) -> String {
    Prepared::new(text)
        .chars
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// The term a synonym stands for: a word, a CJK run, or a phrase.
fn term_for(text: &str) -> Option<Term> {
    let chars: Vec<char> = normalized(text).chars().collect();
    if chars.is_empty() {
        None
    } else if chars.iter().all(|&c| is_cjk(c)) {
        Some(Term::Cjk(chars))
    } else if chars.iter().all(|&c| is_latin(c)) {
        Some(Term::Word {
            chars,
            max_typos: 0,
            prefix: false,
        })
    } else {
        Some(Term::Phrase(chars))
    }
}

/// The query's words, CJK runs and phrases; then its negated ones.
fn split_query(q: &str) -> (Vec<Piece>, Vec<Piece>) {
    let chars: Vec<char> = q.chars().collect();
    let (mut pieces, mut negative) = (Vec::new(), Vec::new());
    let mut plain = String::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let word_start = at == 0 || chars[at - 1].is_whitespace();
        let negation =
            c == '-' && word_start && chars.get(at + 1).is_some_and(|next| !next.is_whitespace());
        if c == '"' || negation {
            pieces.extend(plain_pieces(&std::mem::take(&mut plain)));
            let start = if negation { at + 1 } else { at };
            let (target, end) = if chars[start] == '"' {
                let close = chars[start + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map_or(chars.len(), |p| start + 1 + p);
                let phrase: String = chars[start + 1..close].iter().collect();
                let phrase: Vec<char> = normalized(&phrase).chars().collect();
                let piece = (!phrase.is_empty()).then_some(Piece::Phrase(phrase));
                (piece.into_iter().collect::<Vec<_>>(), close + 1)
            } else {
                let end = chars[start..]
                    .iter()
                    .position(|c| c.is_whitespace())
                    .map_or(chars.len(), |p| start + p);
                let word: String = chars[start..end].iter().collect();
                (plain_pieces(&word), end)
            };
            if negation {
                negative.extend(target);
            } else {
                pieces.extend(target);
            }
            at = end;
            continue;
        }
        plain.push(c);
        at += 1;
    }
    pieces.extend(plain_pieces(&plain));
    (pieces, negative)
}

fn plain_pieces(text: &str) -> Vec<Piece> {
    let prepared = Prepared::new(text);
    let mut pieces = Vec::new();
    let mut at = 0;
    let chars = &prepared.chars;
    while at < chars.len() {
        let latin = is_latin(chars[at]);
        if !latin && !is_cjk(chars[at]) {
            at += 1;
            continue;
        }
        let kind: fn(char) -> bool = if latin { is_latin } else { is_cjk };
        let start = at;
        while at < chars.len() && kind(chars[at]) {
            at += 1;
        }
        let run = chars[start..at].to_vec();
        pieces.push(if latin {
            Piece::Word(run.into_iter().collect())
        } else {
            Piece::Cjk(run)
        });
    }
    pieces
}

/// `text` with its matches highlighted and/or cropped around the first match, as in
/// `_formatted`. `highlight` is the pair of tags; `crop` the length in words and the marker.
pub fn format(
    text: &str,
    spans: &[Span],
    highlight: Option<(&str, &str)>,
    crop: Option<(usize, &str)>,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (window, cut_before, cut_after) = match crop {
        Some((length, _)) => crop_window(text, spans, length),
        None => (0..chars.len(), false, false),
    };
    let marker = crop.map_or("", |(_, marker)| marker);
    let mut out = String::new();
    if cut_before {
        out.push_str(marker);
    }
    let mut at = window.start;
    if let Some((pre, post)) = highlight {
        for range in highlight_ranges(spans) {
            let (start, end) = (range.start.max(window.start), range.end.min(window.end));
            if start >= end || start < at {
                continue;
            }
            out.extend(&chars[at..start]);
            out.push_str(pre);
            out.extend(&chars[start..end]);
            out.push_str(post);
            at = end;
        }
    }
    out.extend(&chars[at..window.end]);
    if cut_after {
        out.push_str(marker);
    }
    out
}

/// Overlapping matches merged (a CJK query's substrings overlap); CJK stretches cut in
/// two-character pieces.
fn highlight_ranges(spans: &[Span]) -> Vec<Range<usize>> {
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut merged: Vec<Span> = Vec::new();
    for span in sorted {
        if let Some(last) = merged.last_mut() {
            let touching_cjk = span.start == last.end && span.cjk && last.cjk;
            if span.start < last.end || touching_cjk {
                last.end = last.end.max(span.end);
                last.cjk &= span.cjk;
                continue;
            }
        }
        merged.push(span);
    }
    merged
        .into_iter()
        .flat_map(|span| {
            let step = if span.cjk {
                2
            } else {
                (span.end - span.start).max(1)
            };
            (span.start..span.end)
                .step_by(step)
                .map(move |s| s..(s + step).min(span.end))
        })
        .collect()
}

/// The characters to keep when cropping to `length` words, and whether text was cut before
/// and after. Words are non-CJK words and two-character pieces of CJK runs; the window
/// starts a little before the first match (at the start without one).
fn crop_window(text: &str, spans: &[Span], length: usize) -> (Range<usize>, bool, bool) {
    let prepared = Prepared::new(text);
    let mut units: Vec<Range<usize>> = runs(&prepared.chars, is_latin)
        .into_iter()
        .map(|word| prepared.source(word))
        .collect();
    for run in runs(&prepared.chars, is_cjk) {
        for start in run.clone().step_by(2) {
            units.push(prepared.source(start..(start + 2).min(run.end)));
        }
    }
    units.sort_by_key(|unit| unit.start);
    let length = length.max(1);
    let total = text.chars().count();
    if units.len() <= length {
        return (0..total, false, false);
    }
    let first_match = units
        .iter()
        .position(|u| spans.iter().any(|s| s.start < u.end && u.start < s.end));
    let start = first_match.map_or(0, |m| {
        m.saturating_sub((length - 1) / 2).min(units.len() - length)
    });
    let end = start + length;
    (
        units[start].start..units[end - 1].end,
        start > 0,
        end < units.len(),
    )
}

/// Byte offsets and lengths of the highlighted pieces of `text`, for `_matchesPosition`.
pub fn byte_positions(text: &str, spans: &[Span]) -> Vec<(usize, usize)> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    highlight_ranges(spans)
        .into_iter()
        .map(|r| (offsets[r.start], offsets[r.end] - offsets[r.start]))
        .collect()
}
