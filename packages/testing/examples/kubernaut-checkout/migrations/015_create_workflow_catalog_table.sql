-- +goose Up
CREATE TABLE remediation_workflow_catalog (workflow_name text, version text, PRIMARY KEY (workflow_name, version));
