//! The authorization matrix: every route the site serves (pages, server functions, the
//! API, the forms) × every kind of caller → the status each must get. Data-driven: a
//! later feature adds its routes as rows of [`rows`]. The test fails when the site serves
//! a route that has no row (`server::routes::inventory`), and when a row names a route the
//! site does not serve.

use crate::fixtures::{organisation, product, project, scenario};
use crate::helpers::{spawn_app_configured, test_clock, TestApp};
use app::accounts::server::sign_ins;
use app::domain::UserId;
use app::state::Site;
use http::Method;
use server::startup::RouterOptions;
use sqlx::PgPool;
use std::collections::BTreeSet;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

/// The kinds of caller, in the order of each row's statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// Signed in, address not confirmed.
    Unconfirmed,
    /// A member of verified firm A.
    Member,
    /// The admin of firm A.
    OrganisationAdmin,
    /// A buyer of a verified government agency.
    Buyer,
    PlatformReviewer,
    PlatformAdmin,
    /// A member of firm B (another organisation than the record's).
    Outsider,
}

const CALLERS: [Who; 8] = [
    Who::Anonymous,
    Who::Unconfirmed,
    Who::Member,
    Who::OrganisationAdmin,
    Who::Buyer,
    Who::PlatformReviewer,
    Who::PlatformAdmin,
    Who::Outsider,
];

/// One route, called one way, and the status each caller gets (in [`CALLERS`] order).
struct Row {
    method: Method,
    /// The route as the router has it (`/products/{id}`).
    route: &'static str,
    /// The address called, with the fixture's ids.
    path: String,
    /// The form posted (POST only); the session's token is added for signed-in callers.
    form: Vec<(&'static str, &'static str)>,
    expect: [u16; 8],
}

/// The same status for everyone.
fn everyone(status: u16) -> [u16; 8] {
    [status; 8]
}

/// 401 for nobody signed in, `status` for every account.
fn signed_in(status: u16) -> [u16; 8] {
    let mut expect = [status; 8];
    expect[0] = 401;
    expect
}

/// Any confirmed account: 401 anonymous, 403 unconfirmed.
fn confirmed(status: u16) -> [u16; 8] {
    let mut expect = [status; 8];
    expect[0] = 401;
    expect[1] = 403;
    expect
}

/// The admin of firm A, and platform admins (moderators): 401 anonymous, 403 others.
fn firm_admin(status: u16) -> [u16; 8] {
    let mut expect = [403; 8];
    expect[0] = 401;
    expect[3] = status;
    expect[6] = status;
    expect
}

/// Platform admins only: 401 anonymous, 403 other accounts.
fn platform_admin(status: u16) -> [u16; 8] {
    let mut expect = [403; 8];
    expect[0] = 401;
    expect[6] = status;
    expect
}

fn get(route: &'static str, path: impl Into<String>, expect: [u16; 8]) -> Row {
    Row {
        method: Method::GET,
        route,
        path: path.into(),
        form: Vec::new(),
        expect,
    }
}

fn post(
    route: &'static str,
    path: impl Into<String>,
    form: &[(&'static str, &'static str)],
    expect: [u16; 8],
) -> Row {
    Row {
        method: Method::POST,
        route,
        path: path.into(),
        form: form.to_vec(),
        expect,
    }
}

/// The ids of the fixture's public records.
struct World {
    product: i64,
    scenario: i64,
    project: i64,
    firm: i64,
    /// The government agency (its buyer is a caller).
    agency: i64,
    /// A finished batch of the agency, public.
    call: i64,
    /// A draft call of the agency: nobody of the matrix manages it.
    draft_call: i64,
    /// A product draft of firm A.
    draft: i64,
    /// Firm A's product in public notice, submitted into `call`.
    in_notice: i64,
    /// A first purchase of `product` recorded by the agency today.
    purchase: i64,
}

