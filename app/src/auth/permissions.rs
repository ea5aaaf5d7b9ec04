//! The one permission table: for each action, who may take it ([`Holder`]) and where
//! ([`Condition`]). Every check goes through [`check`]; the README shows the same table
//! (a test fails when the two differ), and later features add their actions as rows here.
//!
//! The rules come from the project's domain notes (`docs/domain.md`: "Roles", "The
//! workflow", "Who sees what"): memberships hold a set of roles (`admin`, `member`, and in
//! agencies and public institutions `buyer`); `platform_reviewer` and `platform_admin`
//! are platform roles; a reviewer is an assignment to a call, not a role; nobody reviews
//! their own organisation's submission; an unconfirmed account acts for no organisation.

use super::{Caller, SignedIn};
use crate::domain::{OrganisationId, OrganisationKind, UserId};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// A role, held through a membership (`Admin`, `Member`, `Buyer`) or on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organisation and its members; in a government agency or public
    /// institution, the agency admin who opens calls and decides.
    Admin,
    /// Acts for the organisation: drafts, submits, answers.
    Member,
    /// Records first purchases (government agencies and public institutions only).
    Buyer,
    /// Takes the submissions that have no call (an agency's direct scenarios, projects).
    PlatformReviewer,
    /// Verifies organisations, settles claims, edits the first-purchase rule.
    PlatformAdmin,
}

impl Role {
    /// The role's name in the table and the database (`platform_admin`, …).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Buyer => "buyer",
            Role::PlatformReviewer => "platform_reviewer",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    /// Whether the role is held on the platform rather than through a membership.
    /// A role of a membership by its `membership_role` code (`admin`, `member`, `buyer`).
    pub fn from_membership_code(code: &str) -> Option<Role> {
        match code {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            "buyer" => Some(Role::Buyer),
            _ => None,
        }
    }

    pub fn is_platform_role(self) -> bool {
        matches!(self, Role::PlatformReviewer | Role::PlatformAdmin)
    }
}

/// Who a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Any signed-in account, confirmed or not.
    SignedIn,
    /// Any account whose email address or mobile number is confirmed.
    Confirmed,
    /// Whoever holds the role (in the organisation the condition names, for an
    /// organisation role).
    Role(Role),
}

/// Where a grant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Wherever the holder is.
    Anywhere,
    /// In the organisation the action is about ([`Target::organisation`]).
    OwnOrganisation,
    /// In that organisation, once a platform admin has verified it.
    OwnVerifiedOrganisation,
    /// In the government agency or public institution that runs the call
    /// ([`Target::call_agency`]), once a platform admin has verified it, and not on a
    /// submission of the agency itself.
    CallAgency,
    /// Assigned as a reviewer of the record's call ([`Target::reviewers`]), and not a
    /// member of the record's organisation.
    AssignedReviewer,
    /// The lead reviewer of the record's call, and not a member of its organisation.
    LeadReviewer,
    /// The record has no call (it waits in the platform's shared queue), and the holder
    /// is not a member of its organisation.
    SharedQueue,
    /// The record was submitted by the call's own agency into its call: someone from
    /// elsewhere takes it (docs/domain.md, "The workflow"), never a member of the agency.
    OwnAgencySubmission,
}

/// One row's entry: `holder` may take the action where `condition` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub holder: Holder,
    pub condition: Condition,
}

