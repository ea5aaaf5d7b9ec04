//! The bilingual glossary of the field (`glossary.tsv`, data): groups of Chinese and
//! English terms that mean the same thing, such as 激光雷达 and `lidar`.
//!
//! Search applies it on the document side, the same way on both backends: a record that
//! mentions any term of a group is indexed with the group's other terms as well
//! ([`Glossary::equivalents`]), segmented like everything else. A query then finds the
//! record by whichever term it uses, with no query-side expansion that could segment the
//! terms differently from the documents (the fault behind `lidar` finding nothing).
//!
//! The file's format is described in its header: `domain<TAB>中文; 术语<TAB>english; terms`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The glossary as shipped, in the binary.
pub const GLOSSARY_TSV: &str = include_str!("glossary.tsv");

/// One group of interchangeable terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The line of `glossary.tsv` it comes from (1-based), for messages.
    pub line: usize,
    /// `vocabulary`, `equipment`, `materials`, `energy`, `vehicles`, `medicine`, `it`,
    /// `city`, `agriculture` or `procurement`.
    pub domain: String,
    /// Simplified Chinese terms, as written (lower-cased where they hold Latin letters).
    pub chinese: Vec<String>,
    /// English terms, lower-case, words separated by single spaces.
    pub english: Vec<String>,
}

impl Group {
    /// Every term of the group, Chinese first.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.chinese
            .iter()
            .chain(self.english.iter())
            .map(String::as_str)
    }
}

/// A line of the file that is not a valid entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryError {
    pub line: usize,
    pub message: String,
}

/// The parsed glossary.
#[derive(Debug, Clone)]
pub struct Glossary {
    pub groups: Vec<Group>,
}

/// The shipped glossary, parsed once. The file is checked by the tests, so a malformed
/// line cannot ship; should one ever, it is left out (never a panic in a search).
pub fn glossary() -> &'static Glossary {
    static GLOSSARY: OnceLock<Glossary> = OnceLock::new();
    GLOSSARY.get_or_init(|| {
        let (glossary, errors) = Glossary::parse(GLOSSARY_TSV);
        for error in errors {
            tracing::error!(line = error.line, message = %error.message, "glossary.tsv");
        }
        glossary
    })
}

/// The ASCII words of `text`, lower-cased: runs of ASCII letters and digits.
fn latin_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `found` is `wanted` or its regular English plural (robots, batteries, boxes).
fn same_word(found: &str, wanted: &str, last: bool) -> bool {
    if found == wanted {
        return true;
    }
    if !last || wanted.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    found.strip_suffix('s') == Some(wanted)
        || found.strip_suffix("es") == Some(wanted)
        || (wanted.ends_with('y') && found.strip_suffix("ies") == Some(&wanted[..wanted.len() - 1]))
}

