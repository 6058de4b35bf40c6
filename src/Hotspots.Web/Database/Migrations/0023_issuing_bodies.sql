-- Who issues a ward's (or, as 'all', the city's) printed reports, as Decree 30/2020/NĐ-CP sets a document's head and
-- foot: the issuing body in two lines, the symbol after the number ("Số:   /BC-UBND"; the number is the register's),
-- the place in "…, ngày … tháng … năm …", the signer (on behalf of the body, title, name) and the recipients.
-- A ward with no row is printed with the defaults (WardReports/IssuingBodies).
CREATE TABLE issuing_bodies (
    ward_code     text PRIMARY KEY CHECK (ward_code = 'all' OR ward_code ~ '^[0-9]{5}$'),
    body_line1    text NOT NULL CHECK (length(body_line1) BETWEEN 1 AND 120),
    body_line2    text NOT NULL CHECK (length(body_line2) BETWEEN 1 AND 120),
    symbol        text NOT NULL CHECK (length(symbol) BETWEEN 1 AND 40),
    place         text NOT NULL CHECK (length(place) BETWEEN 1 AND 60),
    signer_for    text NOT NULL CHECK (length(signer_for) <= 120),
    signer_title  text NOT NULL CHECK (length(signer_title) BETWEEN 1 AND 120),
    signer_name   text CHECK (length(signer_name) <= 120),
    recipients    text[] NOT NULL DEFAULT '{}',
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
