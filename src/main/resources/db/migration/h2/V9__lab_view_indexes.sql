-- The lab view (GET /api/lab and its stream, looked at every 0.5 s while a dashboard is open)
-- asks for the commands out now, each instrument's latest step and the stations' quarantines:
-- without these it would read the whole step and event tables each time.
CREATE INDEX step_by_state ON step(state);
CREATE INDEX step_by_instrument ON step(instrument, id);
CREATE INDEX campaign_event_by_kind ON campaign_event(kind, seq);
