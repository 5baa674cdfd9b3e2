-- Campaigns a cluster of orchestrator nodes runs (ionloop serve --cluster). The cluster's keeper
-- keeps each one that has not ended running on one node; node and placed_at say where it runs
-- now, placements how many nodes it has run on (more than 1: it moved after a node was lost).
CREATE TABLE cluster_campaign (
  campaign_id  VARCHAR(64) PRIMARY KEY REFERENCES campaign(id),
  started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  started_by   VARCHAR(200) NOT NULL,
  node         VARCHAR(200),
  placed_at    TIMESTAMP WITH TIME ZONE,
  placements   INT DEFAULT 0 NOT NULL
);
