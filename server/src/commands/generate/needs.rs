//! Generated scenarios and projects: each chunk of up to 10,000 is one `UNNEST` insert
//! whose rows also feed the search outbox and the audit log.

use super::organisations::Organisation;
use super::{follow_up, Calls, CHUNK};
use crate::commands::seed::project_texts::{sectors_for, technologies, SUFFIXES};
use crate::commands::seed::projects::project_text;
use crate::commands::seed::scenario_texts::{CALL_TO_ACTION, SCENARIOS};
use crate::commands::seed::support::{date_between, fen_range, pick, DemoCalendar, SeedRng};
use anyhow::Result;
use rand::Rng;
use sqlx::PgConnection;

pub async fn scenarios(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    calls: &Calls,
    count: usize,
) -> Result<()> {
    let publishers: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| matches!(o.kind, "government_agency" | "public_institution"))
        .collect();
    let statement = format!(
        "WITH r AS (
             INSERT INTO scenarios (organisation_id, call_id, status, title, sector, need,
                 expected_outcome, budget_min_fen, budget_max_fen, location, open_until,
                 contact_phone, contact_email, published_at, is_demo)
             SELECT o, c, 'published', t, s, n, e, lo, hi, l, ou, ph, em, pub, true
             FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::date[], $11::text[],
                 $12::text[], $13::timestamptz[])
                 AS u(o, c, t, s, n, e, lo, hi, l, ou, ph, em, pub)
             RETURNING id),
         {}",
        follow_up("scenario")
    );
    const PLACES: [&str; 9] = [
        "",
        "天宁区",
        "钟楼区",
        "新北区",
        "武进区",
        "金坛区",
        "溧阳市",
        "经开区",
        "高新区",
    ];
    for start in (0..count).step_by(CHUNK) {
        let size = CHUNK.min(count - start);
        let (mut o, mut c, mut t, mut s, mut n, mut e) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let (mut lo, mut hi, mut l, mut ou, mut ph, mut em, mut pb) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..size {
            let &(sector, title, need, outcome) = pick(rng, &SCENARIOS);
            let publisher = publishers[rng.random_range(0..publishers.len())];
            let (min, max) = fen_range(rng, 20, 500);
            o.push(publisher.id);
            c.push(rng.random_bool(0.5).then_some(calls.scenario_call));
            t.push(format!("{}{title}", pick(rng, &PLACES)));
            s.push(sector);
            n.push(format!("{need}。{CALL_TO_ACTION}"));
            e.push(format!("{outcome}。"));
            lo.push(min);
            hi.push(max);
            l.push(publisher.location);
            ou.push(date_between(
                rng,
                cal.date(2026, 12, 1),
                cal.date(2027, 12, 31),
            ));
            ph.push(publisher.phone.as_str());
            em.push(publisher.email.as_str());
            let day = date_between(rng, cal.date(2025, 6, 1), cal.date(2026, 11, 20));
            pb.push(cal.office_hours(day, rng));
        }
        sqlx::query(&statement)
            .bind(o)
            .bind(c)
            .bind(t)
            .bind(s)
            .bind(n)
            .bind(e)
            .bind(lo)
            .bind(hi)
            .bind(l)
            .bind(ou)
            .bind(ph)
            .bind(em)
            .bind(pb)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn projects(
    conn: &mut PgConnection,
    cal: DemoCalendar,
    rng: &mut SeedRng,
    organisations: &[Organisation],
    count: usize,
) -> Result<()> {
    let owners: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| matches!(o.kind, "enterprise" | "research_institute" | "incubator"))
        .collect();
    let statement = format!(
        "WITH r AS (
             INSERT INTO projects (organisation_id, status, name, sector, stage,
                 financing_sought_fen, financing_form, highlights, team, intellectual_property,
                 traction, contact_consent, contact_phone, contact_email, published_at, is_demo)
             SELECT o, 'published', n, s, st::project_stage, f, fo::financing_form, h, tm, ip,
                 tr, ph IS NOT NULL, ph, em, pub, true
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                 $12::text[], $13::timestamptz[])
                 AS u(o, n, s, st, f, fo, h, tm, ip, tr, ph, em, pub)
             RETURNING id),
         {}",
        follow_up("project")
    );
    const STAGES: [(&str, i64, i64); 5] = [
        ("seed", 200, 800),
        ("angel", 500, 2000),
        ("series_a", 2000, 5000),
        ("series_b", 3000, 10000),
        ("later", 5000, 10000),
    ];
    const FORMS: [&str; 6] = ["equity", "equity", "equity", "convertible", "debt", "grant"];
    for start in (0..count).step_by(CHUNK) {
        let size = CHUNK.min(count - start);
        let (mut o, mut n, mut s, mut st, mut f, mut fo) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let (mut h, mut tm, mut ip, mut tr, mut ph, mut em, mut pb) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for _ in 0..size {
            let owner = owners[rng.random_range(0..owners.len())];
            let sector = *pick(rng, sectors_for(owner.industry));
            let technology = *pick(rng, technologies(sector));
            let &(stage, min_wan, max_wan) = pick(rng, &STAGES);
            let text = project_text(rng, technology, stage);
            let consent = rng.random_bool(0.5);
            o.push(owner.id);
            n.push(format!("{technology}{}", pick(rng, &SUFFIXES)));
            s.push(sector);
            st.push(stage);
            f.push(rng.random_range(min_wan / 50..=max_wan / 50) * 50 * 1_000_000);
            fo.push(*pick(rng, &FORMS));
            h.push(text.highlights);
            tm.push(text.team);
            ip.push(text.intellectual_property);
            tr.push(text.traction);
            ph.push(consent.then_some(owner.phone.as_str()));
            em.push(consent.then_some(owner.email.as_str()));
            let day = date_between(rng, cal.date(2025, 3, 1), cal.date(2026, 11, 20));
            pb.push(cal.office_hours(day, rng));
        }
        sqlx::query(&statement)
            .bind(o)
            .bind(n)
            .bind(s)
            .bind(st)
            .bind(f)
            .bind(fo)
            .bind(h)
            .bind(tm)
            .bind(ip)
            .bind(tr)
            .bind(ph)
            .bind(em)
            .bind(pb)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
