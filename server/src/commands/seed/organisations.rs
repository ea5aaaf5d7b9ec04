//! The 50 demo organisations: every kind and every location, four from outside Changzhou
//! (suppliers from anywhere may list), four not yet verified. Firm names are invented;
//! agencies and hospitals carry the names a Changzhou user expects to see.

use super::support::{date_between, office_phone, DemoCalendar, SeedRng};
use anyhow::{Context, Result};
use app::domain::credit_code::{CreditCode, ALPHABET};
use rand::Rng;
use sqlx::PgConnection;
use std::collections::BTreeSet;

/// One seeded organisation, as the other seed modules need it.
pub struct Organisation {
    pub id: i64,
    pub kind: &'static str,
    pub name: &'static str,
    pub slug: &'static str,
    pub location: &'static str,
    /// Main industry of a supplier (enterprise or research institute), if any.
    pub industry: Option<&'static str>,
    pub verified: bool,
    pub phone: String,
    pub email: String,
}

// (kind, name, mailbox slug, location, industry, verified, description)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
    &'static str,
);

const AG: &str = "government_agency";
const PI: &str = "public_institution";
const RI: &str = "research_institute";
const EN: &str = "enterprise";
const IB: &str = "incubator";
const IV: &str = "investment_institution";

#[rustfmt::skip]
const ROWS: [Row; 50] = [
    (AG, "常州市工业和信息化局", "czgxj", "320400", None, true, "负责全市工业和信息化发展规划与产业政策的拟定实施，组织推进智能制造、首台（套）重大装备和创新产品的推广应用。"),
    (AG, "常州市科学技术局", "czkjj", "320400", None, true, "统筹推进全市科技创新工作，负责科技计划项目管理、高新技术企业培育和应用场景的征集发布。"),
    (AG, "常州市财政局", "czczj", "320400", None, true, "负责全市财政收支和政府采购监督管理，推动政府采购支持创新产品首购、订购政策落地。"),
    (AG, "常州市天宁区工业和信息化局", "tngxj", "320402", None, true, "负责天宁区工业经济运行监测、企业技术改造和数字化转型推进工作。"),
    (AG, "常州市钟楼区科学技术局", "zlkjj", "320404", None, true, "负责钟楼区科技创新政策落实、科技型企业培育和产学研合作服务。"),
    (AG, "常州市新北区住房和城乡建设局", "xbzjj", "320411", None, true, "负责新北区城乡建设、建筑市场和工程质量安全监管，推进智慧工地建设。"),
    (AG, "常州市武进区科学技术局", "wjkjj", "320412", None, true, "负责武进区科技创新规划、创新平台建设和科技成果转化工作。"),
    (AG, "常州市金坛区工业和信息化局", "jtgxj", "320413", None, true, "负责金坛区工业和信息化发展，重点服务新能源、新材料产业集群。"),
    (AG, "溧阳市科学技术局", "lykjj", "320481", None, true, "负责溧阳市科技创新工作，推进动力电池、智能电网等产业的科技攻关。"),
    (AG, "常州经济开发区经济发展局", "edzjfj", "cz-edz", None, true, "负责常州经开区经济运行、产业招商和轨道交通、智能装备产业服务。"),
    (PI, "常州市第一人民医院", "czyy", "320402", None, true, "三级甲等综合医院，承担全市医疗救治、医学教学和临床科研任务。"),
    (PI, "常州市第二人民医院", "czey", "320404", None, true, "三级甲等综合医院，设有省级临床重点专科，积极开展智慧医院建设。"),
    (PI, "常州市武进人民医院", "wjyy", "320412", None, true, "三级综合医院，服务武进区及周边群众，推进区域医疗信息互联互通。"),
    (PI, "常州市疾病预防控制中心", "czcdc", "320400", None, true, "负责全市疾病预防控制、突发公共卫生事件监测处置和健康教育工作。"),
    (PI, "常州市城市运行管理中心", "czyxzx", "320400", None, true, "负责全市城市运行监测、“一网统管”平台建设和跨部门协同处置。"),
    (PI, "常州市电化教育馆", "czdjg", "320400", None, true, "负责全市教育信息化建设、智慧校园推进和数字教育资源服务。"),
    (RI, "常州大学", "cczu", "320412", Some("new_materials"), true, "省属重点建设高校，在石油化工、新材料和智能制造领域形成特色学科群。"),
    (RI, "中国科学院常州先进制造技术研究所", "casam", "320412", Some("intelligent_manufacturing"), true, "聚焦机器人与智能装备、精密制造和工业软件，开展技术研发与成果转化。"),
    (RI, "江苏常州智能传感产业技术研究院", "czsensor", "cz-hitech", Some("integrated_circuits"), true, "围绕MEMS传感器、集成电路设计与封测开展共性技术研发和中试服务。"),
    (RI, "常州市生物医药产业技术研究院", "czbio", "cz-edz", Some("biomedicine"), true, "面向医疗器械、细胞治疗和创新药物提供研发、检测和注册申报服务。"),
    (RI, "常州市农业科学研究所", "cznky", "320413", Some("biological_breeding"), true, "从事水稻、设施蔬菜等作物的育种研究和农业技术推广。"),
    (EN, "常州星辰智能装备有限公司", "xczn", "320411", Some("intelligent_manufacturing"), true, "国家级专精特新“小巨人”企业，专注工业视觉检测和智能产线集成。"),
    (EN, "常州恒锐精密机械有限公司", "hrjm", "320412", Some("intelligent_manufacturing"), true, "从事高端数控机床和精密加工装备的研发制造，产品服务航空、汽车等行业。"),
    (EN, "常州驰远机器人科技有限公司", "cyrobot", "cz-edz", Some("intelligent_manufacturing"), true, "研发生产协作机器人和移动机器人，提供柔性制造整体解决方案。"),
    (EN, "常州烯创新材料科技有限公司", "xcxcl", "320413", Some("new_materials"), true, "专注石墨烯导热材料和功能薄膜的研发与产业化。"),
    (EN, "江苏华碳复合材料有限公司", "htfh", "320481", Some("new_materials"), true, "生产碳纤维复合材料制品，产品用于新能源汽车、轨道交通和风电装备。"),
    (EN, "常州芯程微电子有限公司", "xcwdz", "cz-hitech", Some("integrated_circuits"), true, "集成电路设计企业，主营车规级MCU和功率器件驱动芯片。"),
    (EN, "苏州晶微半导体科技有限公司", "jwbdt", "outside", Some("integrated_circuits"), true, "半导体检测与封测设备制造商，服务长三角多家晶圆厂和封测厂。"),
    (EN, "常州灵眸智能科技有限公司", "lmzn", "320402", Some("artificial_intelligence"), true, "人工智能企业，提供计算机视觉算法和行业智能分析系统。"),
    (EN, "南京智衡信息技术有限公司", "zhxx", "outside", Some("artificial_intelligence"), true, "从事大模型应用、智能语音和政务智能化软件开发。"),
    (EN, "常州数联云科信息技术有限公司", "slyk", "320404", Some("digital_economy"), true, "提供政务数据治理、数据安全和工业互联网平台服务。"),
    (EN, "常州天宁智慧城市科技有限公司", "tnzh", "320402", Some("digital_economy"), true, "专注城市运行管理平台和物联感知系统的建设与运营。"),
    (EN, "常州康宁医疗器械有限公司", "knyl", "320412", Some("biomedicine"), true, "研发生产医学影像、内窥镜和手术动力类医疗器械。"),
    (EN, "常州瑞康生物医药科技有限公司", "rksw", "cz-hitech", Some("biomedicine"), true, "体外诊断试剂和检验仪器企业，拥有多项三类医疗器械注册证。"),
    (EN, "上海博影医疗科技有限公司", "byyl", "outside", Some("biomedicine"), true, "医疗器械企业，主营数字化影像设备和手术机器人。"),
    (EN, "常州天枢北斗科技有限公司", "tsbd", "320411", Some("aerospace_information"), true, "提供北斗高精度定位、形变监测和时空信息服务。"),
    (EN, "常州星图空天信息技术有限公司", "xtkt", "cz-hitech", Some("aerospace_information"), true, "从事遥感数据处理、无人机系统和低空经济应用服务。"),
    (EN, "江苏金坛丰禾种业有限公司", "fhzy", "320413", Some("biological_breeding"), true, "育繁推一体化种业企业，选育推广优质水稻和设施蔬菜品种。"),
    (EN, "常州储源新能源科技有限公司", "cyxny", "320412", Some("new_energy"), true, "储能系统集成商，提供工商业储能和光储充一体化解决方案。"),
    (EN, "溧阳卓能电池科技有限公司", "zndc", "320481", Some("new_energy"), true, "动力和储能电池制造企业，拥有磷酸铁锂电芯规模化产线。"),
    (EN, "无锡光源新能源装备有限公司", "gyxny", "outside", Some("new_energy"), true, "光伏组件和氢能装备制造商，在常州设有售后服务中心。"),
    (EN, "常州新锐包装机械有限公司", "xrbz", "320404", Some("intelligent_manufacturing"), false, "从事自动化包装设备的研发制造，企业认证资料审核中。"),
    (EN, "常州云帆电子商务有限公司", "yfds", "cz-edz", Some("digital_economy"), false, "提供企业电商运营和数字营销服务，企业认证资料审核中。"),
    (IB, "常州科教城创业孵化管理有限公司", "kjcfh", "320412", None, true, "国家级科技企业孵化器，在孵企业200余家，提供场地、投融资和技术转移服务。"),
    (IB, "常州高新区创新创业孵化有限公司", "gxqfh", "cz-hitech", None, true, "聚焦集成电路、生物医药领域的专业孵化器，配套公共技术平台。"),
    (IB, "常州钟楼青年创业园管理有限公司", "zlqc", "320404", None, false, "面向青年创业者的众创空间，认证资料审核中。"),
    (IV, "常州龙城创业投资有限公司", "lcct", "320400", None, true, "市级国有创业投资机构，重点投资智能制造、新能源和新材料领域早中期项目。"),
    (IV, "常州高新科创投资有限公司", "gxkt", "cz-hitech", None, true, "高新区产业投资平台，管理多只天使和成长期基金。"),
    (IV, "常州武进科技创业投资有限公司", "wjkt", "320412", None, true, "武进区科技金融平台，提供股权投资和科技信贷贴息服务。"),
    (IV, "常州金沙创业投资有限公司", "jsct", "320413", None, false, "民营创业投资机构，认证资料审核中。"),
];

