# The classification policy signalprocessing-e2e gives the SignalProcessing controller (ADR-060:
# one policy.rego, package signalprocessing). Written here from what the suite's tests expect of
# it (reference Part II, B.3); replace it with your own: a change rolls the controller.
package signalprocessing

import rego.v1

# Environment: the namespace's kubernaut.ai/environment label, lower-cased; without it, its env
# label when that names an environment this policy knows.
default environment := {"environment": "unknown", "source": "default"}

environment := {"environment": lower(value), "source": "namespace-labels"} if {
	value := input.namespace.labels["kubernaut.ai/environment"]
	value != ""
}

environment := {"environment": value, "source": "namespace-labels"} if {
	not input.namespace.labels["kubernaut.ai/environment"]
	value := input.namespace.labels.env
	value in {"production", "staging", "development"}
}

# Severity: the signal's own, normalised from the spellings monitoring systems use.
severities := {
	"critical": "critical", "sev1": "critical", "p0": "critical",
	"high": "high", "sev2": "high", "p2": "high",
	"medium": "warning", "warning": "warning", "sev3": "warning",
	"low": "info", "info": "info", "sev4": "info",
}

default severity := "unknown"

severity := severities[lower(input.signal.severity)]

# Priority: by environment and severity; P3 for anything else.
priorities := {
	"production": {"critical": "P0", "high": "P1", "warning": "P1"},
	"staging": {"critical": "P1"},
}

default priority := {"priority": "P3", "policy_name": "default"}

priority := {"priority": value, "policy_name": sprintf("%s-%s", [environment.environment, severity])} if {
	value := priorities[environment.environment][severity]
}

priority := {"priority": "P2", "policy_name": "staging-any"} if {
	environment.environment == "staging"
	severity != "critical"
}

# Custom labels: the namespace's team, with its tier when it has one.
default labels := {}

labels := {"team": [team], "tier": [tier]} if {
	team := input.namespace.labels["kubernaut.ai/team"]
	team != ""
	tier := input.namespace.labels["kubernaut.ai/tier"]
	tier != ""
}

labels := {"team": [team]} if {
	team := input.namespace.labels["kubernaut.ai/team"]
	team != ""
	not input.namespace.labels["kubernaut.ai/tier"]
}

# Cluster: the fleet cluster's environment label, when it is registered with one (no default:
# undefined means not classified).
cluster := input.cluster.labels.environment if input.cluster.labels.environment != ""
