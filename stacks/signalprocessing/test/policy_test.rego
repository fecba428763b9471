# What the suite's tests expect of the classification policy (policies/policy.rego), run by
# `opa test policies test` (test/policy.test.ts runs it).
package signalprocessing_test

import data.signalprocessing
import rego.v1

namespace(labels) := {"namespace": {"labels": labels}, "signal": {"severity": "critical"}}

test_environment_from_the_kubernaut_label_lower_cased if {
	signalprocessing.environment == {"environment": "production", "source": "namespace-labels"} with input as namespace({"kubernaut.ai/environment": "Production"})
}

test_environment_from_the_env_label_when_known if {
	signalprocessing.environment.environment == "staging" with input as namespace({"env": "staging"})
	signalprocessing.environment.environment == "unknown" with input as namespace({"env": "qa"})
}

test_the_kubernaut_label_wins_over_env if {
	signalprocessing.environment.environment == "development" with input as namespace({"kubernaut.ai/environment": "development", "env": "production"})
}

test_environment_unknown_by_default if {
	signalprocessing.environment == {"environment": "unknown", "source": "default"} with input as namespace({})
}

test_severity_spellings if {
	every spelling, want in {
		"CRITICAL": "critical", "sev1": "critical", "P0": "critical",
		"high": "high", "Sev2": "high", "p2": "high",
		"medium": "warning", "warning": "warning", "sev3": "warning",
		"low": "info", "info": "info", "sev4": "info",
		"page-me": "unknown",
	} {
		signalprocessing.severity == want with input as {"signal": {"severity": spelling}}
	}
}

test_priority_by_environment_and_severity if {
	every case in [
		["production", "sev1", "P0", "production-critical"],
		["production", "high", "P1", "production-high"],
		["production", "warning", "P1", "production-warning"],
		["production", "info", "P3", "default"],
		["staging", "critical", "P1", "staging-critical"],
		["staging", "low", "P2", "staging-any"],
		["development", "critical", "P3", "default"],
	] {
		signalprocessing.priority == {"priority": case[2], "policy_name": case[3]} with input as {
			"namespace": {"labels": {"kubernaut.ai/environment": case[0]}},
			"signal": {"severity": case[1]},
		}
	}
}

test_custom_labels if {
	signalprocessing.labels == {"team": ["payments"], "tier": ["1"]} with input as namespace({"kubernaut.ai/team": "payments", "kubernaut.ai/tier": "1"})
	signalprocessing.labels == {"team": ["payments"]} with input as namespace({"kubernaut.ai/team": "payments"})
	signalprocessing.labels == {} with input as namespace({"kubernaut.ai/tier": "1"})
}

test_cluster_from_the_fleet_registration if {
	signalprocessing.cluster == "prod-east" with input as {"cluster": {"labels": {"environment": "prod-east"}}}
	not signalprocessing.cluster with input as {"cluster": {"labels": {}}}
}
