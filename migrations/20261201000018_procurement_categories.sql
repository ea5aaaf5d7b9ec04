-- Procurement categories (政府采购品目分类目录, 财库〔2022〕31号) as a hierarchical filter,
-- and the embedded index's equivalent terms in columns of their own.

-- The embedded index's documents carry every level of a product's category, from the top
-- (`domain::procurement::path`: A, A02, A0205, A020523, A02052301), so that a filter on a
-- parent code finds the products filed below it. Empty for other records.
ALTER TABLE search_documents ADD COLUMN procurement TEXT[] NOT NULL DEFAULT '{}';

-- The product list filters by a category's code as a prefix of the products' codes
-- (`p.procurement_code LIKE 'A0205%'`), and the category names come from the products
-- that carry a code: both by this index.
CREATE INDEX products_procurement_code_idx ON products (procurement_code text_pattern_ops);

-- What each field is also searched by (`SearchDocument::title_terms`, `body_terms`: its
-- normalised form, glossary terms, procurement categories), segmented, kept apart from
-- the field's own words so that a match in a record's own words ranks above a match
-- through an equivalent term, as Meilisearch's attribute rule does with `*_terms`.
ALTER TABLE search_documents
    ADD COLUMN title_terms TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_terms  TEXT NOT NULL DEFAULT '';
