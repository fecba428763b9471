-- +goose Up
CREATE TABLE visits (
  id bigserial PRIMARY KEY,
  visit bigint NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE visits;