/// The matrix. Add a row for every new route.
fn rows(world: &World) -> Vec<Row> {
    let World {
        product,
        scenario,
        project,
        firm,
        agency: _,
        call,
        draft_call,
        draft,
        in_notice,
        purchase,
    } = world;
    let no_token = "/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let no_reset = "/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    vec![
        // Public pages.
        get("/", "/", everyone(200)),
        get("/products", "/products", everyone(200)),
        get("/products/{id}", format!("/products/{product}"), everyone(200)),
        get("/scenarios", "/scenarios", everyone(200)),
        get("/scenarios/{id}", format!("/scenarios/{scenario}"), everyone(200)),
        get("/projects", "/projects", everyone(200)),
        get("/projects/{id}", format!("/projects/{project}"), everyone(200)),
        get("/organisations", "/organisations", everyone(200)),
        get("/organisations/{id}", format!("/organisations/{firm}"), everyone(200)),
        get("/search", "/search?q=智能", everyone(200)),
        get("/privacy", "/privacy", everyone(200)),
        get("/sign-in", "/sign-in", everyone(200)),
        get("/sign-up", "/sign-up", everyone(200)),
        get("/reset", "/reset", everyone(200)),
        get("/reset/{token}", no_reset, everyone(410)),
        get("/confirm/{token}", no_token, everyone(410)),
        // The person's own account.
        get("/account", "/account", signed_in(200)),
        get("/account/sessions", "/account/sessions", signed_in(200)),
        get("/account/data", "/account/data", signed_in(200)),
        get("/account/second-factor", "/account/second-factor", signed_in(200)),
        get("/sign-in/second-factor", "/sign-in/second-factor", everyone(200)),
        post("/account/second-factor", "/account/second-factor", &[("code", "000000")], signed_in(422)),
        post(
            "/account/second-factor/recovery-codes",
            "/account/second-factor/recovery-codes",
            &[("code", "000000")],
            signed_in(422),
        ),
        post(
            "/account/second-factor/disable",
            "/account/second-factor/disable",
            &[("code", "000000")],
            signed_in(422),
        ),
        // Without a password checked first, the code leads back to signing in.
        post("/sign-in/second-factor", "/sign-in/second-factor", &[("code", "000000")], everyone(303)),
        // Organisations: registering, joining, members.
        get("/organisations/new", "/organisations/new", confirmed(200)),
        get("/organisations/join", "/organisations/join", confirmed(200)),
        get("/organisations/{id}/members", format!("/organisations/{firm}/members"), firm_admin(200)),
        post("/organisations/new", "/organisations/new", &[], confirmed(422)),
        post("/organisations/join", "/organisations/join", &[("credit_code", "")], confirmed(422)),
        post(
            "/organisations/{id}/requests/{request}/{decision}",
            format!("/organisations/{firm}/requests/999999/accept"),
            &[],
            // An unknown request is 404 once signed in, whoever asks.
            signed_in(404),
        ),
        post(
            "/organisations/{id}/members/{user}/roles",
            format!("/organisations/{firm}/members/999999/roles"),
            &[("roles", "member")],
            firm_admin(404),
        ),
        post(
            "/organisations/{id}/members/{user}/remove",
            format!("/organisations/{firm}/members/999999/remove"),
            &[],
            firm_admin(404),
        ),
        // Platform administration.
        get("/admin/organisations", "/admin/organisations", platform_admin(200)),
        get("/admin/users", "/admin/users?email=example", platform_admin(200)),
        get("/admin/audit", "/admin/audit", platform_admin(200)),
        get("/admin/audit.csv", "/admin/audit.csv", platform_admin(200)),
        post(
            "/admin/organisations/{id}/verify",
            format!("/admin/organisations/{firm}/verify"),
            &[("reason", "核对无误")],
            platform_admin(303),
        ),
        post(
            "/admin/organisations/unverify",
            "/admin/organisations/unverify",
            &[("credit_code", "91000000000000000X"), ("reason", "")],
            platform_admin(422),
        ),
        post("/admin/claims/{request}/{decision}", "/admin/claims/999999/accept", &[], platform_admin(404)),
        get("/admin/claims/{request}/evidence", "/admin/claims/999999/evidence", platform_admin(404)),
        post("/admin/users/{id}/{change}", "/admin/users/999999/lift", &[], platform_admin(404)),
        get("/admin/mailbox", "/admin/mailbox", platform_admin(200)),
        get("/admin/calendar", "/admin/calendar?year=2026", platform_admin(200)),
        get("/admin/first-purchase-rule", "/admin/first-purchase-rule", platform_admin(200)),
        get(
            "/admin/first-purchase-disputes",
            "/admin/first-purchase-disputes",
            platform_admin(200),
        ),
        // No reason: refused 422 for the platform admin, so the rule stays as it is.
        post(
            "/admin/first-purchase-rule",
            "/admin/first-purchase-rule",
            &[("batch_grace_days", "3")],
            platform_admin(422),
        ),
        post(
            "/admin/calendar/days",
            "/admin/calendar/days",
            &[("day", "2026-13-01"), ("kind", "holiday"), ("name", "x")],
            platform_admin(422),
        ),
        post(
            "/admin/calendar/days/{day}/delete",
            "/admin/calendar/days/1999-01-01/delete",
            &[],
            platform_admin(404),
        ),
        post(
            "/admin/calendar/years",
            "/admin/calendar/years",
            &[("year", "1999"), ("source", "x")],
            platform_admin(422),
        ),
        get(
            "/admin/mailbox/{name}",
            "/admin/mailbox/00000000-0000-0000-0000-000000000000.eml",
            platform_admin(404),
        ),
        // Calls: public once announced; a draft is its agency's alone (none of these
        // callers is that agency's admin), answered 404 like a call that does not exist.
        get("/calls", "/calls", everyone(200)),
        get("/calls/{id}", format!("/calls/{call}"), everyone(200)),
        get("/calls/{id}", format!("/calls/{draft_call}"), everyone(404)),
        get("/calls/new", "/calls/new", signed_in(403)),
        get("/agency", "/agency", signed_in(403)),
        // Nobody here runs calls for any agency: 403 before the call is even looked up.
        get("/calls/{id}/edit", format!("/calls/{draft_call}/edit"), signed_in(403)),
        post("/calls/new", "/calls/new", &[("organisation", "1")], signed_in(403)),
        post("/calls/{id}/edit", format!("/calls/{call}/edit"), &[], signed_in(403)),
        post("/calls/{id}/edit", format!("/calls/{draft_call}/edit"), &[], signed_in(404)),
        post("/calls/{id}/announce", format!("/calls/{call}/announce"), &[], signed_in(403)),
        post("/calls/{id}/announce", format!("/calls/{draft_call}/announce"), &[], signed_in(404)),
        post("/calls/{id}/delete", format!("/calls/{draft_call}/delete"), &[], signed_in(404)),
        post(
            "/calls/{id}/reviewers",
            format!("/calls/{call}/reviewers"),
            &[("email", "reviewer@example.cn")],
            signed_in(403),
        ),
        post(
            "/calls/{id}/reviewers/{user}/{change}",
            format!("/calls/{draft_call}/reviewers/1/lead"),
            &[],
            signed_in(404),
        ),
        // Drafts are their organisation's alone; submissions are seen by it, the call's
        // reviewers and agency admins, and platform admins (who may not act on them).
        post(
            "/drafts",
            "/drafts",
            &[("kind", "product"), ("organisation", "FIRM")],
            [401, 403, 303, 303, 403, 403, 403, 403],
        ),
        get("/drafts/{id}", format!("/drafts/{draft}"), [401, 404, 200, 200, 404, 404, 404, 404]),
        post("/drafts/{id}", format!("/drafts/{draft}"), &[], [401, 404, 303, 303, 404, 404, 404, 404]),
        post(
            "/drafts/{id}/submit",
            format!("/drafts/{draft}/submit"),
            &[],
            [401, 404, 422, 422, 404, 404, 404, 404],
        ),
        post("/drafts/{id}/delete", "/drafts/999999/delete", &[], signed_in(404)),
        // Uploads check their token from the multipart body themselves: a plain form
        // has none, so signed-in callers allowed past the draft check are refused 422
        // (no file); the draft is others' 404.
        post(
            "/drafts/{id}/attachments",
            format!("/drafts/{draft}/attachments"),
            &[],
            [401, 404, 422, 422, 404, 404, 404, 404],
        ),
        post("/attachments/{id}/delete", "/attachments/999999/delete", &[], signed_in(404)),
        get("/attachments/{id}", "/attachments/999999", everyone(404)),
        get(
            "/account/submissions",
            "/account/submissions",
            [401, 403, 200, 200, 200, 403, 403, 200],
        ),
        get("/account/notifications", "/account/notifications", signed_in(200)),
        post(
            "/submissions/{id}/withdraw",
            format!("/submissions/{in_notice}/withdraw"),
            &[],
            // Decided already: the owner is told it moved on.
            [401, 404, 409, 409, 404, 404, 404, 404],
        ),
        get("/review", "/review", signed_in(200)),
        get("/review/{id}", format!("/review/{in_notice}"), [401, 404, 200, 200, 404, 404, 200, 404]),
        post(
            "/review/{id}",
            format!("/review/{in_notice}"),
            &[("score_1", "50"), ("comment", "x")],
            [401, 404, 403, 403, 404, 404, 403, 404],
        ),
        post(
            "/review/{id}/decide",
            format!("/review/{in_notice}/decide"),
            &[("decision", "approve")],
            [401, 404, 403, 403, 404, 404, 403, 404],
        ),
        // Empty reason: refused 422 for those who may withdraw it, so it stays published.
        post(
            "/products/{id}/withdraw",
            format!("/products/{product}/withdraw"),
            &[("reason", "")],
            [401, 404, 422, 422, 404, 404, 422, 404],
        ),
        post(
            "/scenarios/{id}/withdraw",
            format!("/scenarios/{scenario}/withdraw"),
            &[("reason", "")],
            [401, 404, 404, 404, 422, 404, 422, 404],
        ),
        post(
            "/projects/{id}/withdraw",
            format!("/projects/{project}/withdraw"),
            &[("reason", "")],
            [401, 404, 422, 422, 404, 404, 422, 404],
        ),
        // Changing a published record starts its owner's draft (the same one each time).
        post(
            "/products/{id}/revise",
            format!("/products/{product}/revise"),
            &[],
            [401, 404, 303, 303, 404, 404, 404, 404],
        ),
        post(
            "/scenarios/{id}/revise",
            format!("/scenarios/{scenario}/revise"),
            &[],
            [401, 404, 404, 404, 303, 404, 404, 404],
        ),
        post(
            "/projects/{id}/revise",
            format!("/projects/{project}/revise"),
            &[],
            [401, 404, 303, 303, 404, 404, 404, 404],
        ),
        // First-purchase records: public; the buying agency corrects, cancels, attaches and
        // answers; the supplier (firm A) disputes; platform admins settle. Empty forms:
        // those allowed get 422 and nothing changes.
        // Proof of listing: firm A's product is in no valid batch (409, said plainly);
        // nobody else opens its certificate. Verification is public.
        get(
            "/products/{id}/certificate",
            format!("/products/{product}/certificate"),
            [401, 403, 409, 409, 403, 403, 403, 403],
        ),
        get("/verify/{code}", "/verify/AAAAAAAAAAAAAAAA", everyone(404)),
        get("/verify", "/verify", everyone(200)),
        get("/first-purchases", "/first-purchases", everyone(200)),
        get("/first-purchases/export.csv", "/first-purchases/export.csv", everyone(200)),
        get("/first-purchases/export.xlsx", "/first-purchases/export.xlsx", everyone(200)),
        get("/first-purchases/{id}", format!("/first-purchases/{purchase}"), everyone(200)),
        get(
            "/first-purchases/{id}/correct",
            format!("/first-purchases/{purchase}/correct"),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/correct",
            format!("/first-purchases/{purchase}/correct"),
            &[],
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/cancel",
            format!("/first-purchases/{purchase}/cancel"),
            &[],
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/attachments",
            format!("/first-purchases/{purchase}/attachments"),
            &[],
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/dispute",
            format!("/first-purchases/{purchase}/dispute"),
            &[],
            [401, 403, 422, 422, 403, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/stand-by",
            format!("/first-purchases/{purchase}/stand-by"),
            &[],
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        post(
            "/first-purchases/{id}/settle",
            format!("/first-purchases/{purchase}/settle"),
            &[],
            platform_admin(422),
        ),
        // Recording a first purchase: buyers of a verified agency other than the supplier.
        // The buyer's date is still to come, so it is refused (422) and nothing is written.
        get(
            "/products/{id}/first-purchases/new",
            format!("/products/{product}/first-purchases/new"),
            [401, 403, 403, 403, 200, 403, 403, 403],
        ),
        post(
            "/products/{id}/first-purchases/new",
            format!("/products/{product}/first-purchases/new"),
            &[
                ("organisation", "AGENCY"),
                ("route", "first_purchase"),
                ("signed_on", "2999-01-01"),
                ("amount", "1"),
                ("outcome", "awarded"),
            ],
            [401, 403, 403, 403, 422, 403, 403, 403],
        ),
        get("/notices", "/notices", everyone(200)),
        get("/notices/{id}", format!("/notices/{in_notice}"), everyone(200)),
        get("/notices/{id}", "/notices/999999", everyone(404)),
        post(
            "/notices/{id}/objections",
            format!("/notices/{in_notice}/objections"),
            &[("reason", "异议理由")],
            confirmed(303),
        ),
        post(
            "/objections/{id}/rule",
            "/objections/999999/rule",
            &[("outcome", "dismiss"), ("ruling", "x")],
            signed_in(404),
        ),
        // Plain routes and the open-data API.
        get("/healthz", "/healthz", everyone(200)),
        get("/lang/{tag}", "/lang/en?next=/", everyone(303)),
        get("/robots.txt", "/robots.txt", everyone(200)),
        get("/sitemap.xml", "/sitemap.xml", everyone(200)),
        get("/sitemap.xml", "/sitemap.xml?part=pages", everyone(200)),
        get("/sitemap.xml", "/sitemap.xml?part=users-1", everyone(404)),
        get("/feeds/products.atom", "/feeds/products.atom", everyone(200)),
        get("/feeds/scenarios.atom", "/feeds/scenarios.atom", everyone(200)),
        get("/feeds/projects.atom", "/feeds/projects.atom", everyone(200)),
        get("/feeds/notices.atom", "/feeds/notices.atom", everyone(200)),
        get("/feeds/search.atom", "/feeds/search.atom?q=智能", everyone(200)),
        get("/feeds/search.atom", "/feeds/search.atom?kind=bogus", everyone(400)),
        get("/api", "/api", everyone(200)),
        get("/api/v1/search", "/api/v1/search?q=智能", everyone(200)),
        get("/api/v1/search/export", "/api/v1/search/export?q=智能", everyone(200)),
        get("/api/v1/search/export.xlsx", "/api/v1/search/export.xlsx?q=智能", everyone(200)),
        get("/api/v1/openapi.json", "/api/v1/openapi.json", everyone(200)),
        get("/api/v1/products", "/api/v1/products", everyone(200)),
        get("/api/v1/products/{id}", format!("/api/v1/products/{product}"), everyone(200)),
        get("/api/v1/scenarios", "/api/v1/scenarios", everyone(200)),
        get("/api/v1/scenarios/{id}", format!("/api/v1/scenarios/{scenario}"), everyone(200)),
        get("/api/v1/projects", "/api/v1/projects", everyone(200)),
        get("/api/v1/projects/{id}", format!("/api/v1/projects/{project}"), everyone(200)),
        get("/api/v1/organisations", "/api/v1/organisations", everyone(200)),
        get("/api/v1/organisations/{id}", format!("/api/v1/organisations/{firm}"), everyone(200)),
        get("/api/v1/calls", "/api/v1/calls", everyone(200)),
        get("/api/v1/calls/{id}", format!("/api/v1/calls/{call}"), everyone(200)),
        // A draft call, like a draft record, is missing to everyone: the API has no
        // signed-in view.
        get("/api/v1/calls/{id}", format!("/api/v1/calls/{draft_call}"), everyone(404)),
        get("/api/v1/first-purchases", "/api/v1/first-purchases", everyone(200)),
        get(
            "/api/v1/first-purchases/{id}",
            format!("/api/v1/first-purchases/{purchase}"),
            everyone(200),
        ),
        get("/api/v1/ocds/releases", "/api/v1/ocds/releases", everyone(200)),
        get(
            "/api/v1/ocds/releases/{id}",
            format!("/api/v1/ocds/releases/{purchase}"),
            everyone(200),
        ),
        get("/api/v1/notices", "/api/v1/notices", everyone(200)),
        get("/api/v1/removals", "/api/v1/removals", everyone(200)),
        // The matrix's server has no open-data folder, so no dump: the same for everyone.
        get("/api/v1/dump", "/api/v1/dump", everyone(404)),
        get(
            "/api/v1/dump/catalogue.jsonl.gz",
            "/api/v1/dump/catalogue.jsonl.gz",
            everyone(404),
        ),
        // Server functions (what the islands call once hydrated).
        get("/api/home/figures", "/api/home/figures", everyone(200)),
        get(
            "/api/products/list",
            "/api/products/list?filter[eligible]=false&filter[first_purchased]=false&filter[page]=1",
            everyone(200),
        ),
        get("/api/products/get", format!("/api/products/get?id={product}"), everyone(200)),
        get(
            "/api/products/procurement-categories",
            "/api/products/procurement-categories",
            everyone(200),
        ),
        get("/api/scenarios/list", "/api/scenarios/list?filter[page]=1", everyone(200)),
        get("/api/scenarios/get", format!("/api/scenarios/get?id={scenario}"), everyone(200)),
        get("/api/projects/list", "/api/projects/list?filter[page]=1", everyone(200)),
        get("/api/projects/get", format!("/api/projects/get?id={project}"), everyone(200)),
        get("/api/organisations/list", "/api/organisations/list?filter[page]=1", everyone(200)),
        get("/api/organisations/get", format!("/api/organisations/get?id={firm}"), everyone(200)),
        get("/api/search", "/api/search?query[q]=智能&query[page]=1", everyone(200)),
        // Account forms: each refused or answered as its caller may.
        post("/sign-in", "/sign-in", &[("email", "nobody@example.cn"), ("password", "x")], everyone(422)),
        post("/sign-up", "/sign-up", &[], everyone(422)),
        post("/reset", "/reset", &[("email", "")], everyone(422)),
        post("/reset/{token}", no_reset, &[("password", "x")], everyone(303)),
        post("/confirm/{token}", no_token, &[], everyone(303)),
        post(
            "/account/profile",
            "/account/profile",
            &[("display_name", "名字"), ("real_name", "姓名")],
            signed_in(303),
        ),
        post("/account/confirmation", "/account/confirmation", &[], signed_in(303)),
        // This deployment has no SMS sender: no mobile numbers (404) for whoever asks.
        post("/account/mobile", "/account/mobile", &[("mobile", "13812345678")], signed_in(404)),
        post("/account/mobile/confirm", "/account/mobile/confirm", &[("code", "000000")], signed_in(422)),
        post(
            "/account/sessions/{id}/end",
            "/account/sessions/00000000-0000-0000-0000-000000000000/end",
            &[],
            signed_in(404),
        ),
        post("/account/delete", "/account/delete", &[("password", "wrong")], signed_in(422)),
        // These end the caller's sign-in: last.
        post("/account/sign-out-everywhere", "/account/sign-out-everywhere", &[], signed_in(303)),
        post("/sign-out", "/sign-out", &[], everyone(303)),
    ]
}

#[test]
fn every_route_the_site_serves_has_a_row_and_every_row_a_route() {
    let world = World {
        product: 1,
        scenario: 1,
        project: 1,
        firm: 1,
        agency: 1,
        call: 1,
        draft_call: 2,
        draft: 1,
        in_notice: 1,
        purchase: 1,
    };
    let served: BTreeSet<(String, String)> = server::routes::inventory()
        .into_iter()
        .map(|route| (route.method.to_string(), route.path))
        .collect();
    let covered: BTreeSet<(String, String)> = rows(&world)
        .into_iter()
        .map(|row| (row.method.to_string(), row.route.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the authorization matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&served).collect();
    assert!(
        unknown.is_empty(),
        "rows for routes the site does not serve: {unknown:?}"
    );
}

/// A signed-in session for `user`, made as sign-in makes it (having passed the second
/// factor, so admins hold their powers): its cookie and CSRF token.
async fn session_for(pool: &PgPool, user: UserId) -> (String, String) {
    let mut tx = pool.begin().await.unwrap();
    let sign_in = sign_ins::start(
        &mut tx,
        user,
        "matrix",
        "127.0.0.1",
        true,
        test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let token: String = sqlx::query_scalar("SELECT csrf_token FROM sign_ins WHERE id = $1")
        .bind(sign_in)
        .fetch_one(pool)
        .await
        .unwrap();
    let id = Id::default();
    let mut data = std::collections::HashMap::new();
    data.insert(
        server::sessions::SIGN_IN_KEY.to_owned(),
        serde_json::to_value(sign_in).unwrap(),
    );
    let record = Record {
        id,
        data,
        expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
            + tower_sessions::cookie::time::Duration::hours(1),
    };
    server::sessions::PgSessionStore::new(pool.clone())
        .save(&record)
        .await
        .unwrap();
    (format!("{}={id}", server::sessions::SESSION_COOKIE), token)
}

async fn account(pool: &PgPool, email: &str, confirmed: bool) -> UserId {
    UserId(
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, real_name, password_hash, email_confirmed_at)
             VALUES ($1, 'x', 'x', $2, CASE WHEN $3 THEN now() END) RETURNING id",
        )
        .bind(email)
        .bind("$argon2id$v=19$m=19456,t=2,p=1$c2l0ZS1kdW1teS1zYWx0$O/2qPPkfWd3P5XoZHvsFpJl4Ff7eM9PmQdAJpMIAjKY")
        .bind(confirmed)
        .fetch_one(pool)
        .await
        .unwrap(),
    )
}

async fn member(pool: &PgPool, user: UserId, organisation: i64, roles: &[&str]) {
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, roles)
         VALUES ($1, $2, $3::text[]::membership_role[])",
    )
    .bind(user.0)
    .bind(organisation)
    .bind(roles)
    .execute(pool)
    .await
    .unwrap();
}