/// Registration division and phone area code of an organisation from outside Changzhou.
fn outside_place(name: &str) -> (&'static str, &'static str) {
    match name.get(..6) {
        Some("苏州") => ("320506", "0512"),
        Some("南京") => ("320115", "025"),
        Some("上海") => ("310115", "021"),
        _ => ("320214", "0510"),
    }
}

/// A credit code whose first two characters follow the registering authority: 11 for
/// agencies, 12 for public institutions and public research bodies, 52 for privately run
/// research institutes (民办非企业单位), 91 for companies.
fn credit_code(rng: &mut SeedRng, row: &Row, taken: &mut BTreeSet<String>) -> String {
    let (kind, name, _, location, ..) = *row;
    let prefix = match kind {
        AG => "11",
        PI => "12",
        RI if name.ends_with("研究院") => "52",
        RI => "12",
        _ => "91",
    };
    // The division of registration: sometimes the city, and for the economic development
    // zone the former 戚墅堰区 (320405), which no longer exists: locations are never
    // derived from the code.
    let division = match location {
        "outside" => outside_place(name).0,
        "cz-edz" => "320405",
        "cz-hitech" => "320411",
        _ if rng.random_bool(0.3) => "320400",
        code => code,
    };
    loop {
        let mut body: String = match prefix {
            "11" => "0".into(),
            "12" => "4".into(),
            "52" => "MJ".into(),
            _ => "MA".into(),
        };
        while body.len() < 8 {
            let digits_only = prefix == "11" || prefix == "12";
            let range = if digits_only { 10 } else { 31 };
            body.push(ALPHABET[rng.random_range(0..range)] as char);
        }
        let code = CreditCode::compose(prefix, division, &body)
            .expect("alphabet characters")
            .to_string();
        if taken.insert(code.clone()) {
            return code;
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
) -> Result<Vec<Organisation>> {
    let mut taken = BTreeSet::new();
    let mut organisations = Vec::with_capacity(ROWS.len());
    for row in &ROWS {
        let (kind, name, slug, location, industry, verified, description) = *row;
        let code = credit_code(rng, row, &mut taken);
        let area_code = if location == "outside" {
            outside_place(name).1
        } else {
            "0519"
        };
        let phone = office_phone(rng, area_code);
        // A reserved domain: demo mail must never reach a real office.
        let mailbox = if kind == AG || kind == PI {
            "office"
        } else {
            "service"
        };
        let email = format!("{mailbox}@{slug}.example.com");
        let verified_on = date_between(rng, cal.date(2025, 1, 6), cal.date(2026, 6, 30));
        let verified_at = verified.then(|| cal.office_hours(verified_on, rng));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (kind, name, credit_code, location, verified_at,
                 description, public_phone, public_email, is_demo)
             VALUES ($1::organisation_kind, $2, $3, $4, $5, $6, $7, $8, true)
             RETURNING id",
        )
        .bind(kind)
        .bind(name)
        .bind(&code)
        .bind(location)
        .bind(verified_at)
        .bind(description)
        .bind(&phone)
        .bind(&email)
        .fetch_one(&mut *conn)
        .await
        .with_context(|| format!("inserting organisation {name}"))?;
        organisations.push(Organisation {
            id,
            kind,
            name,
            slug,
            location,
            industry,
            verified,
            phone,
            email,
        });
    }
    Ok(organisations)
}
