-- Each fitted circuit parameter's standard error beside its value (JSON object by parameter
-- name), for the per-experiment bundle a scientist opens in Origin or pandas. Fits stored before
-- this version have none (NULL): the bundle says so rather than inventing them.
ALTER TABLE measurement ADD COLUMN parameter_std_errs TEXT;
