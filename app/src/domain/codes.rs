//! The catalogue's closed vocabularies (docs/domain.md, "Vocabulary" and "Codes"), with
//! names in both languages.

use super::labelled::labelled_enum;

labelled_enum! {
    /// A Changzhou division (GB/T 2260), a development zone, or outside Changzhou.
    pub enum Location {
        CityLevel = "320400", "市直", "City level";
        Tianning = "320402", "天宁区", "Tianning District";
        Zhonglou = "320404", "钟楼区", "Zhonglou District";
        Xinbei = "320411", "新北区", "Xinbei District";
        Wujin = "320412", "武进区", "Wujin District";
        Jintan = "320413", "金坛区", "Jintan District";
        Liyang = "320481", "溧阳市", "Liyang City";
        EconomicZone = "cz-edz", "常州经开区", "Changzhou Economic Development Zone";
        HighTechZone = "cz-hitech", "常州高新区", "Changzhou High-tech Zone";
        Outside = "outside", "常州市外", "Outside Changzhou";
    }
}

impl Location {
    /// The place as a geographic name, for structured data (schema.org `areaServed`,
    /// `addressLocality`): 市直 (a city-level body) is Changzhou itself, a district or
    /// zone is named with its city (常州市天宁区, "Tianning District, Changzhou"); `None`
    /// outside Changzhou, where the code names no place.
    pub fn place(self, locale: crate::i18n::Locale) -> Option<String> {
        let zh = locale == crate::i18n::Locale::ZhCn;
        match self {
            Location::Outside => None,
            Location::CityLevel if zh => Some("常州市".to_owned()),
            Location::CityLevel => Some("Changzhou".to_owned()),
            other if zh => Some(format!("常州市{}", other.label(locale))),
            other => Some(format!("{}, Changzhou", other.label(locale))),
        }
    }
}

labelled_enum! {
    pub enum OrganisationKind as "organisation_kind" {
        GovernmentAgency = "government_agency", "政府部门", "Government agency";
        PublicInstitution = "public_institution", "事业单位", "Public institution";
        ResearchInstitute = "research_institute", "科研机构", "Research institute";
        Enterprise = "enterprise", "企业", "Enterprise";
        Incubator = "incubator", "孵化器", "Incubator";
        InvestmentInstitution = "investment_institution", "投融资机构", "Investment institution";
    }
}

labelled_enum! {
    /// Sectors of application scenarios and projects.
    pub enum Sector {
        SmartManufacturing = "smart_manufacturing", "智能制造", "Smart manufacturing";
        Digital = "digital", "数字赋能", "Digital enablement";
        UrbanGovernance = "urban_governance", "城市治理", "Urban governance";
        Health = "health", "医疗健康", "Health care";
        Transport = "transport", "交通", "Transport";
        Energy = "energy", "能源", "Energy";
        Environment = "environment", "生态环保", "Environment";
        Education = "education", "教育", "Education";
        CultureTourism = "culture_tourism", "文旅", "Culture and tourism";
        Agriculture = "agriculture", "农业", "Agriculture";
    }
}

labelled_enum! {
    /// Industries of products: those the policy names.
    pub enum Industry {
        IntelligentManufacturing = "intelligent_manufacturing", "智能制造与高端装备", "Intelligent manufacturing and high-end equipment";
        NewMaterials = "new_materials", "新材料", "New materials";
        IntegratedCircuits = "integrated_circuits", "集成电路", "Integrated circuits";
        ArtificialIntelligence = "artificial_intelligence", "人工智能", "Artificial intelligence";
        DigitalEconomy = "digital_economy", "数字经济", "Digital economy";
        Biomedicine = "biomedicine", "生物医药与细胞治疗", "Biomedicine and cell therapy";
        AerospaceInformation = "aerospace_information", "空天信息", "Aerospace information";
        BiologicalBreeding = "biological_breeding", "生物育种", "Biological breeding";
        NewEnergy = "new_energy", "新能源", "New energy";
    }
}

labelled_enum! {
    pub enum Certification as "certification" {
        RecommendedCatalogue = "recommended_catalogue", "创新产品推荐目录", "Recommended catalogue";
        FirstSet = "first_set", "首台(套)", "First (set of) equipment";
        HighTechProduct = "high_tech_product", "高新技术产品", "High-tech product";
        SoftwareProduct = "software_product", "软件产品", "Software product";
        GreenProduct = "green_product", "绿色产品", "Green product";
        SpecialisedSme = "specialised_sme", "专精特新", "Specialised SME";
    }
}

labelled_enum! {
    /// Medical-insurance (医保) status of a medical product.
    pub enum InsuranceStatus as "insurance_status" {
        Listed = "listed", "已纳入医保", "Covered by medical insurance";
        Pending = "pending", "医保申报中", "Medical-insurance application pending";
        NotListed = "not_listed", "未纳入医保", "Not covered by medical insurance";
    }
}

labelled_enum! {
    pub enum ProjectStage as "project_stage" {
        Seed = "seed", "种子轮", "Seed";
        Angel = "angel", "天使轮", "Angel";
        SeriesA = "series_a", "A轮", "Series A";
        SeriesB = "series_b", "B轮", "Series B";
        Later = "later", "B轮以后", "Later";
    }
}

labelled_enum! {
    pub enum FinancingForm as "financing_form" {
        Equity = "equity", "股权融资", "Equity";
        Debt = "debt", "债权融资", "Debt";
        Convertible = "convertible", "可转债", "Convertible";
        Grant = "grant", "政府资助", "Grant";
        Other = "other", "其他", "Other";
    }
}

labelled_enum! {
    pub enum PurchaseRoute as "purchase_route" {
        FirstPurchase = "first_purchase", "首购", "First purchase";
        CommissionedRd = "commissioned_rd", "订购", "Commissioned R&D";
        Catalogue = "catalogue", "目录首购", "Catalogue-based first purchase";
        FirstSet = "first_set", "首台(套)", "First (set of) equipment";
    }
}

labelled_enum! {
    pub enum PurchaseOutcome as "purchase_outcome" {
        Awarded = "awarded", "已成交", "Awarded";
        Cancelled = "cancelled", "已取消", "Cancelled";
        NothingSuitable = "nothing_suitable", "无合适产品", "Nothing suitable";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn every_code_round_trips_and_has_both_names() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
            label: fn(T, Locale) -> &'static str,
        ) {
            for &value in all {
                assert_eq!(from(code(value)), Some(value));
                assert!(!label(value, Locale::ZhCn).is_empty());
                assert!(!label(value, Locale::En).is_empty());
            }
        }
        check(
            Location::ALL,
            Location::code,
            Location::from_code,
            Location::label,
        );
        check(Sector::ALL, Sector::code, Sector::from_code, Sector::label);
        check(
            Industry::ALL,
            Industry::code,
            Industry::from_code,
            Industry::label,
        );
        check(
            OrganisationKind::ALL,
            OrganisationKind::code,
            OrganisationKind::from_code,
            OrganisationKind::label,
        );
        check(
            ProjectStage::ALL,
            ProjectStage::code,
            ProjectStage::from_code,
            ProjectStage::label,
        );
    }

    #[test]
    fn codes_serialise_as_plain_strings() {
        assert_eq!(
            serde_json::to_string(&Location::Wujin).unwrap(),
            "\"320412\""
        );
        assert_eq!(
            serde_json::from_str::<Sector>("\"health\"").unwrap(),
            Sector::Health
        );
        assert!(serde_json::from_str::<Sector>("\"nope\"").is_err());
    }
}