/// Everything that needs more than being a member of the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See and change one's own account: profile, sessions, second factor, data, deletion.
    ManageOwnAccount,
    /// Create an organisation (and become its admin).
    CreateOrganisation,
    /// Ask to join an organisation, or claim one that has no admin.
    AskToJoin,
    /// File a signed objection to a record in public notice.
    FileObjection,
    /// Edit the organisation's profile and public contact.
    EditOrganisation,
    /// Accept or refuse join requests, set members' roles, remove members.
    ManageMembers,
    /// Create and edit the organisation's drafts.
    PrepareDraft,
    /// Submit a draft for review, or withdraw the organisation's record.
    SubmitForReview,
    /// See a record that is not public (draft, submitted, in review, returned, rejected).
    ViewUnpublished,
    /// Open a call or catalogue batch, edit it, and assign its reviewers.
    ManageCall,
    /// Score and comment on a submission.
    ReviewSubmission,
    /// Approve, reject or return a submission once its reviews are in.
    DecideSubmission,
    /// Rule on an objection to a record in public notice.
    RuleOnObjection,
    /// Record a first purchase for the organisation (the buying agency).
    RecordFirstPurchase,
    /// Correct, cancel, attach files to, and answer disputes of the buying agency's
    /// first-purchase records.
    CorrectFirstPurchase,
    /// Dispute a first-purchase record naming the organisation as supplier.
    DisputeFirstPurchase,
    /// Settle a dispute the buying agency and the supplier could not.
    SettleFirstPurchaseDispute,
    /// Open the proof of listing (入库证明) of the organisation's products.
    ProveListing,
    /// Verify or unverify organisations.
    VerifyOrganisation,
    /// Decide claims of organisations that have no admin.
    DecideClaim,
    /// Suspend an account and lift the suspension.
    SuspendAccount,
    /// Read and export the audit log.
    ReadAuditLog,
    /// Edit the local first-purchase eligibility rule.
    EditFirstPurchaseRule,
    /// Read the demo deployment's mailbox.
    ReadDemoMailbox,
    /// Keep the holiday calendar that working-day notice windows follow.
    EditHolidayCalendar,
    /// Withdraw a published record (or one in notice) with a reason: its owner, or a
    /// platform admin as moderator.
    WithdrawRecord,
}

impl Action {
    /// The action's name in the table (`submit_for_review`, …).
    pub fn code(self) -> &'static str {
        match self {
            Action::ManageOwnAccount => "manage_own_account",
            Action::CreateOrganisation => "create_organisation",
            Action::AskToJoin => "ask_to_join",
            Action::FileObjection => "file_objection",
            Action::EditOrganisation => "edit_organisation",
            Action::ManageMembers => "manage_members",
            Action::PrepareDraft => "prepare_draft",
            Action::SubmitForReview => "submit_for_review",
            Action::ViewUnpublished => "view_unpublished",
            Action::ManageCall => "manage_call",
            Action::ReviewSubmission => "review_submission",
            Action::DecideSubmission => "decide_submission",
            Action::RuleOnObjection => "rule_on_objection",
            Action::RecordFirstPurchase => "record_first_purchase",
            Action::CorrectFirstPurchase => "correct_first_purchase",
            Action::DisputeFirstPurchase => "dispute_first_purchase",
            Action::SettleFirstPurchaseDispute => "settle_first_purchase_dispute",
            Action::ProveListing => "prove_listing",
            Action::VerifyOrganisation => "verify_organisation",
            Action::DecideClaim => "decide_claim",
            Action::SuspendAccount => "suspend_account",
            Action::ReadAuditLog => "read_audit_log",
            Action::EditFirstPurchaseRule => "edit_first_purchase_rule",
            Action::ReadDemoMailbox => "read_demo_mailbox",
            Action::EditHolidayCalendar => "edit_holiday_calendar",
            Action::WithdrawRecord => "withdraw_record",
        }
    }
}

const fn grant(holder: Holder, condition: Condition) -> Grant {
    Grant { holder, condition }
}

use Condition::*;
const SIGNED_IN: Holder = Holder::SignedIn;
const CONFIRMED: Holder = Holder::Confirmed;
const ADMIN: Holder = Holder::Role(Role::Admin);
const MEMBER: Holder = Holder::Role(Role::Member);
const BUYER: Holder = Holder::Role(Role::Buyer);
const PLATFORM_REVIEWER: Holder = Holder::Role(Role::PlatformReviewer);
const PLATFORM_ADMIN: Holder = Holder::Role(Role::PlatformAdmin);

