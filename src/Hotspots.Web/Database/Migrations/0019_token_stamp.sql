-- A token holds the security stamp of the account it was issued under: a password change or reset, a role or ward
-- change, and disabling the account give the account a new stamp, which ends every token issued before. Tokens that
-- exist now take the account's present stamp (department systems keep working until the next such change).
-- A token may carry a name (which system holds it), so a person's list of tokens says what each is for.
ALTER TABLE api_tokens ADD COLUMN issued_stamp uuid, ADD COLUMN name text CHECK (length(name) <= 100);
UPDATE api_tokens t SET issued_stamp = u.security_stamp FROM users u WHERE u.id = t.user_id;
ALTER TABLE api_tokens ALTER COLUMN issued_stamp SET NOT NULL;