async fn platform_role(pool: &PgPool, user: UserId, role: &str) {
    sqlx::query("INSERT INTO platform_roles (user_id, role) VALUES ($1, $2::platform_role)")
        .bind(user.0)
        .bind(role)
        .execute(pool)
        .await
        .unwrap();
}

/// A fresh session of the caller `who` (each row gets its own, since some end it).
async fn caller(pool: &PgPool, users: &[(Who, UserId)], who: Who) -> Option<(String, String)> {
    let user = users.iter().find(|(kind, _)| *kind == who)?.1;
    Some(session_for(pool, user).await)
}

#[sqlx::test(migrations = "../migrations")]
async fn each_caller_gets_the_status_the_matrix_says(pool: PgPool) {
    let firm = organisation(&pool, "甲科技有限公司", "enterprise", "320411", true).await;
    let other = organisation(&pool, "乙科技有限公司", "enterprise", "320411", true).await;
    let agency = organisation(&pool, "常州市某局", "government_agency", "320400", true).await;
    let product = product(
        &pool,
        firm,
        None,
        "智能巡检机器人",
        "new_materials",
        "published",
    )
    .await;
    let scenario = scenario(&pool, agency, "智能交通应用场景", "health", "published").await;
    let project = project(&pool, firm, "智能制造项目", "series_a", "published", true).await;

    let mut users = Vec::new();
    users.push((
        Who::Unconfirmed,
        account(&pool, "unconfirmed@example.cn", false).await,
    ));
    let id = account(&pool, "member@example.cn", true).await;
    member(&pool, id, firm, &["member"]).await;
    users.push((Who::Member, id));
    let id = account(&pool, "admin@example.cn", true).await;
    member(&pool, id, firm, &["admin", "member"]).await;
    users.push((Who::OrganisationAdmin, id));
    let id = account(&pool, "buyer@example.cn", true).await;
    member(&pool, id, agency, &["member", "buyer"]).await;
    users.push((Who::Buyer, id));
    let id = account(&pool, "reviewer@example.cn", true).await;
    platform_role(&pool, id, "reviewer").await;
    users.push((Who::PlatformReviewer, id));
    let id = account(&pool, "platform@example.cn", true).await;
    platform_role(&pool, id, "admin").await;
    users.push((Who::PlatformAdmin, id));
    let id = account(&pool, "outsider@example.cn", true).await;
    member(&pool, id, other, &["member"]).await;
    users.push((Who::Outsider, id));

    let mailbox = tempfile::tempdir().unwrap();
    let folder = mailbox.path().to_owned();
    let app: TestApp = spawn_app_configured(
        pool.clone(),
        test_clock(),
        None,
        RouterOptions::for_tests(),
        Site::local(),
        move |state| state.accounts.mailbox = Some(folder),
    )
    .await;
    crate::fixtures::drain_all(&pool).await;
    let call = crate::fixtures::batch(&pool, agency, "MATRIX-01", -30, 300).await;
    let draft_call = crate::fixtures::batch(&pool, agency, "MATRIX-02", -30, 300).await;
    sqlx::query("UPDATE calls SET status = 'draft' WHERE id = $1")
        .bind(draft_call)
        .execute(&pool)
        .await
        .unwrap();
    let draft: i64 = sqlx::query_scalar(
        "INSERT INTO drafts (record_kind, organisation_id) VALUES ('product', $1) RETURNING id",
    )
    .bind(firm)
    .fetch_one(&pool)
    .await
    .unwrap();
    let noticed = crate::fixtures::product(
        &pool,
        firm,
        Some(call),
        "公示中的产品",
        "new_materials",
        "in_notice",
    )
    .await;
    let in_notice: i64 = sqlx::query_scalar(
        "INSERT INTO submissions (record_kind, record_id, organisation_id, call_id, purpose,
                                  snapshot, state, required_reviews, submitted_at, notice_until)
         VALUES ('product', $1, $2, $3, 'listing', '{\"name\": \"公示中的产品\"}', 'in_notice', 1,
                 now(), $4)
         RETURNING id",
    )
    .bind(noticed)
    .bind(firm)
    .bind(call)
    .bind(crate::helpers::test_today() + chrono::TimeDelta::days(30))
    .fetch_one(&pool)
    .await
    .unwrap();
    let purchase: i64 = sqlx::query_scalar(
        "INSERT INTO first_purchases (product_id, product_revision, buyer_organisation_id,
                                      supplier_organisation_id, route, signed_on, amount_fen,
                                      outcome, created_at)
         SELECT p.id, p.revision, $2, p.organisation_id, 'first_purchase', $3, 100000, 'awarded', $4
         FROM products p WHERE p.id = $1 RETURNING id",
    )
    .bind(product)
    .bind(agency)
    .bind(crate::helpers::test_today() - chrono::TimeDelta::days(10))
    .bind(test_clock().now())
    .fetch_one(&pool)
    .await
    .unwrap();
    let world = World {
        product,
        scenario,
        project,
        firm,
        agency,
        call,
        draft_call,
        draft,
        in_notice,
        purchase,
    };
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut wrong = Vec::new();
    for row in rows(&world) {
        for (who, expected) in CALLERS.iter().zip(row.expect) {
            let session = caller(&pool, &users, *who).await;
            let mut request = client.request(row.method.clone(), app.url(&row.path));
            if let Some((cookie, _)) = &session {
                request = request.header("cookie", cookie);
            }
            if row.method == Method::POST {
                // `FIRM` and `AGENCY` stand for firm A's and the agency's ids, which the
                // fixture only knows now.
                let firm_id = world.firm.to_string();
                let agency_id = world.agency.to_string();
                let mut form: Vec<(&str, &str)> = row
                    .form
                    .iter()
                    .map(|(name, value)| {
                        (
                            *name,
                            match *value {
                                "FIRM" => firm_id.as_str(),
                                "AGENCY" => agency_id.as_str(),
                                other => other,
                            },
                        )
                    })
                    .collect();
                if let Some((_, token)) = &session {
                    form.push(("csrf_token", token));
                }
                request = request
                    .header("origin", format!("http://{}", app.address))
                    .form(&form);
            }
            let status = request.send().await.unwrap().status().as_u16();
            if status != expected {
                wrong.push(format!(
                    "{} {} as {who:?}: {status}, expected {expected}",
                    row.method, row.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
