-- A change to a published record carries its new files with its submission: they are
-- frozen when it is submitted (the reviewers see exactly what they decide on), join the
-- record when it is accepted, and go back to the organisation's draft when it is returned
-- or withdrawn. Until then they are never public.
ALTER TABLE attachments DROP CONSTRAINT attachments_record_kind_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_record_kind_check
    CHECK (record_kind IN ('product', 'scenario', 'project', 'draft', 'submission'));

-- Files a revision's draft held while it was under review move to that submission.
UPDATE attachments a SET record_kind = 'submission', record_id = s.id
FROM drafts d, submissions s
WHERE a.record_kind = 'draft' AND a.record_id = d.id AND d.record_id IS NOT NULL
  AND s.record_kind = d.record_kind AND s.record_id = d.record_id
  AND s.state IN ('submitted', 'in_review', 'in_notice');
