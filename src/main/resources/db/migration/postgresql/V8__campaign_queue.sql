-- Campaigns waiting for the lab, in the order they start (lowest position first). A row goes
-- when its campaign starts or an operator takes it out; the queue survives a restart.
CREATE TABLE campaign_queue (
  campaign_id  VARCHAR(64) PRIMARY KEY REFERENCES campaign(id),
  position     BIGINT NOT NULL,
  queued_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  queued_by    VARCHAR(200) NOT NULL
);
