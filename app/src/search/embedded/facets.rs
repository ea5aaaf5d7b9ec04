//! Counting facet values over every document a search matches, from the fast fields.

use crate::search::{FacetCount, Facets};
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};

/// A facet's values in a segment. Most facets have one value per document, read
/// directly; certifications and procurement levels may have several.
struct FacetColumn {
    dictionary: StrColumn,
    single: Option<Column<u64>>,
}

impl FacetColumn {
    fn new(dictionary: StrColumn) -> FacetColumn {
        let ords = dictionary.ords();
        let single = (ords.get_cardinality() != Cardinality::Multivalued).then(|| ords.clone());
        FacetColumn { dictionary, single }
    }

    fn count(&self, doc: DocId, counts: &mut [i64]) {
        let mut add = |ord: u64| {
            if let Some(count) = counts.get_mut(ord as usize) {
                *count += 1;
            }
        };
        match &self.single {
            Some(column) if column.get_cardinality() == Cardinality::Full => {
                add(column.values.get_val(doc))
            }
            Some(column) => {
                if let Some(ord) = column.first(doc) {
                    add(ord)
                }
            }
            None => self.dictionary.term_ords(doc).for_each(add),
        }
    }
}
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The string facets, in the order their counts are kept.
const STRING_FACETS: [&str; 8] = [
    "kind",
    "category",
    "location",
    "stage",
    "agency",
    "batch",
    "certification",
    "procurement",
];

/// Names are the mirror's field names (see `mirror::schema`).
pub struct FacetCollector;

/// Counts per facet value (by name), plus the two flags and the total.
#[derive(Default)]
pub struct Counts {
    strings: [HashMap<String, i64>; 8],
    eligible: i64,
    first_purchased: i64,
    pub total: i64,
}

pub struct SegmentCounts {
    columns: Vec<Option<FacetColumn>>,
    /// Per facet, a count per term ordinal (the segment's dictionary is small).
    ords: Vec<Vec<i64>>,
    eligible: Column<bool>,
    first_purchased: Column<bool>,
    eligible_count: i64,
    first_purchased_count: i64,
    total: i64,
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let fast = reader.fast_fields();
        let columns = STRING_FACETS
            .iter()
            .map(|name| Ok(fast.str(name)?.map(FacetColumn::new)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let ords = columns
            .iter()
            .map(|column| vec![0; column.as_ref().map_or(0, |c| c.dictionary.num_terms())])
            .collect();
        Ok(SegmentCounts {
            ords,
            columns,
            eligible: fast.bool("eligible")?,
            first_purchased: fast.bool("first_purchased")?,
            eligible_count: 0,
            first_purchased_count: 0,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::default();
        for counts in segments {
            for (into, from) in merged.strings.iter_mut().zip(counts.strings) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
            merged.eligible += counts.eligible;
            merged.first_purchased += counts.first_purchased;
            merged.total += counts.total;
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        for (column, ords) in self.columns.iter().zip(self.ords.iter_mut()) {
            if let Some(column) = column {
                column.count(doc, ords);
            }
        }
        if self.eligible.first(doc) == Some(true) {
            self.eligible_count += 1;
        }
        if self.first_purchased.first(doc) == Some(true) {
            self.first_purchased_count += 1;
        }
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts {
            eligible: self.eligible_count,
            first_purchased: self.first_purchased_count,
            total: self.total,
            ..Counts::default()
        };
        for ((column, ords), into) in self
            .columns
            .iter()
            .zip(self.ords)
            .zip(counts.strings.iter_mut())
        {
            let Some(column) = column else { continue };
            for (ord, count) in ords.into_iter().enumerate() {
                let mut value = String::new();
                if count > 0
                    && column
                        .dictionary
                        .ord_to_str(ord as u64, &mut value)
                        .unwrap_or(false)
                {
                    into.insert(value, count);
                }
            }
        }
        counts
    }
}

impl Counts {
    pub fn into_facets(self) -> Facets {
        let [kind, category, location, stage, agency, batch, certification, procurement] =
            self.strings.map(sorted);
        Facets {
            kind,
            category,
            location,
            stage,
            agency,
            batch,
            certification,
            procurement,
            procurement_names: Default::default(),
            eligible: self.eligible,
            first_purchased: self.first_purchased,
        }
    }
}

/// Most frequent first; equal counts by value, so the order is stable.
fn sorted(counts: HashMap<String, i64>) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list
}
