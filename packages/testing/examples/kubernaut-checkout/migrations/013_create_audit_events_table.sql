-- +goose Up
CREATE TABLE audit_events (id bigserial PRIMARY KEY, event_type text NOT NULL);
-- +goose Down
DROP TABLE audit_events;