impl Glossary {
    /// Parses the file's text. Lines that break the format are reported and left out.
    pub fn parse(text: &str) -> (Glossary, Vec<GlossaryError>) {
        let mut groups = Vec::new();
        let mut errors = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let columns: Vec<&str> = raw.split('\t').collect();
            let [domain, chinese, english] = columns[..] else {
                errors.push(GlossaryError {
                    line,
                    message: format!("{} columns, not 3", columns.len()),
                });
                continue;
            };
            let split = |column: &str, lower: bool| -> Vec<String> {
                column
                    .split(';')
                    .map(|term| term.split_whitespace().collect::<Vec<_>>().join(" "))
                    .map(|term| if lower { term.to_lowercase() } else { term })
                    .filter(|term| !term.is_empty())
                    .collect()
            };
            let group = Group {
                line,
                domain: domain.trim().to_owned(),
                chinese: split(chinese, true),
                english: split(english, true),
            };
            if group.chinese.is_empty() || group.english.is_empty() {
                errors.push(GlossaryError {
                    line,
                    message: "a group needs a Chinese and an English term".to_owned(),
                });
                continue;
            }
            groups.push(group);
        }
        (Glossary { groups }, errors)
    }

    /// The groups `text` mentions: a Chinese term as a substring, an English term as
    /// whole words in order (the last may be plural). `text` must be normalised
    /// ([`super::normalise::normalise`]) and lower-cased.
    pub fn groups_in<'g>(&'g self, text: &str) -> Vec<&'g Group> {
        let words = latin_words(text);
        self.groups
            .iter()
            .filter(|group| {
                group
                    .chinese
                    .iter()
                    .any(|term| text.contains(term.as_str()))
                    || group.english.iter().any(|term| {
                        let wanted = latin_words(term);
                        !wanted.is_empty()
                            && words.windows(wanted.len()).any(|window| {
                                window.iter().zip(&wanted).enumerate().all(
                                    |(i, (found, wanted_word))| {
                                        same_word(found, wanted_word, i + 1 == wanted.len())
                                    },
                                )
                            })
                    })
            })
            .collect()
    }

    /// The terms to index beside `text` so that every term of each group it mentions
    /// finds it: all the terms of those groups, space-separated (empty when none).
    /// `text` as for [`Glossary::groups_in`].
    pub fn equivalents(&self, text: &str) -> String {
        let mut seen = HashSet::new();
        let mut terms = Vec::new();
        for group in self.groups_in(text) {
            for term in group.terms() {
                if seen.insert(term) {
                    terms.push(term);
                }
            }
        }
        terms.join(" ")
    }
}

