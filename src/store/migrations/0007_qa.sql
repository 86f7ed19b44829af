-- 0007_qa: quality control (docs/quality.md). A QA form is a list of yes/no items with weights;
-- editing a form stores a new version, so a review keeps the items it was scored on. Reviews
-- score one call; mystery shopper campaigns plan test calls to reps and keep the shopper's form.
CREATE TABLE qa_forms (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);

CREATE TABLE qa_form_versions (
	id @ID@,
	form_id BIGINT NOT NULL REFERENCES qa_forms (id),
	version INTEGER NOT NULL,
	author_id BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	UNIQUE (form_id, version)
);

-- auto: what data can answer the item (docs/quality.md); NULL: only the reviewer can
CREATE TABLE qa_form_items (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES qa_form_versions (id),
	pos INTEGER NOT NULL,
	text TEXT NOT NULL,
	weight INTEGER NOT NULL CHECK (weight >= 1 AND weight <= 10),
	auto TEXT CHECK (auto IS NULL OR auto IN ('needs_questions', 'price_late', 'next_step',
		'contacts')),
	UNIQUE (version_id, pos)
);

-- one review per call and form; yes_weight / total_weight is the score; call_at and rep_id
-- are the call's, copied so that scores over time read one index
CREATE TABLE qa_reviews (
	id @ID@,
	call_id BIGINT NOT NULL REFERENCES calls (id),
	form_id BIGINT NOT NULL REFERENCES qa_forms (id),
	version_id BIGINT NOT NULL REFERENCES qa_form_versions (id),
	rep_id BIGINT REFERENCES users (id),
	reviewer_id BIGINT REFERENCES users (id),
	call_at BIGINT NOT NULL,
	yes_weight INTEGER NOT NULL,
	total_weight INTEGER NOT NULL CHECK (total_weight > 0),
	note TEXT,
	created_at BIGINT NOT NULL,
	UNIQUE (call_id, form_id)
);
CREATE INDEX qa_reviews_rep ON qa_reviews (rep_id, call_at);
CREATE INDEX qa_reviews_call_at ON qa_reviews (call_at);

-- from_data: the answer was prefilled from data and the reviewer kept it
CREATE TABLE qa_review_answers (
	review_id BIGINT NOT NULL REFERENCES qa_reviews (id),
	item_id BIGINT NOT NULL REFERENCES qa_form_items (id),
	yes INTEGER NOT NULL,
	from_data INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (review_id, item_id)
);

CREATE TABLE qa_campaigns (
	id @ID@,
	name TEXT NOT NULL,
	scenario TEXT NOT NULL,
	scenario_text TEXT,
	author_id BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL
);

-- the planned test calls, numbered 1.. in their campaign; filled_at is set when the head
-- fills the mystery shopper's form (leak: the rep did not push to a next step)
CREATE TABLE qa_campaign_calls (
	id @ID@,
	campaign_id BIGINT NOT NULL REFERENCES qa_campaigns (id),
	n INTEGER NOT NULL,
	rep_id BIGINT NOT NULL REFERENCES users (id),
	planned_at BIGINT NOT NULL,
	filled_at BIGINT,
	reviewer_id BIGINT REFERENCES users (id),
	leak INTEGER,
	note TEXT,
	UNIQUE (campaign_id, n)
);

-- the shopper's answers, one row per move (docs/quality.md lists the moves)
CREATE TABLE qa_campaign_answers (
	call_id BIGINT NOT NULL REFERENCES qa_campaign_calls (id),
	move TEXT NOT NULL,
	yes INTEGER NOT NULL,
	PRIMARY KEY (call_id, move)
);

-- the method's form (METHOD.md §5, §6), in English; pages translate these texts
INSERT INTO qa_forms (name, created_at) VALUES ('Method call review', 0);
INSERT INTO qa_form_versions (form_id, version, created_at)
	SELECT id, 1, 0 FROM qa_forms WHERE name = 'Method call review';
INSERT INTO qa_form_items (version_id, pos, text, weight, auto)
	SELECT v.id, i.pos, i.text, i.weight, i.auto FROM qa_form_versions v
	JOIN qa_forms f ON f.id = v.form_id AND f.name = 'Method call review'
	CROSS JOIN (
		SELECT 1 AS pos, 'Greeted with the line of business and own name' AS text,
			1 AS weight, NULL AS auto
		UNION ALL SELECT 2, 'Asked the client''s name and used it', 1, NULL
		UNION ALL SELECT 3, 'Took the initiative', 2, NULL
		UNION ALL SELECT 4, 'At most 7 needs questions', 1, 'needs_questions'
		UNION ALL SELECT 5, 'Price not given before the third question', 2, 'price_late'
		UNION ALL SELECT 6, 'Handled "expensive" and "I''ll think about it"', 2, NULL
		UNION ALL SELECT 7, 'Took the contacts', 2, 'contacts'
		UNION ALL SELECT 8, 'Proposed a concrete next step', 3, 'next_step'
		UNION ALL SELECT 9, 'Summed up and got the client''s confirmation', 1, NULL
	) i;
