//! Sentences that turn a product line into a listing: what sets the industry apart, the
//! technical figures, patents and certifications. Shared with `generate`.

use super::product_texts::{Base, Kind};
use super::support::{patent_number, pick, SeedRng};
use rand::Rng;

/// Claims about the technology that hold for every product line of an industry.
#[rustfmt::skip]
const CLAIMS: [(&str, [&str; 3]); 9] = [
    ("intelligent_manufacturing", ["关键部件和核心软件自主研发，主要性能指标达到国际同类产品水平", "支持与MES、ERP等系统对接，可快速融入企业现有产线", "已通过第三方检测机构的性能和可靠性检测"]),
    ("new_materials", ["采用自主开发的制备工艺，产品批次一致性好", "关键原料实现国产替代，成本较进口产品降低30%以上", "经第三方检测机构检测，主要指标优于行业标准"]),
    ("integrated_circuits", ["核心技术自主可控，已通过主流客户导入验证", "具备完整的可靠性测试报告，可替代同类进口产品", "提供本地化技术支持，缩短客户导入周期"]),
    ("artificial_intelligence", ["算法模型基于国产算力平台训练，支持私有化部署", "支持持续学习和模型迭代，识别准确率随使用不断提升", "提供开放接口，可与既有视频监控和业务系统对接"]),
    ("digital_economy", ["通过网络安全等级保护三级测评，适配国产操作系统和数据库", "采用微服务架构，支持弹性扩展和多租户运营", "已在多个市县部署应用，具备成熟的实施和运维体系"]),
    ("biomedicine", ["核心部件自主研发，产品性能达到进口同类产品水平", "生产体系通过ISO 13485质量管理体系认证", "已在多家三级医院和研究机构完成验证，操作简便、维护成本低"]),
    ("aerospace_information", ["核心算法和关键设备自主研发，满足关键行业安全可控要求", "支持云端平台统一管理和数据可视化分析", "已在交通、水利、电力等行业规模化应用"]),
    ("biological_breeding", ["核心技术和育种材料具有自主知识产权", "经多年多点试验验证，表现稳定", "配套技术规程，已在常州及周边地区推广应用"]),
    ("new_energy", ["核心材料和关键工艺自主研发，性能指标国内领先", "通过国家认可实验室的安全性能检测", "支持远程监测和运维，全生命周期成本低"]),
];

/// A closing sentence, with the range its figure is drawn from.
const CLOSINGS: [(&str, u32, u32); 5] = [
    ("已在常州及长三角地区{}家单位应用，用户反馈良好", 3, 60),
    (
        "在常州设有本地服务团队，承诺{}小时内响应现场服务需求",
        2,
        24,
    ),
    ("产品质保期{}年，提供免费安装调试和操作培训", 1, 5),
    ("累计服务客户{}家，近三年无重大质量投诉", 10, 300),
    ("可根据用户需求定制，交付周期约{}周", 4, 16),
];

/// A two-to-four-sentence description.
pub fn description(rng: &mut SeedRng, base: &Base) -> String {
    let claims = &CLAIMS
        .iter()
        .find(|(industry, _)| *industry == base.industry)
        .unwrap_or(&CLAIMS[0])
        .1;
    let &(closing, low, high) = pick(rng, &CLOSINGS);
    let closing = closing.replace("{}", &rng.random_range(low..=high).to_string());
    let mut text = format!(
        "{}{}。{}。{}。",
        base.name,
        base.purpose,
        pick(rng, claims),
        closing
    );
    if rng.random_bool(0.4) {
        text.push_str("产品符合国家相关标准，可提供第三方检测报告。");
    }
    text
}

/// One figure for every `{a|b|c}` in a template.
fn fill(rng: &mut SeedRng, template: &str) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closing brace");
        text.push_str(&rest[..open]);
        let choices: Vec<&str> = rest[open + 1..close].split('|').collect();
        text.push_str(pick::<&str>(rng, &choices));
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    text
}

/// Two to four of the product line's specification items, as sentences.
pub fn specifications(rng: &mut SeedRng, base: &Base) -> String {
    let items: Vec<&str> = base.specs.split('；').collect();
    let count = rng.random_range(2..=items.len().min(4));
    items[..count]
        .iter()
        .map(|item| format!("{}。", fill(rng, item)))
        .collect()
}

/// Zero to three patents on the product, e.g. "ZL202310123456.7 一种…".
pub fn patents(rng: &mut SeedRng, base: &Base) -> Vec<String> {
    let name = base.name;
    let titles = match base.kind {
        _ if base.industry == "biological_breeding" => [
            format!("一种{name}的选育方法"),
            format!("一种用于{name}的检测方法"),
            format!("一种{name}的扩繁方法"),
        ],
        Kind::Material => [
            format!("一种{name}及其制备方法"),
            format!("一种{name}的制备装置"),
            format!("一种{name}的表面处理方法"),
        ],
        Kind::Software | Kind::Service => [
            format!("一种基于{name}的数据处理方法"),
            format!("{name}的任务调度方法及系统"),
            format!("一种{name}的数据安全传输方法"),
        ],
        Kind::Equipment | Kind::Medical { .. } => [
            format!("一种{name}"),
            format!("一种{name}的控制方法"),
            format!("一种用于{name}的检测装置"),
        ],
    };
    let count = rng.random_range(0..=3);
    titles
        .into_iter()
        .take(count)
        .map(|title| format!("{} {title}", patent_number(rng)))
        .collect()
}

/// Certifications that fit the kind of product, in the enum's order.
pub fn certifications(rng: &mut SeedRng, kind: Kind, industry: &str) -> Vec<&'static str> {
    let candidates: &[&str] = match kind {
        Kind::Equipment => &[
            "recommended_catalogue",
            "first_set",
            "high_tech_product",
            "green_product",
            "specialised_sme",
        ],
        Kind::Software | Kind::Service => &[
            "recommended_catalogue",
            "high_tech_product",
            "software_product",
            "specialised_sme",
        ],
        Kind::Material => &[
            "recommended_catalogue",
            "high_tech_product",
            "green_product",
            "specialised_sme",
        ],
        Kind::Medical { .. } if industry == "artificial_intelligence" => &[
            "recommended_catalogue",
            "high_tech_product",
            "software_product",
        ],
        Kind::Medical { .. } => &[
            "recommended_catalogue",
            "high_tech_product",
            "specialised_sme",
        ],
    };
    let chosen: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|_| rng.random_bool(0.35))
        .collect();
    if chosen.is_empty() {
        vec![candidates[rng.random_range(0..candidates.len())]]
    } else {
        chosen
    }
}

/// A registration certificate number such as 苏械注准20252060123 (class II, provincial)
/// or 国械注准20243210045 (class III, national).
pub fn registration_certificate(rng: &mut SeedRng, class: u8, category: u8) -> String {
    let authority = if class == 3 {
        "国械注准"
    } else {
        "苏械注准"
    };
    let year = rng.random_range(2021..=2025);
    let serial = rng.random_range(1..2000);
    format!("{authority}{year}{class}{category:02}{serial:04}")
}

#[cfg(test)]
mod tests {
    use super::super::product_texts::BASES;
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_specification_template_fills_without_braces() {
        let mut rng = SeedRng::seed_from_u64(7);
        for base in BASES {
            let text = specifications(&mut rng, base);
            assert!(!text.contains(['{', '}', '|']), "{}: {text}", base.name);
        }
    }
}
