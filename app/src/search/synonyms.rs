//! Words of the field that mean the same thing, kept in code: the embedded index expands
//! queries with them, and the Meilisearch settings carry the same list.

/// Groups of interchangeable terms (lower-case). A query word found in a group also
/// matches the group's other terms.
pub const SYNONYM_GROUPS: &[&[&str]] = &[
    &["芯片", "集成电路", "ic", "chip"],
    &["电动汽车", "新能源汽车", "电动车", "ev", "electric vehicle"],
    &["激光雷达", "lidar"],
    &["光伏", "太阳能", "solar", "photovoltaic"],
    &["无人机", "uav", "drone"],
    &["机器人", "robot"],
    &["储能", "energy storage"],
    &["动力电池", "锂电池", "battery"],
    &["石墨烯", "graphene"],
    &["人工智能", "ai"],
    &["物联网", "iot"],
    &["医疗器械", "medical device"],
    &["视觉检测", "机器视觉", "vision inspection"],
];

/// The other terms of every group `word` belongs to.
pub fn synonyms_of(word: &str) -> impl Iterator<Item = &'static str> + '_ {
    SYNONYM_GROUPS
        .iter()
        .filter(move |group| group.contains(&word))
        .flat_map(|group| group.iter().copied())
        .filter(move |term| *term != word)
}

/// The groups as Meilisearch wants them: each term maps to the group's other terms.
pub fn synonym_map() -> std::collections::BTreeMap<String, Vec<String>> {
    let mut map = std::collections::BTreeMap::new();
    for group in SYNONYM_GROUPS {
        for term in *group {
            map.insert(
                (*term).to_owned(),
                synonyms_of(term).map(str::to_owned).collect(),
            );
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_go_both_ways() {
        assert!(synonyms_of("芯片").any(|t| t == "集成电路"));
        assert!(synonyms_of("集成电路").any(|t| t == "芯片"));
        assert_eq!(synonyms_of("钢铁").count(), 0);
        assert!(!synonyms_of("lidar").any(|t| t == "lidar"));
    }
}