/// What a text is searched as beside its own words: its normalised form when that differs
/// (traditional characters, full-width letters) and the glossary terms of the groups it
/// mentions. Empty when there is nothing to add. Meilisearch stores it in the hidden
/// `*_terms` attributes; the embedded index appends its words to the field's words.
pub fn search_extras(text: &str) -> String {
    let normalised = super::normalise::normalise(text);
    let lower = normalised.to_lowercase();
    let equivalents = glossary().equivalents(&lower);
    match (normalised.as_ref() != text, equivalents.is_empty()) {
        (false, true) => String::new(),
        (false, false) => equivalents,
        (true, true) => normalised.into_owned(),
        (true, false) => format!("{normalised} {equivalents}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# header\n\
        vehicles\t激光雷达\tlidar; laser radar\n\
        medicine\t医疗器械\tmedical device\n\
        energy\t电池\tbattery\n\
        \n\
        bad line\n";

    #[test]
    fn the_file_format_is_read_and_bad_lines_are_named() {
        let (glossary, errors) = Glossary::parse(SAMPLE);
        assert_eq!(glossary.groups.len(), 3);
        assert_eq!(glossary.groups[0].english, ["lidar", "laser radar"]);
        assert_eq!(glossary.groups[0].line, 2);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6);
    }

    #[test]
    fn terms_are_found_as_substrings_or_whole_words() {
        let (glossary, _) = Glossary::parse(SAMPLE);
        let found = |text: &str| -> Vec<usize> {
            glossary.groups_in(text).iter().map(|g| g.line).collect()
        };
        assert_eq!(found("路侧激光雷达感知"), [2]);
        assert_eq!(found("class ii medical devices and batteries"), [3, 4]);
        assert_eq!(found("laser radars"), [2]);
        // A word inside another word is not the word.
        assert!(found("lidarx batteryless").is_empty());
        // The words of a term must be in order and side by side.
        assert!(found("device for medical use").is_empty());
    }

    /// Words too general to stand for one concept: as a whole term they would join
    /// unrelated records.
    const TOO_GENERAL: &[&str] = &[
        "system",
        "systems",
        "device",
        "equipment",
        "platform",
        "service",
        "services",
        "smart",
        "intelligent",
        "management",
        "monitoring",
        "software",
        "module",
        "material",
        "materials",
        "control",
        "test",
        "testing",
        "data",
        "product",
        "products",
        "technology",
        "solution",
        "network",
        "machine",
        "power",
        "unit",
        "seed",
        "later",
        "other",
        "city",
        "new",
        "green",
        "first",
        "set",
        "line",
    ];

    #[test]
    fn the_shipped_glossary_is_well_formed_and_joins_no_unrelated_words() {
        let (glossary, errors) = Glossary::parse(GLOSSARY_TSV);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            glossary.groups.len() >= 300,
            "{} groups",
            glossary.groups.len()
        );
        let domains = [
            "vocabulary",
            "equipment",
            "materials",
            "energy",
            "vehicles",
            "medicine",
            "it",
            "city",
            "agriculture",
            "procurement",
        ];
        let mut owner: std::collections::HashMap<&str, usize> = Default::default();
        for group in &glossary.groups {
            let line = group.line;
            assert!(
                domains.contains(&group.domain.as_str()),
                "line {line}: domain"
            );
            for term in &group.chinese {
                assert!(
                    term.chars().count() >= 2
                        && term.chars().all(char::is_alphanumeric)
                        && !term.is_ascii(),
                    "line {line}: {term} is not a Chinese term"
                );
                assert_eq!(
                    crate::search::normalise::normalise(term),
                    term.as_str(),
                    "line {line}: {term} is not in simplified, normalised form"
                );
            }
            for term in &group.english {
                assert!(
                    term.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == ' '
                        || c == '-')
                        && term.len() >= 2,
                    "line {line}: {term} is not an English term"
                );
                assert!(
                    !TOO_GENERAL.contains(&term.as_str()),
                    "line {line}: {term} is too general to join records by"
                );
            }
            // A term in two groups would join them: each term belongs to one group.
            for term in group.terms() {
                if let Some(first) = owner.insert(term, line) {
                    panic!("{term} is on line {first} and line {line}");
                }
            }
        }
    }

    #[test]
    fn the_vocabularies_english_names_are_in_the_glossary() {
        use crate::domain::{Certification, Industry, Location, ProjectStage, Sector};
        use crate::i18n::Locale;
        // Names that are no search term (a place that is no place, a catch-all stage) or
        // too general alone, which the glossary gives in a precise form instead.
        let precise: &[(&str, &str)] = &[
            ("种子轮", "seed round"),
            ("天使轮", "angel round"),
            ("首台套", "first set of equipment"),
        ];
        let skipped = ["市直", "常州市外", "B轮以后"];
        let mut names: Vec<(&str, &str)> = Vec::new();
        names.extend(
            Location::ALL
                .iter()
                .map(|v| (v.label(Locale::ZhCn), v.label(Locale::En))),
        );
        names.extend(
            Sector::ALL
                .iter()
                .map(|v| (v.label(Locale::ZhCn), v.label(Locale::En))),
        );
        names.extend(
            Industry::ALL
                .iter()
                .map(|v| (v.label(Locale::ZhCn), v.label(Locale::En))),
        );
        names.extend(
            Certification::ALL
                .iter()
                .map(|v| (v.label(Locale::ZhCn), v.label(Locale::En))),
        );
        names.extend(
            ProjectStage::ALL
                .iter()
                .map(|v| (v.label(Locale::ZhCn), v.label(Locale::En))),
        );
        let (glossary, _) = Glossary::parse(GLOSSARY_TSV);
        for (chinese, english) in names {
            if skipped.contains(&chinese) {
                continue;
            }
            let chinese = chinese.replace(['(', ')'], "").to_lowercase();
            let english = precise
                .iter()
                .find(|(zh, _)| *zh == chinese)
                .map_or_else(|| english.to_lowercase(), |(_, en)| (*en).to_owned());
            let group = glossary
                .groups
                .iter()
                .find(|g| g.chinese.contains(&chinese))
                .unwrap_or_else(|| panic!("{chinese} has no group"));
            assert!(
                group.english.contains(&english),
                "line {}: {chinese} lacks {english}",
                group.line
            );
        }
    }

    #[test]
    fn a_record_is_searched_by_every_term_of_its_groups_and_its_normalised_form() {
        assert_eq!(search_extras("plain text about nothing"), "");
        let extras = search_extras("路側雷射雷達");
        assert!(extras.starts_with("路侧"), "{extras}");
    }
}