/// The table: every action with every grant that allows it. An action with no row is
/// allowed to nobody (a test checks every action has one).
pub const PERMISSIONS: &[(Action, &[Grant])] = &[
    (Action::ManageOwnAccount, &[grant(SIGNED_IN, Anywhere)]),
    (Action::CreateOrganisation, &[grant(CONFIRMED, Anywhere)]),
    (Action::AskToJoin, &[grant(CONFIRMED, Anywhere)]),
    (Action::FileObjection, &[grant(CONFIRMED, Anywhere)]),
    (Action::EditOrganisation, &[grant(ADMIN, OwnOrganisation)]),
    // Platform admins too: they settle disputes over who runs an organisation.
    (
        Action::ManageMembers,
        &[
            grant(ADMIN, OwnOrganisation),
            grant(PLATFORM_ADMIN, Anywhere),
        ],
    ),
    (
        Action::PrepareDraft,
        &[
            grant(MEMBER, OwnOrganisation),
            grant(ADMIN, OwnOrganisation),
        ],
    ),
    (
        Action::SubmitForReview,
        &[
            grant(MEMBER, OwnVerifiedOrganisation),
            grant(ADMIN, OwnVerifiedOrganisation),
        ],
    ),
    (
        Action::ViewUnpublished,
        &[
            grant(MEMBER, OwnOrganisation),
            grant(ADMIN, OwnOrganisation),
            grant(CONFIRMED, AssignedReviewer),
            grant(ADMIN, CallAgency),
            grant(PLATFORM_REVIEWER, SharedQueue),
            grant(PLATFORM_REVIEWER, OwnAgencySubmission),
            grant(PLATFORM_ADMIN, Anywhere),
        ],
    ),
    (Action::ManageCall, &[grant(ADMIN, CallAgency)]),
    (
        Action::ReviewSubmission,
        &[
            grant(CONFIRMED, AssignedReviewer),
            grant(PLATFORM_REVIEWER, SharedQueue),
            grant(PLATFORM_REVIEWER, OwnAgencySubmission),
        ],
    ),
    (
        Action::DecideSubmission,
        &[
            grant(CONFIRMED, LeadReviewer),
            grant(ADMIN, CallAgency),
            grant(PLATFORM_REVIEWER, SharedQueue),
            grant(PLATFORM_REVIEWER, OwnAgencySubmission),
        ],
    ),
    (
        Action::RuleOnObjection,
        &[
            grant(CONFIRMED, LeadReviewer),
            grant(ADMIN, CallAgency),
            grant(PLATFORM_REVIEWER, OwnAgencySubmission),
        ],
    ),
    (
        Action::RecordFirstPurchase,
        &[grant(BUYER, OwnVerifiedOrganisation)],
    ),
    // The agency's admins too: they answer for its records.
    (
        Action::CorrectFirstPurchase,
        &[
            grant(BUYER, OwnVerifiedOrganisation),
            grant(ADMIN, OwnVerifiedOrganisation),
        ],
    ),
    (
        Action::DisputeFirstPurchase,
        &[
            grant(MEMBER, OwnVerifiedOrganisation),
            grant(ADMIN, OwnVerifiedOrganisation),
        ],
    ),
    (
        Action::SettleFirstPurchaseDispute,
        &[grant(PLATFORM_ADMIN, Anywhere)],
    ),
    (
        Action::ProveListing,
        &[
            grant(MEMBER, OwnVerifiedOrganisation),
            grant(ADMIN, OwnVerifiedOrganisation),
        ],
    ),
    (
        Action::VerifyOrganisation,
        &[grant(PLATFORM_ADMIN, Anywhere)],
    ),
    (Action::DecideClaim, &[grant(PLATFORM_ADMIN, Anywhere)]),
    (Action::SuspendAccount, &[grant(PLATFORM_ADMIN, Anywhere)]),
    (Action::ReadAuditLog, &[grant(PLATFORM_ADMIN, Anywhere)]),
    (
        Action::EditFirstPurchaseRule,
        &[grant(PLATFORM_ADMIN, Anywhere)],
    ),
    (Action::ReadDemoMailbox, &[grant(PLATFORM_ADMIN, Anywhere)]),
    (
        Action::EditHolidayCalendar,
        &[grant(PLATFORM_ADMIN, Anywhere)],
    ),
    (
        Action::WithdrawRecord,
        &[
            grant(MEMBER, OwnVerifiedOrganisation),
            grant(ADMIN, OwnVerifiedOrganisation),
            grant(PLATFORM_ADMIN, Anywhere),
        ],
    ),
];

/// A call's reviewer assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    pub user: UserId,
    pub lead: bool,
}

