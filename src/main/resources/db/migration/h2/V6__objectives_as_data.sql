-- Objectives are the campaign's own (any number, computed from conductivity, Ea, a measurement a
-- step declares, or the composition): one row per experiment and objective. Campaigns written
-- before this version optimised exactly log10_sigma25 and ea_ev, kept in the result row; those
-- values are copied here under those names, and the result row keeps them as the Arrhenius fit.
CREATE TABLE objective_value (
  experiment_id VARCHAR(64) NOT NULL REFERENCES experiment(id),
  campaign_id   VARCHAR(64) NOT NULL REFERENCES campaign(id),
  name          VARCHAR(64) NOT NULL,
  val           DOUBLE PRECISION NOT NULL,
  std_err       DOUBLE PRECISION,
  PRIMARY KEY (experiment_id, name)
);
CREATE INDEX objective_value_campaign ON objective_value(campaign_id);
INSERT INTO objective_value(experiment_id, campaign_id, name, val, std_err)
  SELECT experiment_id, campaign_id, 'log10_sigma25', log10_sigma25, log10_sigma25_se FROM result;
INSERT INTO objective_value(experiment_id, campaign_id, name, val, std_err)
  SELECT experiment_id, campaign_id, 'ea_ev', ea_ev, ea_se_ev FROM result;
-- A protocol without impedance steps (an XRD-only screen) has no Arrhenius fit and no pellet.
ALTER TABLE result ALTER COLUMN log10_sigma25 SET NULL;
ALTER TABLE result ALTER COLUMN ea_ev SET NULL;
ALTER TABLE result ALTER COLUMN thickness_mm SET NULL;
ALTER TABLE result ALTER COLUMN diameter_mm SET NULL;
