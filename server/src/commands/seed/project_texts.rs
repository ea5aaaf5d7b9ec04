//! Words for innovation and entrepreneurship projects: technologies per sector, and the
//! phrases of highlights, team, IP and traction. Shared with `generate`.

/// (sector, technologies)
#[rustfmt::skip]
pub const TECHNOLOGIES: [(&str, [&str; 5]); 10] = [
    ("smart_manufacturing", ["高速高精视觉检测装备", "协作机器人关节模组", "国产工业设计仿真软件", "精密行星减速器", "金属激光增材制造装备"]),
    ("digital", ["工业大模型", "数据要素可信流通", "多方安全计算", "企业级低代码开发平台", "政务数字人交互"]),
    ("urban_governance", ["城市生命线安全监测", "智慧工地监管", "城市部件智能巡检", "基层治理数字化", "应急指挥智能调度"]),
    ("health", ["CAR-T细胞治疗", "AI病理辅助诊断", "腔镜手术机器人", "可降解心血管支架", "肿瘤早筛基因检测"]),
    ("transport", ["车路协同路侧感知单元", "自动驾驶环卫作业车", "低空物流无人机", "智能网联汽车线控底盘", "轨道交通智能运维"]),
    ("energy", ["半固态锂电池", "钠离子电池", "钙钛矿光伏电池", "氢燃料电池膜电极", "虚拟电厂聚合调控"]),
    ("environment", ["工业废水零排放", "VOCs低温催化燃烧", "锂电池回收再生", "碳排放在线监测核算", "土壤重金属修复药剂"]),
    ("education", ["AI个性化学习", "职业教育虚拟仿真", "智慧体育测评", "青少年科创教育机器人", "教育质量监测大数据"]),
    ("culture_tourism", ["沉浸式数字文旅", "文物三维数字化", "智慧景区客流管理", "数字版权保护", "非遗技艺数字化"]),
    ("agriculture", ["水稻分子设计育种", "垂直植物工厂", "循环水智慧水产养殖", "农业无人机精准植保", "设施蔬菜智能装备"]),
];

pub const SUFFIXES: [&str; 6] = [
    "研发及产业化项目",
    "产业化项目",
    "示范应用项目",
    "中试平台建设项目",
    "关键技术攻关项目",
    "扩产项目",
];

pub const CLAIMS: [&str; 4] = [
    "核心指标优于国外同类产品",
    "核心技术自主可控，关键环节实现国产替代",
    "拥有自主知识产权的核心算法",
    "工艺路线成本较现有方案降低30%以上",
];

pub const MILESTONES: [&str; 5] = [
    "样机研制",
    "中试验证",
    "小批量试产",
    "首批订单交付",
    "多家客户试用",
];

pub const TEAM_SOURCES: [&str; 5] = [
    "中国科学院相关研究所",
    "清华大学、东南大学等高校",
    "华为、西门子等知名企业",
    "常州大学和江苏理工学院",
    "海外知名高校和跨国企业",
];

/// Sectors a supplier's projects fall in, by its industry.
pub fn sectors_for(industry: Option<&str>) -> &'static [&'static str] {
    match industry {
        Some("intelligent_manufacturing") => &["smart_manufacturing"],
        Some("new_materials") => &["energy", "environment", "smart_manufacturing"],
        Some("integrated_circuits") => &["smart_manufacturing", "digital"],
        Some("artificial_intelligence") => &["digital", "urban_governance", "education"],
        Some("digital_economy") => &["digital", "urban_governance", "culture_tourism"],
        Some("biomedicine") => &["health"],
        Some("aerospace_information") => &["transport", "urban_governance", "agriculture"],
        Some("biological_breeding") => &["agriculture"],
        Some("new_energy") => &["energy", "transport"],
        _ => &[
            "smart_manufacturing",
            "digital",
            "urban_governance",
            "health",
            "transport",
            "energy",
            "environment",
            "education",
            "culture_tourism",
            "agriculture",
        ],
    }
}

/// Technologies of a sector.
pub fn technologies(sector: &str) -> &'static [&'static str; 5] {
    &TECHNOLOGIES
        .iter()
        .find(|(name, _)| *name == sector)
        .unwrap_or(&TECHNOLOGIES[0])
        .1
}