/// What an action is about, as far as permissions care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The organisation that owns the record, or the organisation itself.
    pub organisation: Option<OrganisationId>,
    /// The agency that runs the record's call (or the call being managed); `None` for a
    /// record without a call.
    pub call_agency: Option<OrganisationId>,
    /// The reviewers assigned to the record's call.
    pub reviewers: Vec<Reviewer>,
}

impl Target {
    /// About nothing in particular (account actions, platform administration).
    pub fn none() -> Target {
        Target::default()
    }

    /// About an organisation (its profile, its members, its drafts).
    pub fn organisation(organisation: OrganisationId) -> Target {
        Target {
            organisation: Some(organisation),
            ..Target::default()
        }
    }
}

/// Whether `caller` may take `action` on `target`.
///
/// Errors: [`AppError::Unauthorized`] (401) when nobody is signed in,
/// [`AppError::Forbidden`] (403) when the account may not. A route about a record the
/// caller may not even see answers [`AppError::NotFound`] instead ("Who sees what":
/// the same 404 as for a record that does not exist); it checks
/// [`Action::ViewUnpublished`] first and maps that refusal to 404 itself.
pub fn check(caller: &Caller, action: Action, target: &Target) -> Result<(), AppError> {
    let Some(account) = caller.signed_in() else {
        return Err(AppError::Unauthorized);
    };
    let allowed = grants(action)
        .iter()
        .any(|grant| allows(account, *grant, target));
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn grants(action: Action) -> &'static [Grant] {
    PERMISSIONS
        .iter()
        .find(|(row, _)| *row == action)
        .map_or(&[], |(_, grants)| grants)
}

fn allows(account: &SignedIn, grant: Grant, target: &Target) -> bool {
    // An organisation role counts only in the organisation the condition names, and only
    // for a confirmed account (`acting_for`).
    let holds_in = |organisation: Option<OrganisationId>| {
        let membership = organisation.and_then(|id| account.acting_for(id))?;
        let holds = match grant.holder {
            Holder::SignedIn => true,
            Holder::Confirmed => account.confirmed,
            Holder::Role(role) if role.is_platform_role() => account.has_platform_role(role),
            Holder::Role(role) => membership.roles.contains(&role),
        };
        holds.then_some(membership)
    };
    let holder_anywhere = || match grant.holder {
        Holder::SignedIn => true,
        Holder::Confirmed => account.confirmed,
        Holder::Role(role) if role.is_platform_role() => account.has_platform_role(role),
        // An organisation role is never granted "anywhere": it needs its organisation.
        Holder::Role(_) => false,
    };
    let not_own_submission = || account.acting_for_any(target.organisation).is_none();
    let assigned = |lead_only: bool| {
        target
            .reviewers
            .iter()
            .any(|reviewer| reviewer.user == account.user && (reviewer.lead || !lead_only))
    };
    match grant.condition {
        Anywhere => holder_anywhere(),
        OwnOrganisation => holds_in(target.organisation).is_some(),
        OwnVerifiedOrganisation => {
            holds_in(target.organisation).is_some_and(|membership| membership.verified)
        }
        // Never on the agency's own submissions (reviewers from elsewhere or a platform
        // reviewer take those): its members see them as their organisation's anyway.
        CallAgency => {
            not_own_submission()
                && holds_in(target.call_agency).is_some_and(|membership| {
                    membership.verified
                        && matches!(
                            membership.kind,
                            OrganisationKind::GovernmentAgency
                                | OrganisationKind::PublicInstitution
                        )
                })
        }
        AssignedReviewer => holder_anywhere() && assigned(false) && not_own_submission(),
        LeadReviewer => holder_anywhere() && assigned(true) && not_own_submission(),
        SharedQueue => holder_anywhere() && target.call_agency.is_none() && not_own_submission(),
        OwnAgencySubmission => {
            holder_anywhere()
                && target.call_agency.is_some()
                && target.call_agency == target.organisation
                && not_own_submission()
        }
    }
}

