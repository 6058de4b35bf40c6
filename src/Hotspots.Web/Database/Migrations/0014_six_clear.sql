-- "6 rõ": every task clear on who, what, responsibility, authority, deadline and result. Title (what), responsible
-- unit (responsibility) and deadline were there; these three complete it. The officer in charge is staff, named
-- in an official role, but still kept off the public read model like every other name.
ALTER TABLE hotspots
    ADD COLUMN assignee  text,   -- rõ người: the officer in charge
    ADD COLUMN authority text,   -- rõ thẩm quyền: the body that decides (UBND phường …, Sở Xây dựng …)
    ADD COLUMN result    text;   -- rõ kết quả: the product expected, then the one achieved

-- A person's edit of the new fields is an edit too (see 0008): it moves updated_at, so a later import reports a
-- conflict instead of overwriting it.
CREATE OR REPLACE FUNCTION touch_hotspot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at = OLD.updated_at
       AND (NEW.title, NEW.description, NEW.subtype, NEW.severity, NEW.status, NEW.responsible_unit, NEW.deadline,
            NEW.assignee, NEW.authority, NEW.result)
           IS DISTINCT FROM (OLD.title, OLD.description, OLD.subtype, OLD.severity, OLD.status, OLD.responsible_unit, OLD.deadline,
            OLD.assignee, OLD.authority, OLD.result)
       OR NEW.updated_at = OLD.updated_at AND NOT ST_Equals(NEW.geom, OLD.geom) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
