-- Stations held by an experiment, as a cluster's station locks (a singleton) granted them:
-- written before each grant is told, deleted on release, read when the locks start on another
-- node after theirs was lost, so no station with a sample inside is handed out again.
CREATE TABLE station_hold (
  station      VARCHAR(100) PRIMARY KEY,
  owner        VARCHAR(64) NOT NULL,
  party        VARCHAR(64) NOT NULL,
  held_since   TIMESTAMP WITH TIME ZONE NOT NULL
);