impl SignedIn {
    /// The membership in `organisation` whatever the confirmation: used to exclude
    /// reviewers from their own organisation's submissions.
    fn acting_for_any(&self, organisation: Option<OrganisationId>) -> Option<()> {
        let organisation = organisation?;
        self.memberships
            .iter()
            .any(|membership| membership.organisation == organisation)
            .then_some(())
    }
}

/// The table as Markdown, as the README shows it (between `<!-- permissions -->` markers).
pub fn markdown_table() -> String {
    let mut table = String::from("| action | who may take it |\n|---|---|\n");
    for (action, grants) in PERMISSIONS {
        let who: Vec<String> = grants
            .iter()
            .map(|grant| {
                let holder = match grant.holder {
                    Holder::SignedIn => "signed in",
                    Holder::Confirmed => "confirmed account",
                    Holder::Role(role) => role.code(),
                };
                let condition = match grant.condition {
                    Anywhere => "",
                    OwnOrganisation => " of the organisation",
                    OwnVerifiedOrganisation => " of the organisation, once verified",
                    CallAgency => " of the call's agency, once verified (not its own submissions)",
                    AssignedReviewer => " assigned to review the call (not its own submissions)",
                    LeadReviewer => " leading the call's review (not its own submissions)",
                    SharedQueue => " for records without a call (not its own submissions)",
                    OwnAgencySubmission => " for a call agency's own submissions into its call",
                };
                format!("{holder}{condition}")
            })
            .collect();
        table.push_str(&format!("| `{}` | {} |\n", action.code(), who.join("; ")));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Membership;

    const AGENCY: OrganisationId = OrganisationId(1);
    const FIRM: OrganisationId = OrganisationId(2);

    fn account(user: i64, memberships: Vec<Membership>, platform_roles: Vec<Role>) -> Caller {
        Caller::SignedIn(SignedIn {
            user: UserId(user),
            confirmed: true,
            memberships,
            platform_roles,
        })
    }

    fn membership(organisation: OrganisationId, roles: &[Role], verified: bool) -> Membership {
        let kind = if organisation == AGENCY {
            OrganisationKind::GovernmentAgency
        } else {
            OrganisationKind::Enterprise
        };
        Membership {
            organisation,
            kind,
            verified,
            roles: roles.to_vec(),
        }
    }

    fn submission(reviewers: Vec<Reviewer>) -> Target {
        Target {
            organisation: Some(FIRM),
            call_agency: Some(AGENCY),
            reviewers,
        }
    }

    #[test]
    fn every_action_has_exactly_one_row() {
        use std::collections::HashSet;
        let rows: Vec<Action> = PERMISSIONS.iter().map(|(action, _)| *action).collect();
        let unique: HashSet<Action> = rows.iter().copied().collect();
        assert_eq!(rows.len(), unique.len(), "an action has two rows");
        assert!(PERMISSIONS.iter().all(|(_, grants)| !grants.is_empty()));
        // Every action named in `code` is a row (the match there lists them all).
        assert_eq!(rows.len(), 26);
    }

    #[test]
    fn nobody_signed_in_gets_401_and_an_account_without_the_role_403() {
        let target = Target::organisation(FIRM);
        assert_eq!(
            check(&Caller::Anonymous, Action::ManageMembers, &target),
            Err(AppError::Unauthorized)
        );
        let member = account(7, vec![membership(FIRM, &[Role::Member], true)], vec![]);
        assert_eq!(
            check(&member, Action::ManageMembers, &target),
            Err(AppError::Forbidden)
        );
        let admin = account(8, vec![membership(FIRM, &[Role::Admin], true)], vec![]);
        assert_eq!(check(&admin, Action::ManageMembers, &target), Ok(()));
    }

    #[test]
    fn a_role_counts_only_in_its_own_organisation() {
        let admin_elsewhere = account(8, vec![membership(AGENCY, &[Role::Admin], true)], vec![]);
        assert_eq!(
            check(
                &admin_elsewhere,
                Action::PrepareDraft,
                &Target::organisation(FIRM)
            ),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn an_unconfirmed_account_acts_for_no_organisation() {
        let Caller::SignedIn(mut admin) =
            account(8, vec![membership(FIRM, &[Role::Admin], true)], vec![])
        else {
            unreachable!()
        };
        admin.confirmed = false;
        let admin = Caller::SignedIn(admin);
        assert_eq!(
            check(&admin, Action::PrepareDraft, &Target::organisation(FIRM)),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&admin, Action::CreateOrganisation, &Target::none()),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&admin, Action::ManageOwnAccount, &Target::none()),
            Ok(())
        );
    }

    #[test]
    fn members_of_an_unverified_organisation_prepare_drafts_but_cannot_submit() {
        let member = account(7, vec![membership(FIRM, &[Role::Member], false)], vec![]);
        let target = Target::organisation(FIRM);
        assert_eq!(check(&member, Action::PrepareDraft, &target), Ok(()));
        assert_eq!(
            check(&member, Action::SubmitForReview, &target),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn reviewers_review_their_call_but_never_their_own_organisation() {
        let reviewer = account(
            9,
            vec![membership(OrganisationId(3), &[Role::Member], true)],
            vec![],
        );
        let assigned = submission(vec![Reviewer {
            user: UserId(9),
            lead: false,
        }]);
        assert_eq!(
            check(&reviewer, Action::ReviewSubmission, &assigned),
            Ok(())
        );
        assert_eq!(check(&reviewer, Action::ViewUnpublished, &assigned), Ok(()));
        assert_eq!(
            check(&reviewer, Action::DecideSubmission, &assigned),
            Err(AppError::Forbidden),
            "only the lead decides"
        );
        let lead = submission(vec![Reviewer {
            user: UserId(9),
            lead: true,
        }]);
        assert_eq!(check(&reviewer, Action::DecideSubmission, &lead), Ok(()));
        // Not assigned: nothing.
        assert_eq!(
            check(&reviewer, Action::ViewUnpublished, &submission(vec![])),
            Err(AppError::Forbidden)
        );
        // Assigned, but the submission is from the reviewer's own organisation.
        let own = account(9, vec![membership(FIRM, &[], true)], vec![]);
        assert_eq!(
            check(&own, Action::ReviewSubmission, &lead),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn the_calls_agency_admin_decides_and_its_members_do_not() {
        let agency_admin = account(4, vec![membership(AGENCY, &[Role::Admin], true)], vec![]);
        let agency_member = account(5, vec![membership(AGENCY, &[Role::Member], true)], vec![]);
        let target = submission(vec![]);
        assert_eq!(
            check(&agency_admin, Action::DecideSubmission, &target),
            Ok(())
        );
        assert_eq!(
            check(&agency_admin, Action::ViewUnpublished, &target),
            Ok(())
        );
        assert_eq!(
            check(&agency_member, Action::DecideSubmission, &target),
            Err(AppError::Forbidden)
        );
        // A firm's admin is no call agency, even when named as one.
        let firm_admin = account(6, vec![membership(FIRM, &[Role::Admin], true)], vec![]);
        let firm_call = Target {
            call_agency: Some(FIRM),
            ..Target::none()
        };
        assert_eq!(
            check(&firm_admin, Action::ManageCall, &firm_call),
            Err(AppError::Forbidden)
        );
        // Nor is an agency nobody has verified yet: anyone can register one.
        let unverified_admin = account(7, vec![membership(AGENCY, &[Role::Admin], false)], vec![]);
        let call = Target {
            call_agency: Some(AGENCY),
            ..Target::none()
        };
        assert_eq!(check(&agency_admin, Action::ManageCall, &call), Ok(()));
        assert_eq!(
            check(&unverified_admin, Action::ManageCall, &call),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&unverified_admin, Action::DecideSubmission, &target),
            Err(AppError::Forbidden)
        );
        // The agency's own submission into its call: someone from elsewhere decides.
        let own = Target {
            organisation: Some(AGENCY),
            call_agency: Some(AGENCY),
            reviewers: vec![],
        };
        assert_eq!(
            check(&agency_admin, Action::DecideSubmission, &own),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&agency_admin, Action::RuleOnObjection, &own),
            Err(AppError::Forbidden)
        );
        // A platform reviewer takes it instead; not a firm's submission into the call.
        let reviewer = account(12, vec![], vec![Role::PlatformReviewer]);
        for action in [
            Action::ViewUnpublished,
            Action::ReviewSubmission,
            Action::DecideSubmission,
            Action::RuleOnObjection,
        ] {
            assert_eq!(check(&reviewer, action, &own), Ok(()), "{action:?}");
        }
        assert_eq!(
            check(&reviewer, Action::DecideSubmission, &target),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn platform_reviewers_take_only_records_without_a_call() {
        let reviewer = account(10, vec![], vec![Role::PlatformReviewer]);
        let direct = Target::organisation(FIRM);
        assert_eq!(check(&reviewer, Action::DecideSubmission, &direct), Ok(()));
        assert_eq!(
            check(&reviewer, Action::DecideSubmission, &submission(vec![])),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&reviewer, Action::VerifyOrganisation, &Target::none()),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn only_a_verified_agencys_buyer_records_first_purchases() {
        let target = Target::organisation(AGENCY);
        let buyer = account(11, vec![membership(AGENCY, &[Role::Buyer], true)], vec![]);
        assert_eq!(check(&buyer, Action::RecordFirstPurchase, &target), Ok(()));
        let admin = account(12, vec![membership(AGENCY, &[Role::Admin], true)], vec![]);
        assert_eq!(
            check(&admin, Action::RecordFirstPurchase, &target),
            Err(AppError::Forbidden)
        );
        let unverified = account(11, vec![membership(AGENCY, &[Role::Buyer], false)], vec![]);
        assert_eq!(
            check(&unverified, Action::RecordFirstPurchase, &target),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn the_buying_agency_answers_for_its_records_and_the_supplier_disputes_them() {
        let agency = Target::organisation(AGENCY);
        let firm = Target::organisation(FIRM);
        let buyer = account(11, vec![membership(AGENCY, &[Role::Buyer], true)], vec![]);
        let agency_admin = account(12, vec![membership(AGENCY, &[Role::Admin], true)], vec![]);
        let staff = account(13, vec![membership(FIRM, &[Role::Member], true)], vec![]);
        let admin = account(1, vec![], vec![Role::PlatformAdmin]);
        for who in [&buyer, &agency_admin] {
            assert_eq!(check(who, Action::CorrectFirstPurchase, &agency), Ok(()));
            assert_eq!(
                check(who, Action::DisputeFirstPurchase, &firm),
                Err(AppError::Forbidden)
            );
        }
        assert_eq!(check(&staff, Action::DisputeFirstPurchase, &firm), Ok(()));
        assert_eq!(check(&staff, Action::ProveListing, &firm), Ok(()));
        assert_eq!(
            check(&staff, Action::CorrectFirstPurchase, &agency),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&staff, Action::CorrectFirstPurchase, &firm),
            Err(AppError::Forbidden),
            "a firm member is no buyer"
        );
        assert_eq!(
            check(&admin, Action::SettleFirstPurchaseDispute, &Target::none()),
            Ok(())
        );
        assert_eq!(
            check(&admin, Action::CorrectFirstPurchase, &agency),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(&buyer, Action::SettleFirstPurchaseDispute, &Target::none()),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn platform_admins_administer_but_do_not_act_for_organisations() {
        let admin = account(1, vec![], vec![Role::PlatformAdmin]);
        for action in [
            Action::VerifyOrganisation,
            Action::SuspendAccount,
            Action::ReadAuditLog,
            Action::ReadDemoMailbox,
        ] {
            assert_eq!(check(&admin, action, &Target::none()), Ok(()), "{action:?}");
        }
        assert_eq!(
            check(&admin, Action::ViewUnpublished, &submission(vec![])),
            Ok(())
        );
        assert_eq!(
            check(&admin, Action::SubmitForReview, &Target::organisation(FIRM)),
            Err(AppError::Forbidden)
        );
    }

    /// The README shows the table as it is in the code.
    #[test]
    fn the_readme_shows_this_table() {
        let readme = include_str!("../../../README.md");
        let table = markdown_table();
        let start = "<!-- permissions:start (generated from app/src/auth/permissions.rs) -->\n";
        let end = "<!-- permissions:end -->";
        let shown = readme
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(shown, _)| shown);
        assert_eq!(
            shown,
            Some(table.as_str()),
            "the README's permission table differs from the code; paste this between the markers:\n{table}"
        );
    }
}
