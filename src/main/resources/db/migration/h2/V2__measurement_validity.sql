-- Impedance analysis records which circuit was chosen and the Kramers–Kronig verdict.
ALTER TABLE measurement ADD COLUMN circuit VARCHAR(200);
ALTER TABLE measurement ADD COLUMN kk_valid BOOLEAN;
ALTER TABLE measurement ADD COLUMN kk_residual DOUBLE PRECISION;
