-- A campaign that completed with failed experiments ends as COMPLETED_WITH_FAILURES (23
-- characters), longer than the 20 that V1 allowed. Widening keeps every row as it was.
ALTER TABLE campaign ALTER COLUMN state SET DATA TYPE VARCHAR(40);
